//! Telegram Bot API `Update` objects.
//!
//! # Bodies
//! A webhook body is one `Update`. A `getUpdates` response `{"ok": true, "result":
//! [Update, ...]}` is accepted too (long polling): one event per update, in order. An
//! item of `result` that is not a mappable update becomes an `unsupported` (or, when it
//! does not read, `invalid_item`) event; the
//! body fails only when it is not JSON ([`ChannelError::InvalidJson`]) or neither shape
//! (an object without an integer `update_id`, `"ok": false`, ...:
//! [`ChannelError::UnexpectedShape`]).
//!
//! # Mapping (one event per update kind)
//! | update | event |
//! |---|---|
//! | `message` | `Message`, inbound; author `Client` (`Bot` when `from.is_bot` and the message is not sent on behalf of a chat) |
//! | `edited_message` | `MessageEdited` |
//! | `channel_post` | `Message`, **outbound, author `Agent`**: a bot only receives posts of channels it administers, i.e. the business's own broadcasts; the contact is the channel chat |
//! | `edited_channel_post` | `MessageEdited`, contact the channel chat |
//! | `callback_query` with `data` | `Postback` (payload = `data` verbatim, message = the button's message) |
//! | `my_chat_member` in a private chat | `Consent`: new status `kicked` (the user blocked the bot) -> `Blocked`, `member` (unblocked) -> `OptIn`; detail = the new status |
//! | `business_message` | `Message` in a chat of a business account the bot manages: inbound from the client (the chat), outbound author `Agent` when the business wrote; `business_connection_id` set |
//! | `edited_business_message` | `MessageEdited`, `business_connection_id` set |
//! | `deleted_business_messages` | one `MessageDeleted` per id, contact the chat, `business_connection_id` set |
//! | `business_connection` | `Consent` of the business account's owner: enabled -> `OptIn`, disabled -> `OptOut`; detail `business_connection`, `business_connection_id` set |
//! | anything else | `Unsupported` with the update's raw JSON |
//! | an update whose fields arichat reads have unexpected types | `InvalidItem` with the update's raw text and the reason (a body's only update too: it does not fail the body) |
//!
//! Telegram sends one kind per update; an update carrying several gives one event per
//! kind (in the table's order, then the unmapped fields as one `unsupported`).
//!
//! "Anything else" includes `inline_query`, `poll`, `chat_boost`,
//! `message_reaction`, `pre_checkout_query`, kinds newer than this code, callback
//! queries without `data` (game buttons), `my_chat_member` in groups and channels,
//! service messages (`new_chat_members`, `pinned_message`, ...; `vendor_kind` is then
//! `message.<field>`).
//! Message contents are listed in the `content` module.
//!
//! # Identifiers
//! - `idempotency_key`: `telegram:<bot>:<update_id>` for every event, unsupported ones
//!   included (an item without `update_id` gets the hashed key of
//!   `crate::unsupported`); an update that gives several events (several kinds, several
//!   deleted business messages) keys the second and later `…:<update_id>:<n>`.
//! - `channel_account_id` (`<bot>`): [`NormalizeOptions::account`], or `"default"`: an
//!   update does not name the bot that received it.
//! - `MessageId`: `<chat_id>:<message_id>`, since Telegram numbers messages per chat;
//!   replies use the replied message's chat (`reply_to_message`, or `external_reply`
//!   for a reply to another chat). Inline-mode messages of a callback query:
//!   `inline:<inline_message_id>`.
//! - Contact: `ChannelIdentity::Telegram { user_id: from.id }` with "first last" as
//!   display name; a message sent on behalf of a chat (`sender_chat`: anonymous group
//!   admins, a channel writing in a group) has that chat as contact, since `from` is
//!   then a placeholder bot; no sender at all: the chat. For channel posts: the
//!   channel chat's id and title. A shared contact card whose `user_id` is the sender's
//!   own id gives the contact's phone (E.164; left out when it does not parse).
//!
//! # Times
//! Unix seconds (`date`, `edit_date` for edits) in UTC. A missing or zero date
//! (Telegram's "inaccessible message") and callback queries (they carry no time) use
//! [`NormalizeOptions::received_at`].
//!
//! # Text
//! NFC without control characters. Entities (bold, links, `text_link` URLs, mentions,
//! commands, ...) are kept in `MessageContent::FormattedText`, ranges moved to match
//! the normalized text (see `entities`). Captions keep their text only:
//! `caption_entities` have no place in `Media` yet.

