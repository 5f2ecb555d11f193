//! Reading a label column as classes: the one list of yes/no words (English,
//! Spanish, Portuguese) and the rule that picks the positive class.
//!
//! Without a named positive value, every distinct label value is read on its own:
//! a boolean as itself, a number as positive when non-zero, text through
//! [`POSITIVE_WORDS`] and [`NEGATIVE_WORDS`] after trimming, lower-casing and
//! dropping accents (so `Sí`, `SÍ`, `si` and `SIM` are all positive, `não` is
//! negative). When some value is none of these, a column of exactly two values
//! of which one is positive still reads (`won`/`open`: `open` is negative);
//! anything else asks for the positive value. Empty and null labels mark rows
//! without a label, which fitting skips.

use std::collections::BTreeMap;

use crate::scoring::Value;
use crate::CoreError;

/// Label words read as the positive class (accent-free and lower-case; cells are
/// folded the same way before comparing): English, Spanish, Portuguese, and the
/// outcome words CRM exports use.
pub const POSITIVE_WORDS: &[&str] = &[
    "1",
    "true",
    "t",
    "yes",
    "y",
    "si",
    "s",
    "sim",
    "verdadero",
    "verdadeiro",
    "won",
    "converted",
    "bought",
    "ganado",
    "ganho",
    "convertido",
];

/// Label words read as the negative class, folded like [`POSITIVE_WORDS`].
pub const NEGATIVE_WORDS: &[&str] = &[
    "0",
    "false",
    "f",
    "no",
    "n",
    "nao",
    "falso",
    "lost",
    "perdido",
    "not converted",
    "no convertido",
    "nao convertido",
];

/// Lower-case without the accents Spanish and Portuguese put on vowels and `ç`/`ñ`.
fn fold(s: &str) -> String {
    s.trim()
        .chars()
        .flat_map(char::to_lowercase)
        .map(|c| match c {
            'á' | 'à' | 'â' | 'ã' | 'ä' => 'a',
            'é' | 'è' | 'ê' | 'ë' => 'e',
            'í' | 'ì' | 'î' | 'ï' => 'i',
            'ó' | 'ò' | 'ô' | 'õ' | 'ö' => 'o',
            'ú' | 'ù' | 'û' | 'ü' => 'u',
            'ç' => 'c',
            'ñ' => 'n',
            c => c,
        })
        .collect()
}

/// The class of one label value on its own, or `None` when it is not a yes/no
/// value (see the module doc).
///
/// ```
/// use arichat_core::fit::label_class;
/// use arichat_core::scoring::Value;
/// for yes in ["sí", "Sí", "SIM", "yes", " True ", "verdadero"] {
///     assert_eq!(label_class(&Value::from(yes)), Some(true), "{yes}");
/// }
/// assert_eq!(label_class(&Value::from("Não")), Some(false));
/// assert_eq!(label_class(&Value::from(0.0)), Some(false));
/// assert_eq!(label_class(&Value::from("maybe")), None);
/// ```
pub fn label_class(v: &Value) -> Option<bool> {
    match v {
        Value::Bool(b) => Some(*b),
        Value::Number(n) if n.is_finite() => Some(*n != 0.0),
        Value::Text(s) => {
            let s = fold(s);
            if POSITIVE_WORDS.contains(&s.as_str()) {
                Some(true)
            } else if NEGATIVE_WORDS.contains(&s.as_str()) {
                Some(false)
            } else {
                None
            }
        }
        _ => None,
    }
}

/// Whether a label value is missing: null, non-finite or blank text.
fn unlabelled(v: &Value) -> bool {
    match v {
        Value::Null => true,
        Value::Number(n) => !n.is_finite(),
        Value::Text(s) => s.trim().is_empty(),
        Value::Bool(_) => false,
    }
}

/// The text a label value is compared by: `Value::Number(1.0)` and `"1"`, or
/// `Value::Bool(true)` and `"true"`, name the same label.
fn key(v: &Value) -> String {
    v.to_string().trim().to_owned()
}

