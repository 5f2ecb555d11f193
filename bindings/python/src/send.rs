//! The channels' send clients ([`arichat_channels::client`]), each twice, httpx-style:
//! `WhatsAppClient` blocks (with the GIL released) and `AsyncWhatsAppClient` returns
//! awaitables; same for Messenger and Telegram.
//!
//! Both run their futures on the extension's one tokio runtime ([`crate::runtime`]): the
//! blocking classes `block_on` it inside `Python::detach`, the async classes return an
//! asyncio future of the running loop, completed through `call_soon_threadsafe`. Everything else converts at the edge: a message dict
//! becomes an [`Outbound`] through its serde JSON, a conversation mapping becomes a
//! [`Conversation`], results become [`Receipt`]s, dicts or `None`, and every failure
//! becomes [`SendError`](crate::error::SendError) in [`crate::error::send_to_py_err`].

// The clients' own error type (`SendError`, ~128 bytes) travels unboxed, as in the Rust API.
#![allow(clippy::result_large_err)]

use std::future::Future;
use std::sync::Arc;
use std::time::Duration;

use arichat_channels::client::{
    self as rs, ConversionsSpec, GraphEndpoint, HttpOptions, HttpSpec, MessengerSpec, PollSpec,
    ReplyRequest, SendError as ClientError, SendReceipt, TelegramSpec, WebhookSpec, WhatsAppSpec,
};
use arichat_channels::conversions::ConversionEvent;
use arichat_channels::meta_send::SenderAction;
use arichat_channels::outbound::{Delivery, MessageTag, Outbound};
use arichat_core::{Channel, ConsentLedger};
use pyo3::prelude::*;
use pyo3::types::{PyMapping, PyString};
use pyo3::IntoPyObjectExt;
use serde_json::Value;

use crate::convert::to_py;
use crate::error::send_to_py_err;
use crate::time::to_utc;

/// What a send answered.
#[pyclass(name = "Receipt", module = "arichat", frozen, get_all)]
#[derive(Debug, Clone)]
pub struct Receipt {
    /// `"whatsapp"`, `"messenger"`, `"instagram"` or `"telegram"`.
    channel: &'static str,
    /// The vendor's ids of the messages sent (wamid, mid, Telegram message id as text).
    message_ids: Vec<String>,
    /// How `reply` let it out (`"response"`, `"update"`, `"tagged"`, `"template"`,
    /// `"unrestricted"`); `None` for a plain `send`.
    delivery: Option<&'static str>,
    /// The message tag of a `"tagged"` delivery.
    tag: Option<&'static str>,
}

#[pymethods]
impl Receipt {
    fn __repr__(&self) -> String {
        format!(
            "Receipt(channel={:?}, message_ids={:?}, delivery={:?}, tag={:?})",
            self.channel, self.message_ids, self.delivery, self.tag
        )
    }
}

impl Receipt {
    fn sent(channel: Channel, message_ids: Vec<String>) -> Self {
        Receipt {
            channel: channel.as_str(),
            message_ids,
            delivery: None,
            tag: None,
        }
    }
}

impl From<SendReceipt> for Receipt {
    fn from(r: SendReceipt) -> Self {
        Receipt {
            channel: r.channel.as_str(),
            message_ids: r.message_ids,
            delivery: Some(r.delivery.kind()),
            tag: r.delivery.tag().map(MessageTag::as_str),
        }
    }
}

/// JSON values (Telegram updates) that become dicts and lists on the Python side.
struct Json(Vec<Value>);

impl<'py> IntoPyObject<'py> for Json {
    type Target = PyAny;
    type Output = Bound<'py, PyAny>;
    type Error = PyErr;

    fn into_pyobject(self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        to_py(py, &self.0)
    }
}

/// No result: `None` in Python (pyo3 turns `()` into an empty tuple).
struct Done;

impl<'py> IntoPyObject<'py> for Done {
    type Target = PyAny;
    type Output = Bound<'py, PyAny>;
    type Error = PyErr;

    fn into_pyobject(self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        Ok(py.None().into_bound(py))
    }
}

