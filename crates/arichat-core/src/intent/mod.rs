//! Intent classification of inbound messages.
//!
//! [`Intent`] is the closed set of things a client can mean in a sales
//! conversation. A classifier ([`IntentClassifier`]) returns every intent found in a
//! message, each with a confidence and the evidence span, and a primary chosen by
//! [`Intent::precedence`]. [`RuleClassifier`] is the built-in implementation for
//! Spanish, English and Portuguese as clients in Latin America write them; a host
//! can put its own model or an LLM behind the same trait.
//!
//! ```
//! use arichat_core::intent::{Classification, Intent, IntentClassifier, IntentMatch, RuleClassifier};
//!
//! let rules = RuleClassifier::new();
//! let c = rules.classify("oi, vcs parcelam em 10x? 🙏");
//! assert_eq!(c.primary, Intent::Negotiation);
//! assert!(c.has(Intent::Greeting));
//!
//! // Any `Fn(&str) -> Classification` is a classifier too (an LLM adapter, a model).
//! let shout = |text: &str| {
//!     let intents = if text.ends_with('!') {
//!         vec![IntentMatch::whole(Intent::Support, 0.6, text)]
//!     } else {
//!         vec![]
//!     };
//!     Classification::from_matches(intents, 0.5)
//! };
//! let classifiers: Vec<Box<dyn IntentClassifier>> = vec![Box::new(rules), Box::new(shout)];
//! assert_eq!(classifiers[1].classify("broken!").primary, Intent::Support);
//! ```

use serde::{Deserialize, Serialize};

use crate::named_enum::named_enum;

pub mod corpus;
mod features;
pub(crate) mod fold;
mod hybrid;
mod lexicon;
mod model;
mod pasted;
mod rules;
mod scope;
mod train;
mod trie;
mod word_cache;
mod words;

pub use hybrid::{HybridClassifier, DEFAULT_UNCERTAIN_BELOW};
pub use lexicon::{Lexicon, LexiconEntry};
pub use model::{IntentModel, Prediction};
pub use rules::{RuleClassifier, RuleClassifierBuilder, DEFAULT_MIN_CONFIDENCE};
pub use train::TrainOptions;

named_enum!(
    /// What a client means by a message.
    #[cfg_attr(feature = "uniffi", derive(uniffi::Enum))]
    Intent, "intent", "greeting, price_inquiry, purchase_intent, negotiation, objection, opt_out, scheduling, support, other", {
        /// Hello, good morning, hi there.
        Greeting => "greeting",
        /// Asks a price, cost, quote, shipping cost or fees.
        PriceInquiry => "price_inquiry",
        /// Wants to buy, order, open or sign up; asks how to pay; reports a payment.
        PurchaseIntent => "purchase_intent",
        /// Discount, counteroffer, installments, bulk or better price, lower rate.
        Negotiation => "negotiation",
        /// Too expensive, will think about it, not now, found cheaper elsewhere.
        Objection => "objection",
        /// Stop, unsubscribe, don't write or call, not interested, remove me.
        OptOut => "opt_out",
        /// Call, visit, appointment, demo, opening hours.
        Scheduling => "scheduling",
        /// Complaint, not received, broken, refund, double charge, can't log in.
        Support => "support",
        /// Nothing of the above.
        Other => "other",
    }
);

impl Intent {
    /// Rank used to choose the primary intent: higher wins.
    ///
    /// opt_out > support > purchase_intent > negotiation > objection >
    /// price_inquiry > scheduling > greeting > other.
    ///
    /// ```
    /// use arichat_core::intent::Intent;
    /// assert!(Intent::OptOut.precedence() > Intent::Support.precedence());
    /// assert!(Intent::Greeting.precedence() > Intent::Other.precedence());
    /// ```
    pub fn precedence(self) -> u8 {
        match self {
            Intent::OptOut => 8,
            Intent::Support => 7,
            Intent::PurchaseIntent => 6,
            Intent::Negotiation => 5,
            Intent::Objection => 4,
            Intent::PriceInquiry => 3,
            Intent::Scheduling => 2,
            Intent::Greeting => 1,
            Intent::Other => 0,
        }
    }
}

