//! Inbound webhooks: `normalize` and the verification functions, thin wrappers around
//! [`arichat_channels`]. All synchronous: the work is CPU-bound and takes microseconds.

use arichat_channels::cloudevents::CloudEvent;
use arichat_channels::verify::{SignatureVerifier, WebhookVerifier as CoreVerifier};
use arichat_channels::{Channel, NormalizeOptions as CoreOptions, SecretString};
use arichat_core::ChannelAccountId;
use napi::bindgen_prelude::{
    BufferSlice, Date, FromNapiValue, Function, FunctionRef, JsObjectValue, JsValue, Object,
    Unknown,
};
use napi::{Env, JsString};
use napi_derive::napi;

use crate::{channel_error, core_error, to_utc, ErrorCode, Result};

/// Options of [`normalize`].
#[napi(object, object_to_js = false)]
pub struct NormalizeOptions<'env> {
    /// When the body was received (default: now); dates events whose payload carries
    /// no time.
    pub received_at: Option<Date<'env>>,
    /// The receiving Telegram bot, which a Telegram update does not name: required for
    /// Telegram (throws `account_required` without it). Ignored for Meta channels,
    /// whose bodies name their account.
    pub account: Option<String>,
    /// The most items one body may hold (default 10,000); more throws `too_many_items`.
    pub max_items: Option<u32>,
    /// This integration's Meta app id: a Messenger or Instagram echo whose `app_id` is
    /// this one comes out authored `bot`, other echoes `agent`.
    pub app_id: Option<String>,
}

/// Parses a raw webhook body of `channel` (`"whatsapp"`, `"messenger"`,
/// `"instagram"` or `"telegram"`) into events, in the order the body lists them.
/// Items arichat does not map become `unsupported` events carrying their raw JSON;
/// malformed items become `invalid_item` events with their raw text and a reason, and
/// the rest of the body is delivered.
///
/// Throws `unknown_variant` for another channel, and `invalid_json`,
/// `body_too_large`, `body_too_deep`, `too_many_items` or `unexpected_shape` for a body
/// rejected whole.
#[napi(ts_return_type = "Array<Event>")]
pub fn normalize<'env>(
    env: &'env Env,
    #[napi(ts_arg_type = "ChannelName")] channel: String,
    body: BufferSlice,
    options: Option<NormalizeOptions>,
) -> Result<Unknown<'env>> {
    let events = normalized(&channel, &body, options)?;
    events_to_js(env, body.len(), &events)
}

/// The events of `body` with the JS options: what both normalize functions give.
fn normalized(
    channel: &str,
    body: &[u8],
    options: Option<NormalizeOptions>,
) -> Result<Vec<arichat_core::Event>> {
    let channel = channel.parse::<Channel>().map_err(core_error)?;
    let options = js_options(options)?;
    arichat_channels::normalize(channel, body, &options).map_err(channel_error)
}

/// `normalize`, each event as a structured-mode CloudEvent 1.0 (`id` = its
/// idempotency key, `type` = `com.arichat.<kind>.v1`, `source` =
/// `/<channel>/<account>`), ready for a bus. Same options and errors as `normalize`.
#[napi(ts_return_type = "Array<CloudEvent>")]
pub fn normalize_cloudevents<'env>(
    env: &'env Env,
    #[napi(ts_arg_type = "ChannelName")] channel: String,
    body: BufferSlice,
    options: Option<NormalizeOptions>,
) -> Result<Unknown<'env>> {
    let events = normalized(&channel, &body, options)?;
    cloudevents_to_js(env, &events)
}

/// Events as a JS array of structured-mode CloudEvents.
fn cloudevents_to_js<'env>(
    env: &'env Env,
    events: &[arichat_core::Event],
) -> Result<Unknown<'env>> {
    let envelopes: Vec<String> = events.iter().map(CloudEvent::event_json).collect();
    json_parse(env, format!("[{}]", envelopes.join(",")).as_bytes())
}

