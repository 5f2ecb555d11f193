//! Engagement: what a contact did, and rules that give points for it with time decay.

use chrono::{DateTime, Utc};

use crate::intent::Intent;
use crate::named_enum::named_enum;
use crate::{AuthorKind, ConsentSignal, DeliveryStatus, Direction, Event, EventKind};

named_enum!(
    /// The kinds of engagement a rule can give points for.
    #[cfg_attr(feature = "uniffi", derive(uniffi::Enum))]
    EngagementKind, "engagement kind", "inbound_message, agent_reply, intent, ad_referral, postback, opt_in, opt_out, blocked, read, delivery_failed", {
        /// The contact wrote.
        InboundMessage => "inbound_message",
        /// An agent (or the business's bot) wrote to the contact.
        AgentReply => "agent_reply",
        /// An intent was recognised in a message of the contact.
        Intent => "intent",
        /// An ad or link brought the contact.
        AdReferral => "ad_referral",
        /// The contact tapped a button.
        Postback => "postback",
        /// The contact opted in.
        OptIn => "opt_in",
        /// The contact opted out.
        OptOut => "opt_out",
        /// The contact blocked the business.
        Blocked => "blocked",
        /// The contact read the business's messages.
        Read => "read",
        /// A message to the contact could not be delivered.
        DeliveryFailed => "delivery_failed",
    }
);

/// One thing a contact (or an agent, for reply speed) did, as plain data.
///
/// Built from normalized events with [`EngagementEvent::from_event`]; intents come
/// from the classifier, added with [`EngagementEvent::intent`].
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct EngagementEvent {
    /// What happened.
    pub kind: EngagementKind,
    /// When.
    pub at: DateTime<Utc>,
    /// The intent, for [`EngagementKind::Intent`].
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub intent: Option<Intent>,
    /// A payload: the button payload of a postback, the ad id of a referral.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub payload: Option<String>,
}

impl EngagementEvent {
    /// An event without intent or payload.
    pub fn new(kind: EngagementKind, at: DateTime<Utc>) -> Self {
        EngagementEvent {
            kind,
            at,
            intent: None,
            payload: None,
        }
    }

    /// An intent seen at `at`.
    pub fn intent(intent: Intent, at: DateTime<Utc>) -> Self {
        EngagementEvent {
            intent: Some(intent),
            ..Self::new(EngagementKind::Intent, at)
        }
    }

    /// Sets the payload.
    pub fn with_payload(mut self, payload: impl Into<String>) -> Self {
        self.payload = Some(payload.into());
        self
    }

