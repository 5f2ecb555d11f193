//! Commissions as data: rules in TOML (per unit over a threshold, tiers, percent of the
//! amount, caps, per-seller terms), each result with its explanation, and monthly goals.
//!
//! Everything is integer minor units of the file's currency. A rule's payout is
//! computed, then capped by the rule's `cap`; the rules are summed; the sum is capped
//! by the seller's or the file's `cap`. Percentages are basis points, `amount × bps /
//! 10 000` rounded half up.
//!
//! ```
//! use arichat_core::commission::{CommissionRules, SaleInput};
//! use arichat_core::money::Currency;
//!
//! // The seed's rule: $10 × (tubos − 3) when tubos > 3.
//! let rules = CommissionRules::from_toml(r#"
//!     currency = "USD"
//!     [[rules]]
//!     id = "tubos"
//!     kind = "per_unit"
//!     over = 3
//!     rate = 10
//! "#).unwrap();
//! let sale = SaleInput { seller: "ana".into(), amount_minor: 150_000, currency: Currency::Usd, units: 5 };
//! let c = rules.compute(&sale).unwrap();
//! assert_eq!(c.total_minor, 2_000);
//! assert_eq!(c.lines[0].arithmetic, "10 × (5 − 3) = 20");
//! assert_eq!(rules.compute(&SaleInput { units: 3, ..sale }).unwrap().total_minor, 0);
//! ```

mod config;
mod goals;

pub use config::{Basis, GoalsSpec, MoneyText, RuleSpec, RulesSpec, SellerSpec, TierSpec};
pub use goals::{monthly_progress, Sale, SellerMonth};

use std::collections::BTreeMap;

use crate::money::{format_with_mark, Currency};
use crate::CoreError;

/// A sale as commissions see it.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct SaleInput {
    /// Who sold (per-seller terms are looked up by this name).
    pub seller: String,
    /// The amount, minor units of `currency`.
    pub amount_minor: i64,
    /// The amount's currency: must be the rules' when a rule uses the amount.
    pub currency: Currency,
    /// Units sold.
    pub units: u32,
}

/// One rule's part of a commission.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct CommissionLine {
    /// The rule's id.
    pub rule: String,
    /// `per_unit`, `percent` or `tiers`.
    pub kind: String,
    /// The inputs the rule read (`units=5 over=3 rate=10`).
    pub inputs: String,
    /// The arithmetic, in major units (`10 × (5 − 3) = 20`).
    pub arithmetic: String,
    /// What the rule pays, minor units, after its cap.
    pub minor: i64,
    /// Whether the rule's cap cut it.
    pub capped: bool,
}

/// A sale's commission with its explanation.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Commission {
    /// The rules' currency.
    pub currency: Currency,
    /// What the sale pays, minor units.
    pub total_minor: i64,
    /// Each rule's part, in the file's order.
    pub lines: Vec<CommissionLine>,
    /// The per-sale cap when it cut the sum, minor units.
    pub capped_at: Option<i64>,
    /// Whether the seller's own terms were used.
    pub seller_terms: bool,
    /// One sentence: the lines, the sum and the cap.
    pub explanation: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum Pay {
    Bps(u32),
    Fixed(i64),
}

#[derive(Debug, Clone, PartialEq, Eq)]
struct Tier {
    from: i64,
    pay: Pay,
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum Kind {
    PerUnit { over: u32, rate: i64 },
    Percent { bps: u32 },
    Tiers { basis: Basis, tiers: Vec<Tier> },
}

#[derive(Debug, Clone, PartialEq, Eq)]
struct Rule {
    id: String,
    kind: Kind,
    cap: Option<i64>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
struct Terms {
    rules: Vec<Rule>,
    cap: Option<i64>,
}

/// Checked commission rules (see the [module documentation](self)).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CommissionRules {
    currency: Currency,
    default: Terms,
    sellers: BTreeMap<String, Terms>,
    goal: Option<i64>,
    goals: BTreeMap<String, i64>,
}

fn invalid(reason: String) -> CoreError {
    CoreError::InvalidConfig {
        what: "commission rules",
        reason,
    }
}

impl CommissionRules {
    /// Reads rules from TOML. Refused (`invalid_config`, with the path of the value):
    /// floats, unknown keys, empty or repeated ids, tiers out of order or paying both
    /// ways, more decimals than the currency has.
    pub fn from_toml(text: &str) -> Result<Self, CoreError> {
        let spec: RulesSpec =
            toml::from_str(text).map_err(|e| invalid(e.to_string().trim_end().to_owned()))?;
        CommissionRules::new(&spec)
    }

