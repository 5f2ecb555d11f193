//! The Messenger Platform webhook body down to its items: typed in one pass (the fast
//! path) or with entries and items kept raw (the lenient path). Reads both the item
//! type ([`super::item`]) and the wire types ([`super::wire`]), which do not read it.

use std::borrow::Cow;

use serde::Deserialize;
use serde_json::value::RawValue;

use super::item::Item;
use crate::items::{capped, capped_opt};
use crate::lenient::{Id, Timestamp};

/// The body: `{"object": "page" | "instagram", "entry": [...]}`, typed in one pass
/// down to the items (the fast path). It fails on any surprise — an entry or item of
/// an unexpected type — and the body is then read again as a [`LenientEnvelope`].
#[derive(Deserialize)]
pub(super) struct Envelope<'a> {
    #[serde(borrow, default)]
    pub object: Option<Cow<'a, str>>,
    #[serde(borrow, deserialize_with = "capped")]
    pub entry: Vec<TypedEntry<'a>>,
}

/// An entry with its items typed (fast path).
#[derive(Deserialize)]
pub(super) struct TypedEntry<'a> {
    #[serde(borrow, default)]
    pub id: Option<Id<'a>>,
    #[serde(default)]
    pub time: Timestamp,
    #[serde(borrow, default, deserialize_with = "capped_opt")]
    pub messaging: Option<Vec<Item<'a>>>,
    #[serde(borrow, default, deserialize_with = "capped_opt")]
    pub standby: Option<Vec<Item<'a>>>,
    #[serde(borrow, default, deserialize_with = "capped_opt")]
    pub changes: Option<Vec<&'a RawValue>>,
}

/// The body with entries kept raw, so a malformed entry or item becomes an unsupported
/// event (the lenient path).
#[derive(Deserialize)]
pub(super) struct LenientEnvelope<'a> {
    #[serde(borrow, default)]
    pub object: Option<Cow<'a, str>>,
    #[serde(borrow, deserialize_with = "capped")]
    pub entry: Vec<&'a RawValue>,
}

/// An entry with its items kept raw (lenient path).
#[derive(Deserialize)]
pub(super) struct Entry<'a> {
    #[serde(borrow, default)]
    pub id: Option<Id<'a>>,
    #[serde(default)]
    pub time: Timestamp,
    #[serde(borrow, default, deserialize_with = "capped_opt")]
    pub messaging: Option<Vec<&'a RawValue>>,
    #[serde(borrow, default, deserialize_with = "capped_opt")]
    pub standby: Option<Vec<&'a RawValue>>,
    #[serde(borrow, default, deserialize_with = "capped_opt")]
    pub changes: Option<Vec<&'a RawValue>>,
}

impl TypedEntry<'_> {
    /// Whether it has any item array (else it is kept whole as unsupported).
    pub(super) fn has_items(&self) -> bool {
        self.messaging.is_some() || self.standby.is_some() || self.changes.is_some()
    }
}

impl Entry<'_> {
    /// Whether it has any item array (else it is kept whole as unsupported).
    pub(super) fn has_items(&self) -> bool {
        self.messaging.is_some() || self.standby.is_some() || self.changes.is_some()
    }
}
