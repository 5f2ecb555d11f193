//! The one event model every channel's webhook traffic is normalized into.

use chrono::{DateTime, Utc};

use crate::{
    AuthorKind, Channel, ChannelAccountId, ChannelIdentity, DeliveryStatus, Direction, GroupId,
    MessageContent, MessageId, PhoneNumber, TenantId,
};

/// One normalized webhook event.
///
/// Produced by `arichat-channels` from a vendor body; `tenant_id` is filled in by
/// routing (see [`crate::TenantDirectory`]).
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Event {
    /// Idempotency key: the same vendor event always gets the same key, so a
    /// redelivery is recognised (see [`crate::dedup`]).
    pub idempotency_key: String,
    /// The channel it came from.
    pub channel: Channel,
    /// The business's account the event was addressed to (phone_number_id, page id,
    /// Instagram account id, bot id).
    pub channel_account_id: ChannelAccountId,
    /// The tenant owning that account, once routed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tenant_id: Option<TenantId>,
    /// The contact on the other side, when the event concerns one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub contact: Option<ContactRef>,
    /// When the vendor says it happened (UTC).
    #[serde(serialize_with = "utc_seconds::serialize")]
    pub occurred_at: DateTime<Utc>,
    /// The Telegram Business connection the event came through (a chat of a business
    /// account the bot manages): a reply must carry it to be sent as the business.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub business_connection_id: Option<String>,
    /// The group the event happened in: a message written in a WhatsApp group (the
    /// contact is the participant who wrote it), or the status of a message sent to
    /// one (the contact is the participant it concerns). A group event belongs to the
    /// group's conversation ([`crate::Conversation::for_group`]), never to the
    /// participant's one-to-one thread or lead: it earns no engagement and changes no
    /// consent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub group_id: Option<GroupId>,
    /// What happened.
    #[serde(flatten)]
    pub kind: EventKind,
}

impl Event {
    /// An event as a vendor module produces it: not yet routed to a tenant
    /// (`tenant_id` is `None` until [`crate::TenantDirectory`] fills it in).
    pub fn new(
        idempotency_key: String,
        channel: Channel,
        channel_account_id: ChannelAccountId,
        contact: Option<ContactRef>,
        occurred_at: DateTime<Utc>,
        kind: EventKind,
    ) -> Self {
        Event {
            idempotency_key,
            channel,
            channel_account_id,
            tenant_id: None,
            contact,
            occurred_at,
            business_connection_id: None,
            group_id: None,
            kind,
        }
    }

    /// Sets the group the event happened in.
    pub fn in_group(mut self, group_id: Option<GroupId>) -> Self {
        self.group_id = group_id;
        self
    }
}

/// `occurred_at` as chrono writes it, without chrono's formatter for the usual case.
///
/// chrono serializes a `DateTime<Utc>` through `Display`, which hands the serializer one
/// character at a time (~3,000 instructions an event, more than the rest of a
/// status event's fields). A time on whole seconds in years 0-9999 (every vendor
/// timestamp) is written here as `YYYY-MM-DDTHH:MM:SSZ`, the text chrono gives it;
/// any other time goes through chrono.
mod utc_seconds {
    use chrono::{DateTime, Datelike, Timelike, Utc};
    use serde::{Serialize, Serializer};

    pub fn serialize<S: Serializer>(t: &DateTime<Utc>, s: S) -> Result<S::Ok, S::Error> {
        let year = t.year();
        if t.nanosecond() != 0 || !(0..=9999).contains(&year) {
            return t.serialize(s);
        }
        let mut b = *b"0000-00-00T00:00:00Z";
        let mut put = |at: usize, n: u32, width: usize| {
            let mut n = n;
            for i in (at..at + width).rev() {
                b[i] = b'0' + (n % 10) as u8;
                n /= 10;
            }
        };
        put(0, year.unsigned_abs(), 4);
        put(5, t.month(), 2);
        put(8, t.day(), 2);
        put(11, t.hour(), 2);
        put(14, t.minute(), 2);
        put(17, t.second(), 2);
        // Only ASCII digits and separators were written.
        s.serialize_str(std::str::from_utf8(&b).unwrap_or_default())
    }
}

/// The contact an event is about, as far as the vendor tells. `Debug` masks the id,
/// the name and the phone.
#[derive(Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct ContactRef {
    /// Their id on the channel.
    pub identity: ChannelIdentity,
    /// Profile name, when sent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub display_name: Option<String>,
    /// Phone in E.164, when the channel reveals one (a WhatsApp wa_id, a Telegram contact).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub phone: Option<PhoneNumber>,
}

