//! The entry point: a raw webhook body in, normalized events out.

use arichat_core::{Channel, ChannelAccountId, Event};
use chrono::{DateTime, Utc};

use crate::{limits::Limits, ChannelError};

/// What `normalize` needs besides the body.
#[derive(Debug, Clone)]
pub struct NormalizeOptions {
    /// When the body was received: the timestamp of events whose payload carries none.
    pub received_at: DateTime<Utc>,
    /// The business account for channels whose body does not name it: a Telegram
    /// update does not carry the bot's id, so the host says which bot received it.
    /// Ignored for Meta channels (their bodies name the account).
    pub account: Option<ChannelAccountId>,
    /// Size and depth limits checked before parsing.
    pub limits: Limits,
}

impl NormalizeOptions {
    /// Options with default limits and no account hint.
    pub fn new(received_at: DateTime<Utc>) -> Self {
        NormalizeOptions {
            received_at,
            account: None,
            limits: Limits::default(),
        }
    }

    /// Sets the account hint (the Telegram bot id).
    pub fn with_account(mut self, account: impl Into<ChannelAccountId>) -> Self {
        self.account = Some(account.into());
        self
    }
}

/// Parses a webhook body of `channel` into events, in the order the body lists them.
///
/// Items arichat does not map become [`arichat_core::EventKind::Unsupported`] events
/// carrying their raw JSON: one unknown item never makes the body fail.
///
/// # Errors
/// [`ChannelError::BodyTooLarge`], [`ChannelError::TooDeep`],
/// [`ChannelError::InvalidJson`] or [`ChannelError::UnexpectedShape`].
pub fn normalize(
    channel: Channel,
    body: &[u8],
    options: &NormalizeOptions,
) -> Result<Vec<Event>, ChannelError> {
    options.limits.check(body)?;
    match channel {
        Channel::Whatsapp => crate::whatsapp::normalize(body, options),
        Channel::Messenger | Channel::Instagram => crate::meta::normalize(channel, body, options),
        Channel::Telegram => crate::telegram::normalize(body, options),
        other => Err(ChannelError::UnexpectedShape {
            channel: other,
            reason: "channel not supported by this version".into(),
        }),
    }
}
