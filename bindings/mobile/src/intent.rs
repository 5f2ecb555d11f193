//! [`classify`] with the built-in hybrid classifier. The enums (`Intent`, `Language`,
//! `OptOutSignal`) are the core's; the records are this crate's because their offsets are
//! UTF-16 (Kotlin `String` and `NSString` indices) where the core's are bytes.

use std::sync::OnceLock;

use arichat_core::intent::{HybridClassifier, IntentClassifier, Language, OptOutSignal};
use arichat_core::Intent;

/// The built-in classifier, built once per process.
fn classifier() -> &'static HybridClassifier {
    static CLASSIFIER: OnceLock<HybridClassifier> = OnceLock::new();
    CLASSIFIER.get_or_init(HybridClassifier::new)
}

/// A byte offset of `text` as a UTF-16 offset (Kotlin `String` and `NSString` indices).
fn utf16_offset(text: &str, byte: usize) -> u32 {
    let prefix = text.get(..byte).unwrap_or(text);
    u32::try_from(prefix.encode_utf16().count()).unwrap_or(u32::MAX)
}

/// The core's `f32` confidence as the `f64` with the same shortest decimal (0.85, not
/// 0.8500000238418579), as the Python and Node bindings give it.
fn confidence(c: f32) -> f64 {
    c.to_string().parse().unwrap_or(f64::from(c))
}

/// One intent found in a message.
#[derive(Debug, Clone, PartialEq, uniffi::Record)]
pub struct IntentMatch {
    /// The intent.
    pub intent: Intent,
    /// Confidence in [0, 1].
    pub confidence: f64,
    /// Where the evidence starts, in UTF-16 code units (a Kotlin `String` index).
    pub start: u32,
    /// Where the evidence ends: `text.substring(start, end) == evidence`.
    pub end: u32,
    /// The words that gave the intent away.
    pub evidence: String,
}

/// The intents of a message and the primary one.
#[derive(Debug, Clone, PartialEq, uniffi::Record)]
pub struct Classification {
    /// The intent to act on first (precedence breaks ties), or `Other`. A guess when
    /// `uncertain` is set.
    pub primary: Intent,
    /// Every intent found, highest precedence first.
    pub intents: Vec<IntentMatch>,
    /// Calibrated probability that `primary` is right, in [0, 1].
    pub confidence: f64,
    /// The language of the message.
    pub language: Language,
    /// `confidence` is below the classifier's threshold: `primary` is a guess.
    pub uncertain: bool,
    /// Set when the message may ask to stop contact.
    pub opt_out: Option<OptOutSignal>,
}

/// Classifies one message (Spanish, English or Portuguese) with the built-in hybrid
/// classifier (scoped lexicon phrases read by a calibrated model). The primary intent
/// follows the precedence opt_out > support > purchase_intent > negotiation >
/// objection > price_inquiry > scheduling > greeting > other.
#[uniffi::export]
pub fn classify(text: String) -> Classification {
    let c = classifier().classify(&text);
    Classification {
        primary: c.primary,
        confidence: confidence(c.confidence),
        language: c.language,
        uncertain: c.uncertain,
        opt_out: c.opt_out,
        intents: c
            .intents
            .iter()
            .map(|m| IntentMatch {
                intent: m.intent,
                confidence: confidence(m.confidence),
                start: utf16_offset(&text, m.start),
                end: utf16_offset(&text, m.end),
                evidence: m.evidence.clone(),
            })
            .collect(),
    }
}
