//! A column of attribute values borrowed from the caller's buffers: what the batch
//! scorer reads and what each rule's kernel runs over.

use super::record::Cell;

/// One column of attribute values, borrowed from the caller's buffers.
///
/// `valid` is a validity mask (Arrow style: `false` is null); NaN and infinite
/// numbers and empty text are null too.
#[derive(Debug, Clone, Copy)]
pub enum Column<'a> {
    /// Numbers.
    Number {
        /// The values.
        values: &'a [f64],
        /// Which values are present; none means all.
        valid: Option<&'a [bool]>,
    },
    /// Booleans.
    Bool {
        /// The values.
        values: &'a [bool],
        /// Which values are present; none means all.
        valid: Option<&'a [bool]>,
    },
    /// Text; `None` is null.
    Text(&'a [Option<&'a str>]),
    /// Dictionary-encoded text (Arrow dictionary arrays, pandas `category`, polars
    /// `Categorical`): row `i` holds `values[keys[i]]`; a `None` value is null. Rules
    /// that compare text with values test each distinct value once, not each row.
    Categorical {
        /// Index into `values`, per row.
        keys: &'a [u32],
        /// The distinct values.
        values: &'a [Option<&'a str>],
    },
}

impl<'a> Column<'a> {
    /// A numeric column without mask.
    pub fn numbers(values: &'a [f64]) -> Self {
        Column::Number {
            values,
            valid: None,
        }
    }

    /// Number of rows.
    pub fn len(&self) -> usize {
        match self {
            Column::Number { values, .. } => values.len(),
            Column::Bool { values, .. } => values.len(),
            Column::Text(v) => v.len(),
            Column::Categorical { keys, .. } => keys.len(),
        }
    }

    /// Whether the column has no rows.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    pub(crate) fn mask_len_ok(&self) -> bool {
        match self {
            Column::Number { values, valid } => valid.is_none_or(|m| m.len() == values.len()),
            Column::Bool { values, valid } => valid.is_none_or(|m| m.len() == values.len()),
            Column::Text(_) => true,
            Column::Categorical { .. } => true,
        }
    }

    /// Whether every key of a categorical column indexes its values.
    pub(crate) fn keys_ok(&self) -> bool {
        match self {
            // The largest key: a max over the keys vectorizes, an early exit would not.
            Column::Categorical { keys, values } => keys
                .iter()
                .copied()
                .max()
                .is_none_or(|k| (k as usize) < values.len()),
            _ => true,
        }
    }

    /// Rows `start..end` of the column.
    pub(super) fn slice(&self, start: usize, end: usize) -> Self {
        let part = |m: Option<&'a [bool]>| m.map(|m| &m[start..end]);
        match *self {
            Column::Number { values, valid } => Column::Number {
                values: &values[start..end],
                valid: part(valid),
            },
            Column::Bool { values, valid } => Column::Bool {
                values: &values[start..end],
                valid: part(valid),
            },
            Column::Text(v) => Column::Text(&v[start..end]),
            Column::Categorical { keys, values } => Column::Categorical {
                keys: &keys[start..end],
                values,
            },
        }
    }

    #[inline]
    pub(crate) fn cell(&self, i: usize) -> Cell<'a> {
        let present = |valid: Option<&[bool]>| valid.is_none_or(|m| m[i]);
        match *self {
            Column::Number { values, valid } if present(valid) => Cell::number(values[i]),
            Column::Bool { values, valid } if present(valid) => Cell::Bool(values[i]),
            Column::Text(v) => v[i].map_or(Cell::Null, Cell::text),
            Column::Categorical { keys, values } => {
                values[keys[i] as usize].map_or(Cell::Null, Cell::text)
            }
            _ => Cell::Null,
        }
    }
}
