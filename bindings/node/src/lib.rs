//! # arichat-node
//!
//! The Node.js binding of [`arichat_core`] and [`arichat_channels`], built with napi-rs
//! into the npm package `arichat`. It only converts at the edge: JS strings become core
//! names and ids, JS `Date`s become `DateTime<Utc>`, `Buffer`s become byte slices,
//! events become plain JS objects, and every [`CoreError`] / [`ChannelError`] becomes a
//! JS `Error` whose `message` is the Rust `Display` text and whose `code` is the stable
//! [`CoreError::code`] / [`ChannelError::code`].

mod dedup;
mod intel;
mod llm;

/// See `mimalloc` in Cargo.toml: the addon's many small allocations per webhook body.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

mod send;
mod webhook;

pub use dedup::{RedisIdempotencyStore, RedisStoreOptions};
pub use intel::{
    classify, Classification, Contribution, EngagementEvent, IntentMatch, ScoreResult, Scorecard,
};
pub use send::{
    AnswerCallbackOptions, ClientOptions, GetUpdatesOptions, MessengerClient, Receipt,
    ReplyConversation, ReplyOptions, SendOptions, SetWebhookOptions, TelegramClient,
    WhatsAppClient,
};
pub use webhook::{
    auth_header, meta_handshake, normalize, verify_signature, verify_telegram_secret,
    WebhookAccount, WebhookVerifier,
};

use arichat_channels::client::SendError;
use arichat_channels::ChannelError;
use arichat_core::{
    ChangeCause, Channel, ContactId, CoreError, LeadId, LeadStatus, LifecycleStage, PhoneNumber,
    Region, TenantId, Transition,
};
use chrono::{DateTime, Utc};
use napi::bindgen_prelude::Date;
use napi::Status;
use napi_derive::napi;

/// The `code` property of every error this binding throws: the stable
/// [`CoreError::code`] or [`ChannelError::code`], or napi's status name for a wrong JS argument (for example
/// `InvalidArg` for an invalid `Date`).
pub enum ErrorCode {
    /// An error of the Rust core or of the channels crate.
    Core(&'static str),
    /// An error raised while converting JS values.
    Napi(Status),
}

impl AsRef<str> for ErrorCode {
    fn as_ref(&self) -> &str {
        match self {
            ErrorCode::Core(code) => code,
            ErrorCode::Napi(status) => status.as_ref(),
        }
    }
}

/// What every fallible function of this binding returns; napi throws the error as a
/// JS `Error` with `message` and `code`.
pub type Result<T> = napi::Result<T, ErrorCode>;

/// The one place where a [`CoreError`] becomes a JS error: message verbatim, code stable.
fn core_error(err: CoreError) -> napi::Error<ErrorCode> {
    napi::Error::new(ErrorCode::Core(err.code()), err)
}

/// The one place where a [`ChannelError`] (or a verification error) becomes a JS error:
/// message verbatim (it never contains a secret), code stable (`verification_failed`,
/// `invalid_json`, `body_too_large`, `body_too_deep`, `unexpected_shape`, or the core
/// code of a wrapped [`CoreError`]).
fn channel_error(err: impl Into<ChannelError>) -> napi::Error<ErrorCode> {
    let err = err.into();
    napi::Error::new(ErrorCode::Core(err.code()), err)
}

/// The one place where a [`SendError`] becomes a JS error (the rejection of a client
/// method's Promise): `message` is the Rust `Display` text (never a token), `code` the
/// stable [`SendError::code`] (`outside_window`, `consent_refused`, `blocked_by_user`,
/// `rate_limited`, `timeout`, ...), `attempts` the requests made (0 when refused before
/// sending) and, when the vendor answered, `vendorCode` (Graph `error.code`, Telegram
/// `error_code`) and `httpStatus`; when the outcome is unknown, `requestId` and (for
/// WhatsApp) `callbackData`.
fn send_error(env: &napi::Env, err: &SendError) -> napi::Error {
    use napi::bindgen_prelude::{JsObjectValue, JsValue};
    let build = || -> napi::Result<napi::Error> {
        let mut obj =
            env.create_error(napi::Error::new(Status::GenericFailure, err.to_string()))?;
        obj.set_named_property("code", err.code())?;
        obj.set_named_property("attempts", err.attempts())?;
        if let Some(vendor) = err.vendor() {
            if let Some(code) = vendor.code {
                obj.set_named_property("vendorCode", code)?;
            }
            obj.set_named_property("httpStatus", u32::from(vendor.http_status))?;
        }
        if let Some(id) = err.request_id() {
            obj.set_named_property("requestId", id)?;
        }
        if let Some(data) = err.callback_data() {
            obj.set_named_property("callbackData", data)?;
        }
        Ok(napi::Error::from(obj.to_unknown()))
    };
    build().unwrap_or_else(|e| e)
}

/// A JS `Date` as a UTC instant. Another JS value is a `DateExpected` error; an
/// invalid `Date`, or one outside chrono's range (JS allows ±275760 years, chrono
/// ±262143), is an `InvalidArg` error.
fn to_utc(date: Date, arg: &str) -> Result<DateTime<Utc>> {
    let millis = date.value_of().map_err(|e| {
        napi::Error::new(ErrorCode::Napi(e.status), format!("{arg} must be a Date"))
    })?;
    if millis.is_finite() {
        // JS dates are whole milliseconds within ±8.64e15, so the cast is exact.
        if let Some(at) = DateTime::from_timestamp_millis(millis as i64) {
            return Ok(at);
        }
    }
    Err(napi::Error::new(
        ErrorCode::Napi(Status::InvalidArg),
        format!("{arg} must be a valid Date within chrono's range"),
    ))
}

/// The version of the Rust core, `arichat_core::VERSION`.
#[napi]
pub fn version() -> &'static str {
    arichat_core::VERSION
}

