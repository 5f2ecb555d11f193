//! Fit rules: a predicate on one field, and the points it gives.

use super::record::{Cell, FieldType, Value};

/// A numeric interval. Each end is optional and either inclusive (`gte`, `lte`) or
/// exclusive (`gt`, `lt`); at most one of each pair is set, and at least one end.
///
/// ```
/// use arichat_core::scoring::Range;
/// let r = Range { gte: Some(18.0), lt: Some(30.0), ..Range::default() };
/// assert!(r.contains(18.0) && r.contains(29.9) && !r.contains(30.0));
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Default, serde::Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Range {
    /// Lower bound, inclusive.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub gte: Option<f64>,
    /// Lower bound, exclusive.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub gt: Option<f64>,
    /// Upper bound, inclusive.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub lte: Option<f64>,
    /// Upper bound, exclusive.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub lt: Option<f64>,
}

impl Range {
    /// Whether `x` lies inside. NaN never does.
    #[inline]
    pub fn contains(&self, x: f64) -> bool {
        self.gte.is_none_or(|b| x >= b)
            && self.gt.is_none_or(|b| x > b)
            && self.lte.is_none_or(|b| x <= b)
            && self.lt.is_none_or(|b| x < b)
            && !x.is_nan()
    }

    /// Why the range is malformed, if it is.
    pub(crate) fn problem(&self) -> Option<String> {
        let ends = [self.gte, self.gt, self.lte, self.lt];
        if ends.iter().all(Option::is_none) {
            return Some("range needs at least one of gte, gt, lte, lt".into());
        }
        if ends.iter().flatten().any(|b| !b.is_finite()) {
            return Some("range bounds must be finite numbers".into());
        }
        if self.gte.is_some() && self.gt.is_some() {
            return Some("range has both gte and gt".into());
        }
        if self.lte.is_some() && self.lt.is_some() {
            return Some("range has both lte and lt".into());
        }
        let lo = self.gte.or(self.gt);
        let hi = self.lte.or(self.lt);
        if let (Some(lo), Some(hi)) = (lo, hi) {
            let both_inclusive = self.gte.is_some() && self.lte.is_some();
            if lo > hi || (lo == hi && !both_inclusive) {
                return Some(format!("range is empty (lower {lo}, upper {hi})"));
            }
        }
        None
    }
}

/// What a fit rule tests on its field. Serialized as one key of the rule:
/// `equals = "gold"`, `one_of = [..]`, `none_of = [..]`, `range = { gte = 18 }`,
/// `exists = true`, `contains = ".."`, `starts_with = ".."`, `word = ".."`.
///
/// Comparisons between a number and text parse the text as a number ("05" equals
/// 5). Text matches (`contains`, `starts_with`, `word`) ignore case. A missing value
/// (null, empty text, NaN) matches only `exists = false`.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Predicate {
    /// The value equals this one.
    Equals(Value),
    /// The value equals one of these.
    OneOf(Vec<Value>),
    /// The value is present and equals none of these (the "other" bucket).
    NoneOf(Vec<Value>),
    /// The value is a number inside the range.
    Range(Range),
    /// The value is present (`true`) or missing (`false`).
    Exists(bool),
    /// The text contains this, ignoring case.
    Contains(String),
    /// The text starts with this, ignoring case.
    StartsWith(String),
    /// The text contains this as a whole word (or words), ignoring case.
    Word(String),
}

impl Predicate {
    /// Every predicate's key in a scorecard file, as [`Predicate::name`] gives them
    /// (campaign rules read the same keys in a field rule).
    ///
    /// ```
    /// use arichat_core::scoring::Predicate;
    /// assert!(Predicate::NAMES.contains(&Predicate::Word("visa".into()).name()));
    /// ```
    pub const NAMES: [&'static str; 8] = [
        "equals",
        "one_of",
        "none_of",
        "range",
        "exists",
        "contains",
        "starts_with",
        "word",
    ];

