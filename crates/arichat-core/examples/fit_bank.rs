//! Fits a scorecard on the UCI bank-marketing data with 5-fold stratified CV.
//!
//! ```text
//! cargo run --release -p arichat-core --example fit_bank -- \
//!     [--data ../shared/datasets/bank-additional-full.csv] [--seed 42] \
//!     [--folds-out target/bank_folds.csv] [--scorecard-out target/bank.toml]
//! ```
//!
//! Prints one JSON object with the CV report. `--folds-out` writes the fold of each
//! row (one `fold` column, in file order) so another tool can use the same split
//! (see `benches/python/fit_vs_sklearn.py`). The `duration` column is dropped: it is
//! only known after the call and leaks the label.

use std::error::Error;
use std::time::Instant;

use arichat_core::fit::{cross_validate_with_folds, fit, stratified_folds, FitConfig};
use arichat_core::scoring::{LeadRecord, Value};

fn main() -> Result<(), Box<dyn Error>> {
    let mut data = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../../shared/datasets/bank-additional-full.csv"
    )
    .to_owned();
    let (mut seed, mut folds_out, mut card_out) = (42u64, None, None);
    let mut args = std::env::args().skip(1);
    while let Some(a) = args.next() {
        let mut val = || args.next().ok_or(format!("{a} needs a value"));
        match a.as_str() {
            "--data" => data = val()?,
            "--seed" => seed = val()?.parse()?,
            "--folds-out" => folds_out = Some(val()?),
            "--scorecard-out" => card_out = Some(val()?),
            other => return Err(format!("unknown argument {other}").into()),
        }
    }
    let (rows, labels) = load(&data)?;
    let cfg = FitConfig {
        seed,
        ..FitConfig::default()
    };
    let folds = stratified_folds(&labels, 5, seed);
    if let Some(path) = &folds_out {
        let mut w = csv::Writer::from_path(path)?;
        w.write_record(["fold"])?;
        for f in &folds {
            w.write_record([f.to_string()])?;
        }
        w.flush()?;
    }
    let t = Instant::now();
    let report = cross_validate_with_folds(&rows, &labels, &folds, &cfg)?;
    let cv_seconds = t.elapsed().as_secs_f64();
    let t = Instant::now();
    let fitted = fit(&rows, &labels, &cfg)?;
    let fit_seconds = t.elapsed().as_secs_f64();
    if let Some(path) = &card_out {
        std::fs::write(path, fitted.scorecard.to_toml())?;
    }
    let out = serde_json::json!({
        "rows": rows.len(),
        "positives": labels.iter().filter(|y| **y).count(),
        "seed": seed,
        "auc_mean": report.auc_mean,
        "auc_std": report.auc_std,
        "auc_pooled": report.auc_pooled,
        "brier": report.brier,
        "log_loss": report.log_loss,
        "folds": report.folds,
        "reliability": report.reliability,
        "rules": fitted.scorecard.fit.len(),
        "newton_iterations": fitted.iterations,
        "cv_seconds": cv_seconds,
        "fit_seconds": fit_seconds,
    });
    println!("{}", serde_json::to_string_pretty(&out)?);
    Ok(())
}

/// Reads the `;`-separated file: every column but `duration` and `y` becomes a field.
fn load(path: &str) -> Result<(Vec<LeadRecord>, Vec<bool>), Box<dyn Error>> {
    let mut r = csv::ReaderBuilder::new().delimiter(b';').from_path(path)?;
    let headers: Vec<String> = r.headers()?.iter().map(str::to_owned).collect();
    let y = headers.iter().position(|h| h == "y").ok_or("no y column")?;
    let (mut rows, mut labels) = (Vec::new(), Vec::new());
    for rec in r.records() {
        let rec = rec?;
        let mut lead = LeadRecord::new();
        for (i, cell) in rec.iter().enumerate() {
            if i != y && headers[i] != "duration" {
                lead.set(headers[i].clone(), Value::infer(cell));
            }
        }
        labels.push(rec.get(y) == Some("yes"));
        rows.push(lead);
    }
    Ok((rows, labels))
}
