//! Meta Conversions API events for business messaging: leads and purchases that
//! happened in a chat, reported back to the ad that started it.
//!
//! Email and phone are normalized (through [`Email`] and [`PhoneNumber`]) and hashed
//! with SHA-256 as Meta requires; the click-to-WhatsApp `ctwa_clid` of the
//! conversation's ad [`Referral`] is carried in the clear (it is an id, not PII).
//! Building the payload needs no network; the client (feature `client`) posts it.

use arichat_core::{Channel, Email, PhoneNumber, Referral};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use serde_json::{json, Map, Value};
use sha2::{Digest, Sha256};

use crate::ChannelError;

/// What happened: the business-messaging event names Meta accepts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub enum ConversionKind {
    /// A qualified lead came from the chat (`LeadSubmitted`).
    LeadSubmitted,
    /// A lead the business qualified (`QualifiedLead`).
    QualifiedLead,
    /// A purchase (`Purchase`), with a value and currency.
    Purchase,
}

impl ConversionKind {
    /// The `event_name` Meta expects.
    pub fn event_name(self) -> &'static str {
        match self {
            ConversionKind::LeadSubmitted => "LeadSubmitted",
            ConversionKind::QualifiedLead => "QualifiedLead",
            ConversionKind::Purchase => "Purchase",
        }
    }
}

/// One conversion to report.
///
/// ```
/// use arichat_channels::conversions::{ConversionEvent, ConversionKind};
/// use arichat_core::{Channel, Email, PhoneNumber, Referral};
/// let mut referral = Referral::default();
/// referral.ctwa_clid = Some("ARAkxyz".into());
/// let event = ConversionEvent::new(ConversionKind::Purchase, Channel::Whatsapp, chrono::Utc::now())
///     .with_email(Email::parse(" Ana@Example.com ").unwrap())
///     .with_phone(PhoneNumber::parse("+52 55 1234 5678", None).unwrap())
///     .with_referral(&referral)
///     .with_value(1250.0, "MXN");
/// let json = event.to_json();
/// assert_eq!(json["event_name"], "Purchase");
/// assert_eq!(json["user_data"]["ctwa_clid"], "ARAkxyz");
/// // sha256("ana@example.com")
/// assert_eq!(json["user_data"]["em"][0].as_str().unwrap().len(), 64);
/// assert!(!json.to_string().contains("ana@example.com"));
/// ```
#[derive(Clone, PartialEq)]
pub struct ConversionEvent {
    /// What happened.
    pub kind: ConversionKind,
    /// The chat's channel (`messaging_channel`).
    pub channel: Channel,
    /// When.
    pub at: DateTime<Utc>,
    /// A stable id so Meta drops duplicates.
    pub event_id: Option<String>,
    /// The contact's email.
    pub email: Option<Email>,
    /// The contact's phone.
    pub phone: Option<PhoneNumber>,
    /// Click-to-WhatsApp click id from the ad referral.
    pub ctwa_clid: Option<String>,
    /// The WhatsApp Business Account id (WhatsApp events).
    pub whatsapp_business_account_id: Option<String>,
    /// The page id (Messenger) or Instagram account id.
    pub page_id: Option<String>,
    /// The contact's PSID / IGSID (Messenger, Instagram).
    pub page_scoped_user_id: Option<String>,
    /// Value and ISO 4217 currency (purchases).
    pub value: Option<(f64, String)>,
}

impl std::fmt::Debug for ConversionEvent {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // Email and phone print masked through their own Debug.
        f.debug_struct("ConversionEvent")
            .field("kind", &self.kind)
            .field("channel", &self.channel)
            .field("at", &self.at)
            .field("event_id", &self.event_id)
            .field("email", &self.email)
            .field("phone", &self.phone)
            .field("ctwa_clid", &self.ctwa_clid)
            .field("value", &self.value)
            .finish_non_exhaustive()
    }
}