impl std::fmt::Debug for ContactRef {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ContactRef")
            .field("identity", &self.identity)
            .field(
                "display_name",
                &self.display_name.as_deref().map(crate::pii::Name),
            )
            .field("phone", &self.phone)
            .finish()
    }
}

/// An ad or link that brought the contact (click-to-WhatsApp, m.me links, ...).
#[derive(Debug, Clone, PartialEq, Eq, Default, serde::Serialize, serde::Deserialize)]
pub struct Referral {
    /// The URL the contact clicked.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source_url: Option<String>,
    /// Ad or post id.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source_id: Option<String>,
    /// `ad`, `post`, `SHORTLINK`, ... as the vendor names it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source_type: Option<String>,
    /// Ad headline.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub headline: Option<String>,
    /// Click id for conversion reporting (WhatsApp `ctwa_clid`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ctwa_clid: Option<String>,
    /// A `ref` parameter (Messenger m.me links).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub r#ref: Option<String>,
}

/// Why consent changed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ConsentSignal {
    /// The contact opted in (a Messenger opt-in, a Telegram unblock).
    OptIn,
    /// The contact opted out (a STOP, a marketing-messages stop).
    OptOut,
    /// The contact blocked the bot (Telegram `my_chat_member` kicked).
    Blocked,
}

impl ConsentSignal {
    /// The snake_case name (`opt_in`, `opt_out`, `blocked`), as serialized.
    pub fn as_str(self) -> &'static str {
        match self {
            ConsentSignal::OptIn => "opt_in",
            ConsentSignal::OptOut => "opt_out",
            ConsentSignal::Blocked => "blocked",
        }
    }
}

/// What happened. Serialized flat into [`Event`] with a `kind` tag.
///
/// `Debug` shows ids, kinds and statuses; what a contact wrote or shared (message
/// content, raw vendor JSON, vendor error details) only by size.
#[derive(Clone, PartialEq, serde::Serialize, serde::Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
#[non_exhaustive]
pub enum EventKind {
    /// A message, inbound from the contact or an echo of the business's own.
    Message {
        /// Vendor message id.
        message_id: MessageId,
        /// Inbound or outbound.
        direction: Direction,
        /// Who wrote it.
        author: AuthorKind,
        /// What it carries.
        content: MessageContent,
        /// The message it replies to.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        reply_to: Option<MessageId>,
        /// Whether the contact forwarded it.
        #[serde(default, skip_serializing_if = "std::ops::Not::not")]
        forwarded: bool,
        /// The ad or link that started it.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        referral: Option<Referral>,
    },
    /// A message was edited.
    MessageEdited {
        /// The edited message.
        message_id: MessageId,
        /// Its new content.
        content: MessageContent,
    },
    /// A message was deleted or unsent.
    MessageDeleted {
        /// The deleted message.
        message_id: MessageId,
    },
    /// Delivery status of a message the business sent.
    Status {
        /// The message.
        message_id: MessageId,
        /// The new status.
        status: DeliveryStatus,
        /// Vendor errors for a failure, untouched.
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        errors: Vec<serde_json::Value>,
        /// Vendor conversation/pricing information, untouched.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        billing: Option<serde_json::Value>,
    },
    /// Everything up to a watermark was read (Messenger/Instagram `read`).
    Read {
        /// Read up to this time.
        watermark: DateTime<Utc>,
    },
    /// Messages up to a watermark were delivered (Messenger `delivery`).
    Delivered {
        /// Delivered up to this time.
        watermark: DateTime<Utc>,
        /// The ids delivered, when sent.
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        message_ids: Vec<MessageId>,
    },
    /// A tap on a button whose payload the business set (Messenger postback, Telegram
    /// callback query).
    Postback {
        /// The payload.
        payload: String,
        /// The button title, when sent.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        title: Option<String>,
        /// The message the button was on.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        message_id: Option<MessageId>,
    },
    /// The contact arrived through an ad or link without a message.
    Referral {
        /// The referral.
        referral: Referral,
    },
    /// Consent changed.
    Consent {
        /// Opt-in, opt-out or blocked.
        signal: ConsentSignal,
        /// Vendor detail (an opt-in ref, a new chat member status).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        detail: Option<String>,
    },
    /// A WhatsApp user's ids changed (a `user_changed_user_id` or `user_changed_number`
    /// system message, a `user_id_update` webhook). The event's contact carries the
    /// ids as they were; [`crate::ContactBook::apply`] re-keys the contact in place.
    IdentityChanged {
        /// Each id that changed, old and new.
        changes: Vec<crate::IdentityChange>,
    },
    /// Something arichat does not map yet, kept whole.
    Unsupported {
        /// The vendor's name for it.
        vendor_kind: String,
        /// The vendor's JSON, as the text it arrived in.
        raw: crate::RawJson,
    },
    /// One item of a valid body that is malformed (a field of the wrong type, a number
    /// out of range, JSON that does not parse): kept as its raw text with the reason,
    /// while the rest of the body is delivered. The reason names the field and the
    /// position, never a value from the body.
    InvalidItem {
        /// The vendor's name for what the item should have been (`message`, `status`,
        /// `entry`, `update`, ...).
        vendor_kind: String,
        /// Why it was not read, e.g. `invalid type: string, expected u64 at
        /// message.message_id (line 1, column 40)`.
        reason: String,
        /// The item's JSON text exactly as received.
        raw: String,
    },
}

