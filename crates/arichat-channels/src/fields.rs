//! Vendor JSON kept as text: an object's members read without building them, and
//! the rule for keeping a piece of a body as [`RawJson`].

use std::borrow::Cow;
use std::fmt;

use arichat_core::{RawJson, ValueCheck};
use serde::de::{Deserialize, Deserializer, MapAccess, Visitor};
use serde_json::value::RawValue;

use crate::value_check::plainly_readable;

/// `raw` (a piece of a body, syntactically JSON) as [`RawJson`]: itself when a
/// `serde_json::Value` could hold it, else (a number past `f64`, nesting past
/// `serde_json`'s limit) its text as a JSON string, so that nothing is dropped and
/// everything arichat emits reads back.
pub(crate) fn keep(raw: &RawValue) -> RawJson {
    if plainly_readable(raw.get()) {
        return RawJson::copy_of(raw);
    }
    RawJson::checked(raw).unwrap_or_else(|_| RawJson::of(raw.get()))
}

/// `raw` itself when a `serde_json::Value` could hold it, else its text as a JSON
/// string (as [`keep`]).
pub(crate) fn readable(raw: RawJson) -> RawJson {
    if plainly_readable(raw.get()) || serde_json::from_str::<ValueCheck>(raw.get()).is_ok() {
        raw
    } else {
        RawJson::of(raw.get())
    }
}

/// An object's members in document order, each value kept as its text; empty for
/// JSON that is not an object.
pub(crate) struct Fields<'a>(pub Vec<(Cow<'a, str>, &'a RawValue)>);

impl<'a> Fields<'a> {
    /// The members of `raw`.
    pub fn of(raw: &'a RawValue) -> Self {
        Fields::parse(raw.get()).unwrap_or(Fields(Vec::new()))
    }

    /// The members of `text`, `None` when it is not one JSON object.
    pub fn parse(text: &'a str) -> Option<Self> {
        serde_json::from_str(text).ok()
    }

    /// The first member named `name`.
    pub fn get(&self, name: &str) -> Option<&'a RawValue> {
        self.0.iter().find(|(k, _)| k == name).map(|(_, v)| *v)
    }

    /// The names, as `Value`'s map would list them: sorted.
    pub fn sorted_names(&self) -> Vec<&str> {
        let mut names: Vec<&str> = self.0.iter().map(|(k, _)| k.as_ref()).collect();
        names.sort_unstable();
        names.dedup();
        names
    }
}

impl Fields<'_> {
    /// The members as one JSON object, written from their text (no parse), as
    /// [`RawJson`]. Only for members whose values [`check`] accepted.
    pub fn to_raw_json(&self) -> RawJson {
        RawJson::of(self)
    }
}

impl serde::Serialize for Fields<'_> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;
        let mut map = s.serialize_map(Some(self.0.len()))?;
        for (k, v) in &self.0 {
            map.serialize_entry(k.as_ref(), v)?;
        }
        map.end()
    }
}

/// Checks that `raw` reads as a `serde_json::Value` would (numbers fit an `f64`,
/// nesting within the limit): a scan of its bytes proves it for nearly every body
/// ([`crate::value_check`]), and the rest are read in full.
///
/// # Errors
/// As [`RawJson::checked`].
pub(crate) fn check(raw: &RawValue) -> Result<(), serde_json::Error> {
    if plainly_readable(raw.get()) {
        return Ok(());
    }
    names(raw).map(drop)
}

/// [`check`], and when `raw` is an object, its member names.
///
/// # Errors
/// As [`RawJson::checked`].
pub(crate) fn names(raw: &RawValue) -> Result<Vec<Cow<'_, str>>, serde_json::Error> {
    if plainly_readable(raw.get()) {
        // The members' text is skipped, not read as values.
        return Ok(Fields::of(raw).0.into_iter().map(|(k, _)| k).collect());
    }
    serde_json::from_str::<Names<'_>>(raw.get()).map(|n| n.0)
}

/// An object's member names, every value checked; no names for other JSON.
struct Names<'a>(Vec<Cow<'a, str>>);

impl<'de: 'a, 'a> Deserialize<'de> for Names<'a> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V<'a>(std::marker::PhantomData<&'a ()>);
        impl<'de: 'a, 'a> Visitor<'de> for V<'a> {
            type Value = Names<'a>;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("any JSON value")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Names<'a>, A::Error> {
                let mut out = Vec::new();
                while let Some(k) = map.next_key::<Cow<'de, str>>()? {
                    map.next_value::<ValueCheck>()?;
                    out.push(k);
                }
                Ok(Names(out))
            }
            fn visit_seq<A: serde::de::SeqAccess<'de>>(
                self,
                mut seq: A,
            ) -> Result<Names<'a>, A::Error> {
                while seq.next_element::<ValueCheck>()?.is_some() {}
                Ok(Names(Vec::new()))
            }
            fn visit_bool<E>(self, _: bool) -> Result<Names<'a>, E> {
                Ok(Names(Vec::new()))
            }
            fn visit_i64<E>(self, _: i64) -> Result<Names<'a>, E> {
                Ok(Names(Vec::new()))
            }
            fn visit_u64<E>(self, _: u64) -> Result<Names<'a>, E> {
                Ok(Names(Vec::new()))
            }
            fn visit_f64<E>(self, _: f64) -> Result<Names<'a>, E> {
                Ok(Names(Vec::new()))
            }
            fn visit_str<E>(self, _: &str) -> Result<Names<'a>, E> {
                Ok(Names(Vec::new()))
            }
            fn visit_unit<E>(self) -> Result<Names<'a>, E> {
                Ok(Names(Vec::new()))
            }
        }
        d.deserialize_any(V(std::marker::PhantomData))
    }
}

impl<'de: 'a, 'a> Deserialize<'de> for Fields<'a> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V<'a>(std::marker::PhantomData<&'a ()>);
        impl<'de: 'a, 'a> Visitor<'de> for V<'a> {
            type Value = Fields<'a>;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a JSON object")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Fields<'a>, A::Error> {
                let mut out = Vec::new();
                while let Some(k) = map.next_key::<Cow<'de, str>>()? {
                    out.push((k, map.next_value::<&'de RawValue>()?));
                }
                Ok(Fields(out))
            }
        }
        d.deserialize_map(V(std::marker::PhantomData))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn members_in_order_and_sorted_names() {
        let raw: &RawValue =
            serde_json::from_str(r#"{"b": [1, {"x": 2}], "a": "t\"", "c": null}"#).unwrap();
        let f = Fields::of(raw);
        assert_eq!(f.0.len(), 3);
        assert_eq!(f.get("b").unwrap().get(), r#"[1, {"x": 2}]"#);
        assert_eq!(f.sorted_names(), ["a", "b", "c"]);
        let not_object: &RawValue = serde_json::from_str("[1]").unwrap();
        assert!(Fields::of(not_object).0.is_empty());
    }

    #[test]
    fn what_a_value_cannot_hold_is_kept_as_text() {
        let raw: &RawValue = serde_json::from_str(r#"{"n": 1e400}"#).unwrap();
        let kept = keep(raw);
        assert_eq!(kept.to_value(), serde_json::json!(r#"{"n": 1e400}"#));
        let fine: &RawValue = serde_json::from_str(r#"{"n": 1.5e3}"#).unwrap();
        assert_eq!(keep(fine).get(), r#"{"n": 1.5e3}"#);
    }
}
