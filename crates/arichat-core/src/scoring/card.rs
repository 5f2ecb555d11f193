//! The scorecard: rules, caps, thresholds, loading and row-by-row scoring.

use std::collections::{BTreeMap, HashSet};

use chrono::{DateTime, Utc};

use super::engagement::{EngagementEvent, EngagementRule, EventContext};
use super::error::ScorecardError;
use super::predicate::FitRule;
use super::record::{Cell, FieldType, LeadRecord};
use crate::named_enum::named_enum;
use crate::{CoreError, LifecycleStage};

named_enum!(
    /// A lead's grade, A (best) to D.
    #[cfg_attr(feature = "uniffi", derive(uniffi::Enum))]
    Grade, "grade", "a, b, c, d", {
        /// At or above the `a` threshold.
        A => "a",
        /// At or above `b`.
        B => "b",
        /// At or above `c`.
        C => "c",
        /// Below `c`.
        D => "d",
    }
);

/// Minimum totals for grades A, B and C (below `c` is D). `a ≥ b ≥ c`.
#[derive(Debug, Clone, Copy, PartialEq, serde::Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct GradeThresholds {
    /// Minimum total for A.
    pub a: f64,
    /// Minimum total for B.
    pub b: f64,
    /// Minimum total for C.
    pub c: f64,
}

impl Default for GradeThresholds {
    fn default() -> Self {
        GradeThresholds {
            a: 75.0,
            b: 50.0,
            c: 25.0,
        }
    }
}

impl GradeThresholds {
    /// The grade of a total (NaN is D).
    #[inline]
    pub fn grade(&self, total: f64) -> Grade {
        // Selects from the lowest grade up rather than an if-else chain: the same
        // answer, without a branch per threshold that mispredicts on unsorted totals.
        let g = if total >= self.c { Grade::C } else { Grade::D };
        let g = if total >= self.b { Grade::B } else { g };
        if total >= self.a {
            Grade::A
        } else {
            g
        }
    }
}

/// Minimum totals for the MQL and SQL stages (below `mql` is IQL). `sql ≥ mql`.
#[derive(Debug, Clone, Copy, PartialEq, serde::Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct StageThresholds {
    /// Minimum total for a marketing-qualified lead.
    pub mql: f64,
    /// Minimum total for a sales-qualified lead.
    pub sql: f64,
}

impl Default for StageThresholds {
    fn default() -> Self {
        StageThresholds {
            mql: 50.0,
            sql: 75.0,
        }
    }
}

impl StageThresholds {
    /// The stage of a total: IQL, MQL or SQL (NaN is IQL).
    #[inline]
    pub fn stage(&self, total: f64) -> LifecycleStage {
        // Selects, as in `GradeThresholds::grade`.
        let s = if total >= self.mql {
            LifecycleStage::Mql
        } else {
            LifecycleStage::Iql
        };
        if total >= self.sql {
            LifecycleStage::Sql
        } else {
            s
        }
    }
}

/// Bounds on the sum of the rules in a group (for example "at most 20 points from
/// job title rules"): `min <= 0 <= max`, so a group where nothing matched gives 0.
/// A group holds fit rules or engagement rules, not both.
#[derive(Debug, Clone, Copy, PartialEq, Default, serde::Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct GroupCap {
    /// Smallest sum (a floor for negative rules).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub min: Option<f64>,
    /// Largest sum.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max: Option<f64>,
}

impl GroupCap {
    #[inline]
    pub(crate) fn clamp(&self, x: f64) -> f64 {
        let x = self.max.map_or(x, |m| x.min(m));
        self.min.map_or(x, |m| x.max(m))
    }
}

/// How points map to odds, for scorecards fitted by [`crate::fit`]: a total of
/// `points_at_even_odds` means 1:1, and every `points_to_double_odds` more doubles
/// the odds. With it, [`ScoreResult::probability`] is filled in.
#[derive(Debug, Clone, Copy, PartialEq, serde::Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct OddsScale {
    /// The total at probability 0.5.
    pub points_at_even_odds: f64,
    /// Points that double the odds.
    pub points_to_double_odds: f64,
}

