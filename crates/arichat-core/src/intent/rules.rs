//! The default classifier: lexicon phrases matched on folded tokens.

use std::collections::HashMap;
use std::hash::BuildHasherDefault;

use super::fold::{
    default_abbreviations, deletions, fold_token, fold_word, split_into, str_hash, tokenize,
    within_one_edit, AbbrevTable, Token, TokenKind,
};
use super::trie::Trie;
use super::word_cache;
use super::words::Marks;
use super::{Classification, Intent, IntentClassifier, IntentMatch, Lexicon, LexiconEntry};
use crate::fnv::Fnv;
use crate::CoreError;

type Map<V> = HashMap<String, V, BuildHasherDefault<Fnv>>;

/// How many tokens before a phrase are searched for a negation.
const NEGATION_WINDOW: usize = 4;

/// Messages (or the clauses a match spans) with at most this many words count as
/// short, for `short_only` phrases.
const SHORT_MESSAGE_WORDS: usize = 4;

/// Words of at least this many chars (phonetic key) tolerate one typo.
const FUZZY_MIN_CHARS: usize = 5;

/// Folded words shorter than this only match literally (no phonetic merge), so
/// "hi" does not match "i".
const PHONETIC_MIN_CHARS: usize = 4;

/// Default minimum confidence for an intent to be chosen as primary.
pub const DEFAULT_MIN_CONFIDENCE: f32 = 0.5;

/// How closely a token matched a lexicon word.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Quality {
    Fuzzy,
    Variant,
    Exact,
}

impl Quality {
    fn factor(self) -> f32 {
        match self {
            Quality::Exact => 1.0,
            Quality::Variant => 0.9,
            Quality::Fuzzy => 0.75,
        }
    }
}

#[derive(Debug, Clone)]
struct Word {
    fold: String,
    squeezed: String,
    key: String,
    key_hash: u64,
    squeezed_hash: u64,
    prefix: bool,
    /// Compare folds only (short words).
    literal: bool,
    /// Compare keys only (`#`, `#x`, `#h`).
    number: bool,
    fuzzy: bool,
}

#[derive(Debug, Clone)]
enum Elem {
    Word(Word),
    Gap(usize),
}

#[derive(Debug, Clone)]
struct Rule {
    intent: Intent,
    elems: Vec<Elem>,
    /// What the token after the first word must look like.
    follow: Follow,
    weight: f32,
    short_only: bool,
    negatable: bool,
    soft: bool,
}

/// A necessary condition on the token after a phrase's first word, checked before
/// the full match: a common first word starts many phrases ("no" starts 112), and
/// nearly all of them fail on the second word — one comparison instead of a match.
#[derive(Debug, Clone, Copy)]
enum Follow {
    /// Anything, or nothing (one word or a gap next).
    Any,
    /// A token whose key hashes to this.
    Key(u64),
    /// A token whose squeezed form hashes to this.
    Squeezed(u64),
    /// A token whose fold starts with the first byte or whose key starts with the
    /// second (a stem).
    Starts { fold: u8, key: u8 },
    /// A token whose key hashes to `key`, or an unknown word whose key is at most one
    /// char longer or shorter than `chars` (a word that tolerates a typo).
    Near { key: u64, chars: usize },
}

impl Follow {
    /// The condition [`match_word`] puts on a token for the element after the first.
    fn of(next: Option<&Elem>) -> Follow {
        let Some(Elem::Word(w)) = next else {
            return Follow::Any;
        };
        if w.number {
            return Follow::Key(w.key_hash);
        }
        if w.prefix {
            // A token's squeezed form starts with its fold's first char, so a short
            // stem (compared with fold or squeezed) needs the fold's first byte too.
            let key = if w.literal {
                w.fold.as_bytes()
            } else {
                w.key.as_bytes()
            };
            return match (w.fold.as_bytes().first(), key.first()) {
                (Some(&fold), Some(&key)) => Follow::Starts { fold, key },
                _ => Follow::Any,
            };
        }
        if w.literal {
            return Follow::Squeezed(w.squeezed_hash);
        }
        if w.fuzzy {
            return Follow::Near {
                key: w.key_hash,
                chars: w.key.chars().count(),
            };
        }
        Follow::Key(w.key_hash)
    }

    /// Whether `token` (the one after the first word, if any) may match.
    fn admits(self, token: Option<&Token>) -> bool {
        match (self, token) {
            (Follow::Any, _) => true,
            (_, None) => false,
            (Follow::Key(h), Some(t)) => t.key_hash == h,
            (Follow::Squeezed(h), Some(t)) => t.squeezed_hash == h,
            (Follow::Starts { fold, key }, Some(t)) => {
                t.fold.as_bytes().first() == Some(&fold) || t.key.as_bytes().first() == Some(&key)
            }
            (Follow::Near { key, chars }, Some(t)) => {
                t.key_hash == key || (may_be_typo(t) && t.key_len.abs_diff(chars) <= 1)
            }
        }
    }
}

