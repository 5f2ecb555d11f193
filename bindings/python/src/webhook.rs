//! Inbound webhooks: `arichat.normalize` and the verification functions, thin wrappers
//! around [`arichat_channels`].

use arichat_channels::cloudevents::CloudEvent;
use arichat_channels::verify::{meta_handshake as core_handshake, SignatureVerifier};
use arichat_channels::{Channel, ChannelError, NormalizeOptions, SecretString};
use arichat_core::ChannelAccountId;
use pyo3::exceptions::{PyKeyError, PyTypeError};
use pyo3::prelude::*;
use pyo3::types::{PyByteArray, PyBytes, PyList, PyMemoryView};

use crate::convert::to_py;
use crate::error::{channel_to_py_err, to_py_err};
use crate::time::to_utc;

/// A webhook body borrowed from `bytes`, or copied from a `bytearray` (mutable, so it
/// cannot be borrowed while the GIL is released).
pub(crate) enum Body<'py> {
    Borrowed(Bound<'py, PyBytes>),
    Owned(Vec<u8>),
}

impl Body<'_> {
    pub(crate) fn as_slice(&self) -> &[u8] {
        match self {
            Body::Borrowed(b) => b.as_bytes(),
            Body::Owned(v) => v,
        }
    }
}

/// Reads `bytes`, `bytearray` or `memoryview`. A `str` is refused: a signature covers
/// the exact bytes received, which a decoded string no longer is.
pub(crate) fn body<'py>(value: &Bound<'py, PyAny>) -> PyResult<Body<'py>> {
    if let Ok(b) = value.cast::<PyBytes>() {
        return Ok(Body::Borrowed(b.clone()));
    }
    if let Ok(b) = value.cast::<PyByteArray>() {
        return Ok(Body::Owned(b.to_vec()));
    }
    if value.cast::<PyMemoryView>().is_ok() {
        let bytes = value.call_method0("tobytes")?.cast_into::<PyBytes>()?;
        return Ok(Body::Borrowed(bytes));
    }
    Err(PyTypeError::new_err(format!(
        "body must be bytes, bytearray or memoryview (the raw request body), not {}",
        value.get_type().name()?
    )))
}

/// Parses a raw webhook body of `channel` ("whatsapp", "messenger", "instagram",
/// "telegram") into a list of event dicts, in the order the body lists them.
///
/// `received_at` (a timezone-aware datetime, default now) dates events whose payload
/// carries no time; `account` names the receiving Telegram bot (required for Telegram:
/// `InvalidConfigError` with code `account_required` without it; Meta bodies name
/// their account themselves); `max_items` caps the items one body may hold (default
/// in Rust: 10,000); `app_id` is this integration's Meta app id (a Messenger or
/// Instagram echo with this `app_id` comes out authored `bot`, other echoes `agent`).
/// Items arichat does not map become `unsupported` events carrying
/// their raw JSON; malformed items become `invalid_item` events with their raw text and
/// a reason, and the rest of the body is delivered. With `cloudevents=True` each event
/// comes as a structured-mode CloudEvent 1.0 dict (`id` = its idempotency key).
#[pyfunction]
#[pyo3(signature = (channel, body, *, received_at = None, account = None, max_items = None, app_id = None, cloudevents = false))]
#[allow(clippy::too_many_arguments)]
pub(crate) fn normalize<'py>(
    py: Python<'py>,
    channel: &str,
    body: &Bound<'py, PyAny>,
    received_at: Option<&Bound<'py, PyAny>>,
    account: Option<&str>,
    max_items: Option<usize>,
    app_id: Option<&str>,
    cloudevents: bool,
) -> PyResult<Bound<'py, PyList>> {
    let channel: Channel = channel.parse().map_err(to_py_err)?;
    let options = options(received_at, account, max_items, app_id)?;
    events(py, body, cloudevents, |bytes| {
        arichat_channels::normalize(channel, bytes, &options)
    })
}

/// Runs `parse` over the body with the GIL released; the events as a list of dicts
/// (CloudEvents when `cloudevents`).
fn events<'py>(
    py: Python<'py>,
    body: &Bound<'py, PyAny>,
    cloudevents: bool,
    parse: impl FnOnce(&[u8]) -> Result<Vec<arichat_core::Event>, ChannelError> + Send,
) -> PyResult<Bound<'py, PyList>> {
    let body = self::body(body)?;
    let bytes = body.as_slice();
    let events = py.detach(|| parse(bytes)).map_err(channel_to_py_err)?;
    if cloudevents {
        let envelopes: Vec<CloudEvent> = events.iter().map(CloudEvent::from_event).collect();
        return Ok(to_py(py, &envelopes)?.cast_into::<PyList>()?);
    }
    Ok(to_py(py, &events)?.cast_into::<PyList>()?)
}

/// The `received_at` (default now), `account`, `max_items` (default: the core's) and
/// `app_id` keyword arguments of every normalize.
fn options(
    received_at: Option<&Bound<'_, PyAny>>,
    account: Option<&str>,
    max_items: Option<usize>,
    app_id: Option<&str>,
) -> PyResult<NormalizeOptions> {
    let received_at = match received_at {
        Some(at) => to_utc("received_at", at)?,
        None => chrono::Utc::now(),
    };
    let mut options = NormalizeOptions::new(received_at);
    options.account = account.map(ChannelAccountId::new);
    if let Some(max_items) = max_items {
        options = options.with_max_items(max_items);
    }
    if let Some(app_id) = app_id {
        options = options.with_app_id(app_id);
    }
    Ok(options)
}

