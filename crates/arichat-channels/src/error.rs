//! The one error type of `arichat-channels`.

use arichat_core::{CoreError, ErrorClass};

use crate::error_code::{ChannelErrorCode, ChannelOrCoreCode};

use crate::verify::VerifyError;

/// Everything that can go wrong turning a vendor request into events.
///
/// A body that is not JSON, too large, too deep, or not the channel's envelope fails
/// whole, as does one with more items than the limit; an item inside a valid envelope
/// never does (an unknown one becomes an `unsupported` event with its raw JSON, a
/// malformed one an `invalid_item` event with its raw text and a reason).
///
/// No message quotes the body: reasons name the field, line and column.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[non_exhaustive]
pub enum ChannelError {
    /// Signature, token or handshake check failed.
    #[error(transparent)]
    Verify(#[from] VerifyError),
    /// The body is larger than the configured limit.
    #[error("body of {size} bytes exceeds the limit of {limit} bytes")]
    BodyTooLarge {
        /// Bytes received.
        size: usize,
        /// The limit.
        limit: usize,
    },
    /// The body nests arrays/objects deeper than the configured limit.
    #[error("body nests deeper than {limit} levels")]
    TooDeep {
        /// The limit.
        limit: usize,
    },
    /// The body holds more items than the configured limit
    /// ([`Limits::max_items`](crate::Limits::max_items)).
    #[error("body holds more than {limit} items")]
    TooManyItems {
        /// The limit.
        limit: usize,
    },
    /// The body is not valid JSON.
    #[error("body is not valid JSON: {reason}")]
    InvalidJson {
        /// What was wrong, with the path, line and column (never a value of the body).
        reason: String,
    },
    /// Valid JSON, but not the envelope this channel sends.
    #[error("not a {channel} webhook body: {reason}")]
    UnexpectedShape {
        /// The channel expected.
        channel: arichat_core::Channel,
        /// What was wrong, with the path, line and column (never a value of the body).
        reason: String,
    },
    /// The body does not name the business account it was sent to and the caller did
    /// not either: a Telegram update does not carry the bot's id, and events of two bots
    /// keyed alike would be taken for redeliveries of each other. Pass the bot id
    /// ([`NormalizeOptions::with_account`](crate::NormalizeOptions::with_account)) or
    /// let a [`WebhookVerifier`](crate::verify::WebhookVerifier) find it by secret token.
    #[error("a {channel} body does not name its account: pass the bot id")]
    AccountRequired {
        /// The channel.
        channel: arichat_core::Channel,
    },
    /// A CloudEvent that could not be read ([`crate::cloudevents`]).
    #[error(transparent)]
    Envelope(#[from] crate::cloudevents::EnvelopeError),
    /// A domain rule rejected the result (for example routing to an unknown account).
    #[error(transparent)]
    Core(#[from] CoreError),
}

impl ChannelError {
    /// A stable snake_case code, the same in every binding.
    pub fn code(&self) -> &'static str {
        self.error_code().as_str()
    }

    /// The code as a closed set: this crate's [`ChannelErrorCode`], or the core's for a
    /// wrapped [`CoreError`].
    pub fn error_code(&self) -> ChannelOrCoreCode {
        let own = match self {
            ChannelError::Verify(_) => ChannelErrorCode::VerificationFailed,
            ChannelError::BodyTooLarge { .. } => ChannelErrorCode::BodyTooLarge,
            ChannelError::TooDeep { .. } => ChannelErrorCode::BodyTooDeep,
            ChannelError::TooManyItems { .. } => ChannelErrorCode::TooManyItems,
            ChannelError::InvalidJson { .. } => ChannelErrorCode::InvalidJson,
            ChannelError::UnexpectedShape { .. } => ChannelErrorCode::UnexpectedShape,
            ChannelError::AccountRequired { .. } => ChannelErrorCode::AccountRequired,
            ChannelError::Envelope(e) => e.error_code(),
            ChannelError::Core(e) => return ChannelOrCoreCode::Core(e.error_code()),
        };
        ChannelOrCoreCode::Channel(own)
    }

    /// The exception class every binding raises this error as: a body rejected whole is
    /// an `InvalidBodyError` even when its code is `invalid_json`, which a core document
    /// that is not JSON raises as an `InvalidJsonError`.
    pub fn class(&self) -> ErrorClass {
        self.error_code().class()
    }

    /// The error for `text` that is not JSON.
    pub(crate) fn json(err: &serde_json::Error, text: &str) -> Self {
        if let Some(deep) = Self::too_deep(err) {
            return deep;
        }
        ChannelError::InvalidJson {
            reason: crate::json::reason(err, text),
        }
    }

    /// The error for `text`, which did not read as `channel`'s envelope (`typed` is
    /// why): too deep, not JSON, or valid JSON of another shape. Only on the error
    /// path: it reads the body again.
    pub(crate) fn not_envelope(
        channel: arichat_core::Channel,
        typed: &serde_json::Error,
        text: &str,
    ) -> Self {
        if let Some(deep) = Self::too_deep(typed) {
            return deep;
        }
        if let Err(invalid) = serde_json::from_str::<serde::de::IgnoredAny>(text) {
            return ChannelError::json(&invalid, text);
        }
        // Skipping a value has no nesting limit; parsing one does.
        if crate::limits::nests_deeper(text.as_bytes(), crate::limits::PARSER_MAX_DEPTH) {
            return ChannelError::TooDeep {
                limit: crate::limits::PARSER_MAX_DEPTH,
            };
        }
        ChannelError::UnexpectedShape {
            channel,
            reason: crate::json::reason(typed, text),
        }
    }

    /// [`ChannelError::TooDeep`] when `err` is serde_json's nesting limit (reported
    /// only through the message); the typed read of a body may hit it where a lenient
    /// one does not.
    fn too_deep(err: &serde_json::Error) -> Option<Self> {
        err.to_string()
            .starts_with("recursion limit exceeded")
            .then_some(ChannelError::TooDeep {
                limit: crate::limits::PARSER_MAX_DEPTH,
            })
    }
}
