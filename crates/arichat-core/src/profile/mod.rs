//! Customer profiles: what the events say about one contact, kept up to date in
//! constant time per event, merged when two identities turn out to be one person, and
//! read by scorecards and campaign rules as fields of a [`LeadRecord`](crate::scoring::LeadRecord).
//!
//! - [`Profile`]: first and last seen, counts per channel and direction with half-life
//!   decay, preferred channel and active hours, language, last intents, interests,
//!   money mentioned or paid per currency, agent response times, consent, identities.
//! - [`Observation`]: what one event contributes; [`ProfileBuilder`] makes it from an
//!   [`Event`](crate::Event) (classifying the text once) so that replaying the same
//!   events rebuilds the same profiles.
//! - [`RfmCuts`]: recency / frequency / monetary scores 1–5 with cut points a data team
//!   fits on its own profiles.
//!
//! ```
//! use arichat_core::profile::{ProfileBuilder, ProfileConfig, ProfileSet};
//! use arichat_core::{AuthorKind, Channel, ChannelAccountId, ChannelIdentity, ContactRef};
//! use arichat_core::{Direction, Event, EventKind, MessageContent, MessageId};
//! use chrono::{TimeZone, Utc};
//!
//! let builder = ProfileBuilder::new(ProfileConfig::default().with_interests(["tubo", "credito"]));
//! let mut profiles = ProfileSet::new(builder);
//! let contact = ContactRef {
//!     identity: ChannelIdentity::whatsapp("573001234567").unwrap(),
//!     display_name: None,
//!     phone: None,
//! };
//! let event = Event::new(
//!     "whatsapp:p1:msg:1".into(), Channel::Whatsapp, ChannelAccountId::new("p1"),
//!     Some(contact), Utc.with_ymd_and_hms(2026, 12, 3, 15, 0, 0).unwrap(),
//!     EventKind::Message {
//!         message_id: MessageId::new("wamid.1"), direction: Direction::Inbound,
//!         author: AuthorKind::Client,
//!         content: MessageContent::Text { body: "cuánto cuestan los tubos?".into() },
//!         reply_to: None, forwarded: false, referral: None,
//!     },
//! );
//! let profile = profiles.apply(&event).unwrap();
//! assert_eq!(profile.messages_in, 1);
//! assert_eq!(profile.interest_terms(), vec!["tubo"]);
//! assert!(profiles.get("whatsapp:wa_id:573001234567").is_some());
//! ```

mod builder;
mod decay;
mod profile_set;
mod record;
mod rfm;

use std::collections::{BTreeMap, BTreeSet, VecDeque};
use std::fmt;

use chrono::{DateTime, Duration, Timelike, Utc};
use serde::{Deserialize, Serialize};

use crate::intent::{Intent, Language};
use crate::message::{AuthorKind, Direction};
use crate::{Channel, ConsentSignal};

pub use self::builder::{event_identity_keys, ProfileBuilder, ProfileConfig, ProfileOptions};
pub use self::decay::Decayed;
pub use self::profile_set::ProfileSet;
pub use self::rfm::{Rfm, RfmCuts};

/// How many recent intents a profile keeps.
pub const RECENT_INTENTS: usize = 5;

/// An amount of money in a currency's minor units (cents, centavos; whole pesos for
/// CLP), never a float.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Money {
    /// ISO 4217 code (`COP`, `BRL`, `MXN`, ...).
    pub currency: String,
    /// Minor units.
    pub minor: i64,
}

/// What one event tells about a contact: made by [`ProfileBuilder::observe`] from an
/// event, or by the host for facts that come from elsewhere (a payment recorded in its
/// own system).
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Observation {
    /// When it happened.
    pub at: Option<DateTime<Utc>>,
    /// The channel, when it came through one.
    pub channel: Option<Channel>,
    /// The direction and author of a message; `None` for other events.
    pub message: Option<(Direction, AuthorKind)>,
    /// The identity keys of the contact on that channel (`whatsapp:wa_id:…`,
    /// `telegram:user:…`).
    pub identities: Vec<String>,
    /// The language of the contact's message, when known.
    pub language: Option<Language>,
    /// The primary intent of the contact's message, unless uncertain.
    pub intent: Option<Intent>,
    /// Interest terms the message mentions (already folded).
    pub interests: Vec<String>,
    /// Amounts the contact mentioned.
    pub mentioned: Vec<Money>,
    /// Amounts the contact paid.
    pub paid: Vec<Money>,
    /// A consent change.
    pub consent: Option<ConsentSignal>,
    /// Whether the event happened in a group (counted as seen, not as engagement).
    pub in_group: bool,
}

