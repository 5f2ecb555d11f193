//! `arichat.CampaignBundle`, `arichat.assign_table` and `arichat.CampaignCache`: the
//! campaigns of `arichat_core::campaign` on dicts and on pandas, polars or pyarrow
//! tables, and the Redis cache of `arichat_channels::store`.
//!
//! `assign_table` reads tables through the Arrow C data interface (src/arrow.rs), one
//! record batch at a time without the GIL, counting `max_assignments` across batches,
//! and answers with a pyarrow Table of one row per assignment.

use std::path::PathBuf;
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::Duration;

use arichat_channels::store::{CampaignCacheConfig, RedisConfig, UnavailablePolicy};
use arichat_core::campaign::{
    AssignmentSet, BatchAssignments, CampaignError, CapUsage, IdColumn, Reason,
};
use arichat_core::scoring::LeadRecord;
use arichat_core::{ConfigFormat, CoreError};
use arrow_array::builder::{StringBuilder, UInt16Builder};
use arrow_array::ArrayRef;
use chrono::{DateTime, Utc};
use pyo3::exceptions::{PyRuntimeError, PyTypeError};
use pyo3::prelude::*;
use pyo3::types::{PyDict, PyType};

use crate::arrow::{self, View};
use crate::convert::to_py;
use crate::error::to_py_err;
use crate::scoring::to_record;
use crate::time::to_utc;

/// Campaigns with their eligibility rules, splits, caps and offers. Immutable; load
/// one with `from_toml`, `from_json` or `load`. Evaluating never fails and reads no
/// clock: `now` defaults to the current time.
#[pyclass(name = "CampaignBundle", module = "arichat", frozen)]
pub struct CampaignBundle {
    pub(crate) inner: Arc<arichat_core::campaign::CampaignBundle>,
}

fn now_or(now: Option<&Bound<'_, PyAny>>) -> PyResult<DateTime<Utc>> {
    now.map_or_else(|| Ok(Utc::now()), |t| to_utc("now", t))
}

/// A mapping of attributes (a dict, or any Mapping) as a record.
fn attributes(obj: &Bound<'_, PyAny>) -> PyResult<LeadRecord> {
    let dict = match obj.cast::<PyDict>() {
        Ok(d) => d.clone(),
        Err(_) => obj
            .py()
            .get_type::<PyDict>()
            .call1((obj,))
            .map_err(|_| PyTypeError::new_err("attributes must be a mapping of str to values"))?
            .cast_into::<PyDict>()?,
    };
    to_record(&dict)
}

fn invalid_data(reason: String) -> CoreError {
    CampaignError::InvalidData { reason }.into()
}

#[pymethods]
impl CampaignBundle {
    /// Reads and checks a bundle in TOML; errors name the path of the bad value.
    #[classmethod]
    fn from_toml(_cls: &Bound<'_, PyType>, text: &str) -> PyResult<Self> {
        arichat_core::campaign::CampaignBundle::from_toml_str(text)
            .map(|b| CampaignBundle { inner: Arc::new(b) })
            .map_err(to_py_err)
    }

    /// Reads and checks a bundle in JSON (the same shape as TOML).
    #[classmethod]
    fn from_json(_cls: &Bound<'_, PyType>, text: &str) -> PyResult<Self> {
        arichat_core::campaign::CampaignBundle::from_json_str(text)
            .map(|b| CampaignBundle { inner: Arc::new(b) })
            .map_err(to_py_err)
    }

    /// Reads a bundle file: TOML for `.toml`, JSON for `.json` (`InvalidConfigError`
    /// for another name).
    #[classmethod]
    fn load(cls: &Bound<'_, PyType>, path: PathBuf) -> PyResult<Self> {
        let format = ConfigFormat::of_path(&path).map_err(to_py_err)?;
        let text = std::fs::read_to_string(&path)?;
        match format {
            ConfigFormat::Toml => Self::from_toml(cls, &text),
            ConfigFormat::Json => Self::from_json(cls, &text),
        }
    }

    /// The bundle's version, copied into every cache entry.
    #[getter]
    fn version(&self) -> &str {
        self.inner.version()
    }

    /// The campaign ids, in the bundle's order.
    #[getter]
    fn campaign_ids(&self) -> Vec<String> {
        self.inner
            .campaigns()
            .iter()
            .map(|c| c.id.as_str().to_owned())
            .collect()
    }

    /// The bundle as JSON (reads back equal with `from_json`).
    fn to_json(&self) -> String {
        self.inner.to_json()
    }

