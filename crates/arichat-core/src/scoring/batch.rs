//! Column-wise scoring of many rows: the fast path for data frames and Arrow tables.

use std::collections::{BTreeSet, HashMap};

use multiversion::multiversion;

use super::card::{Grade, GradeThresholds, GroupCap, Scorecard, StageThresholds};
use super::column::Column;
use super::kernel::{Codebook, Kernel, INDEXES};
use super::predicate::FitRule;
use crate::{CoreError, LifecycleStage};

/// Rows scored together by every rule before the next block (8 KiB of `f64` sums).
const BLOCK_ROWS: usize = 1024;

/// Scores of many rows, one entry per row.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct BatchScores {
    /// `fit + engagement`.
    pub total: Vec<f64>,
    /// Base plus fit rules.
    pub fit: Vec<f64>,
    /// Grade of each total.
    pub grade: Vec<Grade>,
    /// Stage of each total.
    pub stage: Vec<LifecycleStage>,
}

impl Scorecard {
    /// Scores many rows column by column: each fit rule runs as one loop over its
    /// field's column. A field without a column is null in every row. `engagement`
    /// optionally gives each row's engagement points (from [`Scorecard::score`] or
    /// elsewhere); otherwise it is 0.
    ///
    /// Gives exactly the totals, grades and stages of [`Scorecard::score`] on the same
    /// rows. The row count is that of the columns (or of `engagement` when there are no
    /// columns).
    ///
    /// # Errors
    /// [`CoreError::InvalidScoringData`] when columns (or masks, or `engagement`) differ
    /// in length or a column name repeats.
    ///
    /// ```
    /// use arichat_core::scoring::{Column, Grade, Scorecard};
    /// let card = Scorecard::from_toml(r#"
    ///     [[fit]]
    ///     id = "adult"
    ///     field = "age"
    ///     range = { gte = 18 }
    ///     points = 60
    ///     [[fit]]
    ///     id = "vip"
    ///     field = "plan"
    ///     one_of = ["gold", "platinum"]
    ///     points = 30
    /// "#).unwrap();
    /// let age = [17.0, 30.0, f64::NAN];
    /// let plan = [Some("gold"), None, Some("platinum")];
    /// let s = card.score_batch(&[("age", Column::numbers(&age)), ("plan", Column::Text(&plan))], None).unwrap();
    /// assert_eq!(s.total, vec![30.0, 60.0, 30.0]);
    /// assert_eq!(s.grade, vec![Grade::C, Grade::B, Grade::C]);
    /// ```
    pub fn score_batch(
        &self,
        columns: &[(&str, Column<'_>)],
        engagement: Option<&[f64]>,
    ) -> Result<BatchScores, CoreError> {
        let mut out = BatchScores::default();
        self.score_batch_into(columns, engagement, &mut out)?;
        Ok(out)
    }

    /// [`Scorecard::score_batch`] appending its rows to `out`: scoring a long table
    /// slice by slice into one `BatchScores` (reserve its capacity first) writes every
    /// score once, where collecting each slice's own vectors would copy them again.
    ///
    /// # Errors
    /// As [`Scorecard::score_batch`]; then `out` is left as it was.
    ///
    /// ```
    /// use arichat_core::scoring::{BatchScores, Column, Scorecard};
    /// let card = Scorecard::from_toml("[[fit]]\nid = \"a\"\nfield = \"x\"\nrange = { gte = 1 }\npoints = 5").unwrap();
    /// let x = [0.0, 1.0, 2.0, 3.0];
    /// let mut out = BatchScores::default();
    /// for part in x.chunks(3) {
    ///     card.score_batch_into(&[("x", Column::numbers(part))], None, &mut out).unwrap();
    /// }
    /// assert_eq!(out, card.score_batch(&[("x", Column::numbers(&x))], None).unwrap());
    /// ```
    pub fn score_batch_into(
        &self,
        columns: &[(&str, Column<'_>)],
        engagement: Option<&[f64]>,
        out: &mut BatchScores,
    ) -> Result<(), CoreError> {
        let n = columns
            .first()
            .map(|(_, c)| c.len())
            .or(engagement.map(<[f64]>::len))
            .unwrap_or(0);
        let mut by_name: HashMap<&str, &Column<'_>> = HashMap::with_capacity(columns.len());
        for (name, col) in columns {
            if col.len() != n || !col.mask_len_ok() {
                return Err(data_error(format!(
                    "column {name:?} has a different length (or mask length) than the others ({n} rows)"
                )));
            }
            if !col.offsets_ok() {
                return Err(data_error(format!(
                    "column {name:?} has offsets that do not rise within its text (or split a character)"
                )));
            }
            if !col.keys_ok() {
                return Err(data_error(format!(
                    "column {name:?} has a key outside its {} values",
                    match col {
                        Column::Categorical { values, .. } => values.len(),
                        _ => 0,
                    }
                )));
            }
            if by_name.insert(name, col).is_some() {
                return Err(data_error(format!("column {name:?} appears twice")));
            }
        }
        if engagement.is_some_and(|e| e.len() != n) {
            return Err(data_error(format!("engagement must have {n} values")));
        }

        let matchers: Vec<_> = self.fit.iter().map(|r| r.predicate.compile()).collect();
        // Groups in name order, the order the row path adds them in.
        let group_names: Vec<&str> = self
            .fit
            .iter()
            .filter_map(|r| r.group.as_deref())
            .collect::<BTreeSet<_>>()
            .into_iter()
            .collect();
        let mut rules: Vec<_> = self
            .fit
            .iter()
            .zip(&matchers)
            .map(|(r, m)| {
                let col = by_name.get(r.field.as_str()).copied();
                let group = r
                    .group
                    .as_deref()
                    .and_then(|g| group_names.binary_search(&g).ok());
                Compiled {
                    kernel: Kernel::new(m, r.points, col),
                    points: r.points,
                    column: col,
                    group,
                }
            })
            .collect();
        // Plain text columns that rules compare with values: one code per row (per
        // block), and those rules look their points up by code. (Rules on categorical
        // columns already look their points up by value.)
        let mut books: Vec<(Column<'_>, Codebook<'_>)> = Vec::new();
        let text_fields: BTreeSet<&str> = self
            .fit
            .iter()
            .zip(&rules)
            .filter(|(_, rule)| {
                matches!(rule.kernel, Kernel::TextIn { .. } | Kernel::TextExists(_))
            })
            .map(|(r, _)| r.field.as_str())
            .collect();
        for field in text_fields {
            let Some(col) = by_name.get(field).copied() else {
                continue;
            };
            let on_field = |r: &FitRule| r.field == field;
            let Some(book) = Codebook::new(
                self.fit
                    .iter()
                    .zip(&rules)
                    .filter(|(r, _)| on_field(r))
                    .map(|(_, rule)| &rule.kernel),
            ) else {
                continue;
            };
            for (r, rule) in self.fit.iter().zip(rules.iter_mut()) {
                if on_field(r) {
                    if let Some(coded) = book.coded(books.len(), &rule.kernel, rule.points) {
                        rule.kernel = coded;
                    }
                }
            }
            books.push((*col, book));
        }
        let mut books: Vec<Book<'_, '_>> = books
            .into_iter()
            .map(|(column, codebook)| Book {
                column,
                codebook,
                fused: None,
            })
            .collect();
        if self.sums_are_exact() {
            rules = merge_lookups(rules);
            fuse_lookups(&mut rules, &mut books);
        }
        // One block's sums per group.
        let mut groups = vec![vec![0.0; BLOCK_ROWS]; group_names.len()];
        let caps: Vec<Option<GroupCap>> = group_names
            .iter()
            .map(|g| self.groups.get(*g).copied())
            .collect();
        let start = out.total.len();
        out.fit.reserve(n);
        out.total.reserve(n);
        out.grade.reserve(n);
        out.stage.reserve(n);
        evaluate(
            Plan {
                rules: &rules,
                books: &books,
                caps: &caps,
                grades: &self.grades,
                stages: &self.stages,
                base: self.base,
                rows: n,
            },
            engagement,
            &mut groups,
            &mut out.fit,
            &mut out.total,
            &mut out.grade,
            &mut out.stage,
        );
        debug_assert_eq!(out.total.len(), start + n);
        Ok(())
    }
}

/// What [`evaluate`] runs: the compiled rules, the codebooks of plain text columns, the
/// groups' caps (in group order) and the card's thresholds.
struct Plan<'p, 'm, 'c> {
    rules: &'p [Compiled<'m, 'c>],
    books: &'p [Book<'m, 'c>],
    caps: &'p [Option<GroupCap>],
    grades: &'p GradeThresholds,
    stages: &'p StageThresholds,
    /// The card's base, where every row's fit starts.
    base: f64,
    /// Rows to score.
    rows: usize,
}

/// Appends the fit, total, grade and stage of `plan.rows` rows, block by block: each block's
/// fit starts at the base, every rule runs over the block into it (or into its group's
/// sums, then capped and added), and the block's totals, grades and stages follow
/// while its fit is still in cache (rather than in passes over whole columns, each
/// streaming the previous one back from memory).
///
/// Compiled twice: for the baseline of the target and, on x86-64, for AVX2 (x86-64-v3),
/// picked once per process at run time (`multiversion`), so one build (one wheel) uses
/// the wider registers where the CPU has them. The loops are the same source; only the
/// instructions differ, and every sum is added in the same order either way.
///
/// Both builds are tested: this crate's unit tests select at compile time (the
/// baseline, under default flags), its integration tests (`tests/scoring.rs`, a proptest
/// against the row path) and the bindings' tests select at run time (AVX2 on CI).
#[cfg_attr(
    test,
    multiversion(
        targets("x86_64+avx2+fma+bmi1+bmi2+lzcnt+popcnt"),
        dispatcher = "static"
    )
)]
#[cfg_attr(
    not(test),
    multiversion(targets("x86_64+avx2+fma+bmi1+bmi2+lzcnt+popcnt"))
)]
fn evaluate(
    plan: Plan<'_, '_, '_>,
    engagement: Option<&[f64]>,
    groups: &mut [Vec<f64>],
    fit: &mut Vec<f64>,
    total: &mut Vec<f64>,
    grade: &mut Vec<Grade>,
    stage: &mut Vec<LifecycleStage>,
) {
    let (n, at) = (plan.rows, fit.len());
    let mut codes = vec![Vec::with_capacity(BLOCK_ROWS); plan.books.len()];
    // Every rule over one block of rows before the next block: the block's slice
    // of each column and of the sums stays in cache across the rules, where a
    // whole-column pass per rule would stream the sums through memory each time.
    for start in (0..n).step_by(BLOCK_ROWS) {
        let end = (start + BLOCK_ROWS).min(n);
        let rows = end - start;
        fit.resize(at + end, plan.base);
        let fit = &mut fit[at + start..at + end];
        for sums in groups.iter_mut() {
            sums[..rows].fill(0.0);
        }
        for (book, out) in plan.books.iter().zip(&mut codes) {
            let codebook = &book.codebook;
            match (book.column.slice(start, end), &book.fused) {
                (Column::Text(values), None) => codebook.encode(values, out),
                (
                    Column::Utf8 {
                        offsets,
                        data,
                        valid,
                    },
                    None,
                ) => codebook.encode_utf8(offsets, data, valid, out),
                (Column::Text(values), Some(fused)) => {
                    let target = match fused.group {
                        None => &mut *fit,
                        Some(g) => &mut groups[g][..rows],
                    };
                    codebook.add_text(values, &fused.by_code, target);
                }
                (
                    Column::Utf8 {
                        offsets,
                        data,
                        valid,
                    },
                    Some(fused),
                ) => {
                    let target = match fused.group {
                        None => &mut *fit,
                        Some(g) => &mut groups[g][..rows],
                    };
                    codebook.add_utf8(offsets, data, valid, &fused.by_index, target);
                }
                _ => {}
            }
        }
        for rule in plan.rules {
            let target = match rule.group {
                None => &mut *fit,
                Some(g) => &mut groups[g][..rows],
            };
            rule.kernel.run(
                rule.points,
                rule.column.map(|c| c.slice(start, end)).as_ref(),
                &codes,
                target,
            );
        }
        // Groups in name order after every rule, as the row path adds them.
        for (cap, sums) in plan.caps.iter().zip(groups.iter()) {
            let sums = &sums[..rows];
            match cap {
                Some(cap) => {
                    for (f, s) in fit.iter_mut().zip(sums) {
                        *f += cap.clamp(*s);
                    }
                }
                None => {
                    for (f, s) in fit.iter_mut().zip(sums) {
                        *f += *s;
                    }
                }
            }
        }
        let first = total.len();
        match engagement {
            Some(e) => total.extend(fit.iter().zip(&e[start..end]).map(|(f, e)| f + e)),
            None => total.extend(fit.iter().map(|f| f + 0.0)),
        }
        let totals = &total[first..];
        grade.extend(totals.iter().map(|t| plan.grades.grade(*t)));
        stage.extend(totals.iter().map(|t| plan.stages.stage(*t)));
    }
}

