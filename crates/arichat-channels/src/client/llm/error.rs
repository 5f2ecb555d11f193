//! What can go wrong asking an LLM backend.

use std::time::Duration;

use crate::client::{SendError, VendorErrorKind};

/// Why a backend gave no usable label. `Display` and `Debug` never hold the API key
/// (errors come scrubbed from the transport) nor the message text.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[non_exhaustive]
pub enum LlmError {
    /// The API answered with an error status, after the retries it allows.
    #[error("chat completions failed with HTTP {status} ({}) after {attempts} attempt(s): {message}", kind.code())]
    Api {
        /// HTTP status.
        status: u16,
        /// What it means (`rate_limited`, `invalid_token`, `temporary_failure`, ...).
        kind: VendorErrorKind,
        /// The API's message, scrubbed, at most 200 bytes when it was not JSON.
        message: String,
        /// The wait the API asked for (`Retry-After`).
        retry_after: Option<Duration>,
        /// Requests made.
        attempts: u32,
    },
    /// No answer within the timeout, on every attempt.
    #[error("chat completions timed out after {attempts} attempt(s)")]
    Timeout {
        /// Requests made.
        attempts: u32,
    },
    /// The connection failed, on every attempt.
    #[error("chat completions: connection failed after {attempts} attempt(s): {reason}")]
    Connection {
        /// Requests made.
        attempts: u32,
        /// What failed (no URL, no key).
        reason: String,
    },
    /// A success status whose body is not a chat completion with a JSON answer holding
    /// `intent` and `confidence`.
    #[error("chat completions: malformed answer: {0}")]
    MalformedResponse(String),
    /// The model answered a label outside the closed set.
    #[error("chat completions: label {0:?} is not an intent")]
    InvalidLabel(String),
    /// The request cannot be built (configuration).
    #[error("chat completions: invalid request: {0}")]
    InvalidRequest(String),
}

impl LlmError {
    /// A stable snake_case code, the same in every binding.
    pub fn code(&self) -> &'static str {
        match self {
            LlmError::Api { kind, .. } => kind.code(),
            LlmError::Timeout { .. } => "timeout",
            LlmError::Connection { .. } => "connection_failed",
            LlmError::MalformedResponse(_) => "malformed_response",
            LlmError::InvalidLabel(_) => "invalid_label",
            LlmError::InvalidRequest(_) => "invalid_request",
        }
    }
}

/// The transport names its errors by channel; an LLM is none, so the channel is
/// dropped here and the rest kept.
impl From<SendError> for LlmError {
    fn from(e: SendError) -> Self {
        let attempts = e.attempts();
        match e {
            SendError::Vendor { error, .. } => LlmError::Api {
                status: error.http_status,
                kind: error.kind,
                message: error.message,
                retry_after: error.retry_after,
                attempts,
            },
            SendError::Timeout { .. } => LlmError::Timeout { attempts },
            SendError::Connection { reason, .. } => LlmError::Connection { attempts, reason },
            SendError::MalformedResponse { reason, .. } => LlmError::MalformedResponse(reason),
            // Classification is never a guarded send, so OutcomeUnknown cannot occur;
            // policy refusals neither.
            other => LlmError::InvalidRequest(other.to_string()),
        }
    }
}
