//! Deal messages: `@monto 1500 @cliente Juan @tubos 5` read into a [`Deal`].
//!
//! # Grammar
//!
//! A tag is one of the grammar's names (any case; synonyms such as `valor`/`total` for
//! the amount, `cliente`/`nombre` for the customer, `tubos`/`unidades`/`cantidad` for
//! the units — see [`DealGrammar`]) written at the start of a word in one of three forms:
//!
//! * `@monto 1500` — the seed's syntax (also a Mattermost mention);
//! * `monto: 1500` — a form field;
//! * `monto=1500` — the slash-command form (`/venta monto=1500 cliente="Juan Pérez"`).
//!
//! The value of `@name` and `name:` runs to the next tag or the end of the line; the
//! value of `name=` is one word, or a quoted text (`"…"`, `“…”`). Text outside tags
//! (the command word, a greeting) is ignored.
//!
//! Values: the amount is the first amount [`parse_amount_with`] finds in the region of
//! the grammar; the units are a whole number in digits or words (`cinco`); the other
//! fields are the trimmed text without quotes.
//!
//! Problems come back all at once, in the order of the message, then missing fields,
//! each a [`DealError`] with a stable code and a message in the grammar's language.
//!
//! ```
//! use arichat_core::deal::{parse_deal, DealGrammar};
//! use arichat_core::money::Region;
//!
//! let grammar = DealGrammar::default();
//! let parsed = parse_deal("@monto 1.500 @cliente Juan @tubos 5", &grammar);
//! let deal = parsed.deal.unwrap();
//! assert_eq!((deal.amount.minor, deal.customer.as_str(), deal.units), (150_000, "Juan", Some(5)));
//!
//! let parsed = parse_deal("/venta monto=1500 tubos=5", &grammar);
//! assert_eq!(parsed.problems[0].message, "falta @cliente");
//!
//! let lima = DealGrammar::default().with_region(Region::Pe);
//! let parsed = parse_deal("valor: 1.500 cliente: Ana", &lima);
//! assert_eq!(parsed.problems[0].code, "ambiguous_amount");
//! assert_eq!(parsed.problems[0].message, "monto ambiguo: ¿1.5 o 1500?");
//! ```

mod error;
mod grammar;

pub use error::{DealError, DealProblem};
pub use grammar::{DealGrammar, DealGrammarConfig, FieldConfig};

use crate::money::{format_plain, parse_amount_with, Amount};
use crate::named_enum::named_enum;

named_enum!(
    /// The fields of a deal.
    DealFieldKind, "deal field", "amount, customer, units, product, note", {
        /// The sale's amount.
        Amount => "amount",
        /// Who bought.
        Customer => "customer",
        /// How many units (tubes, pieces) were sold.
        Units => "units",
        /// What was sold.
        Product => "product",
        /// Free text.
        Note => "note",
    }
);

named_enum!(
    /// How a tag was written.
    TagForm, "tag form", "at, colon, equals", {
        /// `@monto 1500`.
        At => "at",
        /// `monto: 1500`.
        Colon => "colon",
        /// `monto=1500`.
        Equals => "equals",
    }
);

/// One tag of a message and its value.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct DealField {
    /// The field the tag means.
    pub kind: DealFieldKind,
    /// The tag's name as written (`Valor`).
    pub tag: String,
    /// How the tag was written.
    pub form: TagForm,
    /// Byte offset of the tag (its `@`, or its name).
    pub tag_start: usize,
    /// Byte offset of the value.
    pub start: usize,
    /// Byte offset after the value.
    pub end: usize,
    /// The value, trimmed and without quotes.
    pub value: String,
}

/// A complete deal.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Deal {
    /// The amount sold.
    pub amount: Amount,
    /// The customer (empty when the grammar does not require one and none was given).
    pub customer: String,
    /// Units sold, when given.
    pub units: Option<u32>,
    /// The product, when given.
    pub product: Option<String>,
    /// A note, when given.
    pub note: Option<String>,
}

/// What [`parse_deal`] found: the tags, the deal when nothing is wrong, and the
/// problems otherwise.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct DealParse {
    /// Every tag, in order.
    pub fields: Vec<DealField>,
    /// The deal, when `problems` is empty.
    pub deal: Option<Deal>,
    /// What the seller must fix, in the grammar's language.
    pub problems: Vec<DealProblem>,
    /// The same problems, typed.
    #[serde(skip)]
    pub errors: Vec<DealError>,
}

impl DealParse {
    /// The deal, or what is wrong with the message.
    pub fn into_result(self) -> Result<Deal, Vec<DealError>> {
        self.deal.ok_or(self.errors)
    }
}