impl std::fmt::Debug for EventKind {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        use crate::pii::{Json, Keyword, Many, Text};
        match self {
            EventKind::Message {
                message_id,
                direction,
                author,
                content,
                reply_to,
                forwarded,
                referral,
            } => f
                .debug_struct("Message")
                .field("message_id", message_id)
                .field("direction", direction)
                .field("author", author)
                .field("content", content)
                .field("reply_to", reply_to)
                .field("forwarded", forwarded)
                .field("referral", referral)
                .finish(),
            EventKind::MessageEdited {
                message_id,
                content,
            } => f
                .debug_struct("MessageEdited")
                .field("message_id", message_id)
                .field("content", content)
                .finish(),
            EventKind::MessageDeleted { message_id } => f
                .debug_struct("MessageDeleted")
                .field("message_id", message_id)
                .finish(),
            EventKind::Status {
                message_id,
                status,
                errors,
                billing,
            } => f
                .debug_struct("Status")
                .field("message_id", message_id)
                .field("status", status)
                .field("errors", &Many(errors))
                .field("billing", &billing.as_ref().map(Json))
                .finish(),
            EventKind::IdentityChanged { changes } => f
                .debug_struct("IdentityChanged")
                .field("changes", changes)
                .finish(),
            EventKind::Read { watermark } => f
                .debug_struct("Read")
                .field("watermark", watermark)
                .finish(),
            EventKind::Delivered {
                watermark,
                message_ids,
            } => f
                .debug_struct("Delivered")
                .field("watermark", watermark)
                .field("message_ids", message_ids)
                .finish(),
            EventKind::Postback {
                payload,
                title,
                message_id,
            } => f
                .debug_struct("Postback")
                .field("payload", &Text(payload))
                .field("title", title)
                .field("message_id", message_id)
                .finish(),
            EventKind::Referral { referral } => f
                .debug_struct("Referral")
                .field("referral", referral)
                .finish(),
            EventKind::Consent { signal, detail } => f
                .debug_struct("Consent")
                .field("signal", signal)
                .field("detail", detail)
                .finish(),
            EventKind::Unsupported { vendor_kind, raw } => f
                .debug_struct("Unsupported")
                .field("vendor_kind", &Keyword(vendor_kind))
                .field("raw", raw)
                .finish(),
            EventKind::InvalidItem {
                vendor_kind,
                reason,
                raw,
            } => f
                .debug_struct("InvalidItem")
                .field("vendor_kind", &Keyword(vendor_kind))
                .field("reason", reason)
                .field("raw", &Text(raw))
                .finish(),
        }
    }
}

impl EventKind {
    /// The `kind` tag as serialized.
    pub fn name(&self) -> &'static str {
        match self {
            EventKind::Message { .. } => "message",
            EventKind::MessageEdited { .. } => "message_edited",
            EventKind::MessageDeleted { .. } => "message_deleted",
            EventKind::Status { .. } => "status",
            EventKind::Read { .. } => "read",
            EventKind::Delivered { .. } => "delivered",
            EventKind::Postback { .. } => "postback",
            EventKind::Referral { .. } => "referral",
            EventKind::Consent { .. } => "consent",
            EventKind::IdentityChanged { .. } => "identity_changed",
            EventKind::Unsupported { .. } => "unsupported",
            EventKind::InvalidItem { .. } => "invalid_item",
        }
    }
}

