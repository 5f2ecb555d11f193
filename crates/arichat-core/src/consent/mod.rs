//! The consent ledger: who may receive marketing, on which channel, since when, and
//! on what evidence.
//!
//! One [`ConsentRecord`] per contact and channel: opted in or out, when, and the
//! [`ConsentEvidence`] — a message whose intent was an opt-out, a STOP keyword, a
//! Telegram block or unblock, a Messenger opt-in, an agent's action or an import.
//!
//! **The latest signal wins, by its own time**: webhooks arrive out of order, so a
//! record only replaces one with an earlier timestamp (at the same instant an opt-out
//! beats an opt-in). Ask [`ConsentLedger::may_send_marketing`] before any marketing
//! send; by default marketing needs an explicit opt-in.
//!
//! The ledger is plain data: it serializes to JSON
//! (`{"policy": {...}, "records": [...]}`) for the host to store.
//!
//! ```
//! use arichat_core::consent::{ConsentEvidence, ConsentLedger, ConsentStatus};
//! use arichat_core::intent::Intent;
//! use arichat_core::{Channel, ContactId};
//! use chrono::{Duration, TimeZone, Utc};
//!
//! let t = Utc.with_ymd_and_hms(2026, 6, 1, 9, 0, 0).unwrap();
//! let ana = ContactId::new("ana");
//! let mut ledger = ConsentLedger::default();
//! assert!(!ledger.may_send_marketing(&ana, Channel::Whatsapp, t).allowed); // nothing recorded
//!
//! ledger.record_manual(&ana, Channel::Whatsapp, ConsentStatus::OptedIn,
//!     ConsentEvidence::Import { source: "crm-2026-05".into() }, t);
//! assert!(ledger.may_send_marketing(&ana, Channel::Whatsapp, t).allowed);
//!
//! // "no me escriban mas", classified as opt_out, an hour later.
//! ledger.record_message(&ana, Channel::Whatsapp, "no me escriban mas", &[Intent::OptOut], None, t + Duration::hours(1));
//! let d = ledger.may_send_marketing(&ana, Channel::Whatsapp, t + Duration::hours(2));
//! assert!(!d.allowed);
//! assert_eq!(d.reason, "opted out at 2026-06-01T10:00:00Z: message with intent opt_out: \"no me escriban mas\"");
//! // Another channel is a separate consent.
//! assert!(!ledger.may_send_marketing(&ana, Channel::Telegram, t).allowed);
//! ```

mod keywords;
mod suspension;

use std::collections::BTreeMap;
use std::fmt;

use chrono::{DateTime, Duration, Utc};

pub use keywords::{consent_keyword, START_KEYWORDS, STOP_KEYWORDS};
pub use suspension::{ClassifiedConsent, ReviewDecision, Suspension};

use crate::intent::Intent;
use crate::message::MessageContent;
use crate::named_enum::named_enum;
use crate::{Channel, ConsentSignal, ContactId, CoreError, Direction, Event, EventKind, MessageId};

/// Message text kept as evidence is cut to this many characters.
pub const EVIDENCE_TEXT_MAX_CHARS: usize = 500;

/// A message text as kept for evidence: trimmed, cut to [`EVIDENCE_TEXT_MAX_CHARS`].
pub(crate) fn evidence_text(text: &str) -> String {
    text.trim().chars().take(EVIDENCE_TEXT_MAX_CHARS).collect()
}

named_enum!(
    /// Whether a contact accepts marketing on a channel.
    ConsentStatus, "consent status", "opted_in, opted_out", {
        /// Accepts marketing.
        OptedIn => "opted_in",
        /// Refuses marketing.
        OptedOut => "opted_out",
    }
);

