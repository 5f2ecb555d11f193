//! Idempotency: recognising a redelivered event instead of applying it twice.

use std::collections::hash_map::RandomState;
use std::collections::VecDeque;
use std::hash::BuildHasher;

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
/// 56 MiB, about 59 bytes a key whatever the key's length (see BENCHMARKS.md and
/// `examples/dedup_memory.rs`). Two different keys
/// would be mistaken for one another only on a 128-bit collision, which the random
/// hash keys make unpredictable; for a full store of a million keys its probability is
/// below 10^-26. Times are kept to the microsecond; if `now` ever goes backwards, a new
/// key is dated at the latest time already held.
///
/// # No call does unbounded work
///
/// The store is sized for `capacity` when it is made and never grows: no insert
/// stops to rehash a table or copy a queue (a doubling hash set once took 25 ms inside
/// one insert at 917 k keys). The memory is reserved, not touched: the operating system
/// hands out pages as keys arrive, so an empty store with the default capacity holds
/// next to nothing. Expired keys are dropped at most [`EXPIRE_PER_CALL`](Self::EXPIRE_PER_CALL)
/// per call, oldest first (a quiet week would otherwise expire a million keys in the
/// next insert); a key found expired before its turn is treated as new all the same.
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
    /// The keys held, by fingerprint, each pointing at its record in `order`.
    table: Table,
    /// Records (fingerprint, µs time) oldest first; a record whose key was re-recorded
    /// after expiring is dead ([`DEAD`]) and only waits for its turn to leave.
    order: VecDeque<(Fingerprint, i64)>,
    /// The sequence number of `order`'s front record (each record's number is its
    /// position plus this).
    head: u64,
}

/// A key's 128-bit fingerprint; never all zero (the table's empty bucket).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Fingerprint(u64, u64);

/// A record whose key was recorded again after it expired.
const DEAD: Fingerprint = Fingerprint(0, 0);

/// Open addressing with linear probing over a fixed power-of-two number of buckets (at
/// least twice the capacity, so probes stay short), deleting by shifting back (no
/// tombstones, so the table never needs a rebuild). A bucket holds the fingerprint's
/// first half and, in the second word, the upper half of its second half with the low
/// 32 bits of its record's sequence number: the record holds the whole fingerprint
/// and the time.
#[derive(Debug, Clone)]
struct Table {
    buckets: Vec<[u64; 2]>,
    len: usize,
}

const SEQ_BITS: u64 = 0xFFFF_FFFF;

impl Table {
    fn new(capacity: usize) -> Table {
        let n = capacity.saturating_mul(2).next_power_of_two().max(16);
        // All-zero buckets: allocated zeroed, so untouched pages cost nothing.
        Table {
            buckets: vec![[0; 2]; n],
            len: 0,
        }
    }

    fn mask(&self) -> usize {
        self.buckets.len() - 1
    }

    fn home(&self, first: u64) -> usize {
        // `first` is a keyed hash: its low bits are already uniform. Truncation intended.
        first as usize & self.mask()
    }

    /// The bucket of `fp` whose record `accept`s (given the record's sequence bits).
    fn find(&self, fp: Fingerprint, mut accept: impl FnMut(u64) -> bool) -> Option<usize> {
        let mut i = self.home(fp.0);
        loop {
            let [first, second] = self.buckets[i];
            if first == 0 && second == 0 {
                return None;
            }
            if first == fp.0 && second & !SEQ_BITS == fp.1 & !SEQ_BITS && accept(second & SEQ_BITS)
            {
                return Some(i);
            }
            i = (i + 1) & self.mask();
        }
    }

    fn insert(&mut self, fp: Fingerprint, seq: u64) {
        let mut i = self.home(fp.0);
        while self.buckets[i] != [0, 0] {
            i = (i + 1) & self.mask();
        }
        self.buckets[i] = [fp.0, (fp.1 & !SEQ_BITS) | (seq & SEQ_BITS)];
        self.len += 1;
    }

    /// Empties bucket `i`, moving later buckets of the same run back into the hole
    /// when their home allows it.
    fn remove_at(&mut self, i: usize) {
        let mask = self.mask();
        let mut hole = i;
        let mut j = i;
        loop {
            j = (j + 1) & mask;
            let bucket = self.buckets[j];
            if bucket == [0, 0] {
                break;
            }
            let home = self.home(bucket[0]);
            // The bucket may fill the hole when the hole lies between its home and it.
            if j.wrapping_sub(home) & mask >= j.wrapping_sub(hole) & mask {
                self.buckets[hole] = bucket;
                hole = j;
            }
        }
        self.buckets[hole] = [0, 0];
        self.len -= 1;
    }
}

impl MemoryIdempotencyStore {
    /// Default TTL: 7 days.
    pub const DEFAULT_TTL: Duration = Duration::days(7);
    /// Default capacity: one million keys.
    pub const DEFAULT_CAPACITY: usize = 1_000_000;
    /// The largest capacity (2^31 keys).
    pub const MAX_CAPACITY: usize = 1 << 31;
    /// The most expired keys one call drops (see the type's docs).
    pub const EXPIRE_PER_CALL: usize = 4;

