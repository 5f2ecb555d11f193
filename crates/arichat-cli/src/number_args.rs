//! The options of every subcommand that reads numbers from CSV cells: `--locale`,
//! `--decimal`, `--missing`, `--strict`. They go to the core's
//! [`NumberParser::from_options`] unchanged; no default is decided here.

use arichat_core::numbers::{ColumnAudit, NumberParser};

use crate::error::CliError;

/// How numbers are written in the input.
#[derive(clap::Args, Debug, Clone, Default)]
pub struct NumberArgs {
    /// How the input writes numbers, as a locale or region: es-CO, es-AR, es-CL, es-UY,
    /// pt-BR (1.234.567,5), es-MX, es-PE, es-GT, en-US (1,234,567.5), es-CR (1 234 567,5).
    /// Default: plain numbers (1234567.5).
    #[arg(long, value_name = "LOCALE")]
    pub locale: Option<String>,
    /// The decimal separator instead of a locale: `,` (1.234,5) or `.` (1,234.5).
    #[arg(long, value_name = "SEPARATOR", conflicts_with = "locale")]
    pub decimal: Option<String>,
    /// Cell values that mean "no value" in number and bool columns, comma-separated
    /// (replacing the default N/A, NA, #N/A, -, null, none, nan; blank is always missing).
    #[arg(long, value_name = "MARKERS", value_delimiter = ',')]
    pub missing: Option<Vec<String>>,
    /// Stop with an error at the first value that is neither a number nor missing in a
    /// number column (default: count them, report them on stderr, score them as missing).
    #[arg(long)]
    pub strict: bool,
}

impl NumberArgs {
    /// The core's parser for these options.
    pub fn parser(&self) -> Result<NumberParser, CliError> {
        NumberParser::from_options(
            self.locale.as_deref(),
            self.decimal.as_deref(),
            self.missing.as_deref(),
        )
        .map_err(CliError::NumberFormat)
    }
}

/// Reports the columns with problems on stderr, one line each, prefixed by the
/// subcommand's name.
pub fn report<'a>(command: &str, audits: impl IntoIterator<Item = &'a ColumnAudit>) {
    for a in audits.into_iter().filter(|a| a.has_problems()) {
        crate::note(format_args!("arichat {command}: {a}"));
    }
}
