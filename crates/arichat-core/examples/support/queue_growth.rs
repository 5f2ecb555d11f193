//! The queue and the updates of the growth bench (`benches/queue.rs`, group
//! `queue_growth`), shared with `examples/queue_growth_batches.rs` so that both time the
//! same update.

use arichat_core::queue::{PriorityQueue, QueueConfig, QueueEntry};
use arichat_core::{Channel, ConversationId};
use chrono::{DateTime, Duration, TimeZone, Utc};

/// A xorshift generator: the same sequence on every run.
pub struct Rng(pub u64);

impl Rng {
    /// The next number.
    pub fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
}

/// The fixed clock of the queue benches.
pub fn now() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 7, 1, 8, 0, 0).unwrap()
}

/// A queue of `n` open conversations (`conv-0` …, four channels, scores 0–100, waiting
/// 0–30 hours), and 65,536 updates of random ones among them: a new message now and a
/// new score. Cycling over that many, at 1 M the touched slots do not all stay in cache.
pub fn queue_and_updates(n: u64) -> (PriorityQueue, Vec<QueueEntry>) {
    let mut rng = Rng(0x5DEE_CE66_D1CE_4E5B);
    let mut q = PriorityQueue::new(QueueConfig::default()).unwrap();
    let channel = |i: u64| Channel::ALL[(i % 4) as usize];
    for i in 0..n {
        let since = now() - Duration::minutes((rng.next() % (30 * 60)) as i64);
        let id = ConversationId::new(format!("conv-{i}"));
        q.upsert(
            QueueEntry::waiting(id, channel(i), (rng.next() % 101) as f64, since),
            now(),
        );
    }
    let updates = (0..65_536)
        .map(|_| {
            let i = rng.next() % n;
            let id = ConversationId::new(format!("conv-{i}"));
            QueueEntry::waiting(id, channel(i), (rng.next() % 101) as f64, now())
        })
        .collect();
    (q, updates)
}
