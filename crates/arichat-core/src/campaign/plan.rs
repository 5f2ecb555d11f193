//! The compiled form of a bundle: rules with attribute names interned, segment names
//! resolved, dates as seconds and every path written once, so that evaluating a
//! customer allocates nothing.

use std::collections::{BTreeMap, HashMap};

use super::definition::Campaign;
use super::rule::{Compare, CompareOp, FieldTest, Operand, Rule};
use super::split::Ranges;
use super::time::cell_seconds;
use crate::scoring::{Cell, Predicate, Range, Scorecard};

/// What a compiled rule reads from one customer.
pub(crate) trait Row {
    /// The attribute with interned index `field` and name `name`.
    fn cell(&self, field: usize, name: &str) -> Cell<'_>;
    /// The scorecard total (only asked when the bundle has a scorecard).
    fn score_total(&self) -> f64;
}

/// A compiled rule node; `path` indexes [`Plan::paths`].
#[derive(Debug, Clone)]
pub(crate) enum Node {
    All(Box<[Node]>, u32),
    Any(Box<[Node]>, u32),
    None(Box<[Node]>, u32),
    Field {
        field: usize,
        name: Box<str>,
        tests: Box<[(Test, u32)]>,
        path: u32,
    },
    Segment(usize, u32),
    Grade(u8, u32),
    Score(Range, u32),
}

#[derive(Debug, Clone)]
pub(crate) enum Test {
    Predicate(Predicate),
    Compare(CompareOp, Operand),
    /// Date strictly before, in seconds.
    Before(i64),
    /// Date strictly after, in seconds.
    After(i64),
    /// Date within this many seconds up to now.
    Within(i64),
}

/// One campaign, ready to evaluate.
#[derive(Debug, Clone)]
pub(crate) struct CampaignPlan {
    pub rule: Option<Node>,
    pub start: Option<i64>,
    pub end: Option<i64>,
    pub ranges: Ranges,
    pub seed: String,
    pub group: Option<usize>,
    pub fallback: bool,
}

/// A bundle compiled for evaluation.
#[derive(Debug, Clone, Default)]
pub(crate) struct Plan {
    /// Interned attribute names.
    pub fields: Vec<String>,
    /// Every rule path, interned; index 0 is the empty path of "no rule".
    pub paths: Vec<String>,
    /// Segment rules by index (name order).
    pub segments: Vec<Node>,
    pub campaigns: Vec<CampaignPlan>,
    /// Evaluation order: campaigns by priority (highest first, ties in file order),
    /// fallbacks last.
    pub order: Vec<usize>,
    /// Number of exclusion groups.
    pub groups: usize,
    /// Every campaign start and end, in seconds, sorted: when assignments can change.
    pub boundaries: Vec<i64>,
}

struct Compiler<'a> {
    plan: Plan,
    field_ids: HashMap<String, usize>,
    segment_ids: HashMap<&'a str, usize>,
}

impl Compiler<'_> {
    fn path(&mut self, p: String) -> u32 {
        self.plan.paths.push(p);
        (self.plan.paths.len() - 1) as u32
    }

    fn node(&mut self, rule: &Rule, path: &str) -> Node {
        let list = |this: &mut Self, key: &str, rules: &[Rule]| -> Box<[Node]> {
            rules
                .iter()
                .enumerate()
                .map(|(i, r)| this.node(r, &format!("{path}.{key}[{i}]")))
                .collect()
        };
        match rule {
            Rule::All(r) => {
                let children = list(self, "all", r);
                Node::All(children, self.path(path.to_owned()))
            }
            Rule::Any(r) => {
                let children = list(self, "any", r);
                Node::Any(children, self.path(path.to_owned()))
            }
            Rule::None(r) => {
                let children = list(self, "none", r);
                Node::None(children, self.path(path.to_owned()))
            }
            Rule::InSegment(name) => {
                // Checked on load: the segment exists.
                let idx = self.segment_ids.get(name.as_str()).copied().unwrap_or(0);
                Node::Segment(idx, self.path(format!("{path}.in_segment")))
            }
            Rule::Grade(grades) => {
                let mask = grades.iter().fold(0u8, |m, g| m | 1 << g.index());
                Node::Grade(mask, self.path(format!("{path}.grade")))
            }
            Rule::Score(range) => Node::Score(*range, self.path(format!("{path}.score"))),
            Rule::Field(f) => {
                let next = self.field_ids.len();
                let field = *self.field_ids.entry(f.field.clone()).or_insert(next);
                if field == next {
                    self.plan.fields.push(f.field.clone());
                }
                let tests = f
                    .tests
                    .iter()
                    .map(|t| {
                        let id = self.path(format!("{path}.{}", t.key()));
                        let test = match t {
                            FieldTest::Predicate(p) => Test::Predicate(p.clone()),
                            FieldTest::Compare(Compare { op, operand }) => {
                                Test::Compare(*op, operand.clone())
                            }
                            FieldTest::Before(d) => Test::Before(d.timestamp()),
                            FieldTest::After(d) => Test::After(d.timestamp()),
                            FieldTest::WithinDays(n) => Test::Within(i64::from(*n) * 86_400),
                        };
                        (test, id)
                    })
                    .collect();
                Node::Field {
                    field,
                    name: f.field.as_str().into(),
                    tests,
                    path: self.path(path.to_owned()),
                }
            }
        }
    }
}