/// Per-tenant webhook verification ([`WebhookVerifier`]): each channel account with
/// its tenant and that tenant's secrets; a body is accepted only with the secrets of
/// the accounts it names, and its events come back routed (`tenant_id` set).
#[pyclass(name = "WebhookVerifier", module = "arichat", frozen)]
pub(crate) struct WebhookVerifier {
    inner: arichat_channels::verify::WebhookVerifier,
}

#[pymethods]
impl WebhookVerifier {
    /// `accounts`: an iterable of mappings with `channel`, `account`, `tenant` and
    /// `secrets` (a list of strings). Raises `InvalidConfigError` for a blank secret,
    /// an account without secrets, or an empty account or tenant id.
    #[new]
    fn new(accounts: &Bound<'_, PyAny>) -> PyResult<Self> {
        let mut inner = arichat_channels::verify::WebhookVerifier::new();
        for item in accounts.try_iter()? {
            let item = item?;
            let field = |name: &str| -> PyResult<Bound<'_, PyAny>> {
                item.get_item(name).map_err(|_| {
                    PyKeyError::new_err(format!("a webhook account needs a {name:?} key"))
                })
            };
            let channel: Channel = field("channel")?
                .extract::<String>()?
                .parse()
                .map_err(to_py_err)?;
            let account: String = field("account")?.extract()?;
            let tenant: String = field("tenant")?.extract()?;
            let secrets: Vec<String> = field("secrets")?.extract()?;
            inner
                .add(channel, account, tenant, secrets)
                .map_err(channel_to_py_err)?;
        }
        Ok(WebhookVerifier { inner })
    }

    /// Verifies one webhook request and parses it into event dicts, each with its
    /// `tenant_id`. `header` is the `X-Hub-Signature-256` value (Meta channels) or the
    /// `X-Telegram-Bot-Api-Secret-Token` value (Telegram), `None` when absent; for
    /// Telegram, `account` is the bot id the request was addressed to, or, when absent,
    /// the bot registered with the request's secret token. The other keyword arguments
    /// are `normalize`'s.
    #[pyo3(signature = (channel, body, header, *, received_at = None, account = None, max_items = None, app_id = None, cloudevents = false))]
    #[allow(clippy::too_many_arguments)]
    fn normalize<'py>(
        &self,
        py: Python<'py>,
        channel: &str,
        body: &Bound<'py, PyAny>,
        header: Option<&str>,
        received_at: Option<&Bound<'py, PyAny>>,
        account: Option<&str>,
        max_items: Option<usize>,
        app_id: Option<&str>,
        cloudevents: bool,
    ) -> PyResult<Bound<'py, PyList>> {
        let channel: Channel = channel.parse().map_err(to_py_err)?;
        let options = options(received_at, account, max_items, app_id)?;
        events(py, body, cloudevents, |bytes| {
            self.inner.normalize(channel, bytes, header, &options)
        })
    }

    fn __repr__(&self) -> String {
        format!("{:?}", self.inner)
    }
}

/// Checks an `X-Hub-Signature-256` header (`None` when the request has none) against
/// the HMAC-SHA256 of the raw body with each of `secrets` (several during a rotation),
/// in constant time. Returns the index of the secret that matched. A blank secret or
/// none raises `InvalidConfigError`.
#[pyfunction]
pub(crate) fn verify_signature(
    py: Python<'_>,
    body: &Bound<'_, PyAny>,
    header: Option<&str>,
    secrets: Vec<String>,
) -> PyResult<usize> {
    let verifier = SignatureVerifier::new(secrets).map_err(channel_to_py_err)?;
    let body = self::body(body)?;
    let bytes = body.as_slice();
    py.detach(|| verifier.verify(bytes, header))
        .map_err(channel_to_py_err)
}

/// Answers Meta's `GET` subscription handshake: given the raw query string, returns
/// `hub.challenge` to echo back with status 200 when `hub.verify_token` matches.
#[pyfunction]
pub(crate) fn meta_handshake(query: &str, verify_token: String) -> PyResult<String> {
    core_handshake(query, &SecretString::from(verify_token)).map_err(channel_to_py_err)
}

/// Checks Telegram's `X-Telegram-Bot-Api-Secret-Token` header (`None` when absent)
/// against the secret given to `setWebhook`, in constant time.
#[pyfunction]
pub(crate) fn verify_telegram_secret(header: Option<&str>, secret: String) -> PyResult<()> {
    arichat_channels::verify::verify_telegram_secret(header, &SecretString::from(secret))
        .map_err(channel_to_py_err)
}

/// The request header that authenticates `channel`'s webhooks: `X-Hub-Signature-256`
/// for WhatsApp, Messenger and Instagram, `X-Telegram-Bot-Api-Secret-Token` for Telegram.
#[pyfunction]
pub(crate) fn auth_header(channel: &str) -> PyResult<&'static str> {
    let channel: Channel = channel.parse().map_err(to_py_err)?;
    Ok(arichat_channels::verify::auth_header(channel))
}
