//! Times `Scorecard::score_batch` alone on columns written by another program, so that a
//! benchmark in another language can report the pure-Rust figure on the very same rows
//! (see `benches/python/score_columnar.py`).
//!
//! ```text
//! cargo run --release -p arichat-core --example score_columns -- CARD.toml DIR [--repeat 5] [--dictionary | --utf8]
//! ```
//!
//! With `--dictionary` the text columns are dictionary-encoded first
//! ([`Column::Categorical`], as pandas `category` and polars `Categorical` arrive);
//! the encoding is not timed. With `--utf8` they are laid out as Arrow `string` arrays
//! ([`Column::Utf8`]: offsets, bytes and a validity mask), as `score_table` reads plain
//! pyarrow, polars and pandas strings; the layout is not timed either.
//!
//! `DIR` holds one file per column: `NAME.f64` (raw little-endian `f64`, NaN for
//! null) or `NAME.txt` (one value per line, an empty line for null; values must not
//! contain newlines). Loading is not timed. Prints one JSON object: `rows`,
//! `best_seconds` (the fastest of `--repeat` runs) and `total_sum` (the sum of every
//! row's total, to check the answers against the other side).

use std::error::Error;
use std::time::Instant;

use arichat_core::scoring::{Categories, Column, Scorecard};

fn main() -> Result<(), Box<dyn Error>> {
    let mut args = std::env::args().skip(1);
    let card = args
        .next()
        .ok_or("usage: score_columns CARD.toml DIR [--repeat N]")?;
    let dir = args
        .next()
        .ok_or("usage: score_columns CARD.toml DIR [--repeat N]")?;
    let mut repeat = 5usize;
    let mut dictionary = false;
    let mut utf8 = false;
    while let Some(a) = args.next() {
        match a.as_str() {
            "--repeat" => repeat = args.next().ok_or("--repeat needs a value")?.parse()?,
            "--dictionary" => dictionary = true,
            "--utf8" => utf8 = true,
            other => return Err(format!("unknown argument {other}").into()),
        }
    }
    let card = Scorecard::from_toml(&std::fs::read_to_string(card)?)?;

    let mut numbers: Vec<(String, Vec<f64>)> = Vec::new();
    let mut texts: Vec<(String, String)> = Vec::new();
    for entry in std::fs::read_dir(&dir)? {
        let path = entry?.path();
        let (Some(stem), Some(ext)) = (
            path.file_stem().and_then(|s| s.to_str()),
            path.extension().and_then(|s| s.to_str()),
        ) else {
            continue;
        };
        match ext {
            "f64" => {
                let bytes = std::fs::read(&path)?;
                let values = bytes
                    .chunks_exact(8)
                    .map(|c| f64::from_le_bytes(c.try_into().expect("8 bytes")))
                    .collect();
                numbers.push((stem.to_owned(), values));
            }
            "txt" => texts.push((stem.to_owned(), std::fs::read_to_string(&path)?)),
            _ => {}
        }
    }
    let text_columns: Vec<(&str, Vec<Option<&str>>)> = texts
        .iter()
        .map(|(name, body)| {
            let body = body.strip_suffix('\n').unwrap_or(body);
            let cells = body
                .split('\n')
                .map(|s| (!s.is_empty()).then_some(s))
                .collect();
            (name.as_str(), cells)
        })
        .collect();
    let mut columns: Vec<(&str, Column<'_>)> = numbers
        .iter()
        .map(|(n, v)| (n.as_str(), Column::numbers(v)))
        .collect();
    let encoded: Vec<Categories<'_>> = text_columns
        .iter()
        .map(|(_, cells)| Categories::encode(cells))
        .collect();
    let arrow: Vec<Utf8Layout> = text_columns
        .iter()
        .map(|(_, cells)| Utf8Layout::of(cells))
        .collect();
    if dictionary {
        columns.extend(
            text_columns
                .iter()
                .zip(&encoded)
                .map(|((n, _), enc)| (*n, enc.column())),
        );
    } else if utf8 {
        columns.extend(
            text_columns
                .iter()
                .zip(&arrow)
                .map(|((n, _), layout)| (*n, layout.column())),
        );
    } else {
        columns.extend(text_columns.iter().map(|(n, v)| (*n, Column::Text(v))));
    }

    let mut best = f64::INFINITY;
    let mut sum = 0.0;
    let mut rows = 0;
    for _ in 0..repeat.max(1) {
        let start = Instant::now();
        let scores = card.score_batch(&columns, None)?;
        best = best.min(start.elapsed().as_secs_f64());
        rows = scores.total.len();
        sum = scores.total.iter().sum();
    }
    println!("{{\"rows\": {rows}, \"best_seconds\": {best}, \"total_sum\": {sum}}}");
    Ok(())
}

/// A text column as an Arrow `string` array holds it: `len + 1` offsets, every row's
/// bytes one after another, and a validity mask (a null's slot is empty).
struct Utf8Layout {
    offsets: Vec<i32>,
    data: Vec<u8>,
    valid: Vec<bool>,
}

impl Utf8Layout {
    fn of(cells: &[Option<&str>]) -> Self {
        let mut offsets = Vec::with_capacity(cells.len() + 1);
        let mut data = Vec::new();
        offsets.push(0);
        for c in cells {
            data.extend_from_slice(c.unwrap_or("").as_bytes());
            offsets.push(i32::try_from(data.len()).expect("under 2 GiB of text"));
        }
        Utf8Layout {
            offsets,
            data,
            valid: cells.iter().map(Option::is_some).collect(),
        }
    }

    fn column(&self) -> Column<'_> {
        Column::Utf8 {
            offsets: &self.offsets,
            data: &self.data,
            valid: Some(&self.valid),
        }
    }
}
