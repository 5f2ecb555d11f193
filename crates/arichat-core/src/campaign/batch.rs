//! Assigning many customers from columns (data frames, Arrow tables): the daily batch.

use std::collections::HashMap;

use chrono::{DateTime, Utc};

use super::assign::{Assignment, AssignmentSet, CapUsage, Decision, Picked, Reason};
use super::bundle::CampaignBundle;
use super::error::CampaignError;
use super::plan::Row;
use crate::scoring::{Cell, Column};
use crate::CoreError;

/// The assignments of many customers, one entry per assignment (a customer has zero or
/// more), as columns ready for Arrow: `row[i]` is the customer's row in the input,
/// `campaign[i]` indexes [`CampaignBundle::campaigns`], `variant[i]` that campaign's
/// variants, `rule_path[i]` the dictionary [`BatchAssignments::paths`]. Rows appear in
/// input order, each row's assignments by priority.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct BatchAssignments {
    /// The input row of each assignment.
    pub row: Vec<u32>,
    /// The campaign's index in the bundle.
    pub campaign: Vec<u32>,
    /// The variant's index in its campaign, if any.
    pub variant: Vec<Option<u32>>,
    /// Why.
    pub reason: Vec<Reason>,
    /// Index into `paths`.
    pub rule_path: Vec<u32>,
    /// The customer's bucket for the campaign.
    pub bucket: Vec<u16>,
    /// Every rule path of the bundle (the dictionary of `rule_path`; entry 0 is the
    /// empty path of a campaign without rule).
    pub paths: Vec<String>,
}

impl BatchAssignments {
    /// Number of assignments.
    pub fn len(&self) -> usize {
        self.row.len()
    }

    /// Whether there are none.
    pub fn is_empty(&self) -> bool {
        self.row.is_empty()
    }

    /// The assignment at `i` as [`CampaignBundle::assign`] gives it; `bundle` is the
    /// one that made these assignments.
    pub fn assignment(&self, bundle: &CampaignBundle, i: usize) -> Assignment {
        let picked = Picked {
            reason: self.reason[i],
            path: self.rule_path[i],
            variant: self.variant[i].map(|v| v as usize),
            bucket: self.bucket[i],
        };
        bundle.assignment(self.campaign[i] as usize, picked)
    }

    /// One cache entry per customer of `ids` (the ids these assignments were made for,
    /// in the same order), as [`CampaignBundle::assign_set`] would give it at `now`: a
    /// customer without assignments gets an entry with none, so that readers do not
    /// recompute them.
    pub fn sets(
        &self,
        bundle: &CampaignBundle,
        ids: &[&str],
        now: DateTime<Utc>,
    ) -> Vec<AssignmentSet> {
        let (expires_at, stale_until) = bundle.expiry(now);
        let mut sets: Vec<AssignmentSet> = ids
            .iter()
            .map(|id| AssignmentSet {
                customer_id: (*id).to_owned(),
                computed_at: now,
                expires_at,
                stale_until,
                bundle_version: bundle.version().to_owned(),
                assignments: Vec::new(),
            })
            .collect();
        for i in 0..self.len() {
            if let Some(set) = sets.get_mut(self.row[i] as usize) {
                set.assignments.push(self.assignment(bundle, i));
            }
        }
        sets
    }
}

/// One row of the columns.
struct ColumnRow<'c, 'a> {
    /// The column of each interned field of the plan, if given.
    columns: &'c [Option<&'c Column<'a>>],
    i: usize,
    totals: Option<&'c [f64]>,
}

impl Row for ColumnRow<'_, '_> {
    #[inline]
    fn cell(&self, field: usize, _name: &str) -> Cell<'_> {
        match self.columns.get(field).copied().flatten() {
            Some(col) => col.cell(self.i),
            None => Cell::Null,
        }
    }

    fn score_total(&self) -> f64 {
        self.totals.map_or(f64::NAN, |t| t[self.i])
    }
}