    /// The campaigns of one customer at `now`, highest priority first: dicts with
    /// `campaign_id`, `variant` (when split into variants), `reason`
    /// (`targeting_match`, `split`, `holdout`, `default`), `rule_path`, `bucket`,
    /// `priority`, `channels` (when any) and `offer` (None for a holdout).
    #[pyo3(signature = (customer_id, attributes, now = None))]
    fn assign<'py>(
        &self,
        py: Python<'py>,
        customer_id: &str,
        attributes: &Bound<'py, PyAny>,
        now: Option<&Bound<'py, PyAny>>,
    ) -> PyResult<Bound<'py, PyAny>> {
        let record = self::attributes(attributes)?;
        to_py(py, &self.inner.assign(customer_id, &record, now_or(now)?))
    }

    /// What happened to every campaign for this customer, in evaluation order: dicts
    /// with `campaign_id`, `status` (`assigned`, `not_eligible`, `outside_rollout`,
    /// `excluded`, ...) and, when known, `reason`, `rule_path` and `excluded_by`.
    #[pyo3(signature = (customer_id, attributes, now = None))]
    fn explain<'py>(
        &self,
        py: Python<'py>,
        customer_id: &str,
        attributes: &Bound<'py, PyAny>,
        now: Option<&Bound<'py, PyAny>>,
    ) -> PyResult<Bound<'py, PyAny>> {
        let record = self::attributes(attributes)?;
        to_py(py, &self.inner.explain(customer_id, &record, now_or(now)?))
    }

    /// The cache entry of one customer at `now`: `customer_id`, `computed_at`,
    /// `expires_at`, `stale_until` (RFC 3339 text), `bundle_version` and `assignments`.
    #[pyo3(signature = (customer_id, attributes, now = None))]
    fn assign_set<'py>(
        &self,
        py: Python<'py>,
        customer_id: &str,
        attributes: &Bound<'py, PyAny>,
        now: Option<&Bound<'py, PyAny>>,
    ) -> PyResult<Bound<'py, PyAny>> {
        let record = self::attributes(attributes)?;
        to_py(
            py,
            &self.inner.assign_set(customer_id, &record, now_or(now)?),
        )
    }

    fn __repr__(&self) -> String {
        format!(
            "CampaignBundle(version={:?}, campaigns={})",
            self.inner.version(),
            self.inner.campaigns().len()
        )
    }
}

/// Customer ids of an Arrow column: text (also dictionary-encoded) or whole numbers.
fn ids_of(view: &View<'_>, name: &str) -> Result<Vec<String>, CoreError> {
    let null = || invalid_data(format!("id column {name:?} has a null"));
    match view {
        View::Text(values) => values
            .iter()
            .map(|v| v.map(str::to_owned).ok_or_else(null))
            .collect(),
        View::Utf8(offsets, data, valid) => offsets
            .windows(2)
            .enumerate()
            .map(|(i, w)| {
                let present = valid.as_ref().is_none_or(|v| v[i]);
                data.get(w[0] as usize..w[1] as usize)
                    .filter(|_| present)
                    .and_then(|b| std::str::from_utf8(b).ok())
                    .map(str::to_owned)
                    .ok_or_else(null)
            })
            .collect(),
        View::Categorical(keys, values) => keys
            .iter()
            .map(|k| {
                values
                    .get(*k as usize)
                    .copied()
                    .flatten()
                    .map(str::to_owned)
                    .ok_or_else(null)
            })
            .collect(),
        View::Number(values, valid) => values
            .iter()
            .enumerate()
            .map(|(i, v)| match valid.as_ref().is_none_or(|m| m[i]) {
                true if v.fract() == 0.0 => Ok(format!("{}", *v as i64)),
                true => Err(invalid_data(format!(
                    "id column {name:?} holds a fractional number"
                ))),
                false => Err(null()),
            })
            .collect(),
        View::Bool(..) => Err(invalid_data(format!(
            "id column {name:?} must hold text or whole numbers"
        ))),
    }
}

