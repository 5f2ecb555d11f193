//! The scope of a phrase: whether a message *uses* a keyword or only mentions it.
//!
//! "BAJA" is a request in `BAJA`, and not in `me llegó un SMS que dice "responda BAJA"`,
//! `qué hace el botón Stop?`, `no quiero darme de baja` or `no es que no me interese,
//! pero…`. Each phrase occurrence gets a set of [`Scope`] flags; the hybrid classifier
//! feeds them to its model as features and lets only an unscoped opt-out phrase count
//! as an explicit opt-out.

use super::fold::Token;
use super::rules::{negated, RuleHit};
use super::words::Marks;

/// Flags describing how a phrase occurs in its message.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(crate) struct Scope(u8);

impl Scope {
    /// A negator precedes it in the same clause ("no quiero darme de baja").
    pub const NEGATED: Scope = Scope(1);
    /// Inside quotation marks.
    pub const QUOTED: Scope = Scope(2);
    /// Named as a word to type or a button to press ("responda BAJA", "botón Stop").
    pub const MENTIONED: Scope = Scope(4);
    /// In a question about a word, button, menu or message ("¿qué significa…?").
    pub const ASKED_ABOUT: Scope = Scope(8);
    /// Inside a "not that …" frame ("no es que no me interese").
    pub const FRAMED: Scope = Scope(16);
    /// A contrast marker ("pero", "but", "mas") follows it.
    pub const CONTRASTED: Scope = Scope(32);

    /// Every flag with the short name used for model features.
    pub const NAMED: [(Scope, &'static str); 6] = [
        (Scope::NEGATED, "neg"),
        (Scope::QUOTED, "quote"),
        (Scope::MENTIONED, "mention"),
        (Scope::ASKED_ABOUT, "ask"),
        (Scope::FRAMED, "frame"),
        (Scope::CONTRASTED, "contrast"),
    ];

    pub fn contains(self, other: Scope) -> bool {
        self.0 & other.0 == other.0
    }

    fn insert(&mut self, other: Scope) {
        self.0 |= other.0;
    }

    /// Whether the phrase is used as a request: no flag that takes it out of use.
    /// A contrast that follows does not ("no me escriban más, pero sí avísenme del
    /// pedido" still asks to stop).
    pub fn is_use(self) -> bool {
        self.0 & !Scope::CONTRASTED.0 == 0
    }
}

/// Opening-and-closing quotation pairs.
const QUOTES: &[(char, char)] = &[
    ('"', '"'),
    ('\u{201c}', '\u{201d}'),
    ('\u{201e}', '\u{201c}'),
    ('\u{ab}', '\u{bb}'),
    ('\u{2018}', '\u{2019}'),
    ('\'', '\''),
    ('*', '*'),
];

/// Flags of one phrase occurrence in `text` (tokenized as `tokens`).
pub(crate) fn scope_of(text: &str, tokens: &[Token], hit: &RuleHit) -> Scope {
    let mut scope = Scope::default();
    if negated(tokens, hit.first) {
        scope.insert(Scope::NEGATED);
    }
    if quoted(text, hit.start, hit.end) {
        scope.insert(Scope::QUOTED);
    }
    let word = |t: &Token, marks: Marks| t.marks.contains(marks);
    if tokens[hit.first.saturating_sub(2)..hit.first]
        .iter()
        .any(|t| word(t, Marks::MENTION))
    {
        scope.insert(Scope::MENTIONED);
    }
    let question = text.contains('?') || tokens.first().is_some_and(|t| word(t, Marks::QUESTION));
    if question && tokens.iter().any(|t| word(t, Marks::META)) {
        scope.insert(Scope::ASKED_ABOUT);
    }
    if framed(tokens, hit.first) {
        scope.insert(Scope::FRAMED);
    }
    if tokens[hit.last + 1..]
        .iter()
        .any(|t| word(t, Marks::CONTRAST))
    {
        scope.insert(Scope::CONTRASTED);
    }
    scope
}

/// "no es que", "not that", "não é que", "nao que" within the four words before.
fn framed(tokens: &[Token], at: usize) -> bool {
    let before = &tokens[at.saturating_sub(4)..at];
    before.windows(2).any(|w| {
        matches!(
            (w[0].fold.as_str(), w[1].fold.as_str()),
            ("es", "que") | ("not", "that") | ("e", "que") | ("nao", "que") | ("isnt", "that")
        )
    })
}

/// Whether `text[start..end]` sits between an opening and a closing quotation mark.
fn quoted(text: &str, start: usize, end: usize) -> bool {
    QUOTES.iter().any(|&(open, close)| {
        let before = &text[..start];
        let after = &text[end..];
        let Some(o) = before.rfind(open) else {
            return false;
        };
        // The opening mark must open: at the start or after a non-word char.
        let opens = before[..o]
            .chars()
            .next_back()
            .is_none_or(|c| !c.is_alphanumeric());
        let between = &before[o + open.len_utf8()..];
        let unbroken = if open == close {
            !between.contains(close)
        } else {
            !between.contains(close) && !between.contains(open)
        };
        opens
            && unbroken
            && after.find(close).is_some_and(|c| {
                // and the closing one close: at the end or before a non-word char.
                after[c + close.len_utf8()..]
                    .chars()
                    .next()
                    .is_none_or(|n| !n.is_alphanumeric())
            })
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::intent::{Intent, RuleClassifier};

    fn opt_out_scope(text: &str) -> Scope {
        let rules = RuleClassifier::new();
        let (tokens, hits) = rules.analyze(text);
        let hit = hits
            .iter()
            .find(|h| h.intent == Intent::OptOut)
            .unwrap_or_else(|| panic!("no opt-out phrase in {text:?}"));
        scope_of(text, &tokens, hit)
    }

    #[test]
    fn plain_requests_are_in_use() {
        for text in [
            "BAJA",
            "no me escriban más",
            "stop texting me",
            "para de me mandar mensagem",
        ] {
            assert!(opt_out_scope(text).is_use(), "{text}");
        }
        assert!(opt_out_scope("no me escriban más, pero avísenme del pedido").is_use());
    }

    #[test]
    fn mentions_questions_and_frames_are_not() {
        let s = opt_out_scope("me llegó un SMS que dice \"responda BAJA\", es de ustedes?");
        assert!(s.contains(Scope::QUOTED) && s.contains(Scope::MENTIONED));
        assert!(opt_out_scope("what does the unsubscribe button do?").contains(Scope::ASKED_ABOUT));
        assert!(
            opt_out_scope("no es que no me interesa, pero ahora no puedo").contains(Scope::FRAMED)
        );
        assert!(!opt_out_scope("the word 'unsubscribe' is in the ad").is_use());
    }

    #[test]
    fn apostrophes_inside_words_do_not_quote() {
        assert!(!quoted("don't stop, it's fine", 6, 10));
        assert!(quoted("dice 'stop' ahí", 6, 10));
    }
}
