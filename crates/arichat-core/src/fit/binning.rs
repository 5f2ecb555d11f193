//! Shaping the levels before and after the regression: monotone bins
//! (pool-adjacent-violators), information value, the rule budget, and the notes on
//! fields left out.

use crate::named_enum::named_enum;

use super::features::{Feature, Stat};

named_enum!(
    /// The direction a monotone numeric field's points follow as its value grows.
    Trend, "trend", "increasing, decreasing", {
        /// Points never fall as the value grows.
        Increasing => "increasing",
        /// Points never rise as the value grows.
        Decreasing => "decreasing",
    }
);

named_enum!(
    /// Why [`super::fit`] left a field out of the scorecard.
    DropReason, "drop reason", "constant, nearly_constant, low_information, rule_budget, no_points", {
        /// One value in every row.
        Constant => "constant",
        /// All but fewer than the minimum support of rows share one bin or category.
        NearlyConstant => "nearly_constant",
        /// Information value under `FitConfig::min_information_value`.
        LowInformation => "low_information",
        /// Merged away to keep the card within `FitConfig::max_rules`.
        RuleBudget => "rule_budget",
        /// Every level earned the same points after fitting: the other fields explain
        /// its signal (or reverse its trend, and its bins were pooled).
        NoPoints => "no_points",
    }
);

impl DropReason {
    /// The reason in words, for notes and reports.
    pub fn describe(self) -> &'static str {
        match self {
            DropReason::Constant => "one value in every row",
            DropReason::NearlyConstant => {
                "nearly constant: one bin or category holds all but a few rows"
            }
            DropReason::LowInformation => "too little information (under min_information_value)",
            DropReason::RuleBudget => "merged away to keep within max_rules",
            DropReason::NoPoints => "all its values earned the same points",
        }
    }
}

/// A field of the training rows that is not in the fitted scorecard, and why.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct DroppedField {
    /// The field.
    pub field: String,
    /// Why it was left out.
    pub reason: DropReason,
    /// Its information value over its bins or categories before the regression (0
    /// when it had one level).
    pub information_value: f64,
}

/// Groups of a pool-adjacent-violators fit of `values` (weights `weights`) in
/// `trend`: `groups[k]` is the run bin `k` falls in (runs numbered from 0, in order),
/// and the weighted squared error of the fit.
///
/// ```text
/// values 0.1 0.3 0.2 0.4, increasing → groups 0 1 1 2 (0.3 and 0.2 pooled)
/// ```
pub(crate) fn pav(values: &[f64], weights: &[f64], trend: Trend) -> (Vec<usize>, f64) {
    let sign = match trend {
        Trend::Increasing => 1.0,
        Trend::Decreasing => -1.0,
    };
    // Blocks: (weighted mean × sign, weight, bins).
    let mut blocks: Vec<(f64, f64, usize)> = Vec::new();
    for (v, w) in values.iter().zip(weights) {
        let w = w.max(1e-12);
        blocks.push((sign * v, w, 1));
        while blocks.len() > 1 {
            let (m2, w2, c2) = blocks[blocks.len() - 1];
            let (m1, w1, c1) = blocks[blocks.len() - 2];
            if m1 <= m2 {
                break;
            }
            blocks.pop();
            let last = blocks.len() - 1;
            blocks[last] = ((m1 * w1 + m2 * w2) / (w1 + w2), w1 + w2, c1 + c2);
        }
    }
    let mut groups = Vec::with_capacity(values.len());
    let mut fitted = Vec::with_capacity(values.len());
    for (g, (m, _, c)) in blocks.iter().enumerate() {
        for _ in 0..*c {
            groups.push(g);
            fitted.push(sign * m);
        }
    }
    let sse = values
        .iter()
        .zip(weights)
        .zip(&fitted)
        .map(|((v, w), f)| w * (v - f).powi(2))
        .sum();
    (groups, sse)
}

/// The trend of the bins' log-odds that a monotone fit follows best (weighted by rows;
/// ties go to increasing), with its runs.
pub(crate) fn best_trend(stats: &[Stat]) -> (Trend, Vec<usize>) {
    let logit: Vec<f64> = stats
        .iter()
        .map(|s| (s.rate() / (1.0 - s.rate())).ln())
        .collect();
    let w: Vec<f64> = stats.iter().map(|s| s.n).collect();
    let (up, up_sse) = pav(&logit, &w, Trend::Increasing);
    let (down, down_sse) = pav(&logit, &w, Trend::Decreasing);
    if down_sse < up_sse {
        (Trend::Decreasing, down)
    } else {
        (Trend::Increasing, up)
    }
}

/// One level's share of the information value, with half a row of each class added.
fn iv_term(s: Stat, pos: f64, neg: f64) -> f64 {
    let g = (s.pos + 0.5) / pos;
    let b = (s.n - s.pos + 0.5) / neg;
    (g - b) * (g / b).ln()
}