    /// Its key in a scorecard file.
    pub fn name(&self) -> &'static str {
        match self {
            Predicate::Equals(_) => "equals",
            Predicate::OneOf(_) => "one_of",
            Predicate::NoneOf(_) => "none_of",
            Predicate::Range(_) => "range",
            Predicate::Exists(_) => "exists",
            Predicate::Contains(_) => "contains",
            Predicate::StartsWith(_) => "starts_with",
            Predicate::Word(_) => "word",
        }
    }

    /// The type of field the predicate asks for, when it asks for one: `range` a
    /// number, text matches text, values their own type (mixed: text); `exists` none.
    pub(crate) fn implied_type(&self) -> Option<FieldType> {
        let of_values = |vs: &[Value]| {
            let each = |v: &Value| match v {
                Value::Number(_) => FieldType::Number,
                Value::Bool(_) => FieldType::Bool,
                _ => FieldType::Text,
            };
            let first = each(vs.first()?);
            Some(if vs.iter().all(|v| each(v) == first) {
                first
            } else {
                FieldType::Text
            })
        };
        match self {
            Predicate::Range(_) => Some(FieldType::Number),
            Predicate::Contains(_) | Predicate::StartsWith(_) | Predicate::Word(_) => {
                Some(FieldType::Text)
            }
            Predicate::Equals(v) => of_values(std::slice::from_ref(v)),
            Predicate::OneOf(vs) | Predicate::NoneOf(vs) => of_values(vs),
            Predicate::Exists(_) => None,
        }
    }

    /// Whether the predicate can match a field of this declared type.
    pub(crate) fn applies_to(&self, ty: FieldType) -> bool {
        match self {
            Predicate::Range(_) => ty == FieldType::Number,
            Predicate::Contains(_) | Predicate::StartsWith(_) | Predicate::Word(_) => {
                ty == FieldType::Text
            }
            Predicate::Equals(v) => value_fits(v, ty),
            Predicate::OneOf(vs) | Predicate::NoneOf(vs) => vs.iter().all(|v| value_fits(v, ty)),
            Predicate::Exists(_) => true,
        }
    }

    /// Why the predicate is malformed, if it is.
    pub(crate) fn problem(&self) -> Option<String> {
        match self {
            Predicate::Range(r) => r.problem(),
            Predicate::Equals(v) if v.cell() == Cell::Null => {
                Some("equals needs a value; use exists = false for missing".into())
            }
            Predicate::OneOf(vs) | Predicate::NoneOf(vs) if vs.is_empty() => {
                Some(format!("{} needs at least one value", self.name()))
            }
            Predicate::OneOf(vs) | Predicate::NoneOf(vs)
                if vs.iter().any(|v| v.cell() == Cell::Null) =>
            {
                Some(format!("{} values must not be null or empty", self.name()))
            }
            Predicate::Contains(s) | Predicate::StartsWith(s) | Predicate::Word(s)
                if s.trim().is_empty() =>
            {
                Some(format!("{} needs non-empty text", self.name()))
            }
            _ => None,
        }
    }

    /// Prepares the predicate for evaluation (lowercases needles once).
    pub(crate) fn compile(&self) -> Matcher<'_> {
        match self {
            Predicate::Equals(v) => Matcher::OneOf(vec![v.cell()], false),
            Predicate::OneOf(vs) => Matcher::OneOf(vs.iter().map(Value::cell).collect(), false),
            Predicate::NoneOf(vs) => Matcher::OneOf(vs.iter().map(Value::cell).collect(), true),
            Predicate::Range(r) => Matcher::Range(*r),
            Predicate::Exists(b) => Matcher::Exists(*b),
            Predicate::Contains(s) => Matcher::Text(TextOp::Contains, s.to_lowercase()),
            Predicate::StartsWith(s) => Matcher::Text(TextOp::StartsWith, s.to_lowercase()),
            Predicate::Word(s) => Matcher::Text(TextOp::Word, s.to_lowercase()),
        }
    }

    /// Whether a value satisfies the predicate.
    ///
    /// ```
    /// use arichat_core::scoring::{Predicate, Value};
    /// let p = Predicate::Word("sa".into());
    /// assert!(p.matches(&Value::Text("Acme SA de CV".into())));
    /// assert!(!p.matches(&Value::Text("Samsung".into())));
    /// assert!(Predicate::Equals(Value::Number(5.0)).matches(&Value::Text("05".into())));
    /// ```
    pub fn matches(&self, value: &Value) -> bool {
        self.matches_cell(value.cell())
    }

    /// [`Predicate::matches`] on a borrowed cell without compiling: no allocation
    /// unless a text needle is not ASCII. For callers that evaluate each predicate
    /// once per row (campaign rules), where [`Predicate::compile`] would allocate.
    #[inline]
    pub(crate) fn matches_cell(&self, cell: Cell<'_>) -> bool {
        match self {
            Predicate::Equals(v) => cell != Cell::Null && cells_equal(cell, v.cell()),
            Predicate::OneOf(vs) => {
                cell != Cell::Null && vs.iter().any(|v| cells_equal(cell, v.cell()))
            }
            Predicate::NoneOf(vs) => {
                cell != Cell::Null && !vs.iter().any(|v| cells_equal(cell, v.cell()))
            }
            Predicate::Range(r) => cell.number_value().is_some_and(|x| r.contains(x)),
            Predicate::Exists(b) => (cell != Cell::Null) == *b,
            Predicate::Contains(s) | Predicate::StartsWith(s) | Predicate::Word(s) => {
                let Cell::Text(hay) = cell else { return false };
                let op = match self {
                    Predicate::Contains(_) => TextOp::Contains,
                    Predicate::StartsWith(_) => TextOp::StartsWith,
                    _ => TextOp::Word,
                };
                if s.is_ascii() && !s.bytes().any(|b| b.is_ascii_uppercase()) {
                    // Already lowercase: the needle `text_matches` wants, without a copy.
                    text_matches(op, hay, s)
                } else {
                    text_matches(op, hay, &s.to_lowercase())
                }
            }
        }
    }
}

