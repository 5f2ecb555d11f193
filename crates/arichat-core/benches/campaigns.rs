//! Customers assigned per second with 50 campaigns (`examples/support/bank_campaigns.rs`)
//! on the first 4,096 customers of the UCI Bank Marketing file (or the 56 bundled ones):
//! the row path, the column path, and the same rules hand-written in Rust as baseline.
//!
//! `cargo bench -p arichat-core --bench campaigns`

use std::hint::black_box;

use chrono::{TimeZone, Utc};
use criterion::{criterion_group, criterion_main, Criterion, Throughput};

#[path = "../examples/support/bank_campaigns.rs"]
mod bank_campaigns;

fn assign(c: &mut Criterion) {
    let bundle = bank_campaigns::bundle();
    let (mut records, mut customers) =
        bank_campaigns::load(&bank_campaigns::data_path(&[]), &bundle);
    records.truncate(4096);
    customers.truncate(4096);
    let now = Utc.with_ymd_and_hms(2026, 12, 3, 8, 0, 0).unwrap();
    let ids: Vec<&str> = customers.iter().map(|c| c.id.as_str()).collect();
    let table = bank_campaigns::Columns::of(&customers);
    let columns = table.columns();

    let mut g = c.benchmark_group("campaigns_50");
    g.throughput(Throughput::Elements(customers.len() as u64));
    g.bench_function("assign_records", |b| {
        let mut out = Vec::new();
        b.iter(|| {
            for (r, c) in records.iter().zip(&customers) {
                out.clear();
                bundle.assign_into(&c.id, r, now, None, &mut out);
                black_box(&out);
            }
        })
    });
    g.bench_function("assign_batch_columns", |b| {
        b.iter(|| black_box(bundle.assign_batch(&ids, &columns, now).unwrap()))
    });
    g.bench_function("baseline_hand_written_rust", |b| {
        let mut out = Vec::new();
        b.iter(|| {
            for c in &customers {
                bank_campaigns::baseline(black_box(c), &mut out);
                black_box(&out);
            }
        })
    });
    g.finish();
}

#[allow(missing_docs)]
mod group {
    use super::*;
    criterion_group!(benches, assign);
}
criterion_main!(group::benches);