/// Assigns every record batch of an imported table, in row order (caps counted across
/// batches), calling `sink` with each batch's ids and assignments. Runs without the GIL.
fn assign_batches(
    bundle: &arichat_core::campaign::CampaignBundle,
    imported: &arrow::Imported,
    id_column: Option<&str>,
    now: DateTime<Utc>,
    mut sink: impl FnMut(&[&str], BatchAssignments) -> Result<(), CoreError>,
) -> Result<(), CoreError> {
    let batches = arrow::struct_batches(imported).map_err(invalid_data)?;
    let mut usage = CapUsage::new();
    let mut rows_before = 0usize;
    for batch in batches {
        let names: Vec<&str> = batch.fields().iter().map(|f| f.name().as_str()).collect();
        // Which column holds the ids is the core's rule, as in `arichat assign`.
        let (ids, id_name) = match IdColumn::resolve(&names, id_column) {
            IdColumn::At(at) => (
                ids_of(
                    &arrow::view_in_place(names[at], batch.column(at).as_ref())
                        .map_err(invalid_data)?,
                    names[at],
                )?,
                Some(names[at]),
            ),
            IdColumn::RowNumbers => (
                (rows_before + 1..=rows_before + arrow_array::Array::len(batch))
                    .map(|n| n.to_string())
                    .collect(),
                None,
            ),
            IdColumn::Missing(name) => {
                return Err(invalid_data(format!(
                    "no id column {name:?} (columns: {})",
                    names.join(", ")
                )))
            }
        };
        rows_before += arrow_array::Array::len(batch);
        let ids: Vec<&str> = ids.iter().map(String::as_str).collect();
        // Columns the rules do not read are skipped by the core; reading them here
        // would only cost views.
        let views =
            arrow::views_in_place(batch, |name| Some(name) != id_name).map_err(invalid_data)?;
        let columns: Vec<_> = views.iter().map(|(n, v)| (*n, v.column())).collect();
        let out = bundle.assign_batch_counted(&ids, &columns, now, &mut usage)?;
        sink(&ids, out)?;
    }
    Ok(())
}

/// One row per assignment as Arrow columns: customer_id, campaign_id, variant,
/// reason, rule_path, bucket (uint16), offer (JSON text; null for a holdout).
#[derive(Default)]
struct Columns {
    customer_id: StringBuilder,
    campaign_id: StringBuilder,
    variant: StringBuilder,
    reason: StringBuilder,
    rule_path: StringBuilder,
    bucket: UInt16Builder,
    offer: StringBuilder,
}

impl Columns {
    /// Appends a batch's assignments; `offers[c][v]` is campaign `c`'s offer text for
    /// variant `v - 1` (`0`: no variant).
    fn append(
        &mut self,
        bundle: &arichat_core::campaign::CampaignBundle,
        offers: &[Vec<String>],
        ids: &[&str],
        out: &BatchAssignments,
    ) {
        let campaigns = bundle.campaigns();
        for i in 0..out.len() {
            let c = out.campaign[i] as usize;
            let campaign = &campaigns[c];
            self.customer_id.append_value(ids[out.row[i] as usize]);
            self.campaign_id.append_value(campaign.id.as_str());
            let v = out.variant[i].map(|v| v as usize);
            self.variant
                .append_option(v.and_then(|v| campaign.variants.get(v)).map(|v| &v.id));
            self.reason.append_value(out.reason[i].as_str());
            self.rule_path
                .append_value(&out.paths[out.rule_path[i] as usize]);
            self.bucket.append_value(out.bucket[i]);
            if out.reason[i] == Reason::Holdout {
                self.offer.append_null();
            } else {
                self.offer.append_value(&offers[c][v.map_or(0, |v| v + 1)]);
            }
        }
    }

    fn finish(mut self) -> Vec<(&'static str, ArrayRef)> {
        vec![
            (
                "customer_id",
                Arc::new(self.customer_id.finish()) as ArrayRef,
            ),
            ("campaign_id", Arc::new(self.campaign_id.finish())),
            ("variant", Arc::new(self.variant.finish())),
            ("reason", Arc::new(self.reason.finish())),
            ("rule_path", Arc::new(self.rule_path.finish())),
            ("bucket", Arc::new(self.bucket.finish())),
            ("offer", Arc::new(self.offer.finish())),
        ]
    }
}

/// Each campaign's offer as JSON text, without and with each variant (computed once,
/// not per row).
fn offer_texts(bundle: &arichat_core::campaign::CampaignBundle) -> Vec<Vec<String>> {
    bundle
        .campaigns()
        .iter()
        .map(|c| {
            (0..=c.variants.len())
                .map(|v| {
                    let offer = c.offer_for(v.checked_sub(1), Reason::TargetingMatch);
                    offer.map(|o| o.to_string()).unwrap_or_default()
                })
                .collect()
        })
        .collect()
}

