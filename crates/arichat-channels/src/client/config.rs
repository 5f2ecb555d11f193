//! HTTP settings shared by every client.

use std::time::Duration;

use super::rate_limit::RateLimits;
use super::retry::RetryPolicy;

/// Timeouts, retries and rate limits of a client. `Default` is production-ready; tests
/// shorten the waits.
///
/// ```
/// use std::time::Duration;
/// use arichat_channels::client::{HttpConfig, RetryPolicy};
/// let http = HttpConfig {
///     timeout: Duration::from_secs(10),
///     retry: RetryPolicy { max_attempts: 3, ..RetryPolicy::default() },
///     ..HttpConfig::default()
/// };
/// assert_eq!(http.connect_timeout, Duration::from_secs(5));
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HttpConfig {
    /// Whole-request timeout (connect, send, and read the answer).
    pub timeout: Duration,
    /// Connect timeout.
    pub connect_timeout: Duration,
    /// Retries.
    pub retry: RetryPolicy,
    /// Client-side rate limits; `None` takes the channel's defaults.
    pub rate_limits: Option<RateLimits>,
    /// `User-Agent` header.
    pub user_agent: String,
}

impl Default for HttpConfig {
    fn default() -> Self {
        HttpConfig {
            timeout: Duration::from_secs(30),
            connect_timeout: Duration::from_secs(5),
            retry: RetryPolicy::default(),
            rate_limits: None,
            user_agent: format!("arichat/{}", env!("CARGO_PKG_VERSION")),
        }
    }
}