/// Counts of one channel.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct ChannelActivity {
    /// Messages from the contact, decayed.
    pub inbound: Decayed,
    /// Messages to the contact, decayed.
    pub outbound: Decayed,
    /// The contact's last message on this channel.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_inbound: Option<DateTime<Utc>>,
}

/// Money per currency.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct MoneyTotals {
    /// Sum of the amounts mentioned, minor units.
    pub mentioned_minor: i64,
    /// How many amounts were mentioned.
    pub mentions: u32,
    /// Sum of the amounts paid, minor units.
    pub paid_minor: i64,
    /// How many payments.
    pub payments: u32,
}

/// How fast agents answer the contact: from the first unanswered message to the next
/// agent message.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ResponseTimes {
    /// Answers measured.
    pub count: u32,
    /// Their sum, seconds.
    pub total_secs: u64,
    /// The slowest, seconds.
    pub max_secs: u64,
    /// The last, seconds.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_secs: Option<u64>,
}

impl ResponseTimes {
    /// The mean, seconds; `None` before the first answer.
    pub fn mean_secs(&self) -> Option<u64> {
        (self.count > 0).then(|| self.total_secs / u64::from(self.count))
    }

    fn record(&mut self, secs: u64) {
        self.count += 1;
        self.total_secs = self.total_secs.saturating_add(secs);
        self.max_secs = self.max_secs.max(secs);
        self.last_secs = Some(secs);
    }

    fn merge(&mut self, other: &ResponseTimes) {
        self.count += other.count;
        self.total_secs = self.total_secs.saturating_add(other.total_secs);
        self.max_secs = self.max_secs.max(other.max_secs);
        if self.last_secs.is_none() {
            self.last_secs = other.last_secs;
        }
    }
}

/// The consent a profile last saw.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct ConsentState {
    /// Opt-in, opt-out or blocked.
    pub signal: ConsentSignal,
    /// When.
    pub at: DateTime<Utc>,
}

/// One recent intent.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct IntentAt {
    /// The intent.
    pub intent: Intent,
    /// When the message said it.
    pub at: DateTime<Utc>,
}

/// Everything arichat knows about one contact (see the module doc). Serializes with
/// serde; `Debug` shows counts, not identities.
#[derive(Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Profile {
    /// Identity keys (`whatsapp:wa_id:…`, `whatsapp:bsuid:…`, `messenger:psid:…`,
    /// `telegram:user:…`), all that were found to be this person.
    pub identities: BTreeSet<String>,
    /// First event.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub first_seen: Option<DateTime<Utc>>,
    /// Last event.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_seen: Option<DateTime<Utc>>,
    /// The contact's last message (any channel).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_inbound: Option<DateTime<Utc>>,
    /// Messages from the contact, all time.
    pub messages_in: u64,
    /// Messages to the contact, all time.
    pub messages_out: u64,
    /// Per channel, decayed.
    pub channels: BTreeMap<Channel, ChannelActivity>,
    /// The contact's messages per local hour of the day (the config's UTC offset).
    pub hours: [u32; 24],
    /// The contact's messages per language.
    pub languages: BTreeMap<Language, u32>,
    /// The last intents, newest last.
    pub recent_intents: VecDeque<IntentAt>,
    /// Interest terms mentioned, decayed; at most the config's cap.
    pub interests: BTreeMap<String, Decayed>,
    /// Money per currency.
    pub money: BTreeMap<String, MoneyTotals>,
    /// Agents' response times.
    pub response: ResponseTimes,
    /// The contact's first message since the last agent or bot answer.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub waiting_since: Option<DateTime<Utc>>,
    /// The last consent change.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub consent: Option<ConsentState>,
}

