//! The growth bench's update (`benches/queue.rs`, group `queue_growth`: an existing
//! conversation gets a message now and a new score, cycling over 65,536 random ones),
//! timed in batches of 8,192 and reported as the minimum, first quartile and median of
//! the batches' ns per update.
//!
//! ```text
//! cargo run --release -p arichat-core --example queue_growth_batches -- 1000 1000000
//! ```
//!
//! Why beside criterion: on a shared 2-core machine criterion's mean counts the time the
//! thread waited for a core, and the other tenants' load changes from minute to minute.
//! The fastest batches are the ones nobody interrupted, so their minimum and first
//! quartile compare two layouts run one after the other more steadily.

use std::time::Instant;

use arichat_core::queue::PriorityQueue;

#[path = "support/queue_growth.rs"]
mod queue_growth;

use queue_growth::now;

const BATCH: usize = 8192;
const BATCHES: usize = 150;

fn main() {
    let sizes: Vec<u64> = std::env::args()
        .skip(1)
        .map(|a| a.parse().expect("sizes are numbers"))
        .collect();
    for n in sizes {
        let (mut q, updates) = queue_growth::queue_and_updates(n);
        let mut k = 0;
        let mut update = |q: &mut PriorityQueue| {
            k = (k + 1) % updates.len();
            std::hint::black_box(q.upsert(updates[k].clone(), now()));
        };
        // Warm-up: the stale entries and the sweep reach their steady state.
        for _ in 0..200_000 {
            update(&mut q);
        }
        let mut per: Vec<f64> = (0..BATCHES)
            .map(|_| {
                let t = Instant::now();
                for _ in 0..BATCH {
                    update(&mut q);
                }
                t.elapsed().as_nanos() as f64 / BATCH as f64
            })
            .collect();
        per.sort_by(f64::total_cmp);
        println!(
            "{n}: min {:.0} p25 {:.0} median {:.0} ns",
            per[0],
            per[BATCHES / 4],
            per[BATCHES / 2]
        );
    }
}
