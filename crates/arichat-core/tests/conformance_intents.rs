//! The shared intent vectors (`tests/vectors/intents.json`) hold for the Rust core's
//! [`HybridClassifier`], and every binding's tests read the same file.
//!
//! Each case's `text`, `label` (the answer `data/intents/GUIDE.md` gives, for the
//! reader) and `note` are written by hand; its `expected` block is written by this
//! test from `HybridClassifier::new()`:
//!
//! ```text
//! ARICHAT_BLESS=1 cargo test -p arichat-core --test conformance_intents
//! ```
//!
//! Run that after retraining the model or changing the lexicon, review the diff, and
//! commit it: the bindings then hold their runtimes to the new answers.

#[path = "support/bless.rs"]
mod bless;

use arichat_core::intent::{HybridClassifier, Intent, IntentClassifier, Language, OptOutSignal};
use serde::{Deserialize, Serialize};

const PATH: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../../tests/vectors/intents.json"
);

/// Written into the file on blessing, so that the file says how it is made.
const ABOUT: &str = "Cross-runtime intent vectors. text, label (GUIDE.md's answer, \
     not compared) and note are hand-written; expected is written by \
     `ARICHAT_BLESS=1 cargo test -p arichat-core --test conformance_intents` from \
     HybridClassifier::new(). confidence is rounded to 2 decimals: compare it within \
     `tolerance`, the other fields exactly.";

/// Confidence is stored to 2 decimals; the runtimes compare within this.
const TOLERANCE: f64 = 0.011;

#[derive(Serialize, Deserialize)]
struct Vectors {
    #[serde(default)]
    about: String,
    #[serde(default)]
    tolerance: f64,
    cases: Vec<Case>,
}

#[derive(Serialize, Deserialize)]
struct Case {
    text: String,
    label: Intent,
    note: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    expected: Option<Expected>,
}

#[derive(Debug, PartialEq, Serialize, Deserialize)]
struct Expected {
    primary: Intent,
    confidence: f64,
    language: Language,
    uncertain: bool,
    opt_out: Option<OptOutSignal>,
}

fn classify(classifier: &HybridClassifier, text: &str) -> Expected {
    let c = classifier.classify(text);
    Expected {
        primary: c.primary,
        confidence: (f64::from(c.confidence) * 100.0).round() / 100.0,
        language: c.language,
        uncertain: c.uncertain,
        opt_out: c.opt_out,
    }
}

fn read() -> Vectors {
    let bytes = std::fs::read(PATH).expect("tests/vectors/intents.json");
    serde_json::from_slice(&bytes).expect("tests/vectors/intents.json is valid")
}

#[test]
fn hybrid_classifier_gives_the_expected_answers() {
    let classifier = HybridClassifier::new();
    let mut vectors = read();
    if bless::blessing() {
        for case in &mut vectors.cases {
            case.expected = Some(classify(&classifier, &case.text));
        }
        vectors.about = ABOUT.to_owned();
        vectors.tolerance = TOLERANCE;
        bless::write_json(PATH, &vectors);
        return;
    }
    assert_eq!(vectors.tolerance, TOLERANCE, "tolerance; re-bless");
    let mut wrong = Vec::new();
    for case in &vectors.cases {
        let want = case.expected.as_ref().unwrap_or_else(|| {
            panic!(
                "{:?} has no expected answer; run ARICHAT_BLESS=1 cargo test -p \
                 arichat-core --test conformance_intents",
                case.text
            )
        });
        let got = classify(&classifier, &case.text);
        let same = got.primary == want.primary
            && got.language == want.language
            && got.uncertain == want.uncertain
            && got.opt_out == want.opt_out
            && (got.confidence - want.confidence).abs() <= TOLERANCE;
        if !same {
            wrong.push(format!("{:?}: want {want:?}, got {got:?}", case.text));
        }
    }
    assert!(
        wrong.is_empty(),
        "{} of {} vectors differ (after retraining, re-bless with ARICHAT_BLESS=1 and \
         review the diff):\n{}",
        wrong.len(),
        vectors.cases.len(),
        wrong.join("\n")
    );
}

/// The file keeps covering every label, every language and the hard cases' shapes,
/// whatever the model answers.
#[test]
fn vectors_cover_every_label_and_the_edge_cases() {
    let vectors = read();
    for intent in Intent::ALL {
        assert!(
            vectors.cases.iter().any(|c| c.label == *intent),
            "no case labelled {intent}"
        );
    }
    let has = |p: &dyn Fn(&str) -> bool| vectors.cases.iter().any(|c| p(&c.text));
    assert!(has(&|t| t.is_empty()), "the empty string");
    assert!(
        has(&|t| !t.is_empty() && t.chars().all(|c| !c.is_alphanumeric() && c != '?')),
        "an emoji-only message"
    );
    assert!(has(&|t| t.contains('"')), "a quoted keyword");
    assert!(
        vectors.cases.iter().all(|c| !c.text.contains('\n')),
        "texts are one line each (the CLI reads one message per line)"
    );
}
