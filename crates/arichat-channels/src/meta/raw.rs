//! An item's raw JSON, kept or not: what the content and the item mapping both need
//! when an item has a shape arichat does not read.

use arichat_core::RawJson;
use serde_json::value::RawValue;

use crate::fields::keep;

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

    /// The item's JSON text, as received ([`keep`]).
    pub(super) fn value(self) -> Result<RawJson, NeedRaw> {
        self.get().map(keep)
    }

    /// The item's field `name` as JSON text (`null` when absent).
    pub(super) fn field(self, name: &str) -> Result<RawJson, NeedRaw> {
        Ok(crate::fields::Fields::of(self.get()?)
            .get(name)
            .map_or_else(RawJson::default, keep))
    }
}