/// Normalizes a phone number to E.164 (`"+573001234567"`). A national number is read
/// in `region`, an ISO 3166-1 alpha-2 code such as `"CO"`.
///
/// Throws `unknown_region` or `invalid_phone`.
#[napi]
pub fn normalize_phone(raw: String, region: Option<String>) -> Result<String> {
    let region = region
        .map(|r| r.parse::<Region>())
        .transpose()
        .map_err(core_error)?;
    let phone = PhoneNumber::parse(&raw, region).map_err(core_error)?;
    Ok(phone.as_str().to_owned())
}

/// Reads a WhatsApp `wa_id` (digits with the country code) as E.164, digit for digit.
///
/// Throws `invalid_phone`.
#[napi]
pub fn phone_from_wa_id(wa_id: String) -> Result<String> {
    let phone = PhoneNumber::from_wa_id(&wa_id).map_err(core_error)?;
    Ok(phone.as_str().to_owned())
}

/// One recorded change of a lead.
#[napi(object)]
pub struct LeadChange {
    /// `"status"` or `"stage"`.
    pub field: String,
    /// The value before the change.
    pub from: String,
    /// The value after the change.
    pub to: String,
    /// When it happened.
    pub at: DateTime<Utc>,
    /// `"rule"`, `"intent"`, `"agent"` or `"import"`.
    pub cause: String,
    /// A human-readable reason.
    pub reason: String,
}

impl From<&arichat_core::LeadChange> for LeadChange {
    fn from(change: &arichat_core::LeadChange) -> Self {
        let (field, from, to) = match change.transition {
            Transition::Status { from, to } => ("status", from.as_str(), to.as_str()),
            Transition::Stage { from, to } => ("stage", from.as_str(), to.as_str()),
        };
        LeadChange {
            field: field.to_owned(),
            from: from.to_owned(),
            to: to.to_owned(),
            at: change.at,
            cause: change.cause.as_str().to_owned(),
            reason: change.reason.clone(),
        }
    }
}

/// A lead with an audited status and lifecycle stage.
#[napi]
pub struct Lead {
    inner: arichat_core::Lead,
}

#[napi]
impl Lead {
    /// A new lead: unattended, IQL, attributed to `channel` (`"whatsapp"`,
    /// `"messenger"`, `"instagram"` or `"telegram"`).
    ///
    /// Throws `unknown_variant` for another channel.
    #[napi(constructor)]
    pub fn new(
        id: String,
        tenant_id: String,
        contact_id: String,
        channel: String,
        now: Date,
    ) -> Result<Self> {
        let channel = channel.parse::<Channel>().map_err(core_error)?;
        let now = to_utc(now, "now")?;
        Ok(Lead {
            inner: arichat_core::Lead::new(
                LeadId::new(id),
                TenantId::new(tenant_id),
                ContactId::new(contact_id),
                channel,
                now,
            ),
        })
    }

    /// The lead id.
    #[napi(getter)]
    pub fn id(&self) -> String {
        self.inner.id().as_str().to_owned()
    }

    /// The current status, such as `"unattended"`.
    #[napi(getter)]
    pub fn status(&self) -> &'static str {
        self.inner.status().as_str()
    }

    /// The current lifecycle stage, such as `"iql"`.
    #[napi(getter)]
    pub fn stage(&self) -> &'static str {
        self.inner.stage().as_str()
    }

    /// Every change, oldest first.
    #[napi(getter)]
    pub fn history(&self) -> Vec<LeadChange> {
        self.inner.history().iter().map(LeadChange::from).collect()
    }

    /// Moves the status, recording the change. On error the lead is unchanged.
    ///
    /// Throws `unknown_variant`, `illegal_status_transition` or `agent_required`.
    #[napi]
    pub fn set_status(
        &mut self,
        to: String,
        cause: String,
        reason: String,
        at: Date,
    ) -> Result<()> {
        let to = to.parse::<LeadStatus>().map_err(core_error)?;
        let cause = cause.parse::<ChangeCause>().map_err(core_error)?;
        let at = to_utc(at, "at")?;
        self.inner
            .set_status(to, cause, reason, at)
            .map_err(core_error)?;
        Ok(())
    }

    /// Moves the lifecycle stage, recording the change. On error the lead is unchanged.
    ///
    /// Throws `unknown_variant` or `illegal_stage_transition`.
    #[napi]
    pub fn set_stage(&mut self, to: String, cause: String, reason: String, at: Date) -> Result<()> {
        let to = to.parse::<LifecycleStage>().map_err(core_error)?;
        let cause = cause.parse::<ChangeCause>().map_err(core_error)?;
        let at = to_utc(at, "at")?;
        self.inner
            .set_stage(to, cause, reason, at)
            .map_err(core_error)?;
        Ok(())
    }

    /// The lead as JSON (snake_case, stable field names).
    #[napi]
    pub fn to_json(&self) -> String {
        self.inner.to_json()
    }

    /// Reads a lead from JSON, checking its history.
    ///
    /// Throws `invalid_json`.
    #[napi(factory)]
    pub fn from_json(json: String) -> Result<Self> {
        let inner = arichat_core::Lead::from_json(&json).map_err(core_error)?;
        Ok(Lead { inner })
    }
}
