//! The channels' send clients ([`arichat_channels::client`]) as JS classes whose
//! methods return Promises.
//!
//! Everything here converts at the edge: an options object becomes the client's
//! config, a message object becomes an [`Outbound`] through serde, a conversation-like
//! object becomes a [`Conversation`], and each result becomes a plain object. Every
//! send, retry, rate limit, window and consent check runs in Rust; a failure rejects
//! the Promise with the error [`send_error`](crate::send_error) builds.

// The clients' own error type (`SendError`, ~128 bytes) travels unboxed, as in the Rust API.
#![allow(clippy::result_large_err)]

use std::future::Future;
use std::sync::Arc;

use arichat_channels::client::{
    self as rs, ConversionsSpec, GraphEndpoint, HttpSpec, MessengerSpec, PollSpec, ReplyRequest,
    SendError, SendReceipt, TelegramSpec, WebhookSpec, WhatsAppSpec,
};
use arichat_channels::conversions::ConversionEvent;
use arichat_channels::meta_send::SenderAction;
use arichat_channels::outbound::{Delivery, MessageTag, Outbound};
use arichat_core::{Channel, ConsentLedger};
use chrono::{DateTime, Utc};
use napi::bindgen_prelude::{Date, PromiseRaw, ToNapiValue};
use napi::Env;
use napi_derive::napi;
use serde_json::Value;

/// How a client is built: credentials, ids, and the HTTP settings. Each client's
/// constructor is typed with its own subset (`WhatsAppClientOptions`, ...), so that a
/// missing id fails to type-check; Rust checks the same when it builds the client.
#[napi(object)]
#[derive(Default)]
pub struct ClientOptions {
    /// WhatsApp / Messenger / Instagram / Conversions access token.
    pub access_token: Option<String>,
    /// Telegram bot token (`accessToken` is accepted too).
    pub token: Option<String>,
    /// WhatsApp: the sending phone number's id.
    pub phone_number_id: Option<String>,
    /// Messenger: the page id.
    pub page_id: Option<String>,
    /// Instagram: the professional account id (Messenger accepts it for the page id).
    pub account_id: Option<String>,
    /// MessengerClient: `'messenger'` (default) or `'instagram'`.
    #[napi(ts_type = "'messenger' | 'instagram'")]
    pub channel: Option<String>,
    /// The API root, for a test server (`https://graph.facebook.com`,
    /// `https://api.telegram.org`).
    pub api_base: Option<String>,
    /// Graph API version, e.g. `'v23.0'`.
    pub graph_version: Option<String>,
    /// Whole-request timeout in milliseconds (default 30000).
    pub timeout_ms: Option<u32>,
    /// Requests at most per call, the first included (default 4; 1 = no retries).
    pub max_attempts: Option<u32>,
    /// Backoff before the first retry in milliseconds (default 500).
    pub retry_base_delay_ms: Option<u32>,
    /// Whether a send whose outcome is unknown (timeout, dropped connection,
    /// ambiguous 5xx) is sent again: `'at_most_once'` (default) rejects with
    /// `outcome_unknown` instead; `'at_least_once'` retries, risking a duplicate.
    #[napi(ts_type = "'at_most_once' | 'at_least_once'")]
    pub guarantee: Option<String>,
    /// ConversionsClient: the dataset (pixel) id events go to.
    pub dataset_id: Option<String>,
    /// ConversionsClient: an Events Manager test code, while testing.
    pub test_event_code: Option<String>,
}

/// What a send answered.
#[napi(object)]
pub struct Receipt {
    /// The channel.
    #[napi(ts_type = "ChannelName")]
    pub channel: String,
    /// The vendor's ids of the messages sent (wamid, mid, Telegram message id as text).
    pub message_ids: Vec<String>,
    /// How `reply` let it out: `'response'`, `'update'`, `'tagged'`, `'template'` or
    /// `'unrestricted'`; absent for a plain `send`.
    #[napi(ts_type = "'response' | 'update' | 'tagged' | 'template' | 'unrestricted'")]
    pub delivery: Option<String>,
    /// The message tag of a `'tagged'` delivery (`'HUMAN_AGENT'`, ...).
    #[napi(ts_type = "MessageTagName")]
    pub tag: Option<String>,
}