impl Event {
    /// Whether this is a message the contact sent (it opens or extends the
    /// customer-service window).
    pub fn is_inbound_message(&self) -> bool {
        matches!(
            self.kind,
            EventKind::Message {
                direction: Direction::Inbound,
                ..
            }
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    /// What a contact is or wrote never reaches `Debug`: not the wa_id, the phone, the
    /// name, the text, a shared contact card or unmapped JSON.
    #[test]
    fn debug_masks_contact_data() {
        use crate::{ChannelIdentity, MessageContent, MessageId, PhoneNumber};
        let planted = ["573001234567", "ana.perez@example.com", "Pérez", "calle 12"];
        let contact = Some(ContactRef {
            identity: ChannelIdentity::whatsapp("573001234567").unwrap(),
            display_name: Some("Ana Pérez".into()),
            phone: Some(PhoneNumber::from_wa_id("573001234567").unwrap()),
        });
        let card = serde_json::json!({"phones": [{"phone": "+57 300 1234567"}],
            "emails": [{"email": "ana.perez@example.com"}]});
        let contents = [
            MessageContent::Text {
                body: "soy Ana Pérez, 573001234567, ana.perez@example.com".into(),
            },
            MessageContent::Contacts {
                contacts: vec![card.clone()],
            },
            MessageContent::Location {
                latitude: 4.6,
                longitude: -74.1,
                name: Some("calle 12".into()),
                address: None,
            },
            MessageContent::Unsupported {
                kind: "x".into(),
                raw: card.clone().into(),
            },
        ];
        let mut kinds: Vec<EventKind> = contents
            .into_iter()
            .map(|content| EventKind::Message {
                message_id: MessageId::new("m1"),
                direction: Direction::Inbound,
                author: AuthorKind::Client,
                content,
                reply_to: None,
                forwarded: false,
                referral: None,
            })
            .collect();
        kinds.push(EventKind::Unsupported {
            vendor_kind: "contacts".into(),
            raw: card.into(),
        });
        kinds.push(EventKind::InvalidItem {
            vendor_kind: "message".into(),
            reason: "invalid type".into(),
            raw: r#"{"from":"573001234567","email":"ana.perez@example.com"}"#.into(),
        });
        for kind in kinds {
            let event = Event {
                idempotency_key: "k".into(),
                channel: Channel::Whatsapp,
                channel_account_id: "PN".into(),
                tenant_id: None,
                contact: contact.clone(),
                occurred_at: Utc.timestamp_opt(0, 0).unwrap(),
                business_connection_id: None,
                group_id: None,
                kind,
            };
            let dbg = format!("{event:?} {event:#?}");
            for p in planted {
                assert!(!dbg.contains(p), "{p} in {dbg}");
            }
            assert!(dbg.contains("57********67"), "{dbg}");
        }
    }

    /// `occurred_at` is written exactly as chrono writes it, on and off the fast path.
    #[test]
    fn occurred_at_text_is_chrono_s() {
        #[derive(serde::Serialize)]
        struct At(#[serde(serialize_with = "utc_seconds::serialize")] DateTime<Utc>);
        let check = |t: DateTime<Utc>| {
            assert_eq!(
                serde_json::to_string(&At(t)).unwrap(),
                serde_json::to_string(&t).unwrap(),
                "{t:?}"
            );
        };
        let mut seconds: Vec<i64> = vec![
            0,
            -1,
            1_700_000_000,
            951_782_400,     // 2000-02-29
            -62_167_219_200, // 0000-01-01
            -62_167_219_201,
            253_402_300_799, // 9999-12-31T23:59:59
            253_402_300_800,
        ];
        let mut x: i64 = 0x2545_f491_4f6c_dd1d;
        for _ in 0..2000 {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            seconds.push(x.rem_euclid(400_000_000_000) - 100_000_000_000);
        }
        for s in seconds {
            for nanos in [0, 1, 123_000_000, 999_999_999] {
                if let Some(t) = Utc.timestamp_opt(s, nanos).single() {
                    check(t);
                }
            }
        }
    }

    #[test]
    fn serializes_flat_with_kind_tag() {
        let e = Event {
            idempotency_key: "whatsapp:msg:wamid.1".into(),
            channel: Channel::Whatsapp,
            channel_account_id: "106540352242922".into(),
            tenant_id: None,
            contact: Some(ContactRef {
                identity: ChannelIdentity::whatsapp("573001234567").unwrap(),
                display_name: Some("Ana".into()),
                phone: PhoneNumber::from_wa_id("573001234567").ok(),
            }),
            occurred_at: Utc.timestamp_opt(1_700_000_000, 0).unwrap(),
            business_connection_id: None,
            group_id: None,
            kind: EventKind::Message {
                message_id: "wamid.1".into(),
                direction: Direction::Inbound,
                author: AuthorKind::Client,
                content: MessageContent::Text {
                    body: "hola".into(),
                },
                reply_to: None,
                forwarded: false,
                referral: None,
            },
        };
        let v = serde_json::to_value(&e).unwrap();
        assert_eq!(v["kind"], "message");
        assert_eq!(v["content"]["type"], "text");
        assert_eq!(v["contact"]["phone"], "+573001234567");
        assert_eq!(v["occurred_at"], "2023-11-14T22:13:20Z");
        assert!(v.get("forwarded").is_none());
        let back: Event = serde_json::from_value(v).unwrap();
        assert_eq!(back, e);
        assert!(e.is_inbound_message());
        assert_eq!(e.kind.name(), "message");
    }
}
