//! `parseDeal`: deal messages of `arichat_core::deal`.

use arichat_core::deal::{self, DealGrammar};
use napi_derive::napi;
use serde_json::Value;

use crate::{core_error, Result};

/// Options of [`parse_deal`].
#[napi(object)]
pub struct DealOptions {
    /// How amounts are written (ISO 3166-1 alpha-2); default: the grammar's.
    pub region: Option<String>,
    /// A tenant's grammar in TOML (tag names, required fields, region, language,
    /// slang) over the core's defaults.
    pub grammar: Option<String>,
}

/// Reads a deal message (`@monto 1500 @cliente Juan @tubos 5`, `monto: 1500`,
/// `monto=1500 cliente="Juan Pérez"`): `{ fields, deal, problems }`, `deal` null and
/// `problems` (code, message in the grammar's language, field, span) when the seller
/// must fix something. A message with problems does not throw.
///
/// Throws `invalid_config` (a bad grammar) or `unknown_region`.
#[napi(ts_return_type = "DealParse")]
pub fn parse_deal(text: String, options: Option<DealOptions>) -> Result<Value> {
    let (region, grammar) = options.map_or((None, None), |o| (o.region, o.grammar));
    let mut g = match grammar {
        Some(toml) => DealGrammar::from_toml(&toml).map_err(core_error)?,
        None => DealGrammar::default(),
    };
    if let Some(code) = region {
        g = g.with_region(crate::money::region(&code)?);
    }
    Ok(serde_json::to_value(deal::parse_deal(&text, &g)).unwrap_or(Value::Null))
}