/// What the lexicon holds under one string: a word's key, a stem's key or fold, or
/// a function word's fold.
#[derive(Debug, Clone, Default)]
struct WordEntry {
    /// Phrases whose first word has this key.
    starts: Vec<usize>,
    /// Phrases whose first word is this stem (`word*`).
    stem_starts: Vec<usize>,
    /// The key of a lexicon word.
    known: bool,
    /// A stem of a lexicon word.
    known_stem: bool,
    /// The function-word lists this fold is on.
    marks: Marks,
}

/// Buffers [`RuleClassifier::analyze_into`] reuses between messages.
#[derive(Debug, Default)]
pub(crate) struct MatchBuffers {
    /// Tokens of earlier messages, whose strings are refilled.
    spare: Vec<Token>,
    hits: Vec<Hit>,
    candidates: Vec<usize>,
    /// The rules that may start at each token: `starts[spans[i]]` for token `i`,
    /// ascending.
    starts: Vec<usize>,
    spans: Vec<std::ops::Range<usize>>,
    clause_words: Vec<usize>,
    deletion: String,
}

/// A phrase occurrence before filtering.
#[derive(Debug, Clone, Copy)]
struct Hit {
    rule: usize,
    first: usize,
    last: usize,
    start: usize,
    end: usize,
    confidence: f32,
}

/// The built-in rule classifier: lexicon phrases for Spanish, English and
/// Portuguese matched on folded, misspelling-tolerant tokens.
///
/// Every intent found is reported once, with its strongest match; the primary is the
/// highest-precedence intent whose confidence reaches the minimum (0.5 by default).
///
/// ```
/// use arichat_core::intent::{Intent, IntentClassifier, RuleClassifier};
///
/// let classifier = RuleClassifier::new();
/// let c = classifier.classify("Holaaa 👋 q precio tiene el envio a Cali?");
/// assert_eq!(c.primary, Intent::PriceInquiry);
/// assert!(c.has(Intent::Greeting));
///
/// let text = "ya no me interesa, no me escriban más";
/// let c = classifier.classify(text);
/// assert_eq!(c.primary, Intent::OptOut);
/// let m = &c.intents[0];
/// assert_eq!(&text[m.start..m.end], m.evidence);
///
/// assert_eq!(classifier.classify("no es caro").primary, Intent::Other);
/// ```
#[derive(Debug, Clone)]
pub struct RuleClassifier {
    rules: Vec<Rule>,
    abbreviations: AbbrevTable,
    /// Keys, folds and stems of the lexicon words, and the function words (folds)
    /// with their marks.
    words: Trie<WordEntry>,
    fuzzy: Map<Vec<usize>>,
    min_confidence: f32,
    /// Names this lexicon's answers in the thread's [`word_cache`].
    owner: u64,
}

impl Default for RuleClassifier {
    fn default() -> Self {
        RuleClassifier::new()
    }
}

impl RuleClassifier {
    /// The classifier with the built-in lexicon.
    pub fn new() -> Self {
        // The built-in lexicon is checked by a unit test; an invalid entry is skipped.
        let mut builder = RuleClassifier::builder();
        builder.skip_invalid = true;
        builder
            .build()
            .unwrap_or_else(|_| RuleClassifier::empty(DEFAULT_MIN_CONFIDENCE))
    }

    /// A builder to add tenant phrases and abbreviations, or start from an empty lexicon.
    ///
    /// ```
    /// use arichat_core::intent::{Intent, IntentClassifier, Lexicon, RuleClassifier};
    ///
    /// let extra = Lexicon::from_json(
    ///     r#"{"entries": [{"intent": "purchase_intent", "phrase": "me lo empacas"}]}"#,
    /// ).unwrap();
    /// let classifier = RuleClassifier::builder()
    ///     .lexicon(extra)
    ///     .phrase(Intent::Scheduling, "cuando me atienden")
    ///     .abbreviation("mpk", "me lo empacas")
    ///     .build()
    ///     .unwrap();
    /// assert_eq!(classifier.classify("me lo empacás porfa").primary, Intent::PurchaseIntent);
    /// assert_eq!(classifier.classify("kuando me atienden??").primary, Intent::Scheduling);
    /// ```
    pub fn builder() -> RuleClassifierBuilder {
        RuleClassifierBuilder {
            lexicon: Lexicon::default(),
            builtin: true,
            min_confidence: DEFAULT_MIN_CONFIDENCE,
            skip_invalid: false,
        }
    }

    fn empty(min_confidence: f32) -> Self {
        let mut words: Trie<WordEntry> = Trie::default();
        for (word, marks) in Marks::marked() {
            words.entry(word).marks = marks;
        }
        RuleClassifier {
            rules: Vec::new(),
            abbreviations: default_abbreviations(),
            words,
            fuzzy: Map::default(),
            min_confidence,
            owner: word_cache::next_owner(),
        }
    }

    /// Number of compiled phrases.
    pub fn len(&self) -> usize {
        self.rules.len()
    }

    /// Whether the classifier has no phrase at all.
    pub fn is_empty(&self) -> bool {
        self.rules.is_empty()
    }

