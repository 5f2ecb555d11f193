//! Reading a CSV file whole, with its delimiter (`,` or `;`) detected from the header.

use std::path::{Path, PathBuf};

use crate::error::CliError;

/// A CSV file in memory: its header and rows of cells.
pub struct Table {
    /// Column names.
    pub headers: Vec<String>,
    /// Rows, each with as many cells as the header.
    pub rows: Vec<Vec<String>>,
}

impl Table {
    /// Reads `path` (`-` for stdin).
    pub fn read(path: &Path) -> Result<Table, CliError> {
        Table::read_with(path, None)
    }

    /// Reads `path` (`-` for stdin) with the given delimiter, or the detected one.
    pub fn read_with(path: &Path, delimiter: Option<u8>) -> Result<Table, CliError> {
        let bytes = crate::read_input(path).map_err(|source| CliError::Unreadable {
            path: path.to_owned(),
            source,
        })?;
        Table::parse_with(&bytes, path, delimiter)
    }

    /// Parses CSV bytes with the given delimiter, or the detected one; `path` only
    /// names the file in errors.
    pub fn parse_with(bytes: &[u8], path: &Path, delimiter: Option<u8>) -> Result<Table, CliError> {
        let delimiter = delimiter.unwrap_or_else(|| detect_delimiter(bytes));
        let csv_err = |source| CliError::Csv {
            path: PathBuf::from(path),
            source,
        };
        let mut reader = csv::ReaderBuilder::new()
            .delimiter(delimiter)
            .from_reader(bytes);
        let headers = read_headers(&mut reader, path)?;
        let mut rows = Vec::new();
        for record in reader.records() {
            rows.push(record.map_err(csv_err)?.iter().map(str::to_owned).collect());
        }
        Ok(Table { headers, rows })
    }

    /// Index of a column, or the typed error naming the columns there are.
    pub fn column(&self, name: &str) -> Result<usize, CliError> {
        self.headers
            .iter()
            .position(|h| h == name)
            .ok_or_else(|| CliError::MissingColumn {
                column: name.to_owned(),
                available: self.headers.clone(),
            })
    }
}

/// The trimmed column names of a reader's header, or [`CliError::NoHeader`].
pub fn read_headers<R: std::io::Read>(
    reader: &mut csv::Reader<R>,
    path: &Path,
) -> Result<Vec<String>, CliError> {
    let headers: Vec<String> = reader
        .headers()
        .map_err(|source| CliError::Csv {
            path: path.to_owned(),
            source,
        })?
        .iter()
        .map(|h| h.trim().to_owned())
        .collect();
    if headers.iter().all(String::is_empty) {
        return Err(CliError::NoHeader {
            path: path.to_owned(),
        });
    }
    Ok(headers)
}

/// `;` when the header line has more semicolons than commas outside quotes, else `,`.
pub fn detect_delimiter(bytes: &[u8]) -> u8 {
    let (mut commas, mut semicolons, mut quoted) = (0usize, 0usize, false);
    for &b in bytes {
        match b {
            b'"' => quoted = !quoted,
            b'\n' if !quoted => break,
            b',' if !quoted => commas += 1,
            b';' if !quoted => semicolons += 1,
            _ => {}
        }
    }
    if semicolons > commas {
        b';'
    } else {
        b','
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn detects_the_delimiter_outside_quotes() {
        assert_eq!(detect_delimiter(b"a,b,c\n1;2;3;4\n"), b',');
        assert_eq!(detect_delimiter(b"\"a\";\"b\"\n1,2\n"), b';');
        assert_eq!(detect_delimiter(b"\"a,b,c\";d;e\n"), b';');
        assert_eq!(detect_delimiter(b"single\n"), b',');
    }

    #[test]
    fn parses_quoted_semicolon_files() {
        let t = Table::parse_with(
            b"\"age\";\"job\"\n56;\"house;maid\"\n",
            Path::new("t.csv"),
            None,
        )
        .unwrap();
        assert_eq!(t.headers, ["age", "job"]);
        assert_eq!(t.rows, [["56", "house;maid"]]);
    }
}
