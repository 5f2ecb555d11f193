//! Typed errors of the `fit` and `score` subcommands.

use std::fmt;
use std::path::PathBuf;

/// What went wrong reading a table or a scorecard, or fitting one.
#[derive(Debug)]
pub enum CliError {
    /// The file could not be read.
    Unreadable {
        /// The file.
        path: PathBuf,
        /// Why.
        source: std::io::Error,
    },
    /// The file is not CSV the reader understands (ragged rows, bad UTF-8...).
    Csv {
        /// The file.
        path: PathBuf,
        /// Why.
        source: csv::Error,
    },
    /// The file has no header row.
    NoHeader {
        /// The file.
        path: PathBuf,
    },
    /// A column named on the command line is not in the header.
    MissingColumn {
        /// The column asked for.
        column: String,
        /// The columns the header has.
        available: Vec<String>,
    },
    /// `--positive` names a value the label column never takes.
    UnknownPositive {
        /// The value asked for.
        value: String,
        /// The label column.
        column: String,
        /// The values seen (at most a few).
        seen: Vec<String>,
    },
    /// No `--positive` and the label column is not an obvious yes/no column.
    AmbiguousLabel {
        /// The label column.
        column: String,
        /// The values seen (at most a few).
        seen: Vec<String>,
    },
    /// A `--type COLUMN=TYPE` argument that does not parse.
    BadType {
        /// The argument.
        arg: String,
        /// Why.
        reason: String,
    },
    /// The scorecard file does not load.
    InvalidScorecard {
        /// The file.
        path: PathBuf,
        /// The core's error.
        source: arichat_core::CoreError,
    },
    /// Fitting or cross-validation refused the data.
    Fit(arichat_core::CoreError),
    /// Writing the output failed.
    Write(std::io::Error),
}

impl fmt::Display for CliError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            CliError::Unreadable { path, source } => {
                write!(f, "cannot read {}: {source}", path.display())
            }
            CliError::Csv { path, source } => {
                write!(f, "{} is not readable CSV: {source}", path.display())
            }
            CliError::NoHeader { path } => write!(f, "{} has no header row", path.display()),
            CliError::MissingColumn { column, available } => write!(
                f,
                "no column {column:?} in the header (columns: {})",
                available.join(", ")
            ),
            CliError::UnknownPositive {
                value,
                column,
                seen,
            } => write!(
                f,
                "unknown positive value {value:?}: column {column:?} has {}",
                quoted(seen)
            ),
            CliError::AmbiguousLabel { column, seen } => write!(
                f,
                "cannot tell the positive value of column {column:?} (values: {}); pass --positive",
                quoted(seen)
            ),
            CliError::BadType { arg, reason } => write!(f, "bad --type {arg:?}: {reason}"),
            CliError::InvalidScorecard { path, source } => {
                write!(f, "invalid scorecard {}: {source}", path.display())
            }
            CliError::Fit(e) => write!(f, "cannot fit: {e}"),
            CliError::Write(e) => write!(f, "cannot write the output: {e}"),
        }
    }
}

impl std::error::Error for CliError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            CliError::Unreadable { source, .. } | CliError::Write(source) => Some(source),
            CliError::Csv { source, .. } => Some(source),
            CliError::InvalidScorecard { source, .. } | CliError::Fit(source) => Some(source),
            _ => None,
        }
    }
}

fn quoted(values: &[String]) -> String {
    values
        .iter()
        .map(|v| format!("{v:?}"))
        .collect::<Vec<_>>()
        .join(", ")
}
