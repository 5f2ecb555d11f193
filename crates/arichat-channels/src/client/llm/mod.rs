//! An LLM for the messages the local intent classifier is unsure of (issue 12, point 6).
//!
//! - [`ChatCompletionsClient`] asks any OpenAI-compatible `POST {base}/chat/completions`
//!   for one label of the closed [`Intent`](arichat_core::intent::Intent) set, with a
//!   JSON-schema-constrained answer at temperature 0. Emails, phone numbers and
//!   card-like numbers are masked ([`mask_contact_data`](arichat_core::pii_mask::mask_contact_data))
//!   before the request leaves. A label outside the set, malformed JSON or a missing
//!   field is an [`LlmError`], never a guess. Retries, `Retry-After`, timeouts and key
//!   scrubbing are the channel clients' transport.
//! - [`IntentBackend`] is what the cascade calls: that client, or a host's own.
//! - [`IntentCascade`] runs the local classifier first and asks the backend only when
//!   the local result is `uncertain`, within a per-tenant [`Budget`] and through a
//!   bounded cache; whenever the backend cannot answer, the local result stands.
//!   [`CascadeResult::source`] says who answered.

mod backend;
mod budget;
mod cache;
mod cascade;
mod client;
mod config;
mod error;
mod prompt;

pub use backend::{BackendAnswer, IntentBackend};
pub use budget::Budget;
pub use cascade::{CascadeConfig, CascadeResult, Fallback, IntentCascade, Source};
pub use client::ChatCompletionsClient;
pub use config::ChatCompletionsConfig;
pub use error::LlmError;
