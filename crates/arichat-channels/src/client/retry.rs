//! When to try again: exponential backoff with jitter, capped, honouring the vendor's
//! requested wait — and whether a send whose outcome is unknown may be sent again.
//!
//! # At most once, unless the caller says otherwise
//!
//! A send (a WhatsApp, Messenger, Instagram or Telegram message) is retried only when
//! the vendor provably did not act on it:
//!
//! 1. the connection could not be opened (nothing was written);
//! 2. HTTP 429, or a vendor error meaning "rate limited" (the vendor refused it);
//! 3. HTTP 503 with `Retry-After` (the vendor refused it and said when to come back).
//!
//! Every other failure after the request was written — a timeout, a dropped
//! connection, a 500, 502, 504, a 503 without `Retry-After`, a Graph "temporary"
//! error — may have delivered the message: Meta answers 500 for failures after it
//! queued the message, and a gateway's 502/504 says nothing about the server behind
//! it. Under [`SendGuarantee::AtMostOnce`] (the default) such a send stops at once
//! with [`SendError::OutcomeUnknown`](super::SendError::OutcomeUnknown), carrying the
//! send's client-side `request_id` (and, on WhatsApp, the `biz_opaque_callback_data`
//! the status webhooks echo) so the caller can reconcile before sending again.
//! [`SendGuarantee::AtLeastOnce`] retries those too, accepting duplicates; if any
//! attempt's outcome was unknown the final error is still `OutcomeUnknown`.
//!
//! Calls without a side effect worth guarding (reads, uploads, read receipts, typing
//! indicators, webhook settings, Conversions API events, which Meta deduplicates by
//! `event_id`) retry every temporary failure under both guarantees.

use std::time::{Duration, SystemTime};

arichat_core::named_enum!(
    /// Whether a send whose outcome is unknown may be sent again. See the
    /// [module documentation](self) for what counts as unknown.
    ///
    /// ```
    /// use arichat_channels::client::SendGuarantee;
    /// assert_eq!(SendGuarantee::default(), SendGuarantee::AtMostOnce);
    /// assert_eq!("at_least_once".parse::<SendGuarantee>().unwrap(), SendGuarantee::AtLeastOnce);
    /// assert_eq!(SendGuarantee::AtMostOnce.as_str(), "at_most_once");
    /// assert!("twice".parse::<SendGuarantee>().is_err());
    /// ```
    #[derive(Default)]
    SendGuarantee, "send guarantee", "at_most_once, at_least_once", {
        /// Never send again after a timeout, a dropped connection or an ambiguous
        /// server error; report `outcome_unknown` instead. The default.
        #[default]
        AtMostOnce => "at_most_once",
        /// Retry those too: the contact may get the message twice.
        AtLeastOnce => "at_least_once",
    }
);

/// Retry settings of a client.
///
/// Retries happen on HTTP 429, 5xx, vendor errors that mean "temporary" or "rate
/// limited", timeouts and connection failures — never on other 4xx answers, and for
/// sends only as far as [`guarantee`](Self::guarantee) allows. The wait
/// before retry `n` (from 0) is `base_delay × 2ⁿ`, capped at `max_delay`, with "equal
/// jitter" (uniform in the upper half) when `jitter` is on; when the vendor names a
/// wait (`Retry-After`, Telegram `retry_after`) the client waits at least that long —
/// unless it exceeds `max_retry_after`, in which case the error is returned at once.
///
/// ```
/// use std::time::Duration;
/// use arichat_channels::client::RetryPolicy;
/// let policy = RetryPolicy { jitter: false, ..RetryPolicy::default() };
/// assert_eq!(policy.delay(0, None), Some(Duration::from_millis(500)));
/// assert_eq!(policy.delay(2, None), Some(Duration::from_secs(2)));
/// assert_eq!(policy.delay(0, Some(Duration::from_secs(3))), Some(Duration::from_secs(3)));
/// assert_eq!(policy.delay(0, Some(Duration::from_secs(3600))), None);
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RetryPolicy {
    /// Requests at most, the first included (1 = no retries).
    pub max_attempts: u32,
    /// Backoff before the first retry.
    pub base_delay: Duration,
    /// Backoff never grows past this.
    pub max_delay: Duration,
    /// Longest vendor-requested wait the client sleeps through.
    pub max_retry_after: Duration,
    /// Randomize waits so a fleet of workers does not retry in lockstep.
    pub jitter: bool,
    /// Whether a send whose outcome is unknown (timeout, dropped connection,
    /// ambiguous 5xx) is sent again.
    pub guarantee: SendGuarantee,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        RetryPolicy {
            max_attempts: 4,
            base_delay: Duration::from_millis(500),
            max_delay: Duration::from_secs(30),
            max_retry_after: Duration::from_secs(60),
            jitter: true,
            guarantee: SendGuarantee::AtMostOnce,
        }
    }
}