    /// A store with the given bounds (`capacity` at least 1, at most
    /// [`MAX_CAPACITY`](Self::MAX_CAPACITY)). The space for `capacity` keys is
    /// reserved here (about 56 bytes a key, touched only as keys arrive).
    pub fn new(capacity: usize, ttl: Duration) -> Self {
        let capacity = capacity.clamp(1, Self::MAX_CAPACITY);
        MemoryIdempotencyStore {
            capacity,
            ttl: ttl.num_microseconds().unwrap_or(i64::MAX),
            hashers: [RandomState::new(), RandomState::new()],
            table: Table::new(capacity),
            order: VecDeque::with_capacity(capacity),
            head: 0,
        }
    }

    /// A store from a binding's arguments: `capacity` keys (default
    /// [`DEFAULT_CAPACITY`](Self::DEFAULT_CAPACITY)) kept `ttl_seconds` (default
    /// [`DEFAULT_TTL`](Self::DEFAULT_TTL)); a TTL past chrono's range (about 292,000
    /// years) keeps keys for ever all the same. `ttl_name` is the option's name as the
    /// caller spells it (`ttlSeconds` in JS), for the error.
    ///
    /// # Errors
    /// [`CoreError::InvalidConfig`] for a negative, NaN or infinite `ttl_seconds`
    /// (see [`crate::seconds`]).
    ///
    /// ```
    /// use arichat_core::dedup::MemoryIdempotencyStore;
    /// assert!(MemoryIdempotencyStore::from_args(None, Some(60.0), "ttl").is_ok());
    /// assert!(MemoryIdempotencyStore::from_args(Some(10), Some(1e15), "ttl").is_ok());
    /// let err = MemoryIdempotencyStore::from_args(None, Some(-1.0), "ttl").unwrap_err();
    /// assert_eq!(err.code(), "invalid_config");
    /// ```
    pub fn from_args(
        capacity: Option<usize>,
        ttl_seconds: Option<f64>,
        ttl_name: &str,
    ) -> Result<Self, CoreError> {
        let ttl = match ttl_seconds {
            None => Self::DEFAULT_TTL,
            Some(s) => {
                let ttl = crate::seconds("memory idempotency store", ttl_name, s)?;
                Duration::from_std(ttl).unwrap_or(Duration::MAX)
            }
        };
        Ok(Self::new(capacity.unwrap_or(Self::DEFAULT_CAPACITY), ttl))
    }

    /// Number of keys held (an expired key may be held until its turn to leave).
    pub fn len(&self) -> usize {
        self.table.len
    }

    /// Whether the store holds no key.
    pub fn is_empty(&self) -> bool {
        self.table.len == 0
    }

    fn fingerprint(&self, key: &str) -> Fingerprint {
        let fp = Fingerprint(self.hashers[0].hash_one(key), self.hashers[1].hash_one(key));
        if fp.0 == 0 {
            // Zero is the empty bucket; losing one value of 2^64 changes nothing.
            Fingerprint(1, fp.1)
        } else {
            fp
        }
    }

    /// The record position of `fp` if the table holds it, with its bucket.
    fn lookup(&self, fp: Fingerprint) -> Option<(usize, usize)> {
        let mut at = 0;
        let bucket = self.table.find(fp, |seq| {
            // Sequence numbers of held records are within `capacity` (< 2^32) of `head`.
            at = (seq.wrapping_sub(self.head) & SEQ_BITS) as usize;
            self.order.get(at).is_some_and(|&(held, _)| held == fp)
        })?;
        Some((bucket, at))
    }

    /// Takes the oldest record out, and its key out of the table unless it is dead.
    fn pop_oldest(&mut self) {
        let Some((fp, _)) = self.order.pop_front() else {
            return;
        };
        if fp != DEAD {
            let head = self.head;
            if let Some(i) = self.table.find(fp, |seq| seq == head & SEQ_BITS) {
                self.table.remove_at(i);
            }
        }
        self.head += 1;
    }

    fn expired(&self, at: i64, now: i64) -> bool {
        at.saturating_add(self.ttl) <= now
    }

