//! The seam between the cascade and whatever answers for it.

use arichat_core::intent::Intent;

use super::error::LlmError;
use crate::client::BoxFuture;

/// A backend's reading of one message: a label of the closed set and how sure it is.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct BackendAnswer {
    /// The intent.
    pub intent: Intent,
    /// The backend's confidence, clamped to [0, 1].
    pub confidence: f32,
}

/// Anything that classifies a hard message asynchronously: the
/// [`ChatCompletionsClient`](super::ChatCompletionsClient), or a host's own model
/// server. The text it gets is already masked.
pub trait IntentBackend: Send + Sync {
    /// Names the backend's model in cache keys: answers of two models never mix.
    fn model(&self) -> &str;

    /// Classifies one (masked) message.
    fn classify<'a>(&'a self, text: &'a str) -> BoxFuture<'a, Result<BackendAnswer, LlmError>>;
}
