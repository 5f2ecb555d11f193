//! The exception class every binding raises an error as, decided once, here.
//!
//! A code alone does not always tell the class: a webhook body that is not JSON
//! (`arichat_channels::ChannelError::InvalidJson`) and a document of the core that is
//! not ([`CoreError::InvalidJson`](crate::CoreError::InvalidJson)) share the code
//! `invalid_json` but are an `InvalidBodyError` and an `InvalidJsonError`. So the class
//! comes from the typed error ([`CoreError::class`](crate::CoreError::class), the
//! channels crate's `ChannelError::class` and `SendError::class`), and Python and Node
//! only turn an [`ErrorClass`] into their own class, by an exhaustive `match`.

use crate::ErrorCode;

/// Declares [`ErrorClass`] with [`ErrorClass::ALL`] and [`ErrorClass::name`], the
/// name being the variant's own (`stringify!`), so that it is never spelt twice.
macro_rules! error_classes {
    ($($(#[$doc:meta])* $class:ident),+ $(,)?) => {
        /// The exception classes of the bindings (Python `arichat.*Error`, Node's
        /// exported classes of the same names). Each derives from
        /// [`ErrorClass::ArichatError`]; the three send classes from
        /// [`ErrorClass::SendError`].
        ///
        /// Not `#[non_exhaustive]`: the bindings match on it exhaustively, so that a class
        /// added here does not compile until each binding has it.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum ErrorClass {
            $($(#[$doc])* $class,)+
        }

        impl ErrorClass {
            /// Every class, base first.
            pub const ALL: &'static [ErrorClass] = &[$(ErrorClass::$class),+];

            /// The class's name in every binding: the variant's own name.
            pub fn name(self) -> &'static str {
                match self { $(ErrorClass::$class => stringify!($class)),+ }
            }
        }
    };
}

error_classes!(
    /// The base class; also the class of a code without one of its own.
    ArichatError,
    /// `invalid_phone`.
    InvalidPhoneError,
    /// `unknown_region`.
    UnknownRegionError,
    /// `invalid_email`.
    InvalidEmailError,
    /// A lead move the transition tables forbid.
    IllegalTransitionError,
    /// `unknown_variant`.
    UnknownVariantError,
    /// A document of the core that is not the expected JSON (not a webhook body).
    InvalidJsonError,
    /// `empty_id`.
    EmptyIdError,
    /// `invalid_scorecard`.
    InvalidScorecardError,
    /// `invalid_scoring_data`.
    InvalidScoringDataError,
    /// `invalid_campaign`.
    InvalidCampaignError,
    /// A configuration value outside its domain.
    InvalidConfigError,
    /// An idempotency store could not answer.
    StoreUnavailableError,
    /// An idempotency store lost its keys.
    StoreHistoryLostError,
    /// A webhook request failed verification.
    VerificationError,
    /// A webhook body or CloudEvent rejected whole.
    InvalidBodyError,
    /// A send through a channel client failed or was refused.
    SendError,
    /// A send without an answer within the timeout.
    SendTimeoutError,
    /// A send whose connection failed.
    SendConnectionError,
);

impl std::fmt::Display for ErrorClass {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name())
    }
}

impl ErrorCode {
    /// The class an error of this code is raised as in every binding. Exhaustive: a
    /// code added to the core does not compile until it has a class.
    pub fn class(self) -> ErrorClass {
        match self {
            ErrorCode::InvalidPhone => ErrorClass::InvalidPhoneError,
            ErrorCode::UnknownRegion => ErrorClass::UnknownRegionError,
            ErrorCode::InvalidEmail => ErrorClass::InvalidEmailError,
            ErrorCode::IllegalStatusTransition
            | ErrorCode::IllegalStageTransition
            | ErrorCode::AgentRequired => ErrorClass::IllegalTransitionError,
            ErrorCode::UnknownVariant => ErrorClass::UnknownVariantError,
            ErrorCode::InvalidJson => ErrorClass::InvalidJsonError,
            ErrorCode::EmptyId => ErrorClass::EmptyIdError,
            ErrorCode::InvalidScorecard => ErrorClass::InvalidScorecardError,
            ErrorCode::InvalidScoringData => ErrorClass::InvalidScoringDataError,
            ErrorCode::InvalidCampaign => ErrorClass::InvalidCampaignError,
            ErrorCode::InvalidConfig => ErrorClass::InvalidConfigError,
            ErrorCode::StoreUnavailable => ErrorClass::StoreUnavailableError,
            ErrorCode::StoreHistoryLost => ErrorClass::StoreHistoryLostError,
            // No class of their own (yet): the base class with the code.
            ErrorCode::InvalidLexicon
            | ErrorCode::InvalidModel
            | ErrorCode::InvalidCorpus
            | ErrorCode::UnknownAccount
            | ErrorCode::InvalidWhatsappId
            | ErrorCode::TimeOutOfRange => ErrorClass::ArichatError,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_class_is_listed_once_under_its_variant_name() {
        let names: Vec<&str> = ErrorClass::ALL.iter().map(|c| c.name()).collect();
        let mut unique = names.clone();
        unique.sort_unstable();
        unique.dedup();
        assert_eq!(unique.len(), names.len());
        for class in ErrorClass::ALL {
            assert_eq!(format!("{class:?}"), class.name());
        }
    }

    #[test]
    fn a_core_json_error_is_an_invalid_json_error() {
        assert_eq!(ErrorCode::InvalidJson.class(), ErrorClass::InvalidJsonError);
        assert_eq!(
            ErrorCode::AgentRequired.class(),
            ErrorClass::IllegalTransitionError
        );
    }
}
