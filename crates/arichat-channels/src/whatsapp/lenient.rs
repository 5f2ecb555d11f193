//! Scalars WhatsApp payloads carry in more than one shape, read without failing.

use std::fmt;

use serde::de::{self, Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor};
use serde::Deserialize;

/// Unix seconds, sent as a string (`"1697043223"`) or, by some senders, a number.
/// Anything else (a placeholder like `"TIMESTAMP"`, an object) reads as `None`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(crate) struct Stamp(pub Option<i64>);

/// A coordinate in degrees, sent as a number or a numeric string; anything else or a
/// non-finite value reads as `None`.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub(crate) struct Coord(pub Option<f64>);

/// What a scalar looked like on the wire.
enum Scalar {
    Int(i64),
    Float(f64),
    Str(Option<f64>, Option<i64>),
    Other,
}

struct ScalarVisitor;

impl<'de> Visitor<'de> for ScalarVisitor {
    type Value = Scalar;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("any JSON value")
    }
    fn visit_i64<E: de::Error>(self, v: i64) -> Result<Scalar, E> {
        Ok(Scalar::Int(v))
    }
    fn visit_u64<E: de::Error>(self, v: u64) -> Result<Scalar, E> {
        Ok(i64::try_from(v).map_or(Scalar::Other, Scalar::Int))
    }
    fn visit_f64<E: de::Error>(self, v: f64) -> Result<Scalar, E> {
        Ok(Scalar::Float(v))
    }
    fn visit_str<E: de::Error>(self, v: &str) -> Result<Scalar, E> {
        let v = v.trim();
        Ok(Scalar::Str(v.parse().ok(), v.parse().ok()))
    }
    fn visit_bool<E: de::Error>(self, _: bool) -> Result<Scalar, E> {
        Ok(Scalar::Other)
    }
    fn visit_unit<E: de::Error>(self) -> Result<Scalar, E> {
        Ok(Scalar::Other)
    }
    fn visit_none<E: de::Error>(self) -> Result<Scalar, E> {
        Ok(Scalar::Other)
    }
    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Scalar, D::Error> {
        d.deserialize_any(ScalarVisitor)
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Scalar, A::Error> {
        while seq.next_element::<IgnoredAny>()?.is_some() {}
        Ok(Scalar::Other)
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Scalar, A::Error> {
        while map.next_entry::<IgnoredAny, IgnoredAny>()?.is_some() {}
        Ok(Scalar::Other)
    }
}

impl<'de> Deserialize<'de> for Stamp {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        Ok(Stamp(match d.deserialize_any(ScalarVisitor)? {
            Scalar::Int(i) => Some(i),
            Scalar::Str(_, i) => i,
            Scalar::Float(_) | Scalar::Other => None,
        }))
    }
}

impl<'de> Deserialize<'de> for Coord {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let v = match d.deserialize_any(ScalarVisitor)? {
            Scalar::Int(i) => Some(i as f64),
            Scalar::Float(f) => Some(f),
            Scalar::Str(f, _) => f,
            Scalar::Other => None,
        };
        Ok(Coord(v.filter(|f| f.is_finite())))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stamps_and_coords_in_every_shape() {
        let s = |j: &str| serde_json::from_str::<Stamp>(j).unwrap().0;
        assert_eq!(s("\"1697043223\""), Some(1_697_043_223));
        assert_eq!(s("1669233778"), Some(1_669_233_778));
        assert_eq!(s("\"TIMESTAMP\""), None);
        assert_eq!(s("{\"a\":[1]}"), None);
        assert_eq!(s("null"), None);
        let c = |j: &str| serde_json::from_str::<Coord>(j).unwrap().0;
        assert_eq!(c("-10.5"), Some(-10.5));
        assert_eq!(c("\"37.46\""), Some(37.46));
        assert_eq!(c("12"), Some(12.0));
        assert_eq!(c("\"LOCATION_LATITUDE\""), None);
        assert_eq!(c("\"NaN\""), None);
        assert_eq!(c("[1,2]"), None);
    }
}