impl CampaignBundle {
    /// Assigns every row of a table: `ids` are the customer ids, `columns` the
    /// attributes by name (a column the rules do not use is ignored; an attribute
    /// without a column is null). The same assignments as [`CampaignBundle::assign`]
    /// on each row's record, with `max_assignments` counted in row order. Scorecard
    /// rules use [`crate::scoring::Scorecard::score_batch`] on the same columns.
    ///
    /// # Errors
    /// [`CoreError::InvalidCampaign`] ([`CampaignError::InvalidData`]) when columns
    /// differ in length from `ids`, or a name repeats; scorecard errors on the columns.
    ///
    /// ```
    /// use arichat_core::campaign::{CampaignBundle, Reason};
    /// use arichat_core::scoring::Column;
    /// use chrono::{TimeZone, Utc};
    /// let bundle = CampaignBundle::from_toml_str(r#"
    ///     version = "1"
    ///     [[campaigns]]
    ///     id = "seniors"
    ///     eligibility = { field = "age", gte = 60 }
    /// "#).unwrap();
    /// let now = Utc.with_ymd_and_hms(2026, 12, 3, 0, 0, 0).unwrap();
    /// let age = [61.0, 30.0, 75.0];
    /// let out = bundle.assign_batch(&["a", "b", "c"], &[("age", Column::numbers(&age))], now).unwrap();
    /// assert_eq!(out.row, vec![0, 2]);
    /// assert_eq!(out.reason, vec![Reason::TargetingMatch; 2]);
    /// assert_eq!(out.paths[out.rule_path[0] as usize], "eligibility");
    /// ```
    pub fn assign_batch(
        &self,
        ids: &[&str],
        columns: &[(&str, Column<'_>)],
        now: DateTime<Utc>,
    ) -> Result<BatchAssignments, CoreError> {
        self.assign_batch_counted(ids, columns, now, &mut CapUsage::new())
    }

    /// [`CampaignBundle::assign_batch`] counting `max_assignments` in `usage`, for a
    /// table assigned in several slices (record batches): pass the same `usage` to each
    /// slice, in row order. Rows in the result count from the slice's first row.
    ///
    /// # Errors
    /// As [`CampaignBundle::assign_batch`].
    pub fn assign_batch_counted(
        &self,
        ids: &[&str],
        columns: &[(&str, Column<'_>)],
        now: DateTime<Utc>,
        usage: &mut CapUsage,
    ) -> Result<BatchAssignments, CoreError> {
        let n = ids.len();
        let data = |reason: String| CoreError::from(CampaignError::InvalidData { reason });
        let mut by_name: HashMap<&str, &Column<'_>> = HashMap::with_capacity(columns.len());
        for (name, col) in columns {
            if col.len() != n || !col.mask_len_ok() {
                return Err(data(format!(
                    "column {name:?} has {} rows (or a mask of another length), ids have {n}",
                    col.len()
                )));
            }
            if !col.offsets_ok() {
                return Err(data(format!(
                    "column {name:?} has offsets that do not rise within its text (or split a character)"
                )));
            }
            if !col.keys_ok() {
                return Err(data(format!(
                    "column {name:?} has a key outside its values"
                )));
            }
            if by_name.insert(name, col).is_some() {
                return Err(data(format!("column {name:?} appears twice")));
            }
        }
        let mapped: Vec<Option<&Column<'_>>> = self
            .plan
            .fields
            .iter()
            .map(|f| by_name.get(f.as_str()).copied())
            .collect();
        let totals = match &self.scorecard {
            Some(card) => Some(card.score_batch(columns, None)?.total),
            None => None,
        };
        let mut out = BatchAssignments {
            paths: self.plan.paths.clone(),
            ..BatchAssignments::default()
        };
        let now = now.timestamp();
        for (i, id) in ids.iter().enumerate() {
            let row = ColumnRow {
                columns: &mapped,
                i,
                totals: totals.as_deref(),
            };
            self.decide(id, &row, now, false, Some(&mut *usage), |ci, d| {
                if let Decision::Assigned(p) = d {
                    out.row.push(i as u32);
                    out.campaign.push(ci as u32);
                    out.variant.push(p.variant.map(|v| v as u32));
                    out.reason.push(p.reason);
                    out.rule_path.push(p.path);
                    out.bucket.push(p.bucket);
                }
            });
        }
        Ok(out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::campaign::CampaignBundle;
    use crate::scoring::{Column, LeadRecord};
    use chrono::TimeZone;

    #[test]
    fn sets_and_counted_slices_equal_assign_set_per_row() {
        let bundle = CampaignBundle::from_toml_str(
            r#"
            version = "1"
            [[campaigns]]
            id = "capped"
            max_assignments = 2
            eligibility = { field = "age", gte = 60 }
            offer = { p = 1 }
            [[campaigns]]
            id = "split"
            holdout = 30
            variants = [{ id = "a", weight = 50 }, { id = "b", weight = 50, offer = { p = 2 } }]
            "#,
        )
        .unwrap();
        let now = Utc.with_ymd_and_hms(2026, 12, 3, 0, 0, 0).unwrap();
        let ids = ["a", "b", "c", "d", "e", "f"];
        let age = [61.0, 70.0, 20.0, 65.0, 80.0, 62.0];
        let whole = bundle
            .assign_batch(&ids, &[("age", Column::numbers(&age))], now)
            .unwrap();
        let sets = whole.sets(&bundle, &ids, now);
        assert_eq!(sets.len(), 6);
        // The cap counts across slices exactly as in one call.
        let mut usage = CapUsage::new();
        let mut sliced = Vec::new();
        for (ids, age) in [(&ids[..3], &age[..3]), (&ids[3..], &age[3..])] {
            let part = bundle
                .assign_batch_counted(ids, &[("age", Column::numbers(age))], now, &mut usage)
                .unwrap();
            sliced.extend(part.sets(&bundle, ids, now));
        }
        assert_eq!(sliced, sets);
        let capped = sets
            .iter()
            .filter(|s| {
                s.assignments
                    .iter()
                    .any(|a| a.campaign_id.as_str() == "capped")
            })
            .count();
        assert_eq!(capped, 2);
        // Without caps in play, each row's entry is assign_set's.
        for (i, set) in sets.iter().enumerate().skip(2) {
            let mut r = LeadRecord::new();
            r.set("age", age[i]);
            let one = bundle.assign_set(ids[i], &r, now);
            let uncapped: Vec<_> = one
                .assignments
                .iter()
                .filter(|a| a.campaign_id.as_str() != "capped")
                .cloned()
                .collect();
            let got: Vec<_> = set
                .assignments
                .iter()
                .filter(|a| a.campaign_id.as_str() != "capped")
                .cloned()
                .collect();
            assert_eq!(got, uncapped, "row {i}");
        }
        assert!(sets
            .iter()
            .flat_map(|s| &s.assignments)
            .any(|a| a.offer.is_some() && a.variant.is_some()));
    }
}
