//! `arichat score`: score every row of a CSV file with a scorecard.

use std::io::Write;
use std::path::{Path, PathBuf};

use arichat_core::scoring::{reasons_json, reasons_text, BatchScores, Scorecard};
use arichat_core::ConfigFormat;

use crate::columns::ChunkColumns;
use crate::error::CliError;
use crate::number_args::{self, NumberArgs};
use crate::progress::{self, Unit};
use crate::stream::{Chunk, CsvStream};

/// Arguments of `arichat score`.
#[derive(clap::Args)]
pub struct ScoreArgs {
    /// The scorecard (TOML, or JSON when the name ends in `.json`).
    #[arg(long)]
    scorecard: PathBuf,
    /// The CSV file (`,` or `;` separated, with a header), or `-` for stdin.
    file: PathBuf,
    /// How numbers are written.
    #[command(flatten)]
    numbers: NumberArgs,
    /// Score even when columns the scorecard reads are not in the file (they read as
    /// missing; stderr says how many rules they hold).
    #[arg(long)]
    allow_missing: bool,
    /// Add the N largest contributions of each row: `reasons` (readable) and
    /// `reasons_json` columns.
    #[arg(long, value_name = "N")]
    explain: Option<usize>,
}

/// Reads a configuration file (scorecard, campaign bundle, deal grammar, commission
/// rules) with the format its name says ([`ConfigFormat::of_path`]: `.toml` or `.json`).
pub fn read_config(path: &Path) -> Result<(String, ConfigFormat), CliError> {
    let format = ConfigFormat::of_path(path).map_err(CliError::ConfigFormat)?;
    let text = std::fs::read_to_string(path).map_err(|source| CliError::Unreadable {
        path: path.to_owned(),
        source,
    })?;
    Ok((text, format))
}

/// Loads a scorecard file, TOML or JSON by its name.
pub fn load_scorecard(path: &Path) -> Result<Scorecard, CliError> {
    let card = match read_config(path)? {
        (text, ConfigFormat::Json) => Scorecard::from_json(&text),
        (text, ConfigFormat::Toml) => Scorecard::from_toml(&text),
    };
    card.map_err(|source| CliError::InvalidScorecard {
        path: path.to_owned(),
        source,
    })
}

