//! `arichat.parse_numbers`: the core's number parser ([`arichat_core::numbers`]) for
//! string columns; options pass through to `NumberParser::from_options` unchanged.

use arichat_core::numbers::{ColumnAudit, NumberParser};
use arichat_core::CoreError;
use pyo3::exceptions::{PyUserWarning, PyValueError};
use pyo3::prelude::*;

use crate::error::to_py_err;

/// Reads strings as numbers the way `arichat score --locale` does: `locale` (`"es-CO"`,
/// `"pt-BR"`, `"es-MX"`, `"es-CR"`...) or `decimal` (`","` or `"."`), neither for plain
/// numbers; `missing` replaces the default markers (N/A, NA, #N/A, -, null, none, nan;
/// blank and `None` are always missing). Values that are neither a number nor missing
/// become `None` and are reported in one `UserWarning` (count, first row, never the
/// value); with `strict=True` they raise `ValueError`.
#[pyfunction]
#[pyo3(signature = (values, locale = None, decimal = None, missing = None, strict = false, name = "values"))]
pub fn parse_numbers(
    py: Python<'_>,
    values: Vec<Option<String>>,
    locale: Option<&str>,
    decimal: Option<&str>,
    missing: Option<Vec<String>>,
    strict: bool,
    name: &str,
) -> PyResult<Vec<Option<f64>>> {
    let parser = NumberParser::from_options(locale, decimal, missing.as_deref())
        .map_err(|e| to_py_err(CoreError::from(e)))?;
    let mut audit = ColumnAudit::new(name);
    let out = values
        .iter()
        .enumerate()
        .map(|(i, v)| {
            v.as_deref()
                .and_then(|s| audit.read(&parser, s, i as u64 + 1))
        })
        .collect();
    if audit.has_problems() {
        // Rows counted from 1 here are list positions from 1.
        let message = audit.to_string();
        if strict {
            return Err(PyValueError::new_err(message));
        }
        PyErr::warn(
            py,
            &py.get_type::<PyUserWarning>(),
            &std::ffi::CString::new(message).unwrap_or_default(),
            1,
        )?;
    }
    Ok(out)
}