/// What a client will do, without its token (`client.settings`).
#[napi(object)]
pub struct ClientSettings {
    /// The client's channel, or `'conversions'`.
    #[napi(ts_type = "'whatsapp' | 'messenger' | 'instagram' | 'telegram' | 'conversions'")]
    pub client: String,
    /// The phone number, page, account or dataset id; absent for Telegram.
    pub account_id: Option<String>,
    /// The API root.
    pub api_base: String,
    /// The Graph API version; absent for Telegram.
    pub graph_version: Option<String>,
    /// Whole-request timeout in milliseconds.
    pub timeout_ms: f64,
    /// Connect timeout in milliseconds.
    pub connect_timeout_ms: f64,
    /// Requests at most per call.
    pub max_attempts: u32,
    /// Backoff before the first retry in milliseconds.
    pub retry_base_delay_ms: f64,
    /// `'at_most_once'` or `'at_least_once'`.
    #[napi(ts_type = "'at_most_once' | 'at_least_once'")]
    pub guarantee: String,
}

impl From<rs::ClientSettings> for ClientSettings {
    fn from(s: rs::ClientSettings) -> Self {
        ClientSettings {
            client: s.client.to_owned(),
            account_id: s.account_id,
            api_base: s.api_base,
            graph_version: s.graph_version,
            timeout_ms: s.timeout * 1000.0,
            connect_timeout_ms: s.connect_timeout * 1000.0,
            max_attempts: s.max_attempts,
            retry_base_delay_ms: s.retry_base_delay * 1000.0,
            guarantee: s.guarantee.to_owned(),
        }
    }
}

/// Options of a plain `send` (no window or consent check).
#[napi(object)]
#[derive(Default)]
pub struct SendOptions {
    /// Reply to this message: a wamid (WhatsApp) or a message id (Telegram).
    pub reply_to: Option<String>,
    /// Messenger / Instagram: send with this message tag (`'HUMAN_AGENT'`, ...).
    #[napi(ts_type = "MessageTagName")]
    pub tag: Option<String>,
    /// Messenger / Instagram: a proactive message (`messaging_type: UPDATE`) instead of
    /// a `RESPONSE`.
    pub update: Option<bool>,
}

/// The conversation a reply answers: its channel and when the contact last wrote.
#[napi(object)]
pub struct ReplyConversation {
    /// The conversation's channel; it must be the client's.
    #[napi(ts_type = "ChannelName")]
    pub channel: String,
    /// When the contact last wrote (opens the 24-hour window); absent if never.
    pub last_inbound_at: Option<Date<'static>>,
    /// The contact, as the consent ledger knows it (defaults to the recipient).
    pub contact_id: Option<String>,
}

/// What `reply` checks besides the conversation.
#[napi(object)]
#[derive(Default)]
pub struct ReplyOptions {
    /// The time of the checks (default: now).
    pub now: Option<Date<'static>>,
    /// The consent ledger (its JSON text, or the parsed object), consulted for
    /// marketing sends.
    #[napi(ts_type = "string | object")]
    pub consent: Option<Value>,
    /// The send is marketing, whatever its form.
    pub marketing: Option<bool>,
    /// Messenger / Instagram message tag for a closed window (`'HUMAN_AGENT'`).
    #[napi(ts_type = "MessageTagName")]
    pub tag: Option<String>,
    /// A proactive message (Messenger `UPDATE`) rather than an answer.
    pub proactive: Option<bool>,
}

/// `getUpdates` options.
#[napi(object)]
#[derive(Default)]
pub struct GetUpdatesOptions {
    /// The first update id to fetch.
    pub offset: Option<i64>,
    /// Long-poll wait in seconds (default 30).
    pub timeout_secs: Option<u32>,
    /// Updates per request, 1–100 (default 100).
    pub limit: Option<u32>,
    /// Update kinds to receive.
    pub allowed_updates: Option<Vec<String>>,
}

/// `setWebhook` options.
#[napi(object)]
#[derive(Default)]
pub struct SetWebhookOptions {
    /// Sent back in `X-Telegram-Bot-Api-Secret-Token`.
    pub secret_token: Option<String>,
    /// Update kinds to receive.
    pub allowed_updates: Option<Vec<String>>,
    /// Drop updates queued while no webhook was set.
    pub drop_pending_updates: Option<bool>,
    /// Concurrent connections Telegram may open (1–100).
    pub max_connections: Option<u32>,
}