/// Assigns every row of a table (pyarrow Table or RecordBatch, polars or pandas
/// DataFrame, dict of columns, anything with `__arrow_c_stream__`) at `now`: the same
/// assignments as `bundle.assign` row by row, with `max_assignments` counted in row
/// order. `id_column` holds the customer ids (text or whole numbers); without it,
/// `customer_id` or else `id`, else each row's number from 1 (as `arichat assign`). Runs
/// without the GIL. Returns a pyarrow Table with one row per assignment: `customer_id`,
/// `campaign_id`, `variant`, `reason`, `rule_path`, `bucket` (uint16) and `offer`
/// (JSON text, null for a holdout).
#[pyfunction]
#[pyo3(signature = (bundle, table, id_column = None, now = None))]
pub(crate) fn assign_table<'py>(
    py: Python<'py>,
    bundle: &CampaignBundle,
    table: &Bound<'py, PyAny>,
    id_column: Option<&str>,
    now: Option<&Bound<'py, PyAny>>,
) -> PyResult<Bound<'py, PyAny>> {
    let now = now_or(now)?;
    let imported = arrow::import(&arrow::to_arrow(table, "a table")?)?;
    let inner = &bundle.inner;
    let columns = py
        .detach(|| -> Result<_, CoreError> {
            let offers = offer_texts(inner);
            let mut cols = Columns::default();
            assign_batches(inner, &imported, id_column, now, |ids, out| {
                cols.append(inner, &offers, ids, &out);
                Ok(())
            })?;
            Ok(cols.finish())
        })
        .map_err(to_py_err)?;
    let data = Bound::new(py, arrow::ArrowData::table(columns)?)?;
    arrow::pyarrow(py)?.call_method1("table", (data,))
}

/// Customers' campaign assignments in Redis, one key per customer
/// (`<prefix>:campaigns:<customer_id>`, the entry as JSON, `PX` until its
/// `stale_until`). The daily batch writes with `write_table`; readers `get`, which
/// recomputes with the bundle when the entry is missing or expired and serves an
/// expired entry as `stale` within the grace period while writing a fresh one.
///
/// `on_unavailable` says what `get` does when Redis cannot answer: `"error"` raises
/// `StoreUnavailableError`; `"stale"` serves this process's last copy of the entry
/// while usable, else raises. Never an empty list in place of an answer. `url` never
/// appears in `repr()` nor in errors. Calls release the GIL while they wait for Redis.
#[pyclass(name = "CampaignCache", module = "arichat")]
pub struct CampaignCache {
    inner: Mutex<arichat_channels::store::CampaignCache>,
}

fn seconds(name: &'static str, seconds: f64) -> PyResult<Duration> {
    arichat_core::seconds("campaign cache", name, seconds).map_err(to_py_err)
}

impl CampaignCache {
    fn lock(&self) -> PyResult<MutexGuard<'_, arichat_channels::store::CampaignCache>> {
        self.inner
            .lock()
            .map_err(|_| PyRuntimeError::new_err("cache poisoned by a panic"))
    }
}

