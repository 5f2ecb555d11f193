//! Hashed features of a message for the intent model.
//!
//! Every feature is a short byte string hashed (FNV-1a) into one of `2^bits` buckets:
//! folded words and their phonetic keys, word bigrams, bigrams of words one apart
//! ("no … más"), bigrams of phonetic keys (so "kero mas" and "quero mais" share a
//! pair), character 4-grams of
//! each word (so unseen spellings and inflections share evidence with seen ones),
//! emoji, the shape of the message (length, question mark, digits), and every
//! lexicon phrase found with its [`Scope`] — the model learns how far to trust a
//! keyword that is quoted, negated or asked about.

use super::fold::{Token, TokenKind};
use super::model::IntentModel;
use super::rules::RuleHit;
use super::scope::Scope;
use super::words::Marks;
use crate::fnv::Fnv;

/// The hash of a feature: its tag byte, then its bytes.
fn tagged(tag: u8) -> Fnv {
    Fnv::default().byte(tag)
}

/// Collects the buckets of one message.
pub(crate) struct FeatureSink<'a> {
    mask: u64,
    out: &'a mut Vec<u32>,
    /// The model the buckets are for, whose rows start loading as buckets are found.
    model: Option<&'a IntentModel>,
}

impl FeatureSink<'_> {
    fn push(&mut self, h: Fnv) {
        // Mix the high bits in before masking: FNV's low bits are weak.
        let x = h.value() ^ (h.value() >> 29);
        let bucket = (x & self.mask) as u32;
        if let Some(model) = self.model {
            model.touch(bucket);
        }
        self.out.push(bucket);
    }

    /// The feature of two words side by side under `tag`: "a b".
    fn pair(&mut self, tag: u8, a: &str, b: &str) {
        self.push(
            tagged(tag)
                .bytes(a.as_bytes())
                .byte(b' ')
                .bytes(b.as_bytes()),
        );
    }
}

/// Buffers [`extract`] reuses between messages.
#[derive(Debug, Default)]
pub(crate) struct FeatureScratch {
    /// Which tokens belong to a phone number.
    phone: Vec<bool>,
    /// A word padded with `^` and `$`, for its char n-grams.
    gram: Vec<u8>,
}

/// Writes the feature buckets of a message into `out` (cleared first).
///
/// `hits` are the lexicon phrases found in `text`, each with its scope. With a
/// `model`, each bucket's row of weights starts loading as soon as the bucket is
/// known, so the model's sum finds most of them in cache.
pub(crate) fn extract(
    bits: u32,
    text: &str,
    tokens: &[Token],
    hits: &[(RuleHit, Scope)],
    scratch: &mut FeatureScratch,
    out: &mut Vec<u32>,
    model: Option<&IntentModel>,
) {
    out.clear();
    let mut sink = FeatureSink {
        mask: (1u64 << bits) - 1,
        out,
        model,
    };
    sink.push(tagged(b'B'));
    let mut words = 0usize;
    // The previous word, the one before it, and the previous word's phonetic key.
    let mut prev: Option<&str> = None;
    let mut prev2: Option<&str> = None;
    let mut prev_key: Option<&str> = None;
    let FeatureScratch { phone, gram } = scratch;
    // Words up to three after a negator in the same clause also count as negated
    // words ("no quiero darme de baja", "don't unsubscribe me").
    let mut negated_until: Option<(u32, usize)> = None;
    phone_like(text, tokens, phone);
    for (i, t) in tokens.iter().enumerate() {
        if phone.get(i).copied().unwrap_or(false) {
            // A phone number says nothing of the intent but its presence; its digits
            // must not read as a price or a counteroffer.
            if i == 0 || !phone[i - 1] {
                sink.push(tagged(b'P'));
            }
            continue;
        }
        match t.kind {
            TokenKind::Word => {
                words += 1;
                sink.push(tagged(b'w').bytes(t.squeezed.as_bytes()));
                if let Some((clause, until)) = negated_until {
                    if clause == t.clause && i <= until {
                        sink.push(tagged(b'n').bytes(t.squeezed.as_bytes()));
                    }
                }
                if t.marks.contains(Marks::NEGATOR) {
                    negated_until = Some((t.clause, i + 3));
                }
                if t.key != t.squeezed {
                    sink.push(tagged(b'k').bytes(t.key.as_bytes()));
                }
                sink.pair(b'b', prev.unwrap_or("^"), &t.squeezed);
                if let Some(p2) = prev2 {
                    sink.pair(b'g', p2, &t.squeezed);
                }
                if let Some(k) = prev_key {
                    sink.pair(b'K', k, &t.key);
                }
                prev2 = prev;
                prev = Some(&t.squeezed);
                prev_key = Some(&t.key);
                char_grams(&mut sink, &t.squeezed, gram);
            }
            TokenKind::Emoji => {
                sink.push(tagged(b'e').bytes(t.fold.as_bytes()));
                sink.push(tagged(b'E'));
            }
            TokenKind::Symbol => sink.push(tagged(b's').bytes(t.fold.as_bytes())),
        }
    }
    if let Some(p) = prev {
        sink.pair(b'b', p, "$");
    }
    let length = match words {
        0 => 0u8,
        1 => 1,
        2 => 2,
        3 => 3,
        4..=6 => 4,
        7..=12 => 5,
        13..=25 => 6,
        _ => 7,
    };
    sink.push(tagged(b'L').byte(length));
    if text.contains('?') {
        sink.push(tagged(b'?'));
    }
    if text.trim_end().ends_with('?') {
        sink.push(tagged(b'Q'));
    }
    if tokens
        .iter()
        .enumerate()
        .any(|(i, t)| t.is_number() && !phone.get(i).copied().unwrap_or(false))
    {
        sink.push(tagged(b'#'));
    }
    for (hit, scope) in hits {
        let intent = hit.intent.as_str().as_bytes();
        sink.push(tagged(b'r').bytes(intent));
        if scope.is_use() {
            sink.push(tagged(b'u').bytes(intent));
        }
        for (flag, name) in Scope::NAMED {
            if scope.contains(flag) {
                sink.push(tagged(b'f').bytes(intent).byte(b':').bytes(name.as_bytes()));
            }
        }
    }
}