/// `answerCallbackQuery` options.
#[napi(object)]
#[derive(Default)]
pub struct AnswerCallbackOptions {
    /// A notice shown to the user.
    pub text: Option<String>,
    /// Show it as an alert instead of a toast.
    pub show_alert: Option<bool>,
}

fn invalid(msg: impl Into<String>) -> SendError {
    SendError::InvalidRequest(msg.into())
}

/// The options' HTTP settings as they came, milliseconds as seconds: [`HttpSpec`]
/// decides the rest.
fn http(opts: &ClientOptions) -> HttpSpec {
    let secs = |ms: Option<u32>| ms.map(|ms| f64::from(ms) / 1000.0);
    HttpSpec {
        timeout: secs(opts.timeout_ms),
        max_attempts: opts.max_attempts,
        retry_base_delay: secs(opts.retry_base_delay_ms),
        guarantee: opts.guarantee.clone(),
    }
}

fn endpoint(opts: &ClientOptions) -> GraphEndpoint {
    GraphEndpoint {
        api_base: opts.api_base.clone(),
        graph_version: opts.graph_version.clone(),
    }
}

fn message(value: Value) -> Result<Outbound, SendError> {
    serde_json::from_value(value).map_err(|e| invalid(format!("not an outbound message: {e}")))
}

fn tag(name: Option<&str>) -> Result<Option<MessageTag>, SendError> {
    Ok(name.map(str::parse).transpose()?)
}

fn to_utc(date: &Date<'_>, arg: &str) -> Result<DateTime<Utc>, SendError> {
    let bad = || invalid(format!("{arg} must be a valid Date"));
    let millis = date.value_of().map_err(|_| bad())?;
    if !millis.is_finite() {
        return Err(bad());
    }
    // JS dates are whole milliseconds within ±8.64e15, so the cast is exact.
    DateTime::from_timestamp_millis(millis as i64).ok_or_else(bad)
}

fn receipt(r: SendReceipt) -> Receipt {
    Receipt {
        channel: r.channel.as_str().to_owned(),
        message_ids: r.message_ids,
        delivery: Some(r.delivery.kind().to_owned()),
        tag: r.delivery.tag().map(|t| t.as_str().to_owned()),
    }
}

fn sent(channel: Channel, message_ids: Vec<String>) -> Receipt {
    Receipt {
        channel: channel.as_str().to_owned(),
        message_ids,
        delivery: None,
        tag: None,
    }
}

/// Builds a client from its spec, throwing the mapped error.
fn build<C>(env: &Env, client: Result<C, SendError>) -> napi::Result<Arc<C>> {
    client.map(Arc::new).map_err(|e| crate::send_error(env, &e))
}

/// Runs `fut` on napi's tokio runtime; the Promise resolves with `to_js` of its value
/// or rejects with the [`SendError`] mapped by [`crate::send_error`].
fn promise<'env, T, V, F>(
    env: &'env Env,
    fut: F,
    to_js: fn(T) -> V,
) -> napi::Result<PromiseRaw<'env, V>>
where
    T: Send + 'static,
    V: ToNapiValue + 'static,
    F: Future<Output = Result<T, SendError>> + Send + 'static,
{
    env.spawn_future_with_callback(
        async move { Ok(fut.await) },
        move |env, result| match result {
            Ok(value) => Ok(to_js(value)),
            Err(err) => Err(crate::send_error(env, &err)),
        },
    )
}

/// The checks a client's `reply` runs, without sending: how the message would go out
/// (`{ kind: 'response' | 'update' | 'template' | 'unrestricted' }`, or
/// `{ kind: 'tagged', tag }`). Takes `reply`'s arguments; throws what `reply` would
/// reject with before any request (`outside_window`, `consent_refused`,
/// `unsupported_message`, `phone_required`, `invalid_request`).
#[napi(ts_return_type = "Delivery")]
pub fn preflight(
    env: Env,
    conversation: ReplyConversation,
    to: String,
    #[napi(ts_arg_type = "Outbound")] message: Value,
    opts: Option<ReplyOptions>,
) -> napi::Result<Value> {
    let delivery = reply_request(conversation, to, message, opts)
        .and_then(|request| Ok(request.preflight()?))
        .map_err(|err| crate::send_error(&env, &err))?;
    serde_json::to_value(delivery).map_err(|e| napi::Error::from_reason(e.to_string()))
}