impl Plan {
    /// Compiles a checked bundle's segments and campaigns (segments exist, no cycles);
    /// `seed` is the bundle's, `ranges` are the campaigns' checked splits.
    pub(crate) fn compile(
        segments: &BTreeMap<String, Rule>,
        campaigns: &[Campaign],
        seed: Option<&str>,
        ranges: Vec<Ranges>,
    ) -> Plan {
        let mut c = Compiler {
            plan: Plan {
                paths: vec![String::new()],
                ..Plan::default()
            },
            field_ids: HashMap::new(),
            segment_ids: segments
                .keys()
                .enumerate()
                .map(|(i, k)| (k.as_str(), i))
                .collect(),
        };
        for (name, rule) in segments {
            let node = c.node(rule, &format!("segments.{name}"));
            c.plan.segments.push(node);
        }
        let mut groups: HashMap<&str, usize> = HashMap::new();
        for (campaign, ranges) in campaigns.iter().zip(ranges) {
            let rule = campaign
                .eligibility
                .as_ref()
                .map(|r| c.node(r, "eligibility"));
            let group = campaign.exclusion_group.as_deref().map(|g| {
                let n = groups.len();
                *groups.entry(g).or_insert(n)
            });
            let seed = campaign
                .seed
                .clone()
                .or_else(|| seed.map(str::to_owned))
                .unwrap_or_else(|| campaign.id.to_string());
            c.plan.campaigns.push(CampaignPlan {
                rule,
                start: campaign.start.map(|d| d.timestamp()),
                end: campaign.end.map(|d| d.timestamp()),
                ranges,
                seed,
                group,
                fallback: campaign.fallback,
            });
            c.plan.boundaries.extend(
                campaign
                    .start
                    .iter()
                    .chain(&campaign.end)
                    .map(|d| d.timestamp()),
            );
        }
        let mut plan = c.plan;
        plan.groups = groups.len();
        plan.boundaries.sort_unstable();
        plan.boundaries.dedup();
        let mut order: Vec<usize> = (0..campaigns.len()).collect();
        order.sort_by_key(|&i| {
            let camp = &campaigns[i];
            (camp.fallback, std::cmp::Reverse(camp.priority), i)
        });
        plan.order = order;
        plan
    }

    /// Whether `node` matches, and the path that decided it: when it matches, the node
    /// that made it match (the `all` itself, the alternative of an `any` that matched,
    /// a field leaf); when not, the first test that failed (`...all[1].gte`), the
    /// child of a `none` that matched, or the `any` itself when no alternative did.
    /// `in_segment`, `grade` and `score` leaves are named with their key either way.
    pub(crate) fn eval(
        &self,
        node: &Node,
        row: &impl Row,
        now: i64,
        card: Option<&Scorecard>,
    ) -> (bool, u32) {
        match node {
            Node::All(children, path) => {
                for c in children.iter() {
                    let (ok, p) = self.eval(c, row, now, card);
                    if !ok {
                        return (false, p);
                    }
                }
                (true, *path)
            }
            Node::Any(children, path) => {
                for c in children.iter() {
                    let (ok, p) = self.eval(c, row, now, card);
                    if ok {
                        return (true, p);
                    }
                }
                (false, *path)
            }
            Node::None(children, path) => {
                for c in children.iter() {
                    let (ok, p) = self.eval(c, row, now, card);
                    if ok {
                        return (false, p);
                    }
                }
                (true, *path)
            }
            Node::Segment(idx, path) => match self.segments.get(*idx) {
                Some(seg) => {
                    let (ok, p) = self.eval(seg, row, now, card);
                    (ok, if ok { *path } else { p })
                }
                None => (false, *path),
            },
            Node::Grade(mask, path) => {
                let ok = card
                    .is_some_and(|c| mask & (1 << c.grades.grade(row.score_total()).index()) != 0);
                (ok, *path)
            }
            Node::Score(range, path) => {
                (card.is_some() && range.contains(row.score_total()), *path)
            }
            Node::Field {
                field,
                name,
                tests,
                path,
            } => {
                let cell = row.cell(*field, name);
                for (test, test_path) in tests.iter() {
                    if !test.passes(cell, now) {
                        return (false, *test_path);
                    }
                }
                (true, *path)
            }
        }
    }

