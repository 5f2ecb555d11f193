//! [`FitOptions`] and [`fit_labelled`]: the fitting policy every front end (the
//! CLI's `arichat fit`, Python's `arichat.fit`) passes its arguments to, so the same
//! table and options give the same scorecard, byte for byte, from any of them.
//!
//! Defaults, decided here only:
//! - `seed`: [`DEFAULT_SEED`] = 0. It only shuffles the cross-validation folds (the
//!   scorecard itself does not depend on it); 0 is what the core and the CLI always
//!   used, so their published CV reports stay reproducible.
//! - `folds`: [`DEFAULT_FOLDS`] = 5 stratified folds, cross-validated by default: a
//!   scorecard should not ship without a held-out AUC, and five extra fits are cheap
//!   next to reading the table. `Some(0)` skips cross-validation.
//! - `positive`: read from the label values by [`super::read_labels`].
//! - `monotone`: on. Numeric fields' points rise or fall with the value, in the
//!   direction the data shows, as credit scorecards are built: a card whose points go
//!   14/10/9/6/14 across an indicator's bins is noise a reader cannot explain.
//! - `min_support`: [`DEFAULT_MIN_SUPPORT`] = 0.5 % of the rows, and at least
//!   [`DEFAULT_MIN_SUPPORT_COUNT`] = 20 rows, for every bin and every category; below
//!   it a level's points are learnt from too few rows to mean anything.
//! - `min_information_value`: [`DEFAULT_MIN_INFORMATION_VALUE`] = 0.02, the usual
//!   "not predictive" line of credit scoring (Siddiqi): such fields are dropped with a
//!   note ([`super::DroppedField`]).
//! - `max_rules`: no budget.

use std::ops::ControlFlow;

use crate::scoring::{LeadRecord, Value};
use crate::CoreError;

use super::report::{Evaluation, EvaluationKind, FitReport};
use super::{cross_validate_with_progress, fit, read_labels, CvReport, FitConfig, Fitted};

/// Seed of the cross-validation folds when none is given (see the module doc).
pub const DEFAULT_SEED: u64 = 0;
/// Cross-validation folds when none are given (see the module doc).
pub const DEFAULT_FOLDS: usize = 5;
/// Share of the rows every bin and category needs (see the module doc).
pub const DEFAULT_MIN_SUPPORT: f64 = 0.005;
/// Rows every bin and category needs at least (see the module doc).
pub const DEFAULT_MIN_SUPPORT_COUNT: usize = 20;
/// Fields under this information value are dropped (see the module doc).
pub const DEFAULT_MIN_INFORMATION_VALUE: f64 = 0.02;

/// What to fit from a labelled table. `None` fields take the defaults of the
/// module doc; bindings pass their arguments through unchanged.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct FitOptions {
    /// The column with the outcome.
    pub label: String,
    /// The label value of the positive class; `None` reads it from the values.
    pub positive: Option<Value>,
    /// Columns not to use, for example one that leaks the label.
    pub drop: Vec<String>,
    /// Seed of the cross-validation folds ([`DEFAULT_SEED`]).
    pub seed: Option<u64>,
    /// Cross-validation folds ([`DEFAULT_FOLDS`]); `Some(0)` for none.
    pub folds: Option<usize>,
    /// Monotone numeric fields (default on); `Some(false)` keeps every quantile bin.
    pub monotone: Option<bool>,
    /// Share of the rows every bin and category needs ([`DEFAULT_MIN_SUPPORT`]).
    pub min_support: Option<f64>,
    /// Fields under this information value are dropped
    /// ([`DEFAULT_MIN_INFORMATION_VALUE`]; 0 keeps every field with two levels).
    pub min_information_value: Option<f64>,
    /// At most this many rules (default: no budget).
    pub max_rules: Option<usize>,
}

impl FitOptions {
    /// Options for `label` with every default.
    pub fn new(label: impl Into<String>) -> Self {
        FitOptions {
            label: label.into(),
            ..FitOptions::default()
        }
    }

