//! Reads every `*.tsv` file of the intent corpus (`data/intents/` at the repository
//! root), sorted by name so training sees the same order everywhere.

use std::path::{Path, PathBuf};

use arichat_core::intent::corpus::{parse_tsv, LabelledMessage};

/// The corpus directory: the first argument after `--corpus`, else `data/intents`
/// found from the crate directory.
pub fn corpus_dir(args: &[String]) -> PathBuf {
    args.iter()
        .position(|a| a == "--corpus")
        .and_then(|i| args.get(i + 1))
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("../../data/intents"))
}

/// Every labelled message of the corpus.
pub fn load(dir: &Path) -> Result<Vec<LabelledMessage>, Box<dyn std::error::Error>> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|e| e == "tsv"))
        .collect();
    files.sort();
    let mut out = Vec::new();
    for file in files {
        let name = file
            .file_stem()
            .unwrap_or_default()
            .to_string_lossy()
            .into_owned();
        out.extend(parse_tsv(&name, &std::fs::read_to_string(&file)?)?);
    }
    Ok(out)
}
