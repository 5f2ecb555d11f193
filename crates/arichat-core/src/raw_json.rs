//! [`RawJson`]: a vendor's JSON kept as the text it arrived in.

use std::fmt;

use serde::{Deserialize, Deserializer, Serialize, Serializer};
use serde_json::value::RawValue;
use serde_json::Value;

/// A piece of a vendor's JSON (an item arichat does not map) kept as its text, as it
/// arrived: keys in their order, numbers as written, nothing rebuilt. Keeping the text
/// costs a copy of its bytes, where building a [`Value`] costs a map or a string per
/// node; read it as a `Value` with [`RawJson::to_value`] when needed.
///
/// Serialized with `serde_json` it is written as the JSON it holds (not as a string);
/// `Debug` shows its length only, since vendor JSON carries phone numbers and names.
/// Two are equal when they hold the same JSON value, whatever the spacing or key
/// order.
///
/// ```
/// use arichat_core::RawJson;
/// let raw = RawJson::parse(r#"{"type": "ephemeral", "n": 1.50}"#).unwrap();
/// assert_eq!(raw.get(), r#"{"type": "ephemeral", "n": 1.50}"#);
/// assert_eq!(raw.to_value()["type"], "ephemeral");
/// assert_eq!(serde_json::to_string(&raw).unwrap(), r#"{"type": "ephemeral", "n": 1.50}"#);
/// assert_eq!(raw, RawJson::from_value(&raw.to_value()));
/// assert_eq!(format!("{raw:?}"), "<JSON object of 32 bytes>");
/// // Text a `Value` could not hold is refused, as `serde_json::from_str` refuses it.
/// assert!(RawJson::parse("[1e400]").is_err());
/// ```
#[derive(Clone)]
pub struct RawJson(Box<RawValue>);

impl RawJson {
    /// Checks that `text` is one JSON value that `serde_json` reads back as a
    /// [`Value`] (see [`RawJson::checked`]) and keeps it as it is (surrounding
    /// whitespace trimmed).
    ///
    /// # Errors
    /// The parse error when `text` is not such JSON.
    pub fn parse(text: &str) -> Result<RawJson, serde_json::Error> {
        RawJson::checked(serde_json::from_str::<&RawValue>(text)?)
    }

    /// A copy of `raw` (syntactically valid JSON, for example a `&RawValue` borrowed
    /// from a body) once its numbers are checked to fit an `f64` and its nesting
    /// within `serde_json`'s limit: what [`RawJson::to_value`] and every binding read
    /// back. Nothing is built: about the cost of tokenizing.
    ///
    /// # Errors
    /// `number out of range` (`1e400`) or `recursion limit exceeded`, with position.
    pub fn checked(raw: &RawValue) -> Result<RawJson, serde_json::Error> {
        serde_json::from_str::<ValueCheck>(raw.get())?;
        Ok(RawJson::copy_of(raw))
    }

    /// A copy of JSON text known to read back (from [`RawJson::get`] of another, or
    /// just written by `serde_json`); see [`RawJson::checked`] for text from a body.
    pub fn copy_of(raw: &RawValue) -> RawJson {
        RawJson(raw.to_owned())
    }

    /// `value` written as compact JSON text.
    pub fn from_value(value: &Value) -> RawJson {
        // A `Value` always serializes: its keys are strings and its floats finite.
        RawJson::of(value)
    }

    /// Any serializable value written as compact JSON text; `null` if it does not
    /// serialize (a map with non-string keys, a non-finite float).
    pub fn of<T: Serialize + ?Sized>(value: &T) -> RawJson {
        RawJson(serde_json::value::to_raw_value(value).unwrap_or_else(|_| null()))
    }

    /// The JSON text.
    pub fn get(&self) -> &str {
        self.0.get()
    }

    /// The JSON as a [`Value`] (parsed on each call).
    pub fn to_value(&self) -> Value {
        serde_json::from_str(self.get()).unwrap_or(Value::Null)
    }