/// The core's options from the JS ones (`receivedAt` default: now).
fn js_options(options: Option<NormalizeOptions>) -> Result<CoreOptions> {
    let Some(o) = options else {
        return Ok(core_options(None, None));
    };
    let received_at = o
        .received_at
        .map(|d| to_utc(d, "options.receivedAt"))
        .transpose()?;
    let rest = NormalizerOptions {
        account: o.account,
        max_items: o.max_items,
        app_id: o.app_id,
    };
    Ok(core_options(received_at, Some(rest)))
}

/// One channel account of a tenant and the secrets that authenticate its webhooks:
/// Meta app secrets (`X-Hub-Signature-256`) or Telegram `secret_token`s.
#[napi(object, object_to_js = false)]
pub struct WebhookAccount {
    /// `"whatsapp"`, `"messenger"`, `"instagram"` or `"telegram"`.
    #[napi(ts_type = "ChannelName")]
    pub channel: String,
    /// phone_number_id (and the WhatsApp Business Account id for account-level
    /// fields), page id, Instagram account id or Telegram bot id.
    pub account: String,
    /// The tenant owning the account.
    pub tenant: String,
    /// Its secrets (several during a rotation).
    pub secrets: Vec<String>,
}

/// Per-tenant webhook verification: each channel account with its tenant and that
/// tenant's secrets. A body is accepted only with the secrets of the accounts it names;
/// its events come back with `tenant_id` set.
#[napi]
pub struct WebhookVerifier {
    inner: CoreVerifier,
}

#[napi]
impl WebhookVerifier {
    /// Throws `invalid_config` for a blank secret, an account without secrets, or an
    /// empty account or tenant id; `unknown_variant` for an unknown channel.
    #[napi(constructor)]
    pub fn new(accounts: Vec<WebhookAccount>) -> Result<Self> {
        let mut inner = CoreVerifier::new();
        for a in accounts {
            let channel = a.channel.parse::<Channel>().map_err(core_error)?;
            inner
                .add(channel, a.account, a.tenant, a.secrets)
                .map_err(channel_error)?;
        }
        Ok(WebhookVerifier { inner })
    }

    /// Verifies one webhook request and parses it into events, each with `tenant_id`.
    /// `header` is the `X-Hub-Signature-256` value (Meta channels) or the
    /// `X-Telegram-Bot-Api-Secret-Token` value (Telegram), `undefined` when absent;
    /// for Telegram, `options.account` is the bot id the request was addressed to, or,
    /// when absent, the bot registered with the request's secret token.
    ///
    /// Throws `verification_failed`, `unknown_account`, `account_required` (no
    /// account and a token two bots share), and what `normalize` throws.
    #[napi(ts_return_type = "Array<Event>")]
    pub fn normalize<'env>(
        &self,
        env: &'env Env,
        #[napi(ts_arg_type = "ChannelName")] channel: String,
        body: BufferSlice,
        header: Option<String>,
        options: Option<NormalizeOptions>,
    ) -> Result<Unknown<'env>> {
        let events = self.verified(&channel, &body, header, options)?;
        events_to_js(env, body.len(), &events)
    }

    /// `normalize`, each verified event as a structured-mode CloudEvent 1.0 (with the
    /// `tenant` extension), as `normalizeCloudevents` writes them. Same arguments and
    /// errors as `normalize`.
    #[napi(ts_return_type = "Array<CloudEvent>")]
    pub fn normalize_cloudevents<'env>(
        &self,
        env: &'env Env,
        #[napi(ts_arg_type = "ChannelName")] channel: String,
        body: BufferSlice,
        header: Option<String>,
        options: Option<NormalizeOptions>,
    ) -> Result<Unknown<'env>> {
        let events = self.verified(&channel, &body, header, options)?;
        cloudevents_to_js(env, &events)
    }

    /// The accounts and tenants, secrets redacted.
    #[napi(js_name = "toString")]
    pub fn to_js_string(&self) -> String {
        format!("{:?}", self.inner)
    }

    /// The events of a verified body: what both normalize methods give.
    fn verified(
        &self,
        channel: &str,
        body: &[u8],
        header: Option<String>,
        options: Option<NormalizeOptions>,
    ) -> Result<Vec<arichat_core::Event>> {
        let channel = channel.parse::<Channel>().map_err(core_error)?;
        let options = js_options(options)?;
        self.inner
            .normalize(channel, body, header.as_deref(), &options)
            .map_err(channel_error)
    }
}