    /// Drops up to [`EXPIRE_PER_CALL`](Self::EXPIRE_PER_CALL) keys whose TTL has run
    /// out at `now`: they are at the front, since recorded times never decrease along
    /// the queue.
    fn expire(&mut self, now: i64) {
        for _ in 0..Self::EXPIRE_PER_CALL {
            match self.order.front() {
                Some(&(_, at)) if self.expired(at, now) => self.pop_oldest(),
                _ => break,
            }
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
        if let Some((bucket, at)) = self.lookup(fp) {
            if !self.expired(self.order[at].1, now) {
                return Ok(Seen::Duplicate);
            }
            // Expired before its turn to leave: forget it here, record it anew below.
            self.table.remove_at(bucket);
            self.order[at].0 = DEAD;
        }
        if self.order.len() >= self.capacity {
            self.pop_oldest();
        }
        let at = match self.order.back() {
            Some(&(_, last)) => now.max(last),
            None => now,
        };
        self.table.insert(fp, self.head + self.order.len() as u64);
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
            assert!(
                s.order.len() <= 100 && s.order.len() >= s.len(),
                "a record per key held"
            );
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
    fn the_space_is_reserved_once_and_never_grows() {
        let mut s = MemoryIdempotencyStore::new(1000, Duration::seconds(30));
        let (buckets, records) = (s.table.buckets.len(), s.order.capacity());
        assert!(buckets >= 2000 && records >= 1000);
        for i in 0..20_000 {
            s.check_and_insert(&format!("k{}", i % 3000), t(i / 100))
                .unwrap();
            assert!(s.len() <= 1000);
        }
        assert_eq!(s.table.buckets.len(), buckets);
        assert_eq!(s.order.capacity(), records);
    }

    #[test]
    fn a_quiet_week_expires_a_few_keys_per_call() {
        let mut s = MemoryIdempotencyStore::new(10_000, Duration::seconds(60));
        for i in 0..5000 {
            s.check_and_insert(&format!("old{i}"), t(0)).unwrap();
        }
        // Every key expired long ago: one insert drops EXPIRE_PER_CALL of them.
        assert_eq!(s.check_and_insert("fresh", t(3600)).unwrap(), Seen::New);
        let per_call = MemoryIdempotencyStore::EXPIRE_PER_CALL;
        assert_eq!(s.len(), 5000 - per_call + 1);
        // An expired key still held is new all the same, and held once.
        assert_eq!(s.check_and_insert("old4999", t(3600)).unwrap(), Seen::New);
        assert_eq!(s.len(), 5000 - 2 * per_call + 1);
        assert_eq!(
            s.check_and_insert("old4999", t(3601)).unwrap(),
            Seen::Duplicate
        );
        // The calls drain the rest, then the dead record of old4999 leaves harmlessly.
        for i in 0..5000 {
            s.check_and_insert(&format!("new{i}"), t(3602)).unwrap();
        }
        assert_eq!(s.len(), 5002);
        assert_eq!(
            s.check_and_insert("old4999", t(3603)).unwrap(),
            Seen::Duplicate
        );
        assert_eq!(s.check_and_insert("old10", t(3603)).unwrap(), Seen::New);
    }

    proptest::proptest! {
        /// The table against a set, with fingerprints crowded onto few homes so runs
        /// wrap around the end and deletion shifts buckets back.
        #[test]
        fn table_holds_what_a_set_holds(ops in proptest::collection::vec((0u64..40, proptest::bool::ANY), 1..200)) {
            let mut table = Table::new(12);
            let mut model: std::collections::HashMap<u64, u64> = std::collections::HashMap::new();
            for (seq, (k, insert)) in ops.into_iter().enumerate() {
                let seq = seq as u64;
                // Homes 29, 30 and 31 of 32 buckets (runs wrap to 0); distinct second halves.
                let fp = Fingerprint(29 + k % 3 + 32 * (k + 1), k << 32);
                let held = table.find(fp, |_| true);
                proptest::prop_assert_eq!(held.is_some(), model.contains_key(&k));
                if insert && held.is_none() && model.len() < 12 {
                    table.insert(fp, seq);
                    model.insert(k, seq);
                } else if !insert {
                    if let Some(i) = held {
                        table.remove_at(i);
                        model.remove(&k);
                    }
                }
                proptest::prop_assert_eq!(table.len, model.len());
                for (&k, &seq) in &model {
                    let fp = Fingerprint(29 + k % 3 + 32 * (k + 1), k << 32);
                    proptest::prop_assert!(table.find(fp, |s| s == seq).is_some(), "lost {}", k);
                }
            }
        }

        /// Without eviction, a key is a duplicate exactly while its TTL runs.
        #[test]
        fn duplicates_match_a_model(ops in proptest::collection::vec((0u8..30, 0i64..30), 1..300)) {
            let mut s = MemoryIdempotencyStore::new(1000, Duration::seconds(50));
            let mut model: std::collections::HashMap<u8, i64> = std::collections::HashMap::new();
            let mut clock = 0;
            let mut latest = 0;
            for (k, step) in ops {
                // Forwards only: time going back has its own test above.
                clock += step;
                let now = t(clock);
                let at = clock.max(latest);
                let expected = match model.get(&k) {
                    Some(&held) if held + 50 > clock => Seen::Duplicate,
                    _ => Seen::New,
                };
                proptest::prop_assert_eq!(s.check_and_insert(&format!("key{k}"), now).unwrap(), expected);
                if expected == Seen::New {
                    model.insert(k, at);
                    latest = at;
                }
            }
        }
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