    fn add(&mut self, entry: &LexiconEntry) -> Result<(), CoreError> {
        let invalid = |reason: &str| CoreError::InvalidLexicon {
            reason: format!("{} phrase {:?}: {reason}", entry.intent, entry.phrase),
        };
        let weight = entry.weight;
        if let Some(w) = weight {
            if !(w > 0.0 && w <= 1.0) {
                return Err(invalid("weight must be in (0, 1]"));
            }
        }
        let mut elems = Vec::new();
        for piece in entry.phrase.split_whitespace() {
            if piece == "..." {
                if !matches!(elems.last(), Some(Elem::Word(_))) {
                    return Err(invalid("`...` must follow a word"));
                }
                elems.push(Elem::Gap(3));
                continue;
            }
            if matches!(piece, "#" | "#x" | "#h") {
                elems.push(Elem::Word(Word {
                    fold: piece.to_owned(),
                    squeezed: piece.to_owned(),
                    key: piece.to_owned(),
                    key_hash: str_hash(piece),
                    squeezed_hash: str_hash(piece),
                    prefix: false,
                    literal: false,
                    number: true,
                    fuzzy: false,
                }));
                continue;
            }
            let (body, prefix) = match piece.strip_suffix('*') {
                Some(b) => (b, true),
                None => (piece, false),
            };
            let tokens = tokenize(body, &self.abbreviations);
            let count = tokens.len();
            for (i, t) in tokens.into_iter().enumerate() {
                let fold_chars = t.fold.chars().count();
                let is_word = t.kind == TokenKind::Word;
                let prefix = prefix && i + 1 == count;
                elems.push(Elem::Word(Word {
                    literal: is_word && fold_chars < PHONETIC_MIN_CHARS,
                    // Bare keywords ("pare", "stop") must be written right.
                    fuzzy: is_word && !prefix && !entry.short_only && t.key_len >= FUZZY_MIN_CHARS,
                    fold: t.fold,
                    squeezed: t.squeezed,
                    key: t.key,
                    key_hash: t.key_hash,
                    squeezed_hash: t.squeezed_hash,
                    prefix,
                    number: false,
                }));
            }
        }
        match (elems.first(), elems.last()) {
            (None, _) => return Err(invalid("no word to match")),
            (_, Some(Elem::Gap(_))) => return Err(invalid("`...` must be followed by a word")),
            _ => {}
        }
        let words = elems.iter().filter(|e| matches!(e, Elem::Word(_))).count();
        let symbolic = matches!(&elems[0], Elem::Word(w) if !w.fold.chars().any(char::is_alphanumeric) && !w.number);
        let default_weight = if entry.short_only || words > 1 {
            0.9
        } else if symbolic {
            0.6
        } else {
            0.75
        };
        for elem in &elems {
            if let Elem::Word(w) = elem {
                if w.prefix {
                    self.words.entry(&w.key).known_stem = true;
                    self.words.entry(&w.fold).known_stem = true;
                } else {
                    self.words.entry(&w.key).known = true;
                }
            }
        }
        let index = self.rules.len();
        if let Some(Elem::Word(first)) = elems.first() {
            if first.prefix {
                // Phonetic keys are unstable at the cut ("saqu" vs "saquen"), so the
                // folded stem is indexed too.
                self.words.entry(&first.key).stem_starts.push(index);
                if first.fold != first.key {
                    self.words.entry(&first.fold).stem_starts.push(index);
                }
            } else {
                self.words.entry(&first.key).starts.push(index);
                if first.fuzzy {
                    for d in deletions(&first.key) {
                        self.fuzzy.entry(d).or_default().push(index);
                    }
                    self.fuzzy.entry(first.key.clone()).or_default().push(index);
                }
            }
        }
        self.rules.push(Rule {
            intent: entry.intent,
            follow: Follow::of(elems.get(1)),
            elems,
            weight: weight.unwrap_or(default_weight),
            short_only: entry.short_only,
            negatable: entry.is_negatable(),
            soft: entry.soft,
        });
        Ok(())
    }

    /// Appends the rules whose first word may match `token` (unsorted, perhaps
    /// twice) to `out`, and sets the token's marks (a word's) and whether it is
    /// spelled as a lexicon word or starts with a lexicon stem: such a token is never
    /// read as a typo of another word ("price" is not "pricey"), so only other tokens
    /// look for fuzzy matches (each key with one char deleted is written into
    /// `deletion`).
    fn look_up(&self, token: &mut Token, out: &mut Vec<usize>, deletion: &mut String) {
        let mut known = false;
        let mut marks = Marks::default();
        // Most nodes of a walk only lead on to longer words: nothing to append.
        let mut append = |rules: &[usize]| {
            if !rules.is_empty() {
                out.extend_from_slice(rules);
            }
        };
        for (n, entry) in self.words.prefixes(&token.key) {
            if n > 0 {
                append(&entry.stem_starts);
                known |= entry.known_stem;
            }
            if n == token.key.len() {
                append(&entry.starts);
                known |= entry.known;
                marks = entry.marks;
            }
        }
        // The key's walk has visited the fold's stems (and its end) when they are the
        // same string.
        if token.fold != token.key {
            marks = Marks::default();
            for (n, entry) in self.words.prefixes(&token.fold).skip(1) {
                append(&entry.stem_starts);
                known |= entry.known_stem;
                if n == token.fold.len() {
                    marks = entry.marks;
                }
            }
        }
        token.known = known;
        if token.kind == TokenKind::Word {
            token.marks = marks;
        }
        if token.kind == TokenKind::Word && !known && token.key_len + 1 >= FUZZY_MIN_CHARS {
            if let Some(v) = self.fuzzy.get(&token.key) {
                out.extend_from_slice(v);
            }
            let d = deletion;
            for (i, c) in token.key.char_indices() {
                d.clear();
                d.push_str(&token.key[..i]);
                d.push_str(&token.key[i + c.len_utf8()..]);
                if let Some(v) = self.fuzzy.get(d.as_str()) {
                    out.extend_from_slice(v);
                }
            }
        }
    }