/// Information value of a feature's levels: Σ (g − b) · ln(g / b) over levels, `g`
/// and `b` the level's shares of the positives and the negatives.
pub(crate) fn information_value(stats: &[Stat]) -> f64 {
    if stats.len() < 2 {
        return 0.0;
    }
    let (pos, neg) = totals(stats);
    stats.iter().map(|s| iv_term(*s, pos, neg)).sum()
}

/// Positives and negatives over `stats`, with the half row of each class per level.
fn totals(stats: &[Stat]) -> (f64, f64) {
    let n: f64 = stats.iter().map(|s| s.n).sum();
    let pos: f64 = stats.iter().map(|s| s.pos).sum();
    let half = 0.5 * stats.len() as f64;
    (pos + half, n - pos + half)
}

/// The cheapest merge of one feature: information value lost and what to merge.
#[derive(Debug, Clone)]
pub(crate) struct Merge {
    pub loss: f64,
    pub op: MergeOp,
}

/// A merge that takes one level away.
#[derive(Debug, Clone)]
pub(crate) enum MergeOp {
    /// Bins `k` and `k + 1`.
    Bins(usize),
    /// These categories go into "other".
    Pool(Vec<usize>),
}

/// The merge of `f`'s levels that loses the least information value.
pub(crate) fn cheapest_merge(f: &Feature) -> Option<Merge> {
    let (pos, neg) = totals(&f.stats);
    let s = &f.stats;
    let loss = |a: Stat, b: Stat| {
        let both = Stat {
            n: a.n + b.n,
            pos: a.pos + b.pos,
        };
        iv_term(a, pos, neg) + iv_term(b, pos, neg) - iv_term(both, pos, neg)
    };
    let ordered = f.ordered();
    let mut best: Option<Merge> = None;
    let mut offer = |m: Merge| {
        if best.as_ref().is_none_or(|b| m.loss < b.loss) {
            best = Some(m);
        }
    };
    if f.is_numeric() {
        for k in 0..ordered.saturating_sub(1) {
            offer(Merge {
                loss: loss(s[k], s[k + 1]),
                op: MergeOp::Bins(k),
            });
        }
    } else if let Some(o) = f.other_level() {
        for k in 0..o {
            offer(Merge {
                loss: loss(s[k], s[o]),
                op: MergeOp::Pool(vec![k]),
            });
        }
    } else {
        for a in 0..ordered {
            for b in a + 1..ordered {
                offer(Merge {
                    loss: loss(s[a], s[b]),
                    op: MergeOp::Pool(vec![a, b]),
                });
            }
        }
    }
    best
}

/// Applies a merge from [`cheapest_merge`].
pub(crate) fn apply(f: &mut Feature, op: &MergeOp) {
    match op {
        MergeOp::Bins(k) => f.merge_bins(*k),
        MergeOp::Pool(cats) => f.pool(cats),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn pav_pools_violators() {
        let (g, sse) = pav(&[0.1, 0.3, 0.2, 0.4], &[1.0; 4], Trend::Increasing);
        assert_eq!(g, [0, 1, 1, 2]);
        assert!((sse - 0.005).abs() < 1e-12);
        let (g, _) = pav(&[0.1, 0.3, 0.2, 0.4], &[1.0; 4], Trend::Decreasing);
        assert_eq!(g, [0, 0, 0, 0]);
        let (g, sse) = pav(&[3.0, 2.0, 2.0, 1.0], &[1.0; 4], Trend::Decreasing);
        assert_eq!((g, sse), (vec![0, 1, 2, 3], 0.0));
    }

    #[test]
    fn information_value_grows_with_separation() {
        let even = [
            Stat {
                n: 100.0,
                pos: 10.0,
            },
            Stat {
                n: 100.0,
                pos: 10.0,
            },
        ];
        let apart = [
            Stat { n: 100.0, pos: 2.0 },
            Stat {
                n: 100.0,
                pos: 18.0,
            },
        ];
        assert!(information_value(&even) < 1e-3);
        assert!(information_value(&apart) > 0.5);
        assert_eq!(information_value(&even[..1]), 0.0);
    }

    proptest! {
        /// PAV's fit (the runs' weighted means) is monotone in the trend and no worse
        /// than the other trend's when chosen by `best_trend`.
        #[test]
        fn pav_runs_are_monotone(values in prop::collection::vec(-5.0f64..5.0, 1..12),
                                 weights in prop::collection::vec(1.0f64..50.0, 12)) {
            let w = &weights[..values.len()];
            for trend in Trend::ALL {
                let (g, _) = pav(&values, w, *trend);
                let runs = g.last().map_or(0, |l| l + 1);
                let means: Vec<f64> = (0..runs).map(|r| {
                    let (s, n) = g.iter().zip(&values).zip(w).filter(|((gr, _), _)| **gr == r)
                        .fold((0.0, 0.0), |(s, n), ((_, v), w)| (s + v * w, n + w));
                    s / n
                }).collect();
                for pair in means.windows(2) {
                    match trend {
                        Trend::Increasing => prop_assert!(pair[0] < pair[1] + 1e-9),
                        Trend::Decreasing => prop_assert!(pair[0] > pair[1] - 1e-9),
                    }
                }
            }
        }
    }
}
