//! The canonical text of a piece of JSON, for hashing it into an idempotency key: what
//! `serde_json` writes for the `Value` of that JSON (object keys sorted, a repeated key
//! keeping its last value, numbers and strings as `Value` writes them, no spaces).
//! Keys of unsupported items hash this text, so they stay what they were when the item
//! was kept as a `Value` (idempotency keys are a contract with dedup stores), while the
//! item itself is kept as the text it arrived in.

use std::borrow::Cow;
use std::fmt;

use serde::de::{DeserializeSeed, Deserializer, MapAccess, SeqAccess, Visitor};

/// The canonical text of `json` (one JSON value) appended to `out`.
///
/// # Errors
/// When `json` is not JSON a `serde_json::Value` holds.
pub(crate) fn write(json: &str, out: &mut Vec<u8>) -> Result<(), serde_json::Error> {
    let mut de = serde_json::Deserializer::from_str(json);
    Canon(out).deserialize(&mut de)?;
    de.end()
}

struct Canon<'w>(&'w mut Vec<u8>);

impl<'de> DeserializeSeed<'de> for Canon<'_> {
    type Value = ();

    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_any(self)
    }
}

impl Canon<'_> {
    fn scalar<T: serde::Serialize + ?Sized, E: serde::de::Error>(self, v: &T) -> Result<(), E> {
        serde_json::to_writer(self.0, v).map_err(E::custom)
    }
}

impl<'de> Visitor<'de> for Canon<'_> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("any JSON value")
    }
    fn visit_bool<E: serde::de::Error>(self, v: bool) -> Result<(), E> {
        self.scalar(&v)
    }
    fn visit_i64<E: serde::de::Error>(self, v: i64) -> Result<(), E> {
        self.scalar(&v)
    }
    fn visit_u64<E: serde::de::Error>(self, v: u64) -> Result<(), E> {
        self.scalar(&v)
    }
    fn visit_f64<E: serde::de::Error>(self, v: f64) -> Result<(), E> {
        // As `Value` holds it: a float that is not finite cannot be a JSON number.
        match serde_json::Number::from_f64(v) {
            Some(n) => self.scalar(&n),
            None => self.scalar(&()),
        }
    }
    fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<(), E> {
        self.scalar(v)
    }
    fn visit_borrowed_str<E: serde::de::Error>(self, v: &'de str) -> Result<(), E> {
        string(v, self.0);
        Ok(())
    }
    fn visit_unit<E: serde::de::Error>(self) -> Result<(), E> {
        self.scalar(&())
    }
    fn visit_none<E: serde::de::Error>(self) -> Result<(), E> {
        self.scalar(&())
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        let out = self.0;
        out.push(b'[');
        loop {
            let at = out.len();
            if at > 0 && out[at - 1] != b'[' {
                out.push(b',');
            }
            if seq.next_element_seed(Canon(out))?.is_none() {
                out.truncate(at);
                break;
            }
        }
        out.push(b']');
        Ok(())
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        // Members are written in place as they come; an object whose keys did not
        // come strictly ascending (most vendor JSON) is then rewritten in key order
        // from one copy of its text, a repeated key keeping its last value.
        let out = self.0;
        let start = out.len();
        out.push(b'{');
        let mut members: Vec<(Cow<'de, str>, usize, usize)> = Vec::new();
        let mut ascending = true;
        while let Some(key) = map.next_key_seed(KeySeed)? {
            if !members.is_empty() {
                out.push(b',');
            }
            let from = out.len();
            match &key {
                Cow::Borrowed(k) => string(k, out),
                Cow::Owned(k) => {
                    serde_json::to_writer(&mut *out, k).map_err(serde::de::Error::custom)?;
                }
            }
            out.push(b':');
            map.next_value_seed(Canon(&mut *out))?;
            ascending &= members.last().is_none_or(|(last, _, _)| *last < key);
            members.push((key, from, out.len()));
        }
        out.push(b'}');
        if ascending {
            return Ok(());
        }
        let text = out[start..].to_vec();
        out.truncate(start);
        let mut order: Vec<usize> = (0..members.len()).collect();
        // Stable: of equal keys, the later member sorts later, and only it is kept.
        order.sort_by(|&a, &b| members[a].0.cmp(&members[b].0));
        out.push(b'{');
        let mut first = true;
        for (i, &m) in order.iter().enumerate() {
            if order
                .get(i + 1)
                .is_some_and(|&next| members[next].0 == members[m].0)
            {
                continue;
            }
            if !first {
                out.push(b',');
            }
            first = false;
            let (_, from, to) = &members[m];
            out.extend_from_slice(&text[from - start..to - start]);
        }
        out.push(b'}');
        Ok(())
    }
}

