//! Tokenizing and folding: how text written in a hurry on a phone is reduced to
//! comparable keys while every token keeps its byte span in the original text.
//!
//! Each word token carries three forms:
//! - `fold`: lowercase, diacritics and compatibility forms removed, apostrophes dropped
//!   ("Cuánto" → "cuanto", "can't" → "cant", "𝐡𝐨𝐥𝐚" → "hola"), after expanding known
//!   abbreviations ("q" → "que", "vc" → "voce");
//! - `key`: a phonetic key of the fold tolerant of the usual misspellings of Spanish
//!   and Portuguese writers ("kiero" = "quiero", "presio" = "precio", "yamar" = "llamar",
//!   "wenas" = "buenas"), with repeated letters squeezed ("holaaa" = "hola");
//! - a kind: word, number-like, emoji or symbol.

use std::collections::HashMap;
use std::ops::Range;

use super::words::Marks;

use unicode_normalization::char::{decompose_compatible, is_combining_mark};

/// What a token is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum TokenKind {
    /// Letters and digits.
    Word,
    /// A pictograph (emoji), without its variation selectors and skin tones.
    Emoji,
    /// `$` or `%`.
    Symbol,
}

/// One token of a message.
#[derive(Debug, Clone)]
pub(crate) struct Token {
    /// Byte offset of the first byte in the original text.
    pub start: usize,
    /// Byte offset one past the last byte in the original text.
    pub end: usize,
    /// Folded form (after abbreviation expansion).
    pub fold: String,
    /// `fold` with repeated chars squeezed ("heyyy" → "hey").
    pub squeezed: String,
    /// Phonetic key.
    pub key: String,
    /// FNV-1a of `key` (compared before the bytes: most comparisons fail).
    pub key_hash: u64,
    /// FNV-1a of `squeezed`.
    pub squeezed_hash: u64,
    /// Number of chars of `key`.
    pub key_len: usize,
    /// Kind of token.
    pub kind: TokenKind,
    /// Index of the clause (punctuation and newlines start a new one).
    pub clause: u32,
    /// Whether `fold` comes from an abbreviation table.
    pub abbrev: bool,
    /// Whether the token is a word of the lexicon (then it is not taken for a typo).
    pub known: bool,
    /// The function-word lists its fold is on (set with `known`).
    pub marks: Marks,
}

