//! Finding one value in a body the typed read already accepted, without building the
//! rest: the body is tokenized up to the value (nothing built), the value alone is
//! deserialized, and the parse stops there.
//!
//! For the rare item that must be kept raw after the one typed pass (WhatsApp's
//! unsupported changes and items, a Messenger/Instagram item whose mapping needs its
//! JSON): a generic parse of the whole body, or a second typed pass over it, cost more
//! than the item. Callers bound how many walks one body takes (each one tokenizes the
//! body up to its item), so n kept items never cost O(n²).

use std::fmt;

use serde::de::{self, DeserializeSeed, Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor};
use serde::Deserialize;

#[derive(Clone, Copy)]
pub(crate) enum Step<'p> {
    /// A key of an object.
    Key(&'p str),
    /// An index of an array.
    Index(usize),
}

/// The value at `path` in `body`, `None` if absent (or not a `T`). The typed read
/// already accepted the body, so its objects hold no duplicate keys on the path
/// (derived structs refuse them) and the first match is the only one.
pub(crate) fn walk<'de, T: Deserialize<'de>>(body: &'de str, path: &[Step<'_>]) -> Option<T> {
    let mut found = None;
    let mut de = serde_json::Deserializer::from_str(body);
    // The error that stops the walk at the item (or a real one, impossible on a body
    // the typed read accepted) is not needed: `found` says whether the item was there.
    let _ = Walk {
        path,
        found: &mut found,
    }
    .deserialize(&mut de);
    found
}

/// The walk's error once the item is built: ends the parse of the rest of the body.
const FOUND: &str = "found";

struct Walk<'p, 'f, T> {
    path: &'p [Step<'p>],
    found: &'f mut Option<T>,
}

impl<'de, T: Deserialize<'de>> DeserializeSeed<'de> for Walk<'_, '_, T> {
    type Value = ();

    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        match self.path.first() {
            None => {
                *self.found = Some(T::deserialize(d)?);
                Err(de::Error::custom(FOUND))
            }
            Some(_) => d.deserialize_any(self),
        }
    }
}

impl<'de, T: Deserialize<'de>> Visitor<'de> for Walk<'_, '_, T> {
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
