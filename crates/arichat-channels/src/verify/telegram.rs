use secrecy::{ExposeSecret, SecretString};
use subtle::ConstantTimeEq;

use super::{secret, VerifyError};
use crate::ChannelError;

/// The header Telegram sends the `secret_token` of `setWebhook` in.
pub const TELEGRAM_SECRET_HEADER: &str = "X-Telegram-Bot-Api-Secret-Token";

/// Checks the secret-token header of a Telegram webhook request in constant time.
///
/// ```
/// use arichat_channels::verify::verify_telegram_secret;
/// let secret = "A-z_0-9".to_owned().into();
/// assert!(verify_telegram_secret(Some("A-z_0-9"), &secret).is_ok());
/// assert!(verify_telegram_secret(Some("guess"), &secret).is_err());
/// assert!(verify_telegram_secret(None, &secret).is_err());
///
/// // With no secret configured, an empty header must not pass.
/// let unset = String::new().into();
/// assert_eq!(verify_telegram_secret(Some(""), &unset).unwrap_err().code(), "invalid_config");
/// ```
///
/// # Errors
/// `invalid_config` when `secret` is empty or only whitespace (checked first);
/// [`VerifyError::MissingSignature`] when the header is absent,
/// [`VerifyError::SignatureMismatch`] when it differs.
pub fn verify_telegram_secret(
    header: Option<&str>,
    secret: &SecretString,
) -> Result<(), ChannelError> {
    secret::require("telegram secret token", secret.expose_secret())?;
    let got = header.ok_or(VerifyError::MissingSignature(TELEGRAM_SECRET_HEADER))?;
    if matches(got, secret) {
        Ok(())
    } else {
        Err(VerifyError::SignatureMismatch.into())
    }
}

/// Whether the header value equals the secret, compared in constant time.
pub(crate) fn matches(got: &str, secret: &SecretString) -> bool {
    bool::from(got.as_bytes().ct_eq(secret.expose_secret().as_bytes()))
}
