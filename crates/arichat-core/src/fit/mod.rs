//! Learning a points scorecard from labelled history.
//!
//! [`fit`] turns labelled [`LeadRecord`]s into an ordinary [`Scorecard`], in steps:
//!
//! 1. **Levels.** Numeric fields are cut into `bins` quantile bins, text and boolean
//!    fields become categories; missing values get a level of their own.
//! 2. **Minimum support.** A bin or category needs `min_support` of the rows (and
//!    `min_support_count`): a smaller bin joins the neighbour whose positive rate is
//!    closest, a rarer category goes into "other" (and a small "other" takes the
//!    category closest to it in rate). A field left with one level is dropped as
//!    nearly constant; one with a single value everywhere as constant.
//! 3. **Monotone bins** (`monotone`). Each numeric field's bins are fitted by
//!    pool-adjacent-violators on their log-odds, increasing and decreasing; the
//!    direction with the smaller weighted squared error wins and its pooled runs
//!    become the bins ([`Trend`]).
//! 4. **Information.** A field whose information value (Σ (g − b) ln(g / b) over its
//!    levels) is under `min_information_value` is dropped; with `max_rules`, the two
//!    levels whose merging loses the least information value are merged, across all
//!    fields, until every field's levels but one fit the budget.
//! 5. **Regression.** An L2-regularized logistic regression on the one-hot levels
//!    (Newton's method, deterministic) weighs each level. When it orders a monotone
//!    field's bins against its direction (other fields carry part of the signal),
//!    those bins are pooled by pool-adjacent-violators on the weights and the
//!    regression runs again, so points are monotone in the card as shipped.
//! 6. **Points.** Weights become integer points on a points-to-double-odds scale,
//!    shifted so every field's worst level scores 0 and has no rule; a field whose
//!    levels all round to the same points is dropped.
//!
//! Every field left out is listed in [`Fitted::dropped`] with a [`DropReason`]. The
//! defaults live in [`FitConfig::default`] and [`options`](FitOptions): on the bank
//! marketing data they halve the card (83 → 37 rules) at the same held-out AUC
//! (BENCHMARKS.md, "Better cards").
//!
//! [`cross_validate`] reports held-out ROC-AUC and calibration (Brier score, log loss,
//! reliability bins) over stratified folds drawn from a seed, scoring each held-out
//! row with the integer scorecard that would ship.
//!
//! [`fit_labelled`] is the whole policy for a labelled table, which the CLI and the
//! bindings only pass arguments to: which label values are positive ([`read_labels`],
//! one yes/no word list in English, Spanish and Portuguese), rows without a label,
//! dropped columns, and the default seed and folds ([`FitOptions`]).
//!
//! ```
//! use arichat_core::fit::{cross_validate, fit, FitConfig};
//! use arichat_core::scoring::LeadRecord;
//!
//! // Buyers are mostly in plan "pro" and have more visits.
//! let mut rows = Vec::new();
//! let mut labels = Vec::new();
//! for i in 0..400u32 {
//!     let pro = i % 3 == 0;
//!     let visits = f64::from(i % 10);
//!     rows.push(LeadRecord::new().with("plan", if pro { "pro" } else { "free" }).with("visits", visits));
//!     labels.push((pro && i % 10 > 3) || i % 10 == 9);
//! }
//! let cfg = FitConfig::default();
//! let fitted = fit(&rows, &labels, &cfg).unwrap();
//! let card = fitted.scorecard;
//! assert!(card.fit.iter().any(|r| r.field == "plan"));
//! let report = cross_validate(&rows, &labels, &cfg).unwrap();
//! assert!(report.auc_mean > 0.9);
//! // The fitted scorecard is an ordinary file.
//! let again = arichat_core::scoring::Scorecard::from_toml(&card.to_toml()).unwrap();
//! assert_eq!(again, card);
//! ```

mod binning;
mod features;
mod labels;
mod logistic;
mod metrics;
mod options;
pub mod report;

use std::ops::ControlFlow;

use std::collections::{BTreeMap, BTreeSet, HashSet};

