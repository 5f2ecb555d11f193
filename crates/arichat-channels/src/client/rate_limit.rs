//! Client-side rate limits that wait rather than fail.
//!
//! A generic cell-rate algorithm (GCRA) per limit: `count` sends per `period`, with
//! bursts of up to `count`. A limiter may have a global limit (per bot, per phone
//! number) and a per-recipient one (Telegram: one message per second per chat). Each
//! send reserves its slot under a short lock and then sleeps until it, so concurrent
//! senders queue fairly without holding the lock while they wait.

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::Duration;

use tokio::time::Instant;

/// `count` requests per `period`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Rate {
    /// Requests allowed per period (also the burst).
    pub count: u32,
    /// The period.
    pub period: Duration,
}

impl Rate {
    /// `count` per second.
    pub const fn per_second(count: u32) -> Self {
        Rate {
            count,
            period: Duration::from_secs(1),
        }
    }

    fn interval(self) -> Duration {
        self.period / self.count.max(1)
    }

    fn tolerance(self) -> Duration {
        self.interval() * self.count.max(1).saturating_sub(1)
    }
}

/// The limits of one client.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct RateLimits {
    /// For all sends of the client (Telegram ~30/s per bot; WhatsApp per number).
    pub global: Option<Rate>,
    /// For each recipient (Telegram 1/s per chat).
    pub per_recipient: Option<Rate>,
}

impl RateLimits {
    /// No limits.
    pub const NONE: RateLimits = RateLimits {
        global: None,
        per_recipient: None,
    };
    /// Telegram's documented limits: about 30 messages per second per bot, one per
    /// second per chat.
    pub const TELEGRAM: RateLimits = RateLimits {
        global: Some(Rate::per_second(30)),
        per_recipient: Some(Rate::per_second(1)),
    };
    /// WhatsApp Cloud API default throughput: 80 messages per second per business
    /// phone number (raise it for numbers upgraded to higher throughput).
    pub const WHATSAPP: RateLimits = RateLimits {
        global: Some(Rate::per_second(80)),
        per_recipient: None,
    };
    /// Mattermost's default server limit: 10 requests per second per user (bursts of
    /// 100, `RateLimitSettings`); kept at the sustained rate.
    pub const MATTERMOST: RateLimits = RateLimits {
        global: Some(Rate::per_second(10)),
        per_recipient: None,
    };
}

/// Keyed GCRA state. Cheap to share behind an `Arc`.
#[derive(Debug)]
pub(crate) struct RateLimiter {
    limits: RateLimits,
    state: Mutex<State>,
}

#[derive(Debug, Default)]
struct State {
    global_tat: Option<Instant>,
    per_key: HashMap<String, Instant>,
}

/// Above this many tracked recipients, entries whose slot has passed are dropped.
const PRUNE_AT: usize = 10_000;

impl RateLimiter {
    pub(crate) fn new(limits: RateLimits) -> Self {
        RateLimiter {
            limits,
            state: Mutex::new(State::default()),
        }
    }

    /// Waits until a send to `recipient` is allowed.
    pub(crate) async fn acquire(&self, recipient: Option<&str>) {
        let at = self.reserve(recipient, Instant::now());
        if at > Instant::now() {
            tracing::debug!(
                wait_ms = (at - Instant::now()).as_millis() as u64,
                "rate limit: waiting"
            );
            tokio::time::sleep_until(at).await;
        }
    }

    /// Reserves the next slot and returns when it starts.
    fn reserve(&self, recipient: Option<&str>, now: Instant) -> Instant {
        let mut state = self.state.lock().unwrap_or_else(|p| p.into_inner());
        let mut at = now;
        if let (Some(rate), Some(key)) = (self.limits.per_recipient, recipient) {
            if state.per_key.len() >= PRUNE_AT {
                state.per_key.retain(|_, tat| *tat > now);
            }
            let tat = state.per_key.entry(key.to_owned()).or_insert(now);
            at = gcra(tat, rate, at);
        }
        if let Some(rate) = self.limits.global {
            let tat = state.global_tat.get_or_insert(now);
            at = gcra(tat, rate, at);
        }
        at
    }
}

/// One GCRA step for a request arriving at `arrival`: when it may go, and the new
/// theoretical arrival time.
fn gcra(tat: &mut Instant, rate: Rate, arrival: Instant) -> Instant {
    let earliest = tat.checked_sub(rate.tolerance()).unwrap_or(arrival);
    let go = arrival.max(earliest);
    *tat = (*tat).max(go) + rate.interval();
    go
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bursts_then_spaces_sends() {
        let limiter = RateLimiter::new(RateLimits {
            global: Some(Rate::per_second(10)),
            per_recipient: None,
        });
        let t0 = Instant::now();
        let slots: Vec<Duration> = (0..15).map(|_| limiter.reserve(None, t0) - t0).collect();
        // A burst of 10 goes at once, then one every 100 ms.
        assert!(slots[..10].iter().all(|d| d.is_zero()), "{slots:?}");
        assert_eq!(slots[10], Duration::from_millis(100));
        assert_eq!(slots[14], Duration::from_millis(500));
    }

    #[test]
    fn per_chat_limit_is_per_chat() {
        let limiter = RateLimiter::new(RateLimits::TELEGRAM);
        let t0 = Instant::now();
        assert_eq!(limiter.reserve(Some("a"), t0), t0);
        assert_eq!(limiter.reserve(Some("b"), t0), t0);
        assert_eq!(limiter.reserve(Some("a"), t0) - t0, Duration::from_secs(1));
        assert_eq!(limiter.reserve(Some("a"), t0) - t0, Duration::from_secs(2));
    }

    #[tokio::test(start_paused = true)]
    async fn acquire_waits_rather_than_fails() {
        let limiter = RateLimiter::new(RateLimits::TELEGRAM);
        let t0 = Instant::now();
        for _ in 0..3 {
            limiter.acquire(Some("chat")).await;
        }
        // Paused clock: the sleeps advanced virtual time by exactly two slots.
        assert_eq!(Instant::now() - t0, Duration::from_secs(2));
    }
}
