//! The fit report: what a person looks at before shipping a fitted scorecard,
//! computed once here and drawn by [`FitReport::to_html`] (the CLI's
//! `fit --report card.html`, Python's `to_html()`).
//!
//! [`FitReport::build`] takes the card, the rows it was fitted on with their labels, and
//! an [`Evaluation`]: the out-of-fold totals and probabilities of cross-validation (each
//! row scored by the card fitted without its fold), or the card's own in-sample scores
//! when cross-validation was skipped (the report says which). From the evaluation come
//!
//! - the ROC curve (one point per distinct total, highest first) and its AUC;
//! - cumulative gains and lift by decile of the total (rows sorted by total, highest
//!   first, ties in row order, cut into ten near-equal groups);
//! - the reliability diagram by decile of the predicted probability (mean predicted
//!   against observed rate per group) and the Brier score;
//! - the conversion rate per grade (A–D by the card's thresholds).
//!
//! From the training rows come each field's bins: every rule of the card with its
//! points, the rows it matches and their conversion rate, and the field's reference level
//! (0 points: the rows no rule of the field matches).
//!
//! [`DroppedField`] lists the columns the fit left out and why; the fit fills it in
//! when it drops columns ([`FitReport::dropped`]).

mod html;
mod svg;

use crate::scoring::{Grade, LeadRecord, Scorecard};

use super::binning::DroppedField;
use super::metrics::{brier_score, log_loss, roc_auc};

/// Number of groups of the gains table and of the reliability diagram.
pub const DECILES: usize = 10;

/// The most points a ROC curve keeps: more than a chart shows, few enough that a report
/// of a million distinct probabilities stays small.
const MAX_ROC_POINTS: usize = 400;

/// How the scores of the report were obtained.
#[derive(Debug, Clone, Copy, PartialEq, serde::Serialize, serde::Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum EvaluationKind {
    /// Out-of-fold: each row scored by the card fitted without its fold.
    CrossValidated {
        /// Number of folds.
        folds: usize,
        /// Seed of the fold assignment.
        seed: u64,
    },
    /// The shipped card on the rows it was fitted on (optimistic).
    InSample,
}

/// The scores a report evaluates: one total and one probability per training row.
#[derive(Debug, Clone, Copy)]
pub struct Evaluation<'a> {
    /// Where the scores come from.
    pub kind: EvaluationKind,
    /// Each row's total.
    pub totals: &'a [f64],
    /// Each row's probability (from the odds scale).
    pub probabilities: &'a [f64],
}

/// One point of the ROC curve: the rates when every row with a total at or above
/// `threshold` is called positive.
#[derive(Debug, Clone, Copy, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct RocPoint {
    /// The total cut (infinite for the origin).
    pub threshold: f64,
    /// False-positive rate.
    pub fpr: f64,
    /// True-positive rate.
    pub tpr: f64,
}

/// One decile of the gains table (decile 1 holds the highest totals).
#[derive(Debug, Clone, Copy, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct GainsDecile {
    /// 1 to 10.
    pub decile: usize,
    /// Rows in the decile.
    pub rows: usize,
    /// Positives among them.
    pub positives: usize,
    /// Lowest and highest total in the decile.
    pub min_total: f64,
    /// Highest total in the decile.
    pub max_total: f64,
    /// Conversion rate of the decile.
    pub rate: f64,
    /// Lift: the decile's rate over the overall rate.
    pub lift: f64,
    /// Share of all rows in this and the better deciles.
    pub cumulative_rows: f64,
    /// Share of all positives in this and the better deciles (the gains curve).
    pub cumulative_positives: f64,
    /// Cumulative lift: `cumulative_positives / cumulative_rows`.
    pub cumulative_lift: f64,
}

/// One decile of predicted probability in the reliability diagram.
#[derive(Debug, Clone, Copy, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct CalibrationDecile {
    /// 1 (lowest predictions) to 10.
    pub decile: usize,
    /// Rows in the decile.
    pub rows: usize,
    /// Their mean predicted probability.
    pub mean_predicted: f64,
    /// Their observed positive rate.
    pub observed_rate: f64,
}