pub use binning::{DropReason, DroppedField, Trend};
pub use labels::{label_class, read_labels, Labels, NEGATIVE_WORDS, POSITIVE_WORDS};
pub use metrics::{brier_score, log_loss, reliability, roc_auc, ReliabilityBin};
pub use options::{
    fit_labelled, fit_labelled_with_progress, FitOptions, LabelledFit, DEFAULT_FOLDS,
    DEFAULT_MIN_INFORMATION_VALUE, DEFAULT_MIN_SUPPORT, DEFAULT_MIN_SUPPORT_COUNT, DEFAULT_SEED,
};
pub use report::FitReport;

use crate::scoring::{
    FitRule, GradeThresholds, LeadRecord, OddsScale, Scorecard, StageThresholds, Value,
};
use crate::CoreError;
use features::{Feature, Unlearnt};

/// Settings of [`fit`] and [`cross_validate`]. Every field has a default.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct FitConfig {
    /// Fields to use; empty means every field seen in the rows.
    pub fields: Vec<String>,
    /// Fields never to use (for example one that leaks the label).
    pub exclude: Vec<String>,
    /// Quantile bins per numeric field (fewer when values repeat).
    pub bins: usize,
    /// Minimum support: a bin or category seen in fewer rows than this is merged (a
    /// bin into the neighbour of closest positive rate, a category into "other").
    pub min_support_count: usize,
    /// ... or in fewer than this share of the rows.
    pub min_support: f64,
    /// Numeric fields' points follow one direction (see the module doc).
    pub monotone: bool,
    /// Fields whose information value is below this are dropped.
    pub min_information_value: f64,
    /// At most this many rules: the least informative splits are merged first.
    pub max_rules: Option<usize>,
    /// At most this many categories per field are kept (the most frequent).
    pub max_categories: usize,
    /// L2 penalty on the level weights (like scikit-learn's `1 / C`).
    pub l2: f64,
    /// Newton iterations at most.
    pub max_iterations: usize,
    /// Stop when no weight moves more than this.
    pub tolerance: f64,
    /// Seed of the fold assignment in [`cross_validate`].
    pub seed: u64,
    /// Number of folds in [`cross_validate`].
    pub folds: usize,
    /// The score at odds 1:1.
    pub points_at_even_odds: f64,
    /// Points that double the odds.
    pub points_to_double_odds: f64,
    /// Probabilities at which grades A, B and C start.
    pub grade_probabilities: [f64; 3],
    /// Probabilities at which stages MQL and SQL start.
    pub stage_probabilities: [f64; 2],
}

impl Default for FitConfig {
    fn default() -> Self {
        FitConfig {
            fields: Vec::new(),
            exclude: Vec::new(),
            bins: 10,
            min_support_count: DEFAULT_MIN_SUPPORT_COUNT,
            min_support: DEFAULT_MIN_SUPPORT,
            monotone: true,
            min_information_value: DEFAULT_MIN_INFORMATION_VALUE,
            max_rules: None,
            max_categories: 50,
            l2: 1.0,
            max_iterations: 50,
            tolerance: 1e-7,
            seed: DEFAULT_SEED,
            folds: DEFAULT_FOLDS,
            points_at_even_odds: 50.0,
            points_to_double_odds: 10.0,
            grade_probabilities: [0.5, 0.25, 0.1],
            stage_probabilities: [0.25, 0.5],
        }
    }
}

impl FitConfig {
    /// Rows a bin or category needs among `rows` training rows.
    pub(crate) fn support(&self, rows: usize) -> usize {
        self.min_support_count
            .max((self.min_support * rows as f64).ceil() as usize)
            .max(1)
    }

    fn check(&self) -> Result<(), CoreError> {
        let probs_ok = |ps: &[f64]| ps.iter().all(|p| *p > 0.0 && *p < 1.0);
        let [a, b, c] = self.grade_probabilities;
        let [mql, sql] = self.stage_probabilities;
        let ok = self.l2.is_finite()
            && self.l2 > 0.0
            && self.tolerance.is_finite()
            && self.min_support.is_finite()
            && (0.0..1.0).contains(&self.min_support)
            && self.min_information_value.is_finite()
            && self.points_at_even_odds.is_finite()
            && self.points_to_double_odds.is_finite()
            && self.points_to_double_odds > 0.0
            && probs_ok(&[a, b, c, mql, sql])
            && a >= b
            && b >= c
            && sql >= mql
            && self.folds >= 2;
        if ok {
            Ok(())
        } else {
            Err(CoreError::InvalidConfig {
                what: "fit config",
                reason: "need l2 > 0, points_to_double_odds > 0, probabilities in (0, 1) in \
                         decreasing grade order with sql >= mql, folds >= 2, min_support in \
                         [0, 1) and a finite min_information_value"
                    .into(),
            })
        }
    }
}

