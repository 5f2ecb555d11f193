//! Lead attributes as a record of named values.

use std::collections::BTreeMap;
use std::fmt;

use crate::named_enum::named_enum;
use crate::numbers::{NumberParser, Parsed};
use crate::{Contact, Lead};

/// One attribute value: null, a boolean, a number or text.
///
/// Serialized untagged (`null`, `true`, `3.5`, `"gold"`). A non-finite number reads
/// as null everywhere a rule looks at it.
#[derive(Debug, Clone, PartialEq, Default)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Enum))]
pub enum Value {
    /// Missing.
    #[default]
    Null,
    /// A boolean.
    Bool(bool),
    /// A number (integers are kept as `f64`).
    Number(f64),
    /// Text.
    Text(String),
}

impl Value {
    /// Reads a raw text cell (a CSV field) without a declared type: empty is null,
    /// `true`/`false` (any case) a boolean, a finite number a number, anything else text.
    ///
    /// ```
    /// use arichat_core::scoring::Value;
    /// assert_eq!(Value::infer(" 42 "), Value::Number(42.0));
    /// assert_eq!(Value::infer(""), Value::Null);
    /// assert_eq!(Value::infer("TRUE"), Value::Bool(true));
    /// assert_eq!(Value::infer("gold"), Value::Text("gold".into()));
    /// assert_eq!(Value::infer("nan"), Value::Text("nan".into()));
    /// ```
    pub fn infer(raw: &str) -> Value {
        let t = raw.trim();
        if t.is_empty() {
            Value::Null
        } else if t.eq_ignore_ascii_case("true") {
            Value::Bool(true)
        } else if t.eq_ignore_ascii_case("false") {
            Value::Bool(false)
        } else if let Some(n) = parse_number(t) {
            Value::Number(n)
        } else {
            Value::Text(raw.to_owned())
        }
    }

    /// Whether this is [`Value::Null`].
    pub fn is_null(&self) -> bool {
        matches!(self, Value::Null)
    }

    /// The value as a number: a finite number, or text that parses as one.
    pub fn as_f64(&self) -> Option<f64> {
        self.cell().number_value()
    }

    pub(crate) fn cell(&self) -> Cell<'_> {
        match self {
            Value::Null => Cell::Null,
            Value::Bool(b) => Cell::Bool(*b),
            Value::Number(n) => Cell::number(*n),
            Value::Text(s) => Cell::text(s),
        }
    }
}

impl fmt::Display for Value {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Value::Null => f.write_str("null"),
            Value::Bool(b) => write!(f, "{b}"),
            Value::Number(n) => write!(f, "{n}"),
            Value::Text(s) => f.write_str(s),
        }
    }
}

/// A finite number parsed from trimmed text, written plainly (`1234.5`, `1e3`, an
/// optional sign and currency symbol): [`crate::numbers`]' parser in its default format.
pub(crate) fn parse_number(t: &str) -> Option<f64> {
    crate::numbers::parse_plain(t)
}

macro_rules! from_number {
    ($($t:ty),*) => {$(
        impl From<$t> for Value {
            fn from(v: $t) -> Self { Value::Number(v as f64) }
        }
    )*};
}
from_number!(f64, f32, i64, i32, u32, u64, usize);

impl From<bool> for Value {
    fn from(v: bool) -> Self {
        Value::Bool(v)
    }
}
impl From<&str> for Value {
    fn from(v: &str) -> Self {
        Value::Text(v.to_owned())
    }
}
impl From<String> for Value {
    fn from(v: String) -> Self {
        Value::Text(v)
    }
}
impl<T: Into<Value>> From<Option<T>> for Value {
    fn from(v: Option<T>) -> Self {
        v.map_or(Value::Null, Into::into)
    }
}

impl serde::Serialize for Value {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self {
            Value::Null => s.serialize_none(),
            Value::Bool(b) => s.serialize_bool(*b),
            Value::Number(n) if n.fract() == 0.0 && n.abs() < 9.0e15 => s.serialize_i64(*n as i64),
            Value::Number(n) => s.serialize_f64(*n),
            Value::Text(t) => s.serialize_str(t),
        }
    }
}

