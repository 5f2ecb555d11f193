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
use std::time::Duration;

use arichat_channels::client::{
    self as rs, ChannelClient, ConversionsConfig, HttpConfig, HttpOptions, MessengerConfig,
    PollOptions, SendError, SendReceipt, TelegramConfig, WebhookSettings, WhatsAppConfig,
};
use arichat_channels::conversions::ConversionEvent;
use arichat_channels::meta_send::SenderAction;
use arichat_channels::outbound::{Delivery, MessageTag, Outbound, SendPolicy};
use arichat_channels::SecretString;
use arichat_core::{Channel, ChannelAccountId, ConsentLedger, ContactId, Conversation, TenantId};
use chrono::{DateTime, Utc};
use napi::bindgen_prelude::{Date, PromiseRaw, ToNapiValue};
use napi::Env;
use napi_derive::napi;
use serde_json::Value;

/// How a client is built: credentials, ids, and the HTTP settings.
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
    pub tag: Option<String>,
}

/// Options of a plain `send` (no window or consent check).
#[napi(object)]
#[derive(Default)]
pub struct SendOptions {
    /// Reply to this message: a wamid (WhatsApp) or a message id (Telegram).
    pub reply_to: Option<String>,
    /// Messenger / Instagram: send with this message tag (`'HUMAN_AGENT'`, ...).
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

/// The options' HTTP settings as the core's [`HttpOptions`]: milliseconds become
/// durations here, every default, clamp and name is decided in [`HttpOptions::build`].
fn http_config(opts: &ClientOptions) -> Result<HttpConfig, SendError> {
    let ms = |v: Option<u32>| v.map(|ms| Duration::from_millis(u64::from(ms)));
    HttpOptions {
        timeout: ms(opts.timeout_ms),
        max_attempts: opts.max_attempts,
        retry_base_delay: ms(opts.retry_base_delay_ms),
        guarantee: opts.guarantee.clone(),
    }
    .build()
}

fn required(value: Option<&String>, what: &str) -> Result<String, SendError> {
    value
        .filter(|v| !v.is_empty())
        .cloned()
        .ok_or_else(|| invalid(format!("options.{what} is required")))
}

fn message(value: Value) -> Result<Outbound, SendError> {
    serde_json::from_value(value).map_err(|e| invalid(format!("not an outbound message: {e}")))
}

fn tag(name: &str) -> Result<MessageTag, SendError> {
    serde_json::from_value(Value::String(name.to_owned()))
        .map_err(|_| invalid(format!("unknown message tag {name:?}")))
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
    let (delivery, tag) = match r.delivery {
        Delivery::Response => ("response", None),
        Delivery::Update => ("update", None),
        Delivery::Tagged(t) => ("tagged", Some(t.as_str().to_owned())),
        Delivery::Template => ("template", None),
        Delivery::Unrestricted => ("unrestricted", None),
    };
    Receipt {
        channel: r.channel.as_str().to_owned(),
        message_ids: r.message_ids,
        delivery: Some(delivery.to_owned()),
        tag,
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

/// The checked inputs of a `reply`, owned so they can move into the future.
struct ReplyInput {
    conversation: Conversation,
    message: Outbound,
    policy: SendPolicy,
}

impl ReplyInput {
    fn new(
        conversation: ReplyConversation,
        to: &str,
        message: Value,
        opts: Option<ReplyOptions>,
    ) -> Result<Self, SendError> {
        let opts = opts.unwrap_or_default();
        let channel = conversation
            .channel
            .parse::<Channel>()
            .map_err(|e| invalid(e.to_string()))?;
        let contact = conversation.contact_id.unwrap_or_else(|| to.to_owned());
        let mut conv = Conversation::new(
            TenantId::new("default"),
            channel,
            ChannelAccountId::new("default"),
            ContactId::new(contact),
        );
        if let Some(at) = &conversation.last_inbound_at {
            conv.record_inbound(to_utc(at, "conversation.lastInboundAt")?);
        }
        let now = match &opts.now {
            Some(d) => to_utc(d, "options.now")?,
            None => Utc::now(),
        };
        let consent = match opts.consent {
            None | Some(Value::Null) => None,
            Some(Value::String(json)) => {
                Some(ConsentLedger::from_json(&json).map_err(|e| invalid(e.to_string()))?)
            }
            Some(v) => Some(
                serde_json::from_value(v)
                    .map_err(|e| invalid(format!("not a consent ledger: {e}")))?,
            ),
        };
        Ok(ReplyInput {
            conversation: conv,
            message: self::message(message)?,
            policy: SendPolicy {
                now,
                consent,
                tag: opts.tag.as_deref().map(tag).transpose()?,
                marketing: opts.marketing.unwrap_or(false),
                proactive: opts.proactive.unwrap_or(false),
            },
        })
    }

    /// Runs the Rust preflight and, when allowed, the send.
    async fn run<C: ChannelClient>(self, client: &C, to: &str) -> Result<SendReceipt, SendError> {
        let ctx = self.policy.context();
        client
            .reply(&self.conversation, to, &self.message, &ctx)
            .await
    }
}

fn reply_promise<'env, C: ChannelClient + 'static>(
    env: &'env Env,
    client: &Arc<C>,
    conversation: ReplyConversation,
    to: String,
    msg: Value,
    opts: Option<ReplyOptions>,
) -> napi::Result<PromiseRaw<'env, Receipt>> {
    let input = ReplyInput::new(conversation, &to, msg, opts);
    let client = Arc::clone(client);
    promise(env, async move { input?.run(&*client, &to).await }, receipt)
}

/// WhatsApp Cloud API client for one business phone number.
#[napi]
pub struct WhatsAppClient {
    inner: Arc<rs::WhatsAppClient>,
}

#[napi]
impl WhatsAppClient {
    /// `{accessToken, phoneNumberId, apiBase?, graphVersion?, timeoutMs?, maxAttempts?, guarantee?}`.
    ///
    /// Throws `invalid_request` when a required option is missing.
    #[napi(constructor)]
    pub fn new(env: Env, options: ClientOptions) -> napi::Result<Self> {
        let build = || -> Result<rs::WhatsAppClient, SendError> {
            let mut cfg = WhatsAppConfig::new(
                required(options.access_token.as_ref(), "accessToken")?,
                required(options.phone_number_id.as_ref(), "phoneNumberId")?,
            );
            if let Some(base) = &options.api_base {
                cfg.api_base = base.clone();
            }
            if let Some(v) = &options.graph_version {
                cfg.graph_version = v.clone();
            }
            cfg.http = http_config(&options)?;
            rs::WhatsAppClient::new(cfg)
        };
        let inner = build().map_err(|e| crate::send_error(&env, &e))?;
        Ok(WhatsAppClient {
            inner: Arc::new(inner),
        })
    }

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
        let client = Arc::clone(&self.inner);
        let reply_to = opts.and_then(|o| o.reply_to);
        let fut = async move {
            let msg = self::message(message)?;
            let sent = client.send(&to, &msg, reply_to.as_deref()).await?;
            Ok(vec![sent.id])
        };
        promise(env, fut, |ids| sent(Channel::Whatsapp, ids))
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
        let client = Arc::clone(&self.inner);
        let fut = async move {
            let sent = client
                .send_text(&to, &text, preview_url.unwrap_or(false))
                .await?;
            Ok(vec![sent.id])
        };
        promise(env, fut, |ids| sent(Channel::Whatsapp, ids))
    }

    /// Marks an inbound message read, optionally showing "typing…".
    #[napi(ts_return_type = "Promise<void>")]
    pub fn mark_read<'env>(
        &self,
        env: &'env Env,
        message_id: String,
        typing_indicator: Option<bool>,
    ) -> napi::Result<PromiseRaw<'env, ()>> {
        let client = Arc::clone(&self.inner);
        let fut = async move {
            client
                .mark_read(&message_id, typing_indicator.unwrap_or(false))
                .await
        };
        promise(env, fut, |()| ())
    }

    /// Answers `conversation` after the Rust preflight: a free-form message outside the
    /// 24-hour window rejects with `outside_window`, a marketing send without consent
    /// with `consent_refused`, both before any request.
    #[napi(ts_return_type = "Promise<Receipt>")]
    pub fn reply<'env>(
        &self,
        env: &'env Env,
        conversation: ReplyConversation,
        to: String,
        #[napi(ts_arg_type = "Outbound")] message: Value,
        opts: Option<ReplyOptions>,
    ) -> napi::Result<PromiseRaw<'env, Receipt>> {
        reply_promise(env, &self.inner, conversation, to, message, opts)
    }
}