/// A fitted scorecard and how the solver went.
#[derive(Debug, Clone, PartialEq)]
pub struct Fitted {
    /// The scorecard (fit rules, base, odds scale, thresholds).
    pub scorecard: Scorecard,
    /// Newton iterations used.
    pub iterations: usize,
    /// Whether the solver met the tolerance.
    pub converged: bool,
    /// Fields of the rows left out of the scorecard, and why, in field order.
    pub dropped: Vec<DroppedField>,
    /// The direction of each monotone numeric field in the scorecard.
    pub trends: BTreeMap<String, Trend>,
}

fn data_error(reason: impl Into<String>) -> CoreError {
    CoreError::InvalidScoringData {
        reason: reason.into(),
    }
}

fn check_rows(rows: &[LeadRecord], labels: &[bool]) -> Result<(), CoreError> {
    if rows.len() != labels.len() {
        return Err(data_error(format!(
            "{} rows but {} labels",
            rows.len(),
            labels.len()
        )));
    }
    let pos = labels.iter().filter(|l| **l).count();
    if pos == 0 || pos == labels.len() {
        return Err(data_error("labels need both positive and negative rows"));
    }
    Ok(())
}

/// Learns a scorecard from `rows` labelled by `labels` (true = the outcome to score
/// for, such as "bought"). Deterministic: the same rows and config give the same
/// scorecard, byte for byte.
///
/// # Errors
/// [`CoreError::InvalidScoringData`] when lengths differ or a class is absent;
/// [`CoreError::InvalidConfig`] for a config out of range.
pub fn fit(rows: &[LeadRecord], labels: &[bool], cfg: &FitConfig) -> Result<Fitted, CoreError> {
    cfg.check()?;
    check_rows(rows, labels)?;
    let refs: Vec<&LeadRecord> = rows.iter().collect();
    Ok(fit_refs(&refs, labels, cfg))
}

fn field_names(rows: &[&LeadRecord], cfg: &FitConfig) -> Vec<String> {
    let names: BTreeSet<&str> = if cfg.fields.is_empty() {
        // Rows usually share their keys: dedup through a hash set before sorting.
        let mut seen: HashSet<&str> = HashSet::new();
        for r in rows {
            for (k, _) in r.iter() {
                if !seen.contains(k) {
                    seen.insert(k);
                }
            }
        }
        seen.into_iter().collect()
    } else {
        cfg.fields.iter().map(String::as_str).collect()
    };
    names
        .into_iter()
        .filter(|n| !cfg.exclude.iter().any(|e| e == n))
        .map(str::to_owned)
        .collect()
}

/// Features of the fields worth fitting, with their columns, and the notes on the
/// fields left out (steps 1–4 of the module doc).
struct Prepared<'a> {
    features: Vec<Feature>,
    cols: Vec<Vec<&'a Value>>,
    trends: Vec<Option<Trend>>,
    /// Information value of each feature as prepared (before the regression).
    ivs: Vec<f64>,
    dropped: Vec<DroppedField>,
}

