//! Leads scored per second: a 25-rule scorecard over 1,000,000 rows, column path
//! (`score_batch`) and row path (`score`, on a sample).
//!
//! `cargo bench -p arichat-core --bench scoring`

use std::hint::black_box;

use arichat_core::scoring::{Categories, Column, LeadRecord, Scorecard, Value};
use chrono::{TimeZone, Utc};
use criterion::{criterion_group, criterion_main, Criterion, Throughput};

const ROWS: usize = 1_000_000;

/// 25 fit rules over 6 numeric and 4 text fields, with two cap groups.
fn card() -> Scorecard {
    let mut s = String::from("[groups.title]\nmax = 25\n[groups.risk]\nmin = -20\n");
    let mut rule = |id: &str, field: &str, pred: &str, points: i32, group: Option<&str>| {
        s.push_str(&format!(
            "[[fit]]\nid = \"{id}\"\nfield = \"{field}\"\n{pred}\npoints = {points}\n"
        ));
        if let Some(g) = group {
            s.push_str(&format!("group = \"{g}\"\n"));
        }
    };
    for (i, (lo, hi)) in [(18, 25), (25, 35), (35, 50), (50, 65)].iter().enumerate() {
        rule(
            &format!("age{i}"),
            "age",
            &format!("range = {{ gte = {lo}, lt = {hi} }}"),
            5 * i as i32,
            None,
        );
    }
    for (i, (lo, hi)) in [(0, 1000), (1000, 5000), (5000, 20000)].iter().enumerate() {
        rule(
            &format!("income{i}"),
            "income",
            &format!("range = {{ gte = {lo}, lt = {hi} }}"),
            4 * i as i32,
            None,
        );
    }
    rule(
        "income_missing",
        "income",
        "exists = false",
        -5,
        Some("risk"),
    );
    rule("visits_many", "visits", "range = { gt = 5 }", 10, None);
    rule("visits_none", "visits", "equals = 0", -5, Some("risk"));
    rule(
        "employees_mid",
        "employees",
        "range = { gte = 50, lt = 500 }",
        15,
        None,
    );
    rule(
        "employees_big",
        "employees",
        "range = { gte = 500 }",
        20,
        None,
    );
    rule(
        "balance_neg",
        "balance",
        "range = { lt = 0 }",
        -10,
        Some("risk"),
    );
    rule("tenure_long", "tenure", "range = { gte = 24 }", 8, None);
    rule(
        "plan_paid",
        "plan",
        "one_of = [\"pro\", \"business\"]",
        12,
        None,
    );
    rule("plan_free", "plan", "equals = \"free\"", -3, None);
    rule(
        "plan_other",
        "plan",
        "none_of = [\"pro\", \"business\", \"free\"]",
        1,
        None,
    );
    rule(
        "country_core",
        "country",
        "one_of = [\"CO\", \"MX\", \"PE\", \"CL\"]",
        6,
        None,
    );
    rule(
        "country_missing",
        "country",
        "exists = false",
        -2,
        Some("risk"),
    );
    rule("title_ceo", "title", "word = \"ceo\"", 20, Some("title"));
    rule(
        "title_dir",
        "title",
        "contains = \"director\"",
        15,
        Some("title"),
    );
    rule(
        "title_mgr",
        "title",
        "starts_with = \"gerente\"",
        10,
        Some("title"),
    );
    rule("channel_wa", "channel", "equals = \"whatsapp\"", 4, None);
    rule("channel_ig", "channel", "equals = \"instagram\"", 2, None);
    rule(
        "visits_some",
        "visits",
        "range = { gte = 1, lte = 5 }",
        3,
        None,
    );
    Scorecard::from_toml(&s).expect("bench scorecard is valid")
}

