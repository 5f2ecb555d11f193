//! Eligibility rules: a tree of `all` / `any` / `none` over leaves, read from the
//! bundle's JSON or TOML with the path of every bad node.

use chrono::{DateTime, Utc};
use serde_json::{json, Map, Value as Json};

use super::error::CampaignError;
use super::time::parse_date;
use crate::scoring::{Grade, Predicate, Range, Value};

/// An eligibility rule. In a bundle each node is a table with one kind of key:
///
/// | form | matches when |
/// |---|---|
/// | `{ all = [..] }` | every rule matches (an empty list always does) |
/// | `{ any = [..] }` | at least one rule matches (must not be empty) |
/// | `{ none = [..] }` | no rule matches |
/// | `{ field = "age", <tests> }` | every test on the field passes (see [`FieldTest`]) |
/// | `{ in_segment = "young_savers" }` | the named segment's rule matches |
/// | `{ grade = ["a", "b"] }` | the bundle's scorecard grades the customer so |
/// | `{ score = { gte = 70 } }` | the scorecard's total is in the range |
///
/// "Grade A leads not contacted in 7 days" is one rule:
///
/// ```toml
/// eligibility = { all = [
///     { grade = ["a"] },
///     { none = [{ field = "last_contact", within_days = 7 }] },
/// ] }
/// ```
#[derive(Debug, Clone, PartialEq)]
pub enum Rule {
    /// Every rule matches.
    All(Vec<Rule>),
    /// At least one rule matches.
    Any(Vec<Rule>),
    /// No rule matches.
    None(Vec<Rule>),
    /// Tests on one attribute.
    Field(FieldRule),
    /// A named segment of the bundle.
    InSegment(String),
    /// One of these grades from the bundle's scorecard.
    Grade(Vec<Grade>),
    /// The bundle's scorecard total lies in the range.
    Score(Range),
}

/// Tests on one attribute, all of which must pass.
#[derive(Debug, Clone, PartialEq)]
pub struct FieldRule {
    /// The attribute's name.
    pub field: String,
    /// The tests, in key order.
    pub tests: Vec<FieldTest>,
}

/// One test on an attribute, written as a key beside `field`.
///
/// A missing attribute (absent, null, empty text, NaN) passes only `exists = false`;
/// every other test fails on it, `ne` included (write `none = [{ field, eq }]` for
/// "missing or different").
///
/// Dates, in attributes and in rules, are text in RFC 3339 (`2026-11-30T08:00:00Z`,
/// `...-05:00`), `YYYY-MM-DD` (midnight UTC) or `YYYY-MM-DD HH:MM:SS` (UTC); an
/// attribute may also be a number of seconds since the Unix epoch. They compare as
/// whole seconds.
#[derive(Debug, Clone, PartialEq)]
pub enum FieldTest {
    /// A scorecard predicate, reused as is: `equals`, `one_of`, `none_of`, `range`,
    /// `exists`, `contains`, `starts_with`, `word` (see [`Predicate`]).
    Predicate(Predicate),
    /// `eq`, `ne`, `lt`, `lte`, `gt`, `gte` against a number, a date, text (`eq`/`ne`
    /// only) or a boolean (`eq`/`ne` only). A date operand compares the attribute as a
    /// date; a number operand as a number.
    Compare(Compare),
    /// The attribute is a date strictly before this one.
    Before(DateTime<Utc>),
    /// The attribute is a date strictly after this one.
    After(DateTime<Utc>),
    /// The attribute is a date in the `n` days up to `now` (`now - n days <= date <= now`).
    WithinDays(u32),
}

/// A comparison of an attribute with an operand.
#[derive(Debug, Clone, PartialEq)]
pub struct Compare {
    /// The operator.
    pub op: CompareOp,
    /// The operand.
    pub operand: Operand,
}

crate::named_enum::named_enum!(
    /// A comparison operator, by its key in a rule.
    CompareOp, "comparison", "eq, ne, lt, lte, gt, gte", {
        /// Equal.
        Eq => "eq",
        /// Present and not equal.
        Ne => "ne",
        /// Less than.
        Lt => "lt",
        /// Less than or equal.
        Lte => "lte",
        /// Greater than.
        Gt => "gt",
        /// Greater than or equal.
        Gte => "gte",
    }
);

/// The right-hand side of a comparison.
#[derive(Debug, Clone, PartialEq)]
pub enum Operand {
    /// A number.
    Number(f64),
    /// A date (text in the rule that reads as a date).
    Date(DateTime<Utc>),
    /// Text that is not a date.
    Text(String),
    /// A boolean.
    Bool(bool),
}

/// Keys of a field rule that hold a scorecard predicate.
const PREDICATE_KEYS: [&str; 8] = Predicate::NAMES;

