//! `CommissionRules`: commission rules of `arichat_core::commission`.

use arichat_core::commission::{self, Sale, SaleInput};
use arichat_core::money::Currency;
use arichat_core::CoreError;
use napi_derive::napi;
use serde_json::Value;

use crate::{core_error, Result};

/// One sale for [`CommissionRules::compute`].
#[napi(object)]
pub struct SaleArgs {
    /// Who sold (per-seller terms are looked up by this name).
    pub seller: String,
    /// The amount in minor units.
    pub amount_minor: i64,
    /// Units sold.
    pub units: u32,
    /// ISO 4217 currency of the amount; default: the rules' currency.
    pub currency: Option<String>,
}

/// One recorded sale for [`CommissionRules::monthly_progress`].
#[napi(object)]
pub struct SaleRecord {
    /// Who sold.
    pub seller: String,
    /// The amount in minor units.
    pub amount_minor: i64,
    /// Units sold.
    pub units: u32,
    /// ISO 4217 currency of the amount; default: the rules' currency.
    pub currency: Option<String>,
    /// The day, `YYYY-MM-DD`.
    pub date: String,
}

/// Commission rules (per unit over a threshold, percent, tiers, caps, per-seller terms,
/// monthly goals).
#[napi]
pub struct CommissionRules {
    inner: commission::CommissionRules,
}

impl CommissionRules {
    fn input(
        &self,
        seller: String,
        amount_minor: i64,
        units: u32,
        currency: Option<String>,
    ) -> Result<SaleInput> {
        let currency = match currency {
            Some(code) => code.parse::<Currency>().map_err(core_error)?,
            None => self.inner.currency(),
        };
        Ok(SaleInput {
            seller,
            amount_minor,
            currency,
            units,
        })
    }
}

#[napi]
impl CommissionRules {
    /// Reads and checks rules in TOML.
    ///
    /// Throws `invalid_config` naming the bad value.
    #[napi(factory)]
    pub fn from_toml(text: String) -> Result<Self> {
        commission::CommissionRules::from_toml(&text)
            .map(|inner| CommissionRules { inner })
            .map_err(core_error)
    }

    /// Reads and checks rules in JSON (the same shape).
    ///
    /// Throws `invalid_config` or `invalid_json`.
    #[napi(factory)]
    pub fn from_json(text: String) -> Result<Self> {
        commission::CommissionRules::from_json(&text)
            .map(|inner| CommissionRules { inner })
            .map_err(core_error)
    }

    /// The currency commissions are paid in (ISO 4217).
    #[napi(getter)]
    pub fn currency(&self) -> &'static str {
        self.inner.currency().as_str()
    }

    /// The commission of one sale: `total_minor`, `lines` (each rule's `inputs`,
    /// `arithmetic`, `minor`, `capped`), `capped_at`, `explanation`.
    ///
    /// Throws `invalid_config` when a rule needs the amount and the sale is in another
    /// currency, `unknown_variant` for an unknown currency.
    #[napi(ts_return_type = "Commission")]
    pub fn compute(&self, sale: SaleArgs) -> Result<Value> {
        let input = self.input(sale.seller, sale.amount_minor, sale.units, sale.currency)?;
        let c = self.inner.compute(&input).map_err(core_error)?;
        Ok(serde_json::to_value(c).unwrap_or(Value::Null))
    }

    /// Each seller's totals for a month (`month` 1 to 12), sellers in name order.
    ///
    /// Throws `invalid_json` for a date that is not `YYYY-MM-DD`.
    #[napi(ts_return_type = "Array<SellerMonth>")]
    pub fn monthly_progress(&self, sales: Vec<SaleRecord>, year: i32, month: u32) -> Result<Value> {
        let sales = sales
            .into_iter()
            .map(|s| {
                let date = s.date.parse().map_err(|_| {
                    core_error(CoreError::InvalidJson {
                        what: "sale",
                        reason: "date must be YYYY-MM-DD".into(),
                    })
                })?;
                Ok(Sale {
                    input: self.input(s.seller, s.amount_minor, s.units, s.currency)?,
                    date,
                })
            })
            .collect::<Result<Vec<_>>>()?;
        let months =
            commission::monthly_progress(&self.inner, &sales, year, month).map_err(core_error)?;
        Ok(serde_json::to_value(months).unwrap_or(Value::Null))
    }
}
