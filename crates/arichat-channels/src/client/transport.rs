//! One HTTP request with retries, rate limits and secret-free errors.

use std::time::{Duration, SystemTime};

use arichat_core::Channel;
use reqwest::header::{HeaderMap, RETRY_AFTER};
use secrecy::{ExposeSecret, SecretString};
use serde::de::DeserializeOwned;

use super::config::HttpConfig;
use super::error::{SendError, VendorError};
use super::rate_limit::{RateLimiter, RateLimits};
use super::retry::{parse_retry_after, RetryPolicy};

/// Parses an error answer: (operation, status, body, Retry-After) → vendor error.
pub(crate) type ErrorParser = fn(&'static str, u16, &[u8], Option<Duration>) -> VendorError;

/// What one call needs besides the request itself.
pub(crate) struct Call<'a> {
    /// The API call, for errors and logs.
    pub operation: &'static str,
    /// The recipient, for per-recipient rate limits; `None` skips rate limiting
    /// entirely (reads, uploads, webhook management).
    pub recipient: Option<&'a str>,
    /// Whether the call counts against the send rate limits.
    pub rate_limited: bool,
}

impl<'a> Call<'a> {
    /// A send to `recipient`, rate limited.
    pub fn send(operation: &'static str, recipient: &'a str) -> Self {
        Call {
            operation,
            recipient: Some(recipient),
            rate_limited: true,
        }
    }

    /// Any other call.
    pub fn other(operation: &'static str) -> Self {
        Call {
            operation,
            recipient: None,
            rate_limited: false,
        }
    }
}

/// A reqwest client with the channel's retry policy, limiter and secrets to scrub.
pub(crate) struct Transport {
    http: reqwest::Client,
    channel: Channel,
    retry: RetryPolicy,
    limiter: RateLimiter,
    secrets: Vec<SecretString>,
    parse_error: ErrorParser,
}

impl std::fmt::Debug for Transport {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Transport")
            .field("channel", &self.channel)
            .field("retry", &self.retry)
            .finish_non_exhaustive()
    }
}

impl Transport {
    pub(crate) fn new(
        channel: Channel,
        config: &HttpConfig,
        default_limits: RateLimits,
        secrets: Vec<SecretString>,
        parse_error: ErrorParser,
    ) -> Result<Self, SendError> {
        let http = reqwest::Client::builder()
            .timeout(config.timeout)
            .connect_timeout(config.connect_timeout)
            .user_agent(config.user_agent.clone())
            .build()
            .map_err(|e| SendError::InvalidRequest(format!("HTTP client: {}", e.without_url())))?;
        Ok(Transport {
            http,
            channel,
            retry: config.retry.clone(),
            limiter: RateLimiter::new(config.rate_limits.unwrap_or(default_limits)),
            secrets: secrets
                .into_iter()
                .filter(|s| !s.expose_secret().is_empty())
                .collect(),
            parse_error,
        })
    }

    /// Runs the request `build` makes (again for each attempt) and returns the body of
    /// the first success, or the error once retries are exhausted or not allowed.
    pub(crate) async fn execute(
        &self,
        call: Call<'_>,
        build: impl Fn(&reqwest::Client) -> reqwest::RequestBuilder,
    ) -> Result<Vec<u8>, SendError> {
        let mut attempt: u32 = 0;
        loop {
            attempt += 1;
            if call.rate_limited {
                self.limiter.acquire(call.recipient).await;
            }
            let outcome = self.attempt(&call, &build).await;
            let (error, requested_wait) = match outcome {
                Ok(body) => return Ok(body),
                Err(Failure::Final(e)) => return Err(self.finish(e, attempt)),
                Err(Failure::Retryable(e, wait)) => (e, wait),
            };
            let timed_out = matches!(error, SendError::Timeout { .. });
            let retry_allowed =
                attempt < self.retry.max_attempts && (self.retry.retry_timeouts || !timed_out);
            let delay = if retry_allowed {
                self.retry.delay(attempt - 1, requested_wait)
            } else {
                None
            };
            let Some(delay) = delay else {
                return Err(self.finish(error, attempt));
            };
            tracing::warn!(
                channel = %self.channel,
                operation = call.operation,
                attempt,
                delay_ms = delay.as_millis() as u64,
                error = %error,
                "retrying"
            );
            tokio::time::sleep(delay).await;
        }
    }

