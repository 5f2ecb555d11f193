//! Messages: direction, author, content and delivery status.

use std::fmt;

use chrono::{DateTime, Utc};

use crate::named_enum::named_enum;
use crate::{ConversationId, MessageId};

named_enum!(
    /// Which way a message travelled, seen from the business.
    Direction, "direction", "inbound, outbound", {
        /// From the contact to the business.
        Inbound => "inbound",
        /// From the business to the contact.
        Outbound => "outbound",
    }
);

named_enum!(
    /// Who wrote a message.
    AuthorKind, "author kind", "client, agent, bot, system", {
        /// The contact.
        Client => "client",
        /// A human agent of the business.
        Agent => "agent",
        /// An automated sender of the business.
        Bot => "bot",
        /// The platform itself (number changed, security notice, ...).
        System => "system",
    }
);

named_enum!(
    /// Delivery status of an outbound message, ordered `sent < delivered < read`;
    /// `failed` is terminal.
    DeliveryStatus, "delivery status", "sent, delivered, read, failed", {
        /// Accepted by the platform.
        Sent => "sent",
        /// Reached the contact's device.
        Delivered => "delivered",
        /// Read by the contact.
        Read => "read",
        /// Will not be delivered.
        Failed => "failed",
    }
);

impl DeliveryStatus {
    /// The status after `update` arrives: statuses only move forward, so an older
    /// update (platforms redeliver out of order) changes nothing, and `failed` stays.
    ///
    /// ```
    /// use arichat_core::DeliveryStatus::*;
    /// assert_eq!(Read.apply(Delivered), Read);
    /// assert_eq!(Sent.apply(Read), Read);
    /// assert_eq!(Failed.apply(Read), Failed);
    /// assert_eq!(Delivered.apply(Failed), Failed);
    /// ```
    pub fn apply(self, update: DeliveryStatus) -> DeliveryStatus {
        if self == DeliveryStatus::Failed {
            self
        } else {
            self.max(update)
        }
    }
}

/// What a message carries. Serialized with a `type` tag.
///
/// Anything arichat does not model is kept as [`MessageContent::Unsupported`] with the
/// vendor's raw JSON, never dropped.
///
/// `Debug` shows the type and what the business set (option ids, emoji, catalog), and
/// what the contact wrote or shared (text, captions, places, contact cards, raw JSON)
/// only by size: `Debug` output reaches logs.
#[derive(Clone, PartialEq, serde::Serialize, serde::Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
#[non_exhaustive]
pub enum MessageContent {
    /// Plain text.
    Text {
        /// The text, NFC-normalized.
        body: String,
    },
    /// Text carrying the vendor's formatting/link ranges (Telegram `entities`: bold,
    /// `text_link` URLs, mentions, bot commands, ...). Sent instead of [`MessageContent::Text`]
    /// only when the vendor marks ranges, so nothing the vendor sent is lost.
    FormattedText {
        /// The text, NFC-normalized.
        body: String,
        /// The vendor's range objects as JSON; offsets and lengths count UTF-16 code
        /// units of `body` (after normalization).
        entities: Vec<serde_json::Value>,
    },
    /// A picture.
    Image(Media),
    /// A voice note or audio file.
    Audio(Media),
    /// A video.
    Video(Media),
    /// A file.
    Document(Media),
    /// A sticker.
    Sticker(Media),
    /// A shared location.
    Location {
        /// Latitude in degrees.
        latitude: f64,
        /// Longitude in degrees.
        longitude: f64,
        /// Place name.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        name: Option<String>,
        /// Street address.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        address: Option<String>,
    },
    /// Shared contact cards, as the vendor's JSON.
    Contacts {
        /// The cards.
        contacts: Vec<serde_json::Value>,
    },
    /// A tap on a button, list row or quick reply the business sent.
    InteractiveReply {
        /// The payload or id the business attached to the option.
        id: String,
        /// The option's visible title.
        title: String,
        /// A WhatsApp Flow reply (`nfm_reply`): the reply's `name` (`flow`,
        /// `address_message`, ...); `None` for buttons and lists.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        flow_name: Option<String>,
    },
    /// An emoji reaction to another message (empty emoji removes it).
    Reaction {
        /// The message reacted to.
        message_id: MessageId,
        /// The emoji.
        emoji: String,
    },
    /// A cart sent from a catalog.
    Order {
        /// Catalog id.
        catalog_id: String,
        /// Items as the vendor's JSON.
        items: Vec<serde_json::Value>,
        /// Optional note.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        text: Option<String>,
    },
    /// Anything else, kept whole.
    Unsupported {
        /// The vendor's name for it (for example `"ephemeral"`).
        kind: String,
        /// The vendor's JSON, as the text it arrived in.
        raw: crate::RawJson,
    },
}

