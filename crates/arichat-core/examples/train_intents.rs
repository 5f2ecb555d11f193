//! Trains the built-in intent model from `data/intents/*.tsv` and writes
//! `crates/arichat-core/src/intent/model.bin` (the bytes a test checks for drift).
//!
//! ```text
//! cargo run --release -p arichat-core --example train_intents [-- --corpus DIR --out FILE]
//! ```

use std::path::{Path, PathBuf};

use arichat_core::intent::{IntentModel, TrainOptions};

#[path = "support/corpus_files.rs"]
mod corpus_files;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().collect();
    let corpus = corpus_files::load(&corpus_files::corpus_dir(&args))?;
    let out = args
        .iter()
        .position(|a| a == "--out")
        .and_then(|i| args.get(i + 1))
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("src/intent/model.bin"));
    let started = std::time::Instant::now();
    let model = IntentModel::train(&corpus, &TrainOptions::default());
    let bytes = model.to_bytes();
    std::fs::write(&out, &bytes)?;
    eprintln!(
        "trained on {} messages in {:.1?}: {} bytes -> {}",
        corpus.len(),
        started.elapsed(),
        bytes.len(),
        out.display()
    );
    Ok(())
}
