//! CloudEvents 1.0: every normalized [`Event`](arichat_core::Event), and arichat's own
//! derived events, in the envelope buses and functions speak.
//!
//! - [`CloudEvent`]: the attributes (`id` = the event's idempotency key, so a
//!   consumer's deduplication equals ours; `source` = `/<channel>/<account>`; a
//!   versioned `type` such as `com.arichat.message.v1`; `time`, `subject`,
//!   `datacontenttype`) and the extensions `tenant`, `channel`, `lead` and
//!   `partitionkey` (the Partitioning extension: one contact's events in order).
//! - Formats: structured JSON, one event or a batch (`application/cloudevents+json`,
//!   `application/cloudevents-batch+json`), the HTTP binary mode (`ce-` headers, the
//!   data as the body) in [`http`], and the Google Pub/Sub shapes (publish body,
//!   push-delivery body) in [`pubsub`], each produced and parsed.
//!
//! ```
//! use arichat_channels::cloudevents::CloudEvent;
//! use arichat_channels::{normalize, NormalizeOptions};
//! use arichat_core::Channel;
//! let body = br#"{"update_id": 7, "message": {"message_id": 5, "date": 1700000000,
//!   "chat": {"id": 42, "type": "private"}, "from": {"id": 42, "is_bot": false, "first_name": "Ana"},
//!   "text": "hola"}}"#;
//! let options = NormalizeOptions::new(chrono::Utc::now()).with_account("7012345678");
//! let events = normalize(Channel::Telegram, body, &options).unwrap();
//! let ce = CloudEvent::from_event(&events[0]);
//! assert_eq!(ce.id, "telegram:7012345678:7");
//! assert_eq!(ce.source, "/telegram/7012345678");
//! assert_eq!(ce.ty, "com.arichat.message.v1");
//! let json = ce.to_json();
//! assert_eq!(CloudEvent::from_json(&json).unwrap(), ce);
//! ```

mod event;
pub mod http;
pub mod pubsub;

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use serde_json::Value;

pub use event::DerivedKind;

/// The CloudEvents version written and accepted.
pub const SPEC_VERSION: &str = "1.0";
/// The media type of one structured-mode event.
pub const STRUCTURED: &str = "application/cloudevents+json";
/// The media type of a batch of structured-mode events.
pub const BATCH: &str = "application/cloudevents-batch+json";

/// One CloudEvent (specversion 1.0). Extension attributes are kept by name
/// (lowercase letters and digits, as the specification requires).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CloudEvent {
    /// Unique per `source`: the idempotency key for arichat's events.
    pub id: String,
    /// Where it happened: `/<channel>/<account>` for arichat's events.
    pub source: String,
    /// Always `"1.0"`.
    pub specversion: String,
    /// The versioned kind, e.g. `com.arichat.message.v1`.
    #[serde(rename = "type")]
    pub ty: String,
    /// When it happened.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub time: Option<DateTime<Utc>>,
    /// What it is about within the source: the contact's id on the channel.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub subject: Option<String>,
    /// The media type of `data` (`application/json` for arichat's events).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub datacontenttype: Option<String>,
    /// The payload: the event as arichat serializes it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub data: Option<Value>,
    /// Extension attributes (`tenant`, `channel`, `lead`, `partitionkey`, ...).
    #[serde(flatten)]
    pub extensions: BTreeMap<String, Value>,
}

/// Why a CloudEvent could not be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum EnvelopeError {
    /// Not JSON, or not a CloudEvent (a required attribute missing or of the wrong
    /// type); the reason names the field, never a value.
    #[error("not a CloudEvent: {0}")]
    Invalid(String),
    /// A `specversion` other than 1.0.
    #[error("unsupported CloudEvents specversion")]
    UnsupportedVersion,
    /// An extension name that is not lowercase letters and digits (at most 20).
    #[error("invalid CloudEvents extension name")]
    InvalidExtensionName,
}