impl Scorecard {
    /// Whether every sum of fit points is exact in `f64` whatever the order of
    /// addition: whole points whose magnitudes (with the base) add up to at most 2^53.
    /// Then rules may be added up in any order and give the row path's totals.
    fn sums_are_exact(&self) -> bool {
        let whole = |x: f64| x.is_finite() && x.fract() == 0.0;
        let bound: f64 = self.fit.iter().map(|r| r.points.abs()).sum::<f64>() + self.base.abs();
        whole(self.base)
            && self.fit.iter().all(|r| whole(r.points))
            && bound <= 9_007_199_254_740_992.0
    }
}

/// A fit rule ready for the blocks.
struct Compiled<'m, 'c> {
    /// How the rule runs over a block.
    kernel: Kernel<'m>,
    /// Its points.
    points: f64,
    /// Its column, when the data has one.
    column: Option<&'c Column<'c>>,
    /// Its group (index into the sorted group names), when it has one.
    group: Option<usize>,
}

/// A plain text column with its codebook: what the blocks code it into.
struct Book<'m, 'c> {
    column: Column<'c>,
    codebook: Codebook<'m>,
    /// The one rule reading the codes, when only one does (after
    /// [`merge_lookups`]): its points are added as the column is coded, with no
    /// codes written and read back.
    fused: Option<Fused>,
}

