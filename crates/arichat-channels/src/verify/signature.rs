use std::fmt;

use hmac::{Hmac, Mac};
use secrecy::{ExposeSecret, SecretString};
use sha2::Sha256;

use super::{secret, VerifyError};
use crate::ChannelError;

/// The header Meta signs webhook bodies in.
pub const SIGNATURE_HEADER: &str = "X-Hub-Signature-256";

/// Checks `X-Hub-Signature-256: sha256=<hex>` against the HMAC-SHA256 of the raw body.
///
/// Holds one or more app secrets: during a rotation both the old and the new secret
/// verify. Secrets never appear in `Debug`.
///
/// ```
/// use arichat_channels::verify::SignatureVerifier;
/// let v = SignatureVerifier::new(["old-secret", "new-secret"])?;
/// let body = br#"{"object":"page","entry":[]}"#;
/// let header = SignatureVerifier::sign("new-secret", body);
/// assert_eq!(v.verify(body, Some(&header)).unwrap(), 1);
/// assert!(v.verify(b"tampered", Some(&header)).is_err());
///
/// // An unset environment variable is not a secret.
/// assert_eq!(SignatureVerifier::new([""]).unwrap_err().code(), "invalid_config");
/// # Ok::<(), arichat_channels::ChannelError>(())
/// ```
#[derive(Clone)]
pub struct SignatureVerifier {
    secrets: Vec<SecretString>,
}

impl SignatureVerifier {
    /// A verifier accepting any of `secrets`, tried in order.
    ///
    /// # Errors
    /// `invalid_config` ([`arichat_core::CoreError::InvalidConfig`]) when `secrets` is
    /// empty or one of them is empty or only whitespace: HMAC takes an empty key, so
    /// such a verifier would accept bodies anyone can sign.
    pub fn new<I, S>(secrets: I) -> Result<Self, ChannelError>
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        Ok(SignatureVerifier {
            secrets: secret::secrets("app secret", secrets)?,
        })
    }

    /// A verifier over secrets already checked by [`secret::secret`].
    pub(crate) fn from_checked(secrets: Vec<SecretString>) -> Self {
        SignatureVerifier { secrets }
    }

    /// Verifies `header` (the value of [`SIGNATURE_HEADER`], `None` when absent) over
    /// the exact bytes received. Returns the index of the secret that matched.
    ///
    /// # Errors
    /// [`VerifyError::MissingSignature`], [`VerifyError::MalformedSignature`] or
    /// [`VerifyError::SignatureMismatch`].
    pub fn verify(&self, body: &[u8], header: Option<&str>) -> Result<usize, VerifyError> {
        self.verify_digest(body, &Self::parse_header(header)?)
    }

    /// The 32-byte digest of a `sha256=<hex>` header.
    pub(crate) fn parse_header(header: Option<&str>) -> Result<[u8; 32], VerifyError> {
        let header = header.ok_or(VerifyError::MissingSignature(SIGNATURE_HEADER))?;
        let hex_digest = header
            .trim()
            .strip_prefix("sha256=")
            .ok_or(VerifyError::MalformedSignature(SIGNATURE_HEADER))?;
        let mut expected = [0u8; 32];
        hex::decode_to_slice(hex_digest, &mut expected)
            .map_err(|_| VerifyError::MalformedSignature(SIGNATURE_HEADER))?;
        Ok(expected)
    }

    /// Checks a parsed digest against every secret; the index of the first match.
    pub(crate) fn verify_digest(
        &self,
        body: &[u8],
        expected: &[u8; 32],
    ) -> Result<usize, VerifyError> {
        let mut matched = None;
        // Try every secret so the time taken does not reveal which one matched.
        for (i, secret) in self.secrets.iter().enumerate() {
            if mac(secret.expose_secret(), body)
                .verify_slice(expected)
                .is_ok()
                && matched.is_none()
            {
                matched = Some(i);
            }
        }
        matched.ok_or(VerifyError::SignatureMismatch)
    }

    /// Computes the header value for `body` signed with `secret` (for tests and for
    /// forwarding bodies between services).
    pub fn sign(secret: &str, body: &[u8]) -> String {
        format!(
            "sha256={}",
            hex::encode(mac(secret, body).finalize().into_bytes())
        )
    }
}

