//! Who an update is about: [`ContactRef`]s from Telegram users and chats.

use arichat_core::{ChannelIdentity, ContactRef, PhoneNumber};
use serde_json::Value;

use super::wire::{Chat, Message, User};
use arichat_core::text::normalize_text;

fn name(first: &str, last: Option<&str>) -> Option<String> {
    let full = match last {
        Some(last) if !last.is_empty() => normalize_text(format!("{first} {last}").trim()),
        _ => normalize_text(first.trim()),
    };
    (!full.is_empty()).then_some(full)
}

fn identity(id: i64) -> ChannelIdentity {
    ChannelIdentity::Telegram {
        user_id: id.to_string(),
    }
}

/// A user: `from.id`, first and last name.
pub(super) fn user(u: &User<'_>) -> ContactRef {
    ContactRef {
        identity: identity(u.id),
        display_name: name(&u.first_name, u.last_name.as_deref()),
        phone: None,
    }
}

/// A chat as the contact (channel posts): the chat id, its title or a private chat's
/// names.
pub(super) fn chat(c: &Chat<'_>) -> ContactRef {
    let display_name = match &c.title {
        Some(title) => name(title, None),
        None => c
            .first_name
            .as_deref()
            .and_then(|f| name(f, c.last_name.as_deref())),
    };
    ContactRef {
        identity: identity(c.id),
        display_name,
        phone: None,
    }
}

/// The sender of a message: `sender_chat` when the message was sent on behalf of a
/// chat (anonymous group admins, channels writing in groups: `from` then holds a
/// placeholder user such as `GroupAnonymousBot`), else `from`, else the chat.
pub(super) fn sender(m: &Message<'_>) -> ContactRef {
    match (&m.sender_chat, &m.from) {
        (Some(c), _) => chat(c),
        (None, Some(u)) => user(u),
        (None, None) => chat(&m.chat),
    }
}

/// The phone of a shared contact card when it is the sender's own (`user_id == from.id`,
/// what a "share my phone number" keyboard button sends). Telegram writes the number
/// with or without `+`; a number that does not parse is left out, never an error.
pub(super) fn own_phone(card: &Value, from: Option<&User<'_>>) -> Option<PhoneNumber> {
    let from = from?;
    if card.get("user_id")?.as_i64()? != from.id {
        return None;
    }
    let raw = card.get("phone_number")?.as_str()?.trim();
    let digits = raw.trim_start_matches('+');
    PhoneNumber::parse(&format!("+{digits}"), None)
        .or_else(|_| PhoneNumber::from_wa_id(digits))
        .ok()
}