/// Reads a deal message with `grammar` (see the [module documentation](self)).
pub fn parse_deal(text: &str, grammar: &DealGrammar) -> DealParse {
    let fields = find_fields(text, grammar);
    let mut errors = Vec::new();
    let mut amount = None;
    let mut customer = None;
    let mut units = None;
    let mut product = None;
    let mut note = None;
    let mut seen = Vec::new();
    for field in &fields {
        if seen.contains(&field.kind) {
            errors.push(DealError::DuplicateField {
                field: field.kind,
                tag: field.tag.to_lowercase(),
                start: field.tag_start,
                end: field.start,
            });
            continue;
        }
        seen.push(field.kind);
        if field.value.is_empty() {
            errors.push(DealError::EmptyValue {
                field: field.kind,
                tag: field.tag.to_lowercase(),
                start: field.tag_start,
                end: field.end.max(field.tag_start),
            });
            continue;
        }
        match field.kind {
            DealFieldKind::Amount => match read_amount(text, field, grammar) {
                Ok(a) => amount = Some(a),
                Err(e) => errors.push(e),
            },
            DealFieldKind::Units => match read_units(field, grammar) {
                Some(n) => units = Some(n),
                None => errors.push(DealError::InvalidUnits {
                    tag: field.tag.to_lowercase(),
                    start: field.start,
                    end: field.end,
                }),
            },
            DealFieldKind::Customer => customer = Some(field.value.clone()),
            DealFieldKind::Product => product = Some(field.value.clone()),
            DealFieldKind::Note => note = Some(field.value.clone()),
        }
    }
    for kind in DealFieldKind::ALL {
        if grammar.is_required(*kind) && !seen.contains(kind) {
            errors.push(DealError::MissingField {
                field: *kind,
                tag: grammar.tag(*kind).to_owned(),
            });
        }
    }
    let deal = match (errors.is_empty(), amount) {
        (true, Some(amount)) => Some(Deal {
            amount,
            customer: customer.unwrap_or_default(),
            units,
            product,
            note,
        }),
        _ => None,
    };
    let problems = errors
        .iter()
        .map(|e| DealProblem::new(e, grammar.language()))
        .collect();
    DealParse {
        fields,
        deal,
        problems,
        errors,
    }
}

fn read_amount(text: &str, field: &DealField, grammar: &DealGrammar) -> Result<Amount, DealError> {
    let raw = &text[field.start..field.end];
    let mut amount = parse_amount_with(raw, grammar.region(), &grammar.options)
        .into_iter()
        .next()
        .ok_or_else(|| DealError::InvalidAmount {
            tag: field.tag.to_lowercase(),
            start: field.start,
            end: field.end,
        })?;
    amount.start += field.start;
    amount.end += field.start;
    if let (true, Some(alternative)) = (amount.ambiguous, amount.alternative_minor) {
        let region = grammar.region();
        return Err(DealError::AmbiguousAmount {
            reading: format_plain(amount.minor, amount.currency, region),
            alternative: format_plain(alternative, amount.currency, region),
            start: amount.start,
            end: amount.end,
        });
    }
    Ok(amount)
}

fn read_units(field: &DealField, grammar: &DealGrammar) -> Option<u32> {
    let first = field.value.split_whitespace().next()?;
    if first.bytes().all(|b| b.is_ascii_digit()) {
        return first.parse().ok();
    }
    let words = crate::money::words_number(&field.value, grammar.region().language())?;
    u32::try_from(words).ok()
}

/// Where a tag name may start: at the start, after a space or punctuation.
fn at_word_start(text: &str, i: usize) -> bool {
    !text[..i]
        .chars()
        .next_back()
        .is_some_and(|c| c.is_alphanumeric() || c == '_' || c == '@')
}

/// A tag found in the text, before its value is cut.
struct Tag {
    kind: DealFieldKind,
    name: (usize, usize),
    form: TagForm,
    tag_start: usize,
    value_start: usize,
}

fn find_tags(text: &str, grammar: &DealGrammar) -> Vec<Tag> {
    let mut tags = Vec::new();
    let mut i = 0;
    while i < text.len() {
        let c = text[i..].chars().next().unwrap_or(' ');
        let at = c == '@';
        let name_start = if at { i + 1 } else { i };
        if !(at || c.is_alphabetic()) || !at_word_start(text, i) {
            i += c.len_utf8();
            continue;
        }
        let name_len = text[name_start..]
            .find(|ch: char| !(ch.is_alphanumeric() || ch == '_'))
            .unwrap_or(text.len() - name_start);
        let name_end = name_start + name_len;
        let next = i + c.len_utf8().max(name_end - i);
        let Some(kind) = (name_len > 0)
            .then(|| grammar.field(&text[name_start..name_end]))
            .flatten()
        else {
            i = next;
            continue;
        };
        // `@monto 1500`, `@monto: 1500`, `monto: 1500`, `monto = 1500`.
        let after = &text[name_end..];
        let spaces = after.len() - after.trim_start_matches([' ', '\t']).len();
        let mark = after[spaces..].chars().next();
        let (form, value_start) = match mark {
            Some(':') => (
                if at { TagForm::At } else { TagForm::Colon },
                name_end + spaces + 1,
            ),
            Some('=') => (TagForm::Equals, name_end + spaces + 1),
            _ if at => (TagForm::At, name_end),
            _ => {
                i = next;
                continue;
            }
        };
        tags.push(Tag {
            kind,
            name: (name_start, name_end),
            form,
            tag_start: i,
            value_start,
        });
        i = value_start;
    }
    tags
}

