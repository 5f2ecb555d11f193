//! An item's raw JSON, kept or not: what the content and the item mapping both need
//! when an item has a shape arichat does not read.

use serde_json::value::RawValue;

/// Mapping needed the item's raw JSON, which the fast path does not keep.
#[derive(Debug)]
pub(super) struct NeedRaw;

/// An item's raw JSON when the caller kept it (the lenient path), else `None` (the
/// fast path parses items typed in the same pass as the body). Only rare shapes need
/// it: unsupported items, `is_unsupported` or empty messages, items without a time.
#[derive(Clone, Copy)]
pub(super) struct Raw<'r>(pub Option<&'r RawValue>);

impl<'r> Raw<'r> {
    pub(super) fn get(self) -> Result<&'r RawValue, NeedRaw> {
        self.0.ok_or(NeedRaw)
    }

    pub(super) fn value(self) -> Result<serde_json::Value, NeedRaw> {
        self.get().map(to_value)
    }

    pub(super) fn field(self, name: &str) -> Result<serde_json::Value, NeedRaw> {
        Ok(self.value()?.get(name).cloned().unwrap_or_default())
    }
}

/// A raw value as a `Value` (it is valid JSON: serde_json checked it).
pub(super) fn to_value(raw: &RawValue) -> serde_json::Value {
    serde_json::from_str(raw.get()).unwrap_or(serde_json::Value::Null)
}