    /// The first campaign boundary strictly after `now`.
    pub(crate) fn next_boundary(&self, now: i64) -> Option<i64> {
        let i = self.boundaries.partition_point(|&b| b <= now);
        self.boundaries.get(i).copied()
    }
}

impl Test {
    #[inline]
    fn passes(&self, cell: Cell<'_>, now: i64) -> bool {
        match self {
            Test::Predicate(p) => p.matches_cell(cell),
            Test::Before(d) => cell_seconds(cell).is_some_and(|s| s < *d),
            Test::After(d) => cell_seconds(cell).is_some_and(|s| s > *d),
            Test::Within(secs) => cell_seconds(cell).is_some_and(|s| s <= now && s >= now - secs),
            Test::Compare(op, operand) => compare(*op, operand, cell),
        }
    }
}

fn compare(op: CompareOp, operand: &Operand, cell: Cell<'_>) -> bool {
    use std::cmp::Ordering;
    let ordering: Option<Ordering> = match operand {
        Operand::Number(n) => cell.number_value().and_then(|x| x.partial_cmp(n)),
        Operand::Date(d) => cell_seconds(cell).map(|s| s.cmp(&d.timestamp())),
        Operand::Text(t) => match cell {
            Cell::Null => None,
            c if crate::scoring::cells_equal(c, Cell::Text(t)) => Some(Ordering::Equal),
            _ => Some(Ordering::Less),
        },
        Operand::Bool(b) => match cell {
            Cell::Bool(x) => Some(if x == *b {
                Ordering::Equal
            } else {
                Ordering::Less
            }),
            Cell::Null => None,
            _ => Some(Ordering::Less),
        },
    };
    // A missing value (or one that is not a number or date) fails every comparison.
    let Some(o) = ordering else { return false };
    match op {
        CompareOp::Eq => o == Ordering::Equal,
        CompareOp::Ne => o != Ordering::Equal,
        CompareOp::Lt => o == Ordering::Less,
        CompareOp::Lte => o != Ordering::Greater,
        CompareOp::Gt => o == Ordering::Greater,
        CompareOp::Gte => o != Ordering::Less,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scoring::Value;

    #[test]
    fn comparisons_follow_the_documented_rules() {
        let n = |x: f64| Operand::Number(x);
        assert!(compare(CompareOp::Gte, &n(30.0), Cell::Number(30.0)));
        assert!(compare(CompareOp::Lt, &n(30.0), Cell::Text(" 29 ")));
        assert!(!compare(CompareOp::Ne, &n(30.0), Cell::Null));
        assert!(compare(CompareOp::Ne, &n(30.0), Cell::Number(31.0)));
        assert!(!compare(CompareOp::Lt, &n(30.0), Cell::Text("young")));
        let t = Operand::Text("yes".into());
        assert!(compare(CompareOp::Eq, &t, Cell::Text("yes")));
        assert!(compare(CompareOp::Ne, &t, Cell::Text("no")));
        assert!(compare(
            CompareOp::Eq,
            &Operand::Text("5".into()),
            Value::Number(5.0).cell()
        ));
        let d = Operand::Date(super::super::time::parse_date("2026-01-01").unwrap());
        assert!(compare(CompareOp::Lt, &d, Cell::Text("2025-12-31")));
        assert!(compare(
            CompareOp::Eq,
            &d,
            Cell::Text("2026-01-01T00:00:00Z")
        ));
        assert!(!compare(CompareOp::Gt, &d, Cell::Text("soon")));
        assert!(compare(
            CompareOp::Eq,
            &Operand::Bool(true),
            Cell::Bool(true)
        ));
        assert!(!compare(
            CompareOp::Eq,
            &Operand::Bool(true),
            Cell::Text("true")
        ));
    }
}