/// Conversion rate of one grade.
#[derive(Debug, Clone, Copy, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct GradeRate {
    /// The grade.
    pub grade: Grade,
    /// The lowest total of the grade (`-inf` for D).
    pub min_total: f64,
    /// Rows graded so.
    pub rows: usize,
    /// Positives among them.
    pub positives: usize,
    /// Their conversion rate (NaN without rows).
    pub rate: f64,
}

/// One bin (rule) of a field on the training rows.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct BinRow {
    /// The rule id, `None` for the field's reference level.
    pub rule: Option<String>,
    /// The rule's readable name (for the reference level: "reference: no rule matches").
    pub label: String,
    /// Points the bin adds.
    pub points: f64,
    /// Training rows in the bin.
    pub rows: usize,
    /// Positives among them.
    pub positives: usize,
    /// Their conversion rate (NaN without rows).
    pub rate: f64,
}

/// A field of the card and its bins.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct FieldBins {
    /// The field.
    pub field: String,
    /// Its rules in card order, then the reference level when any row falls in it.
    pub bins: Vec<BinRow>,
    /// Largest minus smallest points of the field: how much it can move a total.
    pub spread: f64,
}

/// Everything the report shows, computed once by [`FitReport::build`].
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct FitReport {
    /// The card's name (the label and its positive values).
    pub title: String,
    /// Training rows.
    pub rows: usize,
    /// Positives among them.
    pub positives: usize,
    /// Rules of the card.
    pub rules: usize,
    /// The card's base points.
    pub base: f64,
    /// Where the evaluated scores come from.
    pub evaluation: EvaluationKind,
    /// ROC-AUC of the evaluated totals.
    pub auc: f64,
    /// Brier score of the evaluated probabilities.
    pub brier: f64,
    /// Log loss of the evaluated probabilities.
    pub log_loss: f64,
    /// The ROC curve from (0, 0) to (1, 1).
    pub roc: Vec<RocPoint>,
    /// Gains and lift by decile of the total.
    pub gains: Vec<GainsDecile>,
    /// Reliability by decile of the probability.
    pub calibration: Vec<CalibrationDecile>,
    /// Conversion per grade, A to D.
    pub grades: Vec<GradeRate>,
    /// Each field's bins, fields by decreasing spread.
    pub fields: Vec<FieldBins>,
    /// Columns left out of the card, and why.
    pub dropped: Vec<DroppedField>,
}

fn rate(positives: usize, rows: usize) -> f64 {
    if rows == 0 {
        f64::NAN
    } else {
        positives as f64 / rows as f64
    }
}

/// `[start, end)` of group `g` of `groups` near-equal groups of `n` rows.
fn group_bounds(n: usize, groups: usize, g: usize) -> (usize, usize) {
    (g * n / groups, (g + 1) * n / groups)
}

/// Row indices sorted by `key` descending (NaN last), ties in row order.
fn order_desc(key: &[f64]) -> Vec<usize> {
    let k = |x: f64| if x.is_nan() { f64::NEG_INFINITY } else { x };
    let mut order: Vec<usize> = (0..key.len()).collect();
    order.sort_by(|&a, &b| k(key[b]).total_cmp(&k(key[a])));
    order
}

impl FitReport {
    /// Builds the report of `card`, fitted on `rows` with `labels`, evaluated on
    /// `evaluation` (one total and probability per row), listing `dropped` columns.
    /// Rows and labels must have the same length as the evaluation's slices; extra
    /// entries of the longer side are ignored.
    pub fn build(
        card: &Scorecard,
        rows: &[LeadRecord],
        labels: &[bool],
        evaluation: Evaluation<'_>,
        dropped: Vec<DroppedField>,
    ) -> FitReport {
        let n = rows
            .len()
            .min(labels.len())
            .min(evaluation.totals.len())
            .min(evaluation.probabilities.len());
        let (rows, labels) = (&rows[..n], &labels[..n]);
        let totals = &evaluation.totals[..n];
        let probs = &evaluation.probabilities[..n];
        let positives = labels.iter().filter(|y| **y).count();
        FitReport {
            title: card.name.clone().unwrap_or_else(|| "scorecard".to_owned()),
            rows: n,
            positives,
            rules: card.fit.len(),
            base: card.base,
            evaluation: evaluation.kind,
            auc: roc_auc(totals, labels).unwrap_or(f64::NAN),
            brier: brier_score(probs, labels).unwrap_or(f64::NAN),
            log_loss: log_loss(probs, labels).unwrap_or(f64::NAN),
            roc: roc_curve(totals, labels),
            gains: gains(totals, labels),
            calibration: calibration(probs, labels),
            grades: grade_rates(card, totals, labels),
            fields: field_bins(card, rows, labels),
            dropped,
        }
    }