/// A string serde_json read without unescaping (borrowed from the text), written as
/// `Value` would write it. Such a string holds no `"`, `\` or control character (the
/// parser refuses them unescaped), the only characters serde_json's writer escapes, so
/// it is copied as it is: escaping it character by character was 1.1 % of WhatsApp
/// normalize time (`perf`).
fn string(v: &str, out: &mut Vec<u8>) {
    out.reserve(v.len() + 2);
    out.push(b'"');
    out.extend_from_slice(v.as_bytes());
    out.push(b'"');
}

/// An object key, borrowed from the text unless it has escapes.
struct KeySeed;

impl<'de> DeserializeSeed<'de> for KeySeed {
    type Value = Cow<'de, str>;

    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Cow<'de, str>, D::Error> {
        d.deserialize_str(self)
    }
}

impl<'de> Visitor<'de> for KeySeed {
    type Value = Cow<'de, str>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a string key")
    }
    fn visit_borrowed_str<E>(self, v: &'de str) -> Result<Cow<'de, str>, E> {
        Ok(Cow::Borrowed(v))
    }
    fn visit_str<E>(self, v: &str) -> Result<Cow<'de, str>, E> {
        Ok(Cow::Owned(v.to_owned()))
    }
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;
    use serde_json::Value;

    fn canonical(json: &str) -> String {
        let mut out = Vec::new();
        super::write(json, &mut out).unwrap();
        String::from_utf8(out).unwrap()
    }

    fn via_value(json: &str) -> String {
        serde_json::to_string(&serde_json::from_str::<Value>(json).unwrap()).unwrap()
    }

    #[test]
    fn the_text_value_writes() {
        for json in [
            r#"{"b": [1, 2.50, -0, 1e3, "x\u00e9\n"], "a": {"z": null, "y": true}, "a": 3}"#,
            r#"[ ]"#,
            r#"{}"#,
            r#"[{}, [], [[1]], {"k": {}}]"#,
            r#""\ud83d\ude00 \"q\"""#,
            "18446744073709551615",
            "-9223372036854775808",
            "0.1",
            r#"{"\u0061": 1, "a": 2}"#,
            "{\"\u{e9}\u{7f}\": \"\u{fc} \u{1f600}\", \"b\": \"plain\", \"a\": \"e\\u0301\"}",
        ] {
            assert_eq!(canonical(json), via_value(json), "{json}");
        }
    }

    proptest! {
        #[test]
        fn any_value_reads_back_to_its_own_text(v in arb_json()) {
            let pretty = serde_json::to_string_pretty(&v).unwrap();
            prop_assert_eq!(canonical(&pretty), via_value(&pretty));
        }
    }

    fn arb_json() -> impl Strategy<Value = Value> {
        let leaf = prop_oneof![
            Just(Value::Null),
            any::<bool>().prop_map(Value::from),
            any::<i64>().prop_map(Value::from),
            any::<u64>().prop_map(Value::from),
            any::<f64>()
                .prop_filter("finite", |f| f.is_finite())
                .prop_map(Value::from),
            "\\PC{0,8}".prop_map(Value::from),
        ];
        leaf.prop_recursive(4, 32, 6, |inner| {
            prop_oneof![
                prop::collection::vec(inner.clone(), 0..6).prop_map(Value::from),
                prop::collection::vec(("[a-c]{0,2}", inner), 0..6)
                    .prop_map(|kv| Value::Object(kv.into_iter().collect())),
            ]
        })
    }
}
