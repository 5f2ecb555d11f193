//! The entry point: a raw webhook body in, normalized events out.

#[cfg(doc)]
use arichat_core::EventKind;
use arichat_core::{Channel, ChannelAccountId, Event};
use chrono::{DateTime, Utc};

use crate::{limits::Limits, ChannelError};

/// What `normalize` needs besides the body.
#[derive(Debug, Clone)]
pub struct NormalizeOptions {
    /// When the body was received: the timestamp of events whose payload carries none.
    pub received_at: DateTime<Utc>,
    /// The business account for channels whose body does not name it: a Telegram
    /// update does not carry the bot's id, so the host says which bot received it
    /// (required for Telegram: `account_required` without it). Ignored for Meta
    /// channels (their bodies name the account).
    pub account: Option<ChannelAccountId>,
    /// Size, depth and item-count limits.
    pub limits: Limits,
    /// The host's Meta app id: a Messenger or Instagram echo (`is_echo`) whose `app_id`
    /// is this one was sent by this integration and comes out authored by
    /// [`AuthorKind::Bot`](arichat_core::AuthorKind::Bot); other echoes (a person
    /// answering from Meta's inbox, another tool) stay [`AuthorKind::Agent`](arichat_core::AuthorKind::Agent).
    /// Either way an echo is outbound, never a second inbound message.
    pub app_id: Option<String>,
}

impl NormalizeOptions {
    /// Options with default limits and no account hint.
    pub fn new(received_at: DateTime<Utc>) -> Self {
        NormalizeOptions {
            received_at,
            account: None,
            limits: Limits::default(),
            app_id: None,
        }
    }

    /// Sets the most items a body may hold ([`Limits::max_items`]).
    pub fn with_max_items(mut self, max_items: usize) -> Self {
        self.limits.max_items = max_items;
        self
    }

    /// Sets the host's Meta app id (see [`NormalizeOptions::app_id`]).
    pub fn with_app_id(mut self, app_id: impl Into<String>) -> Self {
        self.app_id = Some(app_id.into());
        self
    }

    /// Sets the account hint (the Telegram bot id).
    pub fn with_account(mut self, account: impl Into<ChannelAccountId>) -> Self {
        self.account = Some(account.into());
        self
    }
}

/// Parses a webhook body of `channel` into events, in the order the body lists them.
///
/// One item never makes the body fail:
/// - an item arichat does not map becomes an [`EventKind::Unsupported`] event carrying
///   its raw JSON;
/// - a malformed item (a field of the wrong type, a number out of range) becomes an
///   [`EventKind::InvalidItem`] event carrying its raw text and a reason naming the
///   field and position;
/// - a lone surrogate escape (`\ud83d` without its pair) or bytes that are not UTF-8
///   are replaced by U+FFFD before parsing, as `JSON.parse` and Python's `json.loads`
///   would accept them (see the `json` module), and the item maps as usual.
///
/// The whole body fails only when its envelope does: too large, too deep, more items
/// than [`Limits::max_items`], not JSON, or not the channel's envelope; a Telegram
/// body fails without [`NormalizeOptions::account`] (the bot id). No error
/// message or reason quotes a value of the body.
///
/// # Errors
/// [`ChannelError::BodyTooLarge`], [`ChannelError::TooDeep`],
/// [`ChannelError::TooManyItems`], [`ChannelError::InvalidJson`],
/// [`ChannelError::UnexpectedShape`] or [`ChannelError::AccountRequired`].
///
/// ```
/// use arichat_channels::{normalize, NormalizeOptions};
/// use arichat_core::{Channel, EventKind};
/// let body = br#"{"ok": true, "result": [
///   {"update_id": 1, "message": {"message_id": "ana.perez@example.com", "date": 1700000000,
///    "chat": {"id": 42, "type": "private"}, "text": "hola"}},
///   {"update_id": 2, "message": {"message_id": 6, "date": 1700000000,
///    "chat": {"id": 42, "type": "private"}, "text": "hola \ud83d"}}]}"#;
/// let options = NormalizeOptions::new(chrono::Utc::now()).with_account("7000000001");
/// let events = normalize(Channel::Telegram, body, &options).unwrap();
/// let EventKind::InvalidItem { reason, .. } = &events[0].kind else { panic!() };
/// assert_eq!(reason, "invalid type: string, expected i64 at message.message_id (line 1, column 66)");
/// assert_eq!(events[1].kind.name(), "message");
/// ```
pub fn normalize(
    channel: Channel,
    body: &[u8],
    options: &NormalizeOptions,
) -> Result<Vec<Event>, ChannelError> {
    options.limits.check(body)?;
    let text = crate::json::repair(body);
    let items = crate::items::Scope::enter(options.limits.max_items);
    let events = match channel {
        Channel::Whatsapp => crate::whatsapp::normalize(&text, options),
        Channel::Messenger | Channel::Instagram => crate::meta::normalize(channel, &text, options),
        Channel::Telegram => crate::telegram::normalize(&text, options),
        // A form or JSON: the hook reads the raw bytes (a form is not JSON text).
        Channel::Mattermost => crate::mattermost::normalize(body, options),
        other => Err(ChannelError::UnexpectedShape {
            channel: other,
            reason: "channel not supported by this version".into(),
        }),
    };
    if items.exceeded() {
        return Err(ChannelError::TooManyItems {
            limit: options.limits.max_items,
        });
    }
    events
}