/// Digits at least this many in a run of number tokens make a phone number.
const PHONE_DIGITS: usize = 7;

/// Marks in `out` which tokens belong to a phone-like run: number tokens separated
/// only by spaces and `+ - . ( )`, holding at least [`PHONE_DIGITS`] digits together.
fn phone_like(text: &str, tokens: &[Token], out: &mut Vec<bool>) {
    out.clear();
    out.resize(tokens.len(), false);
    let mut i = 0;
    while i < tokens.len() {
        if !tokens[i].is_number() {
            i += 1;
            continue;
        }
        let mut j = i;
        let mut digits = tokens[i].fold.len();
        while j + 1 < tokens.len()
            && tokens[j + 1].is_number()
            && text
                .get(tokens[j].end..tokens[j + 1].start)
                .is_some_and(|gap| gap.bytes().all(|b| b" +-.()".contains(&b)))
        {
            j += 1;
            digits += tokens[j].fold.len();
        }
        if digits >= PHONE_DIGITS {
            out[i..=j].fill(true);
        }
        i = j + 1;
    }
}

/// Characters per gram of [`char_grams`]. 3-grams as well cost a third more features
/// and, on dev, 0.3 point of accuracy (0.949 without, 0.946 with them, the same in two
/// corpus versions and two shuffle seeds; BENCHMARKS.md "Char 4-grams only"): the
/// many short 3-grams shared by unrelated words add more noise than the few spellings
/// they join.
const GRAM: usize = 4;

/// The tag of a [`GRAM`]-char gram: its length as a digit (`'4'`, as when 3-grams were
/// tagged `'3'` beside them, so the 4-grams' hashes did not change).
const GRAM_TAG: u8 = b'0' + GRAM as u8;

/// Character 4-grams of `^word$` (a word of one char has none; its word feature stands).
fn char_grams(sink: &mut FeatureSink<'_>, word: &str, buf: &mut Vec<u8>) {
    buf.clear();
    buf.push(b'^');
    buf.extend_from_slice(word.as_bytes());
    buf.push(b'$');
    if buf.is_ascii() {
        // Every byte is a char: the grams are byte windows.
        for w in buf.windows(GRAM) {
            sink.push(tagged(GRAM_TAG).bytes(w));
        }
        return;
    }
    // Char boundaries of the padded word.
    let bounds: Vec<usize> = (0..=buf.len())
        .filter(|&i| i == buf.len() || (buf[i] & 0xC0) != 0x80)
        .collect();
    for w in bounds.windows(GRAM + 1) {
        sink.push(tagged(GRAM_TAG).bytes(&buf[w[0]..w[GRAM]]));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::intent::fold::{default_abbreviations, tokenize};

    fn features(text: &str) -> Vec<u32> {
        let tokens = tokenize(text, &default_abbreviations());
        let mut out = Vec::new();
        extract(
            16,
            text,
            &tokens,
            &[],
            &mut FeatureScratch::default(),
            &mut out,
            None,
        );
        out
    }

    #[test]
    fn spelling_variants_share_features() {
        let a = features("quiero comprar");
        let b = features("kiero comprar");
        let shared = a.iter().filter(|f| b.contains(f)).count();
        assert!(shared * 2 > a.len(), "{shared} of {}", a.len());
        assert!(a.iter().all(|&f| f < 1 << 16));
    }

    #[test]
    fn a_phone_number_is_one_feature_whatever_its_digits() {
        let a = features("precio del plan? mi cel es +52 55 1234 5678");
        let b = features("precio del plan? mi cel es 3001234567");
        assert_eq!(a.len(), b.len());
        // A price keeps its digits.
        let c = features("te doy 80 por los dos");
        let d = features("te doy 90 por los dos");
        assert_ne!(c, d);
    }

    #[test]
    fn any_text_gives_features_without_panicking() {
        for text in ["", "?", "💳💳", "ñandú 😀 $%", "\u{301}a", "a\u{0}b"] {
            assert!(!features(text).is_empty());
        }
    }
}
