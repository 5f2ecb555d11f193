//! Throughput and latency of the intent classifiers on one core: 1,000,000 short
//! messages drawn from `data/intents/` (cycled), the hybrid classifier beside the
//! lexicon alone, interleaved over rounds; p50/p99/p99.9 per message from timing each
//! call of one round.
//!
//! ```text
//! cargo run --release -p arichat-core --example intent_speed [-- --messages 1000000 --rounds 3 --hybrid-only --model FILE]
//! ```
//!
//! `--model FILE` adds the hybrid classifier with another model file (one written by
//! `train_intents --out`), taking turns with the built-in one: a model's size or
//! format against another's, in the same process.

use std::hint::black_box;
use std::time::Instant;

use arichat_core::intent::{HybridClassifier, IntentClassifier, IntentModel, RuleClassifier};

#[path = "support/corpus_files.rs"]
mod corpus_files;

fn arg(args: &[String], name: &str, default: usize) -> usize {
    args.iter()
        .position(|a| a == name)
        .and_then(|i| args.get(i + 1))
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().collect();
    let n = arg(&args, "--messages", 1_000_000);
    let rounds = arg(&args, "--rounds", 3);
    let corpus = corpus_files::load(&corpus_files::corpus_dir(&args))?;
    // "Short messages": the corpus lines of at most 80 bytes.
    let short: Vec<&str> = corpus
        .iter()
        .map(|m| m.text.as_str())
        .filter(|t| t.len() <= 80)
        .collect();
    let messages: Vec<&str> = short.iter().copied().cycle().take(n).collect();
    let mean_len = messages.iter().map(|m| m.len()).sum::<usize>() as f64 / n as f64;
    let started = Instant::now();
    let hybrid = HybridClassifier::new();
    black_box(hybrid.classify("hola"));
    let first = started.elapsed();
    let rules = RuleClassifier::new();
    let other = match args.iter().position(|a| a == "--model") {
        Some(i) => {
            let path = args.get(i + 1).ok_or("--model needs a file")?;
            let model = IntentModel::from_bytes(&std::fs::read(path)?)?;
            Some(HybridClassifier::new().with_model(model))
        }
        None => None,
    };
    println!(
        "{n} messages ({} distinct, mean {mean_len:.0} bytes); first classify (model and lexicon set up): {first:.1?}",
        short.len()
    );
    for round in 1..=rounds {
        let contenders = [
            ("hybrid", &hybrid as &dyn IntentClassifier),
            ("lexicon only", &rules as &dyn IntentClassifier),
        ]
        .into_iter()
        .chain(
            other
                .as_ref()
                .map(|o| ("hybrid --model", o as &dyn IntentClassifier)),
        );
        for (name, c) in contenders {
            if name == "lexicon only" && args.iter().any(|a| a == "--hybrid-only") {
                continue;
            }
            let t = Instant::now();
            for m in &messages {
                black_box(c.classify(black_box(m)));
            }
            let s = t.elapsed().as_secs_f64();
            println!(
                "round {round} {name:<14} {s:>7.3} s  {:>9.0} messages/s",
                n as f64 / s
            );
        }
    }
    let mut times: Vec<u64> = messages
        .iter()
        .take(200_000)
        .map(|m| {
            let t = Instant::now();
            black_box(hybrid.classify(black_box(m)));
            t.elapsed().as_nanos() as u64
        })
        .collect();
    times.sort_unstable();
    let q =
        |p: f64| times[((times.len() as f64 * p) as usize).min(times.len() - 1)] as f64 / 1000.0;
    println!(
        "hybrid per message over {} calls: p50 {:.1} µs, p99 {:.1} µs, p99.9 {:.1} µs, max {:.1} µs",
        times.len(),
        q(0.5),
        q(0.99),
        q(0.999),
        q(1.0)
    );
    Ok(())
}
