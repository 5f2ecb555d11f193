//! The commission rules file as written (TOML or JSON), before it is checked.

use std::collections::BTreeMap;

use crate::money::decimal::Decimal;
use crate::money::Currency;

/// A money value in the rules file: an integer or a decimal string (`10`, `"10.50"`), in
/// major units of the file's currency. A TOML float (`10.5`) is refused: money is never
/// a float.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
#[serde(untagged)]
pub enum MoneyText {
    /// Whole major units.
    Whole(i64),
    /// A decimal with `.` and at most the currency's decimals.
    Text(String),
}

impl MoneyText {
    /// The value in minor units of `currency`, exactly.
    pub(crate) fn to_minor(&self, currency: Currency) -> Result<i64, String> {
        match self {
            MoneyText::Whole(v) => v
                .checked_mul(currency.minor_per_major())
                .ok_or_else(|| format!("{v} is too large")),
            MoneyText::Text(t) => {
                let (int, frac) = t.trim().split_once('.').unwrap_or((t.trim(), ""));
                let value = Decimal::from_digits(int, frac)
                    .ok_or_else(|| format!("{t:?} is not an amount such as \"10.50\""))?;
                match value.to_minor(currency.exponent()) {
                    Some((minor, true)) => Ok(minor),
                    Some((_, false)) => Err(format!("{t:?} has more decimals than {currency} has")),
                    None => Err(format!("{t:?} is too large")),
                }
            }
        }
    }
}

impl<'de> serde::Deserialize<'de> for MoneyText {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct Visitor;
        impl serde::de::Visitor<'_> for Visitor {
            type Value = MoneyText;

            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("an integer or a string such as \"10.50\" (money is never a float)")
            }

            fn visit_i64<E: serde::de::Error>(self, v: i64) -> Result<MoneyText, E> {
                Ok(MoneyText::Whole(v))
            }

            fn visit_u64<E: serde::de::Error>(self, v: u64) -> Result<MoneyText, E> {
                i64::try_from(v)
                    .map(MoneyText::Whole)
                    .map_err(|_| E::custom("amount too large"))
            }

            fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<MoneyText, E> {
                Ok(MoneyText::Text(v.to_owned()))
            }
        }
        deserializer.deserialize_any(Visitor)
    }
}

/// What a tier is measured on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Basis {
    /// The sale's amount.
    Amount,
    /// The units sold.
    Units,
}

/// One tier: from this basis value on (inclusive), pay `bps` of the amount or a fixed
/// `pay`.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TierSpec {
    /// The lowest basis value of the tier: money for `amount`, a count for `units`.
    pub from: MoneyText,
    /// Pay this share of the amount, in basis points.
    pub bps: Option<u32>,
    /// Or pay this fixed amount.
    pub pay: Option<MoneyText>,
}

/// One rule as written.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case", deny_unknown_fields)]
pub enum RuleSpec {
    /// `rate × (units − over)` when units > over (the seed: 10 × (tubos − 3)).
    PerUnit {
        /// Rule id, named in explanations.
        id: String,
        /// Units up to this count earn nothing.
        #[serde(default)]
        over: u32,
        /// Paid per unit above `over`.
        rate: MoneyText,
        /// The most this rule pays for one sale.
        cap: Option<MoneyText>,
    },
    /// `amount × bps / 10 000`, rounded half up.
    Percent {
        /// Rule id.
        id: String,
        /// Share of the amount in basis points (250 = 2.5 %).
        bps: u32,
        /// The most this rule pays for one sale.
        cap: Option<MoneyText>,
    },
    /// The highest tier whose `from` the basis reaches.
    Tiers {
        /// Rule id.
        id: String,
        /// Amount or units.
        basis: Basis,
        /// The tiers, in increasing `from`.
        tiers: Vec<TierSpec>,
        /// The most this rule pays for one sale.
        cap: Option<MoneyText>,
    },
}

/// A seller's own terms: rules replacing the default ones, and/or another cap.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct SellerSpec {
    /// Replaces the default rules for this seller.
    pub rules: Option<Vec<RuleSpec>>,
    /// Replaces the per-sale cap for this seller.
    pub cap: Option<MoneyText>,
    /// This seller's monthly goal (sold amount).
    pub goal: Option<MoneyText>,
}

/// Monthly goals.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct GoalsSpec {
    /// Every seller's monthly goal unless their `[sellers.NAME]` sets one.
    pub monthly: Option<MoneyText>,
}

/// A commission rules file.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RulesSpec {
    /// The currency of every amount in the file and of commissions.
    pub currency: Currency,
    /// Rules, summed.
    #[serde(default)]
    pub rules: Vec<RuleSpec>,
    /// The most one sale pays, all rules together.
    pub cap: Option<MoneyText>,
    /// Per seller terms, by seller name.
    #[serde(default)]
    pub sellers: BTreeMap<String, SellerSpec>,
    /// Monthly goals.
    #[serde(default)]
    pub goals: GoalsSpec,
}
