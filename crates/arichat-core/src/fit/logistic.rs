//! L2-regularized logistic regression on a sparse binary design (one-hot levels),
//! solved by Newton's method (IRLS) with a Cholesky solve and step halving.
//!
//! Every row activates at most one level per feature, so the Hessian is accumulated
//! in O(rows × features²) and solved densely in O(columns³): a few milliseconds for
//! the few hundred columns a scorecard has. Deterministic: no randomness, fixed order
//! of summation.

/// The design: `cols_per_row` active column indices per row (`u32::MAX` = none),
/// `columns` in all (the intercept is separate).
pub(crate) struct Design<'a> {
    pub active: &'a [u32],
    pub per_row: usize,
    pub columns: usize,
}

pub(crate) struct Solution {
    pub intercept: f64,
    pub coef: Vec<f64>,
    pub iterations: usize,
    pub converged: bool,
}

const NONE: u32 = u32::MAX;

fn sigmoid(x: f64) -> f64 {
    1.0 / (1.0 + (-x).exp())
}

impl Design<'_> {
    fn rows(&self) -> usize {
        self.active.len().checked_div(self.per_row).unwrap_or(0)
    }

    fn row(&self, i: usize) -> impl Iterator<Item = usize> + '_ {
        self.active[i * self.per_row..(i + 1) * self.per_row]
            .iter()
            .filter(|&&c| c != NONE)
            .map(|&c| c as usize)
    }

    fn eta(&self, i: usize, b0: f64, beta: &[f64]) -> f64 {
        b0 + self.row(i).map(|c| beta[c]).sum::<f64>()
    }

    /// Penalized negative log-likelihood.
    fn objective(&self, y: &[bool], b0: f64, beta: &[f64], l2: f64) -> f64 {
        let mut nll = 0.0;
        for (i, &yi) in y.iter().enumerate().take(self.rows()) {
            let eta = self.eta(i, b0, beta);
            // log(1 + e^eta) - y*eta, computed stably.
            let softplus = if eta > 0.0 {
                eta + (-eta).exp().ln_1p()
            } else {
                eta.exp().ln_1p()
            };
            nll += softplus - if yi { eta } else { 0.0 };
        }
        nll + 0.5 * l2 * beta.iter().map(|b| b * b).sum::<f64>()
    }
}

/// Minimizes Σ logloss + l2/2 ‖β‖² (intercept unpenalized).
pub(crate) fn fit(d: &Design<'_>, y: &[bool], l2: f64, max_iter: usize, tol: f64) -> Solution {
    let n = d.rows().min(y.len());
    let p = d.columns;
    let pos = y.iter().take(n).filter(|v| **v).count() as f64;
    let rate = ((pos + 0.5) / (n as f64 + 1.0)).clamp(1e-9, 1.0 - 1e-9);
    let mut b0 = (rate / (1.0 - rate)).ln();
    let mut beta = vec![0.0; p];
    let dim = p + 1; // index 0 = intercept, 1.. = columns
    let mut h = vec![0.0; dim * dim];
    let mut g = vec![0.0; dim];
    let mut obj = d.objective(y, b0, &beta, l2);
    let mut iterations = 0;
    let mut converged = false;
    let mut idx: Vec<usize> = Vec::with_capacity(d.per_row + 1);
    while iterations < max_iter {
        iterations += 1;
        h.iter_mut().for_each(|x| *x = 0.0);
        g.iter_mut().for_each(|x| *x = 0.0);
        for (i, &yi) in y.iter().enumerate().take(n) {
            let mu = sigmoid(d.eta(i, b0, &beta));
            let r = mu - f64::from(u8::from(yi));
            let w = (mu * (1.0 - mu)).max(1e-12);
            idx.clear();
            idx.push(0);
            idx.extend(d.row(i).map(|c| c + 1));
            for (a, &ja) in idx.iter().enumerate() {
                g[ja] += r;
                for &jb in &idx[a..] {
                    h[ja * dim + jb] += w;
                }
            }
        }
        // Mirror the upper triangle; add the penalty (and a whisker on the intercept).
        for a in 0..dim {
            for b in 0..a {
                h[a * dim + b] = h[b * dim + a];
            }
        }
        h[0] += 1e-9;
        for j in 1..dim {
            h[j * dim + j] += l2;
            g[j] += l2 * beta[j - 1];
        }
        let Some(step) = cholesky_solve(&mut h, &g, dim) else {
            break;
        };
        // Newton step with halving until the objective does not increase.
        let mut t = 1.0;
        let mut accepted = false;
        for _ in 0..40 {
            let nb0 = b0 - t * step[0];
            let nbeta: Vec<f64> = beta
                .iter()
                .zip(&step[1..])
                .map(|(b, s)| b - t * s)
                .collect();
            let nobj = d.objective(y, nb0, &nbeta, l2);
            if nobj.is_finite() && nobj <= obj + 1e-12 * obj.abs().max(1.0) {
                b0 = nb0;
                beta = nbeta;
                obj = nobj;
                accepted = true;
                break;
            }
            t *= 0.5;
        }
        let max_step = step.iter().fold(0.0f64, |m, s| m.max((t * s).abs()));
        if !accepted || max_step < tol {
            converged = accepted || max_step < tol;
            break;
        }
    }
    Solution {
        intercept: b0,
        coef: beta,
        iterations,
        converged,
    }
}

/// Solves `A x = b` for symmetric positive definite `A` (overwritten by its factor).
fn cholesky_solve(a: &mut [f64], b: &[f64], n: usize) -> Option<Vec<f64>> {
    for j in 0..n {
        let mut d = a[j * n + j];
        for k in 0..j {
            d -= a[j * n + k] * a[j * n + k];
        }
        if !(d > 0.0 && d.is_finite()) {
            return None;
        }
        let d = d.sqrt();
        a[j * n + j] = d;
        for i in j + 1..n {
            let mut s = a[i * n + j];
            for k in 0..j {
                s -= a[i * n + k] * a[j * n + k];
            }
            a[i * n + j] = s / d;
        }
    }
    let mut x = b.to_vec();
    for i in 0..n {
        let mut s = x[i];
        for k in 0..i {
            s -= a[i * n + k] * x[k];
        }
        x[i] = s / a[i * n + i];
    }
    for i in (0..n).rev() {
        let mut s = x[i];
        for k in i + 1..n {
            s -= a[k * n + i] * x[k];
        }
        x[i] = s / a[i * n + i];
    }
    Some(x)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn recovers_a_known_log_odds_ratio() {
        // Level 0: 20% positive, level 1: 50% positive; tiny penalty.
        let mut active = Vec::new();
        let mut y = Vec::new();
        for i in 0..1000 {
            active.push(0);
            y.push(i % 5 == 0);
            active.push(1);
            y.push(i % 2 == 0);
        }
        let d = Design {
            active: &active,
            per_row: 1,
            columns: 2,
        };
        let s = fit(&d, &y, 1e-6, 50, 1e-10);
        assert!(s.converged);
        let odds = |p: f64| (p / (1.0 - p)).ln();
        assert!((s.intercept + s.coef[0] - odds(0.2)).abs() < 1e-4);
        assert!((s.intercept + s.coef[1] - odds(0.5)).abs() < 1e-4);
    }

    #[test]
    fn cholesky_solves() {
        let mut a = vec![4.0, 2.0, 2.0, 3.0];
        let x = cholesky_solve(&mut a, &[2.0, 1.0], 2).unwrap();
        assert!((x[0] - 0.5).abs() < 1e-12 && x[1].abs() < 1e-12);
        assert!(cholesky_solve(&mut [0.0], &[1.0], 1).is_none());
    }
}
