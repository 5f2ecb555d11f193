//! The one place where Rust errors become JS errors: [`CoreError`], [`ChannelError`] and
//! [`SendError`] keep their `Display` text as `message` and their stable code as `code`.
//! [`error_classes`] names the class each code belongs to; the package entry
//! (`lib.js`) gives every error thrown or rejected that class's prototype, so that
//! `err instanceof SendError` holds.

use arichat_channels::client::SendError;
use arichat_channels::ChannelError;
use arichat_core::{CoreError, ErrorCode as CoreCode};
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
pub(crate) fn core_error(err: CoreError) -> napi::Error<ErrorCode> {
    napi::Error::new(ErrorCode::Core(err.code()), err)
}

/// [`core_error`] for a Promise's rejection, built where only a plain `napi::Error`
/// fits (an `AsyncTask`'s `resolve`): the same `message` and `code`.
pub(crate) fn core_error_js(env: &napi::Env, err: &CoreError) -> napi::Error {
    use napi::bindgen_prelude::{JsObjectValue, JsValue};
    let build = || -> napi::Result<napi::Error> {
        let mut obj =
            env.create_error(napi::Error::new(Status::GenericFailure, err.to_string()))?;
        obj.set_named_property("code", err.code())?;
        Ok(napi::Error::from(obj.to_unknown()))
    };
    build().unwrap_or_else(|e| e)
}

/// The one place where a [`ChannelError`] (or a verification error) becomes a JS error:
/// message verbatim (it never contains a secret), code stable (`verification_failed`,
/// `invalid_json`, `body_too_large`, `body_too_deep`, `unexpected_shape`, or the core
/// code of a wrapped [`CoreError`]).
pub(crate) fn channel_error(err: impl Into<ChannelError>) -> napi::Error<ErrorCode> {
    let err = err.into();
    napi::Error::new(ErrorCode::Core(err.code()), err)
}

/// The class of a send client's error, as `name`: a timeout and a failed connection
/// have their own (subclasses of `SendError`, as in Python).
fn send_class(err: &SendError) -> &'static str {
    match err {
        SendError::Timeout { .. } => "SendTimeoutError",
        SendError::Connection { .. } => "SendConnectionError",
        _ => "SendError",
    }
}

/// The one place where a [`SendError`] becomes a JS error (the rejection of a client
/// method's Promise): `message` is the Rust `Display` text (never a token), `code` the
/// stable [`SendError::code`] (`outside_window`, `consent_refused`, `blocked_by_user`,
/// `rate_limited`, `timeout`, ...), `attempts` the requests made (0 when refused before
/// sending) and, when the vendor answered, `vendorCode` (Graph `error.code`, Telegram
/// `error_code`) and `httpStatus`; when the outcome is unknown, `requestId` and (for
/// WhatsApp) `callbackData`.
pub(crate) fn send_error(env: &napi::Env, err: &SendError) -> napi::Error {
    use napi::bindgen_prelude::{JsObjectValue, JsValue};
    let build = || -> napi::Result<napi::Error> {
        let mut obj =
            env.create_error(napi::Error::new(Status::GenericFailure, err.to_string()))?;
        obj.set_named_property("name", send_class(err))?;
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

/// The class of a core error code, the same classes as Python's exceptions. The match
/// is on the closed [`CoreCode`]: a code added to the core does not compile until it
/// has a class.
fn core_class(code: CoreCode) -> &'static str {
    match code {
        CoreCode::InvalidPhone => "InvalidPhoneError",
        CoreCode::UnknownRegion => "UnknownRegionError",
        CoreCode::InvalidEmail => "InvalidEmailError",
        CoreCode::IllegalStatusTransition
        | CoreCode::IllegalStageTransition
        | CoreCode::AgentRequired => "IllegalTransitionError",
        CoreCode::UnknownVariant => "UnknownVariantError",
        CoreCode::InvalidJson => "InvalidJsonError",
        CoreCode::EmptyId => "EmptyIdError",
        CoreCode::InvalidScorecard => "InvalidScorecardError",
        CoreCode::InvalidScoringData => "InvalidScoringDataError",
        CoreCode::InvalidConfig => "InvalidConfigError",
        CoreCode::StoreUnavailable => "StoreUnavailableError",
        CoreCode::StoreHistoryLost => "StoreHistoryLostError",
        CoreCode::InvalidCampaign => "InvalidCampaignError",
        // No class of their own (yet): the base class with the code.
        CoreCode::InvalidLexicon
        | CoreCode::InvalidModel
        | CoreCode::InvalidCorpus
        | CoreCode::UnknownAccount
        | CoreCode::InvalidWhatsappId
        | CoreCode::TimeOutOfRange => "ArichatError",
    }
}

/// The codes of [`ChannelError`] that are not core codes, with their class: what
/// [`ChannelError::code`] answers for a verification failure, a body or envelope
/// rejected whole, and a Telegram body without its bot.
const CHANNEL_CLASSES: [(&str, &str); 9] = [
    ("account_required", "InvalidConfigError"),
    ("verification_failed", "VerificationError"),
    ("body_too_large", "InvalidBodyError"),
    ("body_too_deep", "InvalidBodyError"),
    ("too_many_items", "InvalidBodyError"),
    ("unexpected_shape", "InvalidBodyError"),
    ("invalid_cloudevent", "InvalidBodyError"),
    ("unsupported_specversion", "InvalidBodyError"),
    ("invalid_extension_name", "InvalidBodyError"),
];

/// The class of every error code this binding throws (a core code or a channel
/// code), by code: what `instanceof` tests. A client's rejection is a `SendError`
/// whatever its code; a code missing here is an `ArichatError`.
#[napi(
    ts_return_type = "Record<string, 'ArichatError' | 'InvalidPhoneError' | 'UnknownRegionError' | 'InvalidEmailError' | 'IllegalTransitionError' | 'UnknownVariantError' | 'InvalidJsonError' | 'EmptyIdError' | 'InvalidScorecardError' | 'InvalidScoringDataError' | 'InvalidCampaignError' | 'InvalidConfigError' | 'StoreUnavailableError' | 'StoreHistoryLostError' | 'VerificationError' | 'InvalidBodyError'>"
)]
pub fn error_classes() -> std::collections::HashMap<&'static str, &'static str> {
    CoreCode::ALL
        .iter()
        .map(|&code| (code.as_str(), core_class(code)))
        .chain(CHANNEL_CLASSES)
        .collect()
}
