//! The one error type of `arichat-channels`.

use arichat_core::CoreError;

use crate::verify::VerifyError;

/// Everything that can go wrong turning a vendor request into events.
///
/// A body that is not JSON, too large, too deep, or not the channel's envelope fails
/// whole; an item inside a valid envelope that arichat does not understand never does
/// (it becomes an `unsupported` event with its raw JSON).
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
    /// The body is not valid JSON (or not UTF-8).
    #[error("body is not valid JSON: {reason}")]
    InvalidJson {
        /// serde_json's description with line and column.
        reason: String,
    },
    /// Valid JSON, but not the envelope this channel sends.
    #[error("not a {channel} webhook body: {reason}")]
    UnexpectedShape {
        /// The channel expected.
        channel: arichat_core::Channel,
        /// What was wrong.
        reason: String,
    },
    /// A domain rule rejected the result (for example routing to an unknown account).
    #[error(transparent)]
    Core(#[from] CoreError),
}

impl ChannelError {
    /// A stable snake_case code, the same in every binding.
    pub fn code(&self) -> &'static str {
        match self {
            ChannelError::Verify(_) => "verification_failed",
            ChannelError::BodyTooLarge { .. } => "body_too_large",
            ChannelError::TooDeep { .. } => "body_too_deep",
            ChannelError::InvalidJson { .. } => "invalid_json",
            ChannelError::UnexpectedShape { .. } => "unexpected_shape",
            ChannelError::Core(e) => e.code(),
        }
    }

    pub(crate) fn json(err: &serde_json::Error) -> Self {
        let reason = err.to_string();
        // serde_json reports its nesting limit only through the message.
        if reason.starts_with("recursion limit exceeded") {
            return ChannelError::TooDeep {
                limit: crate::limits::PARSER_MAX_DEPTH,
            };
        }
        ChannelError::InvalidJson { reason }
    }
}