impl ConversionEvent {
    /// An event with no user data yet.
    pub fn new(kind: ConversionKind, channel: Channel, at: DateTime<Utc>) -> Self {
        ConversionEvent {
            kind,
            channel,
            at,
            event_id: None,
            email: None,
            phone: None,
            ctwa_clid: None,
            whatsapp_business_account_id: None,
            page_id: None,
            page_scoped_user_id: None,
            value: None,
        }
    }

    /// With the contact's email (hashed when serialized).
    pub fn with_email(mut self, email: Email) -> Self {
        self.email = Some(email);
        self
    }

    /// With the contact's phone (hashed when serialized).
    pub fn with_phone(mut self, phone: PhoneNumber) -> Self {
        self.phone = Some(phone);
        self
    }

    /// With the ad referral's click id, when it has one.
    pub fn with_referral(mut self, referral: &Referral) -> Self {
        if let Some(clid) = &referral.ctwa_clid {
            self.ctwa_clid = Some(clid.clone());
        }
        self
    }

    /// With a value in an ISO 4217 currency.
    pub fn with_value(mut self, value: f64, currency: impl Into<String>) -> Self {
        self.value = Some((value, currency.into()));
        self
    }

    /// With a deduplication id.
    pub fn with_event_id(mut self, id: impl Into<String>) -> Self {
        self.event_id = Some(id.into());
        self
    }

    /// The event as one element of the Conversions API `data` array.
    pub fn to_json(&self) -> Value {
        let mut user = Map::new();
        if let Some(email) = &self.email {
            user.insert("em".into(), json!([hash_email(email)]));
        }
        if let Some(phone) = &self.phone {
            user.insert("ph".into(), json!([hash_phone(phone)]));
        }
        let ids = [
            ("ctwa_clid", &self.ctwa_clid),
            (
                "whatsapp_business_account_id",
                &self.whatsapp_business_account_id,
            ),
            ("page_id", &self.page_id),
            ("page_scoped_user_id", &self.page_scoped_user_id),
        ];
        for (key, value) in ids {
            if let Some(v) = value {
                user.insert(key.into(), v.as_str().into());
            }
        }
        let mut event = json!({
            "event_name": self.kind.event_name(),
            "event_time": self.at.timestamp(),
            "action_source": "business_messaging",
            "messaging_channel": self.channel.as_str(),
            "user_data": user,
        });
        if let Some(id) = &self.event_id {
            event["event_id"] = id.as_str().into();
        }
        if let Some((value, currency)) = &self.value {
            event["custom_data"] = json!({ "value": value, "currency": currency });
        }
        event
    }
}

/// The JSON form of a [`ConversionEvent`] that bindings and files pass in: the Meta
/// event name, the channel, an RFC 3339 time, and optional contact data in the clear
/// (normalized and hashed here).
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ConversionInput {
    event_name: ConversionKind,
    channel: Channel,
    at: DateTime<Utc>,
    #[serde(default)]
    event_id: Option<String>,
    #[serde(default)]
    email: Option<String>,
    #[serde(default)]
    phone: Option<String>,
    #[serde(default)]
    ctwa_clid: Option<String>,
    #[serde(default)]
    whatsapp_business_account_id: Option<String>,
    #[serde(default)]
    page_id: Option<String>,
    #[serde(default)]
    page_scoped_user_id: Option<String>,
    #[serde(default)]
    value: Option<f64>,
    #[serde(default)]
    currency: Option<String>,
}

