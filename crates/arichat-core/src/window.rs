//! The 24-hour customer-service window of WhatsApp, Messenger and Instagram.

use chrono::{DateTime, Duration, Utc};

use crate::{Channel, Conversation};

/// Length of the customer-service window.
pub const SERVICE_WINDOW: Duration = Duration::hours(24);

/// The window in which a business may send free-form messages: opened and extended by
/// each inbound message of the contact, for 24 hours. Telegram has none (always open).
///
/// ```
/// use arichat_core::{Channel, window::ServiceWindow};
/// use chrono::{Duration, Utc};
/// let last = Utc::now();
/// let w = ServiceWindow::new(Channel::Whatsapp, Some(last));
/// assert!(w.is_open(last + Duration::hours(23)));
/// assert!(!w.is_open(last + Duration::hours(24)));
/// assert_eq!(w.closes_at(), Some(last + Duration::hours(24)));
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct ServiceWindow {
    channel: Channel,
    last_inbound_at: Option<DateTime<Utc>>,
}

impl ServiceWindow {
    /// The window of a channel given the contact's last inbound message time.
    pub fn new(channel: Channel, last_inbound_at: Option<DateTime<Utc>>) -> Self {
        ServiceWindow {
            channel,
            last_inbound_at,
        }
    }

    /// The window of a conversation.
    pub fn of(conversation: &Conversation) -> Self {
        Self::new(conversation.channel, conversation.last_inbound_at)
    }

    /// When the window closes; `None` when it never opened, or for channels without one.
    pub fn closes_at(&self) -> Option<DateTime<Utc>> {
        if !self.channel.has_service_window() {
            return None;
        }
        self.last_inbound_at.map(|t| t + SERVICE_WINDOW)
    }

    /// Whether a free-form message may be sent at `now`.
    pub fn is_open(&self, now: DateTime<Utc>) -> bool {
        if !self.channel.has_service_window() {
            return true;
        }
        self.closes_at().is_some_and(|c| now < c)
    }

    /// Time left at `now` (zero when closed); `None` for channels without a window.
    pub fn remaining(&self, now: DateTime<Utc>) -> Option<Duration> {
        if !self.channel.has_service_window() {
            return None;
        }
        Some(
            self.closes_at()
                .map_or(Duration::zero(), |c| (c - now).max(Duration::zero())),
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    #[test]
    fn inbound_messages_extend_the_window() {
        let t0 = Utc.with_ymd_and_hms(2026, 5, 1, 10, 0, 0).unwrap();
        let mut c = Conversation::new("t".into(), Channel::Instagram, "ig".into(), "c".into());
        assert!(!ServiceWindow::of(&c).is_open(t0));
        c.record_inbound(t0);
        c.record_inbound(t0 + Duration::hours(20));
        let w = ServiceWindow::of(&c);
        assert_eq!(w.closes_at(), Some(t0 + Duration::hours(44)));
        assert!(w.is_open(t0 + Duration::hours(43)));
        assert_eq!(
            w.remaining(t0 + Duration::hours(50)),
            Some(Duration::zero())
        );
    }

    #[test]
    fn telegram_has_no_window() {
        let w = ServiceWindow::new(Channel::Telegram, None);
        assert!(w.is_open(Utc::now()));
        assert_eq!(w.closes_at(), None);
        assert_eq!(w.remaining(Utc::now()), None);
    }
}
