//! Number words (`mil quinientos`, `mil e quinhentos`) found by the `text2num` crate.
//!
//! `text2num` (allo-media, MIT) is kept up to date, knows Spanish and Portuguese
//! cardinals with their conjunctions (`y`, `e`) and reports the numbers it finds as
//! digit strings, which we read exactly: its `f64` value is never used.

use std::borrow::Cow;

use text2num::{find_numbers, Language, Token};

use super::decimal::Decimal;
use super::WordLanguage;

/// A word of the text, by byte span.
struct Word<'t> {
    text: &'t str,
    /// Taken by a digit amount (`mil` in `2 mil`): breaks word numbers.
    taken: bool,
    /// Something other than spaces stands between this word and the previous one.
    after_punctuation: bool,
}

impl Token for &Word<'_> {
    fn text(&self) -> Cow<'_, str> {
        self.text.into()
    }

    fn text_lowercase(&self) -> Cow<'_, str> {
        self.text.to_lowercase().into()
    }

    fn nt_separated(&self, _previous: &Self) -> bool {
        self.after_punctuation
    }

    fn not_a_number_part(&self) -> bool {
        self.taken
    }
}

/// A number written in words.
pub(crate) struct WordNumber {
    pub(crate) start: usize,
    pub(crate) end: usize,
    pub(crate) value: Decimal,
}

/// The cardinal numbers written in words in `text`, outside the byte ranges `taken`.
pub(crate) fn find(
    text: &str,
    language: WordLanguage,
    taken: &[(usize, usize)],
) -> Vec<WordNumber> {
    let mut spans = Vec::new();
    let mut word_start = None;
    for (i, c) in text
        .char_indices()
        .chain(std::iter::once((text.len(), ' ')))
    {
        match (c.is_alphabetic(), word_start) {
            (true, None) => word_start = Some(i),
            (false, Some(s)) => {
                spans.push((s, i));
                word_start = None;
            }
            _ => {}
        }
    }
    if spans.is_empty() {
        return Vec::new();
    }
    let words: Vec<Word<'_>> = spans
        .iter()
        .enumerate()
        .map(|(k, &(s, e))| {
            let gap_start = if k == 0 { 0 } else { spans[k - 1].1 };
            Word {
                text: &text[s..e],
                taken: taken.iter().any(|&(ts, te)| s < te && ts < e),
                after_punctuation: !text[gap_start..s].chars().all(char::is_whitespace),
            }
        })
        .collect();
    let occurrences = match language {
        WordLanguage::Es => find_numbers(words.iter(), &Language::spanish(), 0.0),
        WordLanguage::Pt => find_numbers(words.iter(), &Language::portugese(), 0.0),
    };
    occurrences
        .into_iter()
        .filter(|o| !o.is_ordinal && o.end > o.start && o.end <= spans.len())
        .filter(|o| !words[o.start..o.end].iter().any(|w| w.taken))
        .filter_map(|o| {
            let (int, frac) = o.text.split_once(['.', ',']).unwrap_or((&o.text, ""));
            Some(WordNumber {
                start: spans[o.start].0,
                end: spans[o.end - 1].1,
                value: Decimal::from_digits(int, frac)?,
            })
        })
        .collect()
}

/// The whole number a text starts with, written in words (`cinco`, `doce tubos`).
pub(crate) fn leading_number(text: &str, language: WordLanguage) -> Option<u128> {
    let first = find(text, language, &[]).into_iter().next()?;
    if !text[..first.start].trim().is_empty() {
        return None;
    }
    first.value.whole_below(u128::MAX)
}
