//! Where an item's JSON object starts in the body, noted during the typed read.
//!
//! An item kept raw after the typed read (an unsupported change, call, preference or
//! content) needs its text. Walking the body from its start to the item
//! ([`crate::walk`]) tokenized everything before the item once more: 5.5 % of the
//! WhatsApp corpus's normalize time (`perf`), more than skimming the items themselves
//! (3.8 %). [`At`] reads `T` as usual and keeps its first key, borrowed from the body:
//! the object's `{` is the one before that key's quote, with only whitespace between,
//! so the item can be read from there without the walk. A first key with escapes (a
//! copy, not in the body) or an empty object gives no start, and the caller walks.

use std::fmt;

use serde::de::value::{BorrowedStrDeserializer, StrDeserializer};
use serde::de::{self, DeserializeSeed, Deserializer, MapAccess, SeqAccess, Visitor};
use serde::Deserialize;
use serde_json::value::RawValue;

/// A `T` read from a JSON object, with where the object starts.
pub(crate) struct At<'de, T> {
    pub value: T,
    pub start: Start<'de>,
}

/// Where an object starts: its first key as it sits in the body.
#[derive(Clone, Copy, Default)]
pub(crate) struct Start<'de>(Option<&'de str>);

impl<'de> Start<'de> {
    /// The object's text in `body` (the text the typed read was given), from its `{`
    /// to its `}`; `None` when its start is not known.
    pub fn raw_in(self, body: &'de str) -> Option<&'de RawValue> {
        let key = self.0?;
        // Only a key inside `body` is one of its slices.
        let offset = (key.as_ptr() as usize).checked_sub(body.as_ptr() as usize)?;
        if offset.checked_add(key.len())? > body.len() {
            return None;
        }
        let before = body.get(..offset)?.strip_suffix('"')?;
        let start = before
            .trim_end_matches([' ', '\t', '\n', '\r'])
            .strip_suffix('{')?
            .len();
        // The value alone is read; the rest of the body is not looked at.
        let mut de = serde_json::Deserializer::from_str(body.get(start..)?);
        <&RawValue>::deserialize(&mut de).ok()
    }
}

impl<'de: 'a, 'a, T: Deserialize<'de>> Deserialize<'de> for At<'a, T> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let mut first_key = None;
        let value = T::deserialize(Intercept {
            inner: d,
            first_key: &mut first_key,
        })?;
        Ok(At {
            value,
            start: Start(first_key),
        })
    }
}

/// The deserializer of the item, passed through except that a struct or map visitor
/// is handed the first key's text on its way.
struct Intercept<'k, 'de, D> {
    inner: D,
    first_key: &'k mut Option<&'de str>,
}

macro_rules! forward {
    ($($method:ident)*) => {
        $(
            fn $method<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, D::Error> {
                self.inner.$method(visitor)
            }
        )*
    };
}

impl<'de, D: Deserializer<'de>> Deserializer<'de> for Intercept<'_, 'de, D> {
    type Error = D::Error;

    forward! {
        deserialize_any deserialize_bool deserialize_i8 deserialize_i16 deserialize_i32
        deserialize_i64 deserialize_u8 deserialize_u16 deserialize_u32 deserialize_u64
        deserialize_f32 deserialize_f64 deserialize_char deserialize_str deserialize_string
        deserialize_bytes deserialize_byte_buf deserialize_option deserialize_unit
        deserialize_seq deserialize_identifier deserialize_ignored_any
    }

    fn deserialize_map<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, D::Error> {
        self.inner.deserialize_map(Noting {
            inner: visitor,
            first_key: self.first_key,
        })
    }

    fn deserialize_struct<V: Visitor<'de>>(
        self,
        name: &'static str,
        fields: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, D::Error> {
        let visitor = Noting {
            inner: visitor,
            first_key: self.first_key,
        };
        self.inner.deserialize_struct(name, fields, visitor)
    }

    fn deserialize_unit_struct<V: Visitor<'de>>(
        self,
        name: &'static str,
        visitor: V,
    ) -> Result<V::Value, D::Error> {
        self.inner.deserialize_unit_struct(name, visitor)
    }

    fn deserialize_newtype_struct<V: Visitor<'de>>(
        self,
        name: &'static str,
        visitor: V,
    ) -> Result<V::Value, D::Error> {
        self.inner.deserialize_newtype_struct(name, visitor)
    }

    fn deserialize_tuple<V: Visitor<'de>>(
        self,
        len: usize,
        visitor: V,
    ) -> Result<V::Value, D::Error> {
        self.inner.deserialize_tuple(len, visitor)
    }

    fn deserialize_tuple_struct<V: Visitor<'de>>(
        self,
        name: &'static str,
        len: usize,
        visitor: V,
    ) -> Result<V::Value, D::Error> {
        self.inner.deserialize_tuple_struct(name, len, visitor)
    }

    fn deserialize_enum<V: Visitor<'de>>(
        self,
        name: &'static str,
        variants: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, D::Error> {
        self.inner.deserialize_enum(name, variants, visitor)
    }

    fn is_human_readable(&self) -> bool {
        self.inner.is_human_readable()
    }
}