/// The arguments of every client's `reply` as the channels crate's [`ReplyRequest`].
fn reply_request(
    conversation: ReplyConversation,
    to: String,
    message: Value,
    opts: Option<ReplyOptions>,
) -> Result<ReplyRequest, SendError> {
    let opts = opts.unwrap_or_default();
    let consent = match opts.consent {
        None | Some(Value::Null) => None,
        Some(Value::String(json)) => {
            Some(ConsentLedger::from_json(&json).map_err(|e| invalid(e.to_string()))?)
        }
        Some(v) => Some(
            serde_json::from_value(v).map_err(|e| invalid(format!("not a consent ledger: {e}")))?,
        ),
    };
    Ok(ReplyRequest {
        channel: conversation.channel.parse::<Channel>()?,
        recipient: to,
        contact_id: conversation.contact_id,
        last_inbound_at: conversation
            .last_inbound_at
            .as_ref()
            .map(|at| to_utc(at, "conversation.lastInboundAt"))
            .transpose()?,
        message: self::message(message)?,
        now: opts
            .now
            .as_ref()
            .map(|d| to_utc(d, "options.now"))
            .transpose()?,
        consent,
        tag: tag(opts.tag.as_deref())?,
        marketing: opts.marketing.unwrap_or_default(),
        proactive: opts.proactive.unwrap_or_default(),
    })
}

/// Runs `call` with a handle to `client` on napi's tokio runtime, as [`promise`] does.
fn call<'env, C, T, V, Fut>(
    env: &'env Env,
    client: &Arc<C>,
    call: impl FnOnce(Arc<C>) -> Fut,
    to_js: fn(T) -> V,
) -> napi::Result<PromiseRaw<'env, V>>
where
    T: Send + 'static,
    V: ToNapiValue + 'static,
    Fut: Future<Output = Result<T, SendError>> + Send + 'static,
{
    promise(env, call(Arc::clone(client)), to_js)
}

/// The part of a JS client class that is the same for every kind, written once: the
/// constructor (its options typed as `$options`, turned into the kind's spec by
/// `$spec`, which Rust checks and builds), `settings` and, for the chat channels
/// (`chat` first), `reply`. Each kind's own methods are in an `impl` of their own, which
/// napi merges into the same class: a doc comment passed into a macro would reach
/// `index.d.ts` as a raw-string token.
macro_rules! client_impl {
    (chat $name:ident, $options:tt, |$o:ident| $spec:expr) => {
        client_impl!($name, $options, |$o| $spec);

        #[napi]
        impl $name {
            /// Answers `conversation` after the Rust preflight, which rejects before any
            /// request: with `outside_window` for a free-form message outside the
            /// 24-hour window (Messenger and Instagram: unless `opts.tag:
            /// 'HUMAN_AGENT'` within 7 days; Telegram has no window), with
            /// `consent_refused` for a marketing send without consent.
            #[napi(ts_return_type = "Promise<Receipt>")]
            pub fn reply<'env>(
                &self,
                env: &'env Env,
                conversation: ReplyConversation,
                to: String,
                #[napi(ts_arg_type = "Outbound")] message: Value,
                opts: Option<ReplyOptions>,
            ) -> napi::Result<PromiseRaw<'env, Receipt>> {
                let request = reply_request(conversation, to, message, opts);
                let reply = |client: Arc<_>| async move { request?.send(&*client).await };
                call(env, &self.inner, reply, receipt)
            }
        }
    };
    ($name:ident, $options:tt, |$o:ident| $spec:expr) => {
        #[napi]
        impl $name {
            /// Builds the client from its options (`apiBase`, `timeoutMs`, `maxAttempts`,
            /// `retryBaseDelayMs` and `guarantee` are optional; Rust decides their
            /// defaults). Throws `invalid_request` when a required option is missing.
            #[napi(constructor)]
            pub fn new(
                env: Env,
                #[napi(ts_arg_type = $options)] $o: ClientOptions,
            ) -> napi::Result<Self> {
                Ok($name {
                    inner: build(&env, $spec.client())?,
                })
            }

            /// What the client will do, without its token.
            #[napi(getter)]
            pub fn settings(&self) -> ClientSettings {
                self.inner.settings().into()
            }
        }
    };
}

