//! Any bytes as body and header: the signature check answers, never panics.
#![no_main]

use arichat_channels::verify::SignatureVerifier;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let split = data.len() / 2;
    let (body, header) = data.split_at(split);
    let verifier = SignatureVerifier::new(["fuzz-secret"]).expect("a non-blank secret");
    if let Ok(header) = std::str::from_utf8(header) {
        let _ = verifier.verify(body, Some(header));
    }
});
