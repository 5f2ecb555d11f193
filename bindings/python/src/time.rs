//! `datetime.datetime` <-> `DateTime<Utc>`.

use chrono::{DateTime, Utc};
use pyo3::exceptions::{PyTypeError, PyValueError};
use pyo3::prelude::*;
use pyo3::types::{PyDateTime, PyTzInfo};

/// Reads a timezone-aware `datetime` (any tzinfo, `zoneinfo` included) as UTC.
/// A naive datetime is refused: its meaning depends on the machine's clock.
pub(crate) fn to_utc(name: &str, value: &Bound<'_, PyAny>) -> PyResult<DateTime<Utc>> {
    let py = value.py();
    let Ok(dt) = value.cast::<PyDateTime>() else {
        return Err(PyTypeError::new_err(format!(
            "{name} must be a datetime.datetime, not {}",
            value.get_type().name()?
        )));
    };
    if dt.call_method0("utcoffset")?.is_none() {
        return Err(PyValueError::new_err(format!(
            "{name} must be a timezone-aware datetime (got a naive one); \
             use for example datetime.now(timezone.utc)"
        )));
    }
    dt.call_method1("astimezone", (PyTzInfo::utc(py)?,))?
        .extract::<DateTime<Utc>>()
}