/// A [`Kernel::Coded`] rule run inside the coding of its column.
struct Fused {
    /// Its points by code.
    by_code: Box<[f64; 256]>,
    /// The same laid out as [`Codebook::points_by_index`] does.
    by_index: Box<[f64; INDEXES]>,
    /// Its group, when it has one.
    group: Option<usize>,
}

/// Moves each [`Kernel::Coded`] rule that is the only one reading its codebook into
/// the coding of that codebook's column ([`Book::fused`]). Only for exact sums
/// ([`Scorecard::sums_are_exact`]): the rule's points are then added before the other
/// rules' in each block.
fn fuse_lookups(rules: &mut Vec<Compiled<'_, '_>>, books: &mut [Book<'_, '_>]) {
    for (b, book) in books.iter_mut().enumerate() {
        let reads =
            |r: &Compiled<'_, '_>| matches!(r.kernel, Kernel::Coded { book, .. } if book == b);
        let mut readers = rules.iter().enumerate().filter(|(_, r)| reads(r));
        let (Some((only, _)), None) = (readers.next(), readers.next()) else {
            continue;
        };
        let rule = rules.remove(only);
        if let Kernel::Coded { points, .. } = rule.kernel {
            book.fused = Some(Fused {
                by_index: book.codebook.points_by_index(&points),
                by_code: points,
                group: rule.group,
            });
        }
    }
}