impl OddsScale {
    /// The probability of a total.
    ///
    /// ```
    /// use arichat_core::scoring::OddsScale;
    /// let s = OddsScale { points_at_even_odds: 50.0, points_to_double_odds: 10.0 };
    /// assert!((s.probability(50.0) - 0.5).abs() < 1e-12);
    /// assert!((s.probability(60.0) - 2.0 / 3.0).abs() < 1e-12);
    /// ```
    pub fn probability(&self, total: f64) -> f64 {
        let logit = (total - self.points_at_even_odds) * std::f64::consts::LN_2
            / self.points_to_double_odds;
        1.0 / (1.0 + (-logit).exp())
    }

    /// The total at probability `p` (0 < p < 1).
    pub fn points_at(&self, p: f64) -> f64 {
        self.points_at_even_odds
            + (p / (1.0 - p)).ln() * self.points_to_double_odds / std::f64::consts::LN_2
    }
}

named_enum!(
    /// What a [`Contribution`] is.
    #[cfg_attr(feature = "uniffi", derive(uniffi::Enum))]
    ContributionKind, "contribution kind", "base, fit, engagement, group_cap", {
        /// The scorecard's base points.
        Base => "base",
        /// A fit rule that matched.
        Fit => "fit",
        /// An engagement rule with at least one matching event.
        Engagement => "engagement",
        /// A group's cap taking points off (or adding up to its floor).
        GroupCap => "group_cap",
    }
);

/// One line of the explanation: a rule (or base or cap) and the points it gave.
/// The points of all contributions add up to the total.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct Contribution {
    /// The rule id (`base`, or the group name for a cap).
    pub rule: String,
    /// The rule's name, when it has one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// What it is.
    pub kind: ContributionKind,
    /// Points given (after the rule's own cap; group caps appear as their own line).
    pub points: f64,
    /// Matching events, for engagement rules.
    #[serde(default, skip_serializing_if = "is_zero")]
    pub events: u32,
}

fn is_zero(n: &u32) -> bool {
    *n == 0
}

/// The score of one lead with its explanation.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct ScoreResult {
    /// `fit + engagement`.
    pub total: f64,
    /// Base points plus fit rules.
    pub fit: f64,
    /// Engagement rules.
    pub engagement: f64,
    /// Grade of the total.
    pub grade: Grade,
    /// Lifecycle stage of the total (IQL, MQL or SQL).
    pub stage: LifecycleStage,
    /// Probability of the positive outcome, when the scorecard has an odds scale.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub probability: Option<f64>,
    /// Every rule that gave points, in scorecard order, then group caps.
    pub contributions: Vec<Contribution>,
}

/// A lead scorecard: fit rules over attributes, engagement rules over events, cap
/// groups, and thresholds for grades and stages. Loaded from TOML or JSON (the same
/// shape), checked on load.
///
/// ```
/// use arichat_core::scoring::{Grade, LeadRecord, Scorecard};
/// use arichat_core::LifecycleStage;
/// use chrono::{TimeZone, Utc};
///
/// let card = Scorecard::from_toml(r#"
///     base = 10
///     [fields]
///     employees = "number"
///     [[fit]]
///     id = "mid_size"
///     field = "employees"
///     range = { gte = 50, lt = 500 }
///     points = 40
///     [[fit]]
///     id = "gmail"
///     field = "email_domain"
///     equals = "gmail.com"
///     points = -5
///     [[engagement]]
///     id = "wrote"
///     event = "inbound_message"
///     points = 10
///     half_life_hours = 72
///     cap = 30
///     [grades]
///     a = 75
///     b = 50
///     c = 25
/// "#).unwrap();
/// let lead = LeadRecord::new().with("employees", 120).with("email_domain", "gmail.com");
/// let now = Utc.with_ymd_and_hms(2026, 1, 1, 0, 0, 0).unwrap();
/// let r = card.score(&lead, &[], now);
/// assert_eq!((r.fit, r.engagement, r.total), (45.0, 0.0, 45.0));
/// assert_eq!(r.grade, Grade::C);
/// assert_eq!(r.stage, LifecycleStage::Iql);
/// assert_eq!(r.contributions.len(), 3); // base, mid_size, gmail
/// ```
#[derive(Debug, Clone, PartialEq, Default, serde::Serialize, serde::Deserialize)]
#[serde(try_from = "RawScorecard")]
pub struct Scorecard {
    /// A name for people.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// Points every lead starts with (part of fit).
    #[serde(default)]
    pub base: f64,
    /// Declared field types: they check rules on load and parse CSV cells.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub fields: BTreeMap<String, FieldType>,
    /// Cap groups by name.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub groups: BTreeMap<String, GroupCap>,
    /// Grade thresholds.
    #[serde(default)]
    pub grades: GradeThresholds,
    /// Stage thresholds.
    #[serde(default)]
    pub stages: StageThresholds,
    /// Points-to-odds scale, for fitted scorecards.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub odds: Option<OddsScale>,
    /// Fit rules.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub fit: Vec<FitRule>,
    /// Engagement rules.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub engagement: Vec<EngagementRule>,
}

