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
    self as rs, ChannelClient, ConversionsConfig, HttpConfig, HttpOptions, MessengerConfig,
    PollOptions, SendError as ClientError, SendReceipt, TelegramConfig, WebhookSettings,
    WhatsAppConfig,
};
use arichat_channels::conversions::ConversionEvent;
use arichat_channels::meta_send::SenderAction;
use arichat_channels::outbound::{Delivery, MessageTag, Outbound, SendPolicy};
use arichat_channels::SecretString;
use arichat_core::{Channel, ChannelAccountId, ConsentLedger, ContactId, Conversation, TenantId};
use chrono::Utc;
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
        let (delivery, tag) = match r.delivery {
            Delivery::Response => ("response", None),
            Delivery::Update => ("update", None),
            Delivery::Tagged(t) => ("tagged", Some(t.as_str())),
            Delivery::Template => ("template", None),
            Delivery::Unrestricted => ("unrestricted", None),
        };
        Receipt {
            channel: r.channel.as_str(),
            message_ids: r.message_ids,
            delivery: Some(delivery),
            tag,
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

fn outbound(value: &Bound<'_, PyAny>) -> PyResult<Outbound> {
    let parsed = json_of(value, "message").and_then(|v| {
        serde_json::from_value(v).map_err(|e| invalid(format!("not an outbound message: {e}")))
    });
    parsed.map_err(|e| send_to_py_err(&e))
}

fn message_tag(name: &str) -> Result<MessageTag, ClientError> {
    serde_json::from_value(Value::String(name.to_owned()))
        .map_err(|_| invalid(format!("unknown message tag {name:?}")))
}

/// The HTTP keyword arguments as the core's [`HttpOptions`]: seconds become durations
/// here, every default, clamp and name is decided in [`HttpOptions::build`].
fn http_config(
    timeout: Option<f64>,
    max_attempts: Option<u32>,
    retry_base_delay: Option<f64>,
    guarantee: Option<String>,
) -> PyResult<HttpConfig> {
    http_options(timeout, max_attempts, retry_base_delay, guarantee)?
        .build()
        .map_err(|e| send_to_py_err(&e))
}

/// The HTTP keyword arguments as [`HttpOptions`]: seconds as `Duration`s, nothing else
/// decided here.
pub(crate) fn http_options(
    timeout: Option<f64>,
    max_attempts: Option<u32>,
    retry_base_delay: Option<f64>,
    guarantee: Option<String>,
) -> PyResult<HttpOptions> {
    Ok(HttpOptions {
        timeout: seconds(timeout, "timeout")?,
        max_attempts,
        retry_base_delay: seconds(retry_base_delay, "retry_base_delay")?,
        guarantee,
    })
}

/// A number of seconds as a `Duration`; a negative or non-finite one is refused.
pub(crate) fn seconds(value: Option<f64>, name: &str) -> PyResult<Option<Duration>> {
    value
        .map(|v| {
            Duration::try_from_secs_f64(v).map_err(|_| {
                send_to_py_err(&invalid(format!(
                    "{name} must be a positive number of seconds"
                )))
            })
        })
        .transpose()
}

/// The owned inputs of a `reply`, checked while holding the GIL.
struct ReplyInput {
    conversation: Conversation,
    message: Outbound,
    policy: SendPolicy,
}

impl ReplyInput {
    #[allow(clippy::too_many_arguments)]
    fn new(
        conversation: &Bound<'_, PyAny>,
        to: &str,
        message: &Bound<'_, PyAny>,
        now: Option<&Bound<'_, PyAny>>,
        consent: Option<&Bound<'_, PyAny>>,
        marketing: bool,
        tag: Option<&str>,
        proactive: bool,
    ) -> PyResult<Self> {
        let conv = conversation.cast::<PyMapping>().map_err(|_| {
            send_to_py_err(&invalid(
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
            .ok_or_else(|| send_to_py_err(&invalid("conversation['channel'] is required")))?
            .extract()?;
        let channel = channel
            .parse::<Channel>()
            .map_err(|e| send_to_py_err(&invalid(e.to_string())))?;
        let contact: String = match get("contact_id")? {
            Some(c) => c.extract()?,
            None => to.to_owned(),
        };
        let mut c = Conversation::new(
            TenantId::new("default"),
            channel,
            ChannelAccountId::new("default"),
            ContactId::new(contact),
        );
        if let Some(at) = get("last_inbound_at")? {
            c.record_inbound(to_utc("conversation['last_inbound_at']", &at)?);
        }
        let now = match now {
            Some(n) => to_utc("now", n)?,
            None => Utc::now(),
        };
        let consent = consent
            .filter(|c| !c.is_none())
            .map(|c| {
                let value = json_of(c, "consent")?;
                serde_json::from_value::<ConsentLedger>(value)
                    .map_err(|e| invalid(format!("not a consent ledger: {e}")))
            })
            .transpose()
            .map_err(|e| send_to_py_err(&e))?;
        Ok(ReplyInput {
            conversation: c,
            message: outbound(message)?,
            policy: SendPolicy {
                now,
                consent,
                tag: tag
                    .map(message_tag)
                    .transpose()
                    .map_err(|e| send_to_py_err(&e))?,
                marketing,
                proactive,
            },
        })
    }

    /// The Rust preflight and, when allowed, the send.
    async fn run<C: ChannelClient>(self, client: &C, to: &str) -> Result<Receipt, ClientError> {
        let ctx = self.policy.context();
        let receipt = client
            .reply(&self.conversation, to, &self.message, &ctx)
            .await?;
        Ok(receipt.into())
    }
}

fn whatsapp(
    access_token: String,
    phone_number_id: String,
    api_base: Option<String>,
    graph_version: Option<String>,
    http: HttpConfig,
) -> PyResult<rs::WhatsAppClient> {
    let mut cfg = WhatsAppConfig::new(access_token, phone_number_id);
    if let Some(base) = api_base {
        cfg.api_base = base;
    }
    if let Some(v) = graph_version {
        cfg.graph_version = v;
    }
    cfg.http = http;
    rs::WhatsAppClient::new(cfg).map_err(|e| send_to_py_err(&e))
}

macro_rules! whatsapp_class {
    ($rust:ident, $py:literal, $async:expr, $doc:literal) => {
        #[doc = $doc]
        #[pyclass(name = $py, module = "arichat", frozen)]
        pub struct $rust {
            inner: Arc<rs::WhatsAppClient>,
        }

        #[pymethods]
        impl $rust {
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
                let http = http_config(timeout, max_attempts, retry_base_delay, guarantee)?;
                let inner = whatsapp(access_token, phone_number_id, api_base, graph_version, http)?;
                Ok(Self {
                    inner: Arc::new(inner),
                })
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
                let client = Arc::clone(&self.inner);
                run(py, $async, async move {
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
                let client = Arc::clone(&self.inner);
                run(py, $async, async move {
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
                let client = Arc::clone(&self.inner);
                run(py, $async, async move {
                    client.mark_read(&message_id, typing_indicator).await.map(|()| Done)
                })
            }

            /// Answers `conversation` after the Rust preflight: a free-form message outside
            /// the 24-hour window raises `outside_window`, a marketing send without consent
            /// `consent_refused`, both before any request.
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
                let input = ReplyInput::new(
                    conversation,
                    &to,
                    message,
                    now,
                    consent,
                    marketing,
                    tag,
                    proactive,
                )?;
                let client = Arc::clone(&self.inner);
                run(py, $async, async move { input.run(&*client, &to).await })
            }
        }
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

fn messenger(
    access_token: String,
    page_id: String,
    channel: &str,
    api_base: Option<String>,
    graph_version: Option<String>,
    http: HttpConfig,
) -> PyResult<rs::MessengerClient> {
    let mut cfg = match channel {
        "messenger" => MessengerConfig::messenger(access_token, page_id),
        "instagram" => MessengerConfig::instagram(access_token, page_id),
        other => {
            return Err(send_to_py_err(&invalid(format!(
                "channel must be 'messenger' or 'instagram', not {other:?}"
            ))))
        }
    };
    if let Some(base) = api_base {
        cfg.api_base = base;
    }
    if let Some(v) = graph_version {
        cfg.graph_version = v;
    }
    cfg.http = http;
    rs::MessengerClient::new(cfg).map_err(|e| send_to_py_err(&e))
}

macro_rules! messenger_class {
    ($rust:ident, $py:literal, $async:expr, $doc:literal) => {
        #[doc = $doc]
        #[pyclass(name = $py, module = "arichat", frozen)]
        pub struct $rust {
            inner: Arc<rs::MessengerClient>,
        }

        #[pymethods]
        impl $rust {
            #[new]
            #[pyo3(signature = (access_token, page_id, *, channel = "messenger", api_base = None, graph_version = None, timeout = None, max_attempts = None, retry_base_delay = None, guarantee = None))]
            #[allow(clippy::too_many_arguments)]
            fn new(
                access_token: String,
                page_id: String,
                channel: &str,
                api_base: Option<String>,
                graph_version: Option<String>,
                timeout: Option<f64>,
                max_attempts: Option<u32>,
                retry_base_delay: Option<f64>,
                guarantee: Option<String>,
            ) -> PyResult<Self> {
                let http = http_config(timeout, max_attempts, retry_base_delay, guarantee)?;
                let inner = messenger(access_token, page_id, channel, api_base, graph_version, http)?;
                Ok(Self {
                    inner: Arc::new(inner),
                })
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
                let delivery = match tag {
                    Some(t) => Delivery::Tagged(message_tag(t).map_err(|e| send_to_py_err(&e))?),
                    None if update => Delivery::Update,
                    None => Delivery::Response,
                };
                let client = Arc::clone(&self.inner);
                run(py, $async, async move {
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
                let client = Arc::clone(&self.inner);
                run(py, $async, async move {
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
                let action = match action {
                    "typing_on" => SenderAction::TypingOn,
                    "typing_off" => SenderAction::TypingOff,
                    "mark_seen" => SenderAction::MarkSeen,
                    other => {
                        return Err(send_to_py_err(&invalid(format!(
                            "unknown sender action {other:?}"
                        ))))
                    }
                };
                let client = Arc::clone(&self.inner);
                run(py, $async, async move {
                    client.sender_action(&recipient, action).await.map(|()| Done)
                })
            }

            /// Answers `conversation` after the Rust preflight: a free-form message outside
            /// the 24-hour window raises `outside_window`, a marketing send without consent
            /// `consent_refused`, both before any request.
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
                let input = ReplyInput::new(
                    conversation,
                    &to,
                    message,
                    now,
                    consent,
                    marketing,
                    tag,
                    proactive,
                )?;
                let client = Arc::clone(&self.inner);
                run(py, $async, async move { input.run(&*client, &to).await })
            }
        }
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

fn telegram(
    token: String,
    api_base: Option<String>,
    http: HttpConfig,
) -> PyResult<rs::TelegramClient> {
    let mut cfg = TelegramConfig::new(token);
    if let Some(base) = api_base {
        cfg.api_base = base;
    }
    cfg.http = http;
    rs::TelegramClient::new(cfg).map_err(|e| send_to_py_err(&e))
}

macro_rules! telegram_class {
    ($rust:ident, $py:literal, $async:expr, $doc:literal) => {
        #[doc = $doc]
        #[pyclass(name = $py, module = "arichat", frozen)]
        pub struct $rust {
            inner: Arc<rs::TelegramClient>,
        }

        #[pymethods]
        impl $rust {
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
                let http = http_config(timeout, max_attempts, retry_base_delay, guarantee)?;
                Ok(Self {
                    inner: Arc::new(telegram(token, api_base, http)?),
                })
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
                let client = Arc::clone(&self.inner);
                run(py, $async, async move {
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
                let client = Arc::clone(&self.inner);
                run(py, $async, async move {
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
                let client = Arc::clone(&self.inner);
                run(py, $async, async move {
                    client
                        .answer_callback_query(&callback_query_id, text.as_deref(), show_alert)
                        .await
                        .map(|()| Done)
                })
            }

            /// One `getUpdates` long poll: the raw updates as dicts (each a body for
            /// `arichat.normalize`).
            #[pyo3(signature = (*, offset = None, timeout = 30, limit = 100, allowed_updates = None))]
            fn get_updates<'py>(
                &self,
                py: Python<'py>,
                offset: Option<i64>,
                timeout: u32,
                limit: u8,
                allowed_updates: Option<Vec<String>>,
            ) -> PyResult<Bound<'py, PyAny>> {
                let poll = PollOptions {
                    offset,
                    timeout_secs: timeout,
                    allowed_updates: allowed_updates.unwrap_or_default(),
                    limit: limit.clamp(1, 100),
                };
                let client = Arc::clone(&self.inner);
                run(py, $async, async move { client.get_updates(&poll).await.map(Json) })
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
                max_connections: Option<u8>,
            ) -> PyResult<Bound<'py, PyAny>> {
                let settings = WebhookSettings {
                    url,
                    secret_token: secret_token.map(SecretString::from),
                    allowed_updates: allowed_updates.unwrap_or_default(),
                    drop_pending_updates,
                    max_connections,
                };
                let client = Arc::clone(&self.inner);
                run(py, $async, async move { client.set_webhook(&settings).await.map(|()| Done) })
            }

            /// `deleteWebhook` (back to long polling).
            #[pyo3(signature = (*, drop_pending_updates = false))]
            fn delete_webhook<'py>(
                &self,
                py: Python<'py>,
                drop_pending_updates: bool,
            ) -> PyResult<Bound<'py, PyAny>> {
                let client = Arc::clone(&self.inner);
                run(py, $async, async move {
                    client.delete_webhook(drop_pending_updates).await.map(|()| Done)
                })
            }

            /// Answers `conversation` after the Rust preflight: a free-form message outside
            /// the 24-hour window raises `outside_window`, a marketing send without consent
            /// `consent_refused`, both before any request.
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
                let input = ReplyInput::new(
                    conversation,
                    &to,
                    message,
                    now,
                    consent,
                    marketing,
                    tag,
                    proactive,
                )?;
                let client = Arc::clone(&self.inner);
                run(py, $async, async move { input.run(&*client, &to).await })
            }
        }
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
    parsed.map_err(|e| send_to_py_err(&e))
}

macro_rules! conversions_class {
    ($rust:ident, $py:literal, $async:expr, $doc:literal) => {
        #[doc = $doc]
        #[pyclass(name = $py, module = "arichat", frozen)]
        pub struct $rust {
            inner: Arc<rs::ConversionsClient>,
        }

        #[pymethods]
        impl $rust {
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
                let mut cfg = ConversionsConfig::new(access_token, dataset_id);
                cfg.test_event_code = test_event_code;
                if let Some(base) = api_base {
                    cfg.api_base = base;
                }
                if let Some(v) = graph_version {
                    cfg.graph_version = v;
                }
                cfg.http = http_config(timeout, max_attempts, retry_base_delay, None)?;
                let inner = rs::ConversionsClient::new(cfg).map_err(|e| send_to_py_err(&e))?;
                Ok(Self {
                    inner: Arc::new(inner),
                })
            }

            /// Sends 1 to 1000 conversion events (dicts with contact data in the clear:
            /// normalized and SHA-256 hashed in Rust before anything leaves).
            fn send<'py>(
                &self,
                py: Python<'py>,
                events: &Bound<'py, PyAny>,
            ) -> PyResult<Bound<'py, PyAny>> {
                let events = conversion_events(events)?;
                let client = Arc::clone(&self.inner);
                run(py, $async, async move {
                    Ok(ConversionsAnswer(client.send(&events).await?))
                })
            }
        }
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