fn prepare<'a>(rows: &[&'a LeadRecord], labels: &[bool], cfg: &FitConfig) -> Prepared<'a> {
    let names = field_names(rows, cfg);
    let mut out = Prepared {
        features: Vec::new(),
        cols: Vec::new(),
        trends: Vec::new(),
        ivs: Vec::new(),
        dropped: Vec::new(),
    };
    let drop = |field: &str, reason, information_value| DroppedField {
        field: field.to_owned(),
        reason,
        information_value,
    };
    for (name, col) in names.iter().zip(features::columns(rows, &names)) {
        let mut f = match Feature::learn(name, &col, labels, cfg) {
            Ok(f) => f,
            Err(Unlearnt::Constant) => {
                out.dropped.push(drop(name, DropReason::Constant, 0.0));
                continue;
            }
            Err(Unlearnt::NearlyConstant) => {
                out.dropped
                    .push(drop(name, DropReason::NearlyConstant, 0.0));
                continue;
            }
        };
        let mut trend = None;
        if cfg.monotone && f.is_numeric() && f.ordered() > 1 {
            let (t, runs) = binning::best_trend(&f.stats[..f.ordered()]);
            f.merge_runs(&runs);
            trend = Some(t);
        }
        let iv = binning::information_value(&f.stats);
        if f.levels.len() < 2 || iv < cfg.min_information_value {
            out.dropped.push(drop(name, DropReason::LowInformation, iv));
            continue;
        }
        out.features.push(f);
        out.cols.push(col);
        out.trends.push(trend);
        out.ivs.push(iv);
    }
    if let Some(budget) = cfg.max_rules {
        // Each field gives at most one rule per level but its worst (0 points).
        let mut rules: usize = out.features.iter().map(|f| f.levels.len() - 1).sum();
        while rules > budget {
            let Some((i, merge)) = out
                .features
                .iter()
                .enumerate()
                .filter_map(|(i, f)| binning::cheapest_merge(f).map(|m| (i, m)))
                .min_by(|a, b| a.1.loss.total_cmp(&b.1.loss))
            else {
                break;
            };
            binning::apply(&mut out.features[i], &merge.op);
            rules -= 1;
            if out.features[i].levels.len() < 2 {
                let f = out.features.remove(i);
                out.cols.remove(i);
                out.trends.remove(i);
                let iv = out.ivs.remove(i);
                out.dropped.push(drop(&f.field, DropReason::RuleBudget, iv));
            }
        }
    }
    out
}

/// The design of `features` over their columns, and the solver's answer.
fn solve(
    features: &[Feature],
    cols: &[Vec<&Value>],
    labels: &[bool],
    cfg: &FitConfig,
) -> (Vec<usize>, logistic::Solution) {
    let mut offsets = Vec::with_capacity(features.len());
    let mut columns = 0usize;
    for f in features {
        offsets.push(columns);
        columns += f.levels.len();
    }
    let per_row = features.len();
    let rows = labels.len();
    let mut active = Vec::with_capacity(rows * per_row);
    for i in 0..rows {
        for ((f, off), col) in features.iter().zip(&offsets).zip(cols) {
            active.push(
                f.level_of(col[i])
                    .map_or(u32::MAX, |l| u32::try_from(off + l).unwrap_or(u32::MAX)),
            );
        }
    }
    let design = logistic::Design {
        active: &active,
        per_row,
        columns,
    };
    let sol = logistic::fit(&design, labels, cfg.l2, cfg.max_iterations, cfg.tolerance);
    (offsets, sol)
}

fn fit_refs(rows: &[&LeadRecord], labels: &[bool], cfg: &FitConfig) -> Fitted {
    let Prepared {
        mut features,
        cols,
        trends,
        ivs,
        mut dropped,
    } = prepare(rows, labels, cfg);
    // Step 5: the regression may reverse a monotone field's bins (other fields
    // explain part of its signal): pool the reversed bins, weighted by rows, and fit
    // again. Every pass merges at least two bins, so this ends.
    let (offsets, sol) = loop {
        let (offsets, sol) = solve(&features, &cols, labels, cfg);
        let mut merged = false;
        for ((f, off), trend) in features.iter_mut().zip(&offsets).zip(&trends) {
            let Some(trend) = trend else { continue };
            let bins = f.ordered();
            let w: Vec<f64> = f.stats[..bins].iter().map(|s| s.n).collect();
            let (runs, _) = binning::pav(&sol.coef[*off..*off + bins], &w, *trend);
            if runs.last().is_some_and(|l| l + 1 < bins) {
                f.merge_runs(&runs);
                merged = true;
            }
        }
        if !merged {
            break (offsets, sol);
        }
    };

    let scale = OddsScale {
        points_at_even_odds: cfg.points_at_even_odds,
        points_to_double_odds: cfg.points_to_double_odds,
    };
    let factor = cfg.points_to_double_odds / std::f64::consts::LN_2;
    let mut intercept = sol.intercept;
    let mut card = Scorecard {
        odds: Some(scale),
        ..Scorecard::default()
    };
    let mut fitted_trends = BTreeMap::new();
    for (((f, off), trend), iv) in features.iter().zip(&offsets).zip(&trends).zip(&ivs) {
        let w = &sol.coef[*off..*off + f.levels.len()];
        let min = w.iter().copied().fold(f64::INFINITY, f64::min);
        intercept += min;
        if w.iter().all(|wi| (factor * (wi - min)).round() == 0.0) {
            dropped.push(DroppedField {
                field: f.field.clone(),
                reason: DropReason::NoPoints,
                information_value: *iv,
            });
            continue;
        }
        if let Some(t) = f.field_type {
            card.fields.insert(f.field.clone(), t);
        }
        if let Some(t) = trend {
            fitted_trends.insert(f.field.clone(), *t);
        }
        for (level, wi) in f.levels.iter().zip(w) {
            let points = (factor * (wi - min)).round();
            if points != 0.0 {
                let mut rule = FitRule::new(
                    level.id.clone(),
                    f.field.clone(),
                    level.predicate.clone(),
                    points,
                );
                rule.name = Some(level.label.clone());
                card.fit.push(rule);
            }
        }
    }
    card.base = (cfg.points_at_even_odds + factor * intercept).round();
    let at = |p: f64| scale.points_at(p).round();
    let [a, b, c] = cfg.grade_probabilities;
    card.grades = GradeThresholds {
        a: at(a),
        b: at(b),
        c: at(c),
    };
    let [mql, sql] = cfg.stage_probabilities;
    card.stages = StageThresholds {
        mql: at(mql),
        sql: at(sql),
    };
    dropped.sort_by(|a, b| a.field.cmp(&b.field));
    Fitted {
        scorecard: card,
        iterations: sol.iterations,
        converged: sol.converged,
        dropped,
        trends: fitted_trends,
    }
}

