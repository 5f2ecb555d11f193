//! A string field of a wire struct, borrowed from the body when it can be.
//!
//! Typed reads copied every string field into its own `String`, including the many
//! that are only compared or looked up (`type`, `from`, `status`, `contacts[].wa_id`)
//! and those copied again by text normalization (message bodies, names, captions).
//! [`Str`] points into the body instead; only a string with an escape (`\"`, `\u00e9`),
//! which serde_json must unescape, is copied. A string an event keeps is allocated
//! once, by [`Str::into_owned`].
//!
//! Why not `Cow<'a, str>` with `#[serde(borrow)]`: serde_derive borrows only a field
//! whose type is written `Cow<'a, str>` (it matches the name `Cow`), so neither a type
//! alias of it nor `Option<Cow<'a, str>>` borrows — `Cow`'s own `Deserialize` always
//! copies. `Str` borrows wherever it sits (`Option`, `Vec`, a map value). It still
//! needs `#[serde(borrow)]` on each field, like any field with a lifetime.

use std::borrow::Cow;
use std::fmt;
use std::ops::Deref;

use serde::de::{self, Deserialize, Deserializer, Visitor};

/// A JSON string, borrowed from the body unless it has escapes.
#[derive(Clone, Default, PartialEq, Eq)]
pub(crate) struct Str<'a>(Cow<'a, str>);

impl<'a> Str<'a> {
    /// The string as an owned `String`: one allocation when borrowed, none when it was
    /// already copied (unescaped).
    pub fn into_owned(self) -> String {
        self.0.into_owned()
    }

    /// The text.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// Whether it points into the body (no escapes) rather than owning a copy.
    #[cfg(test)]
    pub fn is_borrowed(&self) -> bool {
        matches!(self.0, Cow::Borrowed(_))
    }
}

impl Deref for Str<'_> {
    type Target = str;

    fn deref(&self) -> &str {
        &self.0
    }
}

impl AsRef<str> for Str<'_> {
    fn as_ref(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for Str<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl fmt::Debug for Str<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(&*self.0, f)
    }
}

/// Lets the constructors of arichat's id types (`impl Into<String>`) take it as it is.
impl From<Str<'_>> for String {
    fn from(s: Str<'_>) -> String {
        s.into_owned()
    }
}

impl<'a> From<Str<'a>> for Cow<'a, str> {
    fn from(s: Str<'a>) -> Self {
        s.0
    }
}

impl From<String> for Str<'_> {
    fn from(s: String) -> Self {
        Str(Cow::Owned(s))
    }
}

impl<'a> From<&'a str> for Str<'a> {
    fn from(s: &'a str) -> Self {
        Str(Cow::Borrowed(s))
    }
}

impl<'de: 'a, 'a> Deserialize<'de> for Str<'a> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = Str<'de>;
            // As `String`'s visitor says it: invalid_item reasons are unchanged.
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a string")
            }
            fn visit_borrowed_str<E: de::Error>(self, v: &'de str) -> Result<Str<'de>, E> {
                Ok(Str(Cow::Borrowed(v)))
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Str<'de>, E> {
                Ok(Str(Cow::Owned(v.to_owned())))
            }
            fn visit_string<E: de::Error>(self, v: String) -> Result<Str<'de>, E> {
                Ok(Str(Cow::Owned(v)))
            }
        }
        d.deserialize_str(V)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(serde::Deserialize)]
    struct Fields<'a> {
        #[serde(borrow)]
        plain: Str<'a>,
        #[serde(borrow)]
        maybe: Option<Str<'a>>,
        #[serde(borrow)]
        list: Vec<Str<'a>>,
    }

    #[test]
    fn borrows_unless_escaped_in_every_position() {
        let f: Fields<'_> =
            serde_json::from_str(r#"{"plain":"a","maybe":"b","list":["c"]}"#).unwrap();
        assert!(f.plain.is_borrowed() && f.maybe.as_ref().unwrap().is_borrowed());
        assert!(f.list[0].is_borrowed());
        let f: Fields<'_> =
            serde_json::from_str(r#"{"plain":"\u00e9","maybe":"\"q\"","list":["c\\d"]}"#).unwrap();
        assert!(!f.plain.is_borrowed() && !f.maybe.as_ref().unwrap().is_borrowed());
        assert_eq!((&*f.plain, f.maybe.as_deref()), ("é", Some("\"q\"")));
        assert_eq!(f.list[0].as_str(), "c\\d");
    }

    #[test]
    fn refuses_what_string_refuses_with_the_same_reason() {
        let ours = serde_json::from_str::<Str<'_>>("42").unwrap_err();
        let theirs = serde_json::from_str::<String>("42").unwrap_err();
        assert_eq!(ours.to_string(), theirs.to_string());
    }
}
