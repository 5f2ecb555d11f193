//! The one place where [`CoreError`] becomes a Python exception.

use arichat_core::CoreError;
use pyo3::exceptions::PyValueError;
use pyo3::prelude::*;
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

/// Converts a core error into the matching `arichat` exception: the message is the
/// core's `Display` text, verbatim, and the instance carries `code`.
pub(crate) fn to_py_err(err: CoreError) -> PyErr {
    let code = err.code();
    Python::attach(|py| {
        let class = match code {
            "invalid_phone" => InvalidPhoneError::type_object(py),
            "unknown_region" => UnknownRegionError::type_object(py),
            "invalid_email" => InvalidEmailError::type_object(py),
            "illegal_status_transition" | "illegal_stage_transition" | "agent_required" => {
                IllegalTransitionError::type_object(py)
            }
            "unknown_variant" => UnknownVariantError::type_object(py),
            "invalid_json" => InvalidJsonError::type_object(py),
            "empty_id" => EmptyIdError::type_object(py),
            // A code added to the core later still gets the base class and its code.
            _ => ArichatError::type_object(py),
        };
        match class.call1((err.to_string(),)) {
            Ok(exc) => match exc.setattr("code", code) {
                Ok(()) => PyErr::from_value(exc),
                Err(e) => e,
            },
            Err(e) => e,
        }
    })
}
