//! Scalars vendors send in more than one shape, read without failing.
//!
//! WhatsApp sends Unix seconds as strings (`"1697043223"`) and, from some senders,
//! numbers; coordinates as numbers or numeric strings. Meta sends page and user ids as
//! strings in current traffic but as numbers in older samples (`"id": 12345654332`),
//! and times as epoch milliseconds in `messaging` items, epoch seconds in some
//! `changes` entries, strings of digits in current documentation examples
//! (`"timestamp": "1527459824"`) and ISO-8601 strings in some third-party test suites.
//! The types here accept all of them, so a type quirk never turns an item into an
//! unsupported event: a shape they cannot read (a placeholder like `"TIMESTAMP"`, an
//! object) reads as `None`. Only [`Id`] refuses what is neither string nor number.

use std::borrow::Cow;
use std::fmt;
use std::marker::PhantomData;

use chrono::{DateTime, TimeZone, Utc};
use serde::de::{self, Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor};
use serde::Deserialize;

/// A scalar read from whichever shape it came in; every other shape is `Default`.
trait Lenient: Default {
    fn from_int(v: i64) -> Self;
    fn from_float(v: f64) -> Self;
    fn from_text(v: &str) -> Self;
}

/// The one visitor of every [`Lenient`] type: numbers and strings go to the type,
/// anything else (bool, null, array, object) is skipped and reads as `Default`.
struct LenientVisitor<T>(PhantomData<T>);

fn lenient<'de, T: Lenient, D: Deserializer<'de>>(d: D) -> Result<T, D::Error> {
    d.deserialize_any(LenientVisitor(PhantomData))
}

impl<'de, T: Lenient> Visitor<'de> for LenientVisitor<T> {
    type Value = T;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("any JSON value")
    }
    fn visit_i64<E: de::Error>(self, v: i64) -> Result<T, E> {
        Ok(T::from_int(v))
    }
    fn visit_u64<E: de::Error>(self, v: u64) -> Result<T, E> {
        Ok(i64::try_from(v).map_or_else(|_| T::default(), T::from_int))
    }
    fn visit_f64<E: de::Error>(self, v: f64) -> Result<T, E> {
        Ok(T::from_float(v))
    }
    fn visit_str<E: de::Error>(self, v: &str) -> Result<T, E> {
        Ok(T::from_text(v))
    }
    fn visit_bool<E: de::Error>(self, _: bool) -> Result<T, E> {
        Ok(T::default())
    }
    fn visit_unit<E: de::Error>(self) -> Result<T, E> {
        Ok(T::default())
    }
    fn visit_none<E: de::Error>(self) -> Result<T, E> {
        Ok(T::default())
    }
    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<T, D::Error> {
        lenient(d)
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<T, A::Error> {
        while seq.next_element::<IgnoredAny>()?.is_some() {}
        Ok(T::default())
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<T, A::Error> {
        while map.next_entry::<IgnoredAny, IgnoredAny>()?.is_some() {}
        Ok(T::default())
    }
}

/// Unix seconds (WhatsApp), as a string of digits or an integer; a float or anything
/// else reads as `None`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(crate) struct UnixSeconds(pub Option<i64>);

impl Lenient for UnixSeconds {
    fn from_int(v: i64) -> Self {
        UnixSeconds(Some(v))
    }
    fn from_float(_: f64) -> Self {
        UnixSeconds(None)
    }
    fn from_text(v: &str) -> Self {
        UnixSeconds(v.trim().parse().ok())
    }
}

impl<'de> Deserialize<'de> for UnixSeconds {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        lenient(d)
    }
}

/// A coordinate in degrees, as a number or a numeric string; anything else or a
/// non-finite value reads as `None`.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub(crate) struct Coord(pub Option<f64>);