    /// Reads rules from JSON.
    pub fn from_json(text: &str) -> Result<Self, CoreError> {
        let spec: RulesSpec = serde_json::from_str(text)
            .map_err(|e| CoreError::json("commission rules", &e, text))?;
        CommissionRules::new(&spec)
    }

    /// Checks a parsed rules file.
    pub fn new(spec: &RulesSpec) -> Result<Self, CoreError> {
        let currency = spec.currency;
        let money = |path: &str, m: &MoneyText| {
            m.to_minor(currency)
                .map_err(|r| invalid(format!("{path}: {r}")))
        };
        let optional =
            |path: &str, m: &Option<MoneyText>| m.as_ref().map(|m| money(path, m)).transpose();
        let default = Terms {
            rules: rules(&spec.rules, currency, "rules")?,
            cap: optional("cap", &spec.cap)?,
        };
        let mut sellers = BTreeMap::new();
        let mut goals = BTreeMap::new();
        for (name, seller) in &spec.sellers {
            let path = format!("sellers.{name}");
            let terms = Terms {
                rules: match &seller.rules {
                    Some(list) => rules(list, currency, &format!("{path}.rules"))?,
                    None => default.rules.clone(),
                },
                cap: match &seller.cap {
                    Some(cap) => Some(money(&format!("{path}.cap"), cap)?),
                    None => default.cap,
                },
            };
            if seller.rules.is_some() || seller.cap.is_some() {
                sellers.insert(name.clone(), terms);
            }
            if let Some(goal) = optional(&format!("{path}.goal"), &seller.goal)? {
                goals.insert(name.clone(), goal);
            }
        }
        Ok(CommissionRules {
            currency,
            default,
            sellers,
            goal: optional("goals.monthly", &spec.goals.monthly)?,
            goals,
        })
    }

    /// The currency commissions are paid in.
    pub fn currency(&self) -> Currency {
        self.currency
    }

    /// A seller's monthly goal, minor units, if any.
    pub fn goal(&self, seller: &str) -> Option<i64> {
        self.goals.get(seller).copied().or(self.goal)
    }

    /// The commission of one sale, with its explanation. Fails (`invalid_config`) only
    /// when a rule needs the amount and the sale is in another currency.
    pub fn compute(&self, sale: &SaleInput) -> Result<Commission, CoreError> {
        let (terms, seller_terms) = match self.sellers.get(&sale.seller) {
            Some(terms) => (terms, true),
            None => (&self.default, false),
        };
        let mut lines = Vec::with_capacity(terms.rules.len());
        for rule in &terms.rules {
            lines.push(self.apply(rule, sale)?);
        }
        let sum = lines
            .iter()
            .fold(0_i64, |acc, l| acc.saturating_add(l.minor));
        let capped_at = terms.cap.filter(|cap| sum > *cap);
        let total_minor = capped_at.unwrap_or(sum);
        let fmt = |m: i64| format_with_mark(m, self.currency, '.');
        let mut explanation = lines
            .iter()
            .map(|l| format!("{}: {}", l.rule, l.arithmetic))
            .collect::<Vec<_>>()
            .join("; ");
        if lines.is_empty() {
            explanation = "no rules".to_owned();
        }
        explanation.push_str(&format!("; total {} {}", fmt(sum), self.currency));
        if let Some(cap) = capped_at {
            explanation.push_str(&format!(", capped at {}", fmt(cap)));
        }
        Ok(Commission {
            currency: self.currency,
            total_minor,
            lines,
            capped_at,
            seller_terms,
            explanation,
        })
    }

