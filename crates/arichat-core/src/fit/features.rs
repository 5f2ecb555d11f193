//! Turning records into one-hot levels: quantile bins for numbers, categories with
//! rare ones pooled, and a level for missing values.

use std::borrow::Cow;
use std::collections::{BTreeSet, HashMap};

use crate::scoring::{FieldType, LeadRecord, Predicate, Range, Value};

/// The values of each field, column by column (one pass over the rows, no lookups).
pub(crate) fn columns<'a>(rows: &[&'a LeadRecord], names: &[String]) -> Vec<Vec<&'a Value>> {
    static NULL: Value = Value::Null;
    let mut cols: Vec<Vec<&Value>> = names
        .iter()
        .map(|_| Vec::with_capacity(rows.len()))
        .collect();
    for r in rows {
        // Both sides are in name order: merge.
        let mut it = r.iter().peekable();
        for (j, name) in names.iter().enumerate() {
            while it.peek().is_some_and(|(k, _)| *k < name.as_str()) {
                it.next();
            }
            match it.peek() {
                Some((k, v)) if *k == name.as_str() => cols[j].push(*v),
                _ => cols[j].push(&NULL),
            }
        }
    }
    cols
}

use super::FitConfig;

/// One level of a feature: the predicate that selects it and a readable label.
#[derive(Debug, Clone)]
pub(crate) struct Level {
    pub id: String,
    pub label: String,
    pub predicate: Predicate,
}

#[derive(Debug, Clone)]
enum Kind {
    /// Bin `k` holds `edges[k-1] <= x < edges[k]`.
    Numeric { edges: Vec<f64> },
    /// Kept categories by key, in key order.
    Categorical { kept: HashMap<String, usize> },
}

#[derive(Debug, Clone)]
pub(crate) struct Feature {
    pub field: String,
    pub field_type: Option<FieldType>,
    kind: Kind,
    /// Offset of the other/missing levels in `levels` (missing when present).
    other: Option<usize>,
    missing: Option<usize>,
    pub levels: Vec<Level>,
}

/// The canonical key of a present categorical value.
fn key(v: &Value) -> Option<Cow<'_, str>> {
    match v {
        Value::Null => None,
        Value::Number(n) if !n.is_finite() => None,
        Value::Text(s) if s.is_empty() => None,
        Value::Bool(b) => Some(Cow::Borrowed(if *b { "true" } else { "false" })),
        Value::Number(n) => Some(Cow::Owned(n.to_string())),
        Value::Text(s) => Some(Cow::Borrowed(s)),
    }
}

/// How often a category occurs, where first, and its first value.
type Count<'a> = (usize, usize, &'a Value);

/// Whether a value is present (the same rule as the scorecard's `exists`).
fn present(v: &Value) -> bool {
    match v {
        Value::Null => false,
        Value::Number(n) => n.is_finite(),
        Value::Text(s) => !s.is_empty(),
        Value::Bool(_) => true,
    }
}

fn fmt_num(x: f64) -> String {
    format!("{x}")
}