/// Every key a rule node may have.
const RULE_KEYS: &str = "all, any, none, field, in_segment, grade, score";

impl Rule {
    /// Reads a rule from its JSON form; `path` prefixes every error's path.
    ///
    /// Checks the shape of every node; segment names and the scorecard are checked
    /// when a bundle is loaded.
    ///
    /// # Errors
    /// [`CampaignError::InvalidRule`] naming the node or key at fault.
    ///
    /// ```
    /// use arichat_core::campaign::Rule;
    /// let rule = Rule::from_json_value(&serde_json::json!({"any": [{"field": "age", "lt": 30}, {"oops": 1}]}), "r").unwrap_err();
    /// assert_eq!(rule.path(), Some("r.any[1].oops"));
    /// ```
    pub fn from_json_value(value: &Json, path: &str) -> Result<Rule, CampaignError> {
        let obj = value
            .as_object()
            .ok_or_else(|| CampaignError::rule(path, "a rule must be a table"))?;
        let list = |key: &str, v: &Json| -> Result<Vec<Rule>, CampaignError> {
            let p = format!("{path}.{key}");
            let items = v
                .as_array()
                .ok_or_else(|| CampaignError::rule(&p, "must be a list of rules"))?;
            items
                .iter()
                .enumerate()
                .map(|(i, item)| Rule::from_json_value(item, &format!("{p}[{i}]")))
                .collect()
        };
        if !obj.contains_key("field") {
            let mut keys = obj.iter();
            let (key, v) = match (keys.next(), keys.next()) {
                (Some(kv), None) => kv,
                (None, _) => {
                    return Err(CampaignError::rule(
                        path,
                        format!("an empty rule; expected one of {RULE_KEYS}"),
                    ))
                }
                (Some((a, _)), Some((b, _))) => {
                    let known = |k: &str| RULE_KEYS.split(", ").any(|r| r == k);
                    let bad = if known(a) { b } else { a };
                    let p = format!("{path}.{bad}");
                    return Err(if known(a) && known(b) {
                        CampaignError::rule(
                            path,
                            format!("a rule has one kind, not both {a} and {b}"),
                        )
                    } else if PREDICATE_KEYS.contains(&bad.as_str())
                        || CompareOp::from_key(bad).is_some()
                    {
                        CampaignError::rule(p, "a test needs a `field`")
                    } else {
                        CampaignError::rule(p, format!("unknown key; expected one of {RULE_KEYS}"))
                    });
                }
            };
            let p = format!("{path}.{key}");
            return match key.as_str() {
                "all" => Ok(Rule::All(list(key, v)?)),
                "any" => {
                    let rules = list(key, v)?;
                    if rules.is_empty() {
                        return Err(CampaignError::rule(p, "an empty `any` never matches"));
                    }
                    Ok(Rule::Any(rules))
                }
                "none" => Ok(Rule::None(list(key, v)?)),
                "in_segment" => match v.as_str() {
                    Some(s) if !s.trim().is_empty() => Ok(Rule::InSegment(s.to_owned())),
                    _ => Err(CampaignError::rule(p, "must be a segment name")),
                },
                "grade" => parse_grades(v, &p).map(Rule::Grade),
                "score" => {
                    let r: Range = serde_json::from_value(v.clone())
                        .map_err(|e| CampaignError::rule(&p, e.to_string()))?;
                    match r.problem() {
                        Some(reason) => Err(CampaignError::rule(p, reason)),
                        None => Ok(Rule::Score(r)),
                    }
                }
                k if PREDICATE_KEYS.contains(&k) || CompareOp::from_key(k).is_some() => {
                    Err(CampaignError::rule(p, "a test needs a `field`"))
                }
                _ => Err(CampaignError::rule(
                    p,
                    format!("unknown key; expected one of {RULE_KEYS}"),
                )),
            };
        }
        let field = match obj.get("field").and_then(Json::as_str) {
            Some(f) if !f.is_empty() => f.to_owned(),
            _ => {
                return Err(CampaignError::rule(
                    format!("{path}.field"),
                    "must be a non-empty attribute name",
                ))
            }
        };
        let mut tests = Vec::new();
        for (key, v) in obj.iter().filter(|(k, _)| *k != "field") {
            tests.push(parse_test(key, v, &format!("{path}.{key}"))?);
        }
        if tests.is_empty() {
            return Err(CampaignError::rule(
                path,
                "a field rule needs a test (equals, one_of, range, eq, lt, before, within_days, ...)",
            ));
        }
        Ok(Rule::Field(FieldRule { field, tests }))
    }

