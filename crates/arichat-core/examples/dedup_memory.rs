//! Heap held by the in-memory idempotency store with one million WhatsApp message keys,
//! against a baseline that keeps the key strings (the store's previous layout: a
//! `HashMap<Box<str>, DateTime<Utc>>` plus a `VecDeque<(Box<str>, DateTime<Utc>)>`),
//! measured in the same process by a counting global allocator, with the time of every
//! insert (the store reserves its space when made: no insert rehashes).
//!
//! ```text
//! cargo run --release -p arichat-core --example dedup_memory [-- KEYS]
//! ```
//!
//! Exits with status 1 when the store holds more than 64 MiB.
// A global allocator is an `unsafe impl`: it forwards to the system allocator and
// only adds counters.
#![allow(unsafe_code)]

use std::collections::{HashMap, VecDeque};
use std::sync::atomic::Ordering;
use std::time::Instant;

use arichat_core::dedup::{IdempotencyStore, MemoryIdempotencyStore, Seen};
use chrono::{DateTime, Duration, TimeZone, Utc};

#[path = "support/counting_alloc.rs"]
mod counting_alloc;

use counting_alloc::{LIVE, PEAK};

const MIB: f64 = 1024.0 * 1024.0;
const TARGET_MIB: f64 = 64.0;

/// The store's previous layout: every key twice, as a boxed string.
struct StringStore {
    ttl: Duration,
    seen: HashMap<Box<str>, DateTime<Utc>>,
    order: VecDeque<(Box<str>, DateTime<Utc>)>,
}

impl StringStore {
    fn check_and_insert(&mut self, key: &str, now: DateTime<Utc>) -> Seen {
        if let Some(at) = self.seen.get(key) {
            if *at + self.ttl > now {
                return Seen::Duplicate;
            }
        }
        let key: Box<str> = key.into();
        self.seen.insert(key.clone(), now);
        self.order.push_back((key, now));
        Seen::New
    }
}

const B64: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

fn base64(bytes: &[u8]) -> String {
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        let b = [
            chunk[0],
            *chunk.get(1).unwrap_or(&0),
            *chunk.get(2).unwrap_or(&0),
        ];
        let n = u32::from(b[0]) << 16 | u32::from(b[1]) << 8 | u32::from(b[2]);
        for i in 0..4 {
            if i <= chunk.len() {
                out.push(B64[(n >> (18 - 6 * i) & 63) as usize] as char);
            } else {
                out.push('=');
            }
        }
    }
    out
}

/// The key `normalize` gives a WhatsApp message: `whatsapp:<phone_number_id>:msg:<wamid>`,
/// the wamid shaped like Meta's (base64 of a small protobuf holding the sender's
/// number and a 20-hex-digit message id), 91 characters in all.
fn whatsapp_key(i: u64) -> String {
    let sender = 573_000_000_000 + i % 9_000_000;
    let id = i.wrapping_mul(0x9E37_79B9_7F4A_7C15);
    let mut proto = vec![0x1c, 0x18, 0x0c];
    proto.extend_from_slice(sender.to_string().as_bytes());
    proto.extend_from_slice(&[0x15, 0x02, 0x00, 0x12, 0x18, 0x14]);
    proto.extend_from_slice(format!("{:020X}", id >> 4).as_bytes());
    proto.push(0x00);
    format!("whatsapp:106540352242922:msg:wamid.{}", base64(&proto))
}

struct Run {
    live: usize,
    peak: usize,
    seconds: f64,
    /// Per-insert nanoseconds, sorted.
    inserts: Vec<u64>,
}

impl Run {
    fn percentile_us(&self, q: f64) -> f64 {
        let i = ((self.inserts.len() as f64 * q).ceil() as usize).clamp(1, self.inserts.len()) - 1;
        self.inserts[i] as f64 / 1e3
    }
}

/// Makes a store (its reservation counts) and fills it, timing every insert.
fn measure<S>(
    keys: &[String],
    make: impl FnOnce() -> S,
    mut insert: impl FnMut(&mut S, &str, DateTime<Utc>) -> Seen,
) -> (Run, S) {
    let t0 = Utc.timestamp_opt(1_767_600_000, 0).unwrap();
    let mut inserts = Vec::with_capacity(keys.len());
    let before = LIVE.load(Ordering::Relaxed);
    PEAK.store(before, Ordering::Relaxed);
    let start = Instant::now();
    let mut store = make();
    for (i, key) in keys.iter().enumerate() {
        let now = t0 + Duration::milliseconds(i as i64);
        let t = Instant::now();
        let seen = insert(&mut store, key, now);
        inserts.push(t.elapsed().as_nanos() as u64);
        assert_eq!(seen, Seen::New, "key {i} is new");
    }
    let seconds = start.elapsed().as_secs_f64();
    let run = Run {
        live: LIVE.load(Ordering::Relaxed) - before,
        peak: PEAK.load(Ordering::Relaxed) - before,
        seconds,
        inserts,
    };
    (run, store)
}

fn main() {
    let n: usize = std::env::args()
        .nth(1)
        .map(|a| a.parse().expect("KEYS must be a number"))
        .unwrap_or(1_000_000);
    let keys: Vec<String> = (0..n as u64).map(whatsapp_key).collect();
    let key_bytes: usize = keys.iter().map(String::len).sum();

    let (mut compact, store) = measure(
        &keys,
        || MemoryIdempotencyStore::new(n, MemoryIdempotencyStore::DEFAULT_TTL),
        |s, k, now| s.check_and_insert(k, now).unwrap(),
    );
    assert_eq!(store.len(), n);
    drop(store);

    let (mut strings, baseline) = measure(
        &keys,
        || StringStore {
            ttl: MemoryIdempotencyStore::DEFAULT_TTL,
            seen: HashMap::new(),
            order: VecDeque::new(),
        },
        |s, k, now| s.check_and_insert(k, now),
    );
    assert_eq!(baseline.seen.len(), n);
    drop(baseline);
    compact.inserts.sort_unstable();
    strings.inserts.sort_unstable();

    println!(
        "{n} WhatsApp keys, {:.1} characters on average ({:.1} MiB of key text)",
        key_bytes as f64 / n as f64,
        key_bytes as f64 / MIB
    );
    println!("example key: {}", keys[0]);
    println!("| store | heap held | peak while filling | bytes/key | insert time | one insert p50 / p99 / p99.9 / max |");
    println!("|---|---|---|---|---|---|");
    for (name, run) in [
        ("MemoryIdempotencyStore (fingerprints)", &compact),
        ("baseline: key strings (previous layout)", &strings),
    ] {
        println!(
            "| {name} | {:.1} MiB | {:.1} MiB | {:.1} | {:.3} s | {:.2} / {:.2} / {:.2} / {:.0} µs |",
            run.live as f64 / MIB,
            run.peak as f64 / MIB,
            run.live as f64 / n as f64,
            run.seconds,
            run.percentile_us(0.5),
            run.percentile_us(0.99),
            run.percentile_us(0.999),
            run.percentile_us(1.0),
        );
    }
    println!(
        "ratio held (store / baseline): {:.3}; ratio insert time: {:.2}",
        compact.live as f64 / strings.live as f64,
        compact.seconds / strings.seconds
    );
    let held = compact.live as f64 / MIB;
    if n == 1_000_000 && held > TARGET_MIB {
        eprintln!("over target: {held:.1} MiB > {TARGET_MIB} MiB");
        std::process::exit(1);
    }
}