/// Abbreviations and chat spellings, written as their folded form → one canonical word.
pub(crate) const ABBREVIATIONS: &[(&str, &str)] = &[
    // Spanish
    ("q", "que"),
    ("k", "que"),
    ("ke", "que"),
    ("qe", "que"),
    ("xq", "porque"),
    ("xk", "porque"),
    ("pq", "porque"),
    ("pk", "porque"),
    ("porq", "porque"),
    ("x", "por"),
    ("d", "de"),
    ("pa", "para"),
    ("pra", "para"),
    ("tb", "tambien"),
    ("tmb", "tambien"),
    ("tbn", "tambien"),
    ("tbm", "tambem"),
    ("xfa", "porfavor"),
    ("xfavor", "porfavor"),
    ("porfa", "porfavor"),
    ("porfis", "porfavor"),
    ("plis", "porfavor"),
    ("pf", "porfavor"),
    ("pfv", "porfavor"),
    ("pfvr", "porfavor"),
    ("cto", "cuanto"),
    ("qto", "cuanto"),
    ("qnto", "cuanto"),
    ("qnt", "cuanto"),
    ("msj", "mensaje"),
    ("msjs", "mensajes"),
    ("mjs", "mensajes"),
    ("dnd", "donde"),
    ("bn", "bien"),
    ("bns", "buenas"),
    ("bnas", "buenas"),
    ("bnos", "buenos"),
    ("grax", "gracias"),
    ("grs", "gracias"),
    ("toy", "estoy"),
    ("ta", "esta"),
    ("sta", "esta"),
    ("nd", "nada"),
    ("tel", "telefono"),
    ("cel", "celular"),
    ("hr", "hora"),
    ("hrs", "horas"),
    ("hs", "horas"),
    ("mñn", "manana"),
    ("mñana", "manana"),
    ("info", "informacion"),
    // Portuguese
    ("vc", "voce"),
    ("vcs", "voces"),
    ("n", "nao"),
    ("ñ", "nao"),
    ("naum", "nao"),
    ("hj", "hoje"),
    ("td", "tudo"),
    ("tds", "todos"),
    ("obg", "obrigado"),
    ("obgd", "obrigado"),
    ("obgda", "obrigada"),
    ("qnd", "quando"),
    ("qdo", "quando"),
    ("blz", "beleza"),
    ("mto", "muito"),
    ("mt", "muito"),
    ("mta", "muita"),
    ("qr", "quero"),
    ("qro", "quero"),
    ("dps", "depois"),
    ("cmg", "comigo"),
    ("vlw", "valeu"),
    ("aki", "aqui"),
    ("msg", "mensagem"),
    ("msgs", "mensagens"),
    ("agr", "agora"),
    ("ngm", "ninguem"),
    // English
    ("u", "you"),
    ("ur", "your"),
    ("r", "are"),
    ("pls", "please"),
    ("plz", "please"),
    ("pleas", "please"),
    ("thx", "thanks"),
    ("thnx", "thanks"),
    ("ty", "thanks"),
    ("tmrw", "tomorrow"),
    ("tmr", "tomorrow"),
    ("tomorow", "tomorrow"),
    ("appt", "appointment"),
    ("b4", "before"),
    ("cuz", "because"),
    ("bc", "because"),
    ("wat", "what"),
    ("wut", "what"),
    ("hw", "how"),
    ("abt", "about"),
    ("msg", "message"),
];

/// A table from folded abbreviation to canonical folded word.
pub(crate) type AbbrevTable =
    HashMap<String, String, std::hash::BuildHasherDefault<crate::fnv::Fnv>>;

/// The default abbreviation table (the first spelling of a duplicate wins).
pub(crate) fn default_abbreviations() -> AbbrevTable {
    let mut table = AbbrevTable::default();
    for (from, to) in ABBREVIATIONS {
        table
            .entry(fold_word(from))
            .or_insert_with(|| fold_word(to));
    }
    table
}

fn is_apostrophe(c: char) -> bool {
    matches!(c, '\'' | '\u{2019}' | '\u{02bc}' | '`' | '\u{00b4}')
}

/// Joiners and modifiers that belong to the emoji before them.
fn is_emoji_modifier(c: char) -> bool {
    matches!(c as u32,
        0xFE0E | 0xFE0F | 0x200D | 0x20E3 | 0x1F3FB..=0x1F3FF | 0xE0020..=0xE007F)
}

/// Pictographs: the emoji blocks and the older symbol blocks people use as emoji.
fn is_pictograph(c: char) -> bool {
    matches!(c as u32,
        0x2190..=0x21FF | 0x2300..=0x23FF | 0x2460..=0x24FF | 0x25A0..=0x27BF
        | 0x2900..=0x297F | 0x2B00..=0x2BFF | 0x3030 | 0x303D | 0x3297 | 0x3299
        | 0x1F000..=0x1FAFF)
}

/// Folds one word: lowercase, compatibility-decomposed, diacritics and apostrophes dropped.
pub(crate) fn fold_word(word: &str) -> String {
    let mut out = String::new();
    fold_word_into(word, &mut out);
    out
}

/// [`fold_word`] into a reused buffer (cleared first).
fn fold_word_into(word: &str, out: &mut String) {
    out.clear();
    if word.is_ascii() {
        // The common case, without the Unicode tables: one copy, lowered in place.
        out.push_str(word);
        out.make_ascii_lowercase();
        if word.bytes().any(|b| b == b'\'' || b == b'`') {
            out.retain(|c| c != '\'' && c != '`');
        }
        return;
    }
    for c in word.chars() {
        if is_apostrophe(c) {
            continue;
        }
        if c.is_ascii() {
            // Most chars of an accented word: what the tables would give.
            if !c.is_whitespace() {
                out.push(c.to_ascii_lowercase());
            }
            continue;
        }
        for lower in c.to_lowercase() {
            decompose_compatible(lower, |d| {
                if !is_combining_mark(d) && !d.is_whitespace() {
                    // Compatibility forms may decompose to uppercase (e.g. math bold capitals).
                    for l in d.to_lowercase() {
                        out.push(l);
                    }
                }
            });
        }
    }
}

