//! Reading a CSV input (file or stdin) in chunks of records, each record with its raw
//! bytes as written, so a subcommand can write rows back unchanged with columns
//! appended, in bounded memory, before the input ends.

use std::io::{BufRead, BufReader, Read};
use std::path::{Path, PathBuf};

use csv::StringRecord;

use crate::error::CliError;
use crate::table::{detect_delimiter, read_headers};

/// Rows per chunk: large enough that per-chunk work (column set-up, a write call)
/// vanishes, small enough that a chunk of wide rows stays in tens of MiB.
pub const CHUNK_ROWS: usize = 64 * 1024;

/// A reader that keeps a copy of what passes through it, until told to forget it.
struct Tee<R> {
    inner: R,
    seen: Vec<u8>,
}

impl<R: Read> Read for Tee<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.seen.extend_from_slice(&buf[..n]);
        Ok(n)
    }
}

/// One chunk of records: the parsed fields and each record's raw line. Records are
/// checked as UTF-8 whole (one pass per record; per cell it was 40 % of the time).
#[derive(Default)]
pub struct Chunk {
    /// Parsed records; only the first [`Chunk::len`] belong to this chunk (the
    /// rest are kept to be reused).
    pub records: Vec<StringRecord>,
    len: usize,
    raw: Vec<u8>,
    raw_ends: Vec<usize>,
    /// The data row number of the first record (1 = the first row after the header).
    pub first_row: u64,
}

impl Chunk {
    /// Records in this chunk.
    pub fn len(&self) -> usize {
        self.len
    }

    /// Whether the chunk holds no record (the input ended).
    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// Bytes of this chunk's raw lines together.
    pub fn raw_len(&self) -> usize {
        self.raw.len()
    }

    /// The records of this chunk.
    pub fn rows(&self) -> &[StringRecord] {
        &self.records[..self.len]
    }

    /// Record `i` as written, without its line break.
    pub fn raw(&self, i: usize) -> &[u8] {
        let start = if i == 0 { 0 } else { self.raw_ends[i - 1] };
        &self.raw[start..self.raw_ends[i]]
    }
}

/// A CSV input read chunk by chunk.
pub struct CsvStream {
    reader: csv::Reader<Tee<Box<dyn Read + Send>>>,
    /// `b','`, `b';'` or the one asked for.
    pub delimiter: u8,
    /// Column names, trimmed.
    pub headers: Vec<String>,
    /// The header line as written.
    pub raw_header: Vec<u8>,
    path: PathBuf,
    /// Input offset of `reader.get_ref().seen[0]`.
    seen_from: u64,
    /// Input offset where the last record read ended.
    last_end: u64,
    /// The input's size when it is a regular file.
    size: Option<u64>,
    rows: u64,
}

impl CsvStream {
    /// Opens `path` (`-` for stdin) and reads its header, with the given delimiter or
    /// the one detected from the header line.
    pub fn open(path: &Path, delimiter: Option<u8>) -> Result<CsvStream, CliError> {
        let unreadable = |source| CliError::Unreadable {
            path: path.to_owned(),
            source,
        };
        let mut size = None;
        // `Send`, so a reader thread can parse the next chunk while the last is scored.
        let source: Box<dyn Read + Send> = if path == Path::new("-") {
            Box::new(std::io::stdin())
        } else {
            let file = std::fs::File::open(path).map_err(unreadable)?;
            size = file
                .metadata()
                .ok()
                .filter(|m| m.is_file())
                .map(|m| m.len());
            Box::new(file)
        };
        let mut source = BufReader::with_capacity(1 << 16, source);
        let mut first_line = Vec::new();
        source
            .read_until(b'\n', &mut first_line)
            .map_err(unreadable)?;
        let delimiter = delimiter.unwrap_or_else(|| detect_delimiter(&first_line));
        let input: Box<dyn Read + Send> = Box::new(std::io::Cursor::new(first_line).chain(source));
        let mut reader = csv::ReaderBuilder::new()
            .delimiter(delimiter)
            .buffer_capacity(1 << 16)
            .from_reader(Tee {
                inner: input,
                seen: Vec::new(),
            });
        let headers = read_headers(&mut reader, path)?;
        let end = reader.position().byte();
        let raw_header = trim_line(&reader.get_ref().seen[..end as usize]).to_vec();
        let mut stream = CsvStream {
            reader,
            delimiter,
            headers,
            raw_header,
            path: path.to_owned(),
            seen_from: 0,
            last_end: end,
            rows: 0,
            size,
        };
        stream.forget_read();
        Ok(stream)
    }

