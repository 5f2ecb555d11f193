//! The one place where Rust errors become JS errors: [`CoreError`], [`ChannelError`] and
//! [`SendError`] keep their `Display` text as `message`, and their stable code as
//! `code`, tagged with the class Rust decided for them (`InvalidBodyError:invalid_json`,
//! see [`tagged_code`]). The package entry (`lib.js`) strips the tag and gives every
//! error thrown or rejected that class's prototype, so that `err instanceof SendError`
//! holds; the class is never looked up by code, which can be ambiguous.

use arichat_channels::client::SendError;
use arichat_channels::ChannelError;
use arichat_core::{CoreError, ErrorClass};
use napi::Status;
use napi_derive::napi;

/// The `code` property of every error this binding throws: an arichat code tagged with
/// its class (`Class:code`; the package entry leaves the bare [`CoreError::code`] or
/// [`ChannelError::code`]), or napi's status name for a wrong JS argument (for example
/// `InvalidArg` for an invalid `Date`), which stays a plain `Error`.
pub enum ErrorCode {
    /// An error of the Rust core or of the channels crate, as `Class:code`.
    Arichat(String),
    /// An error raised while converting JS values.
    Napi(Status),
}

impl ErrorCode {
    /// The code of an arichat error of `class`.
    pub(crate) fn arichat(class: ErrorClass, code: &str) -> Self {
        ErrorCode::Arichat(tagged_code(class, code))
    }

    /// The same error with napi's plain `Status` (what an async callback must return):
    /// a conversion error keeps its status, an arichat error becomes `GenericFailure`
    /// with its message.
    pub(crate) fn into_status(error: napi::Error<ErrorCode>) -> napi::Error {
        let status = match error.status {
            ErrorCode::Napi(status) => status,
            ErrorCode::Arichat(_) => Status::GenericFailure,
        };
        napi::Error::new(status, error.reason.clone())
    }
}

impl AsRef<str> for ErrorCode {
    fn as_ref(&self) -> &str {
        match self {
            ErrorCode::Arichat(code) => code,
            ErrorCode::Napi(status) => status.as_ref(),
        }
    }
}

/// `code` as thrown, with its class in front (`InvalidBodyError:invalid_json`): napi
/// gives a thrown error only a message and a code, and the class must travel with the
/// error because a code alone does not tell it (`invalid_json` is an `InvalidBodyError`
/// for a webhook body, an `InvalidJsonError` for a core document). `lib.js` splits it.
fn tagged_code(class: ErrorClass, code: &str) -> String {
    format!("{class}:{code}")
}

/// What every fallible function of this binding returns; napi throws the error as a
/// JS `Error` with `message` and `code`.
pub type Result<T> = napi::Result<T, ErrorCode>;

/// The one place where a [`CoreError`] becomes a JS error: message verbatim, code stable.
pub(crate) fn core_error(err: CoreError) -> napi::Error<ErrorCode> {
    napi::Error::new(ErrorCode::arichat(err.class(), err.code()), err)
}

/// [`core_error`] for a Promise's rejection, built where only a plain `napi::Error`
/// fits (an `AsyncTask`'s `resolve`): the same `message` and `code`.
pub(crate) fn core_error_js(env: &napi::Env, err: &CoreError) -> napi::Error {
    use napi::bindgen_prelude::{JsObjectValue, JsValue};
    let build = || -> napi::Result<napi::Error> {
        let mut obj =
            env.create_error(napi::Error::new(Status::GenericFailure, err.to_string()))?;
        obj.set_named_property("code", tagged_code(err.class(), err.code()))?;
        Ok(napi::Error::from(obj.to_unknown()))
    };
    build().unwrap_or_else(|e| e)
}

/// The one place where a [`ChannelError`] (or a verification error) becomes a JS error:
/// message verbatim (it never contains a secret), code stable (`verification_failed`,
/// `invalid_json`, `body_too_large`, `body_too_deep`, `unexpected_shape`, or the core
/// code of a wrapped [`CoreError`]), class from [`ChannelError::class`] (a body that is
/// not JSON is an `InvalidBodyError`).
pub(crate) fn channel_error(err: impl Into<ChannelError>) -> napi::Error<ErrorCode> {
    let err = err.into();
    napi::Error::new(ErrorCode::arichat(err.class(), err.code()), err)
}

/// The one place where a [`SendError`] becomes a JS error (the rejection of a client
/// method's Promise): `message` is the Rust `Display` text (never a token), `code` the
/// stable [`SendError::code`] (`outside_window`, `consent_refused`, `blocked_by_user`,
/// `rate_limited`, `timeout`, ...) tagged with [`SendError::class`], `attempts` the requests made (0 when refused before
/// sending) and, when the vendor answered, `vendorCode` (Graph `error.code`, Telegram
/// `error_code`) and `httpStatus`; when the outcome is unknown, `requestId` and (for
/// WhatsApp) `callbackData`.
pub(crate) fn send_error(env: &napi::Env, err: &SendError) -> napi::Error {
    use napi::bindgen_prelude::{JsObjectValue, JsValue};
    let build = || -> napi::Result<napi::Error> {
        let mut obj =
            env.create_error(napi::Error::new(Status::GenericFailure, err.to_string()))?;
        obj.set_named_property("code", tagged_code(err.class(), err.code()))?;
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

/// The names of the error classes, base first: the package entry (`lib.js`) makes one
/// JS class for each (the send classes as subclasses of `SendError`).
#[napi]
pub fn error_class_names() -> Vec<&'static str> {
    ErrorClass::ALL.iter().map(|class| class.name()).collect()
}
