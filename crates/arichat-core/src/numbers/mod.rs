//! Numbers as people write them: `1.234.567,5` in Colombia, Argentina, Chile,
//! Uruguay and Brazil, `1,234,567.5` in Mexico, Peru, Central America and the US,
//! `1 234 567,5` in Costa Rica, with currency symbols, and the markers (`N/A`, `-`,
//! `null`) spreadsheets write for "no value".
//!
//! One parser ([`NumberParser`]) reads number cells for `arichat score`, `fit` and the
//! Python string columns, so a card `fit` writes always reads its data back the same
//! way. Decisions:
//!
//! - The default format is [`NumberFormat::PLAIN`] (`1234567.5`, as programs write
//!   numbers): without `--locale`/`--decimal`, `4,857` is a problem, not 4857 and not
//!   4.857, since the same text means either depending on the region.
//! - Grouping must be well formed (first group 1-3 digits, then exactly 3); a value
//!   grouped otherwise is not a number in that format.
//! - A cell that is neither a number nor missing is [`Parsed::Invalid`]: callers count
//!   it ([`ColumnAudit`]) and report the first row, never score it silently as blank.
//! - Digits are rewritten as plain text and parsed once (correctly rounded), so
//!   `4,857` under `es-CO` is bit for bit the `f64` of `4.857`; plain integers up to 15
//!   digits are read without float parsing.

mod audit;
mod format;
mod parse;

pub use audit::ColumnAudit;
pub use format::{Grouping, NumberFormat, NumberFormatError};
pub(crate) use parse::parse_plain;
pub use parse::{NumberParser, Parsed, DEFAULT_MISSING};
