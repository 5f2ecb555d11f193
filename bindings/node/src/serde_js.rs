//! Core serde types across the boundary as plain JS values: what `ProfileSet` and
//! `PriorityQueue` take and give (the core's snake_case JSON, as Python gives it).

use arichat_core::CoreError;
use serde_json::Value as Json;

use crate::{core_error, Result};

/// A core serde type from a JS object (or its JSON text); `invalid_json` naming `what`.
pub(crate) fn parse<T: serde::de::DeserializeOwned>(value: Json, what: &'static str) -> Result<T> {
    let parsed = match value {
        Json::String(text) => serde_json::from_str(&text),
        other => serde_json::from_value(other),
    };
    parsed.map_err(|e| {
        core_error(CoreError::InvalidJson {
            what,
            reason: e.to_string(),
        })
    })
}

/// A core serde value as the plain JS value (`null` if it cannot be one).
pub(crate) fn to_js<T: serde::Serialize>(value: &T) -> Json {
    serde_json::to_value(value).unwrap_or(Json::Null)
}
