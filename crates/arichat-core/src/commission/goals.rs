//! Monthly goals and progress per seller: a pure fold over a list of sales.

use std::collections::BTreeMap;

use chrono::{Datelike, NaiveDate};

use super::{CommissionRules, SaleInput};
use crate::CoreError;

/// A recorded sale.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Sale {
    /// The sale as commissions see it.
    #[serde(flatten)]
    pub input: SaleInput,
    /// The day it was made (its month counts it).
    pub date: NaiveDate,
}

/// One seller's month.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct SellerMonth {
    /// The seller.
    pub seller: String,
    /// The year.
    pub year: i32,
    /// The month, 1 to 12.
    pub month: u32,
    /// Sales counted.
    pub sales: u32,
    /// Units sold.
    pub units: u64,
    /// Amount sold, minor units (sales in the rules' currency only).
    pub sold_minor: i64,
    /// Commissions earned, minor units.
    pub commission_minor: i64,
    /// The month's goal, minor units, if the rules set one.
    pub goal_minor: Option<i64>,
    /// `sold / goal` in basis points (10 000 = reached), rounded down.
    pub progress_bps: Option<u32>,
}

/// Each seller's totals for `year`-`month`, sellers in name order. Fails like
/// [`CommissionRules::compute`].
///
/// ```
/// use arichat_core::commission::{monthly_progress, CommissionRules, Sale, SaleInput};
/// use arichat_core::money::Currency;
/// use chrono::NaiveDate;
///
/// let rules = CommissionRules::from_toml(r#"
///     currency = "USD"
///     goals = { monthly = 3000 }
///     [[rules]]
///     id = "tubos"
///     kind = "per_unit"
///     over = 3
///     rate = 10
/// "#).unwrap();
/// let sale = |units, day| Sale {
///     input: SaleInput { seller: "ana".into(), amount_minor: 150_000, currency: Currency::Usd, units },
///     date: NaiveDate::from_ymd_opt(2026, 12, day).unwrap(),
/// };
/// let months = monthly_progress(&rules, &[sale(5, 1), sale(4, 2)], 2026, 12).unwrap();
/// assert_eq!((months[0].sold_minor, months[0].commission_minor), (300_000, 3_000));
/// assert_eq!(months[0].progress_bps, Some(10_000));
/// ```
pub fn monthly_progress(
    rules: &CommissionRules,
    sales: &[Sale],
    year: i32,
    month: u32,
) -> Result<Vec<SellerMonth>, CoreError> {
    let mut by_seller: BTreeMap<&str, SellerMonth> = BTreeMap::new();
    for sale in sales
        .iter()
        .filter(|s| s.date.year() == year && s.date.month() == month)
    {
        let commission = rules.compute(&sale.input)?;
        let seller = sale.input.seller.as_str();
        let entry = by_seller.entry(seller).or_insert_with(|| SellerMonth {
            seller: seller.to_owned(),
            year,
            month,
            sales: 0,
            units: 0,
            sold_minor: 0,
            commission_minor: 0,
            goal_minor: rules.goal(seller),
            progress_bps: None,
        });
        entry.sales += 1;
        entry.units += u64::from(sale.input.units);
        if sale.input.currency == rules.currency() {
            entry.sold_minor = entry.sold_minor.saturating_add(sale.input.amount_minor);
        }
        entry.commission_minor = entry
            .commission_minor
            .saturating_add(commission.total_minor);
    }
    Ok(by_seller
        .into_values()
        .map(|mut m| {
            m.progress_bps = m.goal_minor.filter(|g| *g > 0).map(|goal| {
                let bps = i128::from(m.sold_minor.max(0)) * 10_000 / i128::from(goal);
                u32::try_from(bps).unwrap_or(u32::MAX)
            });
            m
        })
        .collect())
}