    /// The borrowed `serde_json` form, for writing it into other JSON.
    pub fn as_raw_value(&self) -> &RawValue {
        &self.0
    }
}

/// Reads any JSON as `serde_json` reads it into a [`Value`] (numbers parsed, so an
/// `f64` overflow is an error; nesting counted) and keeps nothing: the check behind
/// [`RawJson::checked`], usable as a field type to check a member in passing.
///
/// ```
/// use arichat_core::ValueCheck;
/// assert!(serde_json::from_str::<ValueCheck>(r#"{"a": [1, "x", null]}"#).is_ok());
/// assert!(serde_json::from_str::<ValueCheck>("[1e400]").is_err());
/// ```
#[derive(Debug, Clone, Copy)]
pub struct ValueCheck;

impl<'de> Deserialize<'de> for ValueCheck {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_any(CheckVisitor)
    }
}

struct CheckVisitor;

impl<'de> serde::de::Visitor<'de> for CheckVisitor {
    type Value = ValueCheck;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("any JSON value")
    }
    fn visit_bool<E>(self, _: bool) -> Result<ValueCheck, E> {
        Ok(ValueCheck)
    }
    fn visit_i64<E>(self, _: i64) -> Result<ValueCheck, E> {
        Ok(ValueCheck)
    }
    fn visit_u64<E>(self, _: u64) -> Result<ValueCheck, E> {
        Ok(ValueCheck)
    }
    fn visit_f64<E>(self, _: f64) -> Result<ValueCheck, E> {
        Ok(ValueCheck)
    }
    fn visit_str<E>(self, _: &str) -> Result<ValueCheck, E> {
        Ok(ValueCheck)
    }
    fn visit_unit<E>(self) -> Result<ValueCheck, E> {
        Ok(ValueCheck)
    }
    fn visit_none<E>(self) -> Result<ValueCheck, E> {
        Ok(ValueCheck)
    }
    fn visit_seq<A: serde::de::SeqAccess<'de>>(self, mut seq: A) -> Result<ValueCheck, A::Error> {
        while seq.next_element::<ValueCheck>()?.is_some() {}
        Ok(ValueCheck)
    }
    fn visit_map<A: serde::de::MapAccess<'de>>(self, mut map: A) -> Result<ValueCheck, A::Error> {
        while map.next_key::<serde::de::IgnoredAny>()?.is_some() {
            map.next_value::<ValueCheck>()?;
        }
        Ok(ValueCheck)
    }
}

fn null() -> Box<RawValue> {
    RawValue::from_string("null".to_owned()).expect("null is JSON")
}

impl Default for RawJson {
    /// `null`.
    fn default() -> Self {
        RawJson(null())
    }
}

impl PartialEq for RawJson {
    fn eq(&self, other: &Self) -> bool {
        self.get() == other.get() || self.to_value() == other.to_value()
    }
}

impl PartialEq<Value> for RawJson {
    /// The same JSON value.
    fn eq(&self, other: &Value) -> bool {
        self.to_value() == *other
    }
}

impl fmt::Debug for RawJson {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let what = match self.get().as_bytes().first() {
            Some(b'{') => "object",
            Some(b'[') => "array",
            Some(b'"') => "string",
            _ => "scalar",
        };
        write!(f, "<JSON {what} of {} bytes>", self.get().len())
    }
}

impl fmt::Display for RawJson {
    /// The JSON text.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.get())
    }
}

impl From<Value> for RawJson {
    fn from(value: Value) -> Self {
        RawJson::from_value(&value)
    }
}

impl Serialize for RawJson {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        self.0.serialize(s)
    }
}

impl<'de> Deserialize<'de> for RawJson {
    /// From any deserializer (JSON text, a `Value`, a binding's native objects): read
    /// as a [`Value`] and written back as compact text.
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        Value::deserialize(d).map(|v| RawJson::from_value(&v))
    }
}
