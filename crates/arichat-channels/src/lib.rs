#![doc = include_str!("../README.md")]
#![cfg_attr(docsrs, feature(doc_cfg))]

/// The repository README's Rust snippets, run by `cargo test --doc` from this crate's
/// folder, where `examples/data` and `examples/campaigns` link to the repository's
/// sample files (the snippets use the clients and the Redis store).
#[cfg(all(doctest, feature = "client", feature = "redis"))]
#[doc = include_str!("../../../README.md")]
pub struct RepositoryReadme;

mod borrowed;
mod canonical;
#[cfg(feature = "client")]
pub mod client;
pub mod cloudevents;
pub mod conversions;
mod error;
mod error_code;
mod fields;
mod graph_time;
mod items;
mod json;
mod key;
mod lenient;
mod limits;
pub mod mattermost;
mod meta;
mod normalize;
pub mod outbound;
mod span;
#[cfg(feature = "redis")]
pub mod store;
mod telegram;
mod unsupported;
mod value_check;
pub mod verify;
mod walk;
mod whatsapp;

/// Request bodies of the Messenger and Instagram Send API.
pub use meta::send as meta_send;
/// Request bodies of the Telegram Bot API send methods.
pub use telegram::send as telegram_send;
/// Request bodies of the WhatsApp Cloud API messages endpoint.
pub use whatsapp::send as whatsapp_send;

pub use arichat_core::Channel;
pub use error::ChannelError;
pub use error_code::{ChannelErrorCode, ChannelOrCoreCode};
pub use limits::{Limits, PARSER_MAX_DEPTH};
pub use normalize::{normalize, NormalizeOptions};
pub use secrecy::SecretString;
