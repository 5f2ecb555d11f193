//! Deal messages parsed per second (`parse_deal`: tags, amount, units, problems) and
//! chat texts searched for amounts per second (`parse_amount`), over the texts of the
//! shared vectors `tests/vectors/deals.json` (every region and way of writing, Spanish
//! and Portuguese words, messages with problems).
//!
//! `cargo bench -p arichat-core --bench sales`

use std::hint::black_box;

use arichat_core::deal::{parse_deal, DealGrammar};
use arichat_core::money::{parse_amount_with, ParseOptions, Region};
use criterion::{criterion_main, Criterion, Throughput};

const VECTORS: &str = include_str!("../../../tests/vectors/deals.json");

/// `(text, region)` of each case of one list of the vectors.
fn cases(list: &str) -> Vec<(String, Region)> {
    let v: serde_json::Value = serde_json::from_str(VECTORS).expect("deals.json");
    v[list]
        .as_array()
        .expect("a list")
        .iter()
        .filter_map(|c| {
            Some((
                c["text"].as_str()?.to_owned(),
                c["region"].as_str()?.parse().ok()?,
            ))
        })
        .collect()
}

fn sales(c: &mut Criterion) {
    let deals = cases("deals");
    let amounts = cases("amounts");
    let grammars: Vec<(String, DealGrammar)> = deals
        .iter()
        .map(|(t, r)| (t.clone(), DealGrammar::default().with_region(*r)))
        .collect();
    let slang = ParseOptions { slang: true };
    let mut group = c.benchmark_group("sales");
    group.throughput(Throughput::Elements(grammars.len() as u64));
    group.bench_function("parse_deal_vectors", |b| {
        b.iter(|| {
            for (text, grammar) in &grammars {
                black_box(parse_deal(black_box(text), grammar));
            }
        })
    });
    group.throughput(Throughput::Elements(amounts.len() as u64));
    group.bench_function("parse_amount_vectors", |b| {
        b.iter(|| {
            for (text, region) in &amounts {
                black_box(parse_amount_with(black_box(text), *region, &slang));
            }
        })
    });
    group.finish();
}

#[allow(missing_docs)]
mod group {
    criterion::criterion_group!(benches, super::sales);
}
criterion_main!(group::benches);
