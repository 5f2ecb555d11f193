//! [`Decayed`]: a count that halves every half-life, updated in constant time.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

/// A count whose weight halves every `half_life`: `value` as of `at`.
///
/// Adding is exact whatever the order of the times: an observation older than `at`
/// adds its weight as of `at`, so replaying the same events in the same order gives
/// the same value, and merging two counters gives the count of both.
///
/// ```
/// use arichat_core::profile::Decayed;
/// use chrono::{Duration, TimeZone, Utc};
/// let t0 = Utc.with_ymd_and_hms(2026, 12, 1, 0, 0, 0).unwrap();
/// let half_life = Duration::days(30);
/// let mut d = Decayed::default();
/// d.add(t0, 1.0, half_life);
/// assert!((d.value_at(t0 + half_life, half_life) - 0.5).abs() < 1e-12);
/// ```
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize, Deserialize)]
pub struct Decayed {
    /// The weight as of `at`.
    pub value: f64,
    /// When `value` was last brought up to date; `None` before the first addition.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub at: Option<DateTime<Utc>>,
}

/// `2^(-elapsed / half_life)`; 1 for a zero or negative elapsed time.
fn factor(elapsed: chrono::Duration, half_life: chrono::Duration) -> f64 {
    let hl = half_life.num_milliseconds();
    let ms = elapsed.num_milliseconds();
    if hl <= 0 || ms <= 0 {
        return 1.0;
    }
    (-(ms as f64) / hl as f64).exp2()
}

impl Decayed {
    /// Adds `weight` observed at `t`.
    pub fn add(&mut self, t: DateTime<Utc>, weight: f64, half_life: chrono::Duration) {
        match self.at {
            Some(at) if t < at => self.value += weight * factor(at - t, half_life),
            Some(at) => {
                self.value = self.value * factor(t - at, half_life) + weight;
                self.at = Some(t);
            }
            None => {
                self.value = weight;
                self.at = Some(t);
            }
        }
    }

    /// The weight as of `t` (no later observation counted); `value` for a `t` before
    /// the last update.
    pub fn value_at(&self, t: DateTime<Utc>, half_life: chrono::Duration) -> f64 {
        match self.at {
            Some(at) => self.value * factor(t - at, half_life),
            None => 0.0,
        }
    }

    /// Adds another counter's weight (same half-life).
    pub fn merge(&mut self, other: &Decayed, half_life: chrono::Duration) {
        if let Some(at) = other.at {
            self.add(at, other.value, half_life);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::{Duration, TimeZone};

    #[test]
    fn order_of_observations_does_not_change_the_value() {
        let t0 = Utc.with_ymd_and_hms(2026, 1, 1, 0, 0, 0).unwrap();
        let hl = Duration::days(7);
        let times = [
            t0,
            t0 + Duration::days(3),
            t0 + Duration::hours(5),
            t0 + Duration::days(9),
        ];
        let mut a = Decayed::default();
        for t in times {
            a.add(t, 1.0, hl);
        }
        let mut b = Decayed::default();
        for t in times.iter().rev() {
            b.add(*t, 1.0, hl);
        }
        let end = t0 + Duration::days(10);
        assert!((a.value_at(end, hl) - b.value_at(end, hl)).abs() < 1e-9);
        let expected: f64 = times.iter().map(|t| factor(end - *t, hl)).sum();
        assert!((a.value_at(end, hl) - expected).abs() < 1e-9);
    }
}