    /// The overall conversion rate.
    pub fn base_rate(&self) -> f64 {
        rate(self.positives, self.rows)
    }
}

/// The ROC curve of `totals`: one point per distinct total, from (0, 0) to (1, 1),
/// thinned evenly to at most 400 points (`MAX_ROC_POINTS`; the ends kept). Empty when a class
/// is absent.
pub fn roc_curve(totals: &[f64], labels: &[bool]) -> Vec<RocPoint> {
    let pos = labels.iter().filter(|y| **y).count();
    let neg = labels.len() - pos;
    if pos == 0 || neg == 0 {
        return Vec::new();
    }
    let order = order_desc(totals);
    let mut points = vec![RocPoint {
        threshold: f64::INFINITY,
        fpr: 0.0,
        tpr: 0.0,
    }];
    let (mut tp, mut fp) = (0usize, 0usize);
    let mut i = 0;
    while i < order.len() {
        let t = totals[order[i]];
        while i < order.len()
            && (totals[order[i]] == t || (t.is_nan() && totals[order[i]].is_nan()))
        {
            if labels[order[i]] {
                tp += 1;
            } else {
                fp += 1;
            }
            i += 1;
        }
        points.push(RocPoint {
            threshold: t,
            fpr: fp as f64 / neg as f64,
            tpr: tp as f64 / pos as f64,
        });
    }
    if points.len() > MAX_ROC_POINTS {
        let last = points.len() - 1;
        points = (0..MAX_ROC_POINTS)
            .map(|k| points[k * last / (MAX_ROC_POINTS - 1)])
            .collect();
    }
    points
}

/// Gains and lift by decile of `totals` (see the module doc).
pub fn gains(totals: &[f64], labels: &[bool]) -> Vec<GainsDecile> {
    let n = totals.len();
    let all_pos = labels.iter().filter(|y| **y).count();
    if n < DECILES || all_pos == 0 {
        return Vec::new();
    }
    let overall = rate(all_pos, n);
    let order = order_desc(totals);
    let (mut cum_rows, mut cum_pos) = (0usize, 0usize);
    (0..DECILES)
        .map(|g| {
            let (a, b) = group_bounds(n, DECILES, g);
            let idx = &order[a..b];
            let positives = idx.iter().filter(|&&i| labels[i]).count();
            cum_rows += idx.len();
            cum_pos += positives;
            let r = rate(positives, idx.len());
            let cumulative_rows = cum_rows as f64 / n as f64;
            let cumulative_positives = cum_pos as f64 / all_pos as f64;
            GainsDecile {
                decile: g + 1,
                rows: idx.len(),
                positives,
                min_total: totals[idx[idx.len() - 1]],
                max_total: totals[idx[0]],
                rate: r,
                lift: r / overall,
                cumulative_rows,
                cumulative_positives,
                cumulative_lift: cumulative_positives / cumulative_rows,
            }
        })
        .collect()
}