    /// [`execute`](Self::execute), then the body parsed as `T`.
    pub(crate) async fn execute_json<T: DeserializeOwned>(
        &self,
        call: Call<'_>,
        build: impl Fn(&reqwest::Client) -> reqwest::RequestBuilder,
    ) -> Result<T, SendError> {
        let operation = call.operation;
        let body = self.execute(call, build).await?;
        serde_json::from_slice(&body).map_err(|e| SendError::MalformedResponse {
            channel: self.channel,
            operation,
            status: 200,
            reason: self.scrub(&e.to_string()),
        })
    }

    async fn attempt(
        &self,
        call: &Call<'_>,
        build: &impl Fn(&reqwest::Client) -> reqwest::RequestBuilder,
    ) -> Result<Vec<u8>, Failure> {
        let response = match build(&self.http).send().await {
            Ok(r) => r,
            Err(e) => return Err(self.transport_failure(call, &e)),
        };
        let status = response.status();
        let retry_after = retry_after(response.headers());
        let body = match response.bytes().await {
            Ok(b) => b.to_vec(),
            Err(e) => return Err(self.transport_failure(call, &e)),
        };
        if status.is_success() {
            return Ok(body);
        }
        let mut error = (self.parse_error)(call.operation, status.as_u16(), &body, retry_after);
        error.message = self.scrub(&error.message);
        let retryable =
            error.kind.is_retryable() || status.as_u16() == 429 || status.is_server_error();
        let wait = error.retry_after;
        let error = SendError::Vendor { error, attempts: 0 };
        Err(if retryable {
            Failure::Retryable(error, wait)
        } else {
            Failure::Final(error)
        })
    }

    fn transport_failure(&self, call: &Call<'_>, e: &reqwest::Error) -> Failure {
        if e.is_timeout() {
            return Failure::Retryable(
                SendError::Timeout {
                    channel: self.channel,
                    operation: call.operation,
                    attempts: 0,
                },
                None,
            );
        }
        if e.is_builder() {
            return Failure::Final(SendError::InvalidRequest(self.describe(e)));
        }
        Failure::Retryable(
            SendError::Connection {
                channel: self.channel,
                operation: call.operation,
                attempts: 0,
                reason: self.describe(e),
            },
            None,
        )
    }

    /// A reqwest error as text without its URL (which holds the Telegram token): its
    /// kind, then its sources; every secret removed as a second guard.
    fn describe(&self, e: &reqwest::Error) -> String {
        let mut text = String::from(if e.is_connect() {
            "connect error"
        } else if e.is_body() || e.is_decode() {
            "error reading the response"
        } else if e.is_request() {
            "error sending the request"
        } else {
            "HTTP error"
        });
        let mut source = std::error::Error::source(e);
        while let Some(err) = source {
            text.push_str(": ");
            text.push_str(&err.to_string());
            source = err.source();
        }
        self.scrub(&text)
    }

    pub(crate) fn scrub(&self, text: &str) -> String {
        let mut out = text.to_owned();
        for secret in &self.secrets {
            let s = secret.expose_secret();
            if out.contains(s) {
                out = out.replace(s, "[REDACTED]");
            }
        }
        out
    }

    fn finish(&self, error: SendError, attempts: u32) -> SendError {
        match error {
            SendError::Vendor { error, .. } => SendError::Vendor { error, attempts },
            SendError::Timeout {
                channel, operation, ..
            } => SendError::Timeout {
                channel,
                operation,
                attempts,
            },
            SendError::Connection {
                channel,
                operation,
                reason,
                ..
            } => SendError::Connection {
                channel,
                operation,
                attempts,
                reason,
            },
            other => other,
        }
    }
}

enum Failure {
    Retryable(SendError, Option<Duration>),
    Final(SendError),
}

fn retry_after(headers: &HeaderMap) -> Option<Duration> {
    let value = headers.get(RETRY_AFTER)?.to_str().ok()?;
    parse_retry_after(value, SystemTime::now())
}