/// One intent found in a message.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct IntentMatch {
    /// The intent.
    pub intent: Intent,
    /// Confidence in [0, 1]: the phrase's weight, lowered for spelling variants
    /// (abbreviation, phonetic misspelling) and more for typos.
    pub confidence: f32,
    /// Byte offset in the original text where the evidence starts (a char boundary).
    pub start: usize,
    /// Byte offset in the original text where the evidence ends (a char boundary).
    pub end: usize,
    /// The evidence: `text[start..end]`.
    pub evidence: String,
}

impl IntentMatch {
    /// A match whose evidence is the whole text (for classifiers without spans).
    pub fn whole(intent: Intent, confidence: f32, text: &str) -> Self {
        IntentMatch {
            intent,
            confidence: confidence.clamp(0.0, 1.0),
            start: 0,
            end: text.len(),
            evidence: text.to_owned(),
        }
    }
}

named_enum!(
    /// The language a message is written in, as far as the classifier can tell.
    #[cfg_attr(feature = "uniffi", derive(uniffi::Enum))]
    Language, "language", "es, pt, en, unknown", {
        /// Spanish.
        Es => "es",
        /// Portuguese.
        Pt => "pt",
        /// English.
        En => "en",
        /// Too short, mixed or another language.
        Unknown => "unknown",
    }
);

// `named_enum!` derives no `Default`, so the impl is written out.
#[allow(clippy::derivable_impls)]
impl Default for Language {
    fn default() -> Self {
        Language::Unknown
    }
}

named_enum!(
    /// How a message asks to stop contact, when it may.
    ///
    /// Automation acts differently on each: an explicit opt-out revokes marketing
    /// consent; an implicit one only suspends marketing for that contact and flags the
    /// conversation for an agent (see [`crate::automation`]).
    #[cfg_attr(feature = "uniffi", derive(uniffi::Enum))]
    OptOutSignal, "opt-out signal", "explicit, implicit", {
        /// An opt-out phrase used as a request, not quoted, negated, contrasted away or
        /// asked about, and a confident classification.
        Explicit => "explicit",
        /// Anything else that may be an opt-out: the model's reading without a phrase
        /// to show for it, or an uncertain result.
        Implicit => "implicit",
    }
);

/// The intents of a message and the primary one.
///
/// ```
/// use arichat_core::intent::{Classification, Intent, IntentMatch, OptOutSignal};
/// let c = Classification::from_matches(
///     vec![
///         IntentMatch::whole(Intent::Greeting, 0.9, "hola"),
///         IntentMatch::whole(Intent::OptOut, 0.55, "hola"),
///     ],
///     0.5,
/// );
/// assert_eq!(c.primary, Intent::OptOut);
/// assert_eq!(c.opt_out, Some(OptOutSignal::Explicit));
/// assert_eq!(
///     serde_json::to_value(&c).unwrap()["intents"][0]["intent"],
///     "opt_out",
/// );
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Classification {
    /// Every intent found, highest precedence first, at most one per intent.
    pub intents: Vec<IntentMatch>,
    /// The highest-precedence intent the classifier settles on; `other` when nothing
    /// was found. When [`uncertain`](Self::uncertain) is set this is only the best
    /// guess, and arichat's automation does not act on it.
    pub primary: Intent,
    /// Calibrated probability that `primary` is right, in [0, 1].
    #[serde(default)]
    pub confidence: f32,
    /// The language of the message.
    #[serde(default)]
    pub language: Language,
    /// The confidence is below the classifier's threshold: a guess, not an answer.
    #[serde(default)]
    pub uncertain: bool,
    /// Set when the message may be an opt-out (see [`OptOutSignal`]).
    #[serde(default)]
    pub opt_out: Option<OptOutSignal>,
}

