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

/// Training rows in a level and the positives among them.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub(crate) struct Stat {
    pub n: f64,
    pub pos: f64,
}

impl Stat {
    /// Positive rate with half a row of each class added (never 0 or 1).
    pub(crate) fn rate(self) -> f64 {
        (self.pos + 0.5) / (self.n + 1.0)
    }

    fn add(self, o: Stat) -> Stat {
        Stat {
            n: self.n + o.n,
            pos: self.pos + o.pos,
        }
    }
}

#[derive(Debug, Clone)]
enum Kind {
    /// Bin `k` holds `edges[k-1] <= x < edges[k]`.
    Numeric { edges: Vec<f64> },
    /// Kept categories (key, first value seen) in key order; `pooled`: an "other"
    /// level holds every other present value.
    Categorical {
        kept: Vec<(String, Value)>,
        pooled: bool,
    },
}

#[derive(Debug, Clone)]
pub(crate) struct Feature {
    pub field: String,
    pub field_type: Option<FieldType>,
    kind: Kind,
    has_missing: bool,
    /// Level of each kept category by key.
    index: HashMap<String, usize>,
    /// Offset of the other/missing levels in `levels` (missing when present).
    other: Option<usize>,
    missing: Option<usize>,
    pub levels: Vec<Level>,
    /// Per level, on the rows the feature was learnt from.
    pub stats: Vec<Stat>,
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

/// Why [`Feature::learn`] found nothing to learn.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Unlearnt {
    /// One present value (or none) and no missing rows.
    Constant,
    /// More than one value, but at most one bin or category with the minimum support.
    NearlyConstant,
}

impl Feature {
    /// Learns the feature of `field` from training rows: quantile bins or categories,
    /// with bins and the "other" pool under `support` rows merged into a neighbour.
    pub(crate) fn learn(
        field: &str,
        values: &[&Value],
        labels: &[bool],
        cfg: &FitConfig,
    ) -> Result<Feature, Unlearnt> {
        let present: Vec<&Value> = values.iter().copied().filter(|v| present(v)).collect();
        let has_missing = present.len() < values.len();
        let numeric = !present.is_empty()
            && present
                .iter()
                .all(|v| !matches!(v, Value::Bool(_)) && v.as_f64().is_some());
        let support = cfg.support(values.len());
        let mut feature = if numeric {
            let mut xs: Vec<f64> = present.iter().filter_map(|v| v.as_f64()).collect();
            xs.sort_by(f64::total_cmp);
            if xs[0] == xs[xs.len() - 1] && !has_missing {
                return Err(Unlearnt::Constant);
            }
            let bins = cfg.bins.max(2);
            let mut edges: Vec<f64> = Vec::new();
            for k in 1..bins {
                let e = xs[k * xs.len() / bins];
                if e > xs[0] && edges.last().is_none_or(|l| e > *l) {
                    edges.push(e);
                }
            }
            Feature::build(
                field,
                Kind::Numeric { edges },
                has_missing,
                Some(FieldType::Number),
            )
        } else {
            // Count categories; remember the first value seen for each key.
            let mut counts: HashMap<Cow<'_, str>, Count<'_>> = HashMap::new();
            for (i, v) in present.iter().enumerate() {
                if let Some(k) = key(v) {
                    counts.entry(k).or_insert((0, i, v)).0 += 1;
                }
            }
            if counts.len() <= 1 && !has_missing {
                return Err(Unlearnt::Constant);
            }
            let mut frequent: Vec<(&Cow<'_, str>, &Count<'_>)> =
                counts.iter().filter(|(_, c)| c.0 >= support).collect();
            // Most frequent first, ties by key: deterministic.
            frequent.sort_by(|a, b| b.1 .0.cmp(&a.1 .0).then(a.0.cmp(b.0)));
            frequent.truncate(cfg.max_categories.max(1));
            let kept_set: BTreeSet<&Cow<'_, str>> = frequent.iter().map(|(k, _)| *k).collect();
            let pooled = counts.len() > kept_set.len();
            let kept = kept_set
                .iter()
                .map(|k| (k.to_string(), counts[*k].2.clone()))
                .collect();
            let field_type = if present.iter().all(|v| matches!(v, Value::Text(_))) {
                Some(FieldType::Text)
            } else if present.iter().all(|v| matches!(v, Value::Bool(_))) {
                Some(FieldType::Bool)
            } else {
                None
            };
            Feature::build(
                field,
                Kind::Categorical { kept, pooled },
                has_missing,
                field_type,
            )
        };
        feature.count(values, labels);
        feature.enforce_support(support);
        if feature.levels.len() < 2 {
            return Err(Unlearnt::NearlyConstant);
        }
        Ok(feature)
    }