/// Folds the ungrouped lookup rules of each column into one table (the sum of their
/// points per code, per categorical value or per boolean cell): one lookup per row and column instead of
/// one per rule. Only for exact sums ([`Scorecard::sums_are_exact`]), since it changes
/// the order of addition.
fn merge_lookups<'m, 'c>(rules: Vec<Compiled<'m, 'c>>) -> Vec<Compiled<'m, 'c>> {
    let mut out: Vec<Compiled<'m, 'c>> = Vec::with_capacity(rules.len());
    // Codebooks by index, categorical and boolean columns by address.
    let mut merged_at: HashMap<(u8, usize), usize> = HashMap::new();
    for rule in rules {
        let address = rule
            .column
            .map_or(0, |col| std::ptr::from_ref(col) as usize);
        let key = match (&rule.kernel, rule.group) {
            (Kernel::Coded { book, .. }, None) => Some((0, *book)),
            (Kernel::ByValue(_), None) => Some((1, address)),
            (Kernel::ByBool(_), None) => Some((2, address)),
            _ => None,
        };
        let Some(key) = key else {
            out.push(rule);
            continue;
        };
        let Some(&at) = merged_at.get(&key) else {
            merged_at.insert(key, out.len());
            out.push(rule);
            continue;
        };
        match (&mut out[at].kernel, &rule.kernel) {
            (Kernel::Coded { points: sum, .. }, Kernel::Coded { points, .. }) => {
                sum.iter_mut().zip(points.iter()).for_each(|(s, p)| *s += p);
            }
            (Kernel::ByValue(sum), Kernel::ByValue(points)) => {
                sum.iter_mut().zip(points).for_each(|(s, p)| *s += p);
            }
            (Kernel::ByBool(sum), Kernel::ByBool(points)) => {
                sum.iter_mut().zip(points).for_each(|(s, p)| *s += p);
            }
            _ => out.push(rule),
        }
    }
    out
}

