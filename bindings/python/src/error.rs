//! The one place where [`CoreError`] and [`ChannelError`] become Python exceptions.
//!
//! The classes derive from `ArichatError` and, where Python has one, from the standard
//! class a caller already catches: `ValueError` for invalid input, `ConnectionError` or
//! `TimeoutError` for a store or network failure. Several bases need `type()`, which
//! `create_exception!` does not call, hence [`exception!`].

use arichat_channels::client::SendError as RsSendError;
use arichat_channels::ChannelError;
use arichat_core::{CoreError, ErrorClass};
use pyo3::exceptions::{PyConnectionError, PyException, PyTimeoutError, PyValueError};
use pyo3::prelude::*;
use pyo3::sync::PyOnceLock;
use pyo3::types::{PyDict, PyTuple, PyType};

/// A class named `name` in module `arichat` deriving from `bases`, made by `type()`.
fn new_class<'py>(
    py: Python<'py>,
    name: &str,
    doc: &str,
    bases: &[Bound<'py, PyType>],
) -> PyResult<Py<PyType>> {
    let dict = PyDict::new(py);
    dict.set_item("__module__", "arichat")?;
    dict.set_item("__doc__", doc)?;
    let class = py
        .get_type::<PyType>()
        .call1((name, PyTuple::new(py, bases)?, dict))?;
    Ok(class.cast_into::<PyType>()?.unbind())
}