/// Why a consent record says what it says. Serialized with a `type` tag.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
#[non_exhaustive]
pub enum ConsentEvidence {
    /// A message of the contact whose intent carries consent (an `opt_out`).
    Message {
        /// The text (cut to [`EVIDENCE_TEXT_MAX_CHARS`]).
        text: String,
        /// The intent found in it.
        intent: Intent,
        /// The message, when known.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        message_id: Option<MessageId>,
    },
    /// The whole message was a STOP keyword (see [`STOP_KEYWORDS`]).
    StopKeyword {
        /// The keyword, folded.
        keyword: String,
        /// The message, when known.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        message_id: Option<MessageId>,
    },
    /// The whole message was a START keyword (see [`START_KEYWORDS`]).
    StartKeyword {
        /// The keyword, folded.
        keyword: String,
        /// The message, when known.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        message_id: Option<MessageId>,
    },
    /// The contact blocked the Telegram bot.
    TelegramBlock,
    /// The contact unblocked (restarted) the Telegram bot.
    TelegramUnblock,
    /// A Messenger opt-in (checkbox plugin, marketing-messages opt-in, m.me ref).
    MessengerOptIn {
        /// The vendor's detail (the `ref`, the token notice).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        detail: Option<String>,
    },
    /// Another platform signal (a marketing-messages stop, an Instagram opt-in).
    Platform {
        /// The signal as normalized.
        signal: ConsentSignal,
        /// The vendor's detail.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        detail: Option<String>,
    },
    /// An agent recorded it (a phone call, a signed form).
    Agent {
        /// Who.
        agent: String,
        /// Their note.
        #[serde(default, skip_serializing_if = "String::is_empty")]
        note: String,
    },
    /// Imported from another system.
    Import {
        /// Where from (a file, a CRM).
        source: String,
    },
}

impl fmt::Display for ConsentEvidence {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ConsentEvidence::Message { text, intent, .. } => {
                write!(f, "message with intent {intent}: {text:?}")
            }
            ConsentEvidence::StopKeyword { keyword, .. } => write!(f, "STOP keyword {keyword:?}"),
            ConsentEvidence::StartKeyword { keyword, .. } => {
                write!(f, "START keyword {keyword:?}")
            }
            ConsentEvidence::TelegramBlock => f.write_str("blocked the Telegram bot"),
            ConsentEvidence::TelegramUnblock => f.write_str("unblocked the Telegram bot"),
            ConsentEvidence::MessengerOptIn { detail } => {
                f.write_str("Messenger opt-in")?;
                detail_suffix(f, detail)
            }
            ConsentEvidence::Platform { signal, detail } => {
                let name = match signal {
                    ConsentSignal::OptIn => "opt_in",
                    ConsentSignal::OptOut => "opt_out",
                    ConsentSignal::Blocked => "blocked",
                };
                write!(f, "platform signal {name}")?;
                detail_suffix(f, detail)
            }
            ConsentEvidence::Agent { agent, note } if note.is_empty() => {
                write!(f, "recorded by agent {agent}")
            }
            ConsentEvidence::Agent { agent, note } => {
                write!(f, "recorded by agent {agent}: {note:?}")
            }
            ConsentEvidence::Import { source } => write!(f, "imported from {source:?}"),
        }
    }
}

fn detail_suffix(f: &mut fmt::Formatter<'_>, detail: &Option<String>) -> fmt::Result {
    match detail {
        Some(d) => write!(f, " ({d:?})"),
        None => Ok(()),
    }
}

/// One contact's consent on one channel.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct ConsentRecord {
    /// The contact.
    pub contact_id: ContactId,
    /// The channel.
    pub channel: Channel,
    /// In or out.
    pub status: ConsentStatus,
    /// When the signal happened (the vendor's time, not the arrival time).
    pub at: DateTime<Utc>,
    /// Why.
    pub evidence: ConsentEvidence,
}

impl ConsentRecord {
    /// Whether this record replaces `current`: strictly later, or at the same instant
    /// an opt-out over an opt-in.
    fn supersedes(&self, current: &ConsentRecord) -> bool {
        self.at > current.at
            || (self.at == current.at
                && self.status == ConsentStatus::OptedOut
                && current.status == ConsentStatus::OptedIn)
    }
}

