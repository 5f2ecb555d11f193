//! The one place where [`CoreError`] and [`ChannelError`] become Python exceptions.

use arichat_channels::ChannelError;
use arichat_core::{CoreError, ErrorCode};
use pyo3::exceptions::PyValueError;
use pyo3::prelude::*;
use pyo3::types::PyType;
use pyo3::{create_exception, PyTypeInfo};

create_exception!(
    arichat,
    ArichatError,
    PyValueError,
    "Base of every error raised by arichat. `code` is the stable snake_case code of the core error."
);
create_exception!(
    arichat,
    InvalidPhoneError,
    ArichatError,
    "A phone number could not be parsed or is not valid for its region (code `invalid_phone`)."
);
create_exception!(
    arichat,
    UnknownRegionError,
    ArichatError,
    "A region is not a known ISO 3166-1 alpha-2 code (code `unknown_region`)."
);
create_exception!(
    arichat,
    InvalidEmailError,
    ArichatError,
    "An email address is not of the form local@domain (code `invalid_email`)."
);
create_exception!(
    arichat,
    IllegalTransitionError,
    ArichatError,
    "A lead move the transition tables forbid (codes `illegal_status_transition`, `illegal_stage_transition`, `agent_required`)."
);
create_exception!(
    arichat,
    UnknownVariantError,
    ArichatError,
    "A name outside a closed set: status, stage, channel, cause (code `unknown_variant`)."
);
create_exception!(
    arichat,
    InvalidJsonError,
    ArichatError,
    "A JSON document could not be read as the expected type (code `invalid_json`)."
);
create_exception!(
    arichat,
    EmptyIdError,
    ArichatError,
    "An identifier was empty (code `empty_id`)."
);

create_exception!(
    arichat,
    InvalidScorecardError,
    ArichatError,
    "A scorecard was rejected on load: TOML/JSON syntax, rule ids, predicates, numbers, groups or thresholds (code `invalid_scorecard`)."
);
create_exception!(
    arichat,
    InvalidScoringDataError,
    ArichatError,
    "Data given to scoring or fitting has the wrong shape: columns of different lengths, a repeated column, a single class (code `invalid_scoring_data`)."
);
create_exception!(
    arichat,
    InvalidCampaignError,
    ArichatError,
    "A campaign bundle was rejected on load (syntax, ids, rules, segments, splits, dates; the message names the path of the bad value), or a table given to assign_table has the wrong shape (code `invalid_campaign`)."
);
create_exception!(
    arichat,
    InvalidConfigError,
    ArichatError,
    "A configuration value is outside its domain, such as fit settings (code `invalid_config`)."
);

create_exception!(
    arichat,
    StoreUnavailableError,
    ArichatError,
    "An idempotency store (Redis) could not answer: unreachable, timed out, connection lost or credentials refused (code `store_unavailable`). Whether the key was recorded is unknown; answer the webhook with a 5xx so the platform redelivers it."
);

create_exception!(
    arichat,
    StoreHistoryLostError,
    ArichatError,
    "An idempotency store lost the keys it held since it connected: Redis restarted without persistence, was flushed or evicted its generation marker (code `store_history_lost`). Redeliveries could be applied twice; create the store again to accept the loss, or pass on_history_lost=\"reset\"."
);

create_exception!(
    arichat,
    VerificationError,
    ArichatError,
    "A webhook request failed verification: signature missing, malformed or wrong, Telegram secret token wrong, or Meta handshake refused (code `verification_failed`). The message never contains a secret."
);
create_exception!(
    arichat,
    InvalidBodyError,
    ArichatError,
    "A webhook body was rejected whole (codes `invalid_json`, `body_too_large`, `body_too_deep`, `unexpected_shape`)."
);

