//! Telegram Business: updates from the chats of a business account the bot manages
//! (`business_connection`, `business_message`, `edited_business_message`,
//! `deleted_business_messages`).
//!
//! A business message sits in the private chat between the business account and a
//! client: the chat is the client, and the sender is the client (inbound) or the
//! business (its owner, or the bot answering for it: outbound, author `Agent`). Every
//! business event carries its `business_connection_id`, which a reply must name to be
//! sent as the business (the Telegram client adds it, see
//! `client::TelegramClient::observe`).

use arichat_core::{ConsentSignal, Event, EventKind};

use super::contact;
use super::ctx::{message_id, Ctx, Source};
use super::wire::{BusinessConnection, BusinessMessagesDeleted, Message};

/// Whether the client (the chat's other side) wrote `m`; the business's own messages
/// come from the business account.
pub(super) fn from_client(m: &Message<'_>) -> bool {
    m.from.as_ref().is_none_or(|u| u.id == m.chat.id)
}

/// The connection of a business message (`None` for other sources).
pub(super) fn connection_of(m: &Message<'_>, source: Source) -> Option<String> {
    match source {
        Source::Business => m.business_connection_id.as_deref().map(str::to_owned),
        Source::Chat | Source::Channel => None,
    }
}

/// `deleted_business_messages`: one `MessageDeleted` per id, the chat as contact. The
/// update carries no time.
pub(super) fn deleted(
    ctx: &Ctx<'_>,
    id: i64,
    d: BusinessMessagesDeleted<'_>,
    out: &mut Vec<Event>,
) {
    let chat = d.chat.id;
    let who = contact::chat(&d.chat);
    for mid in d.message_ids {
        let kind = EventKind::MessageDeleted {
            message_id: message_id(chat, mid),
        };
        let mut e = ctx.event(id, Some(who.clone()), ctx.options.received_at, kind);
        e.business_connection_id = Some(d.business_connection_id.clone().into_owned());
        out.push(e);
    }
}

/// `business_connection`: the business account's owner connected the bot (`OptIn`)
/// or disconnected it / took its rights away (`OptOut`), detail `business_connection`.
/// The owner is the contact.
pub(super) fn connection(ctx: &Ctx<'_>, id: i64, c: BusinessConnection<'_>) -> Event {
    let signal = if c.is_enabled {
        ConsentSignal::OptIn
    } else {
        ConsentSignal::OptOut
    };
    let kind = EventKind::Consent {
        signal,
        detail: Some("business_connection".to_owned()),
    };
    let mut e = ctx.event(id, Some(contact::user(&c.user)), ctx.time(c.date), kind);
    e.business_connection_id = Some(c.id.into_owned());
    e
}