/// A fold assignment stratified by label: each class is shuffled with a generator
/// seeded by `seed` and dealt round-robin into `k` folds, so every fold has the same
/// share of positives (±1 row). Same inputs, same folds, on every platform.
///
/// ```
/// use arichat_core::fit::stratified_folds;
/// let labels = [true, false, false, true, false, false, true, false, false, false];
/// let folds = stratified_folds(&labels, 2, 7);
/// assert_eq!(folds, stratified_folds(&labels, 2, 7));
/// let pos_in_0 = (0..10).filter(|&i| labels[i] && folds[i] == 0).count();
/// assert!(pos_in_0 == 1 || pos_in_0 == 2);
/// ```
pub fn stratified_folds(labels: &[bool], k: usize, seed: u64) -> Vec<usize> {
    let k = k.max(1);
    let mut rng = SplitMix64(seed);
    let mut folds = vec![0; labels.len()];
    for class in [true, false] {
        let mut idx: Vec<usize> = (0..labels.len()).filter(|&i| labels[i] == class).collect();
        // Fisher–Yates.
        for i in (1..idx.len()).rev() {
            let j = (rng.next() % (i as u64 + 1)) as usize;
            idx.swap(i, j);
        }
        for (pos, i) in idx.into_iter().enumerate() {
            folds[i] = pos % k;
        }
    }
    folds
}

/// SplitMix64: a tiny, well-known generator, enough for shuffling.
struct SplitMix64(u64);

impl SplitMix64 {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
}

/// Held-out results of one fold.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct FoldReport {
    /// Fold number.
    pub fold: usize,
    /// Held-out rows.
    pub rows: usize,
    /// Held-out positives.
    pub positives: usize,
    /// ROC-AUC of the scorecard's totals.
    pub auc: f64,
    /// Brier score of its probabilities.
    pub brier: f64,
}

/// Cross-validation report: every row is scored once, by the scorecard fitted
/// without its fold.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct CvReport {
    /// Per fold.
    pub folds: Vec<FoldReport>,
    /// Mean of the folds' AUC.
    pub auc_mean: f64,
    /// Standard deviation of the folds' AUC.
    pub auc_std: f64,
    /// AUC of all out-of-fold totals together.
    pub auc_pooled: f64,
    /// Brier score of all out-of-fold probabilities.
    pub brier: f64,
    /// Log loss of all out-of-fold probabilities.
    pub log_loss: f64,
    /// Reliability diagram (10 bins) of the out-of-fold probabilities.
    pub reliability: Vec<ReliabilityBin>,
    /// Out-of-fold total of each row.
    #[serde(skip)]
    pub totals: Vec<f64>,
    /// Out-of-fold probability of each row.
    #[serde(skip)]
    pub probabilities: Vec<f64>,
}

