use secrecy::{ExposeSecret, SecretString};
use subtle::ConstantTimeEq;

use super::{secret, VerifyError};
use crate::ChannelError;

/// Answers Meta's subscription handshake: given the raw query string of the `GET`
/// request, returns the `hub.challenge` to echo back with status 200.
///
/// ```
/// use arichat_channels::verify::meta_handshake;
/// let token = "s3cret".to_owned().into();
/// let q = "hub.mode=subscribe&hub.verify_token=s3cret&hub.challenge=1158201444";
/// assert_eq!(meta_handshake(q, &token).unwrap(), "1158201444");
/// assert!(meta_handshake("hub.mode=subscribe&hub.verify_token=nope&hub.challenge=1", &token).is_err());
///
/// // An unset verify token answers nobody, not everybody.
/// let empty = String::new().into();
/// let q = "hub.mode=subscribe&hub.verify_token=&hub.challenge=1";
/// assert_eq!(meta_handshake(q, &empty).unwrap_err().code(), "invalid_config");
/// ```
///
/// # Errors
/// `invalid_config` when `verify_token` is empty or only whitespace (checked before the
/// query is read); [`VerifyError::MissingParameter`], [`VerifyError::WrongMode`] or
/// [`VerifyError::WrongVerifyToken`] (compared in constant time); answer those with 403.
pub fn meta_handshake(query: &str, verify_token: &SecretString) -> Result<String, ChannelError> {
    secret::require("verify token", verify_token.expose_secret())?;
    let (mut mode, mut token, mut challenge) = (None, None, None);
    for (k, v) in form_urlencoded::parse(query.trim_start_matches('?').as_bytes()) {
        match k.as_ref() {
            "hub.mode" => mode = Some(v),
            "hub.verify_token" => token = Some(v),
            "hub.challenge" => challenge = Some(v),
            _ => {}
        }
    }
    let mode = mode.ok_or(VerifyError::MissingParameter("hub.mode"))?;
    let token = token.ok_or(VerifyError::MissingParameter("hub.verify_token"))?;
    let challenge = challenge.ok_or(VerifyError::MissingParameter("hub.challenge"))?;
    if mode != "subscribe" {
        return Err(VerifyError::WrongMode.into());
    }
    let expected = verify_token.expose_secret().as_bytes();
    if !bool::from(token.as_bytes().ct_eq(expected)) {
        return Err(VerifyError::WrongVerifyToken.into());
    }
    Ok(challenge.into_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn token() -> SecretString {
        "zq en".to_owned().into()
    }

    #[test]
    fn url_encoded_values_are_decoded() {
        let q = "?hub.challenge=abc&hub.verify_token=zq%20en&hub.mode=subscribe";
        assert_eq!(meta_handshake(q, &token()).unwrap(), "abc");
    }

    #[test]
    fn each_failure_is_distinct() {
        assert_eq!(
            meta_handshake("hub.verify_token=zq+en&hub.challenge=1", &token()),
            Err(VerifyError::MissingParameter("hub.mode").into())
        );
        assert_eq!(
            meta_handshake(
                "hub.mode=unsubscribe&hub.verify_token=zq+en&hub.challenge=1",
                &token()
            ),
            Err(VerifyError::WrongMode.into())
        );
        let err = meta_handshake(
            "hub.mode=subscribe&hub.verify_token=zq&hub.challenge=1",
            &token(),
        )
        .unwrap_err();
        assert_eq!(err, VerifyError::WrongVerifyToken.into());
        assert!(!err.to_string().contains("zq"));
    }

    #[test]
    fn blank_verify_tokens_are_refused_whatever_the_query() {
        for blank in ["", "   "] {
            let token: SecretString = blank.to_owned().into();
            for q in [
                "hub.mode=subscribe&hub.verify_token=&hub.challenge=1",
                "hub.mode=subscribe&hub.verify_token=%20%20%20&hub.challenge=1",
                "hub.mode=subscribe&hub.challenge=1",
            ] {
                assert_eq!(
                    meta_handshake(q, &token).unwrap_err().code(),
                    "invalid_config"
                );
            }
        }
    }
}
