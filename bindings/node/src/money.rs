//! `parseAmount`, `checkReceipt` and `pickReceiptTotal`: money in text of
//! `arichat_core::money`. Results are the core's serde JSON (snake_case keys, the same
//! objects Python returns).

use arichat_core::money::{self, ParseOptions, Region, DEFAULT_TOLERANCE_BPS};
use napi_derive::napi;
use serde_json::Value;

use crate::{core_error, Result};

/// Parses an ISO 3166-1 alpha-2 region (`"CO"`, any case) through the core.
pub(crate) fn region(code: &str) -> Result<Region> {
    code.parse::<Region>().map_err(core_error)
}

/// Options of [`parse_amount`].
#[napi(object)]
pub struct AmountOptions {
    /// Read slang multipliers: `lucas`, `palos`, `gambas`, `contos`.
    pub slang: Option<bool>,
}

/// Every amount in `text`, read the way `region` writes numbers (`"CO"`: `1.500` is
/// 1500; `"PE"`: 1.5, flagged ambiguous): integer `minor` units, ISO `currency`, the
/// `text` as written with its UTF-8 byte `start`/`end`, how it was `written`,
/// `ambiguous` and `alternative_minor`.
///
/// Throws `unknown_region`.
#[napi(ts_return_type = "Array<Amount>")]
pub fn parse_amount(text: String, region: String, options: Option<AmountOptions>) -> Result<Value> {
    let slang = options.and_then(|o| o.slang).unwrap_or(false);
    let found = money::parse_amount_with(&text, self::region(&region)?, &ParseOptions { slang });
    Ok(serde_json::to_value(found).unwrap_or(Value::Null))
}

/// Compares a declared amount with the one read on a receipt (minor units; `read`
/// null when nothing could be read): `{ status: 'match' | 'mismatch', difference }` or
/// `{ status: 'unreadable' }`. `toleranceBps` defaults to the core's 500 (5 %),
/// inclusive.
#[napi(ts_return_type = "ReceiptCheck")]
pub fn check_receipt(declared: i64, read: Option<i64>, tolerance_bps: Option<u32>) -> Value {
    let check = money::check_receipt(
        declared,
        read,
        tolerance_bps.unwrap_or(DEFAULT_TOLERANCE_BPS),
    );
    serde_json::to_value(check).unwrap_or(Value::Null)
}

/// The total of a receipt's OCR text (the amount near TOTAL, VALOR PAGO, MONTO,
/// VALOR; never SUBTOTAL), or null.
///
/// Throws `unknown_region`.
#[napi(ts_return_type = "Amount | null")]
pub fn pick_receipt_total(ocr_text: String, region: String) -> Result<Value> {
    let total = money::pick_receipt_total(&ocr_text, self::region(&region)?);
    Ok(serde_json::to_value(total).unwrap_or(Value::Null))
}