/// WhatsApp Cloud API client for one business phone number: `{accessToken,
/// phoneNumberId, apiBase?, graphVersion?, timeoutMs?, maxAttempts?, guarantee?}`.
#[napi]
pub struct WhatsAppClient {
    inner: Arc<rs::WhatsAppClient>,
}

client_impl!(chat WhatsAppClient, "WhatsAppClientOptions", |options| WhatsAppSpec {
    access_token: options.access_token.clone().map(Into::into),
    phone_number_id: options.phone_number_id.clone(),
    endpoint: endpoint(&options),
    http: http(&options),
});

#[napi]
impl WhatsAppClient {
    /// Sends any message to `to` (phone number or wa_id), with no window or consent
    /// check (`opts.replyTo`: quote that wamid).
    #[napi(ts_return_type = "Promise<Receipt>")]
    pub fn send<'env>(
        &self,
        env: &'env Env,
        to: String,
        #[napi(ts_arg_type = "Outbound")] message: Value,
        opts: Option<SendOptions>,
    ) -> napi::Result<PromiseRaw<'env, Receipt>> {
        let reply_to = opts.and_then(|o| o.reply_to);
        let fut = |client: Arc<rs::WhatsAppClient>| async move {
            let msg = self::message(message)?;
            let sent = client.send(&to, &msg, reply_to.as_deref()).await?;
            Ok(vec![sent.id])
        };
        call(env, &self.inner, fut, |ids| sent(Channel::Whatsapp, ids))
    }

    /// Sends text (`previewUrl`: render a preview of its first link).
    #[napi(ts_return_type = "Promise<Receipt>")]
    pub fn send_text<'env>(
        &self,
        env: &'env Env,
        to: String,
        text: String,
        preview_url: Option<bool>,
    ) -> napi::Result<PromiseRaw<'env, Receipt>> {
        let fut = |client: Arc<rs::WhatsAppClient>| async move {
            let sent = client
                .send_text(&to, &text, preview_url.unwrap_or_default())
                .await?;
            Ok(vec![sent.id])
        };
        call(env, &self.inner, fut, |ids| sent(Channel::Whatsapp, ids))
    }

    /// Marks an inbound message read, optionally showing "typing…".
    #[napi(ts_return_type = "Promise<void>")]
    pub fn mark_read<'env>(
        &self,
        env: &'env Env,
        message_id: String,
        typing_indicator: Option<bool>,
    ) -> napi::Result<PromiseRaw<'env, ()>> {
        let fut = |client: Arc<rs::WhatsAppClient>| async move {
            client
                .mark_read(&message_id, typing_indicator.unwrap_or_default())
                .await
        };
        call(env, &self.inner, fut, |()| ())
    }
}

/// Messenger or Instagram Send API client for one page or account: `{accessToken,
/// pageId | accountId, channel?: 'messenger' | 'instagram', apiBase?, graphVersion?,
/// timeoutMs?, maxAttempts?, guarantee?}`.
#[napi]
pub struct MessengerClient {
    inner: Arc<rs::MessengerClient>,
}

client_impl!(chat MessengerClient, "MessengerClientOptions", |options| MessengerSpec {
    channel: options.channel.clone(),
    access_token: options.access_token.clone().map(Into::into),
    page_id: options.page_id.clone(),
    account_id: options.account_id.clone(),
    endpoint: endpoint(&options),
    http: http(&options),
});