named_enum!(
    /// What recording a signal did.
    Recorded, "recorded", "applied, stale", {
        /// It is now the contact's consent on that channel.
        Applied => "applied",
        /// A record as recent or more recent already decides; kept as it was.
        Stale => "stale",
    }
);

/// How the ledger answers [`ConsentLedger::may_send_marketing`].
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct ConsentPolicy {
    /// Marketing needs an explicit opt-in (`true`, the default); when `false`, a
    /// contact without any record may receive it (an opt-out still forbids).
    pub require_opt_in: bool,
    /// An opt-in older than this many days no longer counts; `None`: never expires.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub opt_in_max_age_days: Option<u32>,
}

impl Default for ConsentPolicy {
    fn default() -> Self {
        ConsentPolicy {
            require_opt_in: true,
            opt_in_max_age_days: None,
        }
    }
}

/// The answer to "may I send marketing to this contact on this channel now?".
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct MarketingDecision {
    /// Whether the send is allowed.
    pub allowed: bool,
    /// The record that decided, if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub record: Option<ConsentRecord>,
    /// Why, in a sentence.
    pub reason: String,
}

/// Per contact and channel consent. See the [module docs](self).
#[derive(Debug, Clone, PartialEq, Eq, Default, serde::Serialize, serde::Deserialize)]
#[serde(from = "LedgerState", into = "LedgerState")]
pub struct ConsentLedger {
    policy: ConsentPolicy,
    records: BTreeMap<ContactId, Vec<ConsentRecord>>,
    suspensions: Vec<Suspension>,
}

/// The serialized form: records sorted by contact and channel.
#[derive(serde::Serialize, serde::Deserialize)]
struct LedgerState {
    #[serde(default)]
    policy: ConsentPolicy,
    #[serde(default)]
    records: Vec<ConsentRecord>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    suspensions: Vec<Suspension>,
}

impl From<LedgerState> for ConsentLedger {
    fn from(state: LedgerState) -> Self {
        let mut ledger = ConsentLedger::new(state.policy);
        for r in state.records {
            ledger.record(r);
        }
        ledger.suspensions = state.suspensions;
        ledger
    }
}

impl From<ConsentLedger> for LedgerState {
    fn from(ledger: ConsentLedger) -> Self {
        LedgerState {
            policy: ledger.policy,
            records: ledger.records.into_values().flatten().collect(),
            suspensions: ledger.suspensions,
        }
    }
}

impl ConsentLedger {
    /// An empty ledger answering by `policy`.
    pub fn new(policy: ConsentPolicy) -> Self {
        ConsentLedger {
            policy,
            records: BTreeMap::new(),
            suspensions: Vec::new(),
        }
    }

    /// The policy.
    pub fn policy(&self) -> &ConsentPolicy {
        &self.policy
    }

    /// Number of (contact, channel) records.
    pub fn len(&self) -> usize {
        self.records.values().map(Vec::len).sum()
    }

    /// Whether nothing is recorded.
    pub fn is_empty(&self) -> bool {
        self.records.is_empty()
    }

    /// Every record, by contact then channel.
    pub fn records(&self) -> impl Iterator<Item = &ConsentRecord> {
        self.records.values().flatten()
    }

    /// The record deciding a contact's consent on a channel.
    pub fn get(&self, contact: &ContactId, channel: Channel) -> Option<&ConsentRecord> {
        self.records
            .get(contact)?
            .iter()
            .find(|r| r.channel == channel)
    }

    /// Records a signal; it takes effect only if later than the current record (see
    /// the [module docs](self)).
    pub fn record(&mut self, record: ConsentRecord) -> Recorded {
        let list = self.records.entry(record.contact_id.clone()).or_default();
        match list.iter_mut().find(|r| r.channel == record.channel) {
            Some(current) if !record.supersedes(current) => Recorded::Stale,
            Some(current) => {
                *current = record;
                Recorded::Applied
            }
            None => {
                let pos = list.partition_point(|r| r.channel < record.channel);
                list.insert(pos, record);
                Recorded::Applied
            }
        }
    }