/// The file form: field types as plain names so an unknown one is a typed error.
#[derive(serde::Deserialize)]
#[serde(deny_unknown_fields)]
struct RawScorecard {
    #[serde(default)]
    name: Option<String>,
    #[serde(default)]
    base: f64,
    #[serde(default)]
    fields: BTreeMap<String, String>,
    #[serde(default)]
    groups: BTreeMap<String, GroupCap>,
    #[serde(default)]
    grades: GradeThresholds,
    #[serde(default)]
    stages: StageThresholds,
    #[serde(default)]
    odds: Option<OddsScale>,
    #[serde(default)]
    fit: Vec<FitRule>,
    #[serde(default)]
    engagement: Vec<EngagementRule>,
}

impl TryFrom<RawScorecard> for Scorecard {
    type Error = ScorecardError;

    fn try_from(r: RawScorecard) -> Result<Self, ScorecardError> {
        let mut fields = BTreeMap::new();
        for (field, ty) in r.fields {
            let t = ty
                .parse::<FieldType>()
                .map_err(|_| ScorecardError::UnknownFieldType {
                    field: field.clone(),
                    found: ty,
                })?;
            fields.insert(field, t);
        }
        let card = Scorecard {
            name: r.name,
            base: r.base,
            fields,
            groups: r.groups,
            grades: r.grades,
            stages: r.stages,
            odds: r.odds,
            fit: r.fit,
            engagement: r.engagement,
        };
        card.validate()?;
        Ok(card)
    }
}

impl Scorecard {
    /// Reads and checks a scorecard in TOML.
    ///
    /// # Errors
    /// [`CoreError::InvalidScorecard`] with the [`ScorecardError`] at fault.
    pub fn from_toml(text: &str) -> Result<Self, CoreError> {
        let raw: RawScorecard = toml::from_str(text).map_err(|e| ScorecardError::Parse {
            format: "toml",
            reason: e.to_string(),
        })?;
        Ok(Scorecard::try_from(raw)?)
    }

    /// Reads and checks a scorecard in JSON (same shape as TOML).
    ///
    /// # Errors
    /// [`CoreError::InvalidScorecard`] with the [`ScorecardError`] at fault.
    pub fn from_json(text: &str) -> Result<Self, CoreError> {
        let raw: RawScorecard = serde_json::from_str(text).map_err(|e| ScorecardError::Parse {
            format: "json",
            reason: e.to_string(),
        })?;
        Ok(Scorecard::try_from(raw)?)
    }

    /// Writes the scorecard as TOML.
    pub fn to_toml(&self) -> String {
        // Every value is a string, number, bool, table or array: serialization cannot
        // fail. NaN would only come from a scorecard never validated; write it anyway.
        toml::to_string(self).unwrap_or_else(|e| format!("# cannot write scorecard: {e}\n"))
    }

    /// Writes the scorecard as pretty JSON.
    pub fn to_json(&self) -> String {
        serde_json::to_string_pretty(self)
            .unwrap_or_else(|e| format!("{{\"error\":{:?}}}", e.to_string()))
    }