    /// Tokenizes `text` and finds every phrase occurrence that survives the overlap
    /// rules (several per intent possible), for the hybrid classifier's scope
    /// analysis and features.
    pub(crate) fn analyze(&self, text: &str) -> (Vec<Token>, Vec<RuleHit>) {
        let (mut tokens, mut hits) = (Vec::new(), Vec::new());
        self.analyze_into(text, &mut tokens, &mut MatchBuffers::default(), &mut hits);
        (tokens, hits)
    }

    /// [`analyze`](Self::analyze) into reused buffers (see [`split_into`]).
    pub(crate) fn analyze_into(
        &self,
        text: &str,
        tokens: &mut Vec<Token>,
        buffers: &mut MatchBuffers,
        out: &mut Vec<RuleHit>,
    ) {
        split_into(text, tokens, &mut buffers.spare);
        buffers.starts.clear();
        buffers.spans.clear();
        word_cache::with(|cache| {
            for t in tokens.iter_mut() {
                let from = buffers.starts.len();
                let word = (t.kind == TokenKind::Word).then(|| &text[t.start..t.end]);
                let hash = word.map_or(0, str_hash);
                if let Some(word) = word {
                    if let Some((read, rules)) = cache.get(self.owner, hash, word) {
                        t.read_as(read);
                        buffers.starts.extend_from_slice(rules);
                        buffers.spans.push(from..buffers.starts.len());
                        continue;
                    }
                    fold_token(t, text, &self.abbreviations);
                }
                let cands = &mut buffers.candidates;
                cands.clear();
                self.look_up(t, cands, &mut buffers.deletion);
                cands.sort_unstable();
                cands.dedup();
                if let Some(word) = word {
                    cache.put(self.owner, hash, word, t, cands);
                }
                buffers.starts.extend_from_slice(cands);
                buffers.spans.push(from..buffers.starts.len());
            }
        });
        self.find_hits(tokens, buffers);
        out.clear();
        out.extend(self.kept(&buffers.hits).map(|h| RuleHit {
            intent: self.rules[h.rule].intent,
            first: h.first,
            last: h.last,
            start: h.start,
            end: h.end,
            confidence: h.confidence,
            soft: self.rules[h.rule].soft,
        }));
    }

    /// Every intent found in `text`, without the choice of a primary.
    fn matches(&self, text: &str) -> Vec<IntentMatch> {
        let (_, hits) = self.analyze(text);
        best_per_intent(text, &hits)
    }

    /// Every phrase occurrence in `tokens`, into `buffers.hits`.
    fn find_hits(&self, tokens: &[Token], buffers: &mut MatchBuffers) {
        let words = tokens.iter().filter(|t| t.kind == TokenKind::Word).count();
        // Words per clause, for keywords standing alone in a longer message ("... STOP").
        let clauses = tokens.last().map_or(0, |t| t.clause as usize + 1);
        let MatchBuffers {
            hits,
            starts,
            spans,
            clause_words,
            ..
        } = buffers;
        clause_words.clear();
        clause_words.resize(clauses, 0);
        for t in tokens.iter().filter(|t| t.kind == TokenKind::Word) {
            clause_words[t.clause as usize] += 1;
        }
        let short = |first: &Token, last: &Token| {
            words <= SHORT_MESSAGE_WORDS
                || clause_words[first.clause as usize..=last.clause as usize]
                    .iter()
                    .sum::<usize>()
                    <= SHORT_MESSAGE_WORDS
        };
        hits.clear();
        for (i, token) in tokens.iter().enumerate() {
            let next = tokens.get(i + 1);
            for &r in &starts[spans[i].clone()] {
                let rule = &self.rules[r];
                if !rule.follow.admits(next) {
                    continue;
                }
                let Some((next, quality)) = match_elems(&rule.elems, tokens, i, Quality::Exact)
                else {
                    continue;
                };
                if rule.short_only && !short(token, &tokens[next - 1]) {
                    continue;
                }
                if rule.negatable && negated(tokens, i) {
                    continue;
                }
                let last = next - 1;
                hits.push(Hit {
                    rule: r,
                    first: i,
                    last,
                    start: token.start,
                    end: tokens[last].end,
                    confidence: (rule.weight * quality.factor()).clamp(0.0, 1.0),
                });
            }
        }
    }

