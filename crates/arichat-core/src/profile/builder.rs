//! [`ProfileBuilder`]: the one place an [`Event`] becomes an [`Observation`] — its
//! text classified once, its interest terms found, its identities keyed — and the
//! settings every profile is kept with.

use std::sync::Arc;

use chrono::Duration;

use super::{Money, Observation, DEFAULT_HALF_LIFE};
use crate::event::{Event, EventKind};
use crate::intent::{fold::fold_word, HybridClassifier, IntentClassifier};
use crate::message::{Direction, MessageContent};
use crate::ChannelIdentity;

/// How profiles are kept: half-life of the decayed counts, the tenant's UTC offset for
/// active hours, the interest terms to look for and how many a profile keeps.
///
/// ```
/// use arichat_core::profile::ProfileConfig;
/// use chrono::Duration;
/// let config = ProfileConfig::default()
///     .with_half_life(Duration::days(14))
///     .with_utc_offset(Duration::hours(-5))
///     .with_interests(["Tubos", "crédito"]);
/// assert_eq!(config.interests(), ["credito", "tubos"]);
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct ProfileConfig {
    pub(crate) half_life: Duration,
    pub(crate) utc_offset: Duration,
    pub(crate) max_interests: usize,
    interests: Vec<String>,
}

impl Default for ProfileConfig {
    fn default() -> Self {
        ProfileConfig {
            half_life: DEFAULT_HALF_LIFE,
            utc_offset: Duration::zero(),
            max_interests: Self::DEFAULT_MAX_INTERESTS,
            interests: Vec::new(),
        }
    }
}

impl ProfileConfig {
    /// Default number of interest terms a profile keeps.
    pub const DEFAULT_MAX_INTERESTS: usize = 20;

    /// The half-life of decayed counts (default 30 days; at least one second).
    pub fn with_half_life(mut self, half_life: Duration) -> Self {
        self.half_life = half_life.max(Duration::seconds(1));
        self
    }

    /// The tenant's offset from UTC, for active hours (clamped to ±14 h).
    pub fn with_utc_offset(mut self, offset: Duration) -> Self {
        self.utc_offset = offset.clamp(Duration::hours(-14), Duration::hours(14));
        self
    }

    /// How many interest terms a profile keeps (default 20; at least 1).
    pub fn with_max_interests(mut self, max: usize) -> Self {
        self.max_interests = max.max(1);
        self
    }

    /// The product words that count as interests: one word each, matched
    /// case- and accent-insensitively, plural `s`/`es` included.
    pub fn with_interests<S: AsRef<str>>(mut self, terms: impl IntoIterator<Item = S>) -> Self {
        let mut folded: Vec<String> = terms
            .into_iter()
            .map(|t| fold_word(t.as_ref().trim()))
            .filter(|t| !t.is_empty())
            .collect();
        folded.sort();
        folded.dedup();
        self.interests = folded;
        self
    }

    /// The interest terms, folded and sorted.
    pub fn interests(&self) -> &[String] {
        &self.interests
    }

    /// The half-life of decayed counts.
    pub fn half_life(&self) -> Duration {
        self.half_life
    }
}

/// The settings of a [`ProfileConfig`] as the bindings receive them (keyword
/// arguments, an options object, JSON): every field optional, `None` keeping the
/// default.
///
/// ```
/// use arichat_core::profile::ProfileOptions;
/// let options: ProfileOptions =
///     serde_json::from_str(r#"{"interests": ["Tubo"], "half_life_days": 14}"#).unwrap();
/// let config = options.into_config();
/// assert_eq!(config.interests(), ["tubo"]);
/// assert_eq!(config.half_life(), chrono::Duration::days(14));
/// ```
#[derive(Debug, Clone, Default, PartialEq, serde::Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct ProfileOptions {
    /// [`ProfileConfig::with_interests`].
    pub interests: Option<Vec<String>>,
    /// [`ProfileConfig::with_half_life`], in days.
    pub half_life_days: Option<f64>,
    /// [`ProfileConfig::with_utc_offset`], in minutes.
    pub utc_offset_minutes: Option<i64>,
    /// [`ProfileConfig::with_max_interests`].
    pub max_interests: Option<usize>,
}

impl ProfileOptions {
    /// The config: defaults, then each option given.
    pub fn into_config(self) -> ProfileConfig {
        let mut c = ProfileConfig::default();
        if let Some(terms) = self.interests {
            c = c.with_interests(terms);
        }
        if let Some(days) = self.half_life_days.filter(|d| d.is_finite() && *d > 0.0) {
            let ms = (days * 86_400_000.0).min(i64::MAX as f64 / 2.0) as i64;
            c = c.with_half_life(Duration::milliseconds(ms));
        }
        if let Some(m) = self.utc_offset_minutes {
            c = c.with_utc_offset(Duration::minutes(m.clamp(-24 * 60, 24 * 60)));
        }
        if let Some(m) = self.max_interests {
            c = c.with_max_interests(m);
        }
        c
    }
}

/// Turns events into observations with one classifier and one config.
#[derive(Clone)]
pub struct ProfileBuilder {
    config: ProfileConfig,
    classifier: Arc<dyn IntentClassifier>,
}

impl std::fmt::Debug for ProfileBuilder {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ProfileBuilder")
            .field("config", &self.config)
            .finish_non_exhaustive()
    }
}

impl Default for ProfileBuilder {
    fn default() -> Self {
        ProfileBuilder::new(ProfileConfig::default())
    }
}

