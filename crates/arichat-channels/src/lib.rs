//! # arichat-channels
//!
//! Everything vendor-specific: the wire formats of the WhatsApp Cloud API,
//! Messenger, Instagram, the Telegram Bot API and Mattermost hooks, webhook verification, and —
//! behind the `client` feature — HTTP clients for their send APIs. Behind the `redis`
//! feature, [`store::RedisIdempotencyStore`] shares idempotency keys between workers and
//! [`store::CampaignCache`] keeps customers' campaign assignments.
//!
//! ```
//! use arichat_channels::{normalize, NormalizeOptions};
//! use arichat_core::Channel;
//! let body = br#"{"update_id": 1, "message": {"message_id": 5, "date": 1700000000,
//!   "chat": {"id": 42, "type": "private"}, "from": {"id": 42, "is_bot": false, "first_name": "Ana"},
//!   "text": "hola"}}"#;
//! let events = normalize(Channel::Telegram, body, &NormalizeOptions::new(chrono::Utc::now()).with_account("bot1")).unwrap();
//! assert!(!events.is_empty());
//! ```
//!
//! Channels depend on `arichat-core`, never the reverse.

#[cfg(feature = "client")]
pub mod client;
pub mod cloudevents;
pub mod conversions;
mod error;
mod items;
mod json;
mod key;
mod lenient;
mod limits;
pub mod mattermost;
mod meta;
mod normalize;
pub mod outbound;
#[cfg(feature = "redis")]
pub mod store;
mod telegram;
mod unsupported;
pub mod verify;
mod whatsapp;

/// Request bodies of the Messenger and Instagram Send API.
pub use meta::send as meta_send;
/// Request bodies of the Telegram Bot API send methods.
pub use telegram::send as telegram_send;
/// Request bodies of the WhatsApp Cloud API messages endpoint.
pub use whatsapp::send as whatsapp_send;

pub use arichat_core::Channel;
pub use error::ChannelError;
pub use limits::{Limits, PARSER_MAX_DEPTH};
pub use normalize::{normalize, NormalizeOptions};
pub use secrecy::SecretString;