/// [`cross_validate_with_folds`] over [`stratified_folds`]`(labels, cfg.folds, cfg.seed)`.
///
/// # Errors
/// As [`cross_validate_with_folds`].
pub fn cross_validate(
    rows: &[LeadRecord],
    labels: &[bool],
    cfg: &FitConfig,
) -> Result<CvReport, CoreError> {
    cross_validate_with_progress(rows, labels, cfg, &mut || ControlFlow::Continue(()))
        .map(|cv| cv.expect("cross-validation without a stop runs every fold"))
}

/// [`cross_validate`], calling `on_fold` after each fold's fit; `None` when it says
/// [`ControlFlow::Break`] (the remaining folds are not fitted).
pub(crate) fn cross_validate_with_progress(
    rows: &[LeadRecord],
    labels: &[bool],
    cfg: &FitConfig,
    on_fold: &mut dyn FnMut() -> ControlFlow<()>,
) -> Result<Option<CvReport>, CoreError> {
    cfg.check()?;
    let folds = stratified_folds(labels, cfg.folds, cfg.seed);
    cross_validate_folds(rows, labels, &folds, cfg, on_fold)
}

/// Cross-validation with a given fold per row (for comparing with another tool on
/// exactly the same split). Folds are numbered from 0.
///
/// # Errors
/// [`CoreError::InvalidScoringData`] when lengths differ, or a fold's training or
/// held-out rows lack a class.
pub fn cross_validate_with_folds(
    rows: &[LeadRecord],
    labels: &[bool],
    folds: &[usize],
    cfg: &FitConfig,
) -> Result<CvReport, CoreError> {
    cross_validate_folds(rows, labels, folds, cfg, &mut || ControlFlow::Continue(()))
        .map(|cv| cv.expect("cross-validation without a stop runs every fold"))
}