/// Writes the file back, each row as written, with `score`, `grade` and `stage`
/// (and with `--explain`, `reasons` and `reasons_json`) appended in the file's own
/// delimiter.
///
/// Streams: the file is read in chunks of [`crate::stream::CHUNK_ROWS`] records, each chunk scored
/// column by column ([`Scorecard::score_batch_into`]) and written before the next is
/// read, so memory does not grow with the file. Each field the card reads is typed once
/// ([`Scorecard::fit_field_types`]); number and bool cells go through the core's
/// [`arichat_core::numbers::NumberParser`], and cells that are neither a value nor
/// missing are counted per column and reported on stderr (`--strict`: an error). A CSV
/// carries no events, so engagement rules give nothing.
pub fn run(args: &ScoreArgs, out: &mut impl Write) -> Result<(), CliError> {
    let card = load_scorecard(&args.scorecard)?;
    let parser = args.numbers.parser()?;
    let input = CsvStream::open(&args.file, None)?;
    let fields = card.fit_field_types();
    if let Some(absent) = card.absent_fields(&input.headers) {
        if !args.allow_missing {
            return Err(CliError::MissingFields(absent));
        }
        crate::note(format_args!("arichat score: {absent}; scoring anyway"));
    }
    let mut columns = ChunkColumns::new(&fields, &input);
    let d = input.delimiter;
    let mut w = std::io::BufWriter::with_capacity(1 << 20, out);
    let mut line = input.raw_header.clone();
    for name in ["score", "grade", "stage"] {
        line.push(d);
        line.extend_from_slice(name.as_bytes());
    }
    if args.explain.is_some() {
        for name in ["reasons", "reasons_json"] {
            line.push(d);
            line.extend_from_slice(name.as_bytes());
        }
    }
    line.push(b'\n');
    // Written with the first chunk, so a file that fails in its first rows (ragged, not
    // UTF-8, --strict) prints nothing.
    let mut header = Some(line.clone());
    let mut scores = BatchScores::default();
    let bar = match input.size() {
        Some(size) => progress::bar(Unit::Bytes, Some(size), "arichat score"),
        None => progress::bar(Unit::Rows, None, "arichat score"),
    };
    let sized = input.size().is_some();
    // Two threads: one parses the next chunk of records while this one scores and
    // writes the last (two chunks circulate), so on two cores the wall time is the
    // slower of the two halves rather than their sum. Memory stays two chunks.
    std::thread::scope(|scope| -> Result<(), CliError> {
        let (full_tx, full) = std::sync::mpsc::sync_channel::<Result<(Chunk, u64), CliError>>(1);
        let (empty, empty_rx) = std::sync::mpsc::channel::<Chunk>();
        for _ in 0..2 {
            let _ = empty.send(Chunk::default());
        }
        let mut input = input;
        scope.spawn(move || {
            while let Ok(mut chunk) = empty_rx.recv() {
                let read = input.next_chunk(&mut chunk);
                let last = read.is_err() || chunk.is_empty();
                if full_tx
                    .send(read.map(|()| (chunk, input.bytes_read())))
                    .is_err()
                    || last
                {
                    break;
                }
            }
        });
        // The reader stops at the end, at an error, or when this side hangs up (an
        // error here drops `empty` and `full`).
        while let Ok(next) = full.recv() {
            let (chunk, bytes_read) = next?;
            if chunk.is_empty() {
                break;
            }
            if sized {
                bar.set_position(bytes_read);
            } else {
                bar.inc(chunk.len() as u64);
            }
            let explained = columns.with_columns(&chunk, &parser, |cols| {
                scores.total.clear();
                scores.fit.clear();
                scores.grade.clear();
                scores.stage.clear();
                // No column at all (--allow-missing): the core takes the row count from
                // the engagement points, none here.
                let none = cols.is_empty().then(|| vec![0.0; chunk.len()]);
                card.score_batch_into(cols, none.as_deref(), &mut scores)
                    .map_err(CliError::Scoring)?;
                args.explain
                    .map(|n| card.explain_batch(cols, n).map_err(CliError::Scoring))
                    .transpose()
            })?;
            if args.numbers.strict {
                if let Some(bad) = columns.audits().find(|a| a.has_problems()) {
                    return Err(CliError::InvalidValue(bad.clone()));
                }
            }
            if let Some(h) = header.take() {
                w.write_all(&h).map_err(CliError::Write)?;
            }
            // The chunk's output is built in one buffer and written with one call.
            line.clear();
            line.reserve(chunk.raw_len() + chunk.len() * 24);
            for i in 0..chunk.len() {
                line.extend_from_slice(chunk.raw(i));
                line.push(d);
                push_number(&mut line, scores.total[i]);
                line.push(d);
                line.extend_from_slice(scores.grade[i].as_str().as_bytes());
                line.push(d);
                line.extend_from_slice(scores.stage[i].as_str().as_bytes());
                if let Some(reasons) = &explained {
                    line.push(d);
                    push_quoted(&mut line, &reasons_text(&reasons[i]));
                    line.push(d);
                    push_quoted(&mut line, &reasons_json(&reasons[i]));
                }
                line.push(b'\n');
            }
            w.write_all(&line).map_err(CliError::Write)?;
            let _ = empty.send(chunk);
        }
        Ok(())
    })?;
    if let Some(h) = header {
        w.write_all(&h).map_err(CliError::Write)?;
    }
    w.flush().map_err(CliError::Write)?;
    bar.finish_and_clear();
    number_args::report("score", columns.audits());
    Ok(())
}

/// A number as `f64`'s `Display` writes it; whole numbers (the usual total) without
/// the formatting machinery, which was a tenth of the time.
fn push_number(line: &mut Vec<u8>, x: f64) {
    if x.fract() == 0.0 && x.abs() < 1e15 {
        if x.is_sign_negative() {
            line.push(b'-');
        }
        let mut n = x.abs() as u64;
        let mut digits = [0u8; 20];
        let mut at = digits.len();
        loop {
            at -= 1;
            digits[at] = b'0' + (n % 10) as u8;
            n /= 10;
            if n == 0 {
                break;
            }
        }
        line.extend_from_slice(&digits[at..]);
    } else {
        let _ = write!(line, "{x}");
    }
}

/// A CSV cell in double quotes, inner quotes doubled.
fn push_quoted(line: &mut Vec<u8>, text: &str) {
    line.push(b'"');
    for b in text.bytes() {
        if b == b'"' {
            line.push(b'"');
        }
        line.push(b);
    }
    line.push(b'"');
}

/// A CSV write error as [`CliError::Write`], keeping the I/O error itself so that a
/// closed pipe is still recognised as one.
pub fn csv_write_error(e: csv::Error) -> CliError {
    CliError::Write(match e.into_kind() {
        csv::ErrorKind::Io(io) => io,
        other => std::io::Error::other(format!("{other:?}")),
    })
}
