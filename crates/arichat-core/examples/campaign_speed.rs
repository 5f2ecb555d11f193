//! Customers assigned per second with 50 campaigns, on one core: the 41,188 customers of
//! the UCI Bank Marketing file (`../shared/datasets/bank-additional-full.csv`, else the
//! 56 bundled ones), the row path (`assign_into` on each customer's record) and the
//! column path (`assign_batch`) beside the same rules hand-written in Rust, interleaved
//! over rounds; then p50/p99/p99.9 of one customer's evaluation (what a phone does),
//! from timing each call.
//!
//! ```text
//! cargo run --release -p arichat-core --example campaign_speed [-- --rounds 3 --data FILE]
//! ```

use std::hint::black_box;
use std::time::Instant;

use arichat_core::campaign::BatchAssignments;
use arichat_core::scoring::LeadRecord;
use chrono::{TimeZone, Utc};

#[path = "support/bank_campaigns.rs"]
mod bank_campaigns;

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let rounds = args
        .iter()
        .position(|a| a == "--rounds")
        .and_then(|i| args.get(i + 1)?.parse().ok())
        .unwrap_or(3);
    let bundle = bank_campaigns::bundle();
    let path = bank_campaigns::data_path(&args);
    let (records, customers) = bank_campaigns::load(&path, &bundle);
    let n = customers.len();
    let now = Utc.with_ymd_and_hms(2026, 12, 3, 8, 0, 0).unwrap();
    let ids: Vec<&str> = customers.iter().map(|c| c.id.as_str()).collect();

    let table = bank_campaigns::Columns::of(&customers);
    let columns = table.columns();

    // The engine and the hand-written rules agree on every customer.
    let (mut got, mut want) = (Vec::new(), Vec::new());
    let mut assigned = 0;
    for (r, c) in records.iter().zip(&customers) {
        got.clear();
        bundle.assign_into(&c.id, r, now, None, &mut got);
        bank_campaigns::baseline(c, &mut want);
        let got_idx: Vec<usize> = got
            .iter()
            .map(|a| {
                bundle
                    .campaigns()
                    .iter()
                    .position(|x| x.id == a.campaign_id)
                    .unwrap()
            })
            .collect();
        assert_eq!(got_idx, want, "customer {}", c.id);
        assigned += got.len();
    }
    let batch: BatchAssignments = bundle.assign_batch(&ids, &columns, now).unwrap();
    assert_eq!(batch.len(), assigned, "the column path assigns the same");
    println!(
        "{n} customers from {}, {} campaigns, {assigned} assignments ({:.2} per customer); engine = hand-written rules on every customer",
        path.display(),
        bundle.campaigns().len(),
        assigned as f64 / n as f64
    );

    for round in 1..=rounds {
        let t = Instant::now();
        let mut out = Vec::new();
        for (r, c) in records.iter().zip(&customers) {
            out.clear();
            bundle.assign_into(black_box(&c.id), black_box(r), now, None, &mut out);
            black_box(&out);
        }
        let engine = t.elapsed().as_secs_f64();
        let t = Instant::now();
        black_box(bundle.assign_batch(&ids, &columns, now).unwrap());
        let columnar = t.elapsed().as_secs_f64();
        let t = Instant::now();
        let mut out = Vec::new();
        for c in &customers {
            bank_campaigns::baseline(black_box(c), &mut out);
            black_box(&out);
        }
        let hand = t.elapsed().as_secs_f64();
        println!(
            "round {round}: assign (records) {:>9.0} customers/s | assign_batch (columns) {:>9.0} customers/s | hand-written Rust {:>9.0} customers/s",
            n as f64 / engine,
            n as f64 / columnar,
            n as f64 / hand
        );
    }

    // One customer at a time, as the phone evaluates: `assign` returning a new Vec.
    let mut times: Vec<u64> = Vec::with_capacity(n.max(100_000));
    while times.len() < 100_000 {
        for (r, c) in records.iter().zip(&customers) {
            let t = Instant::now();
            black_box(bundle.assign(black_box(&c.id), black_box::<&LeadRecord>(r), now));
            times.push(t.elapsed().as_nanos() as u64);
        }
    }
    times.sort_unstable();
    let q =
        |p: f64| times[((times.len() as f64 * p) as usize).min(times.len() - 1)] as f64 / 1000.0;
    println!(
        "one customer, 50 campaigns, over {} calls: p50 {:.1} µs, p99 {:.1} µs, p99.9 {:.1} µs, max {:.1} µs",
        times.len(),
        q(0.5),
        q(0.99),
        q(0.999),
        q(1.0)
    );
}
