//! The JSON of one change or item, found in the body text after the typed read.
//!
//! Only items kept raw (an unsupported change, call, preference or content) need it.
//! Building the whole body as a `Value` to take one item from it cost a generic parse
//! of every byte (16% of the WhatsApp corpus's normalize time, perf); instead the body
//! is walked to the item, skipping what comes before it (tokenize only), the item alone
//! is built, and the walk stops there. A body that asks for many items falls back to
//! one generic parse, so a body of n unknown items costs O(n) walks at most
//! [`MAX_WALKS`] times, never O(n²).

use std::fmt;

use serde::de::{self, DeserializeSeed, Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor};
use serde::Deserialize;
use serde_json::Value;

use super::Position;

/// Walks per body before the whole body is parsed once instead.
const MAX_WALKS: usize = 3;

/// The body's text, and its generic JSON once more than [`MAX_WALKS`] items were asked.
pub(crate) struct RawBody<'a> {
    body: &'a str,
    walks: usize,
    parsed: Option<Value>,
}

impl<'a> RawBody<'a> {
    pub fn new(body: &'a str) -> Self {
        RawBody {
            body,
            walks: 0,
            parsed: None,
        }
    }

    /// The change at `at`, or its `value[list][index]`; `null` if absent.
    ///
    /// Each item is asked for at most once (an item is kept raw once, and the whole
    /// change only when none of its items became an event), so after the fallback
    /// parse it is moved out of the parsed body rather than cloned.
    pub fn get(&mut self, at: Position, item: Option<(&str, usize)>) -> Value {
        let mut path = [
            Step::Key("entry"),
            Step::Index(at.entry),
            Step::Key("changes"),
            Step::Index(at.change),
            Step::Key("value"),
            Step::Key(""),
            Step::Index(0),
        ];
        let path = match item {
            None => &path[..4],
            Some((list, index)) => {
                path[5] = Step::Key(list);
                path[6] = Step::Index(index);
                &path[..]
            }
        };
        if self.parsed.is_none() && self.walks < MAX_WALKS {
            self.walks += 1;
            return walk(self.body, path);
        }
        let raw = self.body;
        let mut slot = Some(
            self.parsed
                .get_or_insert_with(|| serde_json::from_str(raw).unwrap_or(Value::Null)),
        );
        for step in path {
            slot = slot.and_then(|v| match *step {
                Step::Key(k) => v.get_mut(k),
                Step::Index(i) => v.get_mut(i),
            });
        }
        slot.map(Value::take).unwrap_or(Value::Null)
    }
}

#[derive(Clone, Copy)]
enum Step<'p> {
    Key(&'p str),
    Index(usize),
}

/// The value at `path` in `body`, `null` if absent. The typed read already accepted the
/// body, so its lists and objects hold no duplicate keys on the path (derived structs
/// refuse them) and the first match is the only one.
fn walk(body: &str, path: &[Step<'_>]) -> Value {
    let mut found = None;
    let mut de = serde_json::Deserializer::from_str(body);
    // The error that stops the walk at the item (or a real one, impossible on a body
    // the typed read accepted) is not needed: `found` says whether the item was there.
    let _ = Walk {
        path,
        found: &mut found,
    }
    .deserialize(&mut de);
    found.unwrap_or(Value::Null)
}

/// The walk's error once the item is built: ends the parse of the rest of the body.
const FOUND: &str = "found";

struct Walk<'p, 'f> {
    path: &'p [Step<'p>],
    found: &'f mut Option<Value>,
}

impl<'de> DeserializeSeed<'de> for Walk<'_, '_> {
    type Value = ();

    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        match self.path.first() {
            None => {
                *self.found = Some(Value::deserialize(d)?);
                Err(de::Error::custom(FOUND))
            }
            Some(_) => d.deserialize_any(self),
        }
    }
}

impl<'de> Visitor<'de> for Walk<'_, '_> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("any JSON value")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        let Some((Step::Key(want), rest)) = self.path.split_first() else {
            while map.next_entry::<IgnoredAny, IgnoredAny>()?.is_some() {}
            return Ok(());
        };
        let mut seed = Some(Walk {
            path: rest,
            found: self.found,
        });
        while let Some(is) = map.next_key_seed(KeyIs(want))? {
            match (is, seed.take()) {
                (true, Some(s)) => map.next_value_seed(s)?,
                (_, s) => {
                    seed = s;
                    map.next_value::<IgnoredAny>()?;
                }
            }
        }
        Ok(())
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        let Some((&Step::Index(want), rest)) = self.path.split_first() else {
            while seq.next_element::<IgnoredAny>()?.is_some() {}
            return Ok(());
        };
        for _ in 0..want {
            if seq.next_element::<IgnoredAny>()?.is_none() {
                return Ok(());
            }
        }
        let seed = Walk {
            path: rest,
            found: self.found,
        };
        seq.next_element_seed(seed)?;
        while seq.next_element::<IgnoredAny>()?.is_some() {}
        Ok(())
    }

    // Scalars on the path: the item is absent.
    fn visit_bool<E: de::Error>(self, _: bool) -> Result<(), E> {
        Ok(())
    }
    fn visit_i64<E: de::Error>(self, _: i64) -> Result<(), E> {
        Ok(())
    }
    fn visit_u64<E: de::Error>(self, _: u64) -> Result<(), E> {
        Ok(())
    }
    fn visit_f64<E: de::Error>(self, _: f64) -> Result<(), E> {
        Ok(())
    }
    fn visit_str<E: de::Error>(self, _: &str) -> Result<(), E> {
        Ok(())
    }
    fn visit_unit<E: de::Error>(self) -> Result<(), E> {
        Ok(())
    }
}

/// Whether a map key is the wanted one (escaped or not).
struct KeyIs<'k>(&'k str);

impl<'de> DeserializeSeed<'de> for KeyIs<'_> {
    type Value = bool;

    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<bool, D::Error> {
        d.deserialize_str(self)
    }
}

impl<'de> Visitor<'de> for KeyIs<'_> {
    type Value = bool;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a key")
    }
    fn visit_str<E: de::Error>(self, v: &str) -> Result<bool, E> {
        Ok(v == self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn walks_to_the_item_or_null_like_the_generic_parse() {
        let body = r#"{"object":"x","entry":[{"id":"A","changes":[{"value":{"calls":[1,{"a":[2]}]},"field":"calls"}]},
            {"changes":[{"field":"f","value":{"statuses":[{"id":"s"}],"x\u0079":{}}},{"value":7}]}]}"#;
        let whole: Value = serde_json::from_str(body).unwrap();
        let at = |entry, change| Position { entry, change };
        let cases: [(Position, Option<(&str, usize)>); 9] = [
            (at(0, 0), None),
            (at(0, 0), Some(("calls", 1))),
            (at(0, 0), Some(("calls", 2))),
            (at(0, 0), Some(("messages", 0))),
            (at(1, 0), Some(("statuses", 0))),
            (at(1, 0), Some(("xy", 0))),
            (at(1, 1), None),
            (at(1, 1), Some(("calls", 0))),
            (at(2, 0), None),
        ];
        for (position, item) in cases {
            let mut expected = whole["entry"][position.entry]["changes"][position.change].clone();
            if let Some((list, index)) = item {
                expected = expected["value"][list][index].clone();
            }
            // Walked, then (past MAX_WALKS) taken from the generic parse: the same.
            let mut raw = RawBody::new(body);
            for _ in 0..=MAX_WALKS {
                assert_eq!(raw.get(position, item), expected, "{item:?}");
            }
        }
    }
}
