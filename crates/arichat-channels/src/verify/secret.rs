use arichat_core::CoreError;
use secrecy::SecretString;

use crate::ChannelError;

/// Accepts a configured secret (app secret, verify token, Telegram secret token) only
/// when it has a non-whitespace character.
///
/// An empty secret is the value of an unset environment variable, and it
/// authenticates anyone: HMAC accepts an empty key, and an empty header equals an
/// empty token. So a blank secret is a configuration error, refused where the
/// verifier is built, never a secret that matches.
pub(crate) fn require(what: &'static str, secret: &str) -> Result<(), ChannelError> {
    if secret.trim().is_empty() {
        return Err(blank(what));
    }
    Ok(())
}

/// [`require`], then wraps the secret.
pub(crate) fn secret(
    what: &'static str,
    secret: impl Into<String>,
) -> Result<SecretString, ChannelError> {
    let secret = secret.into();
    require(what, &secret)?;
    Ok(SecretString::from(secret))
}

/// Several secrets (a rotation), each checked by [`secret`]; at least one.
pub(crate) fn secrets<I, S>(
    what: &'static str,
    secrets: I,
) -> Result<Vec<SecretString>, ChannelError>
where
    I: IntoIterator<Item = S>,
    S: Into<String>,
{
    let secrets = secrets
        .into_iter()
        .map(|s| secret(what, s))
        .collect::<Result<Vec<_>, _>>()?;
    if secrets.is_empty() {
        return Err(none_given(what));
    }
    Ok(secrets)
}

fn blank(what: &'static str) -> ChannelError {
    ChannelError::Core(CoreError::InvalidConfig {
        what,
        reason: "a secret is empty or only whitespace (is its environment variable unset?)".into(),
    })
}

/// The error for a verifier given no secret at all.
fn none_given(what: &'static str) -> ChannelError {
    ChannelError::Core(CoreError::InvalidConfig {
        what,
        reason: "no secret given".into(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn blank_secrets_are_a_config_error() {
        for s in ["", " ", "\t\n", "\u{3000}"] {
            let err = secret("app secret", s).unwrap_err();
            assert_eq!(err.code(), "invalid_config", "{s:?}");
        }
        assert!(secret("app secret", " x ").is_ok());
    }
}