impl ProfileBuilder {
    /// A builder with the built-in intent classifier.
    pub fn new(config: ProfileConfig) -> Self {
        ProfileBuilder {
            config,
            classifier: Arc::new(HybridClassifier::new()),
        }
    }

    /// Replaces the classifier (a tenant's lexicon, a cascade's local model).
    pub fn with_classifier(mut self, classifier: Arc<dyn IntentClassifier>) -> Self {
        self.classifier = classifier;
        self
    }

    /// The config.
    pub fn config(&self) -> &ProfileConfig {
        &self.config
    }

    /// What `event` tells about its contact. Events without a contact observe nothing
    /// but their time.
    pub fn observe(&self, event: &Event) -> Observation {
        let mut obs = Observation {
            at: Some(event.occurred_at),
            channel: Some(event.channel),
            in_group: event.group_id.is_some(),
            ..Observation::default()
        };
        obs.identities = event_identity_keys(event);
        match &event.kind {
            EventKind::Message {
                direction,
                author,
                content,
                ..
            } => {
                obs.message = Some((*direction, *author));
                if *direction == Direction::Inbound && !obs.in_group {
                    if let Some(text) = content_text(content) {
                        let c = self.classifier.classify(text);
                        obs.language = Some(c.language);
                        obs.intent = (!c.uncertain).then_some(c.primary);
                        obs.interests = self.interests_in(text);
                    }
                }
            }
            EventKind::Consent { signal, .. } => obs.consent = Some(*signal),
            // The new ids join the old ones, so the profile follows the person.
            EventKind::IdentityChanged { changes } => {
                if let Some(ChannelIdentity::Whatsapp(w)) =
                    event.contact.as_ref().map(|c| &c.identity)
                {
                    let mut renamed = w.clone();
                    for change in changes {
                        let _ = change.apply(&mut renamed);
                    }
                    for key in identity_keys(&ChannelIdentity::Whatsapp(renamed)) {
                        if !obs.identities.contains(&key) {
                            obs.identities.push(key);
                        }
                    }
                }
            }
            _ => {}
        }
        obs
    }

    /// The configured interest terms `text` mentions, each once, in config order.
    pub fn interests_in(&self, text: &str) -> Vec<String> {
        if self.config.interests.is_empty() {
            return Vec::new();
        }
        let mut found: Vec<String> = Vec::new();
        for word in text.split(|c: char| !c.is_alphanumeric()) {
            if word.is_empty() {
                continue;
            }
            let w = fold_word(word);
            let stem = w
                .strip_suffix("es")
                .filter(|s| {
                    self.config
                        .interests
                        .binary_search_by(|t| t.as_str().cmp(s))
                        .is_ok()
                })
                .or_else(|| w.strip_suffix('s'))
                .unwrap_or(&w);
            for candidate in [w.as_str(), stem] {
                if let Ok(i) = self
                    .config
                    .interests
                    .binary_search_by(|t| t.as_str().cmp(candidate))
                {
                    let term = &self.config.interests[i];
                    if !found.contains(term) {
                        found.push(term.clone());
                    }
                    break;
                }
            }
        }
        found
    }

    /// Adds amounts to an observation (the host's money parser, a recorded payment).
    pub fn with_money(
        mut obs: Observation,
        mentioned: Vec<Money>,
        paid: Vec<Money>,
    ) -> Observation {
        obs.mentioned.extend(mentioned);
        obs.paid.extend(paid);
        obs
    }
}

/// The text of a message the classifier reads: its body, a tapped button's title, a
/// media caption.
fn content_text(content: &MessageContent) -> Option<&str> {
    match content {
        MessageContent::Text { body } | MessageContent::FormattedText { body, .. } => Some(body),
        MessageContent::InteractiveReply { title, .. } => Some(title),
        MessageContent::Image(m) | MessageContent::Video(m) | MessageContent::Document(m) => {
            m.caption.as_deref()
        }
        _ => None,
    }
}

/// The identity keys of an event's contact, as profiles are found by: every id of
/// its channel identity (`<channel>:<kind>:<id>`) and `phone:<E.164>` when known. A
/// scheduled job partitions events by the first one.
pub fn event_identity_keys(event: &Event) -> Vec<String> {
    let Some(contact) = &event.contact else {
        return Vec::new();
    };
    let mut keys = identity_keys(&contact.identity);
    if let Some(phone) = &contact.phone {
        keys.push(format!("phone:{}", phone.as_str()));
    }
    keys
}

/// Every key an identity is known by: `<channel>:<kind>:<id>`.
pub(crate) fn identity_keys(identity: &ChannelIdentity) -> Vec<String> {
    match identity {
        ChannelIdentity::Whatsapp(w) => {
            let mut keys = Vec::new();
            if let Some(wa_id) = w.wa_id() {
                keys.push(format!("whatsapp:wa_id:{wa_id}"));
            }
            if let Some(b) = w.user_id() {
                keys.push(format!("whatsapp:bsuid:{}", b.as_str()));
            }
            if let Some(b) = w.parent_user_id() {
                keys.push(format!("whatsapp:parent:{}", b.as_str()));
            }
            keys
        }
        ChannelIdentity::Messenger { psid } => vec![format!("messenger:psid:{psid}")],
        ChannelIdentity::Instagram { igsid } => vec![format!("instagram:igsid:{igsid}")],
        ChannelIdentity::Telegram { user_id } => vec![format!("telegram:user:{user_id}")],
        ChannelIdentity::Mattermost { user_id } => vec![format!("mattermost:user:{user_id}")],
    }
}