impl Lenient for Coord {
    fn from_int(v: i64) -> Self {
        Coord(Some(v as f64))
    }
    fn from_float(v: f64) -> Self {
        Coord(Some(v).filter(|f| f.is_finite()))
    }
    fn from_text(v: &str) -> Self {
        Coord(v.trim().parse().ok().filter(|f: &f64| f.is_finite()))
    }
}

impl<'de> Deserialize<'de> for Coord {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        lenient(d)
    }
}

/// A point in time in any of Meta's shapes: epoch milliseconds or seconds (see
/// [`MILLIS_THRESHOLD`]), as a number or a string of digits, or an RFC 3339 / ISO 8601
/// string; `None` when it is none of them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub(crate) struct Timestamp(pub Option<DateTime<Utc>>);

/// Integers at or above this are epoch milliseconds; below it, epoch seconds. As
/// milliseconds it is 1973-03-03 (before any Messenger Platform event); as seconds,
/// the year 5138.
const MILLIS_THRESHOLD: i64 = 100_000_000_000;

/// Reads an epoch number: milliseconds or seconds (see [`MILLIS_THRESHOLD`]); zero
/// and negative numbers are not times.
fn from_epoch(n: i64) -> Option<DateTime<Utc>> {
    if n <= 0 {
        None
    } else if n >= MILLIS_THRESHOLD {
        Utc.timestamp_millis_opt(n).single()
    } else {
        Utc.timestamp_opt(n, 0).single()
    }
}

impl Lenient for Timestamp {
    fn from_int(v: i64) -> Self {
        Timestamp(from_epoch(v))
    }
    fn from_float(v: f64) -> Self {
        // Saturating cast; NaN becomes 0, which is no time.
        Timestamp(from_epoch(v as i64))
    }
    /// Digits as an epoch number, else RFC 3339 or ISO 8601 with a `+hhmm` offset
    /// (`2021-09-08T06:34:04+0000`).
    fn from_text(s: &str) -> Self {
        let s = s.trim();
        if !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit()) {
            return Timestamp(s.parse::<i64>().ok().and_then(from_epoch));
        }
        if let Some(t) = crate::graph_time::parse(s) {
            return Timestamp(Some(t));
        }
        Timestamp(
            DateTime::parse_from_rfc3339(s)
                .or_else(|e| match with_offset_colon(s) {
                    Some(rfc3339) => DateTime::parse_from_rfc3339(&rfc3339),
                    None => Err(e),
                })
                .or_else(|_| DateTime::parse_from_str(s, "%Y-%m-%dT%H:%M:%S%z"))
                .or_else(|_| DateTime::parse_from_str(s, "%Y-%m-%dT%H:%M:%S%.f%z"))
                .ok()
                .map(|t| t.with_timezone(&Utc)),
        )
    }
}

/// `2021-09-08T06:34:04+0000` (ISO 8601's basic offset, as the Graph API writes times)
/// as `2021-09-08T06:34:04+00:00`, which chrono's RFC 3339 parser reads without
/// interpreting a format string per call (`parse_from_str` does: it showed in profiles
/// of Instagram and Messenger bodies). `None` when `s` does not end in `±hhmm`.
fn with_offset_colon(s: &str) -> Option<String> {
    let at = s.len().checked_sub(5)?;
    let tail = s.as_bytes().get(at..)?;
    let signed = matches!(tail[0], b'+' | b'-');
    if !signed || !tail[1..].iter().all(u8::is_ascii_digit) {
        return None;
    }
    // ASCII from `at` on, so both cuts fall on character boundaries.
    Some(format!("{}:{}", &s[..at + 3], &s[at + 3..]))
}

impl<'de> Deserialize<'de> for Timestamp {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        lenient(d)
    }
}

/// An id sent as a string or as a number, kept as its decimal string (borrowed when
/// the JSON allows). Unlike the other scalars, any other shape is an error.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Id<'a>(pub Cow<'a, str>);

impl Id<'_> {
    pub(crate) fn as_str(&self) -> &str {
        &self.0
    }
}