/// Mean predicted probability against observed rate per decile of `probs` (lowest
/// first). Rows with a non-finite probability are left out.
pub fn calibration(probs: &[f64], labels: &[bool]) -> Vec<CalibrationDecile> {
    let mut order: Vec<usize> = (0..probs.len().min(labels.len()))
        .filter(|&i| probs[i].is_finite())
        .collect();
    order.sort_by(|&a, &b| probs[a].total_cmp(&probs[b]));
    let n = order.len();
    if n < DECILES {
        return Vec::new();
    }
    (0..DECILES)
        .map(|g| {
            let (a, b) = group_bounds(n, DECILES, g);
            let idx = &order[a..b];
            let sum_p: f64 = idx.iter().map(|&i| probs[i]).sum();
            let positives = idx.iter().filter(|&&i| labels[i]).count();
            CalibrationDecile {
                decile: g + 1,
                rows: idx.len(),
                mean_predicted: sum_p / idx.len() as f64,
                observed_rate: rate(positives, idx.len()),
            }
        })
        .collect()
}

fn grade_rates(card: &Scorecard, totals: &[f64], labels: &[bool]) -> Vec<GradeRate> {
    let mut rows = [0usize; 4];
    let mut pos = [0usize; 4];
    for (&t, &y) in totals.iter().zip(labels) {
        let g = card.grades.grade(t).index();
        rows[g] += 1;
        pos[g] += usize::from(y);
    }
    let g = &card.grades;
    Grade::ALL
        .iter()
        .map(|&grade| {
            let i = grade.index();
            GradeRate {
                grade,
                min_total: match grade {
                    Grade::A => g.a,
                    Grade::B => g.b,
                    Grade::C => g.c,
                    Grade::D => f64::NEG_INFINITY,
                },
                rows: rows[i],
                positives: pos[i],
                rate: rate(pos[i], rows[i]),
            }
        })
        .collect()
}