/// Runs `fut` on the shared runtime: blocking with the GIL released, or as an
/// awaitable completed on the calling asyncio loop.
fn run<'py, T, F>(py: Python<'py>, asynchronous: bool, fut: F) -> PyResult<Bound<'py, PyAny>>
where
    T: for<'a> IntoPyObject<'a> + Send + 'static,
    F: Future<Output = Result<T, ClientError>> + Send + 'static,
{
    run_with(py, asynchronous, fut, send_to_py_err)
}

/// [`run`] for any error type, mapped by `to_err`.
pub(crate) fn run_with<'py, T, E, F>(
    py: Python<'py>,
    asynchronous: bool,
    fut: F,
    to_err: fn(&E) -> PyErr,
) -> PyResult<Bound<'py, PyAny>>
where
    T: for<'a> IntoPyObject<'a> + Send + 'static,
    E: Send + 'static,
    F: Future<Output = Result<T, E>> + Send + 'static,
{
    if asynchronous {
        crate::runtime::awaitable(py, fut, to_err)
    } else {
        let runtime = crate::runtime::runtime();
        let value = py
            .detach(|| runtime.block_on(fut))
            .map_err(|e| to_err(&e))?;
        value.into_bound_py_any(py)
    }
}

fn invalid(msg: impl Into<String>) -> ClientError {
    ClientError::InvalidRequest(msg.into())
}

/// A spec or parse failure as the Python exception.
fn py_err(e: impl Into<ClientError>) -> PyErr {
    send_to_py_err(&e.into())
}

/// A dict (or JSON text) as its serde JSON value.
fn json_of(value: &Bound<'_, PyAny>, what: &str) -> Result<Value, ClientError> {
    let text = if let Ok(s) = value.cast::<PyString>() {
        s.to_string()
    } else {
        let dumped = value
            .py()
            .import("json")
            .and_then(|json| json.call_method1("dumps", (value,)))
            .and_then(|s| s.extract::<String>());
        dumped.map_err(|e| invalid(format!("{what} is not JSON-serializable: {e}")))?
    };
    serde_json::from_str(&text).map_err(|e| invalid(format!("{what} is not valid JSON: {e}")))
}

/// A dict (or JSON text) as `T`.
fn parse_json<T: serde::de::DeserializeOwned>(value: &Bound<'_, PyAny>, what: &str) -> PyResult<T> {
    let parsed = json_of(value, what)
        .and_then(|v| serde_json::from_value(v).map_err(|e| invalid(format!("not {what}: {e}"))));
    parsed.map_err(py_err)
}

fn outbound(value: &Bound<'_, PyAny>) -> PyResult<Outbound> {
    parse_json(value, "an outbound message")
}

fn message_tag(name: Option<&str>) -> PyResult<Option<MessageTag>> {
    name.map(str::parse).transpose().map_err(py_err)
}

/// The HTTP keyword arguments, as they came: [`HttpSpec`] decides the rest.
fn http(
    timeout: Option<f64>,
    max_attempts: Option<u32>,
    retry_base_delay: Option<f64>,
    guarantee: Option<String>,
) -> HttpSpec {
    HttpSpec {
        timeout,
        max_attempts,
        retry_base_delay,
        guarantee,
    }
}

/// The HTTP keyword arguments as [`HttpOptions`], for a client with its own defaults.
pub(crate) fn http_options(
    timeout: Option<f64>,
    max_attempts: Option<u32>,
    retry_base_delay: Option<f64>,
    guarantee: Option<String>,
) -> PyResult<HttpOptions> {
    http(timeout, max_attempts, retry_base_delay, guarantee)
        .options()
        .map_err(py_err)
}

/// A number of seconds as a `Duration` ([`rs::seconds`] refuses negative ones).
pub(crate) fn seconds(value: Option<f64>, name: &str) -> PyResult<Option<Duration>> {
    rs::seconds(value, name).map_err(py_err)
}

