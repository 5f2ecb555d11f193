//! `arichat.parse_amount`, `check_receipt` and `pick_receipt_total`: money in text of
//! `arichat_core::money`, as dicts.

use arichat_core::money::{self, ParseOptions, Region, DEFAULT_TOLERANCE_BPS};
use pyo3::prelude::*;

use crate::convert::to_py;
use crate::error::to_py_err;

/// Parses an ISO 3166-1 alpha-2 region (`"CO"`, any case) through the core.
pub(crate) fn region(code: &str) -> PyResult<Region> {
    code.parse::<Region>().map_err(to_py_err)
}

/// Every amount in `text`, read the way `region` writes numbers (`"CO"`: `1.500` is
/// 1500; `"PE"`: 1.5, flagged ambiguous). Each is a dict: `minor` (integer minor
/// units), `currency` (ISO 4217), `currency_explicit`, `text`, `start`/`end` (UTF-8
/// byte offsets), `written` (`digits`, `words`, `mixed`), `ambiguous`,
/// `alternative_minor`. `slang` reads `lucas`, `palos`, `gambas`, `contos`.
#[pyfunction]
#[pyo3(signature = (text, region, *, slang = false))]
pub fn parse_amount<'py>(
    py: Python<'py>,
    text: &str,
    region: &str,
    slang: bool,
) -> PyResult<Bound<'py, PyAny>> {
    let found = money::parse_amount_with(text, self::region(region)?, &ParseOptions { slang });
    to_py(py, &found)
}

/// Compares a declared amount with the one read on a receipt (minor units; `read` None
/// when nothing could be read): `{"status": "match" | "mismatch", "difference": read -
/// declared}` or `{"status": "unreadable"}`. `tolerance_bps` defaults to the core's
/// 500 (5 %), inclusive.
#[pyfunction]
#[pyo3(signature = (declared, read, tolerance_bps = None))]
pub fn check_receipt<'py>(
    py: Python<'py>,
    declared: i64,
    read: Option<i64>,
    tolerance_bps: Option<u32>,
) -> PyResult<Bound<'py, PyAny>> {
    to_py(
        py,
        &money::check_receipt(
            declared,
            read,
            tolerance_bps.unwrap_or(DEFAULT_TOLERANCE_BPS),
        ),
    )
}

/// The total of a receipt's OCR text (the amount near TOTAL, VALOR PAGO, MONTO,
/// VALOR; never SUBTOTAL) as `parse_amount` gives it, or None.
#[pyfunction]
pub fn pick_receipt_total<'py>(
    py: Python<'py>,
    ocr_text: &str,
    region: &str,
) -> PyResult<Bound<'py, PyAny>> {
    to_py(
        py,
        &money::pick_receipt_total(ocr_text, self::region(region)?),
    )
}
