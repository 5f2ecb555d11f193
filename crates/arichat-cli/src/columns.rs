//! The columns of one chunk of CSV records, typed for a scorecard: numbers and
//! booleans parsed into reused buffers (problems counted per column), text borrowed.

use arichat_core::numbers::{ColumnAudit, NumberParser};
use arichat_core::scoring::{parse_bool, Column, FieldType};

use crate::stream::{Chunk, CsvStream};

/// Where one cell of a record goes.
#[derive(Clone, Copy)]
enum Slot {
    /// Nowhere: no rule reads the column.
    Skip,
    /// Number buffer `n` (and its audit).
    Number(usize),
    /// Bool buffer `n` (and its audit).
    Bool(usize),
    /// Text column `n`.
    Text(usize),
}

/// The typed columns of a chunk, for the fields a scorecard reads.
pub struct ChunkColumns<'f> {
    /// By column of the file.
    slots: Vec<Slot>,
    /// The fields with a column in the file, in scorecard order, and their slot.
    present: Vec<(&'f str, Slot)>,
    numbers: Vec<Vec<f64>>,
    number_audits: Vec<ColumnAudit>,
    /// Values and validity.
    bools: Vec<(Vec<bool>, Vec<bool>)>,
    bool_audits: Vec<ColumnAudit>,
    texts: usize,
}

impl<'f> ChunkColumns<'f> {
    /// Plans the columns of `fields` (from
    /// [`arichat_core::scoring::Scorecard::fit_field_types`]) in `input`; fields the
    /// file lacks are left out (the core reads them as missing).
    pub fn new(fields: &[(&'f str, FieldType)], input: &CsvStream) -> Self {
        let mut c = ChunkColumns {
            slots: vec![Slot::Skip; input.headers.len()],
            present: Vec::new(),
            numbers: Vec::new(),
            number_audits: Vec::new(),
            bools: Vec::new(),
            bool_audits: Vec::new(),
            texts: 0,
        };
        for &(field, t) in fields {
            let Some(index) = input.column(field) else {
                continue;
            };
            let slot = match t {
                FieldType::Number => {
                    c.numbers.push(Vec::new());
                    c.number_audits.push(ColumnAudit::new(field));
                    Slot::Number(c.numbers.len() - 1)
                }
                FieldType::Bool => {
                    c.bools.push((Vec::new(), Vec::new()));
                    c.bool_audits.push(ColumnAudit::new(field));
                    Slot::Bool(c.bools.len() - 1)
                }
                FieldType::Text => {
                    c.texts += 1;
                    Slot::Text(c.texts - 1)
                }
            };
            c.slots[index] = slot;
            c.present.push((field, slot));
        }
        c
    }

    /// Problems per number or bool column, over every chunk so far.
    pub fn audits(&self) -> impl Iterator<Item = &ColumnAudit> {
        self.number_audits.iter().chain(&self.bool_audits)
    }

    /// Reads `chunk` into columns in one pass over its records (a pass per column
    /// would stream the chunk through the cache once per column) and calls `f` with
    /// them; text columns borrow from `chunk`.
    pub fn with_columns<R>(
        &mut self,
        chunk: &Chunk,
        parser: &NumberParser,
        f: impl FnOnce(&[(&str, Column<'_>)]) -> R,
    ) -> R {
        let n = chunk.len();
        self.numbers.iter_mut().for_each(Vec::clear);
        for (values, valid) in &mut self.bools {
            values.clear();
            valid.clear();
        }
        let mut texts: Vec<Vec<Option<&str>>> = vec![Vec::with_capacity(n); self.texts];
        for (i, record) in chunk.rows().iter().enumerate() {
            let row = chunk.first_row + i as u64;
            for (cell, slot) in record.iter().zip(&self.slots) {
                match *slot {
                    Slot::Skip => {}
                    Slot::Number(k) => {
                        let v = self.number_audits[k].read(parser, cell, row);
                        self.numbers[k].push(v.unwrap_or(f64::NAN));
                    }
                    Slot::Text(k) => texts[k].push(Some(cell)),
                    Slot::Bool(k) => {
                        let b = if parser.is_missing(cell.trim()) {
                            None
                        } else {
                            let b = parse_bool(cell);
                            if b.is_none() {
                                self.bool_audits[k].invalid_at(parser, cell, row);
                            }
                            b
                        };
                        let (values, valid) = &mut self.bools[k];
                        values.push(b.unwrap_or(false));
                        valid.push(b.is_some());
                    }
                }
            }
        }
        let columns: Vec<(&str, Column<'_>)> = self
            .present
            .iter()
            .map(|&(field, slot)| {
                let col = match slot {
                    Slot::Number(k) => Column::numbers(&self.numbers[k]),
                    Slot::Bool(k) => Column::Bool {
                        values: &self.bools[k].0,
                        valid: Some(&self.bools[k].1),
                    },
                    Slot::Text(k) => Column::Text(&texts[k]),
                    Slot::Skip => unreachable!("present fields have a slot"),
                };
                (field, col)
            })
            .collect();
        f(&columns)
    }
}