impl<'de> serde::Deserialize<'de> for Value {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl serde::de::Visitor<'_> for V {
            type Value = Value;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("null, a boolean, a number or a string")
            }
            fn visit_unit<E>(self) -> Result<Value, E> {
                Ok(Value::Null)
            }
            fn visit_none<E>(self) -> Result<Value, E> {
                Ok(Value::Null)
            }
            fn visit_bool<E>(self, v: bool) -> Result<Value, E> {
                Ok(Value::Bool(v))
            }
            fn visit_i64<E>(self, v: i64) -> Result<Value, E> {
                Ok(Value::Number(v as f64))
            }
            fn visit_u64<E>(self, v: u64) -> Result<Value, E> {
                Ok(Value::Number(v as f64))
            }
            fn visit_f64<E>(self, v: f64) -> Result<Value, E> {
                Ok(Value::Number(v))
            }
            fn visit_str<E>(self, v: &str) -> Result<Value, E> {
                Ok(Value::Text(v.to_owned()))
            }
            fn visit_string<E>(self, v: String) -> Result<Value, E> {
                Ok(Value::Text(v))
            }
        }
        d.deserialize_any(V)
    }
}

/// A borrowed view of one value, the unit every predicate is evaluated on, so the
/// row path ([`LeadRecord`]) and the column path ([`super::Column`]) agree exactly.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) enum Cell<'a> {
    Null,
    Bool(bool),
    Number(f64),
    Text(&'a str),
}

impl<'a> Cell<'a> {
    /// NaN and infinities are null.
    pub(crate) fn number(n: f64) -> Self {
        if n.is_finite() {
            Cell::Number(n)
        } else {
            Cell::Null
        }
    }

    /// Empty text is null.
    pub(crate) fn text(s: &'a str) -> Self {
        if s.is_empty() {
            Cell::Null
        } else {
            Cell::Text(s)
        }
    }

    pub(crate) fn number_value(self) -> Option<f64> {
        match self {
            Cell::Number(n) => Some(n),
            Cell::Text(s) => parse_number(s.trim()),
            _ => None,
        }
    }
}

named_enum!(
    /// The declared type of a field in a scorecard's `[fields]` table.
    FieldType, "field type", "number, text, bool", {
        /// A number (`range` applies).
        Number => "number",
        /// Text (`contains`, `starts_with`, `word` apply).
        Text => "text",
        /// A boolean.
        Bool => "bool",
    }
);

impl FieldType {
    /// Reads a raw text cell as this type with the default [`NumberParser`]: blank and
    /// missing markers (`N/A`, `-`, `null`...) are null, and so is a cell that is not
    /// of the type (see [`FieldType::parse_cell_with`] to tell those apart).
    ///
    /// ```
    /// use arichat_core::scoring::{FieldType, Value};
    /// assert_eq!(FieldType::Text.parse_cell("007"), Value::Text("007".into()));
    /// assert_eq!(FieldType::Number.parse_cell("7"), Value::Number(7.0));
    /// assert_eq!(FieldType::Number.parse_cell("N/A"), Value::Null);
    /// assert_eq!(FieldType::Bool.parse_cell("yes"), Value::Bool(true));
    /// ```
    pub fn parse_cell(self, raw: &str) -> Value {
        self.parse_cell_with(raw, &NumberParser::default())
            .unwrap_or(Value::Null)
    }

    /// Reads a raw text cell as this type, numbers with `parser`: blank is null; in
    /// number and bool fields so are `parser`'s missing markers. `None` when the cell is
    /// neither of the type nor missing (a problem the caller counts); a text cell is
    /// always text.
    ///
    /// ```
    /// use arichat_core::numbers::NumberParser;
    /// use arichat_core::scoring::{FieldType, Value};
    /// let co = NumberParser::from_options(Some("es-CO"), None, None).unwrap();
    /// assert_eq!(FieldType::Number.parse_cell_with("4,857", &co), Some(Value::Number(4.857)));
    /// assert_eq!(FieldType::Number.parse_cell_with("-", &co), Some(Value::Null));
    /// assert_eq!(FieldType::Number.parse_cell_with("four", &co), None);
    /// assert_eq!(FieldType::Bool.parse_cell_with("maybe", &co), None);
    /// ```
    pub fn parse_cell_with(self, raw: &str, parser: &NumberParser) -> Option<Value> {
        match self {
            FieldType::Text if raw.trim().is_empty() => Some(Value::Null),
            FieldType::Text => Some(Value::Text(raw.to_owned())),
            FieldType::Number => match parser.parse(raw) {
                Parsed::Number(n) => Some(Value::Number(n)),
                Parsed::Missing => Some(Value::Null),
                Parsed::Invalid => None,
            },
            FieldType::Bool => {
                let t = raw.trim();
                if parser.is_missing(t) {
                    return Some(Value::Null);
                }
                parse_bool(t).map(Value::Bool)
            }
        }
    }
}