/// A base of an [`exception!`] class: one of ours, or a standard exception.
trait Base {
    fn class(py: Python<'_>) -> Bound<'_, PyType>;
}

macro_rules! std_base {
    ($($std:ty),+) => {
        $(impl Base for $std {
            fn class(py: Python<'_>) -> Bound<'_, PyType> {
                py.get_type::<$std>()
            }
        })+
    };
}
std_base!(PyException, PyValueError, PyConnectionError, PyTimeoutError);

/// Declares an exception class (a marker type whose `type_object` makes the class once
/// per interpreter), deriving from each of `bases`, in order.
macro_rules! exception {
    ($name:ident, [$($base:ty),+], $doc:literal) => {
        #[doc = $doc]
        pub struct $name;

        impl $name {
            /// The class, made on first use.
            pub fn type_object(py: Python<'_>) -> Bound<'_, PyType> {
                static CLASS: PyOnceLock<Py<PyType>> = PyOnceLock::new();
                CLASS
                    .get_or_init(py, || {
                        new_class(py, stringify!($name), $doc, &[$(<$base as Base>::class(py)),+])
                            .expect(concat!("type() makes ", stringify!($name)))
                    })
                    .bind(py)
                    .clone()
            }
        }

        impl Base for $name {
            fn class(py: Python<'_>) -> Bound<'_, PyType> {
                $name::type_object(py)
            }
        }
    };
}

/// Adds every exception class to the module `m` (`arichat._native`).
pub(crate) fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    let py = m.py();
    for class in [
        ArichatError::type_object(py),
        InvalidPhoneError::type_object(py),
        UnknownRegionError::type_object(py),
        InvalidEmailError::type_object(py),
        IllegalTransitionError::type_object(py),
        UnknownVariantError::type_object(py),
        InvalidJsonError::type_object(py),
        EmptyIdError::type_object(py),
        InvalidScorecardError::type_object(py),
        InvalidScoringDataError::type_object(py),
        InvalidCampaignError::type_object(py),
        InvalidConfigError::type_object(py),
        StoreUnavailableError::type_object(py),
        StoreHistoryLostError::type_object(py),
        VerificationError::type_object(py),
        InvalidBodyError::type_object(py),
        SendError::type_object(py),
        SendTimeoutError::type_object(py),
        SendConnectionError::type_object(py),
    ] {
        m.add(class.name()?, class)?;
    }
    Ok(())
}

exception!(ArichatError, [PyException], "Base of every error raised by arichat (invalid input also derives from `ValueError`, a store or network failure from `ConnectionError` or `TimeoutError`). `code` is the stable snake_case code of the core error.");
exception!(
    InvalidPhoneError,
    [ArichatError, PyValueError],
    "A phone number could not be parsed or is not valid for its region (code `invalid_phone`)."
);
exception!(
    UnknownRegionError,
    [ArichatError, PyValueError],
    "A region is not a known ISO 3166-1 alpha-2 code (code `unknown_region`)."
);
exception!(
    InvalidEmailError,
    [ArichatError, PyValueError],
    "An email address is not of the form local@domain (code `invalid_email`)."
);
exception!(IllegalTransitionError, [ArichatError, PyValueError], "A lead move the transition tables forbid (codes `illegal_status_transition`, `illegal_stage_transition`, `agent_required`).");
exception!(
    UnknownVariantError,
    [ArichatError, PyValueError],
    "A name outside a closed set: status, stage, channel, cause (code `unknown_variant`)."
);
exception!(
    InvalidJsonError,
    [ArichatError, PyValueError],
    "A JSON document could not be read as the expected type (code `invalid_json`); a webhook body that is not JSON is an `InvalidBodyError` instead."
);
exception!(
    EmptyIdError,
    [ArichatError, PyValueError],
    "An identifier was empty (code `empty_id`)."
);
exception!(InvalidScorecardError, [ArichatError, PyValueError], "A scorecard was rejected on load: TOML/JSON syntax, rule ids, predicates, numbers, groups or thresholds (code `invalid_scorecard`).");
exception!(InvalidScoringDataError, [ArichatError, PyValueError], "Data given to scoring or fitting has the wrong shape: columns of different lengths, a repeated column, a single class (code `invalid_scoring_data`).");
exception!(InvalidCampaignError, [ArichatError, PyValueError], "A campaign bundle was rejected on load (syntax, ids, rules, segments, splits, dates; the message names the path of the bad value), or a table given to assign_table has the wrong shape (code `invalid_campaign`).");
exception!(
    InvalidConfigError,
    [ArichatError, PyValueError],
    "A configuration value is outside its domain, such as fit settings, or a configuration file whose name is neither `.toml` nor `.json` (code `invalid_config`)."
);
exception!(StoreUnavailableError, [ArichatError, PyConnectionError], "An idempotency store (Redis) could not answer: unreachable, timed out, connection lost or credentials refused (code `store_unavailable`). Whether the key was recorded is unknown; answer the webhook with a 5xx so the platform redelivers it.");
exception!(StoreHistoryLostError, [ArichatError], "An idempotency store lost the keys it held since it connected: Redis restarted without persistence, was flushed or evicted its generation marker (code `store_history_lost`). Redeliveries could be applied twice; create the store again to accept the loss, or pass on_history_lost=\"reset\".");
exception!(VerificationError, [ArichatError, PyValueError], "A webhook request failed verification: signature missing, malformed or wrong, Telegram secret token wrong, or Meta handshake refused (code `verification_failed`). The message never contains a secret.");
exception!(InvalidBodyError, [ArichatError, PyValueError], "A webhook body or CloudEvent was rejected whole (codes `invalid_json`, `body_too_large`, `body_too_deep`, `too_many_items`, `unexpected_shape`, `invalid_cloudevent`, `unsupported_specversion`, `invalid_extension_name`). A body that is not JSON is this class, not `InvalidJsonError`.");
exception!(SendError, [ArichatError], "A send through a channel client failed or was refused. `code` is the stable code of the Rust `SendError` (`outside_window`, `consent_refused`, `blocked_by_user`, `rate_limited`, `timeout`, `connection_failed`, ...), `attempts` the requests made (0 when refused before any request), `vendor_code` the vendor's numeric error code when it answered (else None). With code `outcome_unknown` the message may have been delivered: `request_id` names the send (the same on every attempt) and, for WhatsApp, `callback_data` is the `biz_opaque_callback_data` its status webhooks echo; both None otherwise. The message never contains a token.");
exception!(SendTimeoutError, [SendError, PyTimeoutError], "A send that got no answer within the timeout on every attempt (code `timeout`): a `SendError` and a `TimeoutError`.");
exception!(SendConnectionError, [SendError, PyConnectionError], "A send whose connection failed or dropped on every attempt before the request left (code `connection_failed`): a `SendError` and a `ConnectionError`.");

/// Converts a send client's error into [`SendError`] ([`SendTimeoutError`],
/// [`SendConnectionError`] for a timeout or a failed connection): message verbatim (it never holds
/// a token), with `code`, `attempts`, `vendor_code` and `http_status` (both `None`
/// unless the vendor answered), `request_id` and `callback_data` (both `None` unless
/// the outcome is unknown).
pub(crate) fn send_to_py_err(err: &RsSendError) -> PyErr {
    Python::attach(|py| {
        let class = class_object(py, err.class());
        let exc = match class.call1((err.to_string(),)) {
            Ok(exc) => exc,
            Err(e) => return e,
        };
        let vendor = err.vendor();
        let set = || -> PyResult<()> {
            exc.setattr("code", err.code())?;
            exc.setattr("attempts", err.attempts())?;
            exc.setattr("vendor_code", vendor.and_then(|v| v.code))?;
            exc.setattr("http_status", vendor.map(|v| v.http_status))?;
            exc.setattr("request_id", err.request_id())?;
            exc.setattr("callback_data", err.callback_data())?;
            Ok(())
        };
        match set() {
            Ok(()) => PyErr::from_value(exc),
            Err(e) => e,
        }
    })
}

/// The Python class of `class`, the class Rust decided for an error. The match is on
/// the closed [`ErrorClass`]: a class added in Rust does not compile until it has one
/// here.
fn class_object(py: Python<'_>, class: ErrorClass) -> Bound<'_, PyType> {
    match class {
        ErrorClass::ArichatError => ArichatError::type_object(py),
        ErrorClass::InvalidPhoneError => InvalidPhoneError::type_object(py),
        ErrorClass::UnknownRegionError => UnknownRegionError::type_object(py),
        ErrorClass::InvalidEmailError => InvalidEmailError::type_object(py),
        ErrorClass::IllegalTransitionError => IllegalTransitionError::type_object(py),
        ErrorClass::UnknownVariantError => UnknownVariantError::type_object(py),
        ErrorClass::InvalidJsonError => InvalidJsonError::type_object(py),
        ErrorClass::EmptyIdError => EmptyIdError::type_object(py),
        ErrorClass::InvalidScorecardError => InvalidScorecardError::type_object(py),
        ErrorClass::InvalidScoringDataError => InvalidScoringDataError::type_object(py),
        ErrorClass::InvalidCampaignError => InvalidCampaignError::type_object(py),
        ErrorClass::InvalidConfigError => InvalidConfigError::type_object(py),
        ErrorClass::StoreUnavailableError => StoreUnavailableError::type_object(py),
        ErrorClass::StoreHistoryLostError => StoreHistoryLostError::type_object(py),
        ErrorClass::VerificationError => VerificationError::type_object(py),
        ErrorClass::InvalidBodyError => InvalidBodyError::type_object(py),
        ErrorClass::SendError => SendError::type_object(py),
        ErrorClass::SendTimeoutError => SendTimeoutError::type_object(py),
        ErrorClass::SendConnectionError => SendConnectionError::type_object(py),
    }
}

/// Converts a core error into the matching `arichat` exception ([`CoreError::class`]):
/// the message is the core's `Display` text, verbatim, and the instance carries `code`.
pub(crate) fn to_py_err(err: CoreError) -> PyErr {
    Python::attach(|py| new_error(&class_object(py, err.class()), err.to_string(), err.code()))
}

/// Converts a channel error (a webhook body or request rejected) into the matching
/// `arichat` exception ([`ChannelError::class`]: a body that is not JSON is an
/// `InvalidBodyError`), message verbatim, with `code` from [`ChannelError::code`].
pub(crate) fn channel_to_py_err(err: impl Into<ChannelError>) -> PyErr {
    let err = err.into();
    Python::attach(|py| new_error(&class_object(py, err.class()), err.to_string(), err.code()))
}

/// Converts an LLM backend error (only ever raised while building a cascade: classifying
/// falls back instead) into [`ArichatError`] with its `code`.
pub(crate) fn llm_to_py_err(err: &arichat_channels::client::LlmError) -> PyErr {
    Python::attach(|py| new_error(&ArichatError::type_object(py), err.to_string(), err.code()))
}

fn new_error(class: &Bound<'_, PyType>, message: String, code: &'static str) -> PyErr {
    match class.call1((message,)) {
        Ok(exc) => match exc.setattr("code", code) {
            Ok(()) => PyErr::from_value(exc),
            Err(e) => e,
        },
        Err(e) => e,
    }
}
