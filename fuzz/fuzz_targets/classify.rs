//! Any bytes, as message text (lossily decoded): the hybrid classifier never panics,
//! its spans are char boundaries and its confidence a probability.
#![no_main]

use std::sync::OnceLock;

use arichat_core::intent::{HybridClassifier, IntentClassifier};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    static CLASSIFIER: OnceLock<HybridClassifier> = OnceLock::new();
    let text = String::from_utf8_lossy(data);
    let c = CLASSIFIER.get_or_init(HybridClassifier::new).classify(&text);
    assert!((0.0..=1.0).contains(&c.confidence));
    for m in &c.intents {
        assert_eq!(&text[m.start..m.end], m.evidence);
    }
});
