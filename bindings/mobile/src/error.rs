//! The one error of the bindings: a [`CoreError`] becomes [`ArichatError::Core`] with its
//! [`ErrorCode`], in one `From`.

use std::time::SystemTime;

use arichat_core::{CoreError, ErrorCode};
use chrono::{DateTime, Utc};

/// Every error the bindings raise, coarse as in matrix-rust-sdk: Kotlin sees a sealed
/// `ArichatException` (`ArichatException.Core`, `ArichatException.Store`; both carry
/// `code` and `msg`, and `ArichatException.code` reads it on the base type), Swift an
/// `ArichatError` enum (`.core(code:msg:)`, `.store(code:msg:)`).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error, uniffi::Error)]
pub enum ArichatError {
    /// An error of the core: `code` is its kind (the closed set of
    /// [`CoreError::error_code`], whose snake_case names every binding shows), `msg` the
    /// Rust message verbatim. A time argument outside the core's years is
    /// `TIME_OUT_OF_RANGE`.
    #[error("{msg}")]
    Core {
        /// What kind of error.
        code: ErrorCode,
        /// The Rust message (never a phone number, an email or a secret).
        msg: String,
    },
    /// The app's [`crate::AssignmentStore`] failed: what it threw (an
    /// `ArichatException.Store` it raised itself keeps its code and message; any other
    /// exception arrives as `STORE_UNAVAILABLE` with its description).
    #[error("{msg}")]
    Store {
        /// What kind of error (`STORE_UNAVAILABLE` unless the store said otherwise).
        code: ErrorCode,
        /// The message.
        msg: String,
    },
}

impl ArichatError {
    /// A store failure: [`ArichatError::Store`] with `STORE_UNAVAILABLE`.
    pub(crate) fn store(msg: String) -> Self {
        ArichatError::Store {
            code: ErrorCode::StoreUnavailable,
            msg,
        }
    }
}

/// An exception a foreign [`crate::AssignmentStore`] threw that is not an
/// `ArichatException`.
impl From<uniffi::UnexpectedUniFFICallbackError> for ArichatError {
    fn from(err: uniffi::UnexpectedUniFFICallbackError) -> Self {
        ArichatError::store(err.reason)
    }
}

impl From<CoreError> for ArichatError {
    fn from(err: CoreError) -> Self {
        ArichatError::Core {
            code: err.error_code(),
            msg: err.to_string(),
        }
    }
}

/// Result of every fallible exported function.
pub type Result<T, E = ArichatError> = std::result::Result<T, E>;

/// A time argument (`Instant`, `Date`) as UTC, or `TIME_OUT_OF_RANGE`.
pub(crate) fn to_utc(time: SystemTime) -> Result<DateTime<Utc>> {
    arichat_core::utc_from_system_time(time).ok_or_else(|| CoreError::TimeOutOfRange.into())
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::{Duration, UNIX_EPOCH};

    #[test]
    fn core_errors_keep_their_code_and_message() {
        let err = "ZZ".parse::<arichat_core::Region>().unwrap_err();
        let mapped = ArichatError::from(err.clone());
        assert_eq!(
            mapped,
            ArichatError::Core {
                code: ErrorCode::UnknownRegion,
                msg: err.to_string()
            }
        );
        let far = UNIX_EPOCH + Duration::from_secs(i64::MAX as u64);
        assert_eq!(
            to_utc(far),
            Err(ArichatError::Core {
                code: ErrorCode::TimeOutOfRange,
                msg: "timestamp out of range".to_owned()
            })
        );
    }
}
