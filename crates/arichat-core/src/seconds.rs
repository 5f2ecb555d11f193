//! Durations given as seconds by a binding's caller (Python floats, JS numbers): one
//! check and one error for every option that takes them.

use std::time::Duration;

use crate::CoreError;

/// `seconds` as a [`Duration`], or [`CoreError::InvalidConfig`] naming `what` (the
/// object configured) and `name` (the option) when it is negative, NaN, infinite, or
/// 2^64 seconds or more.
///
/// ```
/// use arichat_core::seconds;
/// assert_eq!(seconds("redis store", "ttl_seconds", 1.5).unwrap().as_millis(), 1500);
/// let err = seconds("redis store", "ttl_seconds", -1.0).unwrap_err();
/// assert_eq!(err.code(), "invalid_config");
/// assert!(err.to_string().contains("ttl_seconds must be a number of seconds from 0 to 2^64"));
/// ```
pub fn seconds(what: &'static str, name: &str, seconds: f64) -> Result<Duration, CoreError> {
    Duration::try_from_secs_f64(seconds).map_err(|_| CoreError::InvalidConfig {
        what,
        reason: format!("{name} must be a number of seconds from 0 to 2^64, got {seconds}"),
    })
}
