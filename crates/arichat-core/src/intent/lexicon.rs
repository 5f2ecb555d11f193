//! Lexicons: the phrases a [`RuleClassifier`](super::RuleClassifier) looks for, as plain
//! data a tenant can extend (serde, JSON).

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::Intent;
use crate::CoreError;

/// The built-in lexicon, in the line format described in [`Lexicon::parse_lines`].
const DEFAULTS: &str = include_str!("defaults.txt");

/// One phrase of a lexicon.
///
/// A phrase is matched word by word on folded text: case, accents and repeated
/// letters are ignored, common misspellings share a phonetic key and words of five
/// letters or more tolerate one typo. Inside `phrase`:
/// - `word*` matches any word starting with `word` (`escrib*` → "escriban", "escribirme");
/// - `...` skips up to three words of the same clause (`saquen ... lista` → "saquen mi número de la lista", not across a comma or a full stop);
/// - `#` matches any number, `#x` a number of installments ("12x"), `#h` a time ("3pm").
///
/// Entries of intent `other` are *neutral*: they are never reported, and hide any
/// match of another intent they overlap (for example "cuánto tarda" hides the price
/// cue "cuánto"), so a neutral phrase ending in a keyword hides a longer phrase that
/// starts with that keyword too.
///
/// ```
/// use arichat_core::intent::{Intent, LexiconEntry};
/// let e: LexiconEntry = serde_json::from_str(
///     r#"{"intent": "opt_out", "phrase": "chao pescao", "short_only": true}"#,
/// ).unwrap();
/// assert_eq!(e.intent, Intent::OptOut);
/// assert_eq!(e.weight, None);
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LexiconEntry {
    /// The intent the phrase signals.
    pub intent: Intent,
    /// The phrase (see the syntax above).
    pub phrase: String,
    /// Confidence of an exact match, in (0, 1]. Default: 0.9 for a phrase of several
    /// words, 0.75 for one word, 0.6 for one emoji or symbol.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub weight: Option<f32>,
    /// Only match when the whole message is short (at most four words): for bare
    /// keywords such as "stop" or "baja".
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub short_only: bool,
    /// Whether a preceding negation in the same clause ("no", "não", "not", "don't",
    /// "sin", ...) cancels the match. Default: true for `objection` and
    /// `purchase_intent`, false otherwise (an opt-out is never cancelled).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub negatable: Option<bool>,
    /// A polite refusal of an offer rather than a request to stop contact ("no
    /// gracias", "no thanks", "não quero"), or a question that often comes with one
    /// ("how did you get my number?"): for `opt_out` entries, evidence that makes
    /// an opt-out *implicit* at most — marketing is suspended and an agent decides —
    /// never the explicit request that revokes consent at once. Read by
    /// [`HybridClassifier`](super::HybridClassifier); the lexicon-only
    /// [`RuleClassifier`](super::RuleClassifier) reports every opt-out it chooses as
    /// explicit, as before. Default: false.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub soft: bool,
    /// Language tag, informative only (`es`, `en`, `pt`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub lang: Option<String>,
}

impl LexiconEntry {
    /// An entry with default weight and flags.
    pub fn new(intent: Intent, phrase: impl Into<String>) -> Self {
        LexiconEntry {
            intent,
            phrase: phrase.into(),
            weight: None,
            short_only: false,
            negatable: None,
            soft: false,
            lang: None,
        }
    }

    /// The negation rule that applies to this entry.
    pub fn is_negatable(&self) -> bool {
        self.negatable.unwrap_or(matches!(
            self.intent,
            Intent::Objection | Intent::PurchaseIntent
        ))
    }
}

/// A set of phrases and abbreviations.
///
/// ```
/// use arichat_core::intent::{Intent, Lexicon};
/// let lex = Lexicon::from_json(r#"{
///     "entries": [{"intent": "price_inquiry", "phrase": "a como"}],
///     "abbreviations": {"cnt": "cuanto"}
/// }"#).unwrap();
/// assert_eq!(lex.entries[0].intent, Intent::PriceInquiry);
/// assert!(Lexicon::builtin().entries.len() > 500);
/// ```
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Lexicon {
    /// The phrases.
    #[serde(default)]
    pub entries: Vec<LexiconEntry>,
    /// Extra spellings, each mapped to one canonical word ("xfa" → "porfavor").
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub abbreviations: BTreeMap<String, String>,
}

impl Lexicon {
    /// The built-in lexicon for Spanish, English and Portuguese.
    pub fn builtin() -> Lexicon {
        // The built-in text is validated by a unit test; parse errors cannot happen.
        Lexicon::parse_lines(DEFAULTS).unwrap_or_default()
    }

    /// Reads a lexicon from JSON.
    pub fn from_json(json: &str) -> Result<Lexicon, CoreError> {
        serde_json::from_str(json).map_err(|e| CoreError::json("lexicon", &e, json))
    }