/// The checks a client's `reply` runs, without sending: how the message would go out
/// (`{"kind": "response" | "update" | "template" | "unrestricted"}`, or
/// `{"kind": "tagged", "tag": ...}`). Takes `reply`'s arguments; raises what `reply`
/// would raise before any request (`SendError` with code `outside_window`,
/// `consent_refused`, `unsupported_message`, `phone_required` or `invalid_request`).
#[pyfunction]
#[pyo3(signature = (conversation, to, message, *, now = None, consent = None, marketing = false, tag = None, proactive = false))]
#[allow(clippy::too_many_arguments)]
pub(crate) fn preflight<'py>(
    py: Python<'py>,
    conversation: &Bound<'py, PyAny>,
    to: String,
    message: &Bound<'py, PyAny>,
    now: Option<&Bound<'py, PyAny>>,
    consent: Option<&Bound<'py, PyAny>>,
    marketing: bool,
    tag: Option<&str>,
    proactive: bool,
) -> PyResult<Bound<'py, PyAny>> {
    let request = reply_request(
        conversation,
        to,
        message,
        now,
        consent,
        marketing,
        tag,
        proactive,
    )?;
    let delivery = request
        .preflight()
        .map_err(|e| send_to_py_err(&ClientError::from(e)))?;
    to_py(py, &delivery)
}

/// The arguments of every client's `reply` as the channels crate's [`ReplyRequest`].
#[allow(clippy::too_many_arguments)]
fn reply_request(
    conversation: &Bound<'_, PyAny>,
    to: String,
    message: &Bound<'_, PyAny>,
    now: Option<&Bound<'_, PyAny>>,
    consent: Option<&Bound<'_, PyAny>>,
    marketing: bool,
    tag: Option<&str>,
    proactive: bool,
) -> PyResult<ReplyRequest> {
    let conv = conversation.cast::<PyMapping>().map_err(|_| {
        py_err(invalid(
            "conversation must be a mapping with 'channel' and optional 'last_inbound_at' and 'contact_id'",
        ))
    })?;
    let get = |key: &str| -> PyResult<Option<Bound<'_, PyAny>>> {
        let key = PyString::new(conv.py(), key);
        if conv.contains(&key)? {
            let v = conv.get_item(&key)?;
            Ok((!v.is_none()).then_some(v))
        } else {
            Ok(None)
        }
    };
    let channel: String = get("channel")?
        .ok_or_else(|| py_err(invalid("conversation['channel'] is required")))?
        .extract()?;
    let last_inbound_at = get("last_inbound_at")?
        .map(|at| to_utc("conversation['last_inbound_at']", &at))
        .transpose()?;
    Ok(ReplyRequest {
        channel: channel.parse::<Channel>().map_err(py_err)?,
        recipient: to,
        contact_id: get("contact_id")?.map(|c| c.extract()).transpose()?,
        last_inbound_at,
        message: outbound(message)?,
        now: now.map(|n| to_utc("now", n)).transpose()?,
        consent: consent
            .filter(|c| !c.is_none())
            .map(|c| parse_json::<ConsentLedger>(c, "a consent ledger"))
            .transpose()?,
        tag: message_tag(tag)?,
        marketing,
        proactive,
    })
}

