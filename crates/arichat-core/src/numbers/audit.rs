//! Counting the cells of a number column that are neither numbers nor missing.

use std::fmt;

use super::format::NumberFormat;
use super::parse::{NumberParser, Parsed};

/// The problems of one number column: how many cells were neither a number nor a
/// missing marker, the first such row, and whether they look like another convention.
/// Never holds the cell text (it may be personal data).
///
/// ```
/// use arichat_core::numbers::{ColumnAudit, NumberParser};
/// let parser = NumberParser::default();
/// let mut audit = ColumnAudit::new("balance");
/// for (row, cell) in ["10", "4,5", "x"].iter().enumerate() {
///     audit.read(&parser, cell, row as u64 + 1);
/// }
/// assert_eq!((audit.invalid, audit.first_row), (2, Some(2)));
/// assert_eq!(
///     audit.to_string(),
///     "column \"balance\": 2 values are neither numbers nor missing (first at row 2); some read as 1.234.567,5 (--locale or --decimal)"
/// );
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ColumnAudit {
    /// The column.
    pub column: String,
    /// Cells neither a number nor missing.
    pub invalid: u64,
    /// The first of them (the caller's row numbers).
    pub first_row: Option<u64>,
    /// Another convention the first such cell reads in (a column mixing conventions, or
    /// read without the right `--locale`).
    pub looks_like: Option<NumberFormat>,
}

impl ColumnAudit {
    /// An empty audit of `column`.
    pub fn new(column: impl Into<String>) -> Self {
        ColumnAudit {
            column: column.into(),
            invalid: 0,
            first_row: None,
            looks_like: None,
        }
    }

    /// Parses `raw` with `parser`, counting it as row `row` when it is invalid; gives
    /// the number, or `None` for missing and invalid cells.
    #[inline]
    pub fn read(&mut self, parser: &NumberParser, raw: &str, row: u64) -> Option<f64> {
        match parser.parse(raw) {
            Parsed::Number(n) => Some(n),
            Parsed::Missing => None,
            Parsed::Invalid => {
                self.invalid_at(parser, raw, row);
                None
            }
        }
    }

    /// Counts an invalid cell (kept out of line: the hot loop only counts numbers).
    #[cold]
    pub fn invalid_at(&mut self, parser: &NumberParser, raw: &str, row: u64) {
        self.invalid += 1;
        if self.first_row.is_none() {
            self.first_row = Some(row);
        }
        if self.looks_like.is_none() {
            self.looks_like = parser.other_convention(raw);
        }
    }

    /// Whether any cell was invalid.
    pub fn has_problems(&self) -> bool {
        self.invalid > 0
    }
}

impl fmt::Display for ColumnAudit {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let n = self.invalid;
        write!(
            f,
            "column {:?}: {n} {} neither {} nor missing",
            self.column,
            if n == 1 { "value is" } else { "values are" },
            if n == 1 { "a number" } else { "numbers" },
        )?;
        if let Some(row) = self.first_row {
            write!(f, " (first at row {row})")?;
        }
        if let Some(other) = self.looks_like {
            write!(f, "; some read as {other} (--locale or --decimal)")?;
        }
        Ok(())
    }
}