/// [`fold_word_into`] and [`squeeze_into`] of an ASCII word in one pass over its bytes
/// (1.6 % of a classification's instructions fewer than the two calls).
fn fold_ascii_into(word: &str, fold: &mut String, squeezed: &mut String) {
    fold.clear();
    squeezed.clear();
    let mut last = None;
    for b in word.bytes().filter(|&b| b != b'\'' && b != b'`') {
        let c = char::from(b.to_ascii_lowercase());
        fold.push(c);
        if last != Some(c) {
            squeezed.push(c);
            last = Some(c);
        }
    }
}

/// Collapses runs of the same char into one, into a reused buffer (cleared first).
fn squeeze_into(s: &str, out: &mut String) {
    out.clear();
    if s.is_ascii() {
        out.reserve(s.len());
        let mut last = None;
        for b in s.bytes() {
            if last != Some(b) {
                out.push(char::from(b));
                last = Some(b);
            }
        }
        return;
    }
    let mut last = None;
    for c in s.chars() {
        if Some(c) != last {
            out.push(c);
        }
        last = Some(c);
    }
}

fn is_vowel(c: Option<char>) -> bool {
    matches!(c, Some('a' | 'e' | 'i' | 'o' | 'u'))
}

/// Number-like tokens share a key: "150" → "#", "12x" → "#x", "3pm" → "#h".
fn number_key(fold: &str) -> Option<&'static str> {
    let digits = fold.bytes().take_while(u8::is_ascii_digit).count();
    if digits == 0 {
        return None;
    }
    match &fold[digits..] {
        "" => Some("#"),
        "x" => Some("#x"),
        "am" | "pm" | "h" | "hs" | "hrs" | "hr" => Some("#h"),
        _ => None,
    }
}

/// The phonetic key of a folded word (see the module documentation), into a reused
/// buffer (cleared first).
fn phonetic_key_into(fold: &str, buf: &mut String) {
    buf.clear();
    if let Some(k) = number_key(fold) {
        buf.push_str(k);
        return;
    }
    if fold.is_ascii() {
        // Every byte is a char: read the bytes, without collecting chars.
        return phonetic_key_of(fold.as_bytes(), buf);
    }
    // Words are short: their chars fit on the stack.
    let mut stack = ['\0'; 32];
    let heap: Vec<char>;
    let chars: &[char] = if fold.chars().count() <= stack.len() {
        let mut n = 0;
        for c in fold.chars() {
            stack[n] = c;
            n += 1;
        }
        &stack[..n]
    } else {
        heap = fold.chars().collect();
        &heap
    };
    phonetic_key_of(chars, buf);
}

