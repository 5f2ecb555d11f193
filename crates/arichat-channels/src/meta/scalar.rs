//! Lenient scalars of the Meta webhook format: ids and times.
//!
//! Meta is not consistent about types: page and user ids arrive as JSON strings in
//! current traffic but as numbers in older samples (`"id": 12345654332`), and times are
//! epoch milliseconds in `messaging` items, epoch seconds in some `changes` entries,
//! strings of digits in current documentation examples (`"timestamp": "1527459824"`)
//! and ISO-8601 strings in some third-party test suites. These types accept all of
//! them, so a type quirk never turns an item into an unsupported event.

use std::borrow::Cow;
use std::fmt;

use chrono::{DateTime, TimeZone, Utc};
use serde::de::{self, Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor};

/// An id sent as a string or as a number, kept as its decimal string.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Id<'a>(pub Cow<'a, str>);

impl Id<'_> {
    pub(super) fn as_str(&self) -> &str {
        &self.0
    }
}

impl<'de: 'a, 'a> serde::Deserialize<'de> for Id<'a> {
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

/// A point in time, or `None` when the value is absent or not a time we can read.
/// Never fails to deserialize.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub(super) struct Stamp(pub Option<DateTime<Utc>>);

/// Integers at or above this are epoch milliseconds; below it, epoch seconds. As
/// milliseconds it is 1973-03-03 (before any Messenger Platform event); as seconds,
/// the year 5138.
const MILLIS_THRESHOLD: i64 = 100_000_000_000;

/// Reads an epoch number: milliseconds or seconds (see [`MILLIS_THRESHOLD`]); zero
/// and negative numbers are not times.
pub(super) fn from_epoch(n: i64) -> Option<DateTime<Utc>> {
    if n <= 0 {
        None
    } else if n >= MILLIS_THRESHOLD {
        Utc.timestamp_millis_opt(n).single()
    } else {
        Utc.timestamp_opt(n, 0).single()
    }
}

/// Reads a string time: digits as an epoch number, else RFC 3339 or ISO 8601 with a
/// `+hhmm` offset (`2021-09-08T06:34:04+0000`).
pub(super) fn from_text(s: &str) -> Option<DateTime<Utc>> {
    let s = s.trim();
    if !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit()) {
        return s.parse::<i64>().ok().and_then(from_epoch);
    }
    DateTime::parse_from_rfc3339(s)
        .or_else(|_| DateTime::parse_from_str(s, "%Y-%m-%dT%H:%M:%S%z"))
        .or_else(|_| DateTime::parse_from_str(s, "%Y-%m-%dT%H:%M:%S%.f%z"))
        .ok()
        .map(|t| t.with_timezone(&Utc))
}

impl<'de> serde::Deserialize<'de> for Stamp {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = Stamp;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a time")
            }
            fn visit_u64<E: de::Error>(self, v: u64) -> Result<Stamp, E> {
                Ok(Stamp(i64::try_from(v).ok().and_then(from_epoch)))
            }
            fn visit_i64<E: de::Error>(self, v: i64) -> Result<Stamp, E> {
                Ok(Stamp(from_epoch(v)))
            }
            fn visit_f64<E: de::Error>(self, v: f64) -> Result<Stamp, E> {
                // Saturating cast; NaN becomes 0, which is no time.
                Ok(Stamp(from_epoch(v as i64)))
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Stamp, E> {
                Ok(Stamp(from_text(v)))
            }
            fn visit_bool<E: de::Error>(self, _: bool) -> Result<Stamp, E> {
                Ok(Stamp(None))
            }
            fn visit_unit<E: de::Error>(self) -> Result<Stamp, E> {
                Ok(Stamp(None))
            }
            fn visit_none<E: de::Error>(self) -> Result<Stamp, E> {
                Ok(Stamp(None))
            }
            fn visit_some<D2: Deserializer<'de>>(self, d: D2) -> Result<Stamp, D2::Error> {
                d.deserialize_any(V)
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Stamp, A::Error> {
                while seq.next_element::<IgnoredAny>()?.is_some() {}
                Ok(Stamp(None))
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Stamp, A::Error> {
                while map.next_entry::<IgnoredAny, IgnoredAny>()?.is_some() {}
                Ok(Stamp(None))
            }
        }
        d.deserialize_any(V)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn stamp(json: &str) -> Option<String> {
        serde_json::from_str::<Stamp>(json)
            .unwrap()
            .0
            .map(|t| t.to_rfc3339())
    }

    #[test]
    fn reads_every_time_shape() {
        assert_eq!(
            stamp("1457764197627").as_deref(),
            Some("2016-03-12T06:29:57.627+00:00")
        );
        assert_eq!(
            stamp("1519399307").as_deref(),
            Some("2018-02-23T15:21:47+00:00")
        );
        assert_eq!(
            stamp(r#""1527459824""#).as_deref(),
            Some("2018-05-27T22:23:44+00:00")
        );
        assert_eq!(
            stamp(r#""2021-09-08T06:34:04+0000""#).as_deref(),
            Some("2021-09-08T06:34:04+00:00")
        );
        assert_eq!(
            stamp(r#""2021-09-08T06:34:04.5Z""#).as_deref(),
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
            assert_eq!(stamp(none), None, "{none}");
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