    /// The hits no other hit hides: a longer phrase of another intent hides the
    /// phrases it contains ("no me interesa" hides "me interesa", "stop by" hides
    /// "stop"). A neutral phrase hides every phrase it overlaps ("cuánto tarda el
    /// envío"), and so does any phrase for a bare keyword ("ahorita no, gracias" is
    /// not "no gracias").
    fn kept<'h>(&'h self, hits: &'h [Hit]) -> impl Iterator<Item = &'h Hit> + 'h {
        let intent_of = |h: &Hit| self.rules[h.rule].intent;
        hits.iter().filter(move |h| {
            !hits.iter().any(|g| {
                let other = intent_of(g);
                let overlap = g.first <= h.last && h.first <= g.last;
                other != intent_of(h)
                    && if other == Intent::Other
                        || (self.rules[h.rule].short_only && !self.rules[g.rule].short_only)
                    {
                        overlap
                    } else {
                        g.first <= h.first
                            && h.last <= g.last
                            && g.last - g.first > h.last - h.first
                    }
            })
        })
    }
}

/// A lexicon phrase found in a message: its intent, token range and byte span.
#[derive(Debug, Clone, Copy)]
pub(crate) struct RuleHit {
    pub intent: Intent,
    pub first: usize,
    pub last: usize,
    pub start: usize,
    pub end: usize,
    pub confidence: f32,
    /// From a [soft](super::LexiconEntry::soft) entry.
    pub soft: bool,
}

/// The strongest hit of each intent (never `other`), highest precedence first.
pub(crate) fn best_per_intent(text: &str, hits: &[RuleHit]) -> Vec<IntentMatch> {
    let mut best: Vec<&RuleHit> = Vec::new();
    for h in hits.iter().filter(|h| h.intent != Intent::Other) {
        match best.iter_mut().find(|b| b.intent == h.intent) {
            Some(b) => {
                if h.confidence > b.confidence {
                    *b = h;
                }
            }
            None => best.push(h),
        }
    }
    let mut out: Vec<IntentMatch> = best
        .into_iter()
        .map(|h| IntentMatch {
            intent: h.intent,
            confidence: h.confidence,
            start: h.start,
            end: h.end,
            evidence: text[h.start..h.end].to_owned(),
        })
        .collect();
    super::sort_by_precedence(&mut out);
    out
}

impl IntentClassifier for RuleClassifier {
    fn classify(&self, text: &str) -> Classification {
        Classification::from_matches(self.matches(text), self.min_confidence)
    }
}

/// Matches `elems` against `tokens` from `at`; returns the index after the last
/// matched token and the worst word quality.
fn match_elems(
    elems: &[Elem],
    tokens: &[Token],
    at: usize,
    quality: Quality,
) -> Option<(usize, Quality)> {
    let Some((elem, rest)) = elems.split_first() else {
        return Some((at, quality));
    };
    match elem {
        Elem::Word(w) => {
            let q = match_word(w, tokens.get(at)?)?;
            match_elems(rest, tokens, at + 1, quality.min(q))
        }
        // A gap stays in the clause of the word before it: "stop ... call*" reads
        // "stop the sales calls", not "could you please stop by? I'll call you".
        Elem::Gap(max) => {
            let clause = at
                .checked_sub(1)
                .and_then(|b| tokens.get(b))
                .map(|t| t.clause);
            (0..=*max)
                .take_while(|skip| {
                    tokens
                        .get(at + skip)
                        .is_some_and(|t| clause.is_none_or(|c| t.clause == c))
                })
                .find_map(|skip| match_elems(rest, tokens, at + skip, quality))
        }
    }
}

fn match_word(w: &Word, t: &Token) -> Option<Quality> {
    let variant_or_exact = |exact: bool| {
        if exact && !t.abbrev {
            Quality::Exact
        } else {
            Quality::Variant
        }
    };
    if w.number {
        return (t.key_hash == w.key_hash && t.key == w.key).then_some(Quality::Exact);
    }
    if w.prefix {
        let fold_ok = starts_with(&t.fold, &w.fold);
        if w.literal {
            // Short stems compare spellings, never keys: "fee*" must not match "feriado".
            return (fold_ok || starts_with(&t.squeezed, &w.fold))
                .then(|| variant_or_exact(fold_ok));
        }
        return (fold_ok || starts_with(&t.key, &w.key)).then(|| variant_or_exact(fold_ok));
    }
    if w.literal {
        return (t.squeezed_hash == w.squeezed_hash && t.squeezed == w.squeezed)
            .then(|| variant_or_exact(t.fold == w.fold));
    }
    if t.key_hash == w.key_hash && t.key == w.key {
        return Some(variant_or_exact(t.fold == w.fold));
    }
    (w.fuzzy && may_be_typo(t) && within_one_edit(&t.key, &w.key) && !inflected(&t.fold, &w.fold))
        .then_some(Quality::Fuzzy)
}

