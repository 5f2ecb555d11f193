//! One HTTP request with retries, rate limits and secret-free errors.
//!
//! Each attempt ends in one of four ways: a body (success); a refusal the vendor
//! provably did not act on (connect failure, 429 or "rate limited", 503 with
//! `Retry-After`), retried while attempts remain; a failure that may have reached the
//! vendor (timeout, dropped connection, any other 5xx or "temporary" error), retried
//! only for calls without a guarded side effect or under
//! [`SendGuarantee::AtLeastOnce`]; or a final answer. The rules and their reasons are
//! in [`retry`](super::retry).

use std::borrow::Cow;
use std::time::{Duration, SystemTime};

use arichat_core::Channel;
use reqwest::header::{HeaderMap, RETRY_AFTER};
use secrecy::{ExposeSecret, SecretString};
use serde::de::DeserializeOwned;

use super::config::HttpConfig;
use super::error::{SendError, VendorError, VendorErrorKind};
use super::rate_limit::{RateLimiter, RateLimits};
use super::retry::{parse_retry_after, RetryPolicy, SendGuarantee};

/// Parses an error answer: (operation, status, body, Retry-After) → vendor error. The
/// body it gets is already scrubbed of every secret, so it may cut it anywhere.
pub(crate) type ErrorParser = fn(&'static str, u16, &[u8], Option<Duration>) -> VendorError;

/// The identity of one logical send, the same for all its attempts.
#[derive(Debug, Clone)]
pub(crate) struct SendIds {
    /// Client-side id: 32 hex digits.
    pub request_id: String,
    /// What the vendor echoes in its status webhooks (WhatsApp
    /// `biz_opaque_callback_data`), when the request carries it.
    pub callback_data: Option<String>,
}

/// 128 random bits as hex. `fastrand` (already the jitter's source) suffices: the id
/// correlates a send with its webhooks, it guards nothing.
fn new_request_id() -> String {
    format!("{:032x}", fastrand::u128(..))
}

/// What one call needs besides the request itself.
pub(crate) struct Call<'a> {
    /// The API call, for errors and logs.
    pub operation: &'static str,
    /// The recipient, for per-recipient rate limits; `None` skips rate limiting
    /// entirely (reads, uploads, webhook management).
    pub recipient: Option<&'a str>,
    /// Whether the call counts against the send rate limits.
    pub rate_limited: bool,
    /// A send, whose repetition would reach the contact twice: guarded by
    /// [`SendGuarantee`]. `None` for calls that are safe to repeat.
    pub send: Option<SendIds>,
}

impl<'a> Call<'a> {
    /// A send to `recipient`, rate limited and guarded, with a fresh request id.
    pub fn send(operation: &'static str, recipient: &'a str) -> Self {
        Call {
            operation,
            recipient: Some(recipient),
            rate_limited: true,
            send: Some(SendIds {
                request_id: new_request_id(),
                callback_data: None,
            }),
        }
    }

    /// Any other call: safe to repeat.
    pub fn other(operation: &'static str) -> Self {
        Call {
            operation,
            recipient: None,
            rate_limited: false,
            send: None,
        }
    }

    /// Declares that the request carries the send's request id as data the vendor
    /// echoes back (WhatsApp `biz_opaque_callback_data`); returns that id.
    pub fn echo_request_id(&mut self) -> Option<String> {
        let ids = self.send.as_mut()?;
        ids.callback_data = Some(ids.request_id.clone());
        ids.callback_data.clone()
    }
}

/// A reqwest client with the channel's retry policy, limiter and secrets to scrub.
pub(crate) struct Transport {
    http: reqwest::Client,
    channel: Channel,
    /// What logs and `Debug` name: the channel, or a service without one.
    service: &'static str,
    retry: RetryPolicy,
    limiter: RateLimiter,
    secrets: Vec<SecretString>,
    parse_error: ErrorParser,
}