/// A Python class over one of the channels' clients, its sync (`$async` false) and
/// async twins alike: the kind's own methods, then `settings` and, for the three
/// chat channels, `reply`, written here once.
macro_rules! client_class {
    ($rust:ident, $py:literal, $async:expr, $client:ty, $doc:literal, { $($methods:tt)* }) => {
        client_class!(@class $rust, $py, $async, $client, $doc, {
            $($methods)*

            /// Answers `conversation` after the Rust preflight: a free-form message
            /// outside the 24-hour window raises `outside_window`, a marketing send
            /// without consent `consent_refused`, both before any request.
            #[pyo3(signature = (conversation, to, message, *, now = None, consent = None, marketing = false, tag = None, proactive = false))]
            #[allow(clippy::too_many_arguments)]
            fn reply<'py>(
                &self,
                py: Python<'py>,
                conversation: &Bound<'py, PyAny>,
                to: String,
                message: &Bound<'py, PyAny>,
                now: Option<&Bound<'py, PyAny>>,
                consent: Option<&Bound<'py, PyAny>>,
                marketing: bool,
                tag: Option<&str>,
                proactive: bool,
            ) -> PyResult<Bound<'py, PyAny>> {
                let request = reply_request(
                    conversation, to, message, now, consent, marketing, tag, proactive,
                )?;
                self.call(py, |client| async move { Ok(Receipt::from(request.send(&*client).await?)) })
            }
        });
    };
    (@class $rust:ident, $py:literal, $async:expr, $client:ty, $doc:literal, { $($methods:tt)* }) => {
        #[doc = $doc]
        #[pyclass(name = $py, module = "arichat", frozen)]
        pub struct $rust {
            inner: Arc<$client>,
        }

        impl $rust {
            /// The client built from `spec`, or the error its checks raise.
            fn build(client: Result<$client, rs::SendError>) -> PyResult<Self> {
                Ok(Self {
                    inner: Arc::new(client.map_err(py_err)?),
                })
            }

            /// Runs `call` with a handle to the client, as [`run`] does: blocking or
            /// awaitable by the class.
            fn call<'py, T, F>(
                &self,
                py: Python<'py>,
                call: impl FnOnce(Arc<$client>) -> F,
            ) -> PyResult<Bound<'py, PyAny>>
            where
                T: for<'a> IntoPyObject<'a> + Send + 'static,
                F: Future<Output = Result<T, rs::SendError>> + Send + 'static,
            {
                run(py, $async, call(Arc::clone(&self.inner)))
            }
        }

        #[pymethods]
        impl $rust {
            $($methods)*

            /// What the client will do, without its token: `client`, `account_id`,
            /// `api_base`, `graph_version`, `timeout`, `connect_timeout`,
            /// `max_attempts`, `retry_base_delay` (seconds) and `guarantee`.
            #[getter]
            fn settings<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
                to_py(py, &self.inner.settings())
            }
        }
    };
}

macro_rules! whatsapp_class {
    ($rust:ident, $py:literal, $async:expr, $doc:literal) => {
        client_class!($rust, $py, $async, rs::WhatsAppClient, $doc, {
            #[new]
            #[pyo3(signature = (access_token, phone_number_id, *, api_base = None, graph_version = None, timeout = None, max_attempts = None, retry_base_delay = None, guarantee = None))]
            #[allow(clippy::too_many_arguments)]
            fn new(
                access_token: String,
                phone_number_id: String,
                api_base: Option<String>,
                graph_version: Option<String>,
                timeout: Option<f64>,
                max_attempts: Option<u32>,
                retry_base_delay: Option<f64>,
                guarantee: Option<String>,
            ) -> PyResult<Self> {
                let spec = WhatsAppSpec {
                    access_token: Some(access_token.into()),
                    phone_number_id: Some(phone_number_id),
                    endpoint: GraphEndpoint { api_base, graph_version },
                    http: http(timeout, max_attempts, retry_base_delay, guarantee),
                };
                Self::build(spec.client())
            }

            /// Sends any message (an Outbound dict) with no window or consent check.
            #[pyo3(signature = (to, message, *, reply_to = None))]
            fn send<'py>(
                &self,
                py: Python<'py>,
                to: String,
                message: &Bound<'py, PyAny>,
                reply_to: Option<String>,
            ) -> PyResult<Bound<'py, PyAny>> {
                let msg = outbound(message)?;
                self.call(py, |client| async move {
                    let sent = client.send(&to, &msg, reply_to.as_deref()).await?;
                    Ok(Receipt::sent(Channel::Whatsapp, vec![sent.id]))
                })
            }

            /// Sends text (`preview_url`: render a preview of its first link).
            #[pyo3(signature = (to, text, *, preview_url = false))]
            fn send_text<'py>(
                &self,
                py: Python<'py>,
                to: String,
                text: String,
                preview_url: bool,
            ) -> PyResult<Bound<'py, PyAny>> {
                self.call(py, |client| async move {
                    let sent = client.send_text(&to, &text, preview_url).await?;
                    Ok(Receipt::sent(Channel::Whatsapp, vec![sent.id]))
                })
            }

            /// Marks an inbound message read, optionally showing "typing…".
            #[pyo3(signature = (message_id, *, typing_indicator = false))]
            fn mark_read<'py>(
                &self,
                py: Python<'py>,
                message_id: String,
                typing_indicator: bool,
            ) -> PyResult<Bound<'py, PyAny>> {
                self.call(py, |client| async move {
                    client.mark_read(&message_id, typing_indicator).await.map(|()| Done)
                })
            }
        });
    };
}

