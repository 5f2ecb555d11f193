//! The committed intent model is what the corpus trains to (a drift check), and the
//! hybrid classifier keeps its promises on the label guide's hard cases.

use arichat_core::intent::corpus::Split;
use arichat_core::intent::{
    HybridClassifier, Intent, IntentClassifier, IntentModel, OptOutSignal, TrainOptions,
};

#[path = "../examples/support/corpus_files.rs"]
mod corpus_files;

#[test]
fn committed_model_is_what_the_corpus_trains_to() {
    let corpus = corpus_files::load(&corpus_files::corpus_dir(&[])).unwrap();
    assert!(corpus.len() >= 4000, "{} messages", corpus.len());
    let trained = IntentModel::train(&corpus, &TrainOptions::default()).to_bytes();
    let committed =
        std::fs::read(concat!(env!("CARGO_MANIFEST_DIR"), "/src/intent/model.bin")).unwrap();
    assert!(
        trained == committed,
        "src/intent/model.bin is stale: run `cargo run --release -p arichat-core --example train_intents`"
    );
}

#[test]
fn corpus_covers_every_language_and_split() {
    let corpus = corpus_files::load(&corpus_files::corpus_dir(&[])).unwrap();
    for lang in ["es", "pt", "en"] {
        let n = corpus
            .iter()
            .filter(|m| m.language.as_str() == lang)
            .count();
        assert!(n >= 1200, "{lang}: {n}");
    }
    for split in [Split::Train, Split::Dev, Split::Test] {
        let share =
            corpus.iter().filter(|m| m.split() == split).count() as f64 / corpus.len() as f64;
        assert!(share > 0.05, "{split}: {share}");
    }
}

#[test]
fn guide_hard_cases() {
    let c = HybridClassifier::new();
    for (text, want) in [
        ("BAJA", Intent::OptOut),
        ("stop", Intent::OptOut),
        ("sair", Intent::OptOut),
        ("¿cómo me doy de baja de las promociones?", Intent::OptOut),
        (
            "no quiero darme de baja, solo cambiar mi número",
            Intent::Support,
        ),
        ("¿me pueden bajar el precio?", Intent::Negotiation),
        ("já saiu pra entrega?", Intent::Support),
        ("pásame el link de pago", Intent::PurchaseIntent),
        (
            "ya hice la transferencia, te mando el comprobante",
            Intent::PurchaseIntent,
        ),
        ("no me llega el código de verificación", Intent::Support),
        ("meu pix não caiu ainda", Intent::Support),
    ] {
        let got = c.classify(text);
        assert_eq!(got.primary, want, "{text}: {got:?}");
    }
    let quoted =
        c.classify("me llegó un SMS que dice \"responda BAJA para cancelar\", ¿es de ustedes?");
    assert_ne!(quoted.primary, Intent::OptOut, "{quoted:?}");
    assert!(!quoted.is_explicit_opt_out());
    let explicit = c.classify("dejen de escribirme, no me interesa");
    assert_eq!(explicit.opt_out, Some(OptOutSignal::Explicit));
}

#[test]
fn never_panics_and_stays_in_range() {
    let c = HybridClassifier::new();
    for text in [
        "",
        " ",
        "?",
        "💳",
        "\u{0}",
        "a\u{301}",
        "ÑÑÑ",
        &"ja".repeat(5000),
    ] {
        let r = c.classify(text);
        assert!((0.0..=1.0).contains(&r.confidence), "{text:?}");
        for m in &r.intents {
            assert!(text.is_char_boundary(m.start) && text.is_char_boundary(m.end));
        }
    }
}

proptest::proptest! {
    #![proptest_config(proptest::prelude::ProptestConfig::with_cases(400))]
    #[test]
    fn any_text_classifies_without_panicking(text in "\\PC{0,80}|[a-zñ ?!\"'.,]{0,60}") {
        let c = HybridClassifier::new().classify(&text);
        proptest::prop_assert!((0.0..=1.0).contains(&c.confidence));
        for m in &c.intents {
            proptest::prop_assert!(text.is_char_boundary(m.start) && text.is_char_boundary(m.end));
            proptest::prop_assert_eq!(&text[m.start..m.end], m.evidence.as_str());
        }
    }
}

#[test]
fn uncertain_threshold_is_checked() {
    for bad in [-0.1, 1.5, f32::NAN] {
        let err = HybridClassifier::new()
            .with_uncertain_below(bad)
            .unwrap_err();
        assert_eq!(err.code(), "invalid_config");
    }
    // At 1.0 everything below full confidence is uncertain; at 0.0 nothing is. (A
    // confidence that rounds to exactly 1.0 in f32 is not below 1.0.)
    let all = HybridClassifier::new().with_uncertain_below(1.0).unwrap();
    let none = HybridClassifier::new().with_uncertain_below(0.0).unwrap();
    for text in ["mmm", "hola, cuánto cuesta?", "talvez amanhã"] {
        let got = all.classify(text);
        assert_eq!(got.uncertain, got.confidence < 1.0, "{text}: {got:?}");
        assert!(!none.classify(text).uncertain, "{text}");
    }
    assert!(all.classify("mmm").uncertain);
}