impl std::fmt::Debug for Transport {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Transport")
            .field("service", &self.service)
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
            service: channel.as_str(),
            retry: config.retry.clone(),
            limiter: RateLimiter::new(config.rate_limits.unwrap_or(default_limits)),
            secrets: secrets
                .into_iter()
                .filter(|s| !s.expose_secret().is_empty())
                .flat_map(|s| {
                    // A URL echoed in an error page holds the Telegram token with its
                    // `:` percent-encoded.
                    let encoded = percent_encoded(s.expose_secret());
                    let encoded = (encoded != s.expose_secret()).then(|| encoded.into());
                    std::iter::once(s).chain(encoded)
                })
                .collect(),
            parse_error,
        })
    }

    /// A transport for a service that is no channel (an LLM backend, Pub/Sub): no
    /// rate limits of its own; logs and `Debug` name `service`. The channel its errors
    /// carry is a placeholder the service's callers do not show.
    pub(crate) fn for_service(
        service: &'static str,
        config: &HttpConfig,
        secret: SecretString,
        parse_error: ErrorParser,
    ) -> Result<Self, SendError> {
        let mut transport = Transport::new(
            Channel::Whatsapp,
            config,
            RateLimits::NONE,
            vec![secret],
            parse_error,
        )?;
        transport.service = service;
        Ok(transport)
    }

    /// Runs the request `build` makes (again for each attempt) and returns the body of
    /// the first success, or the error once retries are exhausted or not allowed.
    pub(crate) async fn execute(
        &self,
        call: Call<'_>,
        build: impl Fn(&reqwest::Client) -> reqwest::RequestBuilder,
    ) -> Result<Vec<u8>, SendError> {
        let guarded = call.send.is_some();
        let mut attempt: u32 = 0;
        // Whether a guarded send may already have reached the vendor.
        let mut maybe_delivered = false;
        loop {
            attempt += 1;
            if call.rate_limited {
                self.limiter.acquire(call.recipient).await;
            }
            let outcome = self.attempt(&call, &build).await;
            let (error, requested_wait, unknown) = match outcome {
                Ok(body) => return Ok(body),
                Err(Failure::Final(e)) => {
                    return Err(self.finish(&call, e, attempt, maybe_delivered))
                }
                Err(Failure::Refused(e, wait)) => (e, wait, false),
                Err(Failure::Unknown(e, wait)) => (e, wait, guarded),
            };
            maybe_delivered |= unknown;
            let retry_allowed = attempt < self.retry.max_attempts
                && !(unknown && self.retry.guarantee == SendGuarantee::AtMostOnce);
            let delay = if retry_allowed {
                self.retry.delay(attempt - 1, requested_wait)
            } else {
                None
            };
            let Some(delay) = delay else {
                return Err(self.finish(&call, error, attempt, maybe_delivered));
            };
            tracing::warn!(
                service = self.service,
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
        let error = self.vendor_error(call.operation, status.as_u16(), &body, retry_after);
        let wait = error.retry_after;
        let refused = error.kind == VendorErrorKind::RateLimited
            || status.as_u16() == 429
            || (status.as_u16() == 503 && retry_after.is_some());
        let maybe_acted = error.kind.is_retryable() || status.is_server_error();
        let error = SendError::Vendor { error, attempts: 0 };
        Err(if refused {
            Failure::Refused(error, wait)
        } else if maybe_acted {
            Failure::Unknown(error, wait)
        } else {
            Failure::Final(error)
        })
    }

    /// The vendor's error answer. The body is scrubbed whole before parsing, which may
    /// cut it (an excerpt of an HTML page), so no cut can leave a piece of a secret;
    /// the parsed message is scrubbed again for secrets the JSON had escaped.
    fn vendor_error(
        &self,
        operation: &'static str,
        status: u16,
        body: &[u8],
        retry_after: Option<Duration>,
    ) -> VendorError {
        let mut body = Cow::Borrowed(body);
        for secret in &self.secrets {
            if let Some(scrubbed) = replace_bytes(&body, secret.expose_secret().as_bytes()) {
                body = Cow::Owned(scrubbed);
            }
        }
        let mut error = (self.parse_error)(operation, status, &body, retry_after);
        error.message = self.scrub(&error.message);
        error
    }

    /// A failed exchange: before the connection opened nothing was sent; after, the
    /// vendor may have got the request.
    fn transport_failure(&self, call: &Call<'_>, e: &reqwest::Error) -> Failure {
        if e.is_builder() {
            return Failure::Final(SendError::InvalidRequest(self.describe(e)));
        }
        // A connect timeout is both `is_connect` and `is_timeout`: nothing was sent.
        if e.is_connect() {
            return Failure::Refused(self.connection_error(call, e), None);
        }
        if e.is_timeout() {
            return Failure::Unknown(
                SendError::Timeout {
                    channel: self.channel,
                    operation: call.operation,
                    attempts: 0,
                },
                None,
            );
        }
        Failure::Unknown(self.connection_error(call, e), None)
    }

    fn connection_error(&self, call: &Call<'_>, e: &reqwest::Error) -> SendError {
        SendError::Connection {
            channel: self.channel,
            operation: call.operation,
            attempts: 0,
            reason: self.describe(e),
        }
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
                out = out.replace(s, REDACTED);
            }
        }
        out
    }

    /// The error of the last attempt, with the count of attempts; a guarded send that
    /// may have reached the vendor becomes [`SendError::OutcomeUnknown`].
    fn finish(
        &self,
        call: &Call<'_>,
        error: SendError,
        attempts: u32,
        maybe_delivered: bool,
    ) -> SendError {
        if let (true, Some(ids)) = (maybe_delivered, &call.send) {
            let reason = match &error {
                SendError::Timeout { .. } => "no answer within the timeout".to_owned(),
                SendError::Connection { reason, .. } => {
                    format!("the connection failed after the request was sent: {reason}")
                }
                SendError::Vendor { error, .. } => format!(
                    "HTTP {} ({}): {}",
                    error.http_status,
                    error.kind.code(),
                    error.message
                ),
                other => other.to_string(),
            };
            return SendError::OutcomeUnknown {
                channel: self.channel,
                operation: call.operation,
                attempts,
                request_id: ids.request_id.clone(),
                callback_data: ids.callback_data.clone(),
                reason,
                vendor: error.vendor().cloned().map(Box::new),
            };
        }
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

/// How an attempt failed, for the retry decision.
enum Failure {
    /// The vendor provably did not act on the request: retry while attempts remain.
    Refused(SendError, Option<Duration>),
    /// The vendor may have acted on it: a guarded send retries only at least once.
    Unknown(SendError, Option<Duration>),
    /// Do not retry.
    Final(SendError),
}

/// `hay` with every `needle` replaced by `[REDACTED]`; `None` when there is none.
/// Byte-wise, so it works on bodies that are not UTF-8; on UTF-8 it keeps UTF-8.
fn replace_bytes(hay: &[u8], needle: &[u8]) -> Option<Vec<u8>> {
    let find = |h: &[u8]| h.windows(needle.len()).position(|w| w == needle);
    let mut at = find(hay)?;
    let mut out = Vec::with_capacity(hay.len());
    let mut rest = hay;
    loop {
        out.extend_from_slice(&rest[..at]);
        out.extend_from_slice(REDACTED.as_bytes());
        rest = &rest[at + needle.len()..];
        match find(rest) {
            Some(next) => at = next,
            None => break,
        }
    }
    out.extend_from_slice(rest);
    Some(out)
}

const REDACTED: &str = "[REDACTED]";

/// `text` as it appears in a URL: bytes other than RFC 3986 unreserved ones as `%XX`.
fn percent_encoded(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for b in text.bytes() {
        if b.is_ascii_alphanumeric() || b"-._~".contains(&b) {
            out.push(char::from(b));
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

fn retry_after(headers: &HeaderMap) -> Option<Duration> {
    let value = headers.get(RETRY_AFTER)?.to_str().ok()?;
    parse_retry_after(value, SystemTime::now())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::client::vendor_error::{self, EXCERPT_MAX};

    const TOKEN: &str = "7001234567:AAHkq8Zw-Token_Straddle";

    fn transport(parse_error: ErrorParser) -> Transport {
        Transport::new(
            Channel::Telegram,
            &HttpConfig::default(),
            RateLimits::NONE,
            vec![SecretString::from(TOKEN)],
            parse_error,
        )
        .unwrap()
    }

    /// No run of 4 or more bytes of the token (or of its percent-encoded form) may
    /// survive. The fixed wording around the body ("unexpected body", "[REDACTED]",
    /// channel, status, kind) shares no 4-byte run with this token, so any such run is
    /// leakage — 4 bytes of a base64-ish token are 24 bits an attacker need not guess.
    /// Shorter runs ("ken", "add") occur in ordinary wording and would prove nothing.
    fn assert_no_piece_of_the_token(shown: &str, context: &str) {
        let encoded = percent_encoded(TOKEN);
        for secret in [TOKEN, encoded.as_str()] {
            for piece in secret.as_bytes().windows(4) {
                let piece = std::str::from_utf8(piece).unwrap();
                assert!(!shown.contains(piece), "{context}: {piece:?} in {shown}");
            }
        }
    }

    #[test]
    fn the_wording_shares_nothing_with_the_token_so_the_check_can_fail() {
        let t = transport(vendor_error::telegram);
        let leaked = format!("{}{}", ".".repeat(190), &TOKEN[..12]);
        let raw = vendor_error::telegram("sendMessage", 502, leaked.as_bytes(), None);
        let caught = std::panic::catch_unwind(|| assert_no_piece_of_the_token(&raw.message, ""));
        assert!(
            caught.is_err(),
            "a cut token must be caught: {}",
            raw.message
        );
        let clean = t.vendor_error("sendMessage", 502, b"nothing secret", None);
        assert_no_piece_of_the_token(&clean.to_string(), "clean");
    }

    /// The case: the token straddles the 200-byte cut of a non-JSON body.
    /// Every offset of the cut inside the token, for both parsers, with ASCII and
    /// multi-byte text before it, plain and percent-encoded.
    #[test]
    fn a_secret_straddling_every_cut_position_never_survives() {
        let parsers: [(&str, ErrorParser); 2] = [
            ("telegram", vendor_error::telegram),
            ("graph", |op, status, body, wait| {
                vendor_error::graph(Channel::Whatsapp, op, status, body, wait)
            }),
        ];
        let encoded = percent_encoded(TOKEN);
        assert_ne!(encoded, TOKEN);
        for (name, parse) in parsers {
            let t = transport(parse);
            for secret in [TOKEN, encoded.as_str()] {
                for filler in [".", "é", "€"] {
                    for inside in 0..=secret.len() {
                        // The cut falls `inside` bytes into the secret (rounded down
                        // to a character of the filler).
                        let before = EXCERPT_MAX.saturating_sub(inside) / filler.len();
                        let body = format!("{}{secret}{}", filler.repeat(before), "~".repeat(300));
                        for status in [400, 502] {
                            let error =
                                t.vendor_error("sendMessage", status, body.as_bytes(), None);
                            let shown = SendError::Vendor { error, attempts: 1 }.to_string();
                            assert_no_piece_of_the_token(
                                &shown,
                                &format!("{name} {filler} {inside} {status}"),
                            );
                        }
                    }
                }
            }
        }
    }

    #[test]
    fn secrets_are_replaced_in_bytes_that_are_not_utf8() {
        let mut body = vec![0xff, 0xfe];
        body.extend_from_slice(TOKEN.as_bytes());
        body.push(0x80);
        let scrubbed = replace_bytes(&body, TOKEN.as_bytes()).unwrap();
        assert_eq!(
            scrubbed,
            [&[0xff, 0xfe][..], REDACTED.as_bytes(), &[0x80]].concat()
        );
        assert_eq!(replace_bytes(b"clean", TOKEN.as_bytes()), None);
        let twice = format!("{TOKEN}-{TOKEN}");
        assert_eq!(
            replace_bytes(twice.as_bytes(), TOKEN.as_bytes()).unwrap(),
            b"[REDACTED]-[REDACTED]"
        );
    }
}