impl Feature {
    /// Learns the feature of `field` from training rows; `None` when it cannot tell
    /// rows apart (a single value everywhere).
    pub(crate) fn learn(field: &str, values: &[&Value], cfg: &FitConfig) -> Option<Feature> {
        let present: Vec<&Value> = values.iter().copied().filter(|v| present(v)).collect();
        let has_missing = present.len() < values.len();
        let numeric = !present.is_empty()
            && present
                .iter()
                .all(|v| !matches!(v, Value::Bool(_)) && v.as_f64().is_some());
        let mut levels = Vec::new();
        let kind;
        let mut other = None;
        let mut field_type = None;
        if numeric {
            let mut xs: Vec<f64> = present.iter().filter_map(|v| v.as_f64()).collect();
            xs.sort_by(f64::total_cmp);
            let bins = cfg.bins.max(2);
            let mut edges: Vec<f64> = Vec::new();
            for k in 1..bins {
                let e = xs[k * xs.len() / bins];
                if e > xs[0] && edges.last().is_none_or(|l| e > *l) {
                    edges.push(e);
                }
            }
            if edges.is_empty() && !has_missing {
                return None;
            }
            for k in 0..=edges.len() {
                let lo = k.checked_sub(1).map(|j| edges[j]);
                let hi = edges.get(k).copied();
                let label = match (lo, hi) {
                    (None, Some(h)) => format!("{field} < {}", fmt_num(h)),
                    (Some(l), None) => format!("{field} >= {}", fmt_num(l)),
                    (Some(l), Some(h)) => format!("{} <= {field} < {}", fmt_num(l), fmt_num(h)),
                    (None, None) => format!("{field} present"),
                };
                let predicate = if lo.is_none() && hi.is_none() {
                    Predicate::Exists(true)
                } else {
                    Predicate::Range(Range {
                        gte: lo,
                        lt: hi,
                        ..Range::default()
                    })
                };
                levels.push(Level {
                    id: format!("{field}:bin{k}"),
                    label,
                    predicate,
                });
            }
            field_type = Some(FieldType::Number);
            kind = Kind::Numeric { edges };
        } else {
            // Count categories; remember the first value seen for each key.
            let mut counts: HashMap<Cow<'_, str>, Count<'_>> = HashMap::new();
            for (i, v) in present.iter().enumerate() {
                if let Some(k) = key(v) {
                    counts.entry(k).or_insert((0, i, v)).0 += 1;
                }
            }
            let n = values.len() as f64;
            let threshold = cfg
                .min_category_count
                .max((cfg.min_category_fraction * n).ceil() as usize)
                .max(1);
            let mut frequent: Vec<(&Cow<'_, str>, &Count<'_>)> =
                counts.iter().filter(|(_, c)| c.0 >= threshold).collect();
            // Most frequent first, ties by key: deterministic.
            frequent.sort_by(|a, b| b.1 .0.cmp(&a.1 .0).then(a.0.cmp(b.0)));
            frequent.truncate(cfg.max_categories.max(1));
            let kept_set: BTreeSet<&Cow<'_, str>> = frequent.iter().map(|(k, _)| *k).collect();
            let has_other = counts.len() > kept_set.len();
            if kept_set.len() + usize::from(has_other) + usize::from(has_missing) < 2 {
                return None;
            }
            let mut kept = HashMap::new();
            let mut kept_values = Vec::new();
            for k in &kept_set {
                let value = counts[*k].2.clone();
                kept.insert(k.to_string(), levels.len());
                kept_values.push(value.clone());
                levels.push(Level {
                    id: format!("{field}:{k}"),
                    label: format!("{field} = {k}"),
                    predicate: Predicate::Equals(value),
                });
            }
            if has_other {
                other = Some(levels.len());
                levels.push(Level {
                    id: format!("{field}:other"),
                    label: format!("{field}: any other value"),
                    predicate: if kept_values.is_empty() {
                        Predicate::Exists(true)
                    } else {
                        Predicate::NoneOf(kept_values)
                    },
                });
            }
            if present.iter().all(|v| matches!(v, Value::Text(_))) {
                field_type = Some(FieldType::Text);
            } else if present.iter().all(|v| matches!(v, Value::Bool(_))) {
                field_type = Some(FieldType::Bool);
            }
            kind = Kind::Categorical { kept };
        }
        let missing = has_missing.then(|| {
            levels.push(Level {
                id: format!("{field}:missing"),
                label: format!("{field} missing"),
                predicate: Predicate::Exists(false),
            });
            levels.len() - 1
        });
        Some(Feature {
            field: field.to_owned(),
            field_type,
            kind,
            other,
            missing,
            levels,
        })
    }

    /// The level of a record's value, if any (a value of an unexpected kind has none).
    pub(crate) fn level_of(&self, v: &Value) -> Option<usize> {
        if !present(v) {
            return self.missing;
        }
        match &self.kind {
            Kind::Numeric { edges } => {
                if matches!(v, Value::Bool(_)) {
                    return None;
                }
                let x = v.as_f64()?;
                if edges.is_empty() {
                    return Some(0);
                }
                Some(edges.partition_point(|e| *e <= x))
            }
            Kind::Categorical { kept } => key(v)
                .and_then(|k| kept.get(k.as_ref()).copied())
                .or(self.other),
        }
    }
}