impl Classification {
    /// Sorts `intents` by precedence and chooses the primary: the highest-precedence
    /// intent whose confidence is at least `min_confidence`, else `other`.
    ///
    /// This is how a classifier without a probability model (a lexicon, a host's
    /// rules) reports: `confidence` is the primary's match confidence (1 for `other`
    /// with nothing found), an opt-out chosen as primary is explicit, one found below
    /// `min_confidence` is implicit, and `language` is unknown.
    pub fn from_matches(mut intents: Vec<IntentMatch>, min_confidence: f32) -> Self {
        sort_by_precedence(&mut intents);
        let chosen = intents.iter().find(|m| m.confidence >= min_confidence);
        let primary = chosen.map_or(Intent::Other, |m| m.intent);
        let confidence = chosen.map_or_else(
            || 1.0 - intents.iter().map(|m| m.confidence).fold(0.0_f32, f32::max),
            |m| m.confidence,
        );
        let opt_out = if primary == Intent::OptOut {
            Some(OptOutSignal::Explicit)
        } else {
            intents
                .iter()
                .any(|m| m.intent == Intent::OptOut)
                .then_some(OptOutSignal::Implicit)
        };
        Classification {
            intents,
            primary,
            confidence,
            language: Language::Unknown,
            uncertain: confidence < min_confidence,
            opt_out,
        }
    }

    /// Whether `intent` was found (at any confidence).
    pub fn has(&self, intent: Intent) -> bool {
        self.intents.iter().any(|m| m.intent == intent)
    }

    /// The confidence of `intent`, 0 when it was not found.
    pub fn confidence(&self, intent: Intent) -> f32 {
        self.intents
            .iter()
            .filter(|m| m.intent == intent)
            .map(|m| m.confidence)
            .fold(0.0, f32::max)
    }

    /// Whether automation may act on this result as an explicit opt-out: revoke
    /// marketing consent and close the lead.
    pub fn is_explicit_opt_out(&self) -> bool {
        self.primary == Intent::OptOut
            && !self.uncertain
            && self.opt_out == Some(OptOutSignal::Explicit)
    }
}

/// Highest precedence first, then by position.
pub(crate) fn sort_by_precedence(intents: &mut [IntentMatch]) {
    intents.sort_by(|a, b| {
        b.intent
            .precedence()
            .cmp(&a.intent.precedence())
            .then(a.start.cmp(&b.start))
    });
}

/// Anything that classifies message text: the built-in [`RuleClassifier`], a host's
/// own model, an LLM adapter.
pub trait IntentClassifier: Send + Sync {
    /// Classifies one message. Must not panic on any input.
    fn classify(&self, text: &str) -> Classification;
}

impl<F> IntentClassifier for F
where
    F: Fn(&str) -> Classification + Send + Sync,
{
    fn classify(&self, text: &str) -> Classification {
        self(text)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_and_precedence() {
        for i in Intent::ALL {
            assert_eq!(i.as_str().parse::<Intent>().unwrap(), *i);
        }
        let mut by_precedence = Intent::ALL.to_vec();
        by_precedence.sort_by_key(|i| std::cmp::Reverse(i.precedence()));
        let names: Vec<&str> = by_precedence.iter().map(|i| i.as_str()).collect();
        assert_eq!(
            names,
            [
                "opt_out",
                "support",
                "purchase_intent",
                "negotiation",
                "objection",
                "price_inquiry",
                "scheduling",
                "greeting",
                "other"
            ]
        );
    }

    #[test]
    fn low_confidence_is_reported_but_not_primary() {
        let c =
            Classification::from_matches(vec![IntentMatch::whole(Intent::Support, 0.3, "x")], 0.5);
        assert_eq!(c.primary, Intent::Other);
        assert!(c.has(Intent::Support));
        assert_eq!(c.confidence(Intent::Support), 0.3);
        assert_eq!(c.confidence(Intent::Greeting), 0.0);
    }
}
