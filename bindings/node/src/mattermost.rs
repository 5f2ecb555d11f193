//! Mattermost hooks: parse, verify and answer, thin wrappers around
//! [`arichat_channels::mattermost`] and [`arichat_channels::verify::MattermostTokens`].
//! Hooks reach JS as the core's serde JSON (the same objects Python returns).

use arichat_channels::mattermost::{Hook, HookReply, ResponseType};
use arichat_channels::verify::MattermostTokens as CoreTokens;
use napi::bindgen_prelude::{BufferSlice, Either};
use napi_derive::napi;
use serde_json::Value as Json;

use crate::{channel_error, core_error, Result};

fn bytes<'a>(body: &'a Either<BufferSlice<'_>, String>) -> &'a [u8] {
    match body {
        Either::A(b) => b,
        Either::B(s) => s.as_bytes(),
    }
}

fn hook(body: &Either<BufferSlice, String>, content_type: Option<&str>) -> Result<Hook> {
    Hook::parse(bytes(body), content_type).map_err(channel_error)
}

/// Reads an outgoing-webhook or slash-command body (form or JSON; `contentType` is the
/// request's `Content-Type`, sniffed when absent) into an object of its fields (without
/// the token).
///
/// Throws `invalid_body` (and the other hook codes) when it is not a hook.
#[napi(ts_return_type = "Record<string, any>")]
pub fn parse_mattermost_hook(
    body: Either<BufferSlice, String>,
    content_type: Option<String>,
) -> Result<Json> {
    let hook = hook(&body, content_type.as_deref())?;
    Ok(serde_json::to_value(&hook).unwrap_or(Json::Null))
}

/// The `{"text", "response_type"}` answer to a hook, as JSON text; `responseType` is
/// `"comment"` (the thread, the default), `"in_channel"` or `"ephemeral"`.
///
/// Throws `unknown_variant` for another response type.
#[napi(ts_args_type = "text: string, responseType?: 'comment' | 'in_channel' | 'ephemeral'")]
pub fn mattermost_reply(text: String, response_type: Option<String>) -> Result<String> {
    let response_type = match response_type {
        Some(name) => name.parse::<ResponseType>().map_err(core_error)?,
        None => ResponseType::default(),
    };
    Ok(HookReply::new(text, response_type).to_json())
}

/// The tokens of a Mattermost integration, several during a rotation.
#[napi]
pub struct MattermostTokens {
    inner: CoreTokens,
}

#[napi]
impl MattermostTokens {
    /// Throws `invalid_config` for an empty token.
    #[napi(constructor)]
    pub fn new(tokens: Vec<String>) -> Result<Self> {
        Ok(MattermostTokens {
            inner: CoreTokens::new(tokens).map_err(channel_error)?,
        })
    }

    /// Parses the body, checks its token (and the `Authorization` header's, for slash
    /// commands) in constant time, and returns the hook's fields.
    ///
    /// Throws a `verification_failed`-family error without the token.
    #[napi(ts_return_type = "Record<string, any>")]
    pub fn verify(
        &self,
        body: Either<BufferSlice, String>,
        authorization: Option<String>,
        content_type: Option<String>,
    ) -> Result<Json> {
        let hook = hook(&body, content_type.as_deref())?;
        self.inner
            .verify(&hook, authorization.as_deref())
            .map_err(channel_error)?;
        Ok(serde_json::to_value(&hook).unwrap_or(Json::Null))
    }
}
