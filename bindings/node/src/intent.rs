//! `classify` (the built-in hybrid classifier), a thin wrapper around
//! [`arichat_core::intent`]. Offline and pure.

use std::sync::OnceLock;

use arichat_core::intent::{HybridClassifier, IntentClassifier};
use napi_derive::napi;

/// The built-in classifier, built once per process.
pub(crate) fn classifier() -> &'static HybridClassifier {
    static CLASSIFIER: OnceLock<HybridClassifier> = OnceLock::new();
    CLASSIFIER.get_or_init(HybridClassifier::new)
}

/// The core's `f32` confidence as the `f64` with the same shortest decimal (0.85, not
/// 0.8500000238418579), as the Python and Kotlin bindings give it.
fn confidence(c: f32) -> f64 {
    c.to_string().parse().unwrap_or(f64::from(c))
}

/// A byte offset of `text` as a UTF-16 offset (JS string indices), so that
/// `text.slice(start, end) === evidence`.
fn utf16_offset(text: &str, byte: usize) -> u32 {
    let prefix = text.get(..byte).unwrap_or(text);
    u32::try_from(prefix.encode_utf16().count()).unwrap_or(u32::MAX)
}

/// One intent found in a message.
#[napi(object)]
pub struct IntentMatch {
    /// The intent, such as `"price_inquiry"`.
    #[napi(ts_type = "IntentName")]
    pub intent: String,
    /// Confidence in [0, 1].
    pub confidence: f64,
    /// Where the evidence starts, as a JS string index (UTF-16 code units).
    pub start: u32,
    /// Where the evidence ends, as a JS string index: `text.slice(start, end) === evidence`.
    pub end: u32,
    /// The words that gave the intent away.
    pub evidence: String,
}

/// The intents of a message and the primary one.
#[napi(object)]
pub struct Classification {
    /// The intent to act on first (precedence breaks ties), or `"other"`. A guess when
    /// `uncertain` is set.
    #[napi(ts_type = "IntentName")]
    pub primary: String,
    /// Every intent found, highest precedence first.
    pub intents: Vec<IntentMatch>,
    /// Calibrated probability that `primary` is right, in [0, 1].
    pub confidence: f64,
    /// The language of the message.
    #[napi(ts_type = "LanguageName")]
    pub language: String,
    /// `confidence` is below the classifier's threshold: `primary` is a guess.
    pub uncertain: bool,
    /// Set when the message may ask to stop contact: `"explicit"` (a stop request) or
    /// `"implicit"` (maybe one: an agent should decide).
    #[napi(ts_type = "OptOutSignalName")]
    pub opt_out: Option<String>,
}

/// Classifies one message (Spanish, English or Portuguese) with the built-in hybrid
/// classifier (scoped lexicon phrases read by a calibrated model). The primary intent
/// follows the precedence opt_out > support > purchase_intent > negotiation >
/// objection > price_inquiry > scheduling > greeting > other.
#[napi]
pub fn classify(text: String) -> Classification {
    to_js(&text, &classifier().classify(&text))
}

/// A core classification of `text` as the JS object, spans as JS string indices.
pub(crate) fn to_js(text: &str, c: &arichat_core::Classification) -> Classification {
    Classification {
        primary: c.primary.as_str().to_owned(),
        confidence: confidence(c.confidence),
        language: c.language.as_str().to_owned(),
        uncertain: c.uncertain,
        opt_out: c.opt_out.map(|o| o.as_str().to_owned()),
        intents: c
            .intents
            .iter()
            .map(|m| IntentMatch {
                intent: m.intent.as_str().to_owned(),
                confidence: confidence(m.confidence),
                start: utf16_offset(text, m.start),
                end: utf16_offset(text, m.end),
                evidence: m.evidence.clone(),
            })
            .collect(),
    }
}