    /// Checks rule ids, predicates against declared field types, numbers, groups and
    /// thresholds. Loading runs it; call it after building a scorecard in code.
    ///
    /// # Errors
    /// The first [`ScorecardError`] found.
    pub fn validate(&self) -> Result<(), ScorecardError> {
        let finite = |x: f64| x.is_finite();
        if !finite(self.base) {
            return Err(ScorecardError::InvalidThresholds(
                "base must be a finite number".into(),
            ));
        }
        let mut ids = HashSet::new();
        let mut fit_groups = HashSet::new();
        let mut eng_groups = HashSet::new();
        for r in &self.fit {
            if r.id.is_empty() {
                return Err(ScorecardError::EmptyName("id"));
            }
            if r.field.is_empty() {
                return Err(ScorecardError::EmptyName("field"));
            }
            if !ids.insert(r.id.as_str()) {
                return Err(ScorecardError::DuplicateRuleId(r.id.clone()));
            }
            let invalid = |reason: String| ScorecardError::InvalidRule {
                rule: r.id.clone(),
                reason,
            };
            if !finite(r.points) {
                return Err(invalid("points must be a finite number".into()));
            }
            if let Some(p) = r.predicate.problem() {
                return Err(invalid(p));
            }
            if let Some(&ty) = self.fields.get(&r.field) {
                if !r.predicate.applies_to(ty) {
                    return Err(ScorecardError::TypeMismatch {
                        rule: r.id.clone(),
                        field: r.field.clone(),
                        predicate: r.predicate.name(),
                        field_type: ty,
                    });
                }
            }
            if let Some(g) = &r.group {
                fit_groups.insert(g.as_str());
            }
        }
        for r in &self.engagement {
            if r.id.is_empty() {
                return Err(ScorecardError::EmptyName("id"));
            }
            if !ids.insert(r.id.as_str()) {
                return Err(ScorecardError::DuplicateRuleId(r.id.clone()));
            }
            if let Some(reason) = r.problem() {
                return Err(ScorecardError::InvalidRule {
                    rule: r.id.clone(),
                    reason,
                });
            }
            if let Some(g) = &r.group {
                eng_groups.insert(g.as_str());
            }
        }
        if let Some(g) = fit_groups.intersection(&eng_groups).min() {
            return Err(ScorecardError::InvalidGroup {
                group: (*g).to_owned(),
                reason: "holds both fit and engagement rules".into(),
            });
        }
        for (name, g) in &self.groups {
            let bad = [g.min, g.max].into_iter().flatten().any(|x| !x.is_finite());
            if bad || g.min.is_some_and(|m| m > 0.0) || g.max.is_some_and(|m| m < 0.0) {
                return Err(ScorecardError::InvalidGroup {
                    group: name.clone(),
                    reason: "min and max must be finite with min <= 0 <= max".into(),
                });
            }
        }
        let GradeThresholds { a, b, c } = self.grades;
        if !([a, b, c].into_iter().all(finite) && a >= b && b >= c) {
            return Err(ScorecardError::InvalidThresholds(
                "grades need finite a >= b >= c".into(),
            ));
        }
        let StageThresholds { mql, sql } = self.stages;
        if !(finite(mql) && finite(sql) && sql >= mql) {
            return Err(ScorecardError::InvalidThresholds(
                "stages need finite sql >= mql".into(),
            ));
        }
        if let Some(o) = self.odds {
            if !(finite(o.points_at_even_odds)
                && finite(o.points_to_double_odds)
                && o.points_to_double_odds > 0.0)
            {
                return Err(ScorecardError::InvalidThresholds(
                    "odds need a finite points_at_even_odds and a positive points_to_double_odds"
                        .into(),
                ));
            }
        }
        Ok(())
    }