/// A boolean as people write it in English, Spanish or Portuguese (`yes`, `sí`,
/// `sim`, `1`...), ignoring case.
pub fn parse_bool(t: &str) -> Option<bool> {
    // Accented words in both cases: `eq_ignore_ascii_case` leaves `í`/`Í` apart.
    const TRUE: &[&str] = &[
        "true",
        "yes",
        "y",
        "1",
        "si",
        "sí",
        "SÍ",
        "sim",
        "verdadero",
    ];
    const FALSE: &[&str] = &["false", "no", "n", "0", "nao", "não", "NÃO", "falso"];
    let t = t.trim();
    if TRUE.iter().any(|w| w.eq_ignore_ascii_case(t)) {
        Some(true)
    } else if FALSE.iter().any(|w| w.eq_ignore_ascii_case(t)) {
        Some(false)
    } else {
        None
    }
}

/// A lead's attributes: typed fields and custom attributes, by name.
///
/// The same record comes from a CSV row ([`LeadRecord::from_csv_row`]), a row of a
/// columnar table, or a [`Lead`] and its [`Contact`] ([`LeadRecord::from_lead`]), and
/// any custom attribute can be added with [`LeadRecord::set`]. An absent field reads
/// as [`Value::Null`]. Serialized as a plain JSON object.
///
/// ```
/// use arichat_core::scoring::{LeadRecord, Value};
/// let mut r = LeadRecord::new();
/// r.set("age", 34).set("plan", "gold").set("vip", true);
/// assert_eq!(r.get("age"), &Value::Number(34.0));
/// assert_eq!(r.get("missing"), &Value::Null);
/// assert_eq!(serde_json::to_string(&r).unwrap(), r#"{"age":34,"plan":"gold","vip":true}"#);
/// ```
#[derive(Debug, Clone, PartialEq, Default, serde::Serialize, serde::Deserialize)]
#[serde(transparent)]
pub struct LeadRecord {
    fields: BTreeMap<String, Value>,
}

static NULL: Value = Value::Null;

impl LeadRecord {
    /// An empty record.
    pub fn new() -> Self {
        Self::default()
    }

    /// Sets a field, replacing any previous value.
    pub fn set(&mut self, name: impl Into<String>, value: impl Into<Value>) -> &mut Self {
        self.fields.insert(name.into(), value.into());
        self
    }

    /// Builder form of [`LeadRecord::set`].
    pub fn with(mut self, name: impl Into<String>, value: impl Into<Value>) -> Self {
        self.set(name, value);
        self
    }

    /// The value of a field ([`Value::Null`] when absent).
    pub fn get(&self, name: &str) -> &Value {
        self.fields.get(name).unwrap_or(&NULL)
    }

    /// Removes a field, returning its value.
    pub fn remove(&mut self, name: &str) -> Option<Value> {
        self.fields.remove(name)
    }

    /// Fields in name order.
    pub fn iter(&self) -> impl Iterator<Item = (&str, &Value)> {
        self.fields.iter().map(|(k, v)| (k.as_str(), v))
    }

    /// Number of fields set.
    pub fn len(&self) -> usize {
        self.fields.len()
    }

    /// Whether no field is set.
    pub fn is_empty(&self) -> bool {
        self.fields.is_empty()
    }

    /// A record from a CSV row: `headers[i]` names `cells[i]`. A declared type (from
    /// `types`, for example a scorecard's [`super::Scorecard::fields`]) parses the cell;
    /// otherwise [`Value::infer`] does. Extra cells or headers are ignored.
    ///
    /// ```
    /// use std::collections::BTreeMap;
    /// use arichat_core::scoring::{FieldType, LeadRecord, Value};
    /// let types = BTreeMap::from([("zip".to_string(), FieldType::Text)]);
    /// let r = LeadRecord::from_csv_row(&["age", "zip"], &["41", "05001"], &types);
    /// assert_eq!(r.get("age"), &Value::Number(41.0));
    /// assert_eq!(r.get("zip"), &Value::Text("05001".into()));
    /// ```
    pub fn from_csv_row<H: AsRef<str>, C: AsRef<str>>(
        headers: &[H],
        cells: &[C],
        types: &BTreeMap<String, FieldType>,
    ) -> Self {
        let mut r = LeadRecord::new();
        for (h, c) in headers.iter().zip(cells) {
            let (h, c) = (h.as_ref(), c.as_ref());
            let v = match types.get(h) {
                Some(t) => t.parse_cell(c),
                None => Value::infer(c),
            };
            r.fields.insert(h.to_owned(), v);
        }
        r
    }