/// Whether a token may be a typo of a lexicon word: an unknown word long enough.
fn may_be_typo(t: &Token) -> bool {
    !t.known && t.kind == TokenKind::Word && t.key_len + 1 >= FUZZY_MIN_CHARS
}

/// Whether `token` is `word` with an inflection's last letter added ("unsubscribed",
/// "removed", "stops", "cancelan"): another form of the word — a report or a plural,
/// not a typo of the request.
fn inflected(token: &str, word: &str) -> bool {
    token.len() == word.len() + 1
        && token.starts_with(word)
        && matches!(token.as_bytes()[word.len()], b'd' | b's' | b'n')
}

/// `s.starts_with(prefix)`, rejecting on the first byte before calling `memcmp`
/// (most words tried against a stem fail there).
fn starts_with(s: &str, prefix: &str) -> bool {
    s.as_bytes().first() == prefix.as_bytes().first() && s.starts_with(prefix)
}

/// Whether a negator stands within [`NEGATION_WINDOW`] words before `at` in its clause,
/// unless a refusal of interest closes right before `at`: in "not interested stop
/// texting" or "no me interesa dejen de escribir" the "not" is the refusal's, and the
/// stop after it is a request of its own ("not interested in stopping" keeps it: "in"
/// stands between).
pub(crate) fn negated(tokens: &[Token], at: usize) -> bool {
    let clause = tokens[at].clause;
    let from = at.saturating_sub(NEGATION_WINDOW);
    let Some(last) = (from..at)
        .rev()
        .find(|&i| tokens[i].clause == clause && tokens[i].marks.contains(Marks::NEGATOR))
    else {
        return false;
    };
    let interest_closes = at > last + 1 && tokens[at - 1].fold.starts_with("interes");
    !interest_closes
        || tokens[from..last]
            .iter()
            .any(|t| t.clause == clause && t.marks.contains(Marks::NEGATOR))
}

/// Builds a [`RuleClassifier`]; see [`RuleClassifier::builder`].
#[derive(Debug, Clone)]
pub struct RuleClassifierBuilder {
    lexicon: Lexicon,
    builtin: bool,
    min_confidence: f32,
    skip_invalid: bool,
}

impl RuleClassifierBuilder {
    /// Adds every entry and abbreviation of `lexicon`.
    pub fn lexicon(mut self, lexicon: Lexicon) -> Self {
        self.lexicon.extend(lexicon);
        self
    }

    /// Adds one entry.
    pub fn entry(mut self, entry: LexiconEntry) -> Self {
        self.lexicon.entries.push(entry);
        self
    }

    /// Adds one phrase with default weight and flags.
    pub fn phrase(self, intent: Intent, phrase: impl Into<String>) -> Self {
        self.entry(LexiconEntry::new(intent, phrase))
    }

    /// Adds a spelling that stands for one canonical word or phrase's first word,
    /// such as `("xfa", "por favor")`: the canonical form is folded and its spaces removed.
    pub fn abbreviation(mut self, from: impl Into<String>, to: impl Into<String>) -> Self {
        self.lexicon.abbreviations.insert(from.into(), to.into());
        self
    }

    /// Starts from an empty lexicon instead of the built-in one.
    pub fn without_builtin(mut self) -> Self {
        self.builtin = false;
        self
    }

    /// Minimum confidence for an intent to be chosen as primary (default 0.5).
    /// Intents below it are still reported.
    pub fn min_confidence(mut self, min: f32) -> Self {
        self.min_confidence = min;
        self
    }