    /// The fields the fit rules read, in order of first use, each with the type a
    /// text cell (a CSV field) is read as: the declared one (`[fields]`), else the one
    /// its rules imply (`range` or numeric values: number; boolean values: bool), else
    /// text. Rules that disagree make the field text.
    ///
    /// ```
    /// use arichat_core::scoring::{FieldType, Scorecard};
    /// let card = Scorecard::from_toml(r#"
    ///     [fields]
    ///     zip = "text"
    ///     [[fit]]
    ///     id = "adult"
    ///     field = "age"
    ///     range = { gte = 18 }
    ///     points = 1
    ///     [[fit]]
    ///     id = "zip"
    ///     field = "zip"
    ///     equals = 5001
    ///     points = 1
    ///     [[fit]]
    ///     id = "plan"
    ///     field = "plan"
    ///     exists = true
    ///     points = 1
    /// "#).unwrap();
    /// assert_eq!(
    ///     card.fit_field_types(),
    ///     [("age", FieldType::Number), ("zip", FieldType::Text), ("plan", FieldType::Text)]
    /// );
    /// ```
    pub fn fit_field_types(&self) -> Vec<(&str, FieldType)> {
        let mut out: Vec<(&str, Option<FieldType>, bool)> = Vec::new();
        for r in &self.fit {
            let implied = r.predicate.implied_type();
            match out.iter_mut().find(|(f, _, _)| *f == r.field) {
                Some((_, t, conflict)) => match (*t, implied) {
                    (None, i) => *t = i,
                    (Some(a), Some(b)) if a != b => *conflict = true,
                    _ => {}
                },
                None => out.push((&r.field, implied, false)),
            }
        }
        out.into_iter()
            .map(|(f, implied, conflict)| {
                let t = match self.fields.get(f) {
                    Some(declared) => *declared,
                    None if conflict => FieldType::Text,
                    None => implied.unwrap_or(FieldType::Text),
                };
                (f, t)
            })
            .collect()
    }

    /// The fields this card's fit rules read that a table lacks (`has` says whether a
    /// column exists), in card order, with how many rules read them and, for each, a
    /// column of the table that differs only in case or separators (a likely
    /// misspelling). `None` when every field is there. Refusing such a table (or
    /// scoring it anyway, with every rule on a missing field seeing null) is the
    /// caller's choice; the CLI's `--allow-missing` and Python's `allow_missing=`
    /// both read this.
    ///
    /// ```
    /// use arichat_core::scoring::Scorecard;
    /// let card = Scorecard::from_toml(r#"
    /// [[fit]]
    /// id = "young"
    /// field = "age"
    /// range = { gte = 18, lt = 30 }
    /// points = 10
    /// [[fit]]
    /// id = "admin"
    /// field = "job_title"
    /// equals = "admin"
    /// points = 5
    /// "#).unwrap();
    /// let columns = ["age", "Job Title"];
    /// let absent = card.absent_fields(&columns).unwrap();
    /// assert_eq!(absent.fields, ["job_title"]);
    /// assert_eq!(absent.rules, 1);
    /// assert_eq!(absent.to_string(), r#"no column "job_title" (did you mean "Job Title"?); 1 of 2 rules read it"#);
    /// assert!(card.absent_fields(&["age", "job_title", "other"]).is_none());
    /// ```
    pub fn absent_fields<S: AsRef<str>>(&self, columns: &[S]) -> Option<AbsentFields> {
        let fold = |s: &str| -> String {
            s.chars()
                .filter(|c| !matches!(c, '_' | '-' | ' ' | '.'))
                .flat_map(char::to_lowercase)
                .collect()
        };
        let mut fields = Vec::new();
        let mut suggestions = Vec::new();
        for (field, _) in self.fit_field_types() {
            if columns.iter().any(|c| c.as_ref() == field) {
                continue;
            }
            let key = fold(field);
            suggestions.push(
                columns
                    .iter()
                    .map(AsRef::as_ref)
                    .find(|c| fold(c) == key)
                    .map(str::to_owned),
            );
            fields.push(field.to_owned());
        }
        if fields.is_empty() {
            return None;
        }
        let rules = self
            .fit
            .iter()
            .filter(|r| fields.contains(&r.field))
            .count();
        Some(AbsentFields {
            fields,
            suggestions,
            rules,
            of: self.fit.len(),
        })
    }

    /// Fit points of one record, with the contributions of matching rules appended to
    /// `out` when given (callers wanting the total alone pass `None`: no allocation).
    ///
    /// Order of addition (kept identical in [`Scorecard::score_batch`]): base, then
    /// ungrouped rules in file order, then each group (by name) clamped.
    pub(crate) fn fit_points(
        &self,
        record: &LeadRecord,
        out: Option<&mut Vec<Contribution>>,
    ) -> f64 {
        self.fit_points_of(|field| record.get(field).cell(), out)
    }

