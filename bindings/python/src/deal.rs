//! `arichat.parse_deal`: deal messages of `arichat_core::deal`, as dicts.

use arichat_core::deal::{self, DealGrammar};
use pyo3::prelude::*;

use crate::convert::to_py;
use crate::error::to_py_err;

/// Reads a deal message (`@monto 1500 @cliente Juan @tubos 5`, `monto: 1500`,
/// `monto=1500 cliente="Juan Pérez"`). `grammar` is a tenant's grammar in TOML (tag
/// names, required fields, region, language, slang) over the core's defaults; `region`
/// overrides its region. Returns `{"fields": [...], "deal": {...} | None, "problems":
/// [{"code", "message", "field", "start", "end"}]}`: a message with problems is no
/// exception. A bad grammar raises `InvalidConfigError`, a bad region
/// `UnknownRegionError`.
#[pyfunction]
#[pyo3(signature = (text, region = None, *, grammar = None))]
pub fn parse_deal<'py>(
    py: Python<'py>,
    text: &str,
    region: Option<&str>,
    grammar: Option<&str>,
) -> PyResult<Bound<'py, PyAny>> {
    let mut g = match grammar {
        Some(toml) => DealGrammar::from_toml(toml).map_err(to_py_err)?,
        None => DealGrammar::default(),
    };
    if let Some(code) = region {
        g = g.with_region(crate::money::region(code)?);
    }
    to_py(py, &deal::parse_deal(text, &g))
}