    /// Records a signal from an agent or an import.
    pub fn record_manual(
        &mut self,
        contact: &ContactId,
        channel: Channel,
        status: ConsentStatus,
        evidence: ConsentEvidence,
        at: DateTime<Utc>,
    ) -> Recorded {
        self.record(ConsentRecord {
            contact_id: contact.clone(),
            channel,
            status,
            at,
            evidence,
        })
    }

    /// Records what a contact's message says about consent: a whole-message STOP or
    /// START keyword, or else an `opt_out` among its `intents`. Returns `None` when
    /// the message says nothing about consent.
    pub fn record_message(
        &mut self,
        contact: &ContactId,
        channel: Channel,
        text: &str,
        intents: &[Intent],
        message_id: Option<MessageId>,
        at: DateTime<Utc>,
    ) -> Option<Recorded> {
        let (status, evidence) = match consent_keyword(text) {
            Some((ConsentStatus::OptedOut, k)) => (
                ConsentStatus::OptedOut,
                ConsentEvidence::StopKeyword {
                    keyword: k.to_owned(),
                    message_id,
                },
            ),
            Some((ConsentStatus::OptedIn, k)) => (
                ConsentStatus::OptedIn,
                ConsentEvidence::StartKeyword {
                    keyword: k.to_owned(),
                    message_id,
                },
            ),
            None if intents.contains(&Intent::OptOut) => (
                ConsentStatus::OptedOut,
                ConsentEvidence::Message {
                    text: evidence_text(text),
                    intent: Intent::OptOut,
                    message_id,
                },
            ),
            None => return None,
        };
        if status == ConsentStatus::OptedIn {
            // The contact asked for messages again: no agent needs to decide.
            self.lift_suspension(contact, channel);
        }
        Some(self.record_manual(contact, channel, status, evidence, at))
    }

    /// Records what a normalized event says about consent, for the contact the host
    /// resolved it to: a [`EventKind::Consent`] signal (Telegram block/unblock,
    /// Messenger opt-in, a platform opt-out), or an inbound text that is a STOP/START
    /// keyword. Intent-based opt-outs need the classifier: use
    /// [`record_message`](Self::record_message). Returns `None` when the event says
    /// nothing about consent, as for every group event (a "STOP" written in a group is
    /// not addressed to the business's one-to-one messages).
    pub fn record_event(&mut self, contact: &ContactId, event: &Event) -> Option<Recorded> {
        if event.group_id.is_some() {
            return None;
        }
        let (status, evidence) = match &event.kind {
            EventKind::Consent { signal, detail } => evidence_of(event.channel, *signal, detail),
            EventKind::Message {
                direction: Direction::Inbound,
                content,
                message_id,
                ..
            } => {
                let body = keyword_text(content)?;
                consent_keyword(&body)?;
                return self.record_message(
                    contact,
                    event.channel,
                    &body,
                    &[],
                    Some(message_id.clone()),
                    event.occurred_at,
                );
            }
            _ => return None,
        };
        Some(self.record_manual(contact, event.channel, status, evidence, event.occurred_at))
    }