whatsapp_class!(
    WhatsAppClient,
    "WhatsAppClient",
    false,
    "WhatsApp Cloud API client for one phone number; methods block (the GIL released)."
);
whatsapp_class!(
    AsyncWhatsAppClient,
    "AsyncWhatsAppClient",
    true,
    "WhatsApp Cloud API client for one phone number; methods return awaitables."
);

macro_rules! messenger_class {
    ($rust:ident, $py:literal, $async:expr, $doc:literal) => {
        client_class!($rust, $py, $async, rs::MessengerClient, $doc, {
            #[new]
            #[pyo3(signature = (access_token, page_id, *, channel = None, api_base = None, graph_version = None, timeout = None, max_attempts = None, retry_base_delay = None, guarantee = None))]
            #[allow(clippy::too_many_arguments)]
            fn new(
                access_token: String,
                page_id: String,
                channel: Option<String>,
                api_base: Option<String>,
                graph_version: Option<String>,
                timeout: Option<f64>,
                max_attempts: Option<u32>,
                retry_base_delay: Option<f64>,
                guarantee: Option<String>,
            ) -> PyResult<Self> {
                let spec = MessengerSpec {
                    channel,
                    access_token: Some(access_token.into()),
                    page_id: Some(page_id),
                    account_id: None,
                    endpoint: GraphEndpoint { api_base, graph_version },
                    http: http(timeout, max_attempts, retry_base_delay, guarantee),
                };
                Self::build(spec.client())
            }

            /// `"messenger"` or `"instagram"`.
            #[getter]
            fn channel(&self) -> &'static str {
                self.inner.channel().as_str()
            }

            /// Sends any message with no window check: a `RESPONSE`, an `UPDATE`
            /// (`update=True`), or tagged (`tag="HUMAN_AGENT"`).
            #[pyo3(signature = (recipient, message, *, tag = None, update = false))]
            fn send<'py>(
                &self,
                py: Python<'py>,
                recipient: String,
                message: &Bound<'py, PyAny>,
                tag: Option<&str>,
                update: bool,
            ) -> PyResult<Bound<'py, PyAny>> {
                let msg = outbound(message)?;
                let delivery = Delivery::direct(self.inner.channel(), message_tag(tag)?, update);
                self.call(py, |client| async move {
                    let sent = client.send(&recipient, &msg, delivery).await?;
                    Ok(Receipt::sent(client.channel(), sent.message_ids))
                })
            }

            /// Sends text as a `RESPONSE`.
            fn send_text<'py>(
                &self,
                py: Python<'py>,
                recipient: String,
                text: String,
            ) -> PyResult<Bound<'py, PyAny>> {
                self.call(py, |client| async move {
                    let sent = client
                        .send_text(&recipient, &text, Delivery::Response)
                        .await?;
                    Ok(Receipt::sent(client.channel(), sent.message_ids))
                })
            }

            /// `"typing_on"`, `"typing_off"` or `"mark_seen"`.
            fn sender_action<'py>(
                &self,
                py: Python<'py>,
                recipient: String,
                action: &str,
            ) -> PyResult<Bound<'py, PyAny>> {
                let action: SenderAction = action.parse().map_err(py_err)?;
                self.call(py, |client| async move {
                    client.sender_action(&recipient, action).await.map(|()| Done)
                })
            }
        });
    };
}