create_exception!(
    arichat,
    SendError,
    ArichatError,
    "A send through a channel client failed or was refused. `code` is the stable code of the Rust `SendError` (`outside_window`, `consent_refused`, `blocked_by_user`, `rate_limited`, `timeout`, `connection_failed`, ...), `attempts` the requests made (0 when refused before any request), `vendor_code` the vendor's numeric error code when it answered (else None). With code `outcome_unknown` the message may have been delivered: `request_id` names the send (the same on every attempt) and, for WhatsApp, `callback_data` is the `biz_opaque_callback_data` its status webhooks echo; both None otherwise. The message never contains a token."
);

/// Converts a send client's error into [`SendError`]: message verbatim (it never holds
/// a token), with `code`, `attempts`, `vendor_code` and `http_status` (both `None`
/// unless the vendor answered), `request_id` and `callback_data` (both `None` unless
/// the outcome is unknown).
pub(crate) fn send_to_py_err(err: &arichat_channels::client::SendError) -> PyErr {
    Python::attach(|py| {
        let class = SendError::type_object(py);
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

/// Converts a core error into the matching `arichat` exception: the message is the
/// core's `Display` text, verbatim, and the instance carries `code`. The match is on the
/// closed [`ErrorCode`]: a code added to the core does not compile until it has a class.
pub(crate) fn to_py_err(err: CoreError) -> PyErr {
    let code = err.error_code();
    Python::attach(|py| {
        let class = match code {
            ErrorCode::InvalidPhone => InvalidPhoneError::type_object(py),
            ErrorCode::UnknownRegion => UnknownRegionError::type_object(py),
            ErrorCode::InvalidEmail => InvalidEmailError::type_object(py),
            ErrorCode::IllegalStatusTransition
            | ErrorCode::IllegalStageTransition
            | ErrorCode::AgentRequired => IllegalTransitionError::type_object(py),
            ErrorCode::UnknownVariant => UnknownVariantError::type_object(py),
            ErrorCode::InvalidJson => InvalidJsonError::type_object(py),
            ErrorCode::EmptyId => EmptyIdError::type_object(py),
            ErrorCode::InvalidScorecard => InvalidScorecardError::type_object(py),
            ErrorCode::InvalidScoringData => InvalidScoringDataError::type_object(py),
            ErrorCode::InvalidConfig => InvalidConfigError::type_object(py),
            ErrorCode::StoreUnavailable => StoreUnavailableError::type_object(py),
            ErrorCode::StoreHistoryLost => StoreHistoryLostError::type_object(py),
            // No class of their own (yet): the base class with the code.
            ErrorCode::InvalidLexicon
            | ErrorCode::InvalidModel
            | ErrorCode::InvalidCorpus
            | ErrorCode::UnknownAccount
            | ErrorCode::InvalidWhatsappId => ArichatError::type_object(py),
            ErrorCode::InvalidCampaign => InvalidCampaignError::type_object(py),
        };
        new_error(&class, err.to_string(), code.as_str())
    })
}

/// Converts a channel error (a webhook body or request rejected) into the matching
/// `arichat` exception, message verbatim, with `code` from [`ChannelError::code`]. A
/// wrapped [`CoreError`] goes through [`to_py_err`].
pub(crate) fn channel_to_py_err(err: impl Into<ChannelError>) -> PyErr {
    let err = err.into();
    if let ChannelError::Core(core) = err {
        return to_py_err(core);
    }
    Python::attach(|py| {
        let class = match &err {
            ChannelError::Verify(_) => VerificationError::type_object(py),
            ChannelError::BodyTooLarge { .. }
            | ChannelError::TooDeep { .. }
            | ChannelError::TooManyItems { .. }
            | ChannelError::InvalidJson { .. }
            | ChannelError::UnexpectedShape { .. }
            | ChannelError::Envelope(_) => InvalidBodyError::type_object(py),
            ChannelError::AccountRequired { .. } => InvalidConfigError::type_object(py),
            // A variant added to the channels crate later still gets the base class and its code.
            _ => ArichatError::type_object(py),
        };
        new_error(&class, err.to_string(), err.code())
    })
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
