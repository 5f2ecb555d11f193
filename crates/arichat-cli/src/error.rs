//! Typed errors of the command line: [`CliError`] for reading tables and fitting,
//! [`Failure`] for anything a subcommand can end with. Every error has a stable
//! snake_case `code()`; `main` prints `code: message` on stderr.

use std::fmt;
use std::path::PathBuf;

use arichat_channels::verify::VerifyError;
use arichat_channels::ChannelError;
use arichat_core::CoreError;

use crate::send::SendCliError;

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
    /// The campaign bundle file does not load.
    InvalidBundle {
        /// The file.
        path: PathBuf,
        /// The core's error.
        source: arichat_core::CoreError,
    },
    /// A configuration file whose name says no format ([`arichat_core::ConfigFormat`]).
    ConfigFormat(arichat_core::CoreError),
    /// Fitting or cross-validation refused the data.
    Fit(arichat_core::CoreError),
    /// `--locale`, `--decimal` or `--missing` cannot be used.
    NumberFormat(arichat_core::numbers::NumberFormatError),
    /// With `--strict`: a value in a number (or bool) column that is neither a number
    /// nor a missing marker.
    InvalidValue(arichat_core::numbers::ColumnAudit),
    /// Columns the scorecard reads are not in the file (and `--allow-missing` was not
    /// given).
    MissingFields(arichat_core::scoring::AbsentFields),
    /// The core refused the columns of a chunk.
    Scoring(arichat_core::CoreError),
    /// Writing the output failed.
    Write(std::io::Error),
    /// A file named on the command line (`fit --report`) could not be written.
    Unwritable {
        /// The file.
        path: PathBuf,
        /// Why.
        source: std::io::Error,
    },
    /// The receipt image could not be read (not an image, Tesseract missing or failing).
    Ocr(arichat_deals::DealsError),
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
            CliError::BadType { arg, reason } => write!(f, "bad --type {arg:?}: {reason}"),
            CliError::InvalidScorecard { path, source } => {
                write!(f, "invalid scorecard {}: {source}", path.display())
            }
            CliError::InvalidBundle { path, source } => {
                write!(f, "invalid campaign bundle {}: {source}", path.display())
            }
            CliError::ConfigFormat(e) => e.fmt(f),
            CliError::Fit(e) => write!(f, "cannot fit: {e}"),
            CliError::NumberFormat(e) => e.fmt(f),
            CliError::InvalidValue(audit) => write!(f, "{audit} (--strict)"),
            CliError::MissingFields(absent) => {
                write!(
                    f,
                    "the file has {absent}; --allow-missing scores without them"
                )
            }
            CliError::Scoring(e) => write!(f, "cannot score: {e}"),
            CliError::Write(e) => write!(f, "cannot write the output: {e}"),
            CliError::Unwritable { path, source } => {
                write!(f, "cannot write {}: {source}", path.display())
            }
            CliError::Ocr(e) => write!(f, "cannot read the receipt: {e}"),
        }
    }
}

impl std::error::Error for CliError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            CliError::Unreadable { source, .. }
            | CliError::Unwritable { source, .. }
            | CliError::Write(source) => Some(source),
            CliError::Csv { source, .. } => Some(source),
            CliError::InvalidScorecard { source, .. }
            | CliError::InvalidBundle { source, .. }
            | CliError::ConfigFormat(source)
            | CliError::Fit(source)
            | CliError::Scoring(source) => Some(source),
            CliError::NumberFormat(source) => Some(source),
            CliError::Ocr(source) => Some(source),
            _ => None,
        }
    }
}

impl CliError {
    /// A stable snake_case code; errors of the core keep the core's code.
    pub fn code(&self) -> &'static str {
        match self {
            CliError::Unreadable { .. } => "unreadable_input",
            CliError::Csv { .. } => "invalid_csv",
            CliError::NoHeader { .. } => "no_header",
            CliError::MissingColumn { .. } => "missing_column",
            CliError::BadType { .. } => "invalid_type",
            CliError::InvalidScorecard { source, .. }
            | CliError::InvalidBundle { source, .. }
            | CliError::ConfigFormat(source)
            | CliError::Fit(source)
            | CliError::Scoring(source) => source.code(),
            CliError::NumberFormat(e) => e.code(),
            CliError::InvalidValue(_) => "invalid_value",
            CliError::MissingFields(_) => "missing_fields",
            CliError::Write(_) | CliError::Unwritable { .. } => "write_failed",
            CliError::Ocr(e) => e.code(),
        }
    }
}

/// How a subcommand failed.
#[derive(Debug)]
pub enum Failure {
    /// A rule of the core refused the input (phone, region, lead, scorecard...).
    Core(CoreError),
    /// A webhook body did not verify or normalize.
    Channel(ChannelError),
    /// Reading a table, fitting or scoring failed.
    Table(CliError),
    /// `send` failed before or at the vendor.
    Send(SendCliError),
    /// An input file (or stdin) could not be read.
    Unreadable {
        /// The file, `-` for stdin.
        path: String,
        /// Why.
        source: std::io::Error,
    },
    /// An input was read but is not what the subcommand expects (not UTF-8, a demo
    /// manifest that is not JSON...).
    InvalidInput(String),
    /// Writing the output failed.
    Write(std::io::Error),
}

impl Failure {
    /// A stable snake_case code; errors of the core and channels keep their own code.
    pub fn code(&self) -> &'static str {
        match self {
            Failure::Core(e) => e.code(),
            Failure::Channel(e) => e.code(),
            Failure::Table(e) => e.code(),
            Failure::Send(e) => e.code(),
            Failure::Unreadable { .. } => "unreadable_input",
            Failure::InvalidInput(_) => "invalid_input",
            Failure::Write(_) => "write_failed",
        }
    }

    /// Whether the output's reader went away (`arichat score ... | head -1`): nothing
    /// is wrong with the input, and there is nobody left to tell.
    pub fn is_broken_pipe(&self) -> bool {
        match self {
            Failure::Write(e) | Failure::Table(CliError::Write(e)) => {
                e.kind() == std::io::ErrorKind::BrokenPipe
            }
            _ => false,
        }
    }
}

impl fmt::Display for Failure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Failure::Core(e) => e.fmt(f),
            Failure::Channel(e) => e.fmt(f),
            Failure::Table(e) => e.fmt(f),
            Failure::Send(e) => e.fmt(f),
            Failure::Unreadable { path, source } => write!(f, "cannot read {path}: {source}"),
            Failure::InvalidInput(reason) => f.write_str(reason),
            Failure::Write(e) => write!(f, "cannot write the output: {e}"),
        }
    }
}

impl std::error::Error for Failure {}

impl From<CoreError> for Failure {
    fn from(e: CoreError) -> Self {
        Failure::Core(e)
    }
}

impl From<ChannelError> for Failure {
    fn from(e: ChannelError) -> Self {
        Failure::Channel(e)
    }
}

impl From<VerifyError> for Failure {
    fn from(e: VerifyError) -> Self {
        Failure::Channel(e.into())
    }
}

impl From<CliError> for Failure {
    fn from(e: CliError) -> Self {
        Failure::Table(e)
    }
}

impl From<SendCliError> for Failure {
    fn from(e: SendCliError) -> Self {
        Failure::Send(e)
    }
}

/// Formatting into a `String` cannot fail; `fmt::Error` only exists for the signature.
impl From<fmt::Error> for Failure {
    fn from(e: fmt::Error) -> Self {
        Failure::Write(std::io::Error::other(e))
    }
}