    /// The engagement a normalized event carries: none, one, or two (an inbound
    /// message that came from an ad is also an `ad_referral`).
    ///
    /// ```
    /// use arichat_core::scoring::{EngagementEvent, EngagementKind};
    /// use arichat_core::{Channel, ConsentSignal, Event, EventKind};
    /// use chrono::{TimeZone, Utc};
    /// let e = Event {
    ///     idempotency_key: "k".into(),
    ///     channel: Channel::Telegram,
    ///     channel_account_id: "bot".into(),
    ///     tenant_id: None,
    ///     contact: None,
    ///     occurred_at: Utc.timestamp_opt(0, 0).unwrap(),
    ///     business_connection_id: None,
    ///     group_id: None,
    ///     kind: EventKind::Consent { signal: ConsentSignal::Blocked, detail: None },
    /// };
    /// let got = EngagementEvent::from_event(&e);
    /// assert_eq!(got.len(), 1);
    /// assert_eq!(got[0].kind, EngagementKind::Blocked);
    /// ```
    pub fn from_event(event: &Event) -> Vec<EngagementEvent> {
        // What a participant does in a group is not their engagement with the business.
        if event.group_id.is_some() {
            return Vec::new();
        }
        let at = event.occurred_at;
        let one = |k| vec![EngagementEvent::new(k, at)];
        match &event.kind {
            EventKind::Message {
                direction: Direction::Inbound,
                referral,
                ..
            } => {
                let mut out = one(EngagementKind::InboundMessage);
                if let Some(r) = referral {
                    let mut e = EngagementEvent::new(EngagementKind::AdReferral, at);
                    e.payload = r.source_id.clone().or_else(|| r.r#ref.clone());
                    out.push(e);
                }
                out
            }
            EventKind::Message {
                direction: Direction::Outbound,
                author: AuthorKind::Agent | AuthorKind::Bot,
                ..
            } => one(EngagementKind::AgentReply),
            EventKind::Referral { referral } => {
                let mut e = EngagementEvent::new(EngagementKind::AdReferral, at);
                e.payload = referral
                    .source_id
                    .clone()
                    .or_else(|| referral.r#ref.clone());
                vec![e]
            }
            EventKind::Postback { payload, .. } => {
                vec![EngagementEvent::new(EngagementKind::Postback, at)
                    .with_payload(payload.clone())]
            }
            EventKind::Consent { signal, .. } => one(match signal {
                ConsentSignal::OptIn => EngagementKind::OptIn,
                ConsentSignal::OptOut => EngagementKind::OptOut,
                ConsentSignal::Blocked => EngagementKind::Blocked,
            }),
            EventKind::Read { .. } => one(EngagementKind::Read),
            EventKind::Status { status, .. } => match status {
                DeliveryStatus::Read => one(EngagementKind::Read),
                DeliveryStatus::Failed => one(EngagementKind::DeliveryFailed),
                _ => Vec::new(),
            },
            _ => Vec::new(),
        }
    }
}

/// A rule giving points for each matching engagement event, decayed by age.
///
/// Each matching event at or before `now` gives `points × 0.5^(age / half_life)`;
/// the rule's sum is then clamped to `[-cap, cap]`.
///
/// ```toml
/// [[engagement]]
/// id = "fast_reply"
/// event = "agent_reply"
/// within_minutes = 5        # only replies within 5 minutes of the contact's message
/// points = 5
/// half_life_hours = 72
/// cap = 15
/// ```
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EngagementRule {
    /// Unique id within the scorecard.
    pub id: String,
    /// Human description.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// The event kind it counts.
    pub event: EngagementKind,
    /// Only events with this intent (for `event = "intent"`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub intent: Option<Intent>,
    /// Only events with this payload.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub payload: Option<String>,
    /// For `agent_reply`: only replies sent within this many minutes of the
    /// contact's oldest unanswered message (reply speed).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub within_minutes: Option<f64>,
    /// Points per matching event (negative allowed).
    pub points: f64,
    /// Half-life of the points in hours; none means no decay.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub half_life_hours: Option<f64>,
    /// Events older than this many hours are ignored.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_age_hours: Option<f64>,
    /// Largest absolute sum of this rule.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cap: Option<f64>,
    /// The cap group it belongs to.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub group: Option<String>,
}

impl EngagementRule {
    /// A rule giving `points` per event of `event`, without decay or cap.
    pub fn new(id: impl Into<String>, event: EngagementKind, points: f64) -> Self {
        EngagementRule {
            id: id.into(),
            name: None,
            event,
            intent: None,
            payload: None,
            within_minutes: None,
            points,
            half_life_hours: None,
            max_age_hours: None,
            cap: None,
            group: None,
        }
    }

    /// Why the rule is malformed, if it is.
    pub(crate) fn problem(&self) -> Option<String> {
        let positive = |x: Option<f64>| x.is_none_or(|x| x.is_finite() && x > 0.0);
        if !self.points.is_finite() {
            return Some("points must be a finite number".into());
        }
        if !positive(self.half_life_hours) {
            return Some("half_life_hours must be a positive number".into());
        }
        if !positive(self.max_age_hours) {
            return Some("max_age_hours must be a positive number".into());
        }
        if !self.cap.is_none_or(|c| c.is_finite() && c >= 0.0) {
            return Some("cap must be a non-negative number".into());
        }
        if self.within_minutes.is_some() {
            if self.event != EngagementKind::AgentReply {
                return Some("within_minutes applies to event = \"agent_reply\" only".into());
            }
            if !self
                .within_minutes
                .is_some_and(|w| w.is_finite() && w >= 0.0)
            {
                return Some("within_minutes must be a non-negative number".into());
            }
        }
        if self.intent.is_some() && self.event != EngagementKind::Intent {
            return Some("intent applies to event = \"intent\" only".into());
        }
        None
    }

    /// The rule's (capped) sum over `events`, and how many events matched.
    pub(crate) fn evaluate(&self, ctx: &EventContext<'_>, now: DateTime<Utc>) -> (f64, u32) {
        let mut sum = 0.0;
        let mut n = 0u32;
        for (i, e) in ctx.events.iter().enumerate() {
            if e.kind != self.event || e.at > now {
                continue;
            }
            if self.intent.is_some() && e.intent != self.intent {
                continue;
            }
            if self.payload.is_some() && e.payload != self.payload {
                continue;
            }
            let age_hours = (now - e.at).num_milliseconds() as f64 / 3_600_000.0;
            if self.max_age_hours.is_some_and(|m| age_hours > m) {
                continue;
            }
            if let Some(w) = self.within_minutes {
                match ctx.reply_delay_minutes[i] {
                    Some(d) if d <= w => {}
                    _ => continue,
                }
            }
            let decay = self
                .half_life_hours
                .map_or(1.0, |h| 0.5f64.powf(age_hours / h));
            sum += self.points * decay;
            n += 1;
        }
        if let Some(cap) = self.cap {
            sum = sum.clamp(-cap, cap);
        }
        (sum, n)
    }
}

/// Events sorted by time, with each agent reply's delay precomputed.
pub(crate) struct EventContext<'a> {
    events: Vec<&'a EngagementEvent>,
    reply_delay_minutes: Vec<Option<f64>>,
}

impl<'a> EventContext<'a> {
    pub(crate) fn new(events: &'a [EngagementEvent]) -> Self {
        let mut events: Vec<&EngagementEvent> = events.iter().collect();
        // Stable: same-time events keep their given order (inbound before reply).
        events.sort_by_key(|e| e.at);
        let mut waiting_since: Option<DateTime<Utc>> = None;
        let reply_delay_minutes = events
            .iter()
            .map(|e| match e.kind {
                EngagementKind::InboundMessage => {
                    waiting_since.get_or_insert(e.at);
                    None
                }
                EngagementKind::AgentReply => waiting_since
                    .take()
                    .map(|t0| (e.at - t0).num_milliseconds() as f64 / 60_000.0),
                _ => None,
            })
            .collect();
        EventContext {
            events,
            reply_delay_minutes,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::{Duration, TimeZone};

    fn t0() -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 2, 1, 9, 0, 0).unwrap()
    }