fn mac(secret: &str, body: &[u8]) -> Hmac<Sha256> {
    let mut m =
        Hmac::<Sha256>::new_from_slice(secret.as_bytes()).expect("HMAC accepts any key length");
    m.update(body);
    m
}

impl fmt::Debug for SignatureVerifier {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SignatureVerifier")
            .field(
                "secrets",
                &format_args!("[{} redacted]", self.secrets.len()),
            )
            .finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    const BODY: &[u8] = br#"{"object":"whatsapp_business_account","entry":[]}"#;

    #[test]
    fn known_vector() {
        // HMAC-SHA256("key", "The quick brown fox jumps over the lazy dog"), RFC 4231-style check.
        assert_eq!(
            SignatureVerifier::sign("key", b"The quick brown fox jumps over the lazy dog"),
            "sha256=f7bc83f430538424b13298e6aa6fb143ef4d59a14946175997479dbc2d1a3cd8"
        );
    }

    #[test]
    fn rotation_accepts_old_and_new() {
        let v = SignatureVerifier::new(["old", "new"]).unwrap();
        assert_eq!(
            v.verify(BODY, Some(&SignatureVerifier::sign("old", BODY))),
            Ok(0)
        );
        assert_eq!(
            v.verify(BODY, Some(&SignatureVerifier::sign("new", BODY))),
            Ok(1)
        );
        assert_eq!(
            v.verify(BODY, Some(&SignatureVerifier::sign("other", BODY))),
            Err(VerifyError::SignatureMismatch)
        );
    }

    #[test]
    fn missing_malformed_and_wrong_are_told_apart() {
        let v = SignatureVerifier::new(["s"]).unwrap();
        assert_eq!(
            v.verify(BODY, None),
            Err(VerifyError::MissingSignature(SIGNATURE_HEADER))
        );
        for bad in [
            "",
            "sha1=abcd",
            "sha256=xyz",
            "sha256=abcd",
            &format!("sha256={}", "g".repeat(64)),
        ] {
            assert_eq!(
                v.verify(BODY, Some(bad)),
                Err(VerifyError::MalformedSignature(SIGNATURE_HEADER)),
                "{bad}"
            );
        }
        let wrong = format!("sha256={}", "0".repeat(64));
        assert_eq!(
            v.verify(BODY, Some(&wrong)),
            Err(VerifyError::SignatureMismatch)
        );
        assert_eq!(
            SignatureVerifier::new(Vec::<String>::new())
                .unwrap_err()
                .code(),
            "invalid_config"
        );
    }

    #[test]
    fn upper_case_hex_is_accepted() {
        let v = SignatureVerifier::new(["s"]).unwrap();
        let h = SignatureVerifier::sign("s", BODY)
            .to_uppercase()
            .replace("SHA256=", "sha256=");
        assert_eq!(v.verify(BODY, Some(&h)), Ok(0));
    }

    #[test]
    fn blank_secrets_are_refused_even_beside_good_ones() {
        for secrets in [vec![""], vec!["good", "  "], vec!["\n"]] {
            let err = SignatureVerifier::new(secrets.clone()).unwrap_err();
            assert_eq!(err.code(), "invalid_config", "{secrets:?}");
        }
    }

    #[test]
    fn debug_hides_secrets() {
        let dbg = format!("{:?}", SignatureVerifier::new(["topsecretvalue"]).unwrap());
        assert!(!dbg.contains("topsecret"), "{dbg}");
    }

    proptest! {
        #[test]
        fn arbitrary_headers_never_panic(body in proptest::collection::vec(any::<u8>(), 0..256), header in "\\PC{0,100}") {
            let v = SignatureVerifier::new(["s"]).unwrap();
            let _ = v.verify(&body, Some(&header));
        }

        #[test]
        fn any_flipped_byte_fails(body in proptest::collection::vec(any::<u8>(), 1..256), idx in any::<proptest::sample::Index>()) {
            let v = SignatureVerifier::new(["s"]).unwrap();
            let header = SignatureVerifier::sign("s", &body);
            let mut tampered = body.clone();
            let i = idx.index(tampered.len());
            tampered[i] ^= 0x01;
            prop_assert_eq!(v.verify(&tampered, Some(&header)), Err(VerifyError::SignatureMismatch));
        }
    }
}