/// The class of each row (`None` for a row without a label) and the label values
/// read as positive, sorted.
#[derive(Debug, Clone, PartialEq)]
pub struct Labels {
    /// Per row.
    pub classes: Vec<Option<bool>>,
    /// The distinct values of the positive class.
    pub positive: Vec<String>,
}

/// Reads the label column `column` (one value per row). With `positive`, a label is
/// positive when it names the same value (compared as trimmed text) and that value
/// must occur; without it, the rule of the module doc applies.
///
/// # Errors
/// [`CoreError::InvalidScoringData`] when `positive` never occurs or the positive
/// class cannot be told; the message lists up to ten values seen.
pub fn read_labels(
    column: &str,
    values: &[&Value],
    positive: Option<&Value>,
) -> Result<Labels, CoreError> {
    let mut seen: BTreeMap<String, Option<bool>> = BTreeMap::new();
    for v in values.iter().filter(|v| !unlabelled(v)) {
        seen.entry(key(v)).or_insert_with(|| label_class(v));
    }
    let listed = || {
        seen.keys()
            .take(10)
            .map(|k| format!("{k:?}"))
            .collect::<Vec<_>>()
            .join(", ")
    };
    let class: BTreeMap<String, bool> = match positive {
        Some(p) => {
            let p = key(p);
            if !seen.contains_key(&p) {
                return Err(CoreError::InvalidScoringData {
                    reason: format!(
                        "unknown positive value {p:?}: label column {column:?} has {}",
                        listed()
                    ),
                });
            }
            seen.keys().map(|k| (k.clone(), *k == p)).collect()
        }
        None if seen.values().all(Option::is_some) => seen
            .iter()
            .map(|(k, c)| (k.clone(), *c == Some(true)))
            .collect(),
        None if seen.len() == 2 && seen.values().filter(|c| **c == Some(true)).count() == 1 => seen
            .iter()
            .map(|(k, c)| (k.clone(), *c == Some(true)))
            .collect(),
        None => {
            return Err(CoreError::InvalidScoringData {
                reason: format!(
                    "cannot tell the positive value of label column {column:?} (values: {}); \
                     name the positive value",
                    listed()
                ),
            })
        }
    };
    let classes = values
        .iter()
        .map(|v| (!unlabelled(v)).then(|| class[&key(v)]))
        .collect();
    let positive = class
        .iter()
        .filter(|(_, c)| **c)
        .map(|(k, _)| k.clone())
        .collect();
    Ok(Labels { classes, positive })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(values: &[Value], positive: Option<&Value>) -> Result<Labels, CoreError> {
        let refs: Vec<&Value> = values.iter().collect();
        read_labels("y", &refs, positive)
    }

    #[test]
    fn words_in_three_languages_with_and_without_accents() {
        let v: Vec<Value> = ["sí", "Sí", "SIM", "yes", "no", "Não", "", "NO"]
            .into_iter()
            .map(Value::from)
            .collect();
        let l = read(&v, None).unwrap();
        let t = Some(true);
        let f = Some(false);
        assert_eq!(l.classes, [t, t, t, t, f, f, None, f]);
        assert_eq!(l.positive, ["SIM", "Sí", "sí", "yes"]);
    }

    #[test]
    fn a_two_valued_column_with_one_yes_reads() {
        let v = [Value::from("won"), Value::from("open"), Value::Null];
        assert_eq!(
            read(&v, None).unwrap().classes,
            [Some(true), Some(false), None]
        );
        let three = [
            Value::from("won"),
            Value::from("open"),
            Value::from("later"),
        ];
        let err = read(&three, None).unwrap_err().to_string();
        assert!(err.contains("name the positive value"), "{err}");
    }

    #[test]
    fn a_named_positive_matches_by_text_and_must_occur() {
        let v = [Value::from(1.0), Value::from(2.0), Value::from(1.0)];
        let l = read(&v, Some(&Value::from("1"))).unwrap();
        assert_eq!(l.classes, [Some(true), Some(false), Some(true)]);
        let err = read(&v, Some(&Value::from("3"))).unwrap_err();
        assert!(
            err.to_string().contains("unknown positive value \"3\""),
            "{err}"
        );
    }
}
