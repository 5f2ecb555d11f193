//! Labelled messages for training and evaluating the intent model.
//!
//! A corpus file is UTF-8 TSV with the header `lang country label text`, tab separated (see
//! `data/intents/GUIDE.md`). Every message falls in a fixed [`Split`] chosen by a hash
//! of its folded text, so the split of a message never depends on which files are
//! loaded or in which order, and duplicates always share a split.

use super::fold::fold_word;
use super::{Intent, Language};
use crate::fnv::Fnv;
use crate::named_enum::named_enum;
use crate::CoreError;

named_enum!(
    /// Which part of the corpus a message belongs to.
    Split, "split", "train, dev, test", {
        /// Fits the weights (70 %).
        Train => "train",
        /// Tunes thresholds, epochs and calibration (10 %).
        Dev => "dev",
        /// Read only by the benchmark that reports accuracy (20 %).
        Test => "test",
    }
);

impl Split {
    /// The split of a message: FNV-1a of its folded words, modulo 10.
    ///
    /// ```
    /// use arichat_core::intent::corpus::Split;
    /// assert_eq!(Split::of("Hola, ¿cuánto cuesta?"), Split::of("hola cuanto cuesta"));
    /// ```
    pub fn of(text: &str) -> Split {
        let h = text
            .split(|c: char| !c.is_alphanumeric())
            .filter(|w| !w.is_empty())
            .fold(Fnv::default(), |h, word| {
                h.bytes(fold_word(word).as_bytes()).byte(b' ')
            })
            .value();
        match (h ^ (h >> 31)) % 10 {
            0..=6 => Split::Train,
            7 => Split::Dev,
            _ => Split::Test,
        }
    }
}

/// One labelled message.
#[derive(Debug, Clone, PartialEq)]
pub struct LabelledMessage {
    /// The message as the customer wrote it.
    pub text: String,
    /// Its intent (by the label guide's precedence).
    pub intent: Intent,
    /// Its language.
    pub language: Language,
    /// ISO country code, or `-`.
    pub country: String,
    /// The file (source) it comes from.
    pub source: String,
}

impl LabelledMessage {
    /// The split this message belongs to.
    pub fn split(&self) -> Split {
        Split::of(&self.text)
    }
}

/// Parses one corpus file. `source` names it in errors and in each message.
///
/// ```
/// use arichat_core::intent::corpus::parse_tsv;
/// use arichat_core::intent::Intent;
/// let rows = parse_tsv("demo", "lang\tcountry\tlabel\ttext\nes\tMX\topt_out\tya no me escriban\n").unwrap();
/// assert_eq!(rows[0].intent, Intent::OptOut);
/// assert!(parse_tsv("demo", "lang\tcountry\tlabel\ttext\nes\tMX\tmaybe\thola\n").is_err());
/// ```
pub fn parse_tsv(source: &str, tsv: &str) -> Result<Vec<LabelledMessage>, CoreError> {
    let mut lines = tsv.lines().enumerate();
    let invalid = |line: usize, reason: String| CoreError::InvalidCorpus {
        reason: format!("{source} line {}: {reason}", line + 1),
    };
    match lines.next() {
        Some((_, header)) if header.trim_end() == "lang\tcountry\tlabel\ttext" => {}
        _ => {
            return Err(invalid(
                0,
                "header must be `lang\tcountry\tlabel\ttext`".into(),
            ))
        }
    }
    let mut out = Vec::new();
    for (n, line) in lines {
        if line.trim().is_empty() {
            continue;
        }
        let cols: Vec<&str> = line.split('\t').collect();
        let [lang, country, label, text] = cols[..] else {
            return Err(invalid(n, format!("{} columns, expected 4", cols.len())));
        };
        let language: Language = lang
            .parse()
            .map_err(|e: CoreError| invalid(n, e.to_string()))?;
        if language == Language::Unknown {
            return Err(invalid(n, "lang must be es, pt or en".into()));
        }
        let intent: Intent = label
            .parse()
            .map_err(|e: CoreError| invalid(n, e.to_string()))?;
        if text.trim().is_empty() {
            return Err(invalid(n, "empty text".into()));
        }
        out.push(LabelledMessage {
            text: text.to_owned(),
            intent,
            language,
            country: country.to_owned(),
            source: source.to_owned(),
        });
    }
    Ok(out)
}
