//! The priority queue at the size of a large tenant: 100,000 open conversations.
//!
//! `cargo bench -p arichat-core --bench queue`

use arichat_core::queue::{Agent, PriorityQueue, QueueConfig, QueueEntry};
use arichat_core::{Channel, ConversationId};
use chrono::{DateTime, Duration, Utc};
use criterion::{criterion_main, BatchSize, Criterion, Throughput};

const N: u64 = 100_000;

#[path = "../examples/support/queue_growth.rs"]
mod queue_growth;

use queue_growth::{now, Rng};

fn entry(i: u64, rng: &mut Rng) -> QueueEntry {
    let since = now() - Duration::minutes((rng.next() % (30 * 60)) as i64);
    QueueEntry::waiting(
        ConversationId::new(format!("conv-{i}")),
        Channel::ALL[(rng.next() % 4) as usize],
        (rng.next() % 101) as f64,
        since,
    )
}

fn entries(rng: &mut Rng) -> Vec<QueueEntry> {
    (0..N).map(|i| entry(i, rng)).collect()
}

fn full_queue(rng: &mut Rng) -> PriorityQueue {
    let mut q = PriorityQueue::new(QueueConfig::default()).unwrap();
    for e in entries(rng) {
        q.upsert(e, now());
    }
    q
}

fn bench(c: &mut Criterion) {
    let mut rng = Rng(0x9E37_79B9_7F4A_7C15);
    let mut g = c.benchmark_group("queue_100k");

    g.throughput(Throughput::Elements(N));
    g.sample_size(10);
    g.bench_function("build_100k", |b| {
        b.iter_batched(
            || entries(&mut Rng(7)),
            |es| {
                let mut q = PriorityQueue::new(QueueConfig::default()).unwrap();
                for e in es {
                    q.upsert(e, now());
                }
                q
            },
            BatchSize::LargeInput,
        )
    });

    g.throughput(Throughput::Elements(1));
    g.sample_size(50);
    let mut q = full_queue(&mut rng);
    // Updates of existing conversations (a new message, a new score).
    let updates: Vec<QueueEntry> = (0..4096).map(|_| entry(rng.next() % N, &mut rng)).collect();
    let mut k = 0usize;
    g.bench_function("upsert_existing", |b| {
        b.iter(|| {
            k = (k + 1) % updates.len();
            q.upsert(updates[k].clone(), now())
        })
    });

    // Pop the best and put it back: the queue stays at 100k.
    g.bench_function("pop_and_reinsert", |b| {
        b.iter(|| {
            let item = q.pop(now()).unwrap();
            let e = QueueEntry::waiting(item.conversation_id, item.channel, 50.0, now());
            q.upsert(e, now())
        })
    });

    // Hand the best conversation to an agent and release it again.
    for (i, ch) in Channel::ALL.into_iter().enumerate() {
        q.add_agent(Agent::new(format!("agent-{i}"), [ch]));
    }
    q.add_agent(Agent::new("all", Channel::ALL));
    g.bench_function("assign_next_and_release", |b| {
        b.iter(|| {
            let a = q.assign_next(now()).unwrap();
            q.release(&a.item.conversation_id, now())
        })
    });

    g.bench_function("top_20", |b| b.iter(|| q.top(20, now())));

    // Time passing: from a fresh queue, advance the clock 30 hours in 1-minute steps
    // with a tick and a peek at each; every conversation crosses its window's
    // breakpoints (the last 4 hours start, the window closes) and is re-phased once per
    // breakpoint.
    g.throughput(Throughput::Elements(N));
    g.sample_size(10);
    let fresh = full_queue(&mut Rng(11));
    g.bench_function("advance_30h_by_minute_100k", |b| {
        b.iter_batched(
            || fresh.clone(),
            |mut q| {
                let mut t = now();
                for _ in 0..30 * 60 {
                    t += Duration::minutes(1);
                    q.tick(t);
                    q.peek(t);
                }
                q
            },
            BatchSize::LargeInput,
        )
    });
    // Baseline: without the phase sets, a time-dependent priority means evaluating
    // the formula for every conversation at `now` to find the best one (an O(n) scan).
    g.throughput(Throughput::Elements(1));
    g.sample_size(20);
    let config = QueueConfig::default();
    let flat: Vec<QueueEntry> = entries(&mut Rng(13));
    g.bench_function("baseline_scan_for_best", |b| {
        b.iter(|| {
            let t = now() + Duration::hours(1);
            flat.iter()
                .map(|e| naive_priority(e, &config, t))
                .fold(f64::NEG_INFINITY, f64::max)
        })
    });
    g.finish();
}

/// Queue cost as the tenant grows: an update of a random existing conversation (a new
/// message now, a new score) at 1 k, 10 k, 100 k and 1 M open conversations. The
/// updates cycle over 65,536 conversations drawn at random, so at 1 M the touched nodes
/// do not all stay in cache.
fn growth(c: &mut Criterion) {
    let mut g = c.benchmark_group("queue_growth");
    g.throughput(Throughput::Elements(1));
    g.sample_size(20);
    for n in [1_000u64, 10_000, 100_000, 1_000_000] {
        let (mut q, updates) = queue_growth::queue_and_updates(n);
        let mut k = 0usize;
        g.bench_function(format!("upsert_existing/{n}"), |b| {
            b.iter(|| {
                k = (k + 1) % updates.len();
                q.upsert(updates[k].clone(), now())
            })
        });
    }
    g.finish();
}

/// The formula of the module docs, evaluated directly.
fn naive_priority(e: &QueueEntry, c: &QueueConfig, t: DateTime<Utc>) -> f64 {
    let hours = |d: Duration| d.num_seconds() as f64 / 3600.0;
    let score = c.score_weight * (e.score / c.score_scale).clamp(0.0, 1.0);
    let Some(since) = e.waiting_since.filter(|s| *s <= t) else {
        return score;
    };
    let wait = c.wait_weight_per_hour * hours(t - since);
    let horizon = Duration::minutes(i64::from(c.window_horizon_minutes));
    let urgency = match e.last_inbound_at {
        Some(last) if e.channel.has_service_window() => {
            let closes = last + Duration::hours(24);
            if t >= closes - horizon && t < closes {
                hours(t - (closes - horizon)) / hours(horizon)
            } else {
                0.0
            }
        }
        _ => 0.0,
    };
    score + wait + c.window_weight * urgency
}

#[allow(missing_docs)]
mod group {
    criterion::criterion_group!(benches, super::bench, super::growth);
}
criterion_main!(group::benches);