#[pymethods]
impl CampaignCache {
    /// Connects to Redis. Raises `InvalidConfigError` (not a Redis URL, a zero timeout
    /// or batch size), `UnknownVariantError` (an `on_unavailable` other than `"error"`
    /// or `"stale"`) or `StoreUnavailableError` (unreachable, credentials refused).
    #[new]
    #[allow(clippy::too_many_arguments)]
    // one per keyword argument, mapped onto the config
    // Defaults are the Rust config's own (Python's signature shows them as `...`, as the
    // stub does).
    #[pyo3(signature = (
        url,
        bundle,
        *,
        prefix = CampaignCacheConfig::DEFAULT_PREFIX,
        on_unavailable = UnavailablePolicy::default().as_str(),
        batch_size = CampaignCacheConfig::DEFAULT_BATCH_SIZE,
        connect_timeout = RedisConfig::DEFAULT_CONNECT_TIMEOUT.as_secs_f64(),
        io_timeout = RedisConfig::DEFAULT_IO_TIMEOUT.as_secs_f64(),
    ))]
    fn new(
        py: Python<'_>,
        url: String,
        bundle: &CampaignBundle,
        prefix: &str,
        on_unavailable: &str,
        batch_size: usize,
        connect_timeout: f64,
        io_timeout: f64,
    ) -> PyResult<Self> {
        let policy: UnavailablePolicy = on_unavailable.parse().map_err(to_py_err)?;
        let config = CampaignCacheConfig::new(url)
            .with_prefix(prefix)
            .with_on_unavailable(policy)
            .with_batch_size(batch_size)
            .with_connect_timeout(seconds("connect_timeout", connect_timeout)?)
            .with_io_timeout(seconds("io_timeout", io_timeout)?);
        let bundle = bundle.inner.clone();
        let cache = py
            .detach(|| arichat_channels::store::CampaignCache::connect(config, bundle))
            .map_err(to_py_err)?;
        Ok(CampaignCache {
            inner: Mutex::new(cache),
        })
    }

    /// The Redis key of a customer's entry.
    fn key(&self, customer_id: &str) -> PyResult<String> {
        Ok(self.lock()?.config().key(customer_id))
    }

    /// Writes cache entries (dicts as `CampaignBundle.assign_set` returns), pipelined;
    /// an entry already past its `stale_until` at `now` is skipped. Returns how many
    /// were written.
    #[pyo3(signature = (entries, now = None))]
    fn write(
        &self,
        py: Python<'_>,
        entries: &Bound<'_, PyAny>,
        now: Option<&Bound<'_, PyAny>>,
    ) -> PyResult<usize> {
        let now = now_or(now)?;
        let dumps = py.import("json")?.getattr("dumps")?;
        let sets = entries
            .try_iter()?
            .map(|e| {
                let text: String = dumps.call1((e?,))?.extract()?;
                serde_json::from_str::<AssignmentSet>(&text).map_err(|e| {
                    to_py_err(CoreError::InvalidJson {
                        what: "assignment set",
                        reason: e.to_string(),
                    })
                })
            })
            .collect::<PyResult<Vec<_>>>()?;
        py.detach(|| self.lock()?.write(&sets, now).map_err(to_py_err))
    }

    /// Assigns every row of `table` with the cache's bundle (as `assign_table`) and
    /// writes one entry per customer, also for customers without campaigns, so that
    /// readers do not recompute them. Returns how many entries were written.
    #[pyo3(signature = (table, id_column = None, now = None))]
    fn write_table(
        &self,
        py: Python<'_>,
        table: &Bound<'_, PyAny>,
        id_column: Option<&str>,
        now: Option<&Bound<'_, PyAny>>,
    ) -> PyResult<usize> {
        let now = now_or(now)?;
        let imported = arrow::import(&arrow::to_arrow(table, "a table")?)?;
        py.detach(|| {
            let mut cache = self.lock()?;
            let bundle = cache.bundle().clone();
            let mut written = 0;
            assign_batches(&bundle, &imported, id_column, now, |ids, out| {
                written += cache.write(&out.sets(&bundle, ids, now), now)?;
                Ok(())
            })
            .map_err(to_py_err)?;
            Ok(written)
        })
    }

    /// The stored entry of a customer as written, or None.
    fn read<'py>(&self, py: Python<'py>, customer_id: &str) -> PyResult<Bound<'py, PyAny>> {
        let set = py.detach(|| self.lock()?.read(customer_id).map_err(to_py_err))?;
        to_py(py, &set)
    }

    /// A customer's entry at `now` (a dict as `CampaignBundle.assign_set` returns, its
    /// reasons as served: `cached`, `stale`, or those of a computation), or None when
    /// nothing is stored and the customer is unknown. `attributes` gives the
    /// customer's attributes when the entry must be recomputed: a mapping, or a
    /// callable taking the customer id and returning a mapping or None (called only
    /// when needed; its exception propagates).
    #[pyo3(signature = (customer_id, attributes = None, now = None))]
    fn get<'py>(
        &self,
        py: Python<'py>,
        customer_id: &str,
        attributes: Option<Bound<'py, PyAny>>,
        now: Option<&Bound<'py, PyAny>>,
    ) -> PyResult<Bound<'py, PyAny>> {
        let now = now_or(now)?;
        let (record, lookup) = match attributes {
            Some(a) if a.is_callable() => (None, Some(a.unbind())),
            Some(a) => (Some(self::attributes(&a)?), None),
            None => (None, None),
        };
        let mut failed: Option<PyErr> = None;
        let set = py.detach(|| {
            let mut cache = self.lock()?;
            cache
                .get(customer_id, now, |id| match lookup {
                    Some(f) => Python::attach(|py| {
                        let called = f.bind(py).call1((id,)).and_then(|r| {
                            if r.is_none() {
                                Ok(None)
                            } else {
                                self::attributes(&r).map(Some)
                            }
                        });
                        called.unwrap_or_else(|e| {
                            failed = Some(e);
                            None
                        })
                    }),
                    None => record,
                })
                .map_err(to_py_err)
        });
        if let Some(e) = failed {
            return Err(e);
        }
        to_py(py, &set?)
    }

    /// Names the endpoint, database, prefix and bundle version; never the password.
    fn __repr__(&self) -> PyResult<String> {
        Ok(format!("<arichat.{:?}>", *self.lock()?))
    }
}
