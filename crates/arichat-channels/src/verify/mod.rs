//! Webhook verification, before any byte of a body is parsed.
//!
//! - [`meta_handshake`]: Meta's `GET` subscription handshake (`hub.mode`, `hub.verify_token`,
//!   `hub.challenge`) for WhatsApp, Messenger and Instagram.
//! - [`SignatureVerifier`]: `X-Hub-Signature-256`, the HMAC-SHA256 of the raw body with the
//!   app secret, compared in constant time, with several secrets during a rotation.
//! - [`verify_telegram_secret`]: Telegram's `X-Telegram-Bot-Api-Secret-Token` header.
//! - [`MattermostTokens`]: the token of a Mattermost outgoing webhook or slash command
//!   (in the body, and in `Authorization: Token …` for slash commands), several during a
//!   rotation, compared in constant time.
//! - [`WebhookVerifier`]: per-tenant verification for hosts serving several tenants:
//!   each channel account with its tenant and that tenant's secrets, so a body is
//!   accepted only with the secrets of the accounts it names, then routed.
//!
//! A blank secret (an unset environment variable) is refused as `invalid_config`
//! wherever one is configured: it would otherwise authenticate anyone.

mod handshake;
mod mattermost;
mod secret;
mod signature;
mod telegram;
mod tenants;

pub use handshake::meta_handshake;
pub use mattermost::{MattermostTokens, MATTERMOST_AUTH_HEADER};
pub use signature::{SignatureVerifier, SIGNATURE_HEADER};
pub use telegram::{verify_telegram_secret, TELEGRAM_SECRET_HEADER};
pub use tenants::{WebhookAccount, WebhookVerifier};

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
    /// The signature is well-formed but matches none of the app secrets (of the
    /// account the body names, with [`WebhookVerifier`]).
    #[error("signature does not match the body")]
    SignatureMismatch,
    /// A Mattermost hook carries no token, in the body or the `Authorization` header.
    #[error("missing Mattermost token")]
    MissingToken,
    /// The `Authorization` header is not `Token <token>`.
    #[error("malformed Authorization header: expected \"Token\" and the token")]
    MalformedToken,
    /// A Mattermost token matches none of the configured tokens.
    #[error("token matches none of the configured tokens")]
    TokenMismatch,
}

/// The request header that authenticates `channel`'s webhooks: [`SIGNATURE_HEADER`]
/// for WhatsApp, Messenger and Instagram, [`TELEGRAM_SECRET_HEADER`] for Telegram,
/// [`MATTERMOST_AUTH_HEADER`] for Mattermost slash commands (outgoing webhooks carry
/// their token in the body).
///
/// ```
/// use arichat_channels::{verify::auth_header, Channel};
/// assert_eq!(auth_header(Channel::Instagram), "X-Hub-Signature-256");
/// assert_eq!(auth_header(Channel::Telegram), "X-Telegram-Bot-Api-Secret-Token");
/// ```
pub fn auth_header(channel: arichat_core::Channel) -> &'static str {
    match channel {
        arichat_core::Channel::Telegram => TELEGRAM_SECRET_HEADER,
        arichat_core::Channel::Mattermost => MATTERMOST_AUTH_HEADER,
        _ => SIGNATURE_HEADER,
    }
}
