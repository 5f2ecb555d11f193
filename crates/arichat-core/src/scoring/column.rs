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
    /// Text laid out as Arrow's `Utf8` arrays are: row `i` is the bytes
    /// `data[offsets[i]..offsets[i + 1]]`, `valid` the validity mask; a row that is not
    /// UTF-8 is null. Read in place, with no `&str` per row built first (a plain text
    /// column of a million rows costs 16 MB of views otherwise). Offsets must rise and
    /// stay within `data`; [`Scorecard::score_batch`](super::Scorecard::score_batch)
    /// refuses others.
    ///
    /// ```
    /// use arichat_core::scoring::{Column, Scorecard};
    /// let card = Scorecard::from_toml("[[fit]]\nid = \"wa\"\nfield = \"ch\"\nequals = \"whatsapp\"\npoints = 5").unwrap();
    /// // "whatsapp", null, "telegram"
    /// let ch = Column::Utf8 { offsets: &[0, 8, 8, 16], data: b"whatsapptelegram", valid: Some(&[true, false, true]) };
    /// assert_eq!(card.score_batch(&[("ch", ch)], None).unwrap().total, vec![5.0, 0.0, 0.0]);
    /// ```
    Utf8 {
        /// `len + 1` offsets into `data`.
        offsets: &'a [i32],
        /// Every row's bytes, one after another (an Arrow array's value buffer).
        data: &'a [u8],
        /// Which rows are present; none means all.
        valid: Option<&'a [bool]>,
    },
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
            Column::Utf8 { offsets, .. } => offsets.len().saturating_sub(1),
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
            Column::Utf8 { valid, .. } => valid.is_none_or(|m| m.len() == self.len()),
            Column::Text(_) => true,
            Column::Categorical { .. } => true,
        }
    }

    /// Whether a [`Column::Utf8`]'s offsets rise from 0 or more and end within its data
    /// (other columns have none).
    pub(crate) fn offsets_ok(&self) -> bool {
        match self {
            Column::Utf8 { offsets, data, .. } => {
                // A branch-free fold over every offset (it vectorizes), then one verdict:
                // rising offsets lie within the data when the first and the last do.
                // Pairs by `zip` rather than `windows(2)`, whose loop shuffled each pair
                // into place.
                let next = offsets.get(1..).unwrap_or_default();
                let rising = offsets
                    .iter()
                    .zip(next)
                    .fold(true, |ok, (a, b)| ok & (a <= b));
                let inside = |o: &i32| *o >= 0 && *o as usize <= data.len();
                rising && offsets.first().is_some_and(inside) && offsets.last().is_some_and(inside)
            }
            _ => true,
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
            Column::Utf8 {
                offsets,
                data,
                valid,
            } => Column::Utf8 {
                offsets: &offsets[start..=end],
                data,
                valid: part(valid),
            },
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
            Column::Utf8 {
                offsets,
                data,
                valid,
            } if present(valid) => utf8_at(offsets, data, i).map_or(Cell::Null, Cell::text),
            Column::Categorical { keys, values } => {
                values[keys[i] as usize].map_or(Cell::Null, Cell::text)
            }
            _ => Cell::Null,
        }
    }
}

/// Row `i` of a [`Column::Utf8`]; `None` where it is not UTF-8 (or its offsets are
/// out of range).
#[inline]
pub(crate) fn utf8_at<'a>(offsets: &[i32], data: &'a [u8], i: usize) -> Option<&'a str> {
    data.get(offsets[i] as usize..offsets[i + 1] as usize)
        .and_then(|b| std::str::from_utf8(b).ok())
}