fn find_fields(text: &str, grammar: &DealGrammar) -> Vec<DealField> {
    let tags = find_tags(text, grammar);
    tags.iter()
        .enumerate()
        .map(|(k, tag)| {
            let limit = tags.get(k + 1).map_or(text.len(), |t| t.tag_start);
            let (start, end) = value_span(text, tag, limit);
            let value = text[start..end]
                .trim_matches(|c: char| matches!(c, '"' | '“' | '”'))
                .trim()
                .to_owned();
            DealField {
                kind: tag.kind,
                tag: text[tag.name.0..tag.name.1].to_owned(),
                form: tag.form,
                tag_start: tag.tag_start,
                start,
                end,
                value,
            }
        })
        .collect()
}

/// The value's byte span: to the next tag or the line's end, or (for `name=`) one word
/// or a quoted text; trimmed of spaces and trailing punctuation.
fn value_span(text: &str, tag: &Tag, limit: usize) -> (usize, usize) {
    let region = &text[tag.value_start..limit];
    let lead = region.len() - region.trim_start_matches([' ', '\t']).len();
    let start = tag.value_start + lead;
    let rest = &text[start..limit];
    let len = if tag.form == TagForm::Equals {
        match rest.chars().next() {
            Some(q @ ('"' | '“')) => {
                let close = if q == '“' { '”' } else { '"' };
                let body = &rest[q.len_utf8()..];
                body.find(close)
                    .map_or(rest.len(), |e| q.len_utf8() + e + close.len_utf8())
            }
            _ => rest.find(char::is_whitespace).unwrap_or(rest.len()),
        }
    } else {
        rest.find(['\n', '\r']).unwrap_or(rest.len())
    };
    let value = rest[..len]
        .trim_end()
        .trim_end_matches([',', ';'])
        .trim_end();
    (start, start + value.len())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::money::{Currency, Region};

    #[test]
    fn the_three_forms_and_synonyms() {
        let g = DealGrammar::default();
        for text in [
            "@monto 1500 @cliente Juan Pérez @tubos 5",
            "valor: 1500\ncliente: Juan Pérez\ncantidad: 5",
            "/venta monto=1500 cliente=\"Juan Pérez\" tubos=5",
            "Venta! @Total $1.500, @nombre Juan Pérez, @unidades cinco",
        ] {
            let parsed = parse_deal(text, &g);
            assert!(
                parsed.problems.is_empty(),
                "{text:?}: {:?}",
                parsed.problems
            );
            let deal = parsed.deal.unwrap();
            assert_eq!(deal.amount.minor, 150_000, "{text:?}");
            assert_eq!(deal.amount.currency, Currency::Cop);
            assert_eq!(deal.customer, "Juan Pérez", "{text:?}");
            assert_eq!(deal.units, Some(5), "{text:?}");
        }
    }

    #[test]
    fn spans_point_at_values() {
        let text = "@monto 1500 @cliente Juan @tubos 5";
        let parsed = parse_deal(text, &DealGrammar::default());
        let spans: Vec<&str> = parsed
            .fields
            .iter()
            .map(|f| &text[f.start..f.end])
            .collect();
        assert_eq!(spans, ["1500", "Juan", "5"]);
        assert_eq!(parsed.fields[1].tag_start, 12);
        let deal = parsed.deal.unwrap();
        assert_eq!((deal.amount.text.as_str(), deal.amount.start), ("1500", 7));
    }

    #[test]
    fn problems_are_listed_in_order_then_missing() {
        let g = DealGrammar::default();
        let parsed = parse_deal("@monto abc @tubos muchos @tubos 3", &g);
        let codes: Vec<&str> = parsed.problems.iter().map(|p| p.code).collect();
        assert_eq!(
            codes,
            [
                "invalid_amount",
                "invalid_units",
                "duplicate_field",
                "missing_field"
            ]
        );
        assert!(parsed.deal.is_none());
        let parsed = parse_deal("@cliente @monto 10", &g);
        assert_eq!(parsed.problems[0].message, "@cliente está vacío");
        let pt = DealGrammar::from_toml("language = \"pt\"\nregion = \"BR\"").unwrap();
        let parsed = parse_deal("valor=1.500,50", &pt);
        assert_eq!(parsed.problems[0].message, "falta informar @cliente");
        assert!(parsed.deal.is_none());
    }

    #[test]
    fn emails_and_words_inside_text_are_not_tags() {
        let g = DealGrammar::default();
        let parsed = parse_deal("escribe a ventas@monto.co, el total fue bueno", &g);
        assert!(parsed.fields.is_empty(), "{:?}", parsed.fields);
        let parsed = parse_deal(
            "@monto 2 mil 500 @cliente Ana",
            &g.clone().with_region(Region::Mx),
        );
        assert_eq!(parsed.deal.unwrap().amount.minor, 250_000);
    }
}