messenger_class!(
    MessengerClient,
    "MessengerClient",
    false,
    "Messenger or Instagram Send API client; methods block (the GIL released)."
);
messenger_class!(
    AsyncMessengerClient,
    "AsyncMessengerClient",
    true,
    "Messenger or Instagram Send API client; methods return awaitables."
);

macro_rules! telegram_class {
    ($rust:ident, $py:literal, $async:expr, $doc:literal) => {
        client_class!($rust, $py, $async, rs::TelegramClient, $doc, {
            #[new]
            #[pyo3(signature = (token, *, api_base = None, timeout = None, max_attempts = None, retry_base_delay = None, guarantee = None))]
            #[allow(clippy::too_many_arguments)]
            fn new(
                token: String,
                api_base: Option<String>,
                timeout: Option<f64>,
                max_attempts: Option<u32>,
                retry_base_delay: Option<f64>,
                guarantee: Option<String>,
            ) -> PyResult<Self> {
                let spec = TelegramSpec {
                    token: Some(token.into()),
                    access_token: None,
                    api_base,
                    http: http(timeout, max_attempts, retry_base_delay, guarantee),
                };
                Self::build(spec.client())
            }

            /// Sends any message (an Outbound dict); `reply_to` answers a message id.
            #[pyo3(signature = (chat, message, *, reply_to = None))]
            fn send<'py>(
                &self,
                py: Python<'py>,
                chat: String,
                message: &Bound<'py, PyAny>,
                reply_to: Option<i64>,
            ) -> PyResult<Bound<'py, PyAny>> {
                let msg = outbound(message)?;
                self.call(py, |client| async move {
                    let sent = client.send(&chat, &msg, reply_to).await?;
                    Ok(Receipt::sent(Channel::Telegram, vec![sent.message_id.to_string()]))
                })
            }

            /// Sends plain text.
            fn send_text<'py>(
                &self,
                py: Python<'py>,
                chat: String,
                text: String,
            ) -> PyResult<Bound<'py, PyAny>> {
                self.call(py, |client| async move {
                    let sent = client.send_text(&chat, &text).await?;
                    Ok(Receipt::sent(Channel::Telegram, vec![sent.message_id.to_string()]))
                })
            }

            /// Answers a callback query (stops the button's spinner).
            #[pyo3(signature = (callback_query_id, *, text = None, show_alert = false))]
            fn answer_callback_query<'py>(
                &self,
                py: Python<'py>,
                callback_query_id: String,
                text: Option<String>,
                show_alert: bool,
            ) -> PyResult<Bound<'py, PyAny>> {
                self.call(py, |client| async move {
                    client
                        .answer_callback_query(&callback_query_id, text.as_deref(), show_alert)
                        .await
                        .map(|()| Done)
                })
            }

            /// One `getUpdates` long poll: the raw updates as dicts (each a body for
            /// `arichat.normalize`).
            #[pyo3(signature = (*, offset = None, timeout = None, limit = None, allowed_updates = None))]
            fn get_updates<'py>(
                &self,
                py: Python<'py>,
                offset: Option<i64>,
                timeout: Option<u32>,
                limit: Option<u32>,
                allowed_updates: Option<Vec<String>>,
            ) -> PyResult<Bound<'py, PyAny>> {
                let poll = PollSpec { offset, timeout, limit, allowed_updates }.build();
                self.call(py, |client| async move { client.get_updates(&poll).await.map(Json) })
            }

            /// `setWebhook`, with an optional secret token Telegram sends back.
            #[pyo3(signature = (url, *, secret_token = None, allowed_updates = None, drop_pending_updates = false, max_connections = None))]
            fn set_webhook<'py>(
                &self,
                py: Python<'py>,
                url: String,
                secret_token: Option<String>,
                allowed_updates: Option<Vec<String>>,
                drop_pending_updates: bool,
                max_connections: Option<u32>,
            ) -> PyResult<Bound<'py, PyAny>> {
                let settings = WebhookSpec {
                    url,
                    secret_token: secret_token.map(Into::into),
                    allowed_updates,
                    drop_pending_updates: Some(drop_pending_updates),
                    max_connections,
                }
                .build();
                self.call(py, |client| async move { client.set_webhook(&settings).await.map(|()| Done) })
            }

            /// `deleteWebhook` (back to long polling).
            #[pyo3(signature = (*, drop_pending_updates = false))]
            fn delete_webhook<'py>(
                &self,
                py: Python<'py>,
                drop_pending_updates: bool,
            ) -> PyResult<Bound<'py, PyAny>> {
                self.call(py, |client| async move {
                    client.delete_webhook(drop_pending_updates).await.map(|()| Done)
                })
            }
        });
    };
}