/// Messenger or Instagram Send API client for one page or account.
#[napi]
pub struct MessengerClient {
    inner: Arc<rs::MessengerClient>,
}

#[napi]
impl MessengerClient {
    /// `{accessToken, pageId | accountId, channel?: 'messenger' | 'instagram', apiBase?,
    /// graphVersion?, timeoutMs?, maxAttempts?, guarantee?}`.
    ///
    /// Throws `invalid_request` when a required option is missing.
    #[napi(constructor)]
    pub fn new(env: Env, options: ClientOptions) -> napi::Result<Self> {
        let build = || -> Result<rs::MessengerClient, SendError> {
            let token = required(options.access_token.as_ref(), "accessToken")?;
            let mut cfg = match options.channel.as_deref().unwrap_or("messenger") {
                "messenger" => MessengerConfig::messenger(
                    token,
                    required(
                        options.page_id.as_ref().or(options.account_id.as_ref()),
                        "pageId",
                    )?,
                ),
                "instagram" => MessengerConfig::instagram(
                    token,
                    required(
                        options.account_id.as_ref().or(options.page_id.as_ref()),
                        "accountId",
                    )?,
                ),
                other => {
                    return Err(invalid(format!(
                        "options.channel must be 'messenger' or 'instagram', not {other:?}"
                    )))
                }
            };
            if let Some(base) = &options.api_base {
                cfg.api_base = base.clone();
            }
            if let Some(v) = &options.graph_version {
                cfg.graph_version = v.clone();
            }
            cfg.http = http_config(&options)?;
            rs::MessengerClient::new(cfg)
        };
        let inner = build().map_err(|e| crate::send_error(&env, &e))?;
        Ok(MessengerClient {
            inner: Arc::new(inner),
        })
    }

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
        let client = Arc::clone(&self.inner);
        let opts = opts.unwrap_or_default();
        let fut = async move {
            let msg = self::message(message)?;
            let delivery = match (&opts.tag, opts.update.unwrap_or(false)) {
                (Some(t), _) => Delivery::Tagged(tag(t)?),
                (None, true) => Delivery::Update,
                (None, false) => Delivery::Response,
            };
            let sent = client.send(&recipient, &msg, delivery).await?;
            Ok((client.channel(), sent.message_ids))
        };
        promise(env, fut, |(channel, ids)| sent(channel, ids))
    }

    /// Sends text as a `RESPONSE`.
    #[napi(ts_return_type = "Promise<Receipt>")]
    pub fn send_text<'env>(
        &self,
        env: &'env Env,
        recipient: String,
        text: String,
    ) -> napi::Result<PromiseRaw<'env, Receipt>> {
        let client = Arc::clone(&self.inner);
        let fut = async move {
            let sent = client
                .send_text(&recipient, &text, Delivery::Response)
                .await?;
            Ok((client.channel(), sent.message_ids))
        };
        promise(env, fut, |(channel, ids)| sent(channel, ids))
    }

    /// Shows or hides the typing indicator, or marks the thread seen.
    #[napi(ts_return_type = "Promise<void>")]
    pub fn sender_action<'env>(
        &self,
        env: &'env Env,
        recipient: String,
        #[napi(ts_arg_type = "'typing_on' | 'typing_off' | 'mark_seen'")] action: String,
    ) -> napi::Result<PromiseRaw<'env, ()>> {
        let client = Arc::clone(&self.inner);
        let fut = async move {
            let action = match action.as_str() {
                "typing_on" => SenderAction::TypingOn,
                "typing_off" => SenderAction::TypingOff,
                "mark_seen" => SenderAction::MarkSeen,
                other => return Err(invalid(format!("unknown sender action {other:?}"))),
            };
            client.sender_action(&recipient, action).await
        };
        promise(env, fut, |()| ())
    }

    /// Answers `conversation` after the Rust preflight (outside the window: only with
    /// `opts.tag: 'HUMAN_AGENT'` within 7 days, else `outside_window`).
    #[napi(ts_return_type = "Promise<Receipt>")]
    pub fn reply<'env>(
        &self,
        env: &'env Env,
        conversation: ReplyConversation,
        to: String,
        #[napi(ts_arg_type = "Outbound")] message: Value,
        opts: Option<ReplyOptions>,
    ) -> napi::Result<PromiseRaw<'env, Receipt>> {
        reply_promise(env, &self.inner, conversation, to, message, opts)
    }
}