#[napi]
impl MessengerClient {
    /// `'messenger'` or `'instagram'`.
    #[napi(getter, ts_return_type = "'messenger' | 'instagram'")]
    pub fn channel(&self) -> &'static str {
        self.inner.channel().as_str()
    }

    /// Sends any message to `recipient` (PSID / IGSID) with no window check: as a
    /// `RESPONSE`, an `UPDATE` (`opts.update`), or tagged (`opts.tag`).
    #[napi(ts_return_type = "Promise<Receipt>")]
    pub fn send<'env>(
        &self,
        env: &'env Env,
        recipient: String,
        #[napi(ts_arg_type = "Outbound")] message: Value,
        opts: Option<SendOptions>,
    ) -> napi::Result<PromiseRaw<'env, Receipt>> {
        let opts = opts.unwrap_or_default();
        let fut = |client: Arc<rs::MessengerClient>| async move {
            let msg = self::message(message)?;
            let delivery = Delivery::direct(
                client.channel(),
                tag(opts.tag.as_deref())?,
                opts.update.unwrap_or_default(),
            );
            let sent = client.send(&recipient, &msg, delivery).await?;
            Ok((client.channel(), sent.message_ids))
        };
        call(env, &self.inner, fut, |(channel, ids)| sent(channel, ids))
    }

    /// Sends text as a `RESPONSE`.
    #[napi(ts_return_type = "Promise<Receipt>")]
    pub fn send_text<'env>(
        &self,
        env: &'env Env,
        recipient: String,
        text: String,
    ) -> napi::Result<PromiseRaw<'env, Receipt>> {
        let fut = |client: Arc<rs::MessengerClient>| async move {
            let sent = client
                .send_text(&recipient, &text, Delivery::Response)
                .await?;
            Ok((client.channel(), sent.message_ids))
        };
        call(env, &self.inner, fut, |(channel, ids)| sent(channel, ids))
    }

    /// Shows or hides the typing indicator, or marks the thread seen.
    #[napi(ts_return_type = "Promise<void>")]
    pub fn sender_action<'env>(
        &self,
        env: &'env Env,
        recipient: String,
        #[napi(ts_arg_type = "'typing_on' | 'typing_off' | 'mark_seen'")] action: String,
    ) -> napi::Result<PromiseRaw<'env, ()>> {
        let fut = |client: Arc<rs::MessengerClient>| async move {
            let action: SenderAction = action.parse()?;
            client.sender_action(&recipient, action).await
        };
        call(env, &self.inner, fut, |()| ())
    }
}

/// Telegram Bot API client for one bot: `{token, apiBase?, timeoutMs?, maxAttempts?,
/// guarantee?}`.
#[napi]
pub struct TelegramClient {
    inner: Arc<rs::TelegramClient>,
}

client_impl!(chat TelegramClient, "TelegramClientOptions", |options| TelegramSpec {
    token: options.token.clone().map(Into::into),
    access_token: options.access_token.clone().map(Into::into),
    api_base: options.api_base.clone(),
    http: http(&options),
});

#[napi]
impl TelegramClient {
    /// Sends any message to `chat` (`opts.replyTo`: a message id to answer).
    #[napi(ts_return_type = "Promise<Receipt>")]
    pub fn send<'env>(
        &self,
        env: &'env Env,
        chat: String,
        #[napi(ts_arg_type = "Outbound")] message: Value,
        opts: Option<SendOptions>,
    ) -> napi::Result<PromiseRaw<'env, Receipt>> {
        let reply_to = opts.and_then(|o| o.reply_to);
        let fut = |client: Arc<rs::TelegramClient>| async move {
            let msg = self::message(message)?;
            let reply_to = reply_to
                .map(|r| {
                    r.parse::<i64>()
                        .map_err(|_| invalid("opts.replyTo must be a Telegram message id"))
                })
                .transpose()?;
            let sent = client.send(&chat, &msg, reply_to).await?;
            Ok(vec![sent.message_id.to_string()])
        };
        call(env, &self.inner, fut, |ids| sent(Channel::Telegram, ids))
    }

    /// Sends plain text.
    #[napi(ts_return_type = "Promise<Receipt>")]
    pub fn send_text<'env>(
        &self,
        env: &'env Env,
        chat: String,
        text: String,
    ) -> napi::Result<PromiseRaw<'env, Receipt>> {
        let fut = |client: Arc<rs::TelegramClient>| async move {
            let sent = client.send_text(&chat, &text).await?;
            Ok(vec![sent.message_id.to_string()])
        };
        call(env, &self.inner, fut, |ids| sent(Channel::Telegram, ids))
    }

    /// Answers a callback query (stops the button's spinner).
    #[napi(ts_return_type = "Promise<void>")]
    pub fn answer_callback_query<'env>(
        &self,
        env: &'env Env,
        callback_query_id: String,
        opts: Option<AnswerCallbackOptions>,
    ) -> napi::Result<PromiseRaw<'env, ()>> {
        let opts = opts.unwrap_or_default();
        let fut = |client: Arc<rs::TelegramClient>| async move {
            client
                .answer_callback_query(
                    &callback_query_id,
                    opts.text.as_deref(),
                    opts.show_alert.unwrap_or_default(),
                )
                .await
        };
        call(env, &self.inner, fut, |()| ())
    }

    /// One `getUpdates` long poll: the raw updates (each a body for `normalize`).
    #[napi(ts_return_type = "Promise<Array<Record<string, unknown>>>")]
    pub fn get_updates<'env>(
        &self,
        env: &'env Env,
        opts: Option<GetUpdatesOptions>,
    ) -> napi::Result<PromiseRaw<'env, Vec<Value>>> {
        let opts = opts.unwrap_or_default();
        let poll = PollSpec {
            offset: opts.offset,
            timeout: opts.timeout_secs,
            limit: opts.limit,
            allowed_updates: opts.allowed_updates,
        }
        .build();
        let fut = |client: Arc<rs::TelegramClient>| async move { client.get_updates(&poll).await };
        call(env, &self.inner, fut, |updates| updates)
    }

    /// `setWebhook`, with an optional secret token Telegram sends back.
    #[napi(ts_return_type = "Promise<void>")]
    pub fn set_webhook<'env>(
        &self,
        env: &'env Env,
        url: String,
        opts: Option<SetWebhookOptions>,
    ) -> napi::Result<PromiseRaw<'env, ()>> {
        let opts = opts.unwrap_or_default();
        let settings = WebhookSpec {
            url,
            secret_token: opts.secret_token.map(Into::into),
            allowed_updates: opts.allowed_updates,
            drop_pending_updates: opts.drop_pending_updates,
            max_connections: opts.max_connections,
        }
        .build();
        let fut =
            |client: Arc<rs::TelegramClient>| async move { client.set_webhook(&settings).await };
        call(env, &self.inner, fut, |()| ())
    }

    /// `deleteWebhook` (back to long polling).
    #[napi(ts_return_type = "Promise<void>")]
    pub fn delete_webhook<'env>(
        &self,
        env: &'env Env,
        drop_pending_updates: Option<bool>,
    ) -> napi::Result<PromiseRaw<'env, ()>> {
        let fut = |client: Arc<rs::TelegramClient>| async move {
            client
                .delete_webhook(drop_pending_updates.unwrap_or_default())
                .await
        };
        call(env, &self.inner, fut, |()| ())
    }
}

