//! Mattermost hooks: parse, verify and answer, thin wrappers around
//! [`arichat_channels::mattermost`] and [`arichat_channels::verify::MattermostTokens`].

use arichat_channels::mattermost::{Hook, HookReply, ResponseType};
use arichat_channels::verify::MattermostTokens as CoreTokens;
use pyo3::prelude::*;

use crate::convert::to_py;
use crate::error::{channel_to_py_err, to_py_err};
use crate::webhook::body;

/// Reads an outgoing-webhook or slash-command body (form or JSON; `content_type` is
/// the request's `Content-Type`, sniffed when `None`) into a dict of its fields
/// (without the token).
#[pyfunction]
#[pyo3(signature = (body, content_type = None))]
pub(crate) fn parse_mattermost_hook<'py>(
    py: Python<'py>,
    body: &Bound<'py, PyAny>,
    content_type: Option<&str>,
) -> PyResult<Bound<'py, PyAny>> {
    let body = self::body(body)?;
    let hook = Hook::parse(body.as_slice(), content_type).map_err(channel_to_py_err)?;
    to_py(py, &hook)
}

/// The `{"text": …, "response_type": …}` answer to a hook, as JSON text;
/// `response_type` is `"comment"` (the thread), `"in_channel"` or `"ephemeral"`,
/// Rust's default when `None`.
#[pyfunction]
#[pyo3(signature = (text, response_type = None))]
pub(crate) fn mattermost_reply(text: String, response_type: Option<&str>) -> PyResult<String> {
    let response_type = match response_type {
        Some(name) => name.parse::<ResponseType>().map_err(to_py_err)?,
        None => ResponseType::default(),
    };
    Ok(HookReply::new(text, response_type).to_json())
}

/// The tokens of a Mattermost integration, several during a rotation.
#[pyclass(frozen, name = "MattermostTokens", module = "arichat")]
pub(crate) struct MattermostTokens {
    inner: CoreTokens,
}

#[pymethods]
impl MattermostTokens {
    #[new]
    fn new(tokens: Vec<String>) -> PyResult<Self> {
        Ok(MattermostTokens {
            inner: CoreTokens::new(tokens).map_err(channel_to_py_err)?,
        })
    }

    /// Parses the body, checks its token (and the `Authorization` header's, for slash
    /// commands) in constant time, and returns the hook's fields.
    #[pyo3(signature = (body, authorization = None, content_type = None))]
    fn verify<'py>(
        &self,
        py: Python<'py>,
        body: &Bound<'py, PyAny>,
        authorization: Option<&str>,
        content_type: Option<&str>,
    ) -> PyResult<Bound<'py, PyAny>> {
        let body = self::body(body)?;
        let hook = Hook::parse(body.as_slice(), content_type).map_err(channel_to_py_err)?;
        self.inner
            .verify(&hook, authorization)
            .map_err(channel_to_py_err)?;
        to_py(py, &hook)
    }

    fn __repr__(&self) -> String {
        format!("{:?}", self.inner)
    }
}
