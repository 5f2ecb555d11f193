//! Webhook verification under fuzzed input, in four modes picked by the first byte:
//!
//! 0. any bytes as body and header: the signature check answers, never panics;
//! 1. a body signed with one of the verifier's secrets (old, new, or one taken from the
//!    input): accepted with the index of that secret; one flipped byte in the body or one
//!    changed hex digit in the header: rejected as a mismatch. This is what reaches the HMAC
//!    comparison: random headers almost never get past the `sha256=` + 64 hex digits parse;
//! 2. Meta's handshake with a fuzzed token and challenge, percent-encoded as Meta sends them:
//!    the right token echoes the challenge, any other token is refused;
//! 3. Telegram's secret header: the exact secret passes, any other value is refused.
#![no_main]

use arichat_channels::verify::{
    meta_handshake, verify_telegram_secret, SignatureVerifier, VerifyError,
};
use arichat_channels::SecretString;
use libfuzzer_sys::fuzz_target;

const OLD: &str = "fuzz-old-secret";
const NEW: &str = "fuzz-new-secret";

fuzz_target!(|data: &[u8]| {
    let Some((&mode, rest)) = data.split_first() else {
        return;
    };
    match mode % 4 {
        0 => raw(rest),
        1 => signed(rest),
        2 => handshake(rest),
        _ => telegram(rest),
    }
});

/// Splits `data` at a length given by its first byte: (head, tail).
fn take(data: &[u8]) -> (&[u8], &[u8]) {
    match data.split_first() {
        Some((&n, rest)) => rest.split_at(usize::from(n).min(rest.len())),
        None => (&[], &[]),
    }
}

fn raw(data: &[u8]) {
    let (body, header) = data.split_at(data.len() / 2);
    let verifier = SignatureVerifier::new([OLD, NEW]).expect("non-blank secrets");
    if let Ok(header) = std::str::from_utf8(header) {
        let _ = verifier.verify(body, Some(header));
    }
}

fn signed(data: &[u8]) {
    let [pick, flip_at, flip_bits, rest @ ..] = data else {
        return;
    };
    let (extra, body) = take(rest);
    let extra = String::from_utf8_lossy(extra).into_owned();
    let secrets = [OLD.to_owned(), NEW.to_owned(), extra];
    let verifier = match SignatureVerifier::new(secrets.clone()) {
        Ok(v) => v,
        Err(e) => {
            // Only a blank secret is refused, and as a configuration error.
            assert!(secrets[2].trim().is_empty());
            assert_eq!(e.code(), "invalid_config");
            return;
        }
    };
    let chosen = usize::from(*pick) % secrets.len();
    // The verifier reports the first secret that matches; the fuzzed one may equal OLD or NEW.
    let first = secrets.iter().position(|s| *s == secrets[chosen]).unwrap();
    let header = SignatureVerifier::sign(&secrets[chosen], body);
    assert_eq!(verifier.verify(body, Some(&header)), Ok(first));
    // Meta sends lower case; upper case and surrounding spaces are accepted too.
    let loud = format!(" sha256={} ", header["sha256=".len()..].to_uppercase());
    assert_eq!(verifier.verify(body, Some(&loud)), Ok(first));

    let bit = flip_bits | 1;
    if !body.is_empty() {
        let mut tampered = body.to_vec();
        let i = usize::from(*flip_at) % tampered.len();
        tampered[i] ^= bit;
        // Another secret could in principle sign the tampered body; with HMAC-SHA256 that
        // would be a collision, so any success here is a bug.
        assert_eq!(
            verifier.verify(&tampered, Some(&header)),
            Err(VerifyError::SignatureMismatch)
        );
    }
    let mut digits = header.into_bytes();
    let i = "sha256=".len() + usize::from(*flip_at) % 64;
    digits[i] = if digits[i] == b'0' { b'1' } else { b'0' };
    let changed = String::from_utf8(digits).unwrap();
    assert_eq!(
        verifier.verify(body, Some(&changed)),
        Err(VerifyError::SignatureMismatch)
    );
    assert_eq!(
        SignatureVerifier::new(Vec::<String>::new())
            .unwrap_err()
            .code(),
        "invalid_config"
    );
}

/// Percent-encodes every byte, as a browser or Meta may.
fn encode(s: &str) -> String {
    s.bytes().map(|b| format!("%{b:02X}")).collect()
}

fn handshake(data: &[u8]) {
    let (token, rest) = take(data);
    let (challenge, other) = take(rest);
    let (Ok(token), Ok(challenge)) = (std::str::from_utf8(token), std::str::from_utf8(challenge))
    else {
        // Not UTF-8: used as a raw query, which must only answer.
        let query = String::from_utf8_lossy(data);
        let _ = meta_handshake(&query, &SecretString::from("fuzz-token".to_owned()));
        return;
    };
    let secret = SecretString::from(token.to_owned());
    if token.trim().is_empty() {
        // A blank verify token answers nobody, whatever the query says.
        let err = meta_handshake(&String::from_utf8_lossy(rest), &secret).unwrap_err();
        assert_eq!(err.code(), "invalid_config");
        return;
    }
    let query = format!(
        "hub.mode=subscribe&hub.verify_token={}&hub.challenge={}",
        encode(token),
        encode(challenge)
    );
    assert_eq!(meta_handshake(&query, &secret).as_deref(), Ok(challenge));
    let other = String::from_utf8_lossy(other);
    if other != token {
        let query = format!(
            "hub.mode=subscribe&hub.verify_token={}&hub.challenge={}",
            encode(&other),
            encode(challenge)
        );
        assert_eq!(
            meta_handshake(&query, &secret),
            Err(VerifyError::WrongVerifyToken.into())
        );
    }
    // The other bytes as a whole query: any answer, no panic.
    let _ = meta_handshake(&other, &secret);
}

fn telegram(data: &[u8]) {
    let (secret, header) = take(data);
    let secret = String::from_utf8_lossy(secret).into_owned();
    let header = String::from_utf8_lossy(header);
    let configured = SecretString::from(secret.clone());
    if secret.trim().is_empty() {
        // An unset secret must not let an empty (or any) header in.
        let err = verify_telegram_secret(Some(&header), &configured).unwrap_err();
        assert_eq!(err.code(), "invalid_config");
        return;
    }
    assert_eq!(verify_telegram_secret(Some(&secret), &configured), Ok(()));
    let expected = if header == secret.as_str() {
        Ok(())
    } else {
        Err(VerifyError::SignatureMismatch.into())
    };
    assert_eq!(verify_telegram_secret(Some(&header), &configured), expected);
    assert!(verify_telegram_secret(None, &configured).is_err());
}