impl fmt::Debug for MessageContent {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        use crate::pii::{Keyword, Many, Text};
        match self {
            MessageContent::Text { body } => f.debug_tuple("Text").field(&Text(body)).finish(),
            MessageContent::FormattedText { body, entities } => f
                .debug_struct("FormattedText")
                .field("body", &Text(body))
                .field("entities", &Many(entities))
                .finish(),
            MessageContent::Image(m) => f.debug_tuple("Image").field(m).finish(),
            MessageContent::Audio(m) => f.debug_tuple("Audio").field(m).finish(),
            MessageContent::Video(m) => f.debug_tuple("Video").field(m).finish(),
            MessageContent::Document(m) => f.debug_tuple("Document").field(m).finish(),
            MessageContent::Sticker(m) => f.debug_tuple("Sticker").field(m).finish(),
            MessageContent::Location { .. } => f.write_str("Location(<redacted>)"),
            MessageContent::Contacts { contacts } => {
                f.debug_tuple("Contacts").field(&Many(contacts)).finish()
            }
            MessageContent::InteractiveReply {
                id,
                title,
                flow_name,
            } => f
                .debug_struct("InteractiveReply")
                .field("id", id)
                .field("title", title)
                .field("flow_name", flow_name)
                .finish(),
            MessageContent::Reaction { message_id, emoji } => f
                .debug_struct("Reaction")
                .field("message_id", message_id)
                .field("emoji", emoji)
                .finish(),
            MessageContent::Order {
                catalog_id,
                items,
                text,
            } => f
                .debug_struct("Order")
                .field("catalog_id", catalog_id)
                .field("items", &Many(items))
                .field("text", &text.as_deref().map(Text))
                .finish(),
            MessageContent::Unsupported { kind, raw } => f
                .debug_struct("Unsupported")
                .field("kind", &Keyword(kind))
                .field("raw", raw)
                .finish(),
        }
    }
}

/// A media attachment, by vendor id or URL. `Debug` shows the caption by size only.
#[derive(Clone, PartialEq, Eq, Default, serde::Serialize, serde::Deserialize)]
pub struct Media {
    /// Vendor media id (WhatsApp media id, Telegram file_id).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    /// Direct URL, when the vendor gives one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
    /// MIME type.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub mime_type: Option<String>,
    /// Caption.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub caption: Option<String>,
    /// Original file name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub filename: Option<String>,
    /// Content hash as the vendor gives it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sha256: Option<String>,
}

impl fmt::Debug for Media {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Media")
            .field("id", &self.id)
            .field("url", &self.url)
            .field("mime_type", &self.mime_type)
            .field("caption", &self.caption.as_deref().map(crate::pii::Text))
            .field("filename", &self.filename)
            .field("sha256", &self.sha256)
            .finish()
    }
}

/// One message in a conversation.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Message {
    /// Vendor message id.
    pub id: MessageId,
    /// The conversation it belongs to.
    pub conversation_id: ConversationId,
    /// Inbound or outbound.
    pub direction: Direction,
    /// Who wrote it.
    pub author: AuthorKind,
    /// What it carries.
    pub content: MessageContent,
    /// When the vendor says it was sent (UTC).
    pub sent_at: DateTime<Utc>,
    /// The message this one replies to.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reply_to: Option<MessageId>,
    /// Delivery status, for outbound messages.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status: Option<DeliveryStatus>,
}

impl Message {
    /// Applies a delivery-status update (see [`DeliveryStatus::apply`]); returns whether
    /// the status changed.
    pub fn apply_status(&mut self, update: DeliveryStatus) -> bool {
        let next = match self.status {
            Some(current) => current.apply(update),
            None => update,
        };
        let changed = self.status != Some(next);
        self.status = Some(next);
        changed
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;
    use DeliveryStatus::*;

    #[test]
    fn status_never_moves_backwards() {
        for a in DeliveryStatus::ALL {
            for b in DeliveryStatus::ALL {
                let r = a.apply(*b);
                if *a == Failed {
                    assert_eq!(r, Failed);
                } else {
                    assert!(r >= *a && r >= *b);
                }
            }
        }
    }

    #[test]
    fn message_status_updates_report_change() {
        let mut m = Message {
            id: MessageId::new("wamid.1"),
            conversation_id: ConversationId::new("conv"),
            direction: Direction::Outbound,
            author: AuthorKind::Agent,
            content: MessageContent::Text {
                body: "hola".into(),
            },
            sent_at: Utc.with_ymd_and_hms(2026, 1, 1, 0, 0, 0).unwrap(),
            reply_to: None,
            status: None,
        };
        assert!(m.apply_status(Read));
        assert!(!m.apply_status(Delivered));
        assert_eq!(m.status, Some(Read));
        let v = serde_json::to_value(&m).unwrap();
        assert_eq!(v["content"]["type"], "text");
        assert_eq!(v["content"]["body"], "hola");
        assert_eq!(v["direction"], "outbound");
        assert_eq!(v["status"], "read");
    }

    #[test]
    fn unsupported_content_keeps_raw_json() {
        let raw = serde_json::json!({"type": "ephemeral", "ephemeral": {"x": [1, 2]}});
        let c = MessageContent::Unsupported {
            kind: "ephemeral".into(),
            raw: raw.clone().into(),
        };
        let v = serde_json::to_value(&c).unwrap();
        assert_eq!(v["type"], "unsupported");
        assert_eq!(v["raw"], raw);
        let back: MessageContent = serde_json::from_value(v).unwrap();
        assert_eq!(back, c);
    }

    #[test]
    fn media_content_is_tagged() {
        let c = MessageContent::Image(Media {
            id: Some("m1".into()),
            ..Media::default()
        });
        assert_eq!(
            serde_json::to_value(&c).unwrap(),
            serde_json::json!({"type": "image", "id": "m1"})
        );
    }
}