    /// Compiles the lexicon.
    ///
    /// # Errors
    /// [`CoreError::InvalidLexicon`] for an empty phrase, a misplaced `...`, a weight
    /// outside (0, 1], an empty abbreviation or a minimum confidence outside [0, 1].
    pub fn build(self) -> Result<RuleClassifier, CoreError> {
        if !(0.0..=1.0).contains(&self.min_confidence) {
            return Err(CoreError::InvalidLexicon {
                reason: format!("min_confidence {} is outside [0, 1]", self.min_confidence),
            });
        }
        let mut classifier = RuleClassifier::empty(self.min_confidence);
        for (from, to) in &self.lexicon.abbreviations {
            let (from, to) = (fold_word(from), fold_word(to));
            if from.is_empty() || to.is_empty() {
                return Err(CoreError::InvalidLexicon {
                    reason: format!("abbreviation {from:?} → {to:?} has an empty side"),
                });
            }
            classifier.abbreviations.insert(from, to);
        }
        let builtin = if self.builtin {
            Lexicon::builtin().entries
        } else {
            Vec::new()
        };
        for entry in builtin.iter().chain(&self.lexicon.entries) {
            match classifier.add(entry) {
                Ok(()) => {}
                Err(_) if self.skip_invalid => {}
                Err(e) => return Err(e),
            }
        }
        // Words read by the classifier while it was being built (none today) must not
        // answer for the finished one.
        classifier.owner = word_cache::next_owner();
        Ok(classifier)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn primary(text: &str) -> Intent {
        RuleClassifier::new().classify(text).primary
    }

    /// Asserts that the lexicon alone reads each text as an opt-out.
    fn all_stops(texts: &[&str]) {
        for text in texts {
            assert_eq!(primary(text), Intent::OptOut, "{text}");
        }
    }

    #[test]
    fn builtin_lexicon_compiles_without_errors() {
        let c = RuleClassifier::builder().build().unwrap();
        assert_eq!(c.len(), Lexicon::builtin().entries.len());
    }

    #[test]
    fn opt_out_phrases() {
        all_stops(&[
            "no me interesa",
            "No me interesa gracias",
            "NO ME ESCRIBAN MÁS",
            "stop",
            "STOP",
            "unsubscribe",
            "pare",
            "não quero mais",
            "me saquen de la lista por favor",
            "dejen de llamarme",
            "nao tenho interesse obg",
            "please stop texting me",
            "ya no me interezaaa",
            "saquenme de su lista de difusion",
            "remove me from this list",
            "dejen de marcarme, ya compré carro en otro lado",
        ]);
    }

    #[test]
    fn a_subscription_to_messages_is_a_stop() {
        // Cancelling a subscription *to messages* stops them, in each language.
        all_stops(&[
            "cancel my subscription to your newsletter",
            "how do I cancel the subscription to the promo emails?",
            "como cancelo la suscripción a las promociones?",
            "quero cancelar a assinatura das mensagens",
        ]);
        // The bare keyword stays a stop for the lexicon; whether "quero cancelar" names
        // what it cancels is scope's to say (`wants_to_cancel_unnamed`).
        all_stops(&[
            "cancelar",
            "quero cancelar as mensagens",
            "want to cancel texts",
        ]);
    }

    #[test]
    fn stop_before_what_is_sent_a_few_words_apart_is_a_stop() {
        all_stops(&[
            "First thing, please stop the sales calls to my cell; second, the invoice is wrong",
            "could you stop all these promo texts, five a day is a lot",
            "pls stop your daily offers on whatsapp, I have enough mate",
            "can you stop the weekly marketing from the Leeds branch please",
        ]);
    }

    #[test]
    fn keep_on_writing_refused_and_whatsapps_not_received_are_stops() {
        all_stops(&[
            "qué pena con usted pero no me sigan escribiendo, ya compré en otro lado",
            "no me siga mandando cosas de la universidad porfa",
            "cómo hago para dejar de recibir sus whatsapp con ofertas?",
            "como faço pra parar de receber esses whatsapp todo dia",
            "how do I stop getting these whatsapps from the branch",
        ]);
    }

    #[test]
    fn a_refusal_of_interest_keeps_its_negator() {
        // The "not" of "not interested" does not negate the stop right after it
        // (scope's `a_stop_right_after_a_refusal_of_interest_is_a_request` checks the
        // request); with a word between, or another negator, the stop is still negated.
        let c = RuleClassifier::new();
        for (text, word) in [
            ("not interested in stopping the texts", "stopping"),
            ("no me interesa y no dejen de escribir", "dejen"),
        ] {
            let tokens = c.analyze(text).0;
            let at = tokens.iter().position(|t| t.fold == word).unwrap();
            assert!(negated(&tokens, at), "{text}");
        }
        let tokens = c.analyze("not interested stop texting").0;
        assert!(!negated(&tokens, 2));
    }

    #[test]
    fn a_gap_does_not_cross_a_clause() {
        // "stop ... call*" would read "stop by ... call" across the question mark.
        for text in [
            "could you please stop by? I'll call you when close",
            "we should probably stop soon. Texts from the driver say 20 min",
        ] {
            assert_ne!(primary(text), Intent::OptOut, "{text}");
        }
        // Inside one clause the gap still reads.
        all_stops(&["saquen mi número de la lista"]);
    }

    #[test]
    fn a_plural_imperative_alone_is_a_stop() {
        all_stops(&["parem", "paren", "ya puse BAJA y me siguen llegando. paren"]);
    }

    #[test]
    fn an_authorization_withdrawn_for_marketing_is_a_stop() {
        all_stops(&[
            "Estimados: I revoke my authorization for advertising purposes",
            "revoco mi autorización para fines de publicidad",
            "revogo minha autorização para envio de publicidade",
            "you can leave me out of the offers from now on",
        ]);
        // An authorization for something else (a debit, a card) is an account matter.
        assert_ne!(
            primary("I revoke my authorization for the automatic debit"),
            Intent::OptOut
        );
    }

    #[test]
    fn negation_and_neutral_phrases() {
        assert_eq!(primary("no es caro"), Intent::Other);
        assert_eq!(primary("está muy caro"), Intent::Objection);
        assert_eq!(primary("no quiero comprar nada ahora"), Intent::OptOut);
        assert_eq!(primary("cuánto tarda el envío?"), Intent::Other);
        assert_eq!(primary("can I stop by tomorrow?"), Intent::Scheduling);
        assert_eq!(primary("no problem, thanks"), Intent::Other);
    }

    #[test]
    fn abbreviations_emoji_and_misspellings() {
        assert_eq!(primary("holaaaa 👋"), Intent::Greeting);
        assert_eq!(primary("👋"), Intent::Greeting);
        assert_eq!(primary("q precio?"), Intent::PriceInquiry);
        assert_eq!(primary("kiero comprar 2"), Intent::PurchaseIntent);
        assert_eq!(primary("vc faz desconto?"), Intent::Negotiation);
        assert_eq!(primary("xq no me llega mi pedido??"), Intent::Support);
        assert_eq!(primary("quanto custa o frete pra SP"), Intent::PriceInquiry);
        assert_eq!(primary("parcela em 12x?"), Intent::Negotiation);
    }

    #[test]
    fn reports_every_intent_with_spans() {
        let text = "Hola! cuánto cuesta? me lo dejas en 50?";
        let c = RuleClassifier::new().classify(text);
        assert_eq!(c.primary, Intent::Negotiation);
        let found: Vec<Intent> = c.intents.iter().map(|m| m.intent).collect();
        assert_eq!(
            found,
            [Intent::Negotiation, Intent::PriceInquiry, Intent::Greeting]
        );
        for m in &c.intents {
            assert_eq!(&text[m.start..m.end], m.evidence);
            assert!(m.confidence > 0.0 && m.confidence <= 1.0);
        }
        assert_eq!(c.intents[1].evidence, "cuánto cuesta");
    }

    #[test]
    fn inflections_are_not_typos() {
        // One letter from "unsubscribe" / "remove", but a past tense: a report.
        assert_ne!(primary("I unsubscribed by mistake"), Intent::OptOut);
        assert_ne!(primary("I removed it from the cart"), Intent::OptOut);
        // A typo still matches.
        assert_eq!(primary("unsubscrbe"), Intent::OptOut);
    }

    #[test]
    fn exact_beats_fuzzy_confidence() {
        let c = RuleClassifier::new();
        let exact = c.classify("reembolso").intents[0].confidence;
        let fuzzy = c.classify("reembloso").intents[0].confidence;
        assert!(exact > fuzzy, "{exact} vs {fuzzy}");
    }

    #[test]
    fn remembered_words_read_as_fresh_ones() {
        let c = RuleClassifier::new();
        let texts = [
            "Holaaa q precio tiene el envío??",
            "no me interesa, BAJA por favor",
            "kiero comprar 2 pq me gusto 😀",
            "ÑANDÚ $ 50% xq no me contestan",
            "unsubscribeee me pls, reembloso",
            "supercalifragilisticexpialidocious-and-more words here",
        ];
        let mut buffers = MatchBuffers::default();
        let (mut tokens, mut hits) = (Vec::new(), Vec::new());
        // The first pass reads most words, the second finds them all remembered.
        for pass in 0..2 {
            for text in texts {
                c.analyze_into(text, &mut tokens, &mut buffers, &mut hits);
                let fresh = tokenize(text, &c.abbreviations);
                assert_eq!(tokens.len(), fresh.len());
                for (i, (got, mut want)) in tokens.iter().zip(fresh).enumerate() {
                    let mut rules = Vec::new();
                    c.look_up(&mut want, &mut rules, &mut String::new());
                    rules.sort_unstable();
                    rules.dedup();
                    assert_eq!(
                        format!("{got:?}"),
                        format!("{want:?}"),
                        "{text:?}, pass {pass}"
                    );
                    assert_eq!(buffers.starts[buffers.spans[i].clone()], rules[..]);
                }
            }
        }
    }

    #[test]
    fn a_word_remembered_for_one_lexicon_never_answers_for_another() {
        let tenant = RuleClassifier::builder()
            .phrase(Intent::PurchaseIntent, "zorblat")
            .build()
            .unwrap();
        let builtin = RuleClassifier::new();
        for _ in 0..2 {
            assert_eq!(tenant.classify("zorblat").primary, Intent::PurchaseIntent);
            assert_eq!(builtin.classify("zorblat").primary, Intent::Other);
        }
    }

    #[test]
    fn builder_validates() {
        let bad = |e: LexiconEntry| {
            RuleClassifier::builder()
                .entry(e)
                .build()
                .unwrap_err()
                .code()
        };
        assert_eq!(
            bad(LexiconEntry::new(Intent::Other, "  ")),
            "invalid_lexicon"
        );
        assert_eq!(
            bad(LexiconEntry::new(Intent::Other, "... hola")),
            "invalid_lexicon"
        );
        assert_eq!(
            bad(LexiconEntry::new(Intent::Other, "hola ...")),
            "invalid_lexicon"
        );
        let mut e = LexiconEntry::new(Intent::Other, "hola");
        e.weight = Some(1.5);
        assert_eq!(bad(e), "invalid_lexicon");
        assert!(RuleClassifier::builder()
            .min_confidence(2.0)
            .build()
            .is_err());
        let empty = RuleClassifier::builder().without_builtin().build().unwrap();
        assert!(empty.is_empty());
        assert_eq!(empty.classify("stop").primary, Intent::Other);
    }
}
