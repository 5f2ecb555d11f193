//! Measures fitted scorecards on a held-out split: AUC, Brier score, reliability per
//! decile and rule count (issue 18, "better cards"; figures in BENCHMARKS.md).
//!
//! ```text
//! cargo run --release -p arichat-core --example fit_cards -- \
//!     --data ../shared/datasets/bank-additional-full.csv --label y --drop duration
//! cargo run --release -p arichat-core --example fit_cards -- \
//!     --data target/datasets/Caravan.csv --label Purchase     # benches/fit_cards.sh fetches it
//! ```
//!
//! The rows are split once, stratified by label, with `--seed` (default 42): a quarter
//! is held out and never used to choose anything; the card is fitted on the rest and
//! scored on the held-out quarter exactly as it ships (integer points, `[odds]` scale).
//! Fitting options are the CLI's: `--no-monotone`, `--min-support F`, `--min-iv V`,
//! `--max-rules N`. The delimiter (`,` or `;`) is read
//! from the header line; the positive label is read as `arichat fit` reads it.
//! Prints one JSON object.

use std::error::Error;
use std::time::Instant;

use arichat_core::fit::{
    brier_score, fit, log_loss, read_labels, roc_auc, stratified_folds, FitOptions,
};
use arichat_core::scoring::{LeadRecord, Value};

fn main() -> Result<(), Box<dyn Error>> {
    let mut data = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../../shared/datasets/bank-additional-full.csv"
    )
    .to_owned();
    let mut options = FitOptions::new("y");
    let mut seed = 42u64;
    let mut card_out = None;
    let mut args = std::env::args().skip(1);
    while let Some(a) = args.next() {
        let mut val = || args.next().ok_or(format!("{a} needs a value"));
        match a.as_str() {
            "--data" => data = val()?,
            "--label" => options.label = val()?,
            "--drop" => options.drop.push(val()?),
            "--seed" => seed = val()?.parse()?,
            "--scorecard-out" => card_out = Some(val()?),
            other => {
                if !apply_fit_flag(&mut options, other, &mut val)? {
                    return Err(format!("unknown argument {other}").into());
                }
            }
        }
    }
    let (rows, labels) = load(&data, &options)?;
    // Fold 0 of 4 stratified folds is the held-out quarter.
    let folds = stratified_folds(&labels, 4, seed);
    let (mut train, mut train_y, mut test, mut test_y) =
        (Vec::new(), Vec::new(), Vec::new(), Vec::new());
    for ((r, y), f) in rows.into_iter().zip(labels).zip(folds) {
        if f == 0 {
            test.push(r);
            test_y.push(y);
        } else {
            train.push(r);
            train_y.push(y);
        }
    }
    let cfg = options.config();
    let t = Instant::now();
    let fitted = fit(&train, &train_y, &cfg)?;
    let fit_seconds = t.elapsed().as_secs_f64();
    let card = &fitted.scorecard;
    if let Some(path) = &card_out {
        std::fs::write(path, card.to_toml())?;
    }
    let odds = card.odds.ok_or("fitted cards have an odds scale")?;
    let now = chrono::Utc::now();
    let totals: Vec<f64> = test.iter().map(|r| card.score(r, &[], now).total).collect();
    let probs: Vec<f64> = totals.iter().map(|t| odds.probability(*t)).collect();
    let fields: std::collections::BTreeSet<&str> =
        card.fit.iter().map(|r| r.field.as_str()).collect();
    let out = serde_json::json!({
        "data": data,
        "train_rows": train.len(),
        "test_rows": test.len(),
        "test_positives": test_y.iter().filter(|y| **y).count(),
        "seed": seed,
        "rules": card.fit.len(),
        "fields": fields.len(),
        "auc": roc_auc(&totals, &test_y),
        "brier": brier_score(&probs, &test_y),
        "log_loss": log_loss(&probs, &test_y),
        "deciles": deciles(&probs, &test_y),
        "fit_seconds": fit_seconds,
        "dropped": fitted.dropped,
        "trends": fitted.trends,
    });
    println!("{}", serde_json::to_string_pretty(&out)?);
    Ok(())
}

/// Reliability per decile of predicted probability: the held-out rows sorted by
/// probability and cut into ten groups of (nearly) equal size, each with its mean
/// predicted probability and observed positive rate.
fn deciles(probs: &[f64], labels: &[bool]) -> Vec<serde_json::Value> {
    let mut order: Vec<usize> = (0..probs.len()).collect();
    order.sort_by(|&a, &b| probs[a].total_cmp(&probs[b]));
    (0..10)
        .map(|d| {
            let part = &order[d * order.len() / 10..(d + 1) * order.len() / 10];
            let n = part.len().max(1) as f64;
            let mean = part.iter().map(|&i| probs[i]).sum::<f64>() / n;
            let rate = part.iter().filter(|&&i| labels[i]).count() as f64 / n;
            serde_json::json!({"decile": d + 1, "rows": part.len(), "mean_predicted": mean, "observed_rate": rate})
        })
        .collect()
}

/// Reads the CSV (delimiter from the header line): every column but the label and
/// `drop` is a field, cells read by `Value::infer`; rows without a label are skipped.
fn load(path: &str, options: &FitOptions) -> Result<(Vec<LeadRecord>, Vec<bool>), Box<dyn Error>> {
    let text = std::fs::read_to_string(path)?;
    let first = text.lines().next().unwrap_or_default();
    let delimiter = if first.matches(';').count() > first.matches(',').count() {
        b';'
    } else {
        b','
    };
    let mut r = csv::ReaderBuilder::new()
        .delimiter(delimiter)
        .from_reader(text.as_bytes());
    let headers: Vec<String> = r.headers()?.iter().map(str::to_owned).collect();
    let y = headers
        .iter()
        .position(|h| *h == options.label)
        .ok_or("no label column")?;
    let (mut rows, mut label_values) = (Vec::new(), Vec::new());
    for rec in r.records() {
        let rec = rec?;
        let mut lead = LeadRecord::new();
        for (i, cell) in rec.iter().enumerate() {
            if i != y && !options.drop.contains(&headers[i]) {
                lead.set(headers[i].clone(), Value::infer(cell));
            }
        }
        label_values.push(Value::Text(rec.get(y).unwrap_or_default().to_owned()));
        rows.push(lead);
    }
    let refs: Vec<&Value> = label_values.iter().collect();
    let labels = read_labels(&options.label, &refs, options.positive.as_ref())?;
    let (mut kept, mut classes) = (Vec::new(), Vec::new());
    for (r, c) in rows.into_iter().zip(labels.classes) {
        if let Some(c) = c {
            kept.push(r);
            classes.push(c);
        }
    }
    Ok((kept, classes))
}

/// Applies one fitting flag of `arichat fit`; `false` when `flag` is not one.
fn apply_fit_flag(
    options: &mut FitOptions,
    flag: &str,
    val: &mut dyn FnMut() -> Result<String, String>,
) -> Result<bool, Box<dyn Error>> {
    match flag {
        "--no-monotone" => options.monotone = Some(false),
        "--min-support" => options.min_support = Some(val()?.parse()?),
        "--min-iv" => options.min_information_value = Some(val()?.parse()?),
        "--max-rules" => options.max_rules = Some(val()?.parse()?),
        _ => return Ok(false),
    }
    Ok(true)
}
