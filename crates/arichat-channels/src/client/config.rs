//! HTTP settings shared by every client.

use std::time::Duration;

use super::error::SendError;
use super::rate_limit::RateLimits;
use super::retry::{RetryPolicy, SendGuarantee};

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

/// The HTTP settings a binding or the CLI receives, each optional, as plain values:
/// [`build`](Self::build) turns them into an [`HttpConfig`], so defaults, clamps and
/// name parsing are decided here and nowhere else.
///
/// ```
/// use std::time::Duration;
/// use arichat_channels::client::{HttpOptions, SendGuarantee};
/// let http = HttpOptions {
///     timeout: Some(Duration::from_secs(5)),
///     max_attempts: Some(0),
///     guarantee: Some("at_least_once".into()),
///     ..HttpOptions::default()
/// }
/// .build()
/// .unwrap();
/// assert_eq!(http.retry.max_attempts, 1); // at least the first attempt
/// assert_eq!(http.retry.guarantee, SendGuarantee::AtLeastOnce);
/// let bad = HttpOptions { guarantee: Some("twice".into()), ..HttpOptions::default() }.build();
/// assert_eq!(bad.unwrap_err().code(), "invalid_request");
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct HttpOptions {
    /// Whole-request timeout (default 30 s).
    pub timeout: Option<Duration>,
    /// Requests at most per call, the first included (default 4; 0 counts as 1).
    pub max_attempts: Option<u32>,
    /// Backoff before the first retry (default 500 ms).
    pub retry_base_delay: Option<Duration>,
    /// `"at_most_once"` (default) or `"at_least_once"`: see [`SendGuarantee`].
    pub guarantee: Option<String>,
}

impl HttpOptions {
    /// The [`HttpConfig`] these options describe, defaults filled in; an unknown
    /// guarantee is [`SendError::InvalidRequest`].
    pub fn build(&self) -> Result<HttpConfig, SendError> {
        self.apply_to(HttpConfig::default())
    }

    /// `http` with the options that are set applied over it: for a client whose
    /// defaults are not [`HttpConfig::default`] (an LLM backend waits less).
    pub fn apply_to(&self, mut http: HttpConfig) -> Result<HttpConfig, SendError> {
        if let Some(t) = self.timeout {
            http.timeout = t;
        }
        if let Some(n) = self.max_attempts {
            http.retry.max_attempts = n.max(1);
        }
        if let Some(d) = self.retry_base_delay {
            http.retry.base_delay = d;
        }
        if let Some(g) = &self.guarantee {
            http.retry.guarantee = g
                .parse::<SendGuarantee>()
                .map_err(|e| SendError::InvalidRequest(e.to_string()))?;
        }
        Ok(http)
    }
}
