//! `arichat score`: score every row of a CSV file with a scorecard.

use std::io::Write;
use std::path::{Path, PathBuf};

use arichat_core::scoring::{LeadRecord, Scorecard};

use crate::error::CliError;
use crate::table::Table;

/// Arguments of `arichat score`.
#[derive(clap::Args)]
pub struct ScoreArgs {
    /// The scorecard (TOML, or JSON when the name ends in `.json`).
    #[arg(long)]
    scorecard: PathBuf,
    /// The CSV file (`,` or `;` separated, with a header), or `-` for stdin.
    file: PathBuf,
}

/// Reads a configuration file (scorecard, campaign bundle), and whether its name ends
/// in `.json` (else it is TOML).
pub fn read_config(path: &Path) -> Result<(String, bool), CliError> {
    let text = std::fs::read_to_string(path).map_err(|source| CliError::Unreadable {
        path: path.to_owned(),
        source,
    })?;
    let is_json = path
        .extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("json"));
    Ok((text, is_json))
}

/// Loads a scorecard file, TOML or (by extension) JSON.
pub fn load_scorecard(path: &Path) -> Result<Scorecard, CliError> {
    let (text, is_json) = read_config(path)?;
    let card = if is_json {
        Scorecard::from_json(&text)
    } else {
        Scorecard::from_toml(&text)
    };
    card.map_err(|source| CliError::InvalidScorecard {
        path: path.to_owned(),
        source,
    })
}

/// Writes the file back with `score`, `grade` and `stage` appended to every row, in
/// the file's own delimiter. Rows are scored one by one with [`Scorecard::score`]
/// (cells typed by the scorecard's `[fields]`, else inferred); a CSV carries no
/// events, so engagement rules give nothing.
pub fn run(args: &ScoreArgs, out: &mut impl Write) -> Result<(), CliError> {
    let card = load_scorecard(&args.scorecard)?;
    let table = Table::read(&args.file)?;
    let now = chrono::Utc::now();
    let mut w = csv::WriterBuilder::new()
        .delimiter(table.delimiter)
        .from_writer(out);
    let write = csv_write_error;
    let mut header = table.headers.clone();
    header.extend(["score", "grade", "stage"].map(String::from));
    w.write_record(&header).map_err(write)?;
    for cells in &table.rows {
        let record = LeadRecord::from_csv_row(&table.headers, cells, &card.fields);
        let r = card.score(&record, &[], now);
        let extra = [
            r.total.to_string(),
            r.grade.to_string(),
            r.stage.to_string(),
        ];
        w.write_record(cells.iter().chain(&extra)).map_err(write)?;
    }
    w.flush().map_err(CliError::Write)
}

/// A CSV write error as [`CliError::Write`], keeping the I/O error itself so that a
/// closed pipe is still recognised as one.
pub fn csv_write_error(e: csv::Error) -> CliError {
    CliError::Write(match e.into_kind() {
        csv::ErrorKind::Io(io) => io,
        other => std::io::Error::other(format!("{other:?}")),
    })
}