    fn apply(&self, rule: &Rule, sale: &SaleInput) -> Result<CommissionLine, CoreError> {
        let fmt = |m: i64| format_with_mark(m, self.currency, '.');
        let needs_amount = match &rule.kind {
            Kind::PerUnit { .. } => false,
            Kind::Percent { .. } => true,
            Kind::Tiers { basis, tiers } => {
                *basis == Basis::Amount || tiers.iter().any(|t| matches!(t.pay, Pay::Bps(_)))
            }
        };
        if needs_amount && sale.currency != self.currency {
            return Err(CoreError::InvalidConfig {
                what: "commission input",
                reason: format!(
                    "rule {:?} needs the amount in {}, the sale is in {}",
                    rule.id, self.currency, sale.currency
                ),
            });
        }
        let percent = |bps: u32| -> (i64, String) {
            let pay = share(sale.amount_minor, bps);
            (
                pay,
                format!(
                    "{} × {} = {}",
                    bps_text(bps),
                    fmt(sale.amount_minor),
                    fmt(pay)
                ),
            )
        };
        let (kind, inputs, (raw, arithmetic)) = match &rule.kind {
            Kind::PerUnit { over, rate } => {
                let extra = sale.units.saturating_sub(*over);
                let pay = rate.saturating_mul(i64::from(extra));
                let text = if sale.units > *over {
                    format!(
                        "{} × ({} − {}) = {}",
                        fmt(*rate),
                        sale.units,
                        over,
                        fmt(pay)
                    )
                } else {
                    format!("{} ≤ {}: 0", sale.units, over)
                };
                (
                    "per_unit",
                    format!("units={} over={} rate={}", sale.units, over, fmt(*rate)),
                    (pay, text),
                )
            }
            Kind::Percent { bps } => (
                "percent",
                format!("amount={} bps={bps}", fmt(sale.amount_minor)),
                percent(*bps),
            ),
            Kind::Tiers { basis, tiers } => {
                let value = match basis {
                    Basis::Amount => sale.amount_minor,
                    Basis::Units => i64::from(sale.units),
                };
                let shown = |v: i64| match basis {
                    Basis::Amount => fmt(v),
                    Basis::Units => v.to_string(),
                };
                let tier = tiers.iter().rev().find(|t| value >= t.from);
                let result = match tier {
                    None => (
                        0,
                        format!(
                            "{} below the first tier ({}): 0",
                            shown(value),
                            shown(tiers[0].from)
                        ),
                    ),
                    Some(t) => {
                        let (pay, text) = match t.pay {
                            Pay::Bps(bps) => percent(bps),
                            Pay::Fixed(pay) => (pay, fmt(pay)),
                        };
                        (pay, format!("tier from {}: {text}", shown(t.from)))
                    }
                };
                let basis_name = match basis {
                    Basis::Amount => "amount",
                    Basis::Units => "units",
                };
                ("tiers", format!("{basis_name}={}", shown(value)), result)
            }
        };
        let capped = rule.cap.is_some_and(|cap| raw > cap);
        let minor = if capped { rule.cap.unwrap_or(raw) } else { raw };
        let arithmetic = if capped {
            format!("{arithmetic}, capped at {}", fmt(minor))
        } else {
            arithmetic
        };
        Ok(CommissionLine {
            rule: rule.id.clone(),
            kind: kind.to_owned(),
            inputs,
            arithmetic,
            minor,
            capped,
        })
    }
}

/// `amount × bps / 10 000`, rounded half up, in i128.
fn share(amount: i64, bps: u32) -> i64 {
    let num = i128::from(amount) * i128::from(bps);
    let q = (num + 5_000).div_euclid(10_000);
    i64::try_from(q).unwrap_or(i64::MAX)
}

/// `250` → `2.5 %`.
fn bps_text(bps: u32) -> String {
    let (whole, frac) = (bps / 100, bps % 100);
    if frac == 0 {
        format!("{whole} %")
    } else {
        format!("{whole}.{} %", format!("{frac:02}").trim_end_matches('0'))
    }
}

fn rules(specs: &[RuleSpec], currency: Currency, path: &str) -> Result<Vec<Rule>, CoreError> {
    let mut out: Vec<Rule> = Vec::with_capacity(specs.len());
    for (k, spec) in specs.iter().enumerate() {
        let at = format!("{path}[{k}]");
        let money = |field: &str, m: &MoneyText| {
            m.to_minor(currency)
                .map_err(|r| invalid(format!("{at}.{field}: {r}")))
        };
        let (id, kind, cap) = match spec {
            RuleSpec::PerUnit {
                id,
                over,
                rate,
                cap,
            } => (
                id,
                Kind::PerUnit {
                    over: *over,
                    rate: money("rate", rate)?,
                },
                cap,
            ),
            RuleSpec::Percent { id, bps, cap } => (id, Kind::Percent { bps: *bps }, cap),
            RuleSpec::Tiers {
                id,
                basis,
                tiers,
                cap,
            } => {
                let mut out_tiers: Vec<Tier> = Vec::with_capacity(tiers.len());
                for (t, tier) in tiers.iter().enumerate() {
                    let tier_at = format!("tiers[{t}]");
                    let from = match (basis, &tier.from) {
                        (Basis::Amount, m) => money(&format!("{tier_at}.from"), m)?,
                        (Basis::Units, MoneyText::Whole(n)) if *n >= 0 => *n,
                        (Basis::Units, _) => {
                            return Err(invalid(format!(
                                "{at}.{tier_at}.from: a count of units, such as 4"
                            )))
                        }
                    };
                    let pay = match (tier.bps, &tier.pay) {
                        (Some(bps), None) => Pay::Bps(bps),
                        (None, Some(pay)) => Pay::Fixed(money(&format!("{tier_at}.pay"), pay)?),
                        _ => {
                            return Err(invalid(format!("{at}.{tier_at}: give either bps or pay")))
                        }
                    };
                    if out_tiers.last().is_some_and(|prev| prev.from >= from) {
                        return Err(invalid(format!("{at}.{tier_at}.from: tiers must increase")));
                    }
                    out_tiers.push(Tier { from, pay });
                }
                if out_tiers.is_empty() {
                    return Err(invalid(format!("{at}.tiers: at least one tier")));
                }
                (
                    id,
                    Kind::Tiers {
                        basis: *basis,
                        tiers: out_tiers,
                    },
                    cap,
                )
            }
        };
        if id.trim().is_empty() {
            return Err(invalid(format!("{at}.id: must not be empty")));
        }
        if out.iter().any(|r| r.id == *id) {
            return Err(invalid(format!("{at}.id: duplicate id {id:?}")));
        }
        let cap = cap.as_ref().map(|c| money("cap", c)).transpose()?;
        out.push(Rule {
            id: id.clone(),
            kind,
            cap,
        });
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    const RULES: &str = r#"
        currency = "USD"
        cap = "100"
        [[rules]]
        id = "tubos"
        kind = "per_unit"
        over = 3
        rate = "10"
        [[rules]]
        id = "pct"
        kind = "percent"
        bps = 250
        cap = 50
        [[rules]]
        id = "bono"
        kind = "tiers"
        basis = "units"
        tiers = [{ from = 10, pay = "5" }, { from = 20, pay = "15.50" }]
        [sellers.ana]
        cap = "30"
        [sellers.luis]
        rules = [{ id = "solo", kind = "percent", bps = 1000 }]
    "#;

    fn sale(seller: &str, amount_minor: i64, units: u32) -> SaleInput {
        SaleInput {
            seller: seller.into(),
            amount_minor,
            currency: Currency::Usd,
            units,
        }
    }

    #[test]
    fn rules_sum_cap_and_explain() {
        let r = CommissionRules::from_toml(RULES).unwrap();
        let c = r.compute(&sale("pedro", 150_000, 5)).unwrap();
        // 20 + 2.5 % of 1500 = 37.50 capped at 50 → 37.50; units 5 below tier: 0.
        assert_eq!(
            c.lines.iter().map(|l| l.minor).collect::<Vec<_>>(),
            [2_000, 3_750, 0]
        );
        assert_eq!(c.total_minor, 5_750);
        assert_eq!(c.lines[1].arithmetic, "2.5 % × 1500 = 37.5");
        assert_eq!(c.explanation, "tubos: 10 × (5 − 3) = 20; pct: 2.5 % × 1500 = 37.5; bono: 5 below the first tier (10): 0; total 57.5 USD");
        let c = r.compute(&sale("pedro", 1_000_000, 25)).unwrap();
        assert_eq!(c.lines[1].minor, 5_000);
        assert!(c.lines[1].capped);
        assert_eq!(c.lines[2].minor, 1_550);
        assert_eq!(c.capped_at, Some(10_000));
        assert_eq!(c.total_minor, 10_000);
        let ana = r.compute(&sale("ana", 150_000, 5)).unwrap();
        assert_eq!((ana.total_minor, ana.seller_terms), (3_000, true));
        let luis = r.compute(&sale("luis", 150_000, 5)).unwrap();
        // His own rules, the file's cap: 10 % of 1500 = 150, capped at 100.
        assert_eq!(
            (luis.total_minor, luis.lines[0].minor, luis.capped_at),
            (10_000, 15_000, Some(10_000))
        );
    }

    #[test]
    fn bad_files_name_the_value() {
        for (toml, needle) in [
            ("currency = \"USD\"\n[[rules]]\nid = \"a\"\nkind = \"percent\"\nbps = 2.5", "invalid type"),
            ("currency = \"USD\"\n[[rules]]\nid = \"a\"\nkind = \"per_unit\"\nrate = \"10.505\"", "rules[0].rate"),
            ("currency = \"USD\"\n[[rules]]\nid = \"a\"\nkind = \"per_unit\"\nrate = 10.5", "never a float"),
            ("currency = \"USD\"\n[[rules]]\nid = \"a\"\nkind = \"percent\"\nbps = 1\n[[rules]]\nid = \"a\"\nkind = \"percent\"\nbps = 1", "duplicate id"),
            ("currency = \"USD\"\n[[rules]]\nid = \"t\"\nkind = \"tiers\"\nbasis = \"units\"\ntiers = [{ from = 5, bps = 1 }, { from = 4, bps = 2 }]", "increase"),
            ("currency = \"USD\"\nbogus = 1", "bogus"),
        ] {
            let err = CommissionRules::from_toml(toml).unwrap_err();
            assert_eq!(err.code(), "invalid_config");
            assert!(err.to_string().contains(needle), "{toml}: {err}");
        }
    }

    #[test]
    fn per_unit_rules_ignore_the_sale_currency_percent_rules_do_not() {
        let r = CommissionRules::from_toml(RULES).unwrap();
        let cop = SaleInput {
            currency: Currency::Cop,
            ..sale("luis", 150_000, 5)
        };
        assert_eq!(r.compute(&cop).unwrap_err().code(), "invalid_config");
        let seed = CommissionRules::from_toml(
            "currency = \"USD\"\n[[rules]]\nid = \"t\"\nkind = \"per_unit\"\nover = 3\nrate = 10",
        )
        .unwrap();
        assert_eq!(
            seed.compute(&SaleInput {
                currency: Currency::Cop,
                ..sale("x", 1, 7)
            })
            .unwrap()
            .total_minor,
            4_000
        );
    }
}
