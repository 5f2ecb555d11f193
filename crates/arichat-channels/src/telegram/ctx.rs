//! What every event of one Telegram body shares ([`Ctx`]: the bot, the options, the
//! event builder, the naming of unsupported kinds) and who wrote a message
//! ([`Source`]): read by the update mapping and by the Business-account mapping alike,
//! so neither reads the other.

use arichat_core::{Channel, ChannelAccountId, ContactRef, Event, EventKind, MessageId};
use chrono::{DateTime, TimeZone, Utc};

use crate::key::KeyBuilder;
use crate::{ChannelError, NormalizeOptions};

/// What every event of one body shares.
pub(super) struct Ctx<'o> {
    pub account: ChannelAccountId,
    pub options: &'o NormalizeOptions,
}

impl<'o> Ctx<'o> {
    /// # Errors
    /// `account_required` without `options.account`: the update does not name its bot.
    pub fn new(options: &'o NormalizeOptions) -> Result<Self, ChannelError> {
        let account = options
            .account
            .clone()
            .ok_or(ChannelError::AccountRequired {
                channel: Channel::Telegram,
            })?;
        Ok(Ctx { account, options })
    }

    /// Unix seconds to UTC; missing, zero (Telegram's "inaccessible" date) or out of
    /// range falls back to the time the body was received.
    pub(super) fn time(&self, secs: Option<i64>) -> DateTime<Utc> {
        secs.filter(|s| *s > 0)
            .and_then(|s| Utc.timestamp_opt(s, 0).single())
            .unwrap_or(self.options.received_at)
    }

    pub(super) fn event(
        &self,
        update_id: i64,
        contact: Option<ContactRef>,
        occurred_at: DateTime<Utc>,
        kind: EventKind,
    ) -> Event {
        let key = KeyBuilder::new(Channel::Telegram, self.account.as_str(), 12)
            .part_fmt(format_args!("{update_id}"))
            .finish();
        Event::new(
            key,
            Channel::Telegram,
            self.account.clone(),
            contact,
            occurred_at,
            kind,
        )
    }

    /// The whole update kept raw, from its JSON text. The key derives from
    /// `update_id` when there is one, else from a hash of the JSON.
    pub fn unsupported(
        &self,
        update_id: Option<i64>,
        raw: &[u8],
        contact: Option<ContactRef>,
        occurred_at: Option<DateTime<Utc>>,
        field: Option<&str>,
    ) -> Event {
        let raw: serde_json::Value = serde_json::from_slice(raw).unwrap_or_default();
        self.unsupported_value(update_id, raw, contact, occurred_at, field)
    }

    /// An update that did not read: its text and why, keyed by its `update_id` when
    /// it has one.
    pub fn invalid(&self, update_id: Option<i64>, raw: &str, reason: String) -> Event {
        let value = serde_json::from_str(raw).unwrap_or_default();
        let vendor_kind = vendor_kind(&value, None);
        let Some(id) = update_id else {
            return crate::unsupported::invalid(
                Channel::Telegram,
                self.account.clone(),
                &vendor_kind,
                reason,
                raw,
                None,
                self.options,
            );
        };
        let kind = EventKind::InvalidItem {
            vendor_kind,
            reason,
            raw: raw.to_owned(),
        };
        self.event(id, None, self.options.received_at, kind)
    }

    /// The whole update kept raw, already as JSON.
    pub fn unsupported_value(
        &self,
        update_id: Option<i64>,
        raw: serde_json::Value,
        contact: Option<ContactRef>,
        occurred_at: Option<DateTime<Utc>>,
        field: Option<&str>,
    ) -> Event {
        let vendor_kind = vendor_kind(&raw, field);
        let Some(id) = update_id else {
            let mut e = crate::unsupported::event(
                Channel::Telegram,
                self.account.clone(),
                &vendor_kind,
                raw,
                occurred_at,
                self.options,
            );
            e.contact = contact;
            return e;
        };
        let kind = EventKind::Unsupported { vendor_kind, raw };
        let at = occurred_at.unwrap_or(self.options.received_at);
        self.event(id, contact, at, kind)
    }
}

pub(super) fn message_id(chat: i64, id: i64) -> MessageId {
    MessageId::new(format!("{chat}:{id}"))
}

/// Who wrote a message, seen from the bot.
#[derive(Clone, Copy)]
pub(super) enum Source {
    /// `message`: a person (or another bot) writing to the bot or in a group with it.
    Chat,
    /// `channel_post`: the business's own channel (a bot only gets posts of channels it
    /// administers).
    Channel,
    /// `business_message`: a private chat of a business account the bot manages; the
    /// chat is the client, the sender the client or the business.
    Business,
}

impl Source {
    pub(super) fn field(self, edited: bool) -> &'static str {
        match (self, edited) {
            (Source::Chat, false) => "message",
            (Source::Chat, true) => "edited_message",
            (Source::Channel, false) => "channel_post",
            (Source::Channel, true) => "edited_channel_post",
            (Source::Business, false) => "business_message",
            (Source::Business, true) => "edited_business_message",
        }
    }
}

/// Message fields every message may have, skipped when naming an unsupported one.
const COMMON_MESSAGE_FIELDS: &[&str] = &[
    "message_id",
    "message_thread_id",
    "from",
    "sender_chat",
    "sender_boost_count",
    "sender_business_bot",
    "date",
    "edit_date",
    "business_connection_id",
    "chat",
    "is_topic_message",
    "is_automatic_forward",
    "has_protected_content",
    "is_from_offline",
    "media_group_id",
    "author_signature",
    "via_bot",
    "reply_markup",
    "reply_to_message",
    "external_reply",
    "quote",
    "reply_to_story",
    "effect_id",
    "is_paid_post",
    "paid_star_count",
    "forward_origin",
    "forward_from",
    "forward_from_chat",
    "forward_from_message_id",
    "forward_signature",
    "forward_sender_name",
    "forward_date",
    "caption",
    "caption_entities",
    "entities",
    "link_preview_options",
    "show_caption_above_media",
    "has_media_spoiler",
];

/// `"<update kind>"`, or `"<update kind>.<first uncommon field>"` for a message that
/// was not mapped (`"message.new_chat_members"`).
fn vendor_kind(raw: &serde_json::Value, field: Option<&str>) -> String {
    let Some(obj) = raw.as_object() else {
        return "update".to_owned();
    };
    let kind = field
        .map(str::to_owned)
        .or_else(|| obj.keys().find(|k| *k != "update_id").cloned())
        .unwrap_or_else(|| "update".to_owned());
    let is_message = matches!(
        field,
        Some(
            "message"
                | "edited_message"
                | "channel_post"
                | "edited_channel_post"
                | "business_message"
                | "edited_business_message"
        )
    );
    let sub = obj
        .get(&kind)
        .and_then(|v| v.as_object())
        .filter(|_| is_message)
        .and_then(|m| {
            m.keys()
                .find(|k| !COMMON_MESSAGE_FIELDS.contains(&k.as_str()))
        });
    match sub {
        Some(sub) => format!("{kind}.{sub}"),
        None => kind,
    }
}