struct Data {
    num: Vec<(&'static str, Vec<f64>)>,
    text: Vec<(&'static str, Vec<Option<&'static str>>)>,
}

fn data(n: usize) -> Data {
    // Deterministic pseudo-random columns.
    let mut x: u64 = 0x2545_F491_4F6C_DD1D;
    let mut next = move || {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        x
    };
    let mut num = vec![
        ("age", vec![]),
        ("income", vec![]),
        ("visits", vec![]),
        ("employees", vec![]),
        ("balance", vec![]),
        ("tenure", vec![]),
    ];
    let plans = [
        Some("pro"),
        Some("business"),
        Some("free"),
        Some("trial"),
        None,
    ];
    let countries = [
        Some("CO"),
        Some("MX"),
        Some("US"),
        Some("PE"),
        None,
        Some("BR"),
    ];
    let titles = [
        Some("CEO"),
        Some("Sales Director"),
        Some("gerente comercial"),
        Some("analyst"),
        None,
    ];
    let channels = [
        Some("whatsapp"),
        Some("instagram"),
        Some("messenger"),
        Some("telegram"),
    ];
    let mut text = vec![
        ("plan", vec![]),
        ("country", vec![]),
        ("title", vec![]),
        ("channel", vec![]),
    ];
    for _ in 0..n {
        let r = next();
        num[0].1.push((18 + r % 60) as f64);
        num[1].1.push(if r % 11 == 0 {
            f64::NAN
        } else {
            ((r >> 8) % 30_000) as f64
        });
        num[2].1.push(((r >> 20) % 12) as f64);
        num[3].1.push(((r >> 24) % 2000) as f64);
        num[4].1.push(((r >> 32) % 2000) as f64 - 300.0);
        num[5].1.push(((r >> 40) % 60) as f64);
        text[0].1.push(plans[(r >> 44) as usize % plans.len()]);
        text[1]
            .1
            .push(countries[(r >> 48) as usize % countries.len()]);
        text[2].1.push(titles[(r >> 52) as usize % titles.len()]);
        text[3]
            .1
            .push(channels[(r >> 56) as usize % channels.len()]);
    }
    Data { num, text }
}

impl Data {
    fn columns(&self) -> Vec<(&str, Column<'_>)> {
        let mut c: Vec<(&str, Column<'_>)> = self
            .num
            .iter()
            .map(|(n, v)| (*n, Column::numbers(v)))
            .collect();
        c.extend(self.text.iter().map(|(n, v)| (*n, Column::Text(v))));
        c
    }

    fn record(&self, i: usize) -> LeadRecord {
        let mut r = LeadRecord::new();
        for (n, v) in &self.num {
            r.set(*n, v[i]);
        }
        for (n, v) in &self.text {
            r.set(*n, v[i].map_or(Value::Null, Value::from));
        }
        r
    }
}

fn bench(c: &mut Criterion) {
    let card = card();
    assert_eq!(card.fit.len(), 25);
    let data = data(ROWS);
    let cols = data.columns();
    let mut g = c.benchmark_group("score");
    g.sample_size(10);
    g.throughput(Throughput::Elements(ROWS as u64));
    g.bench_function("batch_25_rules_1m_rows", |b| {
        b.iter(|| {
            black_box(
                card.score_batch(black_box(&cols), None)
                    .expect("same lengths"),
            )
        })
    });
    // The same rows with the text columns as categoricals (pandas `category`, polars
    // `Categorical`, Arrow dictionaries): each distinct value is tested once.
    let encoded: Vec<(&str, Categories<'_>)> = data
        .text
        .iter()
        .map(|(n, cells)| (*n, Categories::encode(cells)))
        .collect();
    let mut cat_cols: Vec<(&str, Column<'_>)> = cols
        .iter()
        .filter(|(_, c)| matches!(c, Column::Number { .. }))
        .copied()
        .collect();
    cat_cols.extend(encoded.iter().map(|(n, enc)| (*n, enc.column())));
    assert_eq!(
        card.score_batch(&cat_cols, None).expect("same lengths"),
        card.score_batch(&cols, None).expect("same lengths")
    );
    g.bench_function("batch_25_rules_1m_rows_categorical", |b| {
        b.iter(|| {
            black_box(
                card.score_batch(black_box(&cat_cols), None)
                    .expect("same lengths"),
            )
        })
    });
    let sample = 100_000;
    let records: Vec<LeadRecord> = (0..sample).map(|i| data.record(i)).collect();
    let now = Utc.with_ymd_and_hms(2026, 1, 1, 0, 0, 0).unwrap();
    g.throughput(Throughput::Elements(sample as u64));
    g.bench_function("row_25_rules_100k_records", |b| {
        b.iter(|| {
            for r in &records {
                black_box(card.score(black_box(r), &[], now));
            }
        })
    });
    g.finish();
}

#[allow(missing_docs)]
mod group {
    use super::*;
    criterion_group!(benches, bench);
}
criterion_main!(group::benches);