/// [`phonetic_key_into`] of a word given as its chars (or its bytes, when ASCII).
fn phonetic_key_of<C: Copy + Into<char>>(chars: &[C], buf: &mut String) {
    let at = |i: usize| chars.get(i).map(|&c| c.into());
    let mut out = Squeezed {
        out: buf,
        last: None,
    };
    let mut i = 0;
    while i < chars.len() {
        let c: char = chars[i].into();
        let next = at(i + 1);
        let after = at(i + 2);
        let prev = i.checked_sub(1).and_then(at);
        match c {
            'b' | 'h' if next == Some('u') && after == Some('e') => {
                // "bueno"/"hueco"/"wenas" all start with the same sound.
                out.push('w');
                i += 2;
                continue;
            }
            'h' => {
                // Silent in Spanish and Portuguese, except in digraphs.
                if matches!(prev, Some('t' | 'p' | 'l' | 'n' | 'w')) {
                    out.push('h');
                }
            }
            'l' if next == Some('l') => {
                out.push('y');
                i += 2;
                continue;
            }
            'q' if next == Some('u') => {
                out.push('k');
                if matches!(after, Some('e' | 'i')) {
                    i += 2;
                    continue;
                }
            }
            'c' => match next {
                Some('e' | 'i' | 'y') => out.push('s'),
                Some('h') => {
                    out.push('x');
                    i += 2;
                    continue;
                }
                _ => out.push('k'),
            },
            's' if next == Some('h') => {
                out.push('x');
                i += 2;
                continue;
            }
            'z' => out.push('s'),
            'm' if matches!(next, Some('b' | 'v' | 'p')) => out.push('n'),
            'v' => out.push('b'),
            'g' if matches!(next, Some('e' | 'i')) => out.push('j'),
            'y' if !is_vowel(next) && i > 0 => out.push('i'),
            _ => out.push(c),
        }
        i += 1;
    }
}

/// A string that never holds the same char twice in a row.
struct Squeezed<'a> {
    /// Empty at first, then only pushed to.
    out: &'a mut String,
    /// The last char pushed (decoding it back from `out` cost as much as the rest).
    last: Option<char>,
}

impl Squeezed<'_> {
    fn push(&mut self, c: char) {
        if self.last != Some(c) {
            self.out.push(c);
            self.last = Some(c);
        }
    }
}

/// Splits text into tokens with spans into the original text, each word read
/// ([`fold_token`]). The classifier's hot path splits into reused buffers instead
/// ([`split_into`]) and reads words through its cache.
pub(crate) fn tokenize(text: &str, abbreviations: &AbbrevTable) -> Vec<Token> {
    let mut tokens = Vec::new();
    split_into(text, &mut tokens, &mut Vec::new());
    for t in tokens.iter_mut().filter(|t| t.kind == TokenKind::Word) {
        fold_token(t, text, abbreviations);
    }
    tokens
}

/// Splits `text` into `tokens` without reading the words: each word token has its
/// span and clause, and its strings, hashes and flags are left as they were until
/// [`fold_token`] (or a copy of an earlier reading of the same word) fills them. The
/// old tokens (and their string buffers) move to `spare` and are refilled: a
/// classifier that keeps both vectors allocates almost nothing per message.
pub(crate) fn split_into(text: &str, tokens: &mut Vec<Token>, spare: &mut Vec<Token>) {
    spare.append(tokens);
    let mut clause = 0u32;
    let mut word_start: Option<usize> = None;
    let mut iter = text.char_indices().peekable();
    while let Some((i, c)) = iter.next() {
        let is_word_char = c.is_alphanumeric() || (word_start.is_some() && is_combining_mark(c));
        if is_word_char {
            word_start.get_or_insert(i);
            continue;
        }
        if is_apostrophe(c) && word_start.is_some() {
            if let Some((_, n)) = iter.peek() {
                if n.is_alphanumeric() {
                    continue;
                }
            }
        }
        if let Some(s) = word_start.take() {
            word_span(push(tokens, spare), s..i, clause);
        }
        let end = i + c.len_utf8();
        if c.is_whitespace() {
            if c == '\n' {
                clause += 1;
            }
        } else if c == '$' || c == '%' {
            simple_token(push(tokens, spare), i..end, c, TokenKind::Symbol, clause);
        } else if is_emoji_modifier(c) {
            if let Some(last) = tokens.last_mut() {
                if last.kind == TokenKind::Emoji && last.end == i {
                    last.end = end;
                }
            }
        } else if is_pictograph(c) {
            simple_token(push(tokens, spare), i..end, c, TokenKind::Emoji, clause);
        } else {
            clause += 1;
        }
    }
    if let Some(s) = word_start {
        word_span(push(tokens, spare), s..text.len(), clause);
    }
}

/// The hash stored beside a token's or a lexicon word's strings.
pub(crate) fn str_hash(s: &str) -> u64 {
    crate::fnv::Fnv::default().bytes(s.as_bytes()).value()
}

