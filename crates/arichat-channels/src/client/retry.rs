//! When to try again: exponential backoff with jitter, capped, honouring the vendor's
//! requested wait.

use std::time::{Duration, SystemTime};

/// Retry settings of a client.
///
/// Retries happen on HTTP 429, 5xx, vendor errors that mean "temporary" or "rate
/// limited", timeouts and connection failures — never on other 4xx answers. The wait
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
    /// Retry requests that timed out (the vendor may have acted on them).
    pub retry_timeouts: bool,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        RetryPolicy {
            max_attempts: 4,
            base_delay: Duration::from_millis(500),
            max_delay: Duration::from_secs(30),
            max_retry_after: Duration::from_secs(60),
            jitter: true,
            retry_timeouts: true,
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
