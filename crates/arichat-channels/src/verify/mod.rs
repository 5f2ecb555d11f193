//! Webhook verification, before any byte of a body is parsed.
//!
//! - [`meta_handshake`]: Meta's `GET` subscription handshake (`hub.mode`, `hub.verify_token`,
//!   `hub.challenge`) for WhatsApp, Messenger and Instagram.
//! - [`SignatureVerifier`]: `X-Hub-Signature-256`, the HMAC-SHA256 of the raw body with the
//!   app secret, compared in constant time, with several secrets during a rotation.
//! - [`verify_telegram_secret`]: Telegram's `X-Telegram-Bot-Api-Secret-Token` header.

mod handshake;
mod signature;
mod telegram;

pub use handshake::meta_handshake;
pub use signature::{SignatureVerifier, SIGNATURE_HEADER};
pub use telegram::{verify_telegram_secret, TELEGRAM_SECRET_HEADER};

/// Why a webhook request was not verified. Messages never contain a secret.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum VerifyError {
    /// The handshake query lacks a parameter.
    #[error("handshake is missing the {0} parameter")]
    MissingParameter(&'static str),
    /// `hub.mode` was not `subscribe`.
    #[error("handshake mode must be \"subscribe\"")]
    WrongMode,
    /// `hub.verify_token` did not match the configured token.
    #[error("handshake verify token does not match")]
    WrongVerifyToken,
    /// The signature header is absent.
    #[error("missing {0} header")]
    MissingSignature(&'static str),
    /// The signature header is not `sha256=` followed by 64 hex digits.
    #[error("malformed {0} header: expected \"sha256=\" and 64 hex digits")]
    MalformedSignature(&'static str),
    /// The signature is well-formed but matches none of the app secrets.
    #[error("signature does not match the body")]
    SignatureMismatch,
    /// No secrets were configured, so nothing can be verified.
    #[error("no app secret configured")]
    NoSecret,
}