    #[test]
    fn decay_halves_per_half_life_and_cap_clamps() {
        let now = t0() + Duration::hours(48);
        let events = vec![
            EngagementEvent::new(EngagementKind::InboundMessage, t0()),
            EngagementEvent::new(EngagementKind::InboundMessage, t0() + Duration::hours(24)),
            EngagementEvent::new(EngagementKind::InboundMessage, now + Duration::hours(1)),
        ];
        let ctx = EventContext::new(&events);
        let mut r = EngagementRule::new("in", EngagementKind::InboundMessage, 8.0);
        r.half_life_hours = Some(24.0);
        let (s, n) = r.evaluate(&ctx, now);
        assert_eq!(n, 2, "the future event does not count");
        assert!((s - (2.0 + 4.0)).abs() < 1e-12, "{s}");
        r.cap = Some(5.0);
        assert_eq!(r.evaluate(&ctx, now).0, 5.0);
        r.points = -8.0;
        assert_eq!(r.evaluate(&ctx, now).0, -5.0);
        r.max_age_hours = Some(30.0);
        r.cap = None;
        assert!((r.evaluate(&ctx, now).0 + 4.0).abs() < 1e-12);
    }

    #[test]
    fn reply_speed_measures_from_oldest_unanswered_message() {
        let m = |min: i64| t0() + Duration::minutes(min);
        let events = vec![
            EngagementEvent::new(EngagementKind::InboundMessage, m(0)),
            EngagementEvent::new(EngagementKind::InboundMessage, m(3)),
            EngagementEvent::new(EngagementKind::AgentReply, m(6)),
            EngagementEvent::new(EngagementKind::AgentReply, m(7)),
            EngagementEvent::new(EngagementKind::InboundMessage, m(60)),
            EngagementEvent::new(EngagementKind::AgentReply, m(62)),
        ];
        let ctx = EventContext::new(&events);
        let mut r = EngagementRule::new("fast", EngagementKind::AgentReply, 1.0);
        r.within_minutes = Some(5.0);
        assert_eq!(
            r.evaluate(&ctx, m(100)),
            (1.0, 1),
            "6-minute reply is too slow; 2-minute counts"
        );
        r.within_minutes = Some(6.0);
        assert_eq!(r.evaluate(&ctx, m(100)).1, 2);
        r.within_minutes = None;
        assert_eq!(
            r.evaluate(&ctx, m(100)).1,
            3,
            "without a limit every reply counts"
        );
    }

    #[test]
    fn intent_and_payload_filters() {
        let events = vec![
            EngagementEvent::intent(Intent::PriceInquiry, t0()),
            EngagementEvent::intent(Intent::Greeting, t0()),
            EngagementEvent::new(EngagementKind::Postback, t0()).with_payload("BUY"),
        ];
        let ctx = EventContext::new(&events);
        let mut r = EngagementRule::new("p", EngagementKind::Intent, 3.0);
        assert_eq!(r.evaluate(&ctx, t0()).1, 2);
        r.intent = Some(Intent::PriceInquiry);
        assert_eq!(r.evaluate(&ctx, t0()).1, 1);
        let mut p = EngagementRule::new("b", EngagementKind::Postback, 3.0);
        p.payload = Some("SELL".into());
        assert_eq!(p.evaluate(&ctx, t0()).1, 0);
    }
}