fn data_error(reason: String) -> CoreError {
    CoreError::InvalidScoringData { reason }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scoring::{Categories, LeadRecord, Value};
    use chrono::{TimeZone, Utc};
    use proptest::strategy::Strategy;

    const CARD: &str = r#"
        [[fit]]
        id = "eq"
        field = "t"
        equals = "gold"
        points = 1
        [[fit]]
        id = "one"
        field = "t"
        one_of = ["gold", "silver", "7"]
        points = 2
        [[fit]]
        id = "none"
        field = "t"
        none_of = ["gold", "Gold"]
        points = 4
        [[fit]]
        id = "num"
        field = "t"
        equals = 7
        points = 8
        [[fit]]
        id = "there"
        field = "t"
        exists = true
        points = 16
        [[fit]]
        id = "missing"
        field = "t"
        exists = false
        points = 32
        [[fit]]
        id = "has_ol"
        field = "t"
        contains = "OL"
        points = 64
    "#;

    proptest::proptest! {
        /// The text fast paths give the row path's points (null, empty, case, numbers as text).
        #[test]
        fn text_fast_paths_equal_row_path(
            cells in proptest::collection::vec(
                proptest::option::of(proptest::prop_oneof![
                    proptest::strategy::Just("gold".to_string()),
                    proptest::strategy::Just("Gold".to_string()),
                    proptest::strategy::Just("silver".to_string()),
                    proptest::strategy::Just("07".to_string()),
                    proptest::strategy::Just(String::new()),
                    "[a-z0-9]{0,3}",
                ]),
                0..30,
            )
        ) {
            // Whole points (rules on a column are folded into one table) and fractional
            // ones (they are not: the order of addition matters).
            for toml in [CARD.to_string(), CARD.replace("points = ", "points = 0.1")] {
            let card = Scorecard::from_toml(&toml).unwrap();
            let col: Vec<Option<&str>> = cells.iter().map(|c| c.as_deref()).collect();
            let batch = card.score_batch(&[("t", Column::Text(&col))], None).unwrap();
            let now = Utc.with_ymd_and_hms(2026, 1, 1, 0, 0, 0).unwrap();
            for (i, c) in cells.iter().enumerate() {
                let rec = LeadRecord::new().with("t", c.clone().map_or(Value::Null, Value::Text));
                proptest::prop_assert_eq!(batch.fit[i], card.score(&rec, &[], now).fit, "{:?}", c);
            }
            // The same rows dictionary-encoded (values in first-seen order, null kept as a value).
            let enc = Categories::encode(&col);
            let coded = card.score_batch(&[("t", enc.column())], None).unwrap();
            proptest::prop_assert_eq!(&coded, &batch);
            // And laid out as Arrow's Utf8, nulls in the mask (their slots hold junk).
            let (offsets, data, valid) = utf8(&col);
            let arrow = Column::Utf8 { offsets: &offsets, data: &data, valid: Some(&valid) };
            proptest::prop_assert_eq!(&card.score_batch(&[("t", arrow)], None).unwrap(), &batch);
            }
        }

        /// Past the codes a codebook has, text rules still score as row by row.
        #[test]
        fn text_rules_with_many_options(cells in proptest::collection::vec(proptest::option::of("v[0-9]{1,3}"), 0..40)) {
            let options: Vec<String> = (0..300).map(|i| format!("\"v{i}\"")).collect();
            let card = Scorecard::from_toml(&format!(
                "[[fit]]\nid = \"many\"\nfield = \"t\"\none_of = [{}]\npoints = 3\n\
                 [[fit]]\nid = \"there\"\nfield = \"t\"\nexists = true\npoints = 5\n",
                options.join(", ")
            ))
            .unwrap();
            let col: Vec<Option<&str>> = cells.iter().map(|c| c.as_deref()).collect();
            let enc = Categories::encode(&col);
            let now = Utc.with_ymd_and_hms(2026, 1, 1, 0, 0, 0).unwrap();
            let (offsets, data, valid) = utf8(&col);
            let arrow = Column::Utf8 { offsets: &offsets, data: &data, valid: Some(&valid) };
            for column in [Column::Text(&col), enc.column(), arrow] {
                let batch = card.score_batch(&[("t", column)], None).unwrap();
                for (i, c) in cells.iter().enumerate() {
                    let rec = LeadRecord::new().with("t", c.clone().map_or(Value::Null, Value::Text));
                    proptest::prop_assert_eq!(batch.fit[i], card.score(&rec, &[], now).fit, "{:?}", c);
                }
            }
        }
    }

    /// Cells as an Arrow `Utf8` column: a null's slot holds "xx", which the mask hides.
    fn utf8(cells: &[Option<&str>]) -> (Vec<i32>, Vec<u8>, Vec<bool>) {
        let mut data = String::new();
        let mut offsets = vec![0];
        for c in cells {
            data.push_str(c.unwrap_or("xx"));
            offsets.push(data.len() as i32);
        }
        (
            offsets,
            data.into_bytes(),
            cells.iter().map(Option::is_some).collect(),
        )
    }

    proptest::proptest! {
        /// Utf8 columns of any text (multi-byte, long, near the end of the buffer) score
        /// as the same rows given as `&str`s.
        #[test]
        fn utf8_columns_equal_text_columns(
            cells in proptest::collection::vec(proptest::option::of(proptest::prop_oneof![
                proptest::strategy::Just("gold".to_string()),
                proptest::strategy::Just("Gold".to_string()),
                proptest::strategy::Just("platinum and more, long".to_string()),
                proptest::strategy::Just("ñandú".to_string()),
                "\\PC{0,20}",
            ]), 0..40),
        ) {
            let card = Scorecard::from_toml(
                &CARD.replace("\"silver\", \"7\"", "\"silver\", \"7\", \"ñandú\", \"platinum and more, long\""),
            ).unwrap();
            let col: Vec<Option<&str>> = cells.iter().map(|c| c.as_deref()).collect();
            let (offsets, data, valid) = utf8(&col);
            let text = card.score_batch(&[("t", Column::Text(&col))], None).unwrap();
            let arrow = Column::Utf8 { offsets: &offsets, data: &data, valid: Some(&valid) };
            proptest::prop_assert_eq!(&card.score_batch(&[("t", arrow)], None).unwrap(), &text);
            let explained = card.explain_batch(&[("t", arrow)], 3).unwrap();
            proptest::prop_assert_eq!(explained, card.explain_batch(&[("t", Column::Text(&col))], 3).unwrap());
        }
    }

    proptest::proptest! {
        /// A text column read by one rule alone has that rule's points added as the
        /// column is coded (whole points): into its group's sums when it has one, so
        /// that the group's cap still applies, as row by row.
        #[test]
        fn a_column_coded_with_its_points_keeps_its_group(
            cells in proptest::collection::vec(proptest::option::of(proptest::prop_oneof![
                proptest::strategy::Just("gmail.com".to_string()),
                proptest::strategy::Just("hotmail.com".to_string()),
                proptest::strategy::Just("a.very.long.domain.example".to_string()),
                "[a-z.]{0,12}",
            ]), 0..50),
        ) {
            let card = Scorecard::from_toml(
                "[groups.noise]\nmin = -5\n\
                 [[fit]]\nid = \"free\"\nfield = \"mail\"\none_of = [\"gmail.com\", \"hotmail.com\"]\npoints = -8\ngroup = \"noise\"\n\
                 [[fit]]\nid = \"other\"\nfield = \"domain\"\nexists = false\npoints = -3\ngroup = \"noise\"\n\
                 [[fit]]\nid = \"long\"\nfield = \"domain\"\nequals = \"a.very.long.domain.example\"\npoints = 2\n",
            )
            .unwrap();
            let col: Vec<Option<&str>> = cells.iter().map(|c| c.as_deref()).collect();
            let (offsets, data, valid) = utf8(&col);
            let arrow = Column::Utf8 { offsets: &offsets, data: &data, valid: Some(&valid) };
            let columns = [("mail", arrow), ("domain", arrow)];
            let batch = card.score_batch(&columns, None).unwrap();
            let text = card
                .score_batch(&[("mail", Column::Text(&col)), ("domain", Column::Text(&col))], None)
                .unwrap();
            proptest::prop_assert_eq!(&batch, &text);
            let now = Utc.with_ymd_and_hms(2026, 1, 1, 0, 0, 0).unwrap();
            for (i, c) in cells.iter().enumerate() {
                let v = c.clone().map_or(Value::Null, Value::Text);
                let rec = LeadRecord::new().with("mail", v.clone()).with("domain", v);
                proptest::prop_assert_eq!(batch.fit[i], card.score(&rec, &[], now).fit, "{:?}", c);
            }
        }
    }

    #[test]
    fn utf8_rows_that_are_not_utf8_are_null() {
        let card = Scorecard::from_toml(CARD).unwrap();
        // "gold", then "g\xffld" (not UTF-8), "\xe2\x82" (a cut character), "ñ".
        let data = b"goldg\xffld\xe2\x82\xc3\xb1";
        let col = Column::Utf8 {
            offsets: &[0, 4, 8, 10, 12],
            data,
            valid: None,
        };
        let want = card
            .score_batch(
                &[("t", Column::Text(&[Some("gold"), None, None, Some("ñ")]))],
                None,
            )
            .unwrap();
        assert_eq!(card.score_batch(&[("t", col)], None).unwrap(), want);
    }

    #[test]
    fn utf8_offsets_outside_the_text_are_an_error() {
        let card = Scorecard::from_toml(CARD).unwrap();
        for (offsets, data) in [
            (&[0, 5, 3][..], &b"goldsilver"[..]),
            (&[0, 11][..], b"goldsilver"),
            (&[-1, 2][..], b"goldsilver"),
            (&[][..], b""),
        ] {
            let col = Column::Utf8 {
                offsets,
                data,
                valid: None,
            };
            let err = card.score_batch(&[("t", col)], None).unwrap_err();
            assert!(err.to_string().contains("offsets"), "{err}");
        }
    }

    fn bound() -> impl proptest::strategy::Strategy<Value = Option<f64>> {
        proptest::option::of(proptest::prop_oneof![
            proptest::strategy::Just(f64::INFINITY),
            proptest::strategy::Just(f64::NEG_INFINITY),
            (-3i8..3).prop_map(f64::from),
        ])
    }

    proptest::proptest! {
        /// Ranges (open, closed, one-sided, infinite ends) give the row path's points on
        /// NaN, infinities and values at the bounds.
        #[test]
        fn range_kernels_equal_row_path(
            lo in bound(), lo_open in proptest::bool::ANY,
            hi in bound(), hi_open in proptest::bool::ANY,
            values in proptest::collection::vec(proptest::prop_oneof![
                proptest::strategy::Just(f64::NAN),
                proptest::strategy::Just(f64::INFINITY),
                proptest::strategy::Just(f64::NEG_INFINITY),
                (-4i8..4).prop_map(f64::from),
                -4.0f64..4.0,
            ], 0..50),
            mask in proptest::collection::vec(proptest::bool::weighted(0.8), 50),
        ) {
            let toml_num = |x: f64| if x.is_infinite() { if x > 0.0 { "inf".to_string() } else { "-inf".to_string() } } else { format!("{x:?}") };
            let mut ends = Vec::new();
            if let Some(lo) = lo {
                ends.push(format!("{} = {}", if lo_open { "gt" } else { "gte" }, toml_num(lo)));
            }
            if let Some(hi) = hi {
                ends.push(format!("{} = {}", if hi_open { "lt" } else { "lte" }, toml_num(hi)));
            }
            let toml = format!(
                "[[fit]]\nid = \"r\"\nfield = \"x\"\nrange = {{ {} }}\npoints = 2.5\n\
                 [[fit]]\nid = \"one\"\nfield = \"x\"\nequals = 1\npoints = 0.25\n\
                 [[fit]]\nid = \"two\"\nfield = \"x\"\none_of = [1, -2, 3.5]\npoints = 0.5\n\
                 [[fit]]\nid = \"gone\"\nfield = \"x\"\nexists = false\npoints = 7\n\
                 [[fit]]\nid = \"here\"\nfield = \"x\"\nexists = true\npoints = 11\n",
                ends.join(", ")
            );
            let Ok(card) = Scorecard::from_toml(&toml) else {
                return Ok(()); // a range the loader refuses
            };
            let batch = card.score_batch(&[("x", Column::numbers(&values))], None).unwrap();
            let now = Utc.with_ymd_and_hms(2026, 1, 1, 0, 0, 0).unwrap();
            for (i, v) in values.iter().enumerate() {
                let rec = LeadRecord::new().with("x", Value::Number(*v));
                proptest::prop_assert_eq!(batch.fit[i], card.score(&rec, &[], now).fit, "{} on {}", toml, v);
            }
            // With a validity mask: a masked-out row is null whatever its slot holds.
            let valid = &mask[..values.len()];
            let masked = card
                .score_batch(&[("x", Column::Number { values: &values, valid: Some(valid) })], None)
                .unwrap();
            for (i, v) in values.iter().enumerate() {
                let value = if valid[i] { Value::Number(*v) } else { Value::Null };
                let rec = LeadRecord::new().with("x", value);
                proptest::prop_assert_eq!(masked.fit[i], card.score(&rec, &[], now).fit, "{} on {} valid {}", toml, v, valid[i]);
            }
        }
    }

    proptest::proptest! {
        /// Boolean columns (with and without a mask) give the row path's points.
        #[test]
        fn bool_kernels_equal_row_path(cells in proptest::collection::vec(proptest::option::of(proptest::bool::ANY), 0..40)) {
            // 16.5: rules added one by one; 16: whole points, folded into one table.
            for half in ["16.5", "16"] {
            let card = Scorecard::from_toml(
                &"[fields]\nb = \"bool\"\n\
                 [[fit]]\nid = \"t\"\nfield = \"b\"\nequals = true\npoints = 1\n\
                 [[fit]]\nid = \"f\"\nfield = \"b\"\nequals = false\npoints = 2\n\
                 [[fit]]\nid = \"e\"\nfield = \"b\"\nexists = true\npoints = 4\n\
                 [[fit]]\nid = \"m\"\nfield = \"b\"\nexists = false\npoints = 8\n\
                 [[fit]]\nid = \"n\"\nfield = \"b\"\nnone_of = [true]\npoints = 16.5\n"
                    .replace("16.5", half),
            )
            .unwrap();
            let values: Vec<bool> = cells.iter().map(|c| c.unwrap_or(true)).collect();
            let valid: Vec<bool> = cells.iter().map(Option::is_some).collect();
            let now = Utc.with_ymd_and_hms(2026, 1, 1, 0, 0, 0).unwrap();
            let masked = card.score_batch(&[("b", Column::Bool { values: &values, valid: Some(&valid) })], None).unwrap();
            let dense = card.score_batch(&[("b", Column::Bool { values: &values, valid: None })], None).unwrap();
            for (i, c) in cells.iter().enumerate() {
                let rec = LeadRecord::new().with("b", c.map_or(Value::Null, Value::Bool));
                proptest::prop_assert_eq!(masked.fit[i], card.score(&rec, &[], now).fit, "{:?}", c);
                let rec = LeadRecord::new().with("b", Value::Bool(values[i]));
                proptest::prop_assert_eq!(dense.fit[i], card.score(&rec, &[], now).fit, "{:?}", c);
            }
            }
        }
    }

    #[test]
    fn categorical_key_outside_values_is_an_error() {
        let card = Scorecard::from_toml(CARD).unwrap();
        let values = [Some("gold")];
        let err = card
            .score_batch(
                &[(
                    "t",
                    Column::Categorical {
                        keys: &[0, 1],
                        values: &values,
                    },
                )],
                None,
            )
            .unwrap_err();
        assert!(
            err.to_string().contains("key outside its 1 values"),
            "{err}"
        );
    }
}