/// The item's visitor, given a map whose first key is noted.
struct Noting<'k, 'de, V> {
    inner: V,
    first_key: &'k mut Option<&'de str>,
}

impl<'de, V: Visitor<'de>> Visitor<'de> for Noting<'_, 'de, V> {
    type Value = V::Value;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.inner.expecting(f)
    }

    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<V::Value, A::Error> {
        self.inner.visit_map(FirstKey {
            map,
            first_key: Some(self.first_key),
        })
    }

    fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> Result<V::Value, A::Error> {
        self.inner.visit_seq(seq)
    }
}

/// A map whose first key is noted, then passed on.
struct FirstKey<'k, 'de, A> {
    map: A,
    /// Where the first key goes; `None` once it went.
    first_key: Option<&'k mut Option<&'de str>>,
}

impl<'de, A: MapAccess<'de>> MapAccess<'de> for FirstKey<'_, 'de, A> {
    type Error = A::Error;

    fn next_key_seed<K: DeserializeSeed<'de>>(
        &mut self,
        seed: K,
    ) -> Result<Option<K::Value>, A::Error> {
        match self.first_key.take() {
            Some(slot) => self.map.next_key_seed(NoteKey { seed, slot }),
            None => self.map.next_key_seed(seed),
        }
    }

    fn next_value_seed<S: DeserializeSeed<'de>>(&mut self, seed: S) -> Result<S::Value, A::Error> {
        self.map.next_value_seed(seed)
    }

    fn size_hint(&self) -> Option<usize> {
        self.map.size_hint()
    }
}

/// Reads a key as a string, notes it when borrowed, and gives it to the item's seed.
struct NoteKey<'k, 'de, K> {
    seed: K,
    slot: &'k mut Option<&'de str>,
}

impl<'de, K: DeserializeSeed<'de>> DeserializeSeed<'de> for NoteKey<'_, 'de, K> {
    type Value = K::Value;

    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<K::Value, D::Error> {
        d.deserialize_str(self)
    }
}

impl<'de, K: DeserializeSeed<'de>> Visitor<'de> for NoteKey<'_, 'de, K> {
    type Value = K::Value;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a string key")
    }

    fn visit_borrowed_str<E: de::Error>(self, v: &'de str) -> Result<K::Value, E> {
        *self.slot = Some(v);
        self.seed.deserialize(BorrowedStrDeserializer::new(v))
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<K::Value, E> {
        self.seed.deserialize(StrDeserializer::new(v))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Deserialize, Debug, PartialEq)]
    struct Item {
        id: Option<String>,
    }

    #[test]
    fn finds_each_item_as_the_body_holds_it() {
        let body = "{\"items\": [ {\"id\":\"a\"} ,\n\t{ \"x\": [1, {\"y\": 2}], \"id\": \"b\" },\
                    {\"\\u0069d\": \"c\"}, {}, [\"d\"]]}";
        #[derive(Deserialize)]
        struct Body<'a> {
            #[serde(borrow)]
            items: Vec<At<'a, Item>>,
        }
        let parsed: Body<'_> = serde_json::from_str(body).unwrap();
        let raw: Vec<Option<&str>> = parsed
            .items
            .iter()
            .map(|i| i.start.raw_in(body).map(RawValue::get))
            .collect();
        assert_eq!(
            raw,
            [
                Some("{\"id\":\"a\"}"),
                Some("{ \"x\": [1, {\"y\": 2}], \"id\": \"b\" }"),
                None, // first key escaped: not in the body
                None, // no key
                None, // not an object
            ]
        );
        let ids: Vec<Option<&str>> = parsed.items.iter().map(|i| i.value.id.as_deref()).collect();
        assert_eq!(ids, [Some("a"), Some("b"), Some("c"), None, Some("d")]);
        // Another text than the one read: no start.
        let copy = String::from(body);
        assert!(parsed.items[0].start.raw_in(&copy).is_none());
    }

    #[test]
    fn errors_read_as_without_it() {
        let ours = serde_json::from_str::<At<'_, Item>>(r#"{"id": 4}"#)
            .err()
            .unwrap();
        let theirs = serde_json::from_str::<Item>(r#"{"id": 4}"#).err().unwrap();
        assert_eq!(ours.to_string(), theirs.to_string());
        let ours = serde_json::from_str::<At<'_, Item>>("7").err().unwrap();
        let theirs = serde_json::from_str::<Item>("7").err().unwrap();
        assert_eq!(ours.to_string(), theirs.to_string());
    }
}