    /// Bytes of input read so far (header and the records handed out).
    pub fn bytes_read(&self) -> u64 {
        self.last_end
    }

    /// The input's size in bytes when it is a regular file (not stdin or a pipe).
    pub fn size(&self) -> Option<u64> {
        self.size
    }

    /// Index of a column by name.
    pub fn column(&self, name: &str) -> Option<usize> {
        self.headers.iter().position(|h| h == name)
    }

    /// Reads up to [`CHUNK_ROWS`] records into `chunk`; an empty chunk means the end.
    pub fn next_chunk(&mut self, chunk: &mut Chunk) -> Result<(), CliError> {
        chunk.len = 0;
        chunk.raw.clear();
        chunk.raw_ends.clear();
        chunk.first_row = self.rows + 1;
        while chunk.len < CHUNK_ROWS {
            if chunk.records.len() == chunk.len {
                chunk.records.push(StringRecord::new());
            }
            let more = self
                .reader
                .read_record(&mut chunk.records[chunk.len])
                .map_err(|source| CliError::Csv {
                    path: self.path.clone(),
                    source,
                })?;
            if !more {
                break;
            }
            let end = self.reader.position().byte();
            let seen = &self.reader.get_ref().seen;
            let from = (self.last_end - self.seen_from) as usize;
            chunk
                .raw
                .extend_from_slice(trim_line(&seen[from..(end - self.seen_from) as usize]));
            chunk.raw_ends.push(chunk.raw.len());
            self.last_end = end;
            chunk.len += 1;
        }
        self.rows += chunk.len as u64;
        self.forget_read();
        Ok(())
    }

    /// Drops the copied bytes of records already handed out.
    fn forget_read(&mut self) {
        let done = (self.last_end - self.seen_from) as usize;
        self.reader.get_mut().seen.drain(..done);
        self.seen_from = self.last_end;
    }
}

/// A line without the line breaks around it (blank lines the reader skipped, `\r\n`).
fn trim_line(line: &[u8]) -> &[u8] {
    let start = line
        .iter()
        .position(|b| !matches!(b, b'\r' | b'\n'))
        .unwrap_or(line.len());
    let end = line
        .iter()
        .rposition(|b| !matches!(b, b'\r' | b'\n'))
        .map_or(start, |e| e + 1);
    &line[start..end]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keeps_raw_lines_across_chunks() {
        let dir = std::env::temp_dir().join(format!("arichat-stream-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join("t.csv");
        let mut text = String::from("\"a\";\"b\"\r\n");
        for i in 0..(CHUNK_ROWS + 10) {
            text.push_str(&format!("{i};\"x;{i}\"\r\n"));
            if i == 3 {
                text.push_str("\r\n"); // a blank line the reader skips
            }
        }
        text.push_str("last;\"multi\nline\""); // no final line break
        std::fs::write(&path, &text).unwrap();
        let mut s = CsvStream::open(&path, None).unwrap();
        assert_eq!(s.delimiter, b';');
        assert_eq!(s.headers, ["a", "b"]);
        assert_eq!(s.raw_header, b"\"a\";\"b\"");
        let mut chunk = Chunk::default();
        s.next_chunk(&mut chunk).unwrap();
        assert_eq!(chunk.len(), CHUNK_ROWS);
        assert_eq!(chunk.raw(0), b"0;\"x;0\"");
        assert_eq!(chunk.raw(4), b"4;\"x;4\"");
        assert_eq!(&chunk.rows()[4][1], "x;4");
        s.next_chunk(&mut chunk).unwrap();
        assert_eq!(chunk.len(), 11);
        assert_eq!(chunk.first_row, CHUNK_ROWS as u64 + 1);
        assert_eq!(chunk.raw(10), b"last;\"multi\nline\"");
        s.next_chunk(&mut chunk).unwrap();
        assert!(chunk.is_empty());
    }
}