impl EnvelopeError {
    /// A stable snake_case code, the same in every binding.
    pub fn code(&self) -> &'static str {
        self.error_code().as_str()
    }

    /// The code as a closed set.
    pub fn error_code(&self) -> crate::ChannelErrorCode {
        use crate::ChannelErrorCode as Code;
        match self {
            EnvelopeError::Invalid(_) => Code::InvalidCloudevent,
            EnvelopeError::UnsupportedVersion => Code::UnsupportedSpecversion,
            EnvelopeError::InvalidExtensionName => Code::InvalidExtensionName,
        }
    }
}

/// Whether `name` is a valid attribute name: 1–20 lowercase ASCII letters or digits.
pub fn is_valid_name(name: &str) -> bool {
    (1..=20).contains(&name.len())
        && name
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit())
}

impl CloudEvent {
    /// Sets (or replaces) an extension attribute.
    ///
    /// # Errors
    /// [`EnvelopeError::InvalidExtensionName`] for a name that is not 1–20 lowercase
    /// letters and digits, or one of the specification's own attributes.
    pub fn with_extension(
        mut self,
        name: &str,
        value: impl Into<Value>,
    ) -> Result<Self, EnvelopeError> {
        const RESERVED: [&str; 9] = [
            "id",
            "source",
            "specversion",
            "type",
            "time",
            "subject",
            "datacontenttype",
            "dataschema",
            "data",
        ];
        if !is_valid_name(name) || RESERVED.contains(&name) {
            return Err(EnvelopeError::InvalidExtensionName);
        }
        self.extensions.insert(name.to_owned(), value.into());
        Ok(self)
    }

    /// An extension attribute's value as text, if set.
    pub fn extension(&self, name: &str) -> Option<String> {
        match self.extensions.get(name)? {
            Value::String(s) => Some(s.clone()),
            other => Some(other.to_string()),
        }
    }

    /// The structured-mode JSON of this event (`application/cloudevents+json`).
    pub fn to_json(&self) -> String {
        serde_json::to_string(self).unwrap_or_default()
    }

    /// Reads one structured-mode event.
    ///
    /// # Errors
    /// [`EnvelopeError`] when it is not a CloudEvent 1.0.
    pub fn from_json(text: &str) -> Result<Self, EnvelopeError> {
        let value: Value = serde_json::from_str(text).map_err(|e| invalid(&e))?;
        Self::from_value(value)
    }

    /// A batch of structured-mode events (`application/cloudevents-batch+json`).
    pub fn batch_to_json(events: &[CloudEvent]) -> String {
        serde_json::to_string(events).unwrap_or_default()
    }

    /// Reads a batch of structured-mode events.
    ///
    /// # Errors
    /// [`EnvelopeError`] when it is not an array of CloudEvents 1.0.
    pub fn batch_from_json(text: &str) -> Result<Vec<Self>, EnvelopeError> {
        let values: Vec<Value> = serde_json::from_str(text).map_err(|e| invalid(&e))?;
        values.into_iter().map(Self::from_value).collect()
    }

    fn from_value(value: Value) -> Result<Self, EnvelopeError> {
        if value.get("specversion").and_then(Value::as_str) != Some(SPEC_VERSION)
            && value.get("specversion").is_some()
        {
            return Err(EnvelopeError::UnsupportedVersion);
        }
        let event: CloudEvent = serde_json::from_value(value).map_err(|e| invalid(&e))?;
        if event.extensions.keys().any(|k| !is_valid_name(k)) {
            return Err(EnvelopeError::InvalidExtensionName);
        }
        if event.id.is_empty() || event.source.is_empty() || event.ty.is_empty() {
            return Err(EnvelopeError::Invalid(
                "id, source and type must not be empty".into(),
            ));
        }
        Ok(event)
    }
}

/// A serde error as a reason without values: its category, line and column.
fn invalid(e: &serde_json::Error) -> EnvelopeError {
    let what = match e.classify() {
        serde_json::error::Category::Io => "unreadable",
        serde_json::error::Category::Syntax => "not JSON",
        serde_json::error::Category::Data => {
            "a required attribute is missing or has the wrong type"
        }
        serde_json::error::Category::Eof => "truncated JSON",
    };
    EnvelopeError::Invalid(format!("{what} (line {}, column {})", e.line(), e.column()))
}