impl Profile {
    /// Applies one observation: constant time (the interest map and the intent ring
    /// are bounded by the config).
    pub fn apply(&mut self, obs: &Observation, config: &ProfileConfig) {
        for id in &obs.identities {
            if !self.identities.contains(id) {
                self.identities.insert(id.clone());
            }
        }
        let Some(at) = obs.at else {
            return;
        };
        self.first_seen = Some(self.first_seen.map_or(at, |f| f.min(at)));
        self.last_seen = Some(self.last_seen.map_or(at, |l| l.max(at)));
        if let Some(signal) = obs.consent {
            if self.consent.is_none_or(|c| c.at <= at) {
                self.consent = Some(ConsentState { signal, at });
            }
        }
        for m in &obs.paid {
            let totals = self.money.entry(m.currency.clone()).or_default();
            totals.paid_minor = totals.paid_minor.saturating_add(m.minor);
            totals.payments += 1;
        }
        let Some((direction, author)) = obs.message else {
            return;
        };
        if obs.in_group {
            return;
        }
        let hl = config.half_life;
        match direction {
            Direction::Inbound => {
                self.messages_in += 1;
                self.last_inbound = Some(self.last_inbound.map_or(at, |l| l.max(at)));
                if let Some(channel) = obs.channel {
                    let activity = self.channels.entry(channel).or_default();
                    activity.inbound.add(at, 1.0, hl);
                    activity.last_inbound = Some(activity.last_inbound.map_or(at, |l| l.max(at)));
                }
                let local = at + config.utc_offset;
                self.hours[local.hour() as usize] += 1;
                if let Some(lang) = obs.language.filter(|l| *l != Language::Unknown) {
                    *self.languages.entry(lang).or_default() += 1;
                }
                if let Some(intent) = obs.intent {
                    self.recent_intents.push_back(IntentAt { intent, at });
                    if self.recent_intents.len() > RECENT_INTENTS {
                        self.recent_intents.pop_front();
                    }
                }
                for term in &obs.interests {
                    self.interests
                        .entry(term.clone())
                        .or_default()
                        .add(at, 1.0, hl);
                }
                self.cap_interests(config, at);
                for m in &obs.mentioned {
                    let totals = self.money.entry(m.currency.clone()).or_default();
                    totals.mentioned_minor = totals.mentioned_minor.saturating_add(m.minor);
                    totals.mentions += 1;
                }
                if self.waiting_since.is_none() {
                    self.waiting_since = Some(at);
                }
            }
            Direction::Outbound => {
                self.messages_out += 1;
                if let Some(channel) = obs.channel {
                    self.channels
                        .entry(channel)
                        .or_default()
                        .outbound
                        .add(at, 1.0, hl);
                }
                if matches!(author, AuthorKind::Agent | AuthorKind::Bot) {
                    if let Some(since) = self.waiting_since.take() {
                        let secs = (at - since).num_seconds().max(0) as u64;
                        if author == AuthorKind::Agent {
                            self.response.record(secs);
                        }
                    }
                }
            }
        }
    }

    /// Keeps the config's number of interests, dropping the weakest as of `now` (ties:
    /// the alphabetically last).
    fn cap_interests(&mut self, config: &ProfileConfig, now: DateTime<Utc>) {
        while self.interests.len() > config.max_interests {
            let weakest = self
                .interests
                .iter()
                .min_by(|a, b| {
                    let (va, vb) = (
                        a.1.value_at(now, config.half_life),
                        b.1.value_at(now, config.half_life),
                    );
                    va.total_cmp(&vb).then_with(|| b.0.cmp(a.0))
                })
                .map(|(k, _)| k.clone());
            match weakest {
                Some(k) => self.interests.remove(&k),
                None => break,
            };
        }
    }

    /// Folds `other` (the same person, found under another identity) into this
    /// profile: identities united, counts added, first/last seen widened, the newer
    /// consent kept, recent intents interleaved by time.
    pub fn merge(&mut self, other: &Profile, config: &ProfileConfig) {
        let hl = config.half_life;
        self.identities.extend(other.identities.iter().cloned());
        let min = |a: Option<DateTime<Utc>>, b| match (a, b) {
            (Some(x), Some(y)) => Some(std::cmp::min(x, y)),
            (x, y) => x.or(y),
        };
        let max = |a: Option<DateTime<Utc>>, b| match (a, b) {
            (Some(x), Some(y)) => Some(std::cmp::max(x, y)),
            (x, y) => x.or(y),
        };
        self.first_seen = min(self.first_seen, other.first_seen);
        self.last_seen = max(self.last_seen, other.last_seen);
        self.last_inbound = max(self.last_inbound, other.last_inbound);
        self.waiting_since = min(self.waiting_since, other.waiting_since);
        self.messages_in += other.messages_in;
        self.messages_out += other.messages_out;
        for (channel, theirs) in &other.channels {
            let ours = self.channels.entry(*channel).or_default();
            ours.inbound.merge(&theirs.inbound, hl);
            ours.outbound.merge(&theirs.outbound, hl);
            ours.last_inbound = max(ours.last_inbound, theirs.last_inbound);
        }
        for (h, n) in self.hours.iter_mut().zip(other.hours) {
            *h += n;
        }
        for (lang, n) in &other.languages {
            *self.languages.entry(*lang).or_default() += n;
        }
        let mut intents: Vec<IntentAt> = self
            .recent_intents
            .iter()
            .chain(&other.recent_intents)
            .copied()
            .collect();
        intents.sort_by_key(|i| i.at);
        let skip = intents.len().saturating_sub(RECENT_INTENTS);
        self.recent_intents = intents.into_iter().skip(skip).collect();
        for (term, d) in &other.interests {
            self.interests.entry(term.clone()).or_default().merge(d, hl);
        }
        if let Some(now) = self.last_seen {
            self.cap_interests(config, now);
        }
        for (currency, t) in &other.money {
            let ours = self.money.entry(currency.clone()).or_default();
            ours.mentioned_minor = ours.mentioned_minor.saturating_add(t.mentioned_minor);
            ours.mentions += t.mentions;
            ours.paid_minor = ours.paid_minor.saturating_add(t.paid_minor);
            ours.payments += t.payments;
        }
        self.response.merge(&other.response);
        if let Some(theirs) = other.consent {
            if self.consent.is_none_or(|c| c.at < theirs.at) {
                self.consent = Some(theirs);
            }
        }
    }