impl Token {
    pub(crate) fn blank() -> Token {
        Token {
            start: 0,
            end: 0,
            fold: String::new(),
            squeezed: String::new(),
            key: String::new(),
            key_hash: 0,
            squeezed_hash: 0,
            key_len: 0,
            kind: TokenKind::Word,
            clause: 0,
            abbrev: false,
            known: false,
            marks: Marks::default(),
        }
    }

    /// Whether the token is a number written in digits ("12", "0800").
    pub(crate) fn is_number(&self) -> bool {
        self.kind == TokenKind::Word && self.fold.bytes().all(|b| b.is_ascii_digit())
    }
}

/// A token pushed onto `tokens` to be filled in place: a spare one when there is
/// one, whose strings keep their buffers. (Filling a token and then moving it cost
/// more than filling it: a token is about 130 bytes.)
fn push<'t>(tokens: &'t mut Vec<Token>, spare: &mut Vec<Token>) -> &'t mut Token {
    let at = tokens.len();
    tokens.push(spare.pop().unwrap_or_else(Token::blank));
    &mut tokens[at]
}

fn simple_token(t: &mut Token, span: Range<usize>, c: char, kind: TokenKind, clause: u32) {
    for s in [&mut t.fold, &mut t.squeezed, &mut t.key] {
        s.clear();
        s.push(c);
    }
    let hash = str_hash(&t.key);
    t.start = span.start;
    t.end = span.end;
    t.key_hash = hash;
    t.squeezed_hash = hash;
    t.key_len = 1;
    t.kind = kind;
    t.clause = clause;
    t.abbrev = false;
    t.known = false;
    t.marks = Marks::default();
}

fn word_span(t: &mut Token, span: Range<usize>, clause: u32) {
    t.start = span.start;
    t.end = span.end;
    t.kind = TokenKind::Word;
    t.clause = clause;
}

/// Reads the word of a word token (its span in `text`): fold, squeezed form, key,
/// their hashes and whether an abbreviation gave the fold; `known` and `marks` are
/// cleared for the lexicon to set.
pub(crate) fn fold_token(t: &mut Token, text: &str, abbreviations: &AbbrevTable) {
    let word = &text[t.start..t.end];
    if word.is_ascii() {
        fold_ascii_into(word, &mut t.fold, &mut t.squeezed);
    } else {
        fold_word_into(word, &mut t.fold);
        squeeze_into(&t.fold, &mut t.squeezed);
    }
    let mut abbrev = false;
    // The squeezed form is looked up only when it differs ("holaa" is not "hola").
    if let Some(canonical) = abbreviations
        .get(&t.fold)
        .or_else(|| (t.squeezed != t.fold).then(|| abbreviations.get(&t.squeezed))?)
    {
        if *canonical != t.fold {
            t.fold.clone_from(canonical);
            squeeze_into(&t.fold, &mut t.squeezed);
            abbrev = true;
        }
    }
    phonetic_key_into(&t.fold, &mut t.key);
    t.key_len = t.key.chars().count();
    t.key_hash = str_hash(&t.key);
    t.squeezed_hash = str_hash(&t.squeezed);
    t.abbrev = abbrev;
    t.known = false;
    t.marks = Marks::default();
}

impl Token {
    /// Takes the reading of `other`, a token of the same word (everything but the
    /// span and clause), reusing this token's string buffers.
    pub(crate) fn read_as(&mut self, other: &Token) {
        self.fold.clone_from(&other.fold);
        self.squeezed.clone_from(&other.squeezed);
        self.key.clone_from(&other.key);
        self.key_hash = other.key_hash;
        self.squeezed_hash = other.squeezed_hash;
        self.key_len = other.key_len;
        self.kind = other.kind;
        self.abbrev = other.abbrev;
        self.known = other.known;
        self.marks = other.marks;
    }
}