    /// The solver settings these options give: the defaults with every option that
    /// is set applied.
    pub fn config(&self) -> FitConfig {
        let d = FitConfig::default();
        FitConfig {
            monotone: self.monotone.unwrap_or(d.monotone),
            min_support: self.min_support.unwrap_or(d.min_support),
            min_information_value: self
                .min_information_value
                .unwrap_or(d.min_information_value),
            max_rules: self.max_rules.or(d.max_rules),
            seed: self.seed.unwrap_or(DEFAULT_SEED),
            folds: match self.folds.unwrap_or(DEFAULT_FOLDS) {
                0 => DEFAULT_FOLDS,
                k => k,
            },
            exclude: self.drop.clone(),
            ..d
        }
    }

    /// Whether [`fit_labelled`] cross-validates.
    pub fn cross_validates(&self) -> bool {
        self.folds != Some(0)
    }
}

/// A scorecard fitted from a labelled table, with what was read.
#[derive(Debug, Clone, PartialEq)]
pub struct LabelledFit {
    /// The scorecard and how the solver went; the card is named after the label
    /// and its positive values.
    pub fitted: Fitted,
    /// Cross-validation, unless `folds` was `Some(0)`.
    pub cv: Option<CvReport>,
    /// The seed and folds used.
    pub config: FitConfig,
    /// Rows fitted (rows with a label).
    pub rows: usize,
    /// Positive rows among them.
    pub positives: usize,
    /// Rows skipped for an empty or null label.
    pub unlabelled: usize,
    /// What the report page shows ([`FitReport::to_html`]): curves and deciles of the
    /// cross-validated scores (in-sample without cross-validation), each field's bins
    /// on the fitted rows, the dropped columns.
    pub report: FitReport,
}

/// Fits `records` (one per table row, each holding the label column) as `options`
/// say: the label is read by [`super::read_labels`], rows without a label are
/// skipped, the label and `drop` columns are not fields, and unless `folds` is
/// `Some(0)` the rows are cross-validated.
///
/// # Errors
/// As [`super::read_labels`], [`super::fit`] and [`super::cross_validate`].
///
/// ```
/// use arichat_core::fit::{fit_labelled, FitOptions};
/// use arichat_core::scoring::LeadRecord;
/// let rows: Vec<LeadRecord> = (0..60)
///     .map(|i| LeadRecord::new().with("visits", f64::from(i % 6)).with("y", if i % 6 > 3 { "Sí" } else { "no" }))
///     .collect();
/// let out = fit_labelled(rows, &FitOptions { folds: Some(0), ..FitOptions::new("y") }).unwrap();
/// assert_eq!(out.positives, 20);
/// assert_eq!(out.fitted.scorecard.name.as_deref(), Some("y = \"Sí\""));
/// assert!(out.cv.is_none());
/// ```
pub fn fit_labelled(
    records: Vec<LeadRecord>,
    options: &FitOptions,
) -> Result<LabelledFit, CoreError> {
    fit_labelled_with_progress(records, options, &mut |_, _| Ok::<(), CoreError>(()))
}

