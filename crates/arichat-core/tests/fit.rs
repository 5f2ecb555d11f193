//! Fitting on the UCI bank-marketing data (skipped when `shared/datasets` is absent).

use std::path::PathBuf;

use arichat_core::fit::{cross_validate, fit, DropReason, FitConfig, Trend};
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

/// Rows with a numeric `x` whose positive rate follows `rate_of(x)` (any shape), a
/// city with a common and a rare value, and labels drawn from `draws`.
fn shaped_rows(
    xs: &[u8],
    draws: &[f64],
    rate_of: &[f64],
    missing_every: usize,
) -> (Vec<LeadRecord>, Vec<bool>) {
    let mut rows = Vec::new();
    let mut labels = Vec::new();
    for (i, (&x, &u)) in xs.iter().zip(draws).enumerate() {
        let mut r = LeadRecord::new().with("x", f64::from(x)).with(
            "city",
            if i % 40 == 0 {
                "rare"
            } else if i % 2 == 0 {
                "lima"
            } else {
                "quito"
            },
        );
        if missing_every > 0 && i % missing_every == 0 {
            r.set("x", Value::Null);
        }
        rows.push(r);
        labels.push(u < rate_of[usize::from(x) % rate_of.len()]);
    }
    if labels.iter().all(|y| *y) || labels.iter().all(|y| !*y) {
        labels[0] = !labels[0];
    }
    (rows, labels)
}

/// The points a card gives `field = x` (all its rules that match).
fn points_at(card: &Scorecard, field: &str, x: f64) -> f64 {
    card.fit
        .iter()
        .filter(|r| r.field == field && r.predicate.matches(&Value::Number(x)))
        .map(|r| r.points)
        .sum()
}

proptest::proptest! {
    #![proptest_config(proptest::prelude::ProptestConfig::with_cases(48))]

    /// Whatever the shape of the signal, a monotone field's points never go against
    /// its trend; every rule holds the minimum support of training rows; and a rule
    /// budget is kept.
    #[test]
    fn monotone_fields_support_and_budget(
        xs in proptest::collection::vec(0u8..60, 300..700),
        draws in proptest::collection::vec(0.0f64..1.0, 700),
        rate_of in proptest::collection::vec(0.02f64..0.9, 2..8),
        missing_every in 0usize..9,
        budget in proptest::option::of(1usize..12),
    ) {
        let (rows, labels) = shaped_rows(&xs, &draws, &rate_of, missing_every);
        let cfg = FitConfig { max_rules: budget, min_information_value: 0.0, ..FitConfig::default() };
        let fitted = fit(&rows, &labels, &cfg).unwrap();
        let card = &fitted.scorecard;
        Scorecard::from_toml(&card.to_toml()).unwrap();
        let mut grid: Vec<f64> = xs.iter().map(|x| f64::from(*x)).collect();
        grid.sort_by(f64::total_cmp);
        grid.dedup();
        for (field, trend) in &fitted.trends {
            let points: Vec<f64> = grid.iter().map(|x| points_at(card, field, *x)).collect();
            for pair in points.windows(2) {
                match trend {
                    Trend::Increasing => proptest::prop_assert!(pair[0] <= pair[1], "{points:?}"),
                    Trend::Decreasing => proptest::prop_assert!(pair[0] >= pair[1], "{points:?}"),
                }
            }
        }
        // Every field in the card is numeric `x` or `city`; `x` in it is monotone.
        if card.fit.iter().any(|r| r.field == "x" && r.id != "x:missing") {
            proptest::prop_assert!(fitted.trends.contains_key("x"), "{:?}", fitted.trends);
        }
        let support = 20.max((cfg.min_support * rows.len() as f64).ceil() as usize);
        for rule in &card.fit {
            let n = rows.iter().filter(|r| rule.predicate.matches(r.get(&rule.field))).count();
            if !rule.id.ends_with(":missing") {
                proptest::prop_assert!(n >= support, "{} matches {n} rows", rule.id);
            }
        }
        proptest::prop_assert!(!card.fit.iter().any(|r| r.id == "city:rare"));
        if let Some(b) = budget {
            proptest::prop_assert!(card.fit.len() <= b, "{} rules > {b}", card.fit.len());
        }
        // Without monotone binning the same rows fit too (every quantile bin kept).
        let plain = FitConfig { monotone: false, ..cfg };
        proptest::prop_assert!(fit(&rows, &labels, &plain).unwrap().trends.is_empty());
    }
}

#[test]
fn fields_without_information_are_dropped_with_their_reason() {
    let mut rows = Vec::new();
    let mut labels = Vec::new();
    for i in 0..1000u32 {
        let buyer = i % 4 == 0;
        rows.push(
            LeadRecord::new()
                .with("country", "CO")
                .with("vip", i < 3)
                .with("coin", if i % 3 == 0 { "heads" } else { "tails" })
                .with("visits", f64::from(i % 10 + if buyer { 5 } else { 0 })),
        );
        labels.push(buyer);
    }
    let fitted = fit(&rows, &labels, &FitConfig::default()).unwrap();
    let reasons: Vec<(&str, DropReason)> = fitted
        .dropped
        .iter()
        .map(|d| (d.field.as_str(), d.reason))
        .collect();
    assert_eq!(
        reasons,
        [
            ("coin", DropReason::LowInformation),
            ("country", DropReason::Constant),
            ("vip", DropReason::NearlyConstant),
        ]
    );
    assert!(fitted.dropped[0].information_value < 0.02);
    let fields: Vec<&str> = fitted
        .scorecard
        .fit
        .iter()
        .map(|r| r.field.as_str())
        .collect();
    assert!(fields.iter().all(|f| *f == "visits"), "{fields:?}");
    assert!(!fitted.scorecard.fields.contains_key("country"));
    assert_eq!(fitted.trends.get("visits"), Some(&Trend::Increasing));
    assert_eq!(DropReason::NearlyConstant.as_str(), "nearly_constant");
}