/// What the Conversions API answered.
#[napi(object)]
pub struct ConversionsReceipt {
    /// Events Meta accepted.
    pub events_received: u32,
    /// Trace id for Meta support.
    pub fbtrace_id: Option<String>,
}

/// Meta Conversions API client: lead and purchase events from chats, with email and
/// phone normalized and SHA-256 hashed in Rust, and the click-to-WhatsApp `ctwaClid`:
/// `{accessToken, datasetId, testEventCode?, apiBase?, graphVersion?, timeoutMs?,
/// maxAttempts?, guarantee?}`.
#[napi]
pub struct ConversionsClient {
    inner: Arc<rs::ConversionsClient>,
}

client_impl!(ConversionsClient, "ConversionsClientOptions", |options| {
    ConversionsSpec {
        access_token: options.access_token.clone().map(Into::into),
        dataset_id: options.dataset_id.clone(),
        test_event_code: options.test_event_code.clone(),
        endpoint: endpoint(&options),
        http: http(&options),
    }
});

#[napi]
impl ConversionsClient {
    /// Sends 1 to 1000 events (`ConversionEventInput` objects, contact data in the
    /// clear: it is normalized and hashed before it leaves). A malformed event rejects
    /// with `invalid_request` before any request.
    #[napi(ts_return_type = "Promise<ConversionsReceipt>")]
    pub fn send<'env>(
        &self,
        env: &'env Env,
        #[napi(ts_arg_type = "ConversionEventInput[]")] events: Vec<Value>,
    ) -> napi::Result<PromiseRaw<'env, ConversionsReceipt>> {
        let fut = |client: Arc<rs::ConversionsClient>| async move {
            let events = events
                .into_iter()
                .enumerate()
                .map(|(i, v)| {
                    ConversionEvent::from_json_value(v)
                        .map_err(|e| invalid(format!("events[{i}]: {e}")))
                })
                .collect::<Result<Vec<_>, _>>()?;
            client.send(&events).await
        };
        call(env, &self.inner, fut, |r| ConversionsReceipt {
            events_received: u32::try_from(r.events_received).unwrap_or(u32::MAX),
            fbtrace_id: r.fbtrace_id,
        })
    }
}
