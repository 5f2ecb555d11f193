//! Messages classified per second by the hybrid classifier (the default) and by the
//! lexicon alone (the baseline it runs first), over the labelled sets of `tests/data`
//! (train and holdout, es/en/pt), and the cost of compiling the built-in lexicon once.
//! `examples/intent_speed.rs` gives the 1M-message figures and percentiles.
//!
//! `cargo bench -p arichat-core --bench intent`

use std::hint::black_box;

use arichat_core::intent::{HybridClassifier, IntentClassifier, RuleClassifier};
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
    let hybrid = HybridClassifier::new();
    let rules = RuleClassifier::new();
    let mut group = c.benchmark_group("intent");
    group.throughput(Throughput::Elements(msgs.len() as u64));
    for (name, classifier) in [
        ("hybrid_labelled_set", &hybrid as &dyn IntentClassifier),
        ("lexicon_labelled_set", &rules as &dyn IntentClassifier),
    ] {
        group.bench_function(name, |b| {
            b.iter(|| {
                for m in &msgs {
                    black_box(classifier.classify(black_box(m)));
                }
            })
        });
    }
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
