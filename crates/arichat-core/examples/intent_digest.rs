//! Every classification of the intent corpus, one line each, to compare two builds
//! byte for byte after a change that must not change results (a speed-up):
//!
//! ```text
//! cargo run --release -p arichat-core --example intent_digest > after.txt
//! cmp before.txt after.txt
//! ```
//!
//! Each message of `data/intents/` (all lengths) and as many variants built from it
//! (joined with another message, quoted, upper-cased, split by a newline, asked about,
//! hyphenated) are classified by the hybrid classifier (JSON), by the lexicon alone
//! (JSON) and read by the model (its probabilities, `Debug`).

use arichat_core::intent::{HybridClassifier, IntentClassifier, RuleClassifier};

#[path = "support/corpus_files.rs"]
mod corpus_files;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().collect();
    let corpus = corpus_files::load(&corpus_files::corpus_dir(&args))?;
    let hybrid = HybridClassifier::new();
    let rules = RuleClassifier::new();
    let mut texts: Vec<String> = corpus.iter().map(|m| m.text.clone()).collect();
    let n = texts.len();
    for i in 0..n {
        let a = &texts[i];
        let b = &texts[(i * 7919 + 13) % n];
        texts.push(match i % 6 {
            0 => format!("{a}. {b}"),
            1 => format!("\"{a}\"? {b}!"),
            2 => a.to_uppercase(),
            3 => format!("{a}\n{b}"),
            4 => format!("¿{a}? pero {b}…"),
            _ => format!("{a}-{b} 'x' «{a}»"),
        });
    }
    let mut out = String::new();
    for text in &texts {
        out.push_str(&serde_json::to_string(&hybrid.classify(text))?);
        out.push('\n');
        out.push_str(&serde_json::to_string(&rules.classify(text))?);
        out.push('\n');
        out.push_str(&format!("{:?}\n", hybrid.predict(text)));
    }
    print!("{out}");
    Ok(())
}