/// [`cross_validate_with_folds`], calling `on_fold` after each fold's fit (for a
/// progress bar); `None` when it says [`ControlFlow::Break`].
fn cross_validate_folds(
    rows: &[LeadRecord],
    labels: &[bool],
    folds: &[usize],
    cfg: &FitConfig,
    on_fold: &mut dyn FnMut() -> ControlFlow<()>,
) -> Result<Option<CvReport>, CoreError> {
    cfg.check()?;
    check_rows(rows, labels)?;
    if folds.len() != rows.len() {
        return Err(data_error("one fold number per row is needed"));
    }
    let k = folds.iter().copied().max().unwrap_or(0) + 1;
    let mut totals = vec![f64::NAN; rows.len()];
    let mut probabilities = vec![f64::NAN; rows.len()];
    let mut reports = Vec::with_capacity(k);
    for fold in 0..k {
        let (mut train, mut train_y, mut test) = (Vec::new(), Vec::new(), Vec::new());
        for (i, r) in rows.iter().enumerate() {
            if folds[i] == fold {
                test.push(i);
            } else {
                train.push(r);
                train_y.push(labels[i]);
            }
        }
        if test.is_empty() {
            continue;
        }
        let tp = train_y.iter().filter(|y| **y).count();
        if tp == 0 || tp == train_y.len() {
            return Err(data_error(format!(
                "fold {fold}: training rows lack a class"
            )));
        }
        let card = fit_refs(&train, &train_y, cfg).scorecard;
        let scale = card.odds;
        let (mut s, mut p, mut y) = (Vec::new(), Vec::new(), Vec::new());
        for &i in &test {
            let total = card.fit_points(&rows[i], None);
            let prob = scale.map_or(f64::NAN, |o| o.probability(total));
            totals[i] = total;
            probabilities[i] = prob;
            s.push(total);
            p.push(prob);
            y.push(labels[i]);
        }
        let auc = roc_auc(&s, &y)
            .ok_or_else(|| data_error(format!("fold {fold}: held-out rows lack a class")))?;
        reports.push(FoldReport {
            fold,
            rows: test.len(),
            positives: y.iter().filter(|v| **v).count(),
            auc,
            brier: brier_score(&p, &y).unwrap_or(f64::NAN),
        });
        if on_fold().is_break() {
            return Ok(None);
        }
    }
    let aucs: Vec<f64> = reports.iter().map(|r| r.auc).collect();
    let mean = aucs.iter().sum::<f64>() / aucs.len().max(1) as f64;
    let var = aucs.iter().map(|a| (a - mean).powi(2)).sum::<f64>() / aucs.len().max(1) as f64;
    Ok(Some(CvReport {
        folds: reports,
        auc_mean: mean,
        auc_std: var.sqrt(),
        auc_pooled: roc_auc(&totals, labels).unwrap_or(f64::NAN),
        brier: brier_score(&probabilities, labels).unwrap_or(f64::NAN),
        log_loss: log_loss(&probabilities, labels).unwrap_or(f64::NAN),
        reliability: reliability(&probabilities, labels, 10),
        totals,
        probabilities,
    }))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scoring::Value;

    fn toy() -> (Vec<LeadRecord>, Vec<bool>) {
        let mut rows = Vec::new();
        let mut y = Vec::new();
        for i in 0..600u32 {
            let city = if i % 50 == 0 {
                "rare"
            } else {
                ["bogota", "lima", "quito"][i as usize % 3]
            };
            let age = f64::from(20 + i % 40);
            let mut r = LeadRecord::new().with("city", city).with("age", age);
            if i % 7 == 0 {
                r.set("age", Value::Null);
            }
            rows.push(r);
            y.push((city == "lima" && i % 3 != 0) || (age > 50.0 && i % 2 == 0));
        }
        (rows, y)
    }

    #[test]
    fn fit_is_deterministic_and_well_formed() {
        let (rows, y) = toy();
        let cfg = FitConfig::default();
        let a = fit(&rows, &y, &cfg).unwrap();
        let b = fit(&rows, &y, &cfg).unwrap();
        assert!(a.converged);
        assert_eq!(a.scorecard.to_toml(), b.scorecard.to_toml());
        a.scorecard.validate().unwrap();
        // Rare "rare" city (12 rows < 20) is pooled, missing age has a level.
        let ids: Vec<&str> = a.scorecard.fit.iter().map(|r| r.id.as_str()).collect();
        assert!(!ids.contains(&"city:rare"), "{ids:?}");
        assert!(a
            .scorecard
            .fit
            .iter()
            .all(|r| r.points > 0.0 && r.points.fract() == 0.0));
        // Lima is the best city.
        let lima = a
            .scorecard
            .fit
            .iter()
            .find(|r| r.id == "city:lima")
            .unwrap();
        assert!(a
            .scorecard
            .fit
            .iter()
            .filter(|r| r.field == "city")
            .all(|r| r.points <= lima.points));
    }

    #[test]
    fn cross_validation_reports_every_row() {
        let (rows, y) = toy();
        let rep = cross_validate(&rows, &y, &FitConfig::default()).unwrap();
        assert_eq!(rep.folds.len(), 5);
        assert!(rep.totals.iter().all(|t| t.is_finite()));
        assert!(rep.auc_mean > 0.7, "{}", rep.auc_mean);
        assert!(rep.brier > 0.0 && rep.brier < 0.25);
        assert_eq!(
            rep.reliability.iter().map(|b| b.count).sum::<usize>(),
            rows.len()
        );
    }

    #[test]
    fn bad_input_is_a_typed_error() {
        let (rows, y) = toy();
        assert_eq!(
            fit(&rows, &y[1..], &FitConfig::default())
                .unwrap_err()
                .code(),
            "invalid_scoring_data"
        );
        let all = vec![true; rows.len()];
        assert!(fit(&rows, &all, &FitConfig::default()).is_err());
        let cfg = FitConfig {
            l2: 0.0,
            ..FitConfig::default()
        };
        assert_eq!(fit(&rows, &y, &cfg).unwrap_err().code(), "invalid_config");
        assert!(fit(&[], &[], &FitConfig::default()).is_err());
    }

    #[test]
    fn folds_are_stratified() {
        let y: Vec<bool> = (0..103).map(|i| i % 10 == 0).collect();
        let f = stratified_folds(&y, 5, 42);
        for fold in 0..5 {
            let pos = (0..y.len()).filter(|&i| y[i] && f[i] == fold).count();
            assert!((2..=3).contains(&pos));
        }
        assert_ne!(f, stratified_folds(&y, 5, 43));
    }
}
