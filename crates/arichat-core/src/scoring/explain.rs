//! Reasons per row for column-wise scoring: the largest contributions of each row,
//! as readable text and as JSON.

use std::collections::HashMap;
use std::fmt::Write;

use super::card::{Contribution, ContributionKind, Scorecard};
use super::column::Column;
use super::record::Cell;
use crate::CoreError;

impl Scorecard {
    /// The `n` largest fit contributions of each row of `columns` (by size of points,
    /// ties in scorecard order; group caps count as contributions, the base does not),
    /// the same contributions [`Scorecard::score`] lists for the row. A field without a
    /// column is null.
    ///
    /// Row by row, not column by column: meant for the rows a person reads, roughly
    /// ten times slower than [`Scorecard::score_batch`].
    ///
    /// # Errors
    /// [`CoreError::InvalidScoringData`] when columns differ in length.
    ///
    /// ```
    /// use arichat_core::scoring::{Column, Scorecard};
    /// let card = Scorecard::from_toml(r#"
    ///     [[fit]]
    ///     id = "adult"
    ///     field = "age"
    ///     range = { gte = 18 }
    ///     points = 10
    ///     [[fit]]
    ///     id = "old"
    ///     field = "age"
    ///     range = { gte = 80 }
    ///     points = -30
    /// "#).unwrap();
    /// let age = [90.0, 20.0];
    /// let rows = card.explain_batch(&[("age", Column::numbers(&age))], 1).unwrap();
    /// assert_eq!(rows[0][0].rule, "old");
    /// assert_eq!(rows[1][0].rule, "adult");
    /// ```
    pub fn explain_batch(
        &self,
        columns: &[(&str, Column<'_>)],
        n: usize,
    ) -> Result<Vec<Vec<Contribution>>, CoreError> {
        let rows = columns.first().map_or(0, |(_, c)| c.len());
        if columns.iter().any(|(_, c)| c.len() != rows) {
            return Err(CoreError::InvalidScoringData {
                reason: format!("columns differ in length (first has {rows} rows)"),
            });
        }
        let by_name: HashMap<&str, &Column<'_>> = columns.iter().map(|(k, c)| (*k, c)).collect();
        let mut out = Vec::with_capacity(rows);
        let mut all = Vec::new();
        for i in 0..rows {
            all.clear();
            self.fit_points_of(
                |field| by_name.get(field).map_or(Cell::Null, |c| c.cell(i)),
                Some(&mut all),
            );
            out.push(largest(&all, n));
        }
        Ok(out)
    }
}

/// The `n` contributions with the most points either way, base left out, ties kept in
/// their order.
pub(crate) fn largest(all: &[Contribution], n: usize) -> Vec<Contribution> {
    let mut top: Vec<&Contribution> = all
        .iter()
        .filter(|c| c.kind != ContributionKind::Base)
        .collect();
    top.sort_by(|a, b| b.points.abs().total_cmp(&a.points.abs()));
    top.into_iter().take(n).cloned().collect()
}

/// Contributions as one readable cell: `job_admin +12; age -4.5` (rule name when it
/// has one, else its id).
///
/// ```
/// use arichat_core::scoring::{reasons_text, Contribution, ContributionKind};
/// let c = |rule: &str, points| Contribution { rule: rule.into(), name: None, kind: ContributionKind::Fit, points, events: 0 };
/// assert_eq!(reasons_text(&[c("job_admin", 12.0), c("age", -4.5)]), "job_admin +12; age -4.5");
/// ```
pub fn reasons_text(reasons: &[Contribution]) -> String {
    let mut s = String::new();
    for (i, c) in reasons.iter().enumerate() {
        if i > 0 {
            s.push_str("; ");
        }
        let label = c.name.as_deref().unwrap_or(&c.rule);
        let _ = write!(
            s,
            "{label} {}{}",
            if c.points >= 0.0 { "+" } else { "" },
            c.points
        );
    }
    s
}

/// Contributions as a JSON array of `{"rule", "name"?, "kind", "points"}` objects, for
/// machines.
pub fn reasons_json(reasons: &[Contribution]) -> String {
    serde_json::to_string(reasons).unwrap_or_else(|_| "[]".to_owned())
}
