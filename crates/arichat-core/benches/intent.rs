//! Messages classified per second by the built-in rule classifier, over the labelled
//! sets of `tests/data` (train and holdout, es/en/pt), and the cost of compiling the
//! built-in lexicon once.
//!
//! `cargo bench -p arichat-core --bench intent`

use std::hint::black_box;

use arichat_core::intent::{IntentClassifier, RuleClassifier};
use criterion::{criterion_main, Criterion, Throughput};

fn messages() -> Vec<&'static str> {
    [
        include_str!("../tests/data/intents.tsv"),
        include_str!("../tests/data/intents_holdout.tsv"),
    ]
    .into_iter()
    .flat_map(|f| f.lines().skip(1))
    .filter_map(|l| l.splitn(3, '\t').nth(2))
    .collect()
}

fn classify(c: &mut Criterion) {
    let msgs = messages();
    let classifier = RuleClassifier::new();
    let mut group = c.benchmark_group("intent");
    group.throughput(Throughput::Elements(msgs.len() as u64));
    group.bench_function("classify_labelled_set", |b| {
        b.iter(|| {
            for m in &msgs {
                black_box(classifier.classify(black_box(m)));
            }
        })
    });
    group.finish();
    c.bench_function("intent/compile_builtin_lexicon", |b| {
        b.iter(|| black_box(RuleClassifier::new()))
    });
}

#[allow(missing_docs)]
mod group {
    criterion::criterion_group!(benches, super::classify);
}
criterion_main!(group::benches);