/// The request header that authenticates `channel`'s webhooks
/// (`X-Hub-Signature-256` or `X-Telegram-Bot-Api-Secret-Token`).
///
/// Throws `unknown_variant` for another channel.
#[napi]
pub fn auth_header(#[napi(ts_arg_type = "ChannelName")] channel: String) -> Result<&'static str> {
    let channel = channel.parse::<Channel>().map_err(core_error)?;
    Ok(arichat_channels::verify::auth_header(channel))
}

/// Options of a [`Normalizer`], read once when it is made.
#[napi(object, object_to_js = false)]
pub struct NormalizerOptions {
    /// The receiving Telegram bot, which a Telegram update does not name. Ignored for
    /// Meta channels, whose bodies name their account.
    pub account: Option<String>,
    /// The most items one body may hold (default 10,000); more throws `too_many_items`.
    pub max_items: Option<u32>,
    /// This integration's Meta app id: a Messenger or Instagram echo whose `app_id` is
    /// this one comes out authored `bot`, other echoes `agent`.
    pub app_id: Option<String>,
}

/// `normalize` with its options read once: a webhook handler makes one and calls
/// `normalize(channel, body)` per request, without the options object crossing into
/// Rust (and being read property by property) on every call. Same events as the
/// `normalize` function with the same options.
#[napi]
pub struct Normalizer {
    /// Read once; `received_at` is set per call.
    options: CoreOptions,
}

#[napi]
impl Normalizer {
    /// A normalizer for `options.account` (default: `"default"`). Warms the process up
    /// (see `warm`), so that the first body is not the slow one.
    #[napi(constructor)]
    pub fn new(options: Option<NormalizerOptions>) -> Self {
        arichat_core::warm();
        Normalizer {
            options: core_options(None, options),
        }
    }

    /// Parses a raw webhook body of `channel` into events, as `normalize` does;
    /// `receivedAt` (default: now) dates events whose payload carries no time.
    ///
    /// Throws as `normalize` does.
    #[napi(ts_return_type = "Array<Event>")]
    pub fn normalize<'env>(
        &self,
        env: &'env Env,
        #[napi(ts_arg_type = "ChannelName")] channel: String,
        body: BufferSlice,
        received_at: Option<Date<'env>>,
    ) -> Result<Unknown<'env>> {
        let channel = channel.parse::<Channel>().map_err(core_error)?;
        let received_at = received_at.map(|d| to_utc(d, "receivedAt")).transpose()?;
        let mut options = self.options.clone();
        options.received_at = received_at.unwrap_or_else(chrono::Utc::now);
        let events =
            arichat_channels::normalize(channel, &body, &options).map_err(channel_error)?;
        events_to_js(env, body.len(), &events)
    }
}

/// The core options from JS ones; defaults (`received_at` now, the item cap) are the
/// core's.
fn core_options(
    received_at: Option<chrono::DateTime<chrono::Utc>>,
    js: Option<NormalizerOptions>,
) -> CoreOptions {
    let mut options = CoreOptions::new(received_at.unwrap_or_else(chrono::Utc::now));
    let Some(js) = js else {
        return options;
    };
    options.account = js.account.map(ChannelAccountId::new);
    if let Some(max_items) = js.max_items {
        options = options.with_max_items(max_items as usize);
    }
    if let Some(app_id) = js.app_id {
        options = options.with_app_id(app_id);
    }
    options
}

/// Hands the events of a body of `body_len` bytes to JS.
fn events_to_js<'env>(
    env: &'env Env,
    body_len: usize,
    events: &[arichat_core::Event],
) -> Result<Unknown<'env>> {
    // Sized for the usual case (events about as long as the body) so the buffer is not
    // regrown and copied while serializing.
    let mut text = Vec::with_capacity(body_len + body_len / 2 + 256);
    serde_json::to_writer(&mut text, events).map_err(|e| {
        napi::Error::new(
            ErrorCode::Napi(napi::Status::GenericFailure),
            format!("event not serializable: {e}"),
        )
    })?;
    json_parse(env, &text)
}

/// The engine's `JSON.parse`, looked up once per environment (main thread or worker)
/// and kept as a reference in the environment's instance data.
type JsonParse = FunctionRef<JsString<'static>, Unknown<'static>>;

