//! Fitting on the UCI bank-marketing data (skipped when `shared/datasets` is absent).

use std::path::PathBuf;

use arichat_core::fit::{cross_validate, fit, FitConfig};
use arichat_core::scoring::{Column, LeadRecord, Scorecard, Value};
use chrono::{TimeZone, Utc};

fn dataset() -> Option<PathBuf> {
    let p = PathBuf::from(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../../shared/datasets/bank-additional-full.csv"
    ));
    p.exists().then_some(p)
}

/// Every `step`-th row, without `duration` (it leaks the label).
fn load(step: usize) -> (Vec<LeadRecord>, Vec<bool>) {
    let path = dataset().expect("checked");
    let mut r = csv::ReaderBuilder::new()
        .delimiter(b';')
        .from_path(path)
        .unwrap();
    let headers: Vec<String> = r.headers().unwrap().iter().map(str::to_owned).collect();
    let (mut rows, mut labels) = (Vec::new(), Vec::new());
    for (n, rec) in r.records().enumerate() {
        if n % step != 0 {
            continue;
        }
        let rec = rec.unwrap();
        let mut lead = LeadRecord::new();
        for (h, cell) in headers.iter().zip(rec.iter()) {
            if h != "y" && h != "duration" {
                lead.set(h.clone(), Value::infer(cell));
            }
        }
        labels.push(rec.get(headers.len() - 1) == Some("yes"));
        rows.push(lead);
    }
    (rows, labels)
}

#[test]
fn bank_marketing_cross_validated_auc() {
    if dataset().is_none() {
        eprintln!("skipped: shared/datasets/bank-additional-full.csv not found");
        return;
    }
    // A quarter of the rows keeps the debug-build test quick; the full run is the
    // `fit_bank` example (see BENCHMARKS.md).
    let (rows, labels) = load(4);
    assert!(rows.len() > 10_000);
    let cfg = FitConfig {
        seed: 42,
        ..FitConfig::default()
    };
    let report = cross_validate(&rows, &labels, &cfg).unwrap();
    assert_eq!(report.folds.len(), 5);
    assert!(report.auc_mean > 0.75, "AUC {}", report.auc_mean);
    assert!(
        report.folds.iter().all(|f| f.auc > 0.72),
        "{:?}",
        report.folds
    );
    // Calibrated: Brier well under the base-rate predictor's p(1-p) ≈ 0.10.
    assert!(report.brier < 0.09, "Brier {}", report.brier);
    for b in report.reliability.iter().filter(|b| b.count > 300) {
        assert!((b.observed_rate - b.mean_predicted).abs() < 0.1, "{b:?}");
    }

    // The fitted scorecard is an ordinary file: it round-trips and scores the same
    // through the row and column paths.
    let fitted = fit(&rows, &labels, &cfg).unwrap();
    assert!(fitted.converged);
    let card = Scorecard::from_toml(&fitted.scorecard.to_toml()).unwrap();
    assert_eq!(card, fitted.scorecard);
    let ages: Vec<f64> = rows
        .iter()
        .map(|r| r.get("age").as_f64().unwrap_or(f64::NAN))
        .collect();
    let jobs: Vec<Option<&str>> = rows
        .iter()
        .map(|r| match r.get("job") {
            Value::Text(s) => Some(s.as_str()),
            _ => None,
        })
        .collect();
    let batch = card
        .score_batch(
            &[
                ("age", Column::numbers(&ages)),
                ("job", Column::Text(&jobs)),
            ],
            None,
        )
        .unwrap();
    let now = Utc.with_ymd_and_hms(2026, 1, 1, 0, 0, 0).unwrap();
    for i in (0..rows.len()).step_by(97) {
        let sub = LeadRecord::new()
            .with("age", rows[i].get("age").clone())
            .with("job", rows[i].get("job").clone());
        assert_eq!(batch.total[i], card.score(&sub, &[], now).total);
    }
}