impl<'de: 'a, 'a> Deserialize<'de> for Id<'a> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = Id<'de>;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("an id (string or number)")
            }
            fn visit_borrowed_str<E: de::Error>(self, v: &'de str) -> Result<Self::Value, E> {
                Ok(Id(Cow::Borrowed(v)))
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Self::Value, E> {
                Ok(Id(Cow::Owned(v.to_owned())))
            }
            fn visit_string<E: de::Error>(self, v: String) -> Result<Self::Value, E> {
                Ok(Id(Cow::Owned(v)))
            }
            fn visit_u64<E: de::Error>(self, v: u64) -> Result<Self::Value, E> {
                Ok(Id(Cow::Owned(v.to_string())))
            }
            fn visit_i64<E: de::Error>(self, v: i64) -> Result<Self::Value, E> {
                Ok(Id(Cow::Owned(v.to_string())))
            }
            fn visit_f64<E: de::Error>(self, v: f64) -> Result<Self::Value, E> {
                Ok(Id(Cow::Owned(v.to_string())))
            }
        }
        d.deserialize_any(V)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unix_seconds_and_coords_in_every_shape() {
        let s = |j: &str| serde_json::from_str::<UnixSeconds>(j).unwrap().0;
        assert_eq!(s("\"1697043223\""), Some(1_697_043_223));
        assert_eq!(s("\" 1697043223 \""), Some(1_697_043_223));
        assert_eq!(s("1669233778"), Some(1_669_233_778));
        assert_eq!(s("1669233778.5"), None);
        assert_eq!(s("18446744073709551615"), None);
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

    fn timestamp(json: &str) -> Option<String> {
        serde_json::from_str::<Timestamp>(json)
            .unwrap()
            .0
            .map(|t| t.to_rfc3339())
    }

    #[test]
    fn timestamps_in_every_shape() {
        assert_eq!(
            timestamp("1457764197627").as_deref(),
            Some("2016-03-12T06:29:57.627+00:00")
        );
        assert_eq!(
            timestamp("1519399307").as_deref(),
            Some("2018-02-23T15:21:47+00:00")
        );
        assert_eq!(
            timestamp(r#""1527459824""#).as_deref(),
            Some("2018-05-27T22:23:44+00:00")
        );
        assert_eq!(
            timestamp(r#""2021-09-08T06:34:04+0000""#).as_deref(),
            Some("2021-09-08T06:34:04+00:00")
        );
        assert_eq!(
            timestamp(r#""2021-09-08T06:34:04.250-0530""#).as_deref(),
            Some("2021-09-08T12:04:04.250+00:00")
        );
        assert_eq!(
            with_offset_colon("2021-09-08T06:34:04+0000").as_deref(),
            Some("2021-09-08T06:34:04+00:00")
        );
        assert_eq!(with_offset_colon("+000"), None);
        assert_eq!(with_offset_colon("2021-09-08T06:34:04Z"), None);
        assert_eq!(with_offset_colon("ñ+12a4"), None);
        assert_eq!(
            timestamp(r#""2021-09-08T06:34:04.5Z""#).as_deref(),
            Some("2021-09-08T06:34:04.500+00:00")
        );
        for none in [
            "0",
            "-5",
            r#""soon""#,
            "null",
            "true",
            "[1]",
            r#"{"a":1}"#,
            "1e300",
        ] {
            assert_eq!(timestamp(none), None, "{none}");
        }
    }

    #[test]
    fn ids_from_strings_and_numbers() {
        let id: Id = serde_json::from_str("12345654332").unwrap();
        assert_eq!(id.as_str(), "12345654332");
        let id: Id = serde_json::from_str(r#""PAGE_ID""#).unwrap();
        assert_eq!(id.as_str(), "PAGE_ID");
        assert!(serde_json::from_str::<Id>("{}").is_err());
    }
}