/// JSON text (UTF-8 written by `serde_json`) as JS values, parsed by the engine's own
/// `JSON.parse`.
///
/// Building the same objects through N-API (`serde_json::Value` -> one
/// `napi_set_named_property` per key) cost more than the normalization itself: every
/// key is a fresh UTF-8 -> V8 string lookup and every object grows its shape one
/// property at a time. One string handed to `JSON.parse` is several times cheaper
/// (measured in BENCHMARKS.md, "Normalize against peers"), and keys keep the order of
/// the event's fields. ASCII text (the usual case: ids, keys, times) is handed over as
/// Latin-1, which V8 copies without decoding.
fn json_parse<'env>(env: &'env Env, text: &[u8]) -> Result<Unknown<'env>> {
    let napi_err = |e: napi::Error| napi::Error::new(ErrorCode::Napi(e.status), e.reason.clone());
    let parse = match env.get_instance_data::<JsonParse>().map_err(napi_err)? {
        Some(parse) => parse.borrow_back(env),
        None => {
            let json: Object<'_> = env
                .get_global()
                .and_then(|g| g.get_named_property_unchecked("JSON"))
                .map_err(napi_err)?;
            let parse: Function<'_, JsString<'static>, Unknown<'static>> = json
                .get_named_property_unchecked("parse")
                .map_err(napi_err)?;
            env.set_instance_data(parse.create_ref().map_err(napi_err)?, (), |_| {})
                .map_err(napi_err)?;
            Ok(parse)
        }
    }
    .map_err(napi_err)?;
    let text = if text.is_ascii() {
        env.create_string_latin1(text)
    } else {
        // SAFETY: `serde_json` writes valid UTF-8 only.
        unsafe { env.create_string_from_c_char(text.as_ptr().cast(), text.len() as isize) }
    }
    .map_err(napi_err)?;
    // SAFETY: the string is a handle of this call's scope, which outlives the call
    // below; the `'static` only matches the cached reference's argument type.
    let text: JsString<'static> =
        unsafe { JsString::from_napi_value(env.raw(), text.raw()) }.map_err(napi_err)?;
    parse.call(text).map_err(napi_err)
}

/// Checks an `X-Hub-Signature-256` header (`undefined`/`null` when the request has
/// none) against the HMAC-SHA256 of the raw body with each of `secrets` (several
/// during a rotation), in constant time. Returns the index of the secret that matched.
///
/// Throws `verification_failed` (missing, malformed or wrong signature), and
/// `invalid_config` when `secrets` is empty or holds a blank secret.
#[napi]
pub fn verify_signature(
    body: BufferSlice,
    header: Option<String>,
    secrets: Vec<String>,
) -> Result<u32> {
    let index = SignatureVerifier::new(secrets)
        .map_err(channel_error)?
        .verify(&body, header.as_deref())
        .map_err(channel_error)?;
    u32::try_from(index).map_err(|_| {
        napi::Error::new(
            ErrorCode::Napi(napi::Status::InvalidArg),
            "too many secrets".to_owned(),
        )
    })
}

/// Answers Meta's `GET` subscription handshake: given the raw query string, returns
/// `hub.challenge` to echo back with status 200 when `hub.verify_token` matches.
///
/// Throws `verification_failed` (answer it with 403), and `invalid_config` for a blank
/// `verifyToken` (an unset environment variable must not open the handshake).
#[napi]
pub fn meta_handshake(query: String, verify_token: String) -> Result<String> {
    arichat_channels::verify::meta_handshake(&query, &SecretString::from(verify_token))
        .map_err(channel_error)
}

/// Checks Telegram's `X-Telegram-Bot-Api-Secret-Token` header (`undefined`/`null`
/// when absent) against the secret given to `setWebhook`, in constant time.
///
/// Throws `verification_failed`, and `invalid_config` for a blank `secret` (an unset
/// environment variable must not let an empty header in).
#[napi]
pub fn verify_telegram_secret(header: Option<String>, secret: String) -> Result<()> {
    arichat_channels::verify::verify_telegram_secret(header.as_deref(), &SecretString::from(secret))
        .map_err(channel_error)
}