    /// The rule's JSON form (what [`Rule::from_json_value`] reads).
    pub fn to_json_value(&self) -> Json {
        let list = |rules: &[Rule]| Json::Array(rules.iter().map(Rule::to_json_value).collect());
        match self {
            Rule::All(r) => json!({ "all": list(r) }),
            Rule::Any(r) => json!({ "any": list(r) }),
            Rule::None(r) => json!({ "none": list(r) }),
            Rule::InSegment(s) => json!({ "in_segment": s }),
            Rule::Grade(g) => json!({ "grade": g }),
            Rule::Score(r) => json!({ "score": r }),
            Rule::Field(f) => {
                let mut m = Map::new();
                m.insert("field".into(), Json::String(f.field.clone()));
                for t in &f.tests {
                    let (key, value) = t.to_json();
                    m.insert(key.into(), value);
                }
                Json::Object(m)
            }
        }
    }

    /// Calls `f` on every node, depth first, with its path below `path`.
    pub(crate) fn walk<'a>(&'a self, path: &str, f: &mut impl FnMut(&'a Rule, &str)) {
        f(self, path);
        let (key, children) = match self {
            Rule::All(c) => ("all", c),
            Rule::Any(c) => ("any", c),
            Rule::None(c) => ("none", c),
            _ => return,
        };
        for (i, c) in children.iter().enumerate() {
            c.walk(&format!("{path}.{key}[{i}]"), f);
        }
    }
}

impl CompareOp {
    fn from_key(key: &str) -> Option<CompareOp> {
        key.parse().ok()
    }
}

impl FieldTest {
    /// Its key in a rule.
    pub fn key(&self) -> &'static str {
        match self {
            FieldTest::Predicate(p) => p.name(),
            FieldTest::Compare(c) => c.op.as_str(),
            FieldTest::Before(_) => "before",
            FieldTest::After(_) => "after",
            FieldTest::WithinDays(_) => "within_days",
        }
    }

    fn to_json(&self) -> (&'static str, Json) {
        let date = |d: &DateTime<Utc>| {
            Json::String(d.to_rfc3339_opts(chrono::SecondsFormat::AutoSi, true))
        };
        let value = match self {
            FieldTest::Predicate(p) => match serde_json::to_value(p) {
                Ok(Json::Object(m)) => m.into_iter().next().map_or(Json::Null, |(_, v)| v),
                _ => Json::Null,
            },
            FieldTest::Compare(c) => match &c.operand {
                Operand::Number(n) => serde_json::to_value(Value::Number(*n)).unwrap_or(Json::Null),
                Operand::Date(d) => date(d),
                Operand::Text(t) => Json::String(t.clone()),
                Operand::Bool(b) => Json::Bool(*b),
            },
            FieldTest::Before(d) | FieldTest::After(d) => date(d),
            FieldTest::WithinDays(n) => json!(n),
        };
        (self.key(), value)
    }
}

fn parse_test(key: &str, v: &Json, path: &str) -> Result<FieldTest, CampaignError> {
    let bad = |reason: &str| CampaignError::rule(path, reason);
    if PREDICATE_KEYS.contains(&key) {
        let p: Predicate = serde_json::from_value(json!({ key: v }))
            .map_err(|e| CampaignError::rule(path, e.to_string()))?;
        return match p.problem() {
            Some(reason) => Err(CampaignError::rule(path, reason)),
            None => Ok(FieldTest::Predicate(p)),
        };
    }
    if let Some(op) = CompareOp::from_key(key) {
        let operand = match v {
            Json::Number(n) => n.as_f64().filter(|n| n.is_finite()).map(Operand::Number),
            Json::String(s) => {
                Some(date_value(v).map_or_else(|| Operand::Text(s.clone()), Operand::Date))
            }
            Json::Bool(b) => Some(Operand::Bool(*b)),
            Json::Object(_) => date_value(v).map(Operand::Date),
            _ => None,
        }
        .ok_or_else(|| bad("must be a number, a date, text or a boolean"))?;
        let ordered = !matches!(op, CompareOp::Eq | CompareOp::Ne);
        if ordered && matches!(operand, Operand::Text(_) | Operand::Bool(_)) {
            return Err(bad("lt, lte, gt and gte compare numbers or dates"));
        }
        return Ok(FieldTest::Compare(Compare { op, operand }));
    }
    match key {
        "before" | "after" => {
            let d = date_value(v).ok_or_else(|| {
                bad("must be a date (YYYY-MM-DD, RFC 3339, or YYYY-MM-DD HH:MM:SS)")
            })?;
            Ok(if key == "before" {
                FieldTest::Before(d)
            } else {
                FieldTest::After(d)
            })
        }
        "within_days" => v
            .as_u64()
            .and_then(|n| u32::try_from(n).ok())
            .map(FieldTest::WithinDays)
            .ok_or_else(|| bad("must be a whole number of days")),
        _ => Err(bad(
            "unknown key; a field rule takes equals, one_of, none_of, range, exists, contains, starts_with, word, eq, ne, lt, lte, gt, gte, before, after, within_days",
        )),
    }
}

