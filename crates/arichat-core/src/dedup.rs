//! Idempotency: recognising a redelivered event instead of applying it twice.

use std::collections::hash_map::RandomState;
use std::collections::{HashSet, VecDeque};
use std::hash::{BuildHasher, BuildHasherDefault, Hash, Hasher};

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
/// Keys are not stored: each is reduced to a 128-bit fingerprint (two SipHash-1-3
/// digests under random keys chosen per store) and its time: one million keys hold
/// 58 MiB, about 61 bytes a key whatever the key's length (see BENCHMARKS.md and
/// `examples/dedup_memory.rs`). Two different keys
/// would be mistaken for one another only on a 128-bit collision, which the random
/// hash keys make unpredictable; for a full store of a million keys its probability is
/// below 10^-26. Times are kept to the microsecond; if `now` ever goes backwards, a new
/// key is dated at the latest time already held.
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
    /// TTL in microseconds.
    ttl: i64,
    /// Two independently keyed hashers: together, a 128-bit fingerprint.
    hashers: [RandomState; 2],
    /// The fingerprints held: exactly those in `order`.
    seen: HashSet<Fingerprint, BuildHasherDefault<FingerprintHasher>>,
    /// Fingerprints with the time (µs since the epoch) they were recorded, oldest first.
    order: VecDeque<(Fingerprint, i64)>,
}

/// A key's 128-bit fingerprint.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Fingerprint(u64, u64);

impl Hash for Fingerprint {
    fn hash<H: Hasher>(&self, state: &mut H) {
        // Already a keyed hash: its first half is the table hash.
        state.write_u64(self.0);
    }
}

/// Passes a [`Fingerprint`]'s first half through as the table hash.
#[derive(Debug, Default, Clone, Copy)]
struct FingerprintHasher(u64);

impl Hasher for FingerprintHasher {
    fn finish(&self) -> u64 {
        self.0
    }

    fn write(&mut self, bytes: &[u8]) {
        // Only write_u64 is used; fold anything else in all the same.
        for &b in bytes {
            self.0 = self.0.rotate_left(8) ^ u64::from(b);
        }
    }

    fn write_u64(&mut self, n: u64) {
        self.0 = n;
    }
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
            ttl: ttl.num_microseconds().unwrap_or(i64::MAX),
            hashers: [RandomState::new(), RandomState::new()],
            seen: HashSet::default(),
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

    fn fingerprint(&self, key: &str) -> Fingerprint {
        Fingerprint(self.hashers[0].hash_one(key), self.hashers[1].hash_one(key))
    }

    /// Drops the keys whose TTL has run out at `now`: they are at the front, since
    /// recorded times never decrease along the queue.
    fn expire(&mut self, now: i64) {
        while let Some(&(fp, at)) = self.order.front() {
            if at.saturating_add(self.ttl) > now {
                break;
            }
            self.seen.remove(&fp);
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
        // chrono's range (±262,000 years) fits in i64 microseconds.
        let now = now.timestamp_micros();
        self.expire(now);
        let fp = self.fingerprint(key);
        if self.seen.contains(&fp) {
            return Ok(Seen::Duplicate);
        }
        while self.seen.len() >= self.capacity {
            match self.order.pop_front() {
                Some((oldest, _)) => self.seen.remove(&oldest),
                None => break,
            };
        }
        let at = match self.order.back() {
            Some(&(_, last)) => now.max(last),
            None => now,
        };
        self.seen.insert(fp);
        self.order.push_back((fp, at));
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
            assert_eq!(s.order.len(), s.len(), "one queue slot per key held");
        }
    }

    #[test]
    fn many_distinct_keys_stay_distinct() {
        let mut s = MemoryIdempotencyStore::new(200_000, Duration::days(1));
        let keys: Vec<String> = (0..100_000)
            .map(|i| format!("whatsapp:106540352242922:msg:wamid.HBgM{i:012}"))
            .collect();
        for k in &keys {
            assert_eq!(s.check_and_insert(k, t(0)).unwrap(), Seen::New, "{k}");
        }
        for k in &keys {
            assert_eq!(s.check_and_insert(k, t(1)).unwrap(), Seen::Duplicate, "{k}");
        }
        assert_eq!(s.len(), keys.len());
    }

    #[test]
    fn time_going_backwards_keeps_keys_at_least_their_ttl() {
        let mut s = MemoryIdempotencyStore::new(10, Duration::seconds(60));
        assert_eq!(s.check_and_insert("late", t(100)).unwrap(), Seen::New);
        // A clock step back: the key is dated 100, not 50, and outlives "late".
        assert_eq!(s.check_and_insert("early", t(50)).unwrap(), Seen::New);
        assert_eq!(
            s.check_and_insert("early", t(159)).unwrap(),
            Seen::Duplicate
        );
        assert_eq!(s.check_and_insert("late", t(160)).unwrap(), Seen::New);
        assert_eq!(s.check_and_insert("early", t(160)).unwrap(), Seen::New);
    }

    #[test]
    fn sub_second_times_count() {
        let mut s = MemoryIdempotencyStore::new(10, Duration::milliseconds(1500));
        let base = t(0);
        assert_eq!(s.check_and_insert("a", base).unwrap(), Seen::New);
        let almost = base + Duration::microseconds(1_499_999);
        assert_eq!(s.check_and_insert("a", almost).unwrap(), Seen::Duplicate);
        let at = base + Duration::milliseconds(1500);
        assert_eq!(s.check_and_insert("a", at).unwrap(), Seen::New);
    }
}