fn value_fits(v: &Value, ty: FieldType) -> bool {
    match (v, ty) {
        (Value::Number(_), FieldType::Number | FieldType::Text) => true,
        (Value::Text(s), FieldType::Number) => super::record::parse_number(s.trim()).is_some(),
        (Value::Text(_), FieldType::Text) => true,
        (Value::Bool(_), FieldType::Bool) => true,
        (Value::Null, _) => true,
        _ => false,
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum TextOp {
    Contains,
    StartsWith,
    Word,
}

/// A compiled predicate.
#[derive(Debug, Clone)]
pub(crate) enum Matcher<'a> {
    /// Equal to one of the cells; `true` negates (present and none equal).
    OneOf(Vec<Cell<'a>>, bool),
    Range(Range),
    Exists(bool),
    Text(TextOp, String),
}

impl Matcher<'_> {
    #[inline]
    pub(crate) fn matches(&self, cell: Cell<'_>) -> bool {
        match self {
            Matcher::OneOf(options, negate) => {
                if cell == Cell::Null {
                    return false;
                }
                options.iter().any(|o| cells_equal(cell, *o)) != *negate
            }
            Matcher::Range(r) => cell.number_value().is_some_and(|x| r.contains(x)),
            Matcher::Exists(b) => (cell != Cell::Null) == *b,
            Matcher::Text(op, needle) => match cell {
                Cell::Text(s) => text_matches(*op, s, needle),
                _ => false,
            },
        }
    }
}

/// Equality of two present cells; number against text parses the text.
#[inline]
pub(crate) fn cells_equal(a: Cell<'_>, b: Cell<'_>) -> bool {
    match (a, b) {
        (Cell::Number(x), Cell::Number(y)) => x == y,
        (Cell::Text(x), Cell::Text(y)) => x == y,
        (Cell::Bool(x), Cell::Bool(y)) => x == y,
        (Cell::Number(x), Cell::Text(t)) | (Cell::Text(t), Cell::Number(x)) => {
            super::record::parse_number(t.trim()) == Some(x)
        }
        _ => false,
    }
}

fn text_matches(op: TextOp, hay: &str, needle_lower: &str) -> bool {
    if hay.is_ascii() && needle_lower.is_ascii() {
        return ascii_text_matches(op, hay.as_bytes(), needle_lower.as_bytes());
    }
    let hay = hay.to_lowercase();
    match op {
        TextOp::Contains => hay.contains(needle_lower),
        TextOp::StartsWith => hay.starts_with(needle_lower),
        TextOp::Word => {
            let is_word = |c: char| c.is_alphanumeric();
            // Every occurrence, overlapping ones included.
            hay.char_indices().any(|(i, _)| {
                hay[i..].starts_with(needle_lower) && {
                    let before = hay[..i].chars().next_back();
                    let after = hay[i + needle_lower.len()..].chars().next();
                    !before.is_some_and(is_word) && !after.is_some_and(is_word)
                }
            })
        }
    }
}

/// [`text_matches`] without allocating, for ASCII text (the common case): the same
/// answers, since ASCII lowercasing is Unicode lowercasing there.
fn ascii_text_matches(op: TextOp, hay: &[u8], needle: &[u8]) -> bool {
    let n = needle.len();
    if n == 0 {
        return match op {
            TextOp::Contains | TextOp::StartsWith => true,
            TextOp::Word => hay.is_empty() || !hay.iter().all(u8::is_ascii_alphanumeric),
        };
    }
    match op {
        TextOp::StartsWith => hay.len() >= n && hay[..n].eq_ignore_ascii_case(needle),
        TextOp::Contains => hay.windows(n).any(|w| w.eq_ignore_ascii_case(needle)),
        TextOp::Word => hay.windows(n).enumerate().any(|(i, w)| {
            w.eq_ignore_ascii_case(needle)
                && !(i > 0 && hay[i - 1].is_ascii_alphanumeric())
                && !hay.get(i + n).is_some_and(u8::is_ascii_alphanumeric)
        }),
    }
}

/// A rule on a lead's attributes: when `field` satisfies the predicate, the lead
/// gets `points` (negative allowed).
///
/// In a scorecard file:
///
/// ```toml
/// [[fit]]
/// id = "age_prime"
/// field = "age"
/// range = { gte = 25, lt = 45 }
/// points = 10
/// group = "age"        # optional: the group's cap applies to the sum of its rules
/// ```
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
#[serde(try_from = "RawFitRule")]
pub struct FitRule {
    /// Unique id within the scorecard (shown in explanations).
    pub id: String,
    /// Human description.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// The field tested.
    pub field: String,
    /// The test.
    #[serde(flatten)]
    pub predicate: Predicate,
    /// Points given when it matches.
    pub points: f64,
    /// The cap group it belongs to.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub group: Option<String>,
}

/// The file form of a fit rule: the predicate is whichever one key is present.
#[derive(serde::Deserialize)]
#[serde(deny_unknown_fields)]
struct RawFitRule {
    id: String,
    #[serde(default)]
    name: Option<String>,
    field: String,
    points: f64,
    #[serde(default)]
    group: Option<String>,
    #[serde(default)]
    equals: Option<Value>,
    #[serde(default)]
    one_of: Option<Vec<Value>>,
    #[serde(default)]
    none_of: Option<Vec<Value>>,
    #[serde(default)]
    range: Option<Range>,
    #[serde(default)]
    exists: Option<bool>,
    #[serde(default)]
    contains: Option<String>,
    #[serde(default)]
    starts_with: Option<String>,
    #[serde(default)]
    word: Option<String>,
}

impl TryFrom<RawFitRule> for FitRule {
    type Error = String;

    fn try_from(r: RawFitRule) -> Result<Self, String> {
        let found: Vec<Predicate> = [
            r.equals.map(Predicate::Equals),
            r.one_of.map(Predicate::OneOf),
            r.none_of.map(Predicate::NoneOf),
            r.range.map(Predicate::Range),
            r.exists.map(Predicate::Exists),
            r.contains.map(Predicate::Contains),
            r.starts_with.map(Predicate::StartsWith),
            r.word.map(Predicate::Word),
        ]
        .into_iter()
        .flatten()
        .collect();
        let mut found = found.into_iter();
        match (found.next(), found.next()) {
            (Some(predicate), None) => Ok(FitRule {
                id: r.id,
                name: r.name,
                field: r.field,
                predicate,
                points: r.points,
                group: r.group,
            }),
            (None, _) => Err(format!(
                "fit rule {:?} needs one of equals, one_of, none_of, range, exists, contains, starts_with, word",
                r.id
            )),
            (Some(a), Some(b)) => Err(format!(
                "fit rule {:?} has more than one predicate ({} and {})",
                r.id,
                a.name(),
                b.name()
            )),
        }
    }
}

impl FitRule {
    /// A rule without name or group.
    pub fn new(
        id: impl Into<String>,
        field: impl Into<String>,
        predicate: Predicate,
        points: f64,
    ) -> Self {
        FitRule {
            id: id.into(),
            name: None,
            field: field.into(),
            predicate,
            points,
            group: None,
        }
    }

    /// Puts the rule in a cap group.
    pub fn in_group(mut self, group: impl Into<String>) -> Self {
        self.group = Some(group.into());
        self
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_list_every_predicate_once() {
        let every = [
            Predicate::Equals(Value::Bool(true)),
            Predicate::OneOf(vec![]),
            Predicate::NoneOf(vec![]),
            Predicate::Range(Range::default()),
            Predicate::Exists(true),
            Predicate::Contains(String::new()),
            Predicate::StartsWith(String::new()),
            Predicate::Word(String::new()),
        ];
        let names: Vec<&str> = every.iter().map(Predicate::name).collect();
        assert_eq!(names, Predicate::NAMES);
    }

    fn t(s: &str) -> Value {
        Value::Text(s.into())
    }

    #[test]
    fn predicates_match_as_documented() {
        let one = Predicate::OneOf(vec![t("gold"), t("silver")]);
        assert!(one.matches(&t("gold")) && !one.matches(&t("Gold")) && !one.matches(&Value::Null));
        let none = Predicate::NoneOf(vec![t("gold")]);
        assert!(
            none.matches(&t("bronze")) && !none.matches(&t("gold")) && !none.matches(&Value::Null)
        );
        assert!(Predicate::Exists(false).matches(&Value::Null));
        assert!(Predicate::Exists(false).matches(&t("")));
        assert!(Predicate::Exists(true).matches(&Value::Bool(false)));
        assert!(Predicate::Contains("PRO".into()).matches(&t("Enterprise pro plan")));
        assert!(Predicate::StartsWith("ceo".into()).matches(&t("CEO & founder")));
        assert!(Predicate::Word("gerente general".into()).matches(&t("Soy gerente general.")));
        assert!(!Predicate::Word("gerente".into()).matches(&t("subgerente")));
        let r = Predicate::Range(Range {
            gt: Some(1.0),
            lte: Some(2.0),
            ..Range::default()
        });
        assert!(!r.matches(&Value::Number(1.0)) && r.matches(&Value::Number(2.0)));
        assert!(r.matches(&t("1.5")) && !r.matches(&Value::Bool(true)));
        assert!(!r.matches(&Value::Number(f64::NAN)));
        assert!(Predicate::Equals(Value::Bool(true)).matches(&Value::Bool(true)));
        assert!(!Predicate::Equals(Value::Bool(true)).matches(&t("true")));
    }

    proptest::proptest! {
        #[test]
        fn ascii_fast_path_agrees(hay in "[a-cA-C .-]{0,12}", needle in "[a-c .]{1,3}") {
            for op in [TextOp::Contains, TextOp::StartsWith, TextOp::Word] {
                let slow = {
                    let h = hay.to_lowercase();
                    match op {
                        TextOp::Contains => h.contains(&needle),
                        TextOp::StartsWith => h.starts_with(&needle),
                        TextOp::Word => (0..=h.len()).any(|i| {
                            h[i..].starts_with(needle.as_str())
                                && !h[..i].chars().next_back().is_some_and(char::is_alphanumeric)
                                && !h[i + needle.len()..].chars().next().is_some_and(char::is_alphanumeric)
                        }),
                    }
                };
                proptest::prop_assert_eq!(text_matches(op, &hay, &needle), slow);
            }
        }
    }

    #[test]
    fn malformed_ranges_are_reported() {
        let bad = [
            Range::default(),
            Range {
                gte: Some(1.0),
                gt: Some(1.0),
                ..Range::default()
            },
            Range {
                lte: Some(1.0),
                lt: Some(1.0),
                ..Range::default()
            },
            Range {
                gte: Some(2.0),
                lte: Some(1.0),
                ..Range::default()
            },
            Range {
                gte: Some(1.0),
                lt: Some(1.0),
                ..Range::default()
            },
            Range {
                gte: Some(f64::INFINITY),
                ..Range::default()
            },
        ];
        for r in bad {
            assert!(r.problem().is_some(), "{r:?}");
        }
        assert!(Range {
            gte: Some(1.0),
            lte: Some(1.0),
            ..Range::default()
        }
        .problem()
        .is_none());
    }
}