mod business;
mod contact;
mod content;
mod ctx;
mod entities;
mod map;
pub mod send;
mod wire;

use arichat_core::{Channel, Event};
use serde::de::IgnoredAny;
use serde_json::Value;

use crate::{ChannelError, NormalizeOptions};
use ctx::Ctx;
use wire::Update;

pub(crate) fn normalize(
    text: &str,
    options: &NormalizeOptions,
) -> Result<Vec<Event>, ChannelError> {
    let ctx = Ctx::new(options)?;
    let parsed = match serde_json::from_str::<Update<'_>>(text) {
        Ok(parsed) => parsed,
        Err(e) => return malformed(&ctx, text, &e),
    };
    if parsed.ok.is_some() || parsed.result.is_some() {
        return envelope(&ctx, parsed);
    }
    match parsed.update_id {
        Some(id) => {
            let mut events = Vec::with_capacity(1);
            map::update(&ctx, id, parsed, text.as_bytes(), &mut events);
            Ok(events)
        }
        None => Err(shape("an Update needs an integer `update_id`")),
    }
}

fn shape(reason: impl Into<String>) -> ChannelError {
    ChannelError::UnexpectedShape {
        channel: Channel::Telegram,
        reason: reason.into(),
    }
}

/// A `getUpdates` response.
fn envelope(ctx: &Ctx<'_>, parsed: Update<'_>) -> Result<Vec<Event>, ChannelError> {
    if parsed.ok == Some(false) {
        // `description` is Telegram's text; errors never quote the body.
        return Err(shape("getUpdates error response (`ok` is false)"));
    }
    let Some(items) = parsed.result else {
        return Err(shape("getUpdates response without `result`"));
    };
    let mut events = Vec::with_capacity(items.len());
    for item in items {
        let raw = item.get();
        let e = match serde_json::from_str::<Update<'_>>(raw) {
            Ok(u) if u.ok.is_none() && u.result.is_none() => match u.update_id {
                Some(id) => {
                    map::update(ctx, id, u, raw.as_bytes(), &mut events);
                    continue;
                }
                None => ctx.unsupported(None, raw.as_bytes(), None, None, None),
            },
            Ok(_) => ctx.unsupported(None, raw.as_bytes(), None, None, None),
            Err(e) => ctx.invalid(update_id_of(raw), raw, crate::json::reason(&e, raw)),
        };
        events.push(e);
    }
    Ok(events)
}

/// What a body that did not read as an update shows of itself.
#[derive(serde::Deserialize)]
struct Outline {
    update_id: Option<Value>,
    ok: Option<IgnoredAny>,
    result: Option<IgnoredAny>,
}

fn update_id_of(raw: &str) -> Option<i64> {
    serde_json::from_str::<Outline>(raw)
        .ok()?
        .update_id?
        .as_i64()
}

/// The typed parse failed: tell invalid JSON from a valid body of the wrong shape, and
/// keep an update whose known fields are malformed as one `invalid_item` event.
fn malformed(
    ctx: &Ctx<'_>,
    text: &str,
    typed: &serde_json::Error,
) -> Result<Vec<Event>, ChannelError> {
    let outline = match serde_json::from_str::<Outline>(text) {
        Ok(outline) => outline,
        Err(e) => return Err(ChannelError::not_envelope(Channel::Telegram, &e, text)),
    };
    let envelope = outline.ok.is_some() || outline.result.is_some();
    match outline.update_id.as_ref().and_then(Value::as_i64) {
        Some(id) if !envelope => {
            let reason = crate::json::reason(typed, text);
            Ok(vec![ctx.invalid(Some(id), text, reason)])
        }
        _ => Err(ChannelError::not_envelope(Channel::Telegram, typed, text)),
    }
}