/// A date from a JSON string, or from the map the TOML reader makes of an unquoted
/// TOML date-time.
pub(crate) fn date_value(v: &Json) -> Option<DateTime<Utc>> {
    match v {
        Json::String(s) => parse_date(s),
        Json::Object(m) if m.len() == 1 => m
            .get("$__toml_private_datetime")
            .and_then(Json::as_str)
            .and_then(parse_date),
        _ => None,
    }
}

fn parse_grades(v: &Json, path: &str) -> Result<Vec<Grade>, CampaignError> {
    let items: Vec<&Json> = match v {
        Json::Array(a) if !a.is_empty() => a.iter().collect(),
        Json::String(_) => vec![v],
        _ => {
            return Err(CampaignError::rule(
                path,
                "must be a grade or a list of grades (a, b, c, d)",
            ))
        }
    };
    items
        .into_iter()
        .enumerate()
        .map(|(i, g)| {
            g.as_str()
                .and_then(|s| s.to_ascii_lowercase().parse::<Grade>().ok())
                .ok_or_else(|| {
                    CampaignError::rule(format!("{path}[{i}]"), "must be one of a, b, c, d")
                })
        })
        .collect()
}

impl serde::Serialize for Rule {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        self.to_json_value().serialize(s)
    }
}

impl<'de> serde::Deserialize<'de> for Rule {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let v = Json::deserialize(d)?;
        Rule::from_json_value(&v, "rule").map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn err_path(v: Json) -> String {
        Rule::from_json_value(&v, "e")
            .unwrap_err()
            .path()
            .unwrap()
            .to_owned()
    }

    #[test]
    fn rules_round_trip_through_json() {
        let v = json!({"all": [
            {"grade": ["a"]},
            {"none": [{"field": "last_contact", "within_days": 7}]},
            {"any": [{"field": "age", "gte": 25, "lt": 45}, {"in_segment": "young"}]},
            {"field": "job", "one_of": ["admin.", "technician"]},
            {"field": "opened", "after": "2026-01-01T00:00:00Z", "ne": "2026-02-01T00:00:00Z"},
            {"field": "vip", "eq": true},
            {"score": {"gte": 70.5}},
        ]});
        let rule = Rule::from_json_value(&v, "e").unwrap();
        assert_eq!(rule.to_json_value(), v);
        let Rule::All(items) = &rule else { panic!() };
        assert_eq!(
            items[5],
            Rule::Field(FieldRule {
                field: "vip".into(),
                tests: vec![FieldTest::Compare(Compare {
                    op: CompareOp::Eq,
                    operand: Operand::Bool(true)
                })],
            })
        );
    }

    #[test]
    fn every_bad_node_is_named_by_its_path() {
        assert_eq!(
            err_path(json!({"all": [{"field": "a", "eq": 1}, {"any": []}]})),
            "e.all[1].any"
        );
        assert_eq!(
            err_path(json!({"all": [{"field": "a", "lt": "x"}]})),
            "e.all[0].lt"
        );
        assert_eq!(
            err_path(json!({"all": [{"field": "a", "between": 1}]})),
            "e.all[0].between"
        );
        assert_eq!(err_path(json!({"none": [{"gte": 1}]})), "e.none[0].gte");
        assert_eq!(
            err_path(json!({"any": [{"grade": ["e"]}]})),
            "e.any[0].grade[0]"
        );
        assert_eq!(
            err_path(json!({"all": [{"in_segment": ""}]})),
            "e.all[0].in_segment"
        );
        assert_eq!(
            err_path(json!({"all": [{"field": "a", "range": {"gte": 5, "lt": 1}}]})),
            "e.all[0].range"
        );
        assert_eq!(err_path(json!({"all": [], "any": []})), "e");
        assert_eq!(err_path(json!({"field": "a"})), "e");
        assert_eq!(err_path(json!({"field": "", "eq": 1})), "e.field");
        assert_eq!(err_path(json!([1])), "e");
        assert_eq!(
            err_path(json!({"all": [{"field": "d", "before": "tomorrow"}]})),
            "e.all[0].before"
        );
    }

    #[test]
    fn grades_ignore_case_and_accept_one_name() {
        let r = Rule::from_json_value(&json!({"grade": "A"}), "e").unwrap();
        assert_eq!(r, Rule::Grade(vec![Grade::A]));
    }
}