    /// The typed fields arichat knows about a lead and its contact:
    ///
    /// | field | value |
    /// |---|---|
    /// | `status` | lead status name (`interested`, ...) |
    /// | `stage` | lifecycle stage name (`iql`, ...) |
    /// | `channel` | channel of first contact, or null |
    /// | `campaign_id`, `ad_id`, `referral_url`, `ctwa_clid` | source attribution, or null |
    /// | `from_ad` | whether an ad or link brought the lead |
    /// | `has_phone`, `has_email` | whether the contact has one (with a contact) |
    /// | `email_domain` | the part after `@`, lowercase (with a contact) |
    /// | `channel_count` | on how many channels the contact writes (with a contact) |
    ///
    /// Custom attributes are added on top with [`LeadRecord::set`].
    ///
    /// ```
    /// use arichat_core::{Channel, ContactId, Lead, LeadId, TenantId};
    /// use arichat_core::scoring::{LeadRecord, Value};
    /// use chrono::{TimeZone, Utc};
    /// let t = Utc.with_ymd_and_hms(2026, 1, 1, 0, 0, 0).unwrap();
    /// let lead = Lead::new(LeadId::new("l"), TenantId::new("t"), ContactId::new("c"), Channel::Whatsapp, t);
    /// let r = LeadRecord::from_lead(&lead, None);
    /// assert_eq!(r.get("channel"), &Value::Text("whatsapp".into()));
    /// assert_eq!(r.get("from_ad"), &Value::Bool(false));
    /// ```
    pub fn from_lead(lead: &Lead, contact: Option<&Contact>) -> Self {
        let mut r = LeadRecord::new();
        let src = lead.source();
        r.set("status", lead.status().as_str())
            .set("stage", lead.stage().as_str())
            .set("channel", src.channel.map(|c| c.to_string()))
            .set("campaign_id", src.campaign_id.clone())
            .set("ad_id", src.ad_id.clone())
            .set("referral_url", src.referral_url.clone())
            .set("ctwa_clid", src.ctwa_clid.clone())
            .set(
                "from_ad",
                src.ad_id.is_some() || src.ctwa_clid.is_some() || src.referral_url.is_some(),
            );
        if let Some(c) = contact {
            r.set("has_phone", c.phone().is_some())
                .set("has_email", c.email().is_some())
                .set(
                    "email_domain",
                    c.email()
                        .and_then(|e| e.as_str().rsplit_once('@'))
                        .map(|(_, d)| d.to_lowercase()),
                )
                .set("channel_count", c.identities().len());
        }
        r
    }
}

impl<K: Into<String>, V: Into<Value>> FromIterator<(K, V)> for LeadRecord {
    fn from_iter<I: IntoIterator<Item = (K, V)>>(iter: I) -> Self {
        let mut r = LeadRecord::new();
        for (k, v) in iter {
            r.set(k, v);
        }
        r
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_round_trip_json_and_toml() {
        let r: LeadRecord = [
            ("a", Value::Number(1.5)),
            ("b", Value::Number(3.0)),
            ("c", Value::Bool(false)),
            ("d", Value::Text("x".into())),
        ]
        .into_iter()
        .collect();
        let json = serde_json::to_string(&r).unwrap();
        assert_eq!(json, r#"{"a":1.5,"b":3,"c":false,"d":"x"}"#);
        assert_eq!(serde_json::from_str::<LeadRecord>(&json).unwrap(), r);
        let back: LeadRecord = serde_json::from_str(r#"{"n":null}"#).unwrap();
        assert_eq!(back.get("n"), &Value::Null);
        let t = toml::to_string(&r).unwrap();
        assert_eq!(toml::from_str::<LeadRecord>(&t).unwrap(), r);
    }

    #[test]
    fn cells_treat_empty_and_non_finite_as_null() {
        assert_eq!(Value::Number(f64::NAN).cell(), Cell::Null);
        assert_eq!(Value::Text(String::new()).cell(), Cell::Null);
        assert_eq!(Value::Text(" 2.5 ".into()).as_f64(), Some(2.5));
        assert_eq!(Value::Bool(true).as_f64(), None);
    }
}
