//! Held-out metrics: ROC-AUC with ties, Brier score, log loss, reliability bins.

/// Area under the ROC curve of `scores` for `labels` (higher score = more likely
/// positive), computed from average ranks so tied scores count one half.
/// `None` when either class is absent or the lengths differ; NaN scores rank lowest.
///
/// ```
/// use arichat_core::fit::roc_auc;
/// assert_eq!(roc_auc(&[0.1, 0.4, 0.35, 0.8], &[false, false, true, true]), Some(0.75));
/// assert_eq!(roc_auc(&[1.0, 1.0], &[false, true]), Some(0.5));
/// assert_eq!(roc_auc(&[1.0, 2.0], &[true, true]), None);
/// ```
pub fn roc_auc(scores: &[f64], labels: &[bool]) -> Option<f64> {
    if scores.len() != labels.len() {
        return None;
    }
    let pos = labels.iter().filter(|l| **l).count();
    let neg = labels.len() - pos;
    if pos == 0 || neg == 0 {
        return None;
    }
    let key = |x: f64| if x.is_nan() { f64::NEG_INFINITY } else { x };
    let mut order: Vec<usize> = (0..scores.len()).collect();
    order.sort_by(|&a, &b| key(scores[a]).total_cmp(&key(scores[b])));
    // Sum of the (1-based, tie-averaged) ranks of the positives.
    let mut rank_sum = 0.0;
    let mut i = 0;
    while i < order.len() {
        let mut j = i;
        while j + 1 < order.len() && key(scores[order[j + 1]]) == key(scores[order[i]]) {
            j += 1;
        }
        let avg_rank = (i + j) as f64 / 2.0 + 1.0;
        let tied_pos = order[i..=j].iter().filter(|&&k| labels[k]).count();
        rank_sum += avg_rank * tied_pos as f64;
        i = j + 1;
    }
    let (pos, neg) = (pos as f64, neg as f64);
    Some((rank_sum - pos * (pos + 1.0) / 2.0) / (pos * neg))
}

/// Mean squared difference between predicted probabilities and outcomes (0 is
/// perfect). `None` for empty or mismatched input.
///
/// ```
/// use arichat_core::fit::brier_score;
/// assert_eq!(brier_score(&[1.0, 0.5], &[true, false]), Some(0.125));
/// ```
pub fn brier_score(probs: &[f64], labels: &[bool]) -> Option<f64> {
    if probs.is_empty() || probs.len() != labels.len() {
        return None;
    }
    let sum: f64 = probs
        .iter()
        .zip(labels)
        .map(|(p, &y)| (p - f64::from(u8::from(y))).powi(2))
        .sum();
    Some(sum / probs.len() as f64)
}

/// Mean negative log-likelihood (probabilities clipped to [1e-15, 1 − 1e-15]).
pub fn log_loss(probs: &[f64], labels: &[bool]) -> Option<f64> {
    if probs.is_empty() || probs.len() != labels.len() {
        return None;
    }
    let sum: f64 = probs
        .iter()
        .zip(labels)
        .map(|(p, &y)| {
            let p = p.clamp(1e-15, 1.0 - 1e-15);
            -(if y { p.ln() } else { (1.0 - p).ln() })
        })
        .sum();
    Some(sum / probs.len() as f64)
}

/// One bin of a reliability (calibration) diagram.
#[derive(Debug, Clone, Copy, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct ReliabilityBin {
    /// Lower edge of predicted probability (inclusive).
    pub lower: f64,
    /// Upper edge (exclusive; the last bin includes 1).
    pub upper: f64,
    /// Rows predicted in this bin.
    pub count: usize,
    /// Their mean predicted probability.
    pub mean_predicted: f64,
    /// Their observed positive rate.
    pub observed_rate: f64,
}

/// Reliability diagram with `bins` equal-width bins over [0, 1]; empty bins are
/// left out. A calibrated model has `observed_rate ≈ mean_predicted` in every bin.
pub fn reliability(probs: &[f64], labels: &[bool], bins: usize) -> Vec<ReliabilityBin> {
    let bins = bins.max(1);
    let mut count = vec![0usize; bins];
    let mut sum_p = vec![0.0; bins];
    let mut sum_y = vec![0usize; bins];
    for (&p, &y) in probs.iter().zip(labels) {
        if !p.is_finite() {
            continue;
        }
        let b = ((p.clamp(0.0, 1.0) * bins as f64) as usize).min(bins - 1);
        count[b] += 1;
        sum_p[b] += p;
        sum_y[b] += usize::from(y);
    }
    (0..bins)
        .filter(|&b| count[b] > 0)
        .map(|b| ReliabilityBin {
            lower: b as f64 / bins as f64,
            upper: (b + 1) as f64 / bins as f64,
            count: count[b],
            mean_predicted: sum_p[b] / count[b] as f64,
            observed_rate: sum_y[b] as f64 / count[b] as f64,
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// O(n²) definition: P(score_pos > score_neg) + ½ P(tie).
    fn auc_pairs(s: &[f64], y: &[bool]) -> f64 {
        let (mut num, mut den) = (0.0, 0.0);
        for i in 0..s.len() {
            for j in 0..s.len() {
                if y[i] && !y[j] {
                    den += 1.0;
                    num += if s[i] > s[j] {
                        1.0
                    } else if s[i] == s[j] {
                        0.5
                    } else {
                        0.0
                    };
                }
            }
        }
        num / den
    }

    proptest! {
        #[test]
        fn auc_matches_pairwise_definition(rows in prop::collection::vec((0u8..6, any::<bool>()), 2..60)) {
            let s: Vec<f64> = rows.iter().map(|r| f64::from(r.0)).collect();
            let y: Vec<bool> = rows.iter().map(|r| r.1).collect();
            match roc_auc(&s, &y) {
                Some(a) => prop_assert!((a - auc_pairs(&s, &y)).abs() < 1e-12),
                None => prop_assert!(y.iter().all(|v| *v) || y.iter().all(|v| !*v)),
            }
        }
    }

    #[test]
    fn reliability_bins_and_scores() {
        let p = [0.05, 0.15, 0.95, 1.0];
        let y = [false, true, true, true];
        let r = reliability(&p, &y, 10);
        assert_eq!(r.len(), 3);
        assert_eq!(r[2].count, 2);
        assert_eq!(r[2].observed_rate, 1.0);
        assert!(log_loss(&p, &y).unwrap() > 0.0);
        assert_eq!(brier_score(&[], &[]), None);
    }
}