/// Whether `a` and `b` are at most one edit apart (insertion, deletion,
/// substitution or transposition of adjacent chars).
pub(crate) fn within_one_edit(a: &str, b: &str) -> bool {
    if a.is_ascii() && b.is_ascii() {
        // Every byte is a char: compare the bytes, without collecting chars.
        return one_edit(a.as_bytes(), b.as_bytes());
    }
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    one_edit(&a, &b)
}

fn one_edit<T: PartialEq>(a: &[T], b: &[T]) -> bool {
    let (short, long) = if a.len() <= b.len() { (a, b) } else { (b, a) };
    if long.len() - short.len() > 1 {
        return false;
    }
    let prefix = short
        .iter()
        .zip(long.iter())
        .take_while(|(x, y)| x == y)
        .count();
    if prefix == short.len() {
        return true;
    }
    if short.len() == long.len() {
        // Substitution, or transposition of positions prefix and prefix + 1.
        if short[prefix + 1..] == long[prefix + 1..] {
            return true;
        }
        prefix + 1 < short.len()
            && short[prefix] == long[prefix + 1]
            && short[prefix + 1] == long[prefix]
            && short[prefix + 2..] == long[prefix + 2..]
    } else {
        short[prefix..] == long[prefix + 1..]
    }
}

/// The keys obtained by deleting one char (used to index fuzzy candidates).
pub(crate) fn deletions(key: &str) -> impl Iterator<Item = String> + '_ {
    key.char_indices()
        .map(move |(i, c)| format!("{}{}", &key[..i], &key[i + c.len_utf8()..]))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn keys(text: &str) -> Vec<String> {
        tokenize(text, &default_abbreviations())
            .into_iter()
            .map(|t| t.key)
            .collect()
    }

    #[test]
    fn folds_accents_case_and_styles() {
        assert_eq!(fold_word("CUÁNTO"), "cuanto");
        assert_eq!(fold_word("não"), "nao");
        assert_eq!(fold_word("can't"), "cant");
        assert_eq!(fold_word("𝐡𝐨𝐥𝐚"), "hola");
        assert_eq!(fold_word("ｈｏｌａ"), "hola");
    }

    fn phonetic_key(fold: &str) -> String {
        let mut out = String::new();
        phonetic_key_into(fold, &mut out);
        out
    }

    #[test]
    fn phonetic_keys_merge_common_misspellings() {
        for (a, b) in [
            ("quiero", "kiero"),
            ("precio", "presio"),
            ("llamar", "yamar"),
            ("buenas", "wenas"),
            ("hola", "holaaa"),
            ("cuanto", "quanto"),
            ("hacer", "aser"),
            ("envio", "embio"),
        ] {
            assert_eq!(phonetic_key(a), phonetic_key(b), "{a} vs {b}");
        }
        assert_eq!(phonetic_key("12x"), "#x");
        assert_eq!(phonetic_key("3pm"), "#h");
    }

    #[test]
    fn tokens_keep_original_spans() {
        let text = "Holaaa 👋🏽, ¿cuánto cuesta? q precio $";
        let toks = tokenize(text, &default_abbreviations());
        let spans: Vec<&str> = toks.iter().map(|t| &text[t.start..t.end]).collect();
        assert_eq!(
            spans,
            ["Holaaa", "👋🏽", "cuánto", "cuesta", "q", "precio", "$"]
        );
        assert_eq!(toks[4].fold, "que");
        assert!(toks[4].abbrev);
        assert_eq!(toks[1].kind, TokenKind::Emoji);
        assert_eq!(toks[1].key, "👋");
        assert!(toks[2].clause > toks[0].clause);
        assert_eq!(keys("don't STOP")[0], "dont");
    }

    #[test]
    fn one_edit() {
        assert!(within_one_edit("interesa", "intereza"));
        assert!(within_one_edit("interesa", "intresa"));
        assert!(within_one_edit("interesa", "itneresa"));
        assert!(within_one_edit("abc", "abc"));
        assert!(!within_one_edit("interesa", "intrza"));
        assert!(!within_one_edit("ab", "ba x"));
        assert_eq!(deletions("abc").collect::<Vec<_>>(), ["bc", "ac", "ab"]);
    }
}
