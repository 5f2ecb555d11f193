//! Idempotency: recognising a redelivered event instead of applying it twice.

use std::collections::{HashMap, VecDeque};

use chrono::{DateTime, Duration, Utc};

use crate::CoreError;

/// Whether an idempotency key was new.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Seen {
    /// First time: apply the event.
    New,
    /// Seen within the TTL: a redelivery, do not apply again.
    Duplicate,
}

/// A store of idempotency keys with set-if-absent semantics.
///
/// The in-memory [`MemoryIdempotencyStore`] serves one process; several workers share
/// a Redis-backed store (in `arichat-channels`, feature `redis`).
pub trait IdempotencyStore {
    /// Records `key` at `now` if absent (or expired) and says whether it was new.
    ///
    /// # Errors
    /// A store that cannot answer (a lost connection) must fail rather than report
    /// [`Seen::New`] for a key it may have seen.
    fn check_and_insert(&mut self, key: &str, now: DateTime<Utc>) -> Result<Seen, CoreError>;
}

/// A bounded in-memory store: at most `capacity` keys, each kept for `ttl`; when full
/// the oldest key is evicted.
///
/// The default TTL is 7 days, the longest redelivery horizon of the platforms
/// (Meta retries failed webhook deliveries for up to 7 days; Telegram keeps pending
/// updates for 24 hours).
///
/// ```
/// use arichat_core::dedup::{IdempotencyStore, MemoryIdempotencyStore, Seen};
/// use chrono::Utc;
/// let mut store = MemoryIdempotencyStore::default();
/// let now = Utc::now();
/// assert_eq!(store.check_and_insert("whatsapp:msg:wamid.1", now).unwrap(), Seen::New);
/// assert_eq!(store.check_and_insert("whatsapp:msg:wamid.1", now).unwrap(), Seen::Duplicate);
/// ```
#[derive(Debug, Clone)]
pub struct MemoryIdempotencyStore {
    capacity: usize,
    ttl: Duration,
    seen: HashMap<Box<str>, DateTime<Utc>>,
    order: VecDeque<(Box<str>, DateTime<Utc>)>,
}

impl MemoryIdempotencyStore {
    /// Default TTL: 7 days.
    pub const DEFAULT_TTL: Duration = Duration::days(7);
    /// Default capacity: one million keys.
    pub const DEFAULT_CAPACITY: usize = 1_000_000;

    /// A store with the given bounds (`capacity` at least 1).
    pub fn new(capacity: usize, ttl: Duration) -> Self {
        MemoryIdempotencyStore {
            capacity: capacity.max(1),
            ttl,
            seen: HashMap::new(),
            order: VecDeque::new(),
        }
    }

    /// Number of keys held.
    pub fn len(&self) -> usize {
        self.seen.len()
    }

    /// Whether the store holds no key.
    pub fn is_empty(&self) -> bool {
        self.seen.is_empty()
    }

    fn evict(&mut self, now: DateTime<Utc>) {
        while let Some((key, at)) = self.order.front() {
            let expired = *at + self.ttl <= now;
            if !expired && self.seen.len() < self.capacity {
                break;
            }
            // Only remove the map entry if it still belongs to this queue slot.
            if self.seen.get(key) == Some(at) {
                self.seen.remove(key);
            }
            self.order.pop_front();
        }
    }
}

impl Default for MemoryIdempotencyStore {
    fn default() -> Self {
        Self::new(Self::DEFAULT_CAPACITY, Self::DEFAULT_TTL)
    }
}

impl IdempotencyStore for MemoryIdempotencyStore {
    fn check_and_insert(&mut self, key: &str, now: DateTime<Utc>) -> Result<Seen, CoreError> {
        if let Some(at) = self.seen.get(key) {
            if *at + self.ttl > now {
                return Ok(Seen::Duplicate);
            }
        }
        self.evict(now);
        let key: Box<str> = key.into();
        self.seen.insert(key.clone(), now);
        self.order.push_back((key, now));
        Ok(Seen::New)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn t(s: i64) -> DateTime<Utc> {
        Utc.timestamp_opt(1_700_000_000 + s, 0).unwrap()
    }

    #[test]
    fn ttl_expires_keys() {
        let mut s = MemoryIdempotencyStore::new(10, Duration::seconds(60));
        assert_eq!(s.check_and_insert("a", t(0)).unwrap(), Seen::New);
        assert_eq!(s.check_and_insert("a", t(59)).unwrap(), Seen::Duplicate);
        assert_eq!(s.check_and_insert("a", t(60)).unwrap(), Seen::New);
        assert_eq!(s.check_and_insert("a", t(100)).unwrap(), Seen::Duplicate);
    }

    #[test]
    fn capacity_evicts_oldest() {
        let mut s = MemoryIdempotencyStore::new(3, Duration::days(1));
        for (i, k) in ["a", "b", "c", "d"].iter().enumerate() {
            assert_eq!(s.check_and_insert(k, t(i as i64)).unwrap(), Seen::New);
        }
        assert_eq!(s.len(), 3);
        assert_eq!(s.check_and_insert("d", t(5)).unwrap(), Seen::Duplicate);
        assert_eq!(s.check_and_insert("b", t(5)).unwrap(), Seen::Duplicate);
        assert_eq!(s.check_and_insert("a", t(5)).unwrap(), Seen::New);
        assert!(s.len() <= 3);
    }

    #[test]
    fn bounded_under_churn() {
        let mut s = MemoryIdempotencyStore::new(100, Duration::seconds(10));
        for i in 0..10_000 {
            s.check_and_insert(&format!("k{}", i % 250), t(i / 7))
                .unwrap();
            assert!(s.len() <= 100);
            assert!(s.order.len() <= 10_000);
        }
    }
}
