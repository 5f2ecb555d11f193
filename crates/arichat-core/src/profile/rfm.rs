//! Recency / frequency / monetary scores with cut points fitted on a tenant's own
//! profiles.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::{Profile, ProfileConfig};

/// Scores from 1 (worst) to 5 (best) each.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct Rfm {
    /// 5: wrote most recently.
    pub recency: u8,
    /// 5: writes most (decayed inbound messages).
    pub frequency: u8,
    /// 5: paid most in the cuts' currency.
    pub monetary: u8,
}

impl Rfm {
    /// The usual three-digit segment code, e.g. `"545"`.
    pub fn code(&self) -> String {
        format!("{}{}{}", self.recency, self.frequency, self.monetary)
    }
}

/// Four ascending cut points per dimension (quintiles when fitted).
///
/// ```
/// use arichat_core::profile::RfmCuts;
/// let cuts = RfmCuts::default();
/// assert_eq!(cuts.recency_days, [3.0, 7.0, 30.0, 90.0]);
/// let json = serde_json::to_string(&cuts).unwrap();
/// assert_eq!(serde_json::from_str::<RfmCuts>(&json).unwrap(), cuts);
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RfmCuts {
    /// Days since the contact's last message: at most `[0]` scores 5, more than `[3]`
    /// scores 1.
    pub recency_days: [f64; 4],
    /// Decayed inbound messages: at least `[3]` scores 5, less than `[0]` scores 1.
    pub frequency: [f64; 4],
    /// Paid, minor units of `currency`: at least `[3]` scores 5. `None` (no currency
    /// seen, or not fitted): everyone scores 1.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub monetary_minor: Option<[i64; 4]>,
    /// The currency monetary scores count.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub currency: Option<String>,
}

impl Default for RfmCuts {
    /// Cuts for a shop's chat without fitted data: 3 / 7 / 30 / 90 days, 1 / 2 / 4 / 8
    /// messages, and no monetary cut (everyone scores 1 until fitted).
    fn default() -> Self {
        RfmCuts {
            recency_days: [3.0, 7.0, 30.0, 90.0],
            frequency: [1.0, 2.0, 4.0, 8.0],
            monetary_minor: None,
            currency: None,
        }
    }
}

/// Values at 20, 40, 60 and 80 % (nearest rank) of sorted `values`.
fn quintiles<T: Copy + PartialOrd>(values: &mut [T], fallback: [T; 4]) -> [T; 4] {
    if values.is_empty() {
        return fallback;
    }
    values.sort_by(|a, b| a.partial_cmp(b).unwrap_or(std::cmp::Ordering::Equal));
    let n = values.len();
    [1, 2, 3, 4].map(|q| values[((q * n).div_ceil(5)).saturating_sub(1).min(n - 1)])
}

impl RfmCuts {
    /// Fits quintile cut points on `profiles` as of `now`; monetary in `currency`
    /// (each profile's [`Profile::main_currency`] when `None`, counting the most common
    /// one). Profiles that never wrote count for frequency and monetary only.
    pub fn fit<'a>(
        profiles: impl IntoIterator<Item = &'a Profile>,
        now: DateTime<Utc>,
        config: &ProfileConfig,
        currency: Option<&str>,
    ) -> RfmCuts {
        let profiles: Vec<&Profile> = profiles.into_iter().collect();
        let currency = currency.map(str::to_owned).or_else(|| {
            let mut counts: std::collections::BTreeMap<&str, usize> = Default::default();
            for p in &profiles {
                if let Some(c) = p.main_currency() {
                    *counts.entry(c).or_default() += 1;
                }
            }
            counts
                .into_iter()
                .max_by(|a, b| a.1.cmp(&b.1).then_with(|| b.0.cmp(a.0)))
                .map(|(c, _)| c.to_owned())
        });
        let mut recency: Vec<f64> = profiles
            .iter()
            .filter_map(|p| p.days_since_inbound(now))
            .collect();
        let mut frequency: Vec<f64> = profiles
            .iter()
            .map(|p| p.inbound_weight(now, config))
            .collect();
        let monetary = currency.as_ref().map(|c| {
            let mut paid: Vec<i64> = profiles
                .iter()
                .map(|p| p.money.get(c).map_or(0, |t| t.paid_minor))
                .collect();
            quintiles(&mut paid, [0; 4])
        });
        let default = RfmCuts::default();
        RfmCuts {
            recency_days: quintiles(&mut recency, default.recency_days),
            frequency: quintiles(&mut frequency, default.frequency),
            monetary_minor: monetary,
            currency,
        }
    }

    /// The scores of one profile as of `now`; recency 1 for a contact that never
    /// wrote.
    pub fn score(&self, profile: &Profile, now: DateTime<Utc>, config: &ProfileConfig) -> Rfm {
        let recency = match profile.days_since_inbound(now) {
            None => 1,
            Some(days) => 5 - self.recency_days.iter().filter(|&&c| days > c).count() as u8,
        };
        let f = profile.inbound_weight(now, config);
        let frequency = 1 + self.frequency.iter().filter(|&&c| f >= c).count() as u8;
        let paid = self
            .currency
            .as_ref()
            .and_then(|c| profile.money.get(c))
            .map_or(0, |t| t.paid_minor);
        let monetary = 1 + self.monetary_minor.map_or(0, |cuts| {
            cuts.iter().filter(|&&c| paid > 0 && paid >= c).count() as u8
        });
        Rfm {
            recency,
            frequency,
            monetary,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quintiles_split_a_uniform_sample_evenly() {
        let mut v: Vec<f64> = (1..=100).map(f64::from).collect();
        assert_eq!(quintiles(&mut v, [0.0; 4]), [20.0, 40.0, 60.0, 80.0]);
        let mut one = vec![7i64];
        assert_eq!(quintiles(&mut one, [0; 4]), [7, 7, 7, 7]);
    }
}