/// Telegram Bot API client for one bot.
#[napi]
pub struct TelegramClient {
    inner: Arc<rs::TelegramClient>,
}

#[napi]
impl TelegramClient {
    /// `{token, apiBase?, timeoutMs?, maxAttempts?, guarantee?}`.
    ///
    /// Throws `invalid_request` when the token is missing.
    #[napi(constructor)]
    pub fn new(env: Env, options: ClientOptions) -> napi::Result<Self> {
        let build = || -> Result<rs::TelegramClient, SendError> {
            let token = options.token.as_ref().or(options.access_token.as_ref());
            let mut cfg = TelegramConfig::new(required(token, "token")?);
            if let Some(base) = &options.api_base {
                cfg.api_base = base.clone();
            }
            cfg.http = http_config(&options)?;
            rs::TelegramClient::new(cfg)
        };
        let inner = build().map_err(|e| crate::send_error(&env, &e))?;
        Ok(TelegramClient {
            inner: Arc::new(inner),
        })
    }

    /// Sends any message to `chat` (`opts.replyTo`: a message id to answer).
    #[napi(ts_return_type = "Promise<Receipt>")]
    pub fn send<'env>(
        &self,
        env: &'env Env,
        chat: String,
        #[napi(ts_arg_type = "Outbound")] message: Value,
        opts: Option<SendOptions>,
    ) -> napi::Result<PromiseRaw<'env, Receipt>> {
        let client = Arc::clone(&self.inner);
        let reply_to = opts.and_then(|o| o.reply_to);
        let fut = async move {
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
        promise(env, fut, |ids| sent(Channel::Telegram, ids))
    }

    /// Sends plain text.
    #[napi(ts_return_type = "Promise<Receipt>")]
    pub fn send_text<'env>(
        &self,
        env: &'env Env,
        chat: String,
        text: String,
    ) -> napi::Result<PromiseRaw<'env, Receipt>> {
        let client = Arc::clone(&self.inner);
        let fut = async move {
            let sent = client.send_text(&chat, &text).await?;
            Ok(vec![sent.message_id.to_string()])
        };
        promise(env, fut, |ids| sent(Channel::Telegram, ids))
    }

    /// Answers a callback query (stops the button's spinner).
    #[napi(ts_return_type = "Promise<void>")]
    pub fn answer_callback_query<'env>(
        &self,
        env: &'env Env,
        callback_query_id: String,
        opts: Option<AnswerCallbackOptions>,
    ) -> napi::Result<PromiseRaw<'env, ()>> {
        let client = Arc::clone(&self.inner);
        let opts = opts.unwrap_or_default();
        let fut = async move {
            client
                .answer_callback_query(
                    &callback_query_id,
                    opts.text.as_deref(),
                    opts.show_alert.unwrap_or(false),
                )
                .await
        };
        promise(env, fut, |()| ())
    }

    /// One `getUpdates` long poll: the raw updates (each a body for `normalize`).
    #[napi(ts_return_type = "Promise<Array<Record<string, unknown>>>")]
    pub fn get_updates<'env>(
        &self,
        env: &'env Env,
        opts: Option<GetUpdatesOptions>,
    ) -> napi::Result<PromiseRaw<'env, Vec<Value>>> {
        let client = Arc::clone(&self.inner);
        let opts = opts.unwrap_or_default();
        let defaults = PollOptions::default();
        let poll = PollOptions {
            offset: opts.offset,
            timeout_secs: opts.timeout_secs.unwrap_or(defaults.timeout_secs),
            allowed_updates: opts.allowed_updates.unwrap_or_default(),
            limit: opts.limit.map_or(defaults.limit, |l| l.clamp(1, 100) as u8),
        };
        let fut = async move { client.get_updates(&poll).await };
        promise(env, fut, |updates| updates)
    }

    /// `setWebhook`, with an optional secret token Telegram sends back.
    #[napi(ts_return_type = "Promise<void>")]
    pub fn set_webhook<'env>(
        &self,
        env: &'env Env,
        url: String,
        opts: Option<SetWebhookOptions>,
    ) -> napi::Result<PromiseRaw<'env, ()>> {
        let client = Arc::clone(&self.inner);
        let opts = opts.unwrap_or_default();
        let settings = WebhookSettings {
            url,
            secret_token: opts.secret_token.map(SecretString::from),
            allowed_updates: opts.allowed_updates.unwrap_or_default(),
            drop_pending_updates: opts.drop_pending_updates.unwrap_or(false),
            max_connections: opts.max_connections.map(|n| n.clamp(1, 100) as u8),
        };
        let fut = async move { client.set_webhook(&settings).await };
        promise(env, fut, |()| ())
    }

    /// `deleteWebhook` (back to long polling).
    #[napi(ts_return_type = "Promise<void>")]
    pub fn delete_webhook<'env>(
        &self,
        env: &'env Env,
        drop_pending_updates: Option<bool>,
    ) -> napi::Result<PromiseRaw<'env, ()>> {
        let client = Arc::clone(&self.inner);
        let fut = async move {
            client
                .delete_webhook(drop_pending_updates.unwrap_or(false))
                .await
        };
        promise(env, fut, |()| ())
    }

    /// Answers `conversation` after the Rust preflight (Telegram has no window, but
    /// marketing still needs consent).
    #[napi(ts_return_type = "Promise<Receipt>")]
    pub fn reply<'env>(
        &self,
        env: &'env Env,
        conversation: ReplyConversation,
        to: String,
        #[napi(ts_arg_type = "Outbound")] message: Value,
        opts: Option<ReplyOptions>,
    ) -> napi::Result<PromiseRaw<'env, Receipt>> {
        reply_promise(env, &self.inner, conversation, to, message, opts)
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
/// phone normalized and SHA-256 hashed in Rust, and the click-to-WhatsApp `ctwaClid`.
#[napi]
pub struct ConversionsClient {
    inner: Arc<rs::ConversionsClient>,
}

