//! # arichat-channels
//!
//! Everything vendor-specific: the wire formats of the WhatsApp Cloud API,
//! Messenger, Instagram and the Telegram Bot API, webhook verification, and —
//! behind the `client` feature — HTTP clients for their send APIs.
//!
//! Channels depend on `arichat-core`, never the reverse.

pub mod verify;

pub use arichat_core::Channel;
pub use secrecy::SecretString;