    /// [`Scorecard::fit_points`] with the cell of each field from `cell_of` (a record's
    /// value, or a row of columns for [`Scorecard::explain_batch`]).
    pub(crate) fn fit_points_of<'c>(
        &self,
        cell_of: impl Fn(&str) -> Cell<'c>,
        mut out: Option<&mut Vec<Contribution>>,
    ) -> f64 {
        let mut fit = self.base;
        if let (true, Some(out)) = (self.base != 0.0, out.as_deref_mut()) {
            out.push(Contribution {
                rule: "base".into(),
                name: None,
                kind: ContributionKind::Base,
                points: self.base,
                events: 0,
            });
        }
        let mut groups: BTreeMap<&str, f64> = BTreeMap::new();
        for r in &self.fit {
            if !r.predicate.matches_cell(cell_of(&r.field)) {
                continue;
            }
            if let Some(out) = out.as_deref_mut() {
                out.push(Contribution {
                    rule: r.id.clone(),
                    name: r.name.clone(),
                    kind: ContributionKind::Fit,
                    points: r.points,
                    events: 0,
                });
            }
            match &r.group {
                None => fit += r.points,
                Some(g) => *groups.entry(g).or_insert(0.0) += r.points,
            }
        }
        // Groups in name order, so the batch path adds in the same order.
        for (g, sum) in groups {
            let capped = self.groups.get(g).map_or(sum, |c| c.clamp(sum));
            fit += capped;
            if let Some(out) = out.as_deref_mut() {
                push_cap(out, g, capped - sum);
            }
        }
        fit
    }

    /// Scores one lead as of `now`: fit from the record, engagement from the events
    /// (events after `now` are ignored), grade and stage from the total, and the
    /// contribution of every rule that gave points.
    ///
    /// Never fails and never panics: a scorecard that was not validated just scores
    /// what its rules say.
    pub fn score(
        &self,
        record: &LeadRecord,
        events: &[EngagementEvent],
        now: DateTime<Utc>,
    ) -> ScoreResult {
        let mut contributions = Vec::new();
        let fit = self.fit_points(record, Some(&mut contributions));
        let mut engagement = 0.0;
        let mut groups: BTreeMap<&str, f64> = BTreeMap::new();
        if !self.engagement.is_empty() {
            let ctx = EventContext::new(events);
            for r in &self.engagement {
                let (points, n) = r.evaluate(&ctx, now);
                if n == 0 {
                    continue;
                }
                contributions.push(Contribution {
                    rule: r.id.clone(),
                    name: r.name.clone(),
                    kind: ContributionKind::Engagement,
                    points,
                    events: n,
                });
                match &r.group {
                    None => engagement += points,
                    Some(g) => *groups.entry(g).or_insert(0.0) += points,
                }
            }
        }
        for (g, sum) in groups {
            let capped = self.groups.get(g).map_or(sum, |c| c.clamp(sum));
            engagement += capped;
            push_cap(&mut contributions, g, capped - sum);
        }
        let total = fit + engagement;
        ScoreResult {
            total,
            fit,
            engagement,
            grade: self.grades.grade(total),
            stage: self.stages.stage(total),
            probability: self.odds.map(|o| o.probability(total)),
            contributions,
        }
    }
}

fn push_cap(out: &mut Vec<Contribution>, group: &str, delta: f64) {
    if delta != 0.0 {
        out.push(Contribution {
            rule: group.to_owned(),
            name: None,
            kind: ContributionKind::GroupCap,
            points: delta,
            events: 0,
        });
    }
}

/// What [`Scorecard::absent_fields`] found missing from a table. Its `Display` names
/// every field (with a likely misspelling) and the rules that read them, for an error
/// or a warning.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AbsentFields {
    /// The missing fields, in card order.
    pub fields: Vec<String>,
    /// Per field, a column of the table equal to it but for case and separators.
    pub suggestions: Vec<Option<String>>,
    /// Fit rules that read a missing field (they never fire on this table).
    pub rules: usize,
    /// Fit rules of the card.
    pub of: usize,
}

impl std::fmt::Display for AbsentFields {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("no column ")?;
        for (i, (field, hint)) in self.fields.iter().zip(&self.suggestions).enumerate() {
            if i > 0 {
                f.write_str(", ")?;
            }
            write!(f, "{field:?}")?;
            if let Some(h) = hint {
                write!(f, " (did you mean {h:?}?)")?;
            }
        }
        let them = if self.fields.len() == 1 { "it" } else { "them" };
        write!(f, "; {} of {} rules read {them}", self.rules, self.of)
    }
}