#[napi]
impl ConversionsClient {
    /// `{accessToken, datasetId, testEventCode?, apiBase?, graphVersion?, timeoutMs?, maxAttempts?, guarantee?}`.
    ///
    /// Throws `invalid_request` when a required option is missing.
    #[napi(constructor)]
    pub fn new(env: Env, options: ClientOptions) -> napi::Result<Self> {
        let build = || -> Result<rs::ConversionsClient, SendError> {
            let mut cfg = ConversionsConfig::new(
                required(options.access_token.as_ref(), "accessToken")?,
                required(options.dataset_id.as_ref(), "datasetId")?,
            );
            cfg.test_event_code = options.test_event_code.clone();
            if let Some(base) = &options.api_base {
                cfg.api_base = base.clone();
            }
            if let Some(v) = &options.graph_version {
                cfg.graph_version = v.clone();
            }
            cfg.http = http_config(&options)?;
            rs::ConversionsClient::new(cfg)
        };
        let inner = build().map_err(|e| crate::send_error(&env, &e))?;
        Ok(ConversionsClient {
            inner: Arc::new(inner),
        })
    }

    /// Sends 1 to 1000 events (`ConversionEventInput` objects, contact data in the
    /// clear: it is normalized and hashed before it leaves). A malformed event rejects
    /// with `invalid_request` before any request.
    #[napi(ts_return_type = "Promise<ConversionsReceipt>")]
    pub fn send<'env>(
        &self,
        env: &'env Env,
        #[napi(ts_arg_type = "ConversionEventInput[]")] events: Vec<Value>,
    ) -> napi::Result<PromiseRaw<'env, ConversionsReceipt>> {
        let client = Arc::clone(&self.inner);
        let fut = async move {
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
        promise(env, fut, |r| ConversionsReceipt {
            events_received: u32::try_from(r.events_received).unwrap_or(u32::MAX),
            fbtrace_id: r.fbtrace_id,
        })
    }
}