    /// The levels of `kind` (statistics left empty).
    fn build(field: &str, kind: Kind, has_missing: bool, field_type: Option<FieldType>) -> Feature {
        let mut levels = Vec::new();
        let mut index = HashMap::new();
        let mut other = None;
        match &kind {
            Kind::Numeric { edges } => {
                for k in 0..=edges.len() {
                    let lo = k.checked_sub(1).map(|j| edges[j]);
                    let hi = edges.get(k).copied();
                    let label = match (lo, hi) {
                        (None, Some(h)) => format!("{field} < {}", fmt_num(h)),
                        (Some(l), None) => format!("{field} >= {}", fmt_num(l)),
                        (Some(l), Some(h)) => {
                            format!("{} <= {field} < {}", fmt_num(l), fmt_num(h))
                        }
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
            }
            Kind::Categorical { kept, pooled } => {
                for (k, value) in kept {
                    index.insert(k.clone(), levels.len());
                    levels.push(Level {
                        id: format!("{field}:{k}"),
                        label: format!("{field} = {k}"),
                        predicate: Predicate::Equals(value.clone()),
                    });
                }
                if *pooled {
                    other = Some(levels.len());
                    levels.push(Level {
                        id: format!("{field}:other"),
                        label: format!("{field}: any other value"),
                        predicate: if kept.is_empty() {
                            Predicate::Exists(true)
                        } else {
                            Predicate::NoneOf(kept.iter().map(|(_, v)| v.clone()).collect())
                        },
                    });
                }
            }
        }
        let missing = has_missing.then(|| {
            levels.push(Level {
                id: format!("{field}:missing"),
                label: format!("{field} missing"),
                predicate: Predicate::Exists(false),
            });
            levels.len() - 1
        });
        Feature {
            field: field.to_owned(),
            field_type,
            kind,
            has_missing,
            index,
            other,
            missing,
            stats: vec![Stat::default(); levels.len()],
            levels,
        }
    }

    /// Counts rows and positives per level.
    fn count(&mut self, values: &[&Value], labels: &[bool]) {
        let mut stats = vec![Stat::default(); self.levels.len()];
        for (v, &y) in values.iter().zip(labels) {
            if let Some(l) = self.level_of(v) {
                stats[l].n += 1.0;
                stats[l].pos += f64::from(u8::from(y));
            }
        }
        self.stats = stats;
    }

    /// Rebuilds the levels of a new kind, carrying the statistics over (`stats` given
    /// per level of the new kind).
    fn rebuild(&mut self, kind: Kind, stats: Vec<Stat>) {
        let mut f = Feature::build(&self.field, kind, self.has_missing, self.field_type);
        f.stats = stats;
        *self = f;
    }

    /// Whether this is a numeric feature (its bins are ordered).
    pub(crate) fn is_numeric(&self) -> bool {
        matches!(self.kind, Kind::Numeric { .. })
    }

    /// Levels that can be merged with a neighbour (bins) or pooled (categories): all
    /// but the missing level.
    pub(crate) fn ordered(&self) -> usize {
        self.levels.len() - usize::from(self.missing.is_some())
    }

    /// The "other" level of a categorical feature, if it has one.
    pub(crate) fn other_level(&self) -> Option<usize> {
        self.other
    }

    /// Numeric: merges bin `k` with bin `k + 1`.
    pub(crate) fn merge_bins(&mut self, k: usize) {
        let Kind::Numeric { edges } = &self.kind else {
            return;
        };
        let mut edges = edges.clone();
        edges.remove(k);
        let mut stats = self.stats.clone();
        stats[k] = stats[k].add(stats[k + 1]);
        stats.remove(k + 1);
        self.rebuild(Kind::Numeric { edges }, stats);
    }

    /// Numeric: merges runs of bins, `groups[k]` being the run of bin `k`
    /// (non-decreasing, from 0).
    pub(crate) fn merge_runs(&mut self, groups: &[usize]) {
        for k in (0..groups.len().saturating_sub(1)).rev() {
            if groups[k] == groups[k + 1] {
                self.merge_bins(k);
            }
        }
    }

    /// Categorical: pools the kept categories `cats` (level indices) into "other".
    pub(crate) fn pool(&mut self, cats: &[usize]) {
        let Kind::Categorical { kept, .. } = &self.kind else {
            return;
        };
        let mut pooled_stat = self.other.map(|o| self.stats[o]).unwrap_or_default();
        let mut new_kept = Vec::new();
        let mut stats = Vec::new();
        for (i, kv) in kept.iter().enumerate() {
            if cats.contains(&i) {
                pooled_stat = pooled_stat.add(self.stats[i]);
            } else {
                new_kept.push(kv.clone());
                stats.push(self.stats[i]);
            }
        }
        stats.push(pooled_stat);
        if let Some(m) = self.missing {
            stats.push(self.stats[m]);
        }
        self.rebuild(
            Kind::Categorical {
                kept: new_kept,
                pooled: true,
            },
            stats,
        );
    }

    /// Merges bins, and pools categories into "other", until every bin and the
    /// "other" pool has `support` rows (or one is left): a small bin joins the
    /// neighbour whose positive rate is closest, a small pool takes the category whose
    /// rate is closest to its own.
    fn enforce_support(&mut self, support: usize) {
        let support = support as f64;
        loop {
            match &self.kind {
                Kind::Numeric { .. } => {
                    let bins = self.ordered();
                    let small = (0..bins)
                        .filter(|&k| self.stats[k].n < support)
                        .min_by(|&a, &b| self.stats[a].n.total_cmp(&self.stats[b].n));
                    let (Some(k), true) = (small, bins > 1) else {
                        return;
                    };
                    let rate = self.stats[k].rate();
                    let gap = |j: usize| (self.stats[j].rate() - rate).abs();
                    let left = if k == 0 {
                        false
                    } else {
                        k + 1 == bins || gap(k - 1) <= gap(k + 1)
                    };
                    self.merge_bins(if left { k - 1 } else { k });
                }
                Kind::Categorical { kept, .. } => {
                    let Some(o) = self.other else { return };
                    if self.stats[o].n >= support || kept.is_empty() {
                        return;
                    }
                    let rate = self.stats[o].rate();
                    let closest = (0..kept.len())
                        .min_by(|&a, &b| {
                            let ga = (self.stats[a].rate() - rate).abs();
                            let gb = (self.stats[b].rate() - rate).abs();
                            ga.total_cmp(&gb)
                        })
                        .unwrap_or(0);
                    self.pool(&[closest]);
                }
            }
        }
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
            Kind::Categorical { .. } => key(v)
                .and_then(|k| self.index.get(k.as_ref()).copied())
                .or(self.other),
        }
    }
}
