//! HTTP clients for the channels' send APIs (feature `client`).
//!
//! - [`WhatsAppClient`]: Cloud API messages (text, templates, media, interactive,
//!   reactions), read receipts with typing indicator, media upload and download.
//! - [`MessengerClient`]: Messenger and Instagram Send API, sender actions, message
//!   tags.
//! - [`TelegramClient`]: Bot API sends, callback answers, edits, `getUpdates` as a
//!   stream, webhooks, files.
//! - [`MattermostClient`]: REST API v4 thread replies, reactions and file downloads
//!   for a bot answering outgoing webhooks and slash commands.
//! - [`ConversionsClient`]: Meta Conversions API lead and purchase events.
//! - [`PubsubClient`]: CloudEvents published to a Google Cloud Pub/Sub topic (REST).
//! - [`IntentCascade`] with [`ChatCompletionsClient`]: an OpenAI-compatible LLM for the
//!   messages the local intent classifier is unsure of.
//! - [`ChannelClient`]: the one trait to answer a conversation on any of them,
//!   refusing before any request a free-form send outside the 24-hour window or a
//!   marketing send without consent.
//!
//! Every client retries with exponential backoff and jitter, honouring `Retry-After`
//! and Telegram's `retry_after` ([`RetryPolicy`]); waits for its rate limits rather
//! than failing ([`RateLimits`]); and types the vendor's error body
//! ([`VendorErrorKind`]). Sends are at most once by default ([`SendGuarantee`]): a send
//! that may have reached the vendor — a timeout, a dropped connection, an ambiguous
//! 5xx — is not sent again but fails with [`SendError::OutcomeUnknown`] and the send's
//! client-side id; connect failures, 429 and 503 with `Retry-After` are retried.
//!
//! Tokens are held as [`SecretString`](secrecy::SecretString): no `Debug`, `Display`,
//! log line or error string contains one or a piece of one. Error bodies are scrubbed
//! whole before anything is cut from them, and reqwest's errors, which carry the
//! request URL (for Telegram it holds the bot token), are rewritten without it.

mod business;
mod channel;
mod config;
mod conversions;
mod error;
mod llm;
mod mattermost;
mod messenger;
mod pubsub;
mod rate_limit;
mod retry;
mod settings;
mod spec;
mod telegram;
mod transport;
mod vendor_error;
mod whatsapp;

pub use channel::{BoxFuture, ChannelClient, SendReceipt};
pub use config::{HttpConfig, HttpOptions};
pub use conversions::{ConversionsClient, ConversionsConfig, ConversionsReceipt};
pub use error::{SendError, VendorError, VendorErrorKind};
pub use llm::{
    BackendAnswer, Budget, CascadeConfig, CascadeResult, ChatCompletionsClient,
    ChatCompletionsConfig, Fallback, IntentBackend, IntentCascade, LlmError, Source,
};
pub use mattermost::{MattermostClient, MattermostConfig, MattermostPost};
pub use messenger::{MessengerClient, MessengerConfig, SentMessenger};
pub use pubsub::{PubsubClient, PubsubConfig};
pub use rate_limit::{Rate, RateLimits};
pub use retry::{RetryPolicy, SendGuarantee};
pub use settings::ClientSettings;
pub use spec::{
    seconds, telegram_count, ClientSpec, ConversionsSpec, GraphEndpoint, HttpSpec, MessengerSpec,
    PollSpec, ReplyRequest, TelegramSpec, WebhookSpec, WhatsAppSpec,
};
pub use telegram::{
    InlineButton, InputFile, ParseMode, PollOptions, SendMessage, SentTelegram, TelegramClient,
    TelegramConfig, TelegramFile, WebhookSettings, TELEGRAM_API_BASE,
};
pub use whatsapp::{MediaInfo, SentMessage, WhatsAppClient, WhatsAppConfig};

/// `https://graph.facebook.com`.
pub const GRAPH_API_BASE: &str = "https://graph.facebook.com";

/// The Graph API version the clients call unless configured otherwise.
pub const DEFAULT_GRAPH_VERSION: &str = "v23.0";