fn field_bins(card: &Scorecard, rows: &[LeadRecord], labels: &[bool]) -> Vec<FieldBins> {
    let mut fields: Vec<&str> = Vec::new();
    for r in &card.fit {
        if !fields.contains(&r.field.as_str()) {
            fields.push(&r.field);
        }
    }
    let mut out: Vec<FieldBins> = fields
        .into_iter()
        .map(|field| {
            let rules: Vec<_> = card.fit.iter().filter(|r| r.field == field).collect();
            let mut counts = vec![(0usize, 0usize); rules.len()];
            let (mut rest, mut rest_pos) = (0usize, 0usize);
            for (row, &y) in rows.iter().zip(labels) {
                let v = row.get(field);
                let mut any = false;
                for (rule, c) in rules.iter().zip(counts.iter_mut()) {
                    if rule.predicate.matches(v) {
                        c.0 += 1;
                        c.1 += usize::from(y);
                        any = true;
                    }
                }
                if !any {
                    rest += 1;
                    rest_pos += usize::from(y);
                }
            }
            let mut bins: Vec<BinRow> = rules
                .iter()
                .zip(&counts)
                .map(|(rule, &(n, p))| BinRow {
                    rule: Some(rule.id.clone()),
                    label: rule.name.clone().unwrap_or_else(|| rule.id.clone()),
                    points: rule.points,
                    rows: n,
                    positives: p,
                    rate: rate(p, n),
                })
                .collect();
            if rest > 0 {
                bins.push(BinRow {
                    rule: None,
                    label: "reference: no rule matches".to_owned(),
                    points: 0.0,
                    rows: rest,
                    positives: rest_pos,
                    rate: rate(rest_pos, rest),
                });
            }
            let (lo, hi) = bins.iter().fold((0.0f64, 0.0f64), |(lo, hi), b| {
                (lo.min(b.points), hi.max(b.points))
            });
            FieldBins {
                field: field.to_owned(),
                bins,
                spread: hi - lo,
            }
        })
        .collect();
    out.sort_by(|a, b| b.spread.total_cmp(&a.spread));
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fit::{cross_validate, fit, FitConfig};
    use crate::scoring::Value;

    fn toy() -> (Vec<LeadRecord>, Vec<bool>) {
        let mut rows = Vec::new();
        let mut y = Vec::new();
        for i in 0..500u32 {
            let plan = ["free", "pro", "team"][i as usize % 3];
            let visits = f64::from(i % 10);
            let mut r = LeadRecord::new().with("plan", plan).with("visits", visits);
            if i % 11 == 0 {
                r.set("visits", Value::Null);
            }
            rows.push(r);
            y.push((plan == "pro" && i % 10 > 2) || i % 10 == 9);
        }
        (rows, y)
    }

    #[test]
    fn roc_matches_auc_and_ends_at_corners() {
        let s = [0.1, 0.4, 0.35, 0.8, 0.8];
        let y = [false, false, true, true, false];
        let roc = roc_curve(&s, &y);
        assert_eq!((roc[0].fpr, roc[0].tpr), (0.0, 0.0));
        let last = roc.last().unwrap();
        assert_eq!((last.fpr, last.tpr), (1.0, 1.0));
        // Trapezoids under the curve give the tie-averaged AUC.
        let area: f64 = roc
            .windows(2)
            .map(|w| (w[1].fpr - w[0].fpr) * (w[1].tpr + w[0].tpr) / 2.0)
            .sum();
        assert!((area - roc_auc(&s, &y).unwrap()).abs() < 1e-12);
        assert!(roc_curve(&s, &[true; 5]).is_empty());
    }

    #[test]
    fn gains_and_calibration_cover_every_row() {
        let totals: Vec<f64> = (0..103).map(f64::from).collect();
        let y: Vec<bool> = (0..103).map(|i| i >= 93).collect();
        let g = gains(&totals, &y);
        assert_eq!(g.len(), DECILES);
        assert_eq!(g.iter().map(|d| d.rows).sum::<usize>(), 103);
        // The ten highest totals are all the positives: the first decile holds them.
        assert_eq!(g[0].positives, 10);
        assert_eq!(g[0].max_total, 102.0);
        assert!((g[DECILES - 1].cumulative_positives - 1.0).abs() < 1e-12);
        assert!(g[0].lift > 9.0);
        let p: Vec<f64> = totals.iter().map(|t| t / 103.0).collect();
        let c = calibration(&p, &y);
        assert_eq!(c.iter().map(|d| d.rows).sum::<usize>(), 103);
        assert!(c
            .windows(2)
            .all(|w| w[0].mean_predicted <= w[1].mean_predicted));
        assert_eq!(c[0].observed_rate, 0.0);
    }

    #[test]
    fn report_of_a_fitted_card() {
        let (rows, y) = toy();
        let cfg = FitConfig::default();
        let card = fit(&rows, &y, &cfg).unwrap().scorecard;
        let cv = cross_validate(&rows, &y, &cfg).unwrap();
        let dropped = vec![DroppedField {
            field: "id".into(),
            reason: crate::fit::DropReason::LowInformation,
            information_value: 0.001,
        }];
        let eval = Evaluation {
            kind: EvaluationKind::CrossValidated {
                folds: cfg.folds,
                seed: cfg.seed,
            },
            totals: &cv.totals,
            probabilities: &cv.probabilities,
        };
        let rep = FitReport::build(&card, &rows, &y, eval, dropped.clone());
        assert_eq!(rep.rows, 500);
        assert_eq!(rep.auc, cv.auc_pooled);
        assert_eq!(rep.brier, cv.brier);
        assert_eq!(rep.dropped, dropped);
        assert_eq!(rep.grades.iter().map(|g| g.rows).sum::<usize>(), 500);
        assert_eq!(
            rep.grades.iter().map(|g| g.positives).sum::<usize>(),
            rep.positives
        );
        // Every field's bins partition the rows; every rule appears once.
        for f in &rep.fields {
            assert_eq!(
                f.bins.iter().map(|b| b.rows).sum::<usize>(),
                500,
                "{}",
                f.field
            );
        }
        let listed: usize = rep
            .fields
            .iter()
            .map(|f| f.bins.iter().filter(|b| b.rule.is_some()).count())
            .sum();
        assert_eq!(listed, card.fit.len());
        // The "pro" plan converts best, and its bin says so.
        let plan = rep.fields.iter().find(|f| f.field == "plan").unwrap();
        let pro = plan
            .bins
            .iter()
            .find(|b| b.rule.as_deref() == Some("plan:pro"))
            .unwrap();
        assert!(plan.bins.iter().all(|b| b.rate <= pro.rate));
        assert!(pro.points > 0.0);
    }
}