    /// Reads the compact line format of the built-in lexicon:
    ///
    /// ```text
    /// // comment
    /// [opt_out es]          section: intent and language
    /// no me interesa        a phrase
    /// !baja                 `!`: short messages only
    /// +muy caro             `+`: negatable; `-`: never negatable
    /// ~!no gracias          `~`: soft (never an explicit opt-out alone)
    /// cuanto @0.6           explicit weight
    /// ```
    ///
    /// ```
    /// use arichat_core::intent::{Intent, Lexicon};
    /// let lex = Lexicon::parse_lines("[negotiation es]\nme lo dejas en\n!rebajita @0.7").unwrap();
    /// assert_eq!(lex.entries.len(), 2);
    /// assert!(lex.entries[1].short_only);
    /// assert_eq!(lex.entries[1].weight, Some(0.7));
    /// let lex = Lexicon::parse_lines("[opt_out en]\n~!no thanks").unwrap();
    /// assert!(lex.entries[0].soft && lex.entries[0].short_only);
    /// ```
    pub fn parse_lines(text: &str) -> Result<Lexicon, CoreError> {
        let mut lexicon = Lexicon::default();
        let mut section: Option<(Intent, String)> = None;
        for (n, raw) in text.lines().enumerate() {
            let line = raw.trim();
            if line.is_empty() || line.starts_with("//") {
                continue;
            }
            let invalid = |reason: String| CoreError::InvalidLexicon {
                reason: format!("line {}: {reason}", n + 1),
            };
            if let Some(header) = line.strip_prefix('[') {
                let header = header
                    .strip_suffix(']')
                    .ok_or_else(|| invalid("unterminated section header".into()))?;
                let mut parts = header.split_whitespace();
                let intent: Intent = parts
                    .next()
                    .unwrap_or_default()
                    .parse()
                    .map_err(|e: CoreError| invalid(e.to_string()))?;
                section = Some((intent, parts.next().unwrap_or_default().to_owned()));
                continue;
            }
            let (intent, lang) = section
                .as_ref()
                .ok_or_else(|| invalid("phrase before any [intent lang] section".into()))?;
            let mut rest = line;
            let mut entry = LexiconEntry::new(*intent, "");
            loop {
                if let Some(r) = rest.strip_prefix('!') {
                    entry.short_only = true;
                    rest = r;
                } else if let Some(r) = rest.strip_prefix('+') {
                    entry.negatable = Some(true);
                    rest = r;
                } else if let Some(r) = rest.strip_prefix('-') {
                    entry.negatable = Some(false);
                    rest = r;
                } else if let Some(r) = rest.strip_prefix('~') {
                    entry.soft = true;
                    rest = r;
                } else {
                    break;
                }
            }
            if let Some((phrase, weight)) = rest.rsplit_once(" @") {
                let w: f32 = weight
                    .trim()
                    .parse()
                    .map_err(|_| invalid(format!("bad weight {weight:?}")))?;
                entry.weight = Some(w);
                rest = phrase;
            }
            entry.phrase = rest.trim().to_owned();
            if !lang.is_empty() {
                entry.lang = Some(lang.clone());
            }
            lexicon.entries.push(entry);
        }
        Ok(lexicon)
    }

    /// Adds the entries and abbreviations of `other`.
    pub fn extend(&mut self, other: Lexicon) {
        self.entries.extend(other.entries);
        self.abbreviations.extend(other.abbreviations);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn builtin_parses_and_covers_every_intent() {
        let lex = Lexicon::parse_lines(DEFAULTS).unwrap();
        for intent in Intent::ALL {
            assert!(lex.entries.iter().any(|e| e.intent == *intent), "{intent}");
        }
        for lang in ["es", "en", "pt"] {
            assert!(
                lex.entries
                    .iter()
                    .filter(|e| e.lang.as_deref() == Some(lang))
                    .count()
                    > 100
            );
        }
    }

    #[test]
    fn builtin_has_no_phrase_twice_in_a_section() {
        let lex = Lexicon::parse_lines(DEFAULTS).unwrap();
        let mut seen = std::collections::HashSet::new();
        for e in &lex.entries {
            assert!(
                seen.insert((e.intent, e.lang.clone(), e.phrase.clone())),
                "{} {:?}: {:?} is listed twice",
                e.intent,
                e.lang,
                e.phrase
            );
        }
    }

    #[test]
    fn bad_lines_are_reported() {
        assert!(Lexicon::parse_lines("hola").is_err());
        assert!(Lexicon::parse_lines("[greetings es]\nhola").is_err());
        assert!(Lexicon::parse_lines("[greeting es\nhola").is_err());
        let err = Lexicon::parse_lines("[greeting es]\nhola @x").unwrap_err();
        assert_eq!(err.code(), "invalid_lexicon");
        assert!(err.to_string().contains("line 2"));
    }

    #[test]
    fn json_round_trip() {
        let mut lex = Lexicon::default();
        lex.entries
            .push(LexiconEntry::new(Intent::Negotiation, "rebajita"));
        lex.abbreviations.insert("dsc".into(), "descuento".into());
        let json = serde_json::to_string(&lex).unwrap();
        assert_eq!(
            json,
            r#"{"entries":[{"intent":"negotiation","phrase":"rebajita"}],"abbreviations":{"dsc":"descuento"}}"#
        );
        assert_eq!(Lexicon::from_json(&json).unwrap(), lex);
        assert_eq!(Lexicon::from_json("{").unwrap_err().code(), "invalid_json");
    }
}
