//! What every event of one Telegram body shares ([`Ctx`]: the bot, the options, the
//! event builder, the naming of unsupported kinds) and who wrote a message
//! ([`Source`]): read by the update mapping and by the Business-account mapping alike,
//! so neither reads the other.

use arichat_core::{Channel, ChannelAccountId, ContactRef, Event, EventKind, MessageId, RawJson};
use chrono::{DateTime, TimeZone, Utc};
use serde_json::value::RawValue;

use crate::fields::Fields;
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
        let (raw, vendor_kind) = kept(raw, field);
        self.unsupported_raw(update_id, raw, vendor_kind, contact, occurred_at)
    }

    /// An update that did not read: its text and why, keyed by its `update_id` when
    /// it has one.
    pub fn invalid(&self, update_id: Option<i64>, raw: &str, reason: String) -> Event {
        let (_, vendor_kind) = kept(raw.as_bytes(), None);
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

    /// The whole update kept raw, already as JSON text, with its vendor kind.
    pub fn unsupported_raw(
        &self,
        update_id: Option<i64>,
        raw: RawJson,
        vendor_kind: String,
        contact: Option<ContactRef>,
        occurred_at: Option<DateTime<Utc>>,
    ) -> Event {
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

/// An update's text kept as [`RawJson`], and its vendor kind: `"<update kind>"`, or
/// `"<update kind>.<first uncommon field>"` for a message that was not mapped
/// (`"message.new_chat_members"`). Without `field`, the kind is the first key other
/// than `update_id` in sorted order, and so is the uncommon field.
///
/// Two passes over the text and no tree: one finds the members, one checks each
/// (numbers, nesting: what a `Value` reads) and names the kind's fields; the members
/// are then written out from their text.
pub(super) fn kept(raw: &[u8], field: Option<&str>) -> (RawJson, String) {
    let Some(fields) = std::str::from_utf8(raw).ok().and_then(Fields::parse) else {
        // Not an object (an item of `getUpdates`' result can be anything).
        let raw = std::str::from_utf8(raw)
            .ok()
            .and_then(|text| serde_json::from_str::<&RawValue>(text).ok())
            .map_or_else(RawJson::default, crate::fields::keep);
        return (raw, "update".to_owned());
    };
    let kind = field
        .map(str::to_owned)
        .or_else(|| {
            fields
                .sorted_names()
                .into_iter()
                .find(|k| *k != "update_id")
                .map(str::to_owned)
        })
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
    let mut readable = true;
    let mut kind_fields = Vec::new();
    for (name, value) in &fields.0 {
        // Only a message's own fields are named; everything else is only checked.
        let checked = if is_message && *name == kind {
            crate::fields::names(value).map(|names| kind_fields = names)
        } else {
            crate::fields::check(value)
        };
        readable &= checked.is_ok();
    }
    let raw = if readable {
        fields.to_raw_json()
    } else {
        RawJson::of(std::str::from_utf8(raw).unwrap_or_default())
    };
    kind_fields.sort_unstable();
    let sub = kind_fields
        .iter()
        .find(|k| !COMMON_MESSAGE_FIELDS.contains(&k.as_ref()));
    let vendor_kind = match sub {
        Some(sub) => format!("{kind}.{sub}"),
        None => kind,
    };
    (raw, vendor_kind)
}
