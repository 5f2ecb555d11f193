//! Telegram Business connections a [`TelegramClient`](super::TelegramClient) answers
//! through.
//!
//! A message to a client of a business account the bot manages must name the
//! `business_connection_id` it came through, or Telegram sends it from the bot instead
//! of the business (or refuses: the bot has no chat with the client). The client learns
//! the connection of each chat from the normalized events it is shown
//! ([`TelegramClient::observe`](super::TelegramClient::observe)) and adds it to every
//! `send*` call to that chat whose body does not name one.

use std::collections::HashMap;
use std::sync::Mutex;

use arichat_core::{Channel, ConsentSignal, Event, EventKind};

/// Chat id -> the business connection its messages came through.
#[derive(Debug, Default)]
pub(super) struct BusinessChats {
    chats: Mutex<HashMap<String, String>>,
}

impl BusinessChats {
    /// Learns from one event: a business event's chat (its contact) is answered
    /// through its connection; a disabled connection (`business_connection` opt-out)
    /// forgets all its chats.
    pub fn observe(&self, event: &Event) {
        let Some(connection) = event.business_connection_id.as_deref() else {
            return;
        };
        if event.channel != Channel::Telegram {
            return;
        }
        let mut chats = self.chats.lock().unwrap_or_else(|p| p.into_inner());
        match &event.kind {
            EventKind::Consent {
                signal: ConsentSignal::OptOut,
                detail: Some(detail),
            } if detail == "business_connection" => chats.retain(|_, c| c != connection),
            EventKind::Consent { .. } => {}
            _ => {
                if let Some(contact) = &event.contact {
                    chats.insert(contact.identity.id().to_owned(), connection.to_owned());
                }
            }
        }
    }

    /// The connection to answer `chat` through, if it is a business chat.
    pub fn connection(&self, chat: &str) -> Option<String> {
        let chats = self.chats.lock().unwrap_or_else(|p| p.into_inner());
        chats.get(chat).cloned()
    }
}
