use secrecy::SecretString;

use super::{secret, telegram, VerifyError};
use crate::mattermost::Hook;
use crate::ChannelError;

/// The header a slash command carries its token in: `Authorization: Token <token>`.
pub const MATTERMOST_AUTH_HEADER: &str = "Authorization";

/// The tokens of one Mattermost integration (outgoing webhook or slash command), several
/// during a rotation: regenerate the token in Mattermost, add the new one here, then
/// drop the old one. Every presented token is compared with every configured one in
/// constant time, so the time taken does not tell which matched. `Debug` shows only
/// how many tokens there are.
///
/// ```
/// use arichat_channels::mattermost::Hook;
/// use arichat_channels::verify::MattermostTokens;
/// let tokens = MattermostTokens::new(["old-token", "new-token"]).unwrap();
/// let hook = Hook::parse(b"token=new-token&team_id=t&post_id=p", None).unwrap();
/// assert!(tokens.verify(&hook, None).is_ok());
/// // A slash command's header must name a configured token as well.
/// assert!(tokens.verify(&hook, Some("Token old-token")).is_ok());
/// assert_eq!(tokens.verify(&hook, Some("Token guess")).unwrap_err().code(), "verification_failed");
/// assert_eq!(MattermostTokens::new([""]).unwrap_err().code(), "invalid_config");
/// ```
#[derive(Clone)]
pub struct MattermostTokens {
    tokens: Vec<SecretString>,
}

impl std::fmt::Debug for MattermostTokens {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("MattermostTokens")
            .field("count", &self.tokens.len())
            .finish()
    }
}

const WHAT: &str = "mattermost token";

impl MattermostTokens {
    /// The accepted tokens.
    ///
    /// # Errors
    /// `invalid_config` when none is given or one is blank (an unset variable would
    /// otherwise accept a body without a token).
    pub fn new<I, S>(tokens: I) -> Result<Self, ChannelError>
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        Ok(MattermostTokens {
            tokens: secret::secrets(WHAT, tokens)?,
        })
    }

    /// Tokens already checked by [`secret::secret`].
    pub(crate) fn from_checked(tokens: Vec<SecretString>) -> Self {
        MattermostTokens { tokens }
    }

    /// Whether `got` equals one of the tokens; compares with all of them.
    fn accepts(&self, got: &str) -> bool {
        self.tokens
            .iter()
            .fold(false, |any, token| any | telegram::matches(got, token))
    }

    /// Checks the token of a hook: the body's `token`, and the `Authorization`
    /// header's (`Token <t>`, slash commands) when the request has one. Every token
    /// presented must be accepted.
    ///
    /// # Errors
    /// [`VerifyError::MissingToken`] when neither carries a token,
    /// [`VerifyError::MalformedToken`] for a header that is not `Token <t>`,
    /// [`VerifyError::TokenMismatch`] when a token is not accepted.
    pub fn verify(&self, hook: &Hook, authorization: Option<&str>) -> Result<(), ChannelError> {
        use secrecy::ExposeSecret;
        let header = match authorization {
            None => None,
            Some(value) => Some(header_token(value).ok_or(VerifyError::MalformedToken)?),
        };
        let body = hook.token.as_ref().map(|t| t.expose_secret());
        if header.is_none() && body.is_none() {
            return Err(VerifyError::MissingToken.into());
        }
        let ok = [header, body]
            .into_iter()
            .flatten()
            .fold(true, |all, got| all & self.accepts(got));
        if ok {
            Ok(())
        } else {
            Err(VerifyError::TokenMismatch.into())
        }
    }
}

/// The token of `Token <t>` (the scheme case-insensitive, as HTTP schemes are).
fn header_token(value: &str) -> Option<&str> {
    let (scheme, token) = value.trim().split_once(' ')?;
    let token = token.trim();
    (scheme.eq_ignore_ascii_case("token") && !token.is_empty()).then_some(token)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn hook(body: &[u8]) -> Hook {
        Hook::parse(body, None).unwrap()
    }

    #[test]
    fn rotation_accepts_either_token_and_nothing_else() {
        let tokens = MattermostTokens::new(["aaaa", "bbbb"]).unwrap();
        assert!(tokens
            .verify(&hook(b"token=aaaa&team_id=t&post_id=p"), None)
            .is_ok());
        assert!(tokens
            .verify(&hook(b"token=bbbb&team_id=t&post_id=p"), None)
            .is_ok());
        for (body, header) in [
            (&b"token=aaa&team_id=t&post_id=p"[..], None),
            (b"token=aaaab&team_id=t&post_id=p", None),
            (b"token=&team_id=t&post_id=p", Some("Token cccc")),
            // A good body token does not excuse a foreign header, nor the reverse.
            (b"token=aaaa&team_id=t&trigger_id=x", Some("Token cccc")),
            (b"token=cccc&team_id=t&trigger_id=x", Some("Token aaaa")),
        ] {
            let err = tokens.verify(&hook(body), header).unwrap_err();
            assert_eq!(err, ChannelError::Verify(VerifyError::TokenMismatch));
        }
        assert!(tokens
            .verify(&hook(b"team_id=t&trigger_id=x"), Some("token  bbbb "))
            .is_ok());
    }

    #[test]
    fn missing_and_malformed_tokens_are_told_apart() {
        let tokens = MattermostTokens::new(["aaaa"]).unwrap();
        let h = hook(b"team_id=t&post_id=p&token=");
        assert_eq!(
            tokens.verify(&h, None).unwrap_err(),
            ChannelError::Verify(VerifyError::MissingToken)
        );
        for bad in ["aaaa", "Bearer aaaa", "Token ", ""] {
            assert_eq!(
                tokens.verify(&h, Some(bad)).unwrap_err(),
                ChannelError::Verify(VerifyError::MalformedToken),
                "{bad:?}"
            );
        }
        assert_eq!(format!("{tokens:?}"), "MattermostTokens { count: 1 }");
        assert_eq!(
            MattermostTokens::new(Vec::<String>::new())
                .unwrap_err()
                .code(),
            "invalid_config"
        );
    }
}