/// [`fit_labelled`], calling `progress(done, total)` as the work goes: `total` is the
/// number of fits (1, plus one per cross-validation fold), `done` counts those
/// finished, from `(0, total)` to `(total, total)`, never decreasing. The call is made
/// on the fitting thread; a front end draws a bar or calls back into its runtime.
/// An `Err` from `progress` stops the work at once (before the next fit) and is
/// returned: how a binding honours Ctrl-C or a callback's exception. `E` is the
/// caller's error, able to hold the core's.
///
/// # Errors
/// As [`fit_labelled`], or what `progress` returned.
///
/// ```
/// use arichat_core::fit::{fit_labelled_with_progress, FitOptions};
/// use arichat_core::scoring::LeadRecord;
/// use arichat_core::CoreError;
/// let rows: Vec<LeadRecord> = (0..60)
///     .map(|i| LeadRecord::new().with("visits", f64::from(i % 6)).with("y", i % 6 > 3))
///     .collect();
/// #[derive(Debug)]
/// enum Stop { Core(CoreError), Asked }
/// impl From<CoreError> for Stop { fn from(e: CoreError) -> Self { Stop::Core(e) } }
/// let mut seen = Vec::new();
/// let out = fit_labelled_with_progress(rows, &FitOptions::new("y"), &mut |done, total| {
///     seen.push((done, total));
///     if done == 2 { Err(Stop::Asked) } else { Ok(()) }
/// });
/// assert!(matches!(out, Err(Stop::Asked)));
/// assert_eq!(seen, [(0, 6), (1, 6), (2, 6)]);
/// ```
pub fn fit_labelled_with_progress<E: From<CoreError>>(
    records: Vec<LeadRecord>,
    options: &FitOptions,
    progress: &mut dyn FnMut(u64, u64) -> Result<(), E>,
) -> Result<LabelledFit, E> {
    let values: Vec<&Value> = records.iter().map(|r| r.get(&options.label)).collect();
    let labels = read_labels(&options.label, &values, options.positive.as_ref())?;
    let mut rows = Vec::with_capacity(records.len());
    let mut classes = Vec::with_capacity(records.len());
    for (mut r, class) in records.into_iter().zip(&labels.classes) {
        if let Some(c) = class {
            r.remove(&options.label);
            for d in &options.drop {
                r.remove(d);
            }
            rows.push(r);
            classes.push(*c);
        }
    }
    let config = options.config();
    let total = if options.cross_validates() {
        config.folds as u64 + 1
    } else {
        1
    };
    progress(0, total)?;
    let mut fitted = fit(&rows, &classes, &config)?;
    let mut done = 1;
    progress(done, total)?;
    fitted.scorecard.name = Some(match labels.positive.as_slice() {
        [one] => format!("{} = {one:?}", options.label),
        many => format!("{} in {many:?}", options.label),
    });
    let cv = if options.cross_validates() {
        let mut stopped = None;
        let mut on_fold = || {
            done = (done + 1).min(total);
            match progress(done, total) {
                Ok(()) => ControlFlow::Continue(()),
                Err(e) => {
                    stopped = Some(e);
                    ControlFlow::Break(())
                }
            }
        };
        let cv = cross_validate_with_progress(&rows, &classes, &config, &mut on_fold)?;
        if let Some(e) = stopped {
            return Err(e);
        }
        cv
    } else {
        None
    };
    if done < total {
        progress(total, total)?;
    }
    let report = labelled_report(&fitted, cv.as_ref(), &config, &rows, &classes);
    Ok(LabelledFit {
        fitted,
        cv,
        config,
        rows: rows.len(),
        positives: classes.iter().filter(|c| **c).count(),
        unlabelled: labels.classes.len() - rows.len(),
        report,
    })
}

/// The report of a labelled fit: on the out-of-fold scores when cross-validated,
/// else on the card's own scores of its rows.
fn labelled_report(
    fitted: &Fitted,
    cv: Option<&CvReport>,
    config: &FitConfig,
    rows: &[LeadRecord],
    classes: &[bool],
) -> FitReport {
    let card = &fitted.scorecard;
    let dropped = fitted.dropped.clone();
    if let Some(cv) = cv {
        let eval = Evaluation {
            kind: EvaluationKind::CrossValidated {
                folds: config.folds,
                seed: config.seed,
            },
            totals: &cv.totals,
            probabilities: &cv.probabilities,
        };
        return FitReport::build(card, rows, classes, eval, dropped);
    }
    let totals: Vec<f64> = rows.iter().map(|r| card.fit_points(r, None)).collect();
    let probabilities: Vec<f64> = match card.odds {
        Some(odds) => totals.iter().map(|t| odds.probability(*t)).collect(),
        None => vec![f64::NAN; totals.len()],
    };
    let eval = Evaluation {
        kind: EvaluationKind::InSample,
        totals: &totals,
        probabilities: &probabilities,
    };
    FitReport::build(card, rows, classes, eval, dropped)
}