impl ConversionEvent {
    /// Reads an event from its JSON form:
    ///
    /// ```
    /// use arichat_channels::conversions::ConversionEvent;
    /// let event = ConversionEvent::from_json_value(serde_json::json!({
    ///     "event_name": "LeadSubmitted", "channel": "whatsapp", "at": "2026-05-01T12:00:00Z",
    ///     "phone": "5215512345678", "ctwa_clid": "ARAk"
    /// })).unwrap();
    /// assert_eq!(event.to_json()["user_data"]["ctwa_clid"], "ARAk");
    /// ```
    ///
    /// `phone` is E.164 (`+52…`) or the digits with country code (a WhatsApp `wa_id`);
    /// `value` needs `currency`. Fails with [`ChannelError::InvalidJson`] on a wrong
    /// shape and [`ChannelError::Core`] on an invalid email or phone.
    pub fn from_json_value(value: Value) -> Result<Self, ChannelError> {
        let input: ConversionInput =
            serde_json::from_value(value).map_err(|e| ChannelError::InvalidJson {
                // No text to point into: the kind of error and the field, no value.
                reason: crate::json::reason(&e, ""),
            })?;
        let mut event = ConversionEvent::new(input.event_name, input.channel, input.at);
        event.event_id = input.event_id;
        if let Some(raw) = input.email {
            event.email = Some(Email::parse(&raw)?);
        }
        if let Some(raw) = input.phone {
            let digits_only = !raw.is_empty() && raw.bytes().all(|b| b.is_ascii_digit());
            event.phone = Some(if digits_only {
                PhoneNumber::from_wa_id(&raw)?
            } else {
                PhoneNumber::parse(&raw, None)?
            });
        }
        event.ctwa_clid = input.ctwa_clid;
        event.whatsapp_business_account_id = input.whatsapp_business_account_id;
        event.page_id = input.page_id;
        event.page_scoped_user_id = input.page_scoped_user_id;
        match (input.value, input.currency) {
            (Some(v), Some(c)) => event.value = Some((v, c)),
            (None, None) => {}
            _ => {
                return Err(ChannelError::InvalidJson {
                    reason: "value and currency go together".into(),
                })
            }
        }
        Ok(event)
    }
}

/// SHA-256 (lowercase hex) of the normalized email (trimmed, lowercased).
pub fn hash_email(email: &Email) -> String {
    sha256_hex(email.as_str().trim().to_lowercase().as_bytes())
}

/// SHA-256 (lowercase hex) of the phone's digits with country code, no `+`.
pub fn hash_phone(phone: &PhoneNumber) -> String {
    sha256_hex(phone.digits().as_bytes())
}

fn sha256_hex(bytes: &[u8]) -> String {
    hex::encode(Sha256::digest(bytes))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn json_input_is_validated() {
        let ok = ConversionEvent::from_json_value(json!({
            "event_name": "Purchase", "channel": "messenger", "at": "2026-05-01T12:00:00Z",
            "email": " Ana@Example.com", "phone": "+55 11 91234 5678",
            "page_id": "P1", "page_scoped_user_id": "PSID", "value": 10.5, "currency": "BRL"
        }))
        .unwrap();
        assert_eq!(ok.to_json()["messaging_channel"], "messenger");
        assert_eq!(ok.to_json()["custom_data"]["currency"], "BRL");
        for bad in [
            json!({"event_name": "Purchase", "channel": "whatsapp", "at": "2026-05-01T12:00:00Z", "email": "nope"}),
            json!({"event_name": "Purchase", "channel": "whatsapp", "at": "2026-05-01T12:00:00Z", "value": 3}),
            json!({"event_name": "Bought", "channel": "whatsapp", "at": "2026-05-01T12:00:00Z"}),
            json!({"event_name": "Purchase", "channel": "whatsapp", "at": "2026-05-01T12:00:00Z", "emial": "x"}),
        ] {
            assert!(ConversionEvent::from_json_value(bad).is_err());
        }
    }

    #[test]
    fn hashes_match_independently_computed_digests() {
        // `printf 'ana@example.com' | sha256sum` and `printf '525512345678' | sha256sum`.
        let email = Email::parse("  ANA@example.COM").unwrap();
        assert_eq!(
            hash_email(&email),
            "8e43ca37701228e74983efdbd0cff5c16b3b1e5d4e29a7c05626d4d25a018e11"
        );
        assert_eq!(
            hash_phone(&PhoneNumber::parse("+52 55 1234 5678", None).unwrap()),
            "8f9d0944329b5338c6fb86f293ceb39385b596254748dd3628ec62f55c334811"
        );
    }
}