impl RetryPolicy {
    /// One attempt, no retries.
    pub fn none() -> Self {
        RetryPolicy {
            max_attempts: 1,
            ..RetryPolicy::default()
        }
    }

    /// The wait before retry number `retry` (0 = the first retry), given the vendor's
    /// requested wait; `None` when the vendor asks for more than `max_retry_after`.
    pub fn delay(&self, retry: u32, requested: Option<Duration>) -> Option<Duration> {
        if requested.is_some_and(|r| r > self.max_retry_after) {
            return None;
        }
        let exp = self
            .base_delay
            .saturating_mul(2u32.saturating_pow(retry.min(31)))
            .min(self.max_delay);
        let backoff = if self.jitter && !exp.is_zero() {
            let half = exp / 2;
            let spread = u64::try_from(half.as_nanos()).unwrap_or(u64::MAX);
            half + Duration::from_nanos(fastrand::u64(0..=spread))
        } else {
            exp
        };
        Some(requested.map_or(backoff, |r| r.max(backoff)))
    }
}

/// Parses a `Retry-After` header: delay-seconds or an HTTP date.
pub(crate) fn parse_retry_after(value: &str, now: SystemTime) -> Option<Duration> {
    let value = value.trim();
    if let Ok(secs) = value.parse::<u64>() {
        return Some(Duration::from_secs(secs));
    }
    let at = chrono::DateTime::parse_from_rfc2822(value).ok()?;
    let at = SystemTime::UNIX_EPOCH + Duration::from_secs(u64::try_from(at.timestamp()).ok()?);
    Some(at.duration_since(now).unwrap_or(Duration::ZERO))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_grows_caps_and_jitters_within_bounds() {
        let policy = RetryPolicy {
            base_delay: Duration::from_millis(100),
            max_delay: Duration::from_millis(1000),
            ..RetryPolicy::default()
        };
        for retry in 0..10 {
            let exp = Duration::from_millis(100 * 2u64.pow(retry)).min(Duration::from_millis(1000));
            for _ in 0..50 {
                let d = policy.delay(retry, None).unwrap();
                assert!(d >= exp / 2 && d <= exp, "{retry}: {d:?} vs {exp:?}");
            }
        }
        // The vendor's wait wins over a shorter backoff.
        assert!(policy.delay(0, Some(Duration::from_secs(5))).unwrap() >= Duration::from_secs(5));
    }

    #[test]
    fn retry_after_as_seconds_or_http_date() {
        let now = SystemTime::UNIX_EPOCH + Duration::from_secs(784_111_777); // Sun, 06 Nov 1994 08:49:37 GMT
        assert_eq!(parse_retry_after("7", now), Some(Duration::from_secs(7)));
        assert_eq!(
            parse_retry_after("Sun, 06 Nov 1994 08:49:47 GMT", now),
            Some(Duration::from_secs(10))
        );
        assert_eq!(
            parse_retry_after("Sun, 06 Nov 1994 08:49:00 GMT", now),
            Some(Duration::ZERO)
        );
        assert_eq!(parse_retry_after("soon", now), None);
    }
}
