//! The codes of [`ChannelError`](crate::ChannelError) as closed sets, and the exception
//! class each is raised as.

use arichat_core::{ErrorClass, ErrorCode};

arichat_core::named_enum!(
    /// The codes a [`ChannelError`](crate::ChannelError) gives besides the core's (a
    /// wrapped [`CoreError`](arichat_core::CoreError) keeps its [`ErrorCode`]): the one
    /// source of these strings in every binding.
    ChannelErrorCode, "channel error code", "verification_failed, body_too_large, body_too_deep, too_many_items, invalid_json, unexpected_shape, account_required, invalid_cloudevent, unsupported_specversion, invalid_extension_name", {
        /// [`ChannelError::Verify`](crate::ChannelError::Verify).
        VerificationFailed => "verification_failed",
        /// [`ChannelError::BodyTooLarge`](crate::ChannelError::BodyTooLarge).
        BodyTooLarge => "body_too_large",
        /// [`ChannelError::TooDeep`](crate::ChannelError::TooDeep).
        BodyTooDeep => "body_too_deep",
        /// [`ChannelError::TooManyItems`](crate::ChannelError::TooManyItems).
        TooManyItems => "too_many_items",
        /// [`ChannelError::InvalidJson`](crate::ChannelError::InvalidJson): a body that
        /// is not JSON (the same string as the core's [`ErrorCode::InvalidJson`], another
        /// class).
        InvalidJson => "invalid_json",
        /// [`ChannelError::UnexpectedShape`](crate::ChannelError::UnexpectedShape).
        UnexpectedShape => "unexpected_shape",
        /// [`ChannelError::AccountRequired`](crate::ChannelError::AccountRequired).
        AccountRequired => "account_required",
        /// [`EnvelopeError::Invalid`](crate::cloudevents::EnvelopeError::Invalid).
        InvalidCloudevent => "invalid_cloudevent",
        /// [`EnvelopeError::UnsupportedVersion`](crate::cloudevents::EnvelopeError::UnsupportedVersion).
        UnsupportedSpecversion => "unsupported_specversion",
        /// [`EnvelopeError::InvalidExtensionName`](crate::cloudevents::EnvelopeError::InvalidExtensionName).
        InvalidExtensionName => "invalid_extension_name",
    }
);

impl ChannelErrorCode {
    /// The class an error of this code is raised as in every binding: a body rejected
    /// whole, whatever the reason, is an `InvalidBodyError` (a caller answers them all
    /// with a 400). Exhaustive: a code added here does not compile until it has a class.
    pub fn class(self) -> ErrorClass {
        match self {
            ChannelErrorCode::VerificationFailed => ErrorClass::VerificationError,
            ChannelErrorCode::BodyTooLarge
            | ChannelErrorCode::BodyTooDeep
            | ChannelErrorCode::TooManyItems
            | ChannelErrorCode::InvalidJson
            | ChannelErrorCode::UnexpectedShape
            | ChannelErrorCode::InvalidCloudevent
            | ChannelErrorCode::UnsupportedSpecversion
            | ChannelErrorCode::InvalidExtensionName => ErrorClass::InvalidBodyError,
            // The caller did not say which bot: a setting missing, not a bad body.
            ChannelErrorCode::AccountRequired => ErrorClass::InvalidConfigError,
        }
    }
}

/// The typed code of any [`ChannelError`](crate::ChannelError): one of this crate's, or
/// the core's for a wrapped [`CoreError`](arichat_core::CoreError). Typed rather than a
/// string because both sets hold `invalid_json`, of different classes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ChannelOrCoreCode {
    /// A code of this crate.
    Channel(ChannelErrorCode),
    /// The code of a wrapped core error.
    Core(ErrorCode),
}

impl ChannelOrCoreCode {
    /// The stable snake_case string.
    pub fn as_str(self) -> &'static str {
        match self {
            ChannelOrCoreCode::Channel(code) => code.as_str(),
            ChannelOrCoreCode::Core(code) => code.as_str(),
        }
    }

    /// The exception class every binding raises it as.
    pub fn class(self) -> ErrorClass {
        match self {
            ChannelOrCoreCode::Channel(code) => code.class(),
            ChannelOrCoreCode::Core(code) => code.class(),
        }
    }
}

impl std::fmt::Display for ChannelOrCoreCode {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_code_is_distinct_listed_and_parses_back() {
        arichat_core::assert_closed_set(ChannelErrorCode::ALL);
    }

    #[test]
    fn only_invalid_json_is_also_a_core_code() {
        // The one string both sets hold; the typed code keeps the classes apart.
        for code in ChannelErrorCode::ALL {
            let core = code.as_str().parse::<ErrorCode>();
            assert_eq!(
                core.is_ok(),
                *code == ChannelErrorCode::InvalidJson,
                "{code}"
            );
        }
        let body = ChannelOrCoreCode::Channel(ChannelErrorCode::InvalidJson);
        let core = ChannelOrCoreCode::Core(ErrorCode::InvalidJson);
        assert_eq!(body.as_str(), core.as_str());
        assert_eq!(body.class(), ErrorClass::InvalidBodyError);
        assert_eq!(core.class(), ErrorClass::InvalidJsonError);
    }
}
