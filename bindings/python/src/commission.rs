//! `arichat.CommissionRules`: commission rules of `arichat_core::commission`.

use arichat_core::commission::{self, Sale, SaleInput};
use arichat_core::money::Currency;
use pyo3::prelude::*;
use pyo3::types::PyType;

use crate::convert::to_py;
use crate::error::to_py_err;

/// Commission rules (per unit over a threshold, percent, tiers, caps, per-seller terms,
/// monthly goals). Immutable; load with `from_toml` or `from_json`.
#[pyclass(name = "CommissionRules", module = "arichat", frozen)]
pub struct CommissionRules {
    inner: commission::CommissionRules,
}

fn currency(code: &str) -> PyResult<Currency> {
    code.parse::<Currency>().map_err(to_py_err)
}

#[pymethods]
impl CommissionRules {
    /// Reads and checks rules in TOML (`InvalidConfigError` with the value's path).
    #[classmethod]
    fn from_toml(_cls: &Bound<'_, PyType>, text: &str) -> PyResult<Self> {
        commission::CommissionRules::from_toml(text)
            .map(|inner| CommissionRules { inner })
            .map_err(to_py_err)
    }

    /// Reads and checks rules in JSON (the same shape).
    #[classmethod]
    fn from_json(_cls: &Bound<'_, PyType>, text: &str) -> PyResult<Self> {
        commission::CommissionRules::from_json(text)
            .map(|inner| CommissionRules { inner })
            .map_err(to_py_err)
    }

    /// The currency commissions are paid in (ISO 4217).
    #[getter]
    fn currency(&self) -> &'static str {
        self.inner.currency().as_str()
    }

    /// The commission of one sale: `total_minor`, `lines` (each rule's `inputs`,
    /// `arithmetic`, `minor`, `capped`), `capped_at`, `explanation`. `currency` defaults
    /// to the rules' currency.
    #[pyo3(signature = (*, seller, amount_minor, units, currency = None))]
    fn compute<'py>(
        &self,
        py: Python<'py>,
        seller: String,
        amount_minor: i64,
        units: u32,
        currency: Option<&str>,
    ) -> PyResult<Bound<'py, PyAny>> {
        let currency = match currency {
            Some(code) => self::currency(code)?,
            None => self.inner.currency(),
        };
        let sale = SaleInput {
            seller,
            amount_minor,
            currency,
            units,
        };
        to_py(py, &self.inner.compute(&sale).map_err(to_py_err)?)
    }

    /// Each seller's totals for a month over `sales`, dicts with `seller`,
    /// `amount_minor`, `currency`, `units` and `date` (`"YYYY-MM-DD"`).
    fn monthly_progress<'py>(
        &self,
        py: Python<'py>,
        sales: Bound<'py, PyAny>,
        year: i32,
        month: u32,
    ) -> PyResult<Bound<'py, PyAny>> {
        let json: String = py
            .import("json")?
            .call_method1("dumps", (sales,))?
            .extract()?;
        let sales: Vec<Sale> = serde_json::from_str(&json).map_err(|e| {
            let reason = arichat_core::json_error::describe(&e, &json);
            to_py_err(arichat_core::CoreError::InvalidJson {
                what: "sales",
                reason,
            })
        })?;
        to_py(
            py,
            &commission::monthly_progress(&self.inner, &sales, year, month).map_err(to_py_err)?,
        )
    }

    fn __repr__(&self) -> String {
        format!(
            "CommissionRules(currency={:?})",
            self.inner.currency().as_str()
        )
    }
}