telegram_class!(
    TelegramClient,
    "TelegramClient",
    false,
    "Telegram Bot API client for one bot; methods block (the GIL released)."
);
telegram_class!(
    AsyncTelegramClient,
    "AsyncTelegramClient",
    true,
    "Telegram Bot API client for one bot; methods return awaitables."
);

/// What the Conversions API answered: `{"events_received": int, "fbtrace_id": str | None}`.
struct ConversionsAnswer(rs::ConversionsReceipt);

impl<'py> IntoPyObject<'py> for ConversionsAnswer {
    type Target = PyAny;
    type Output = Bound<'py, PyAny>;
    type Error = PyErr;

    fn into_pyobject(self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        let value = serde_json::json!({
            "events_received": self.0.events_received,
            "fbtrace_id": self.0.fbtrace_id,
        });
        to_py(py, &value)
    }
}

/// The events (dicts or JSON text) as validated [`ConversionEvent`]s.
fn conversion_events(events: &Bound<'_, PyAny>) -> PyResult<Vec<ConversionEvent>> {
    let parsed = json_of(events, "events").and_then(|v| match v {
        Value::Array(items) => items
            .into_iter()
            .enumerate()
            .map(|(i, item)| {
                ConversionEvent::from_json_value(item)
                    .map_err(|e| invalid(format!("events[{i}]: {e}")))
            })
            .collect(),
        _ => Err(invalid("events must be a list of event dicts")),
    });
    parsed.map_err(py_err)
}

macro_rules! conversions_class {
    ($rust:ident, $py:literal, $async:expr, $doc:literal) => {
        client_class!(@class $rust, $py, $async, rs::ConversionsClient, $doc, {
            #[new]
            #[pyo3(signature = (access_token, dataset_id, *, test_event_code = None, api_base = None, graph_version = None, timeout = None, max_attempts = None, retry_base_delay = None))]
            #[allow(clippy::too_many_arguments)]
            fn new(
                access_token: String,
                dataset_id: String,
                test_event_code: Option<String>,
                api_base: Option<String>,
                graph_version: Option<String>,
                timeout: Option<f64>,
                max_attempts: Option<u32>,
                retry_base_delay: Option<f64>,
            ) -> PyResult<Self> {
                let spec = ConversionsSpec {
                    access_token: Some(access_token.into()),
                    dataset_id: Some(dataset_id),
                    test_event_code,
                    endpoint: GraphEndpoint { api_base, graph_version },
                    http: http(timeout, max_attempts, retry_base_delay, None),
                };
                Self::build(spec.client())
            }

            /// Sends 1 to 1000 conversion events (dicts with contact data in the clear:
            /// normalized and SHA-256 hashed in Rust before anything leaves).
            fn send<'py>(
                &self,
                py: Python<'py>,
                events: &Bound<'py, PyAny>,
            ) -> PyResult<Bound<'py, PyAny>> {
                let events = conversion_events(events)?;
                self.call(py, |client| async move {
                    Ok(ConversionsAnswer(client.send(&events).await?))
                })
            }
        });
    };
}

conversions_class!(
    ConversionsClient,
    "ConversionsClient",
    false,
    "Meta Conversions API client (lead and purchase events from chats); `send` blocks with the GIL released."
);
conversions_class!(
    AsyncConversionsClient,
    "AsyncConversionsClient",
    true,
    "Meta Conversions API client; `send` returns an awaitable."
);
