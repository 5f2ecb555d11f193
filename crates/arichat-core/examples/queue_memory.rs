//! Heap held by the priority queue per open lead, measured by a counting global
//! allocator: after filling it with `LEADS` WhatsApp conversations (default 1,000,000),
//! then after as many updates of random ones (a new message now, a new score: the
//! growth bench's update), which leave stale heap entries for the sweep.
//!
//! ```text
//! cargo run --release -p arichat-core --example queue_memory [-- LEADS]
//! ```
//!
//! The ids are the pipeline's (`whatsapp:<phone_number_id>:<sender>`, 36 bytes); the
//! queue holds one copy of each, counted in the totals and printed apart.
// A global allocator is an `unsafe impl`: it forwards to the system allocator and
// only adds counters.
#![allow(unsafe_code)]

use std::sync::atomic::Ordering;

use arichat_core::queue::{PriorityQueue, QueueConfig, QueueEntry};
use arichat_core::{Channel, ConversationId};
use chrono::{DateTime, Duration, TimeZone, Utc};

#[path = "support/counting_alloc.rs"]
mod counting_alloc;

use counting_alloc::{LIVE, PEAK};

struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
}

fn id(i: u64) -> ConversationId {
    ConversationId::new(format!("whatsapp:106540352242922:{}", 573_000_000_000 + i))
}

fn main() {
    let n: u64 = std::env::args()
        .nth(1)
        .map(|a| a.parse().expect("LEADS must be a number"))
        .unwrap_or(1_000_000);
    let now: DateTime<Utc> = Utc.with_ymd_and_hms(2026, 7, 1, 8, 0, 0).unwrap();
    let id_bytes = id(0).as_str().len();
    let mut rng = Rng(0x5DEE_CE66_D1CE_4E5B);

    let before = LIVE.load(Ordering::Relaxed);
    let mut q = PriorityQueue::new(QueueConfig::default()).unwrap();
    for i in 0..n {
        let since = now - Duration::minutes((rng.next() % (30 * 60)) as i64);
        let score = (rng.next() % 101) as f64;
        q.upsert(
            QueueEntry::waiting(id(i), Channel::Whatsapp, score, since),
            now,
        );
    }
    let built = LIVE.load(Ordering::Relaxed) - before;
    for _ in 0..n {
        let i = rng.next() % n;
        let score = (rng.next() % 101) as f64;
        q.upsert(
            QueueEntry::waiting(id(i), Channel::Whatsapp, score, now),
            now,
        );
    }
    let updated = LIVE.load(Ordering::Relaxed) - before;
    let peak = PEAK.load(Ordering::Relaxed) - before;
    assert_eq!(q.len() as u64, n);

    let per = |bytes: usize| bytes as f64 / n as f64;
    println!(
        "open leads: {n}, id: {id_bytes} bytes (its String's heap block counted in the totals)"
    );
    println!("after filling:          {:.1} bytes per lead", per(built));
    println!("after {n} updates: {:.1} bytes per lead", per(updated));
    println!("peak:                   {:.1} bytes per lead", per(peak));
}