    /// Whether a marketing message may go to `contact` on `channel` at `now`, and why.
    ///
    /// Denied after an opt-out; denied without a record when the policy requires an
    /// opt-in (the default); denied when the opt-in is dated after `now` or older than
    /// [`ConsentPolicy::opt_in_max_age_days`].
    pub fn may_send_marketing(
        &self,
        contact: &ContactId,
        channel: Channel,
        now: DateTime<Utc>,
    ) -> MarketingDecision {
        if let Some(s) = self.suspension(contact, channel) {
            return MarketingDecision {
                allowed: false,
                record: self.get(contact, channel).cloned(),
                reason: s.to_string(),
            };
        }
        let Some(record) = self.get(contact, channel) else {
            let (allowed, reason) = if self.policy.require_opt_in {
                (
                    false,
                    format!("no consent recorded on {channel}; marketing needs an opt-in"),
                )
            } else {
                (
                    true,
                    format!(
                        "no consent recorded on {channel}; the policy does not require an opt-in"
                    ),
                )
            };
            return MarketingDecision {
                allowed,
                record: None,
                reason,
            };
        };
        let at = record
            .at
            .to_rfc3339_opts(chrono::SecondsFormat::AutoSi, true);
        let (allowed, reason) = match record.status {
            ConsentStatus::OptedOut => (false, format!("opted out at {at}: {}", record.evidence)),
            ConsentStatus::OptedIn if record.at > now => (
                false,
                format!("opt-in is dated {at}, after now: {}", record.evidence),
            ),
            ConsentStatus::OptedIn => match self.policy.opt_in_max_age_days {
                Some(days) if now - record.at > Duration::days(i64::from(days)) => (
                    false,
                    format!(
                        "opt-in at {at} is older than {days} days: {}",
                        record.evidence
                    ),
                ),
                _ => (true, format!("opted in at {at}: {}", record.evidence)),
            },
        };
        MarketingDecision {
            allowed,
            record: Some(record.clone()),
            reason,
        }
    }

    /// Serializes to JSON.
    pub fn to_json(&self) -> String {
        serde_json::to_string(self).expect("a consent ledger always serializes")
    }

    /// Reads a ledger from JSON (duplicate records resolve as if recorded in turn).
    ///
    /// # Errors
    /// [`CoreError::InvalidJson`].
    pub fn from_json(json: &str) -> Result<Self, CoreError> {
        serde_json::from_str(json).map_err(|e| CoreError::json("consent ledger", &e, json))
    }
}

/// The text of a message that may be a keyword: its body, or the title of a tapped
/// button (the "Stop promotions" quick reply). Text variants this module does not
/// name (formatted text) are read through their serialized `body`.
fn keyword_text(content: &MessageContent) -> Option<String> {
    match content {
        MessageContent::Text { body } => Some(body.clone()),
        MessageContent::InteractiveReply { title, .. } => Some(title.clone()),
        MessageContent::Image(_)
        | MessageContent::Audio(_)
        | MessageContent::Video(_)
        | MessageContent::Document(_)
        | MessageContent::Sticker(_)
        | MessageContent::Location { .. }
        | MessageContent::Contacts { .. }
        | MessageContent::Reaction { .. }
        | MessageContent::Order { .. }
        | MessageContent::Unsupported { .. } => None,
        #[allow(unreachable_patterns)]
        other => match serde_json::to_value(other).ok()?.get("body")? {
            serde_json::Value::String(body) => Some(body.clone()),
            _ => None,
        },
    }
}

fn evidence_of(
    channel: Channel,
    signal: ConsentSignal,
    detail: &Option<String>,
) -> (ConsentStatus, ConsentEvidence) {
    let status = match signal {
        ConsentSignal::OptIn => ConsentStatus::OptedIn,
        ConsentSignal::OptOut | ConsentSignal::Blocked => ConsentStatus::OptedOut,
    };
    let evidence = match (channel, signal) {
        (Channel::Telegram, ConsentSignal::Blocked) => ConsentEvidence::TelegramBlock,
        (Channel::Telegram, ConsentSignal::OptIn) => ConsentEvidence::TelegramUnblock,
        (Channel::Messenger, ConsentSignal::OptIn) => ConsentEvidence::MessengerOptIn {
            detail: detail.clone(),
        },
        _ => ConsentEvidence::Platform {
            signal,
            detail: detail.clone(),
        },
    };
    (status, evidence)
}

#[cfg(test)]
mod tests;