    /// The channel the contact writes on most (decayed, as of `now`); ties go to the
    /// channel written on last.
    pub fn preferred_channel(&self, now: DateTime<Utc>, config: &ProfileConfig) -> Option<Channel> {
        self.channels
            .iter()
            .filter(|(_, a)| a.inbound.at.is_some())
            .max_by(|a, b| {
                let (va, vb) = (
                    a.1.inbound.value_at(now, config.half_life),
                    b.1.inbound.value_at(now, config.half_life),
                );
                va.total_cmp(&vb)
                    .then_with(|| a.1.last_inbound.cmp(&b.1.last_inbound))
            })
            .map(|(c, _)| *c)
    }

    /// The local hour (0–23) the contact writes most in; ties go to the earliest.
    pub fn active_hour(&self) -> Option<u32> {
        let (hour, n) = self
            .hours
            .iter()
            .enumerate()
            .max_by(|a, b| a.1.cmp(b.1).then_with(|| b.0.cmp(&a.0)))?;
        (*n > 0).then_some(hour as u32)
    }

    /// The language most of the contact's messages were in.
    pub fn language(&self) -> Option<Language> {
        self.languages
            .iter()
            .max_by(|a, b| a.1.cmp(b.1).then_with(|| b.0.cmp(a.0)))
            .map(|(l, _)| *l)
    }

    /// The interest terms, strongest first (by decayed count as of the last event).
    pub fn interest_terms(&self) -> Vec<&str> {
        let mut terms: Vec<(&String, f64)> =
            self.interests.iter().map(|(k, d)| (k, d.value)).collect();
        terms.sort_by(|a, b| b.1.total_cmp(&a.1).then_with(|| a.0.cmp(b.0)));
        terms.into_iter().map(|(k, _)| k.as_str()).collect()
    }

    /// Days (fractional) since the contact's last message.
    pub fn days_since_inbound(&self, now: DateTime<Utc>) -> Option<f64> {
        self.last_inbound
            .map(|t| (now - t).num_seconds().max(0) as f64 / 86_400.0)
    }

    /// Messages from the contact over all channels, decayed to `now`.
    pub fn inbound_weight(&self, now: DateTime<Utc>, config: &ProfileConfig) -> f64 {
        self.channels
            .values()
            .map(|a| a.inbound.value_at(now, config.half_life))
            .sum()
    }

    /// The currency the contact paid (or else mentioned) most in, by count.
    pub fn main_currency(&self) -> Option<&str> {
        self.money
            .iter()
            .max_by_key(|(c, t)| (t.payments, t.mentions, std::cmp::Reverse(c.as_str())))
            .map(|(c, _)| c.as_str())
    }
}

impl fmt::Debug for Profile {
    // Identities hold phone numbers: counts and times only.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Profile")
            .field("identities", &self.identities.len())
            .field("first_seen", &self.first_seen)
            .field("last_seen", &self.last_seen)
            .field("messages_in", &self.messages_in)
            .field("messages_out", &self.messages_out)
            .field("channels", &self.channels.keys().collect::<Vec<_>>())
            .field("interests", &self.interests.len())
            .field("currencies", &self.money.keys().collect::<Vec<_>>())
            .field("consent", &self.consent.map(|c| c.signal))
            .finish_non_exhaustive()
    }
}

/// The default half-life of the decayed counts: 30 days.
pub const DEFAULT_HALF_LIFE: Duration = Duration::days(30);
