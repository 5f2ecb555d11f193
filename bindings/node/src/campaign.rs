//! `CampaignBundle` and `CampaignCache`: the campaigns of `arichat_core::campaign` and
//! the Redis cache reader of `arichat_channels::store`.
//!
//! Assignments, explanations and cache entries reach JS as the core's serde JSON
//! (snake_case keys, the same objects Python returns and Redis stores).

use std::sync::{Arc, Mutex};

use arichat_channels::store::{CampaignCacheConfig, UnavailablePolicy};
use arichat_core::campaign::AssignmentSet;
use arichat_core::scoring::LeadRecord;
use arichat_core::CoreError;
use chrono::{DateTime, Utc};
use napi::bindgen_prelude::{spawn_blocking, AsyncTask, Date, Promise, PromiseRaw};
use napi::threadsafe_function::ThreadsafeFunction;
use napi::{Env, Status, Task};
use napi_derive::napi;
use serde_json::Value as Json;

use crate::error::core_error_js;
use crate::{core_error, to_utc, Result};

/// An entry as JS receives it: a plain object, or null.
type JsEntry = Option<std::collections::HashMap<String, Json>>;

fn now_or(now: Option<Date>) -> Result<DateTime<Utc>> {
    now.map_or_else(|| Ok(Utc::now()), |d| to_utc(d, "now"))
}

/// A JS object of attributes as a record (values: string, number, boolean or null).
fn record(attributes: Json) -> Result<LeadRecord> {
    lead_record(attributes).map_err(core_error)
}

fn lead_record(attributes: Json) -> std::result::Result<LeadRecord, CoreError> {
    serde_json::from_value(attributes).map_err(|e| CoreError::InvalidJson {
        what: "customer attributes",
        reason: e.to_string(),
    })
}

fn to_js(value: serde_json::Result<Json>) -> Result<Json> {
    value.map_err(|e| {
        core_error(CoreError::InvalidJson {
            what: "assignments",
            reason: e.to_string(),
        })
    })
}

/// Campaigns with their eligibility rules, splits, caps and offers. Evaluating never
/// fails and reads no clock: `now` defaults to the current time.
#[napi]
pub struct CampaignBundle {
    inner: Arc<arichat_core::campaign::CampaignBundle>,
}

/// A bundle's evaluation of one customer: `f` on the bundle, id, record and `now`.
type Eval = fn(
    &arichat_core::campaign::CampaignBundle,
    &str,
    &LeadRecord,
    DateTime<Utc>,
) -> serde_json::Result<Json>;

impl CampaignBundle {
    fn eval(
        &self,
        customer_id: &str,
        attributes: Json,
        now: Option<Date>,
        f: Eval,
    ) -> Result<Json> {
        let record = record(attributes)?;
        to_js(f(&self.inner, customer_id, &record, now_or(now)?))
    }
}

#[napi]
impl CampaignBundle {
    /// Reads and checks a bundle in TOML; errors name the path of the bad value.
    ///
    /// Throws `invalid_campaign`.
    #[napi(factory)]
    pub fn from_toml(text: String) -> Result<Self> {
        let inner =
            arichat_core::campaign::CampaignBundle::from_toml_str(&text).map_err(core_error)?;
        Ok(CampaignBundle {
            inner: Arc::new(inner),
        })
    }

    /// Reads and checks a bundle in JSON (the same shape as TOML).
    ///
    /// Throws `invalid_campaign`.
    #[napi(factory)]
    pub fn from_json(text: String) -> Result<Self> {
        let inner =
            arichat_core::campaign::CampaignBundle::from_json_str(&text).map_err(core_error)?;
        Ok(CampaignBundle {
            inner: Arc::new(inner),
        })
    }

    /// The bundle's version, copied into every cache entry.
    #[napi(getter)]
    pub fn version(&self) -> String {
        self.inner.version().to_owned()
    }

    /// The campaigns of one customer at `now`, highest priority first: objects with
    /// `campaign_id`, `variant`?, `reason`, `rule_path`, `bucket`, `priority`,
    /// `channels`? and `offer` (null for a holdout).
    ///
    /// Throws `invalid_json` for attributes that are not strings, numbers, booleans or
    /// null.
    #[napi(
        ts_args_type = "customerId: string, attributes: Record<string, string | number | boolean | null>, now?: Date",
        ts_return_type = "Array<Record<string, any>>"
    )]
    pub fn assign(&self, customer_id: String, attributes: Json, now: Option<Date>) -> Result<Json> {
        self.eval(&customer_id, attributes, now, |b, id, r, t| {
            serde_json::to_value(b.assign(id, r, t))
        })
    }

    /// What happened to every campaign for this customer, in evaluation order:
    /// `campaign_id`, `status` and, when known, `reason`, `rule_path`, `excluded_by`.
    #[napi(
        ts_args_type = "customerId: string, attributes: Record<string, string | number | boolean | null>, now?: Date",
        ts_return_type = "Array<Record<string, any>>"
    )]
    pub fn explain(
        &self,
        customer_id: String,
        attributes: Json,
        now: Option<Date>,
    ) -> Result<Json> {
        self.eval(&customer_id, attributes, now, |b, id, r, t| {
            serde_json::to_value(b.explain(id, r, t))
        })
    }

    /// The cache entry of one customer at `now`: `customer_id`, `computed_at`,
    /// `expires_at`, `stale_until` (RFC 3339), `bundle_version`, `assignments`.
    #[napi(
        ts_args_type = "customerId: string, attributes: Record<string, string | number | boolean | null>, now?: Date",
        ts_return_type = "Record<string, any>"
    )]
    pub fn assign_set(
        &self,
        customer_id: String,
        attributes: Json,
        now: Option<Date>,
    ) -> Result<Json> {
        self.eval(&customer_id, attributes, now, |b, id, r, t| {
            serde_json::to_value(b.assign_set(id, r, t))
        })
    }
}

/// Options of the [`CampaignCache`] constructor.
#[napi(object, object_to_js = false)]
pub struct CampaignCacheOptions {
    /// Keys are `<prefix>:campaigns:<customerId>` (default `"arichat"`).
    pub prefix: Option<String>,
    /// When Redis cannot answer: `"error"` (the default: reject with
    /// `store_unavailable`) or `"stale"` (this process's last copy while usable).
    #[napi(ts_type = "'error' | 'stale'")]
    pub on_unavailable: Option<String>,
}

/// Customers' campaign assignments in Redis, as the daily batch writes them: `get`
/// reads a customer's entry (reasons `cached` / `stale`), recomputing it with the
/// bundle from the given attributes and writing it back when missing or expired.
/// `url` never appears in errors. Calls run on libuv's thread pool.
#[napi]
pub struct CampaignCache {
    inner: Arc<Mutex<arichat_channels::store::CampaignCache>>,
}

#[napi]
impl CampaignCache {
    /// Connects to Redis.
    ///
    /// Throws `invalid_config`, `unknown_variant` (an `onUnavailable` other than
    /// `'error'` or `'stale'`) or `store_unavailable`.
    #[napi(constructor)]
    pub fn new(
        url: String,
        bundle: &CampaignBundle,
        options: Option<CampaignCacheOptions>,
    ) -> Result<Self> {
        let mut config = CampaignCacheConfig::new(url);
        if let Some(o) = options {
            if let Some(prefix) = o.prefix {
                config = config.with_prefix(prefix);
            }
            if let Some(policy) = o.on_unavailable {
                let policy: UnavailablePolicy = policy.parse().map_err(core_error)?;
                config = config.with_on_unavailable(policy);
            }
        }
        let cache = arichat_channels::store::CampaignCache::connect(config, bundle.inner.clone())
            .map_err(core_error)?;
        Ok(CampaignCache {
            inner: Arc::new(Mutex::new(cache)),
        })
    }

    /// A customer's entry at `now` with its reasons as served (`cached`, `stale`, or
    /// those of a computation from `attributes`), or null when nothing is stored and no
    /// attributes are given. Rejects with `store_unavailable` when Redis cannot answer
    /// (unless `onUnavailable: 'stale'` has a copy).
    #[napi(
        ts_args_type = "customerId: string, attributes?: Record<string, string | number | boolean | null> | null, now?: Date",
        ts_return_type = "Promise<Record<string, any> | null>"
    )]
    pub fn get(
        &self,
        customer_id: String,
        attributes: Option<Json>,
        now: Option<Date>,
    ) -> Result<AsyncTask<GetTask>> {
        let record = attributes
            .filter(|a| !a.is_null())
            .map(record)
            .transpose()?;
        Ok(AsyncTask::new(GetTask {
            cache: self.inner.clone(),
            customer_id,
            record,
            now: now_or(now)?,
        }))
    }
}

/// The JS lookup of [`CampaignCache::get_or_lookup`]: `(customerId) => Promise<attributes
/// | null>`, called with the id alone (not Node's `(err, value)` convention).
type Lookup = ThreadsafeFunction<String, Promise<Option<Json>>, String, Status, false>;

#[napi]
impl CampaignCache {
    /// `get` when the customer's attributes live elsewhere (a database):
    /// `lookup(customerId)` is awaited only when the entry must be computed again
    /// (missing, expired, or from another bundle version) — a fresh entry is served
    /// without calling it. It resolves with the attributes or null (then a usable
    /// stale entry is served, or null); if it rejects, `getOrLookup` rejects with that
    /// error. The same decisions as Python's `CampaignCache.get(id, callable)`: they
    /// live in the Rust cache, which this asks twice (without and with the attributes).
    #[napi(
        ts_args_type = "customerId: string, lookup: (customerId: string) => Promise<Record<string, string | number | boolean | null> | null>, now?: Date",
        ts_return_type = "Promise<Record<string, any> | null>"
    )]
    pub fn get_or_lookup<'env>(
        &self,
        env: &'env Env,
        customer_id: String,
        lookup: Lookup,
        now: Option<Date>,
    ) -> napi::Result<PromiseRaw<'env, JsEntry>> {
        let now = now_or(now).map_err(crate::ErrorCode::into_status)?;
        let cache = self.inner.clone();
        env.spawn_future_with_callback(
            async move {
                let id = customer_id.clone();
                let first = cache.clone();
                let (served, needed) = spawn_blocking(move || {
                    let mut needed = false;
                    let served = lock(&first).map(|mut c| {
                        c.get(&id, now, |_| {
                            needed = true;
                            None
                        })
                    });
                    (served, needed)
                })
                .await
                .map_err(|e| napi::Error::from_reason(e.to_string()))?;
                if !needed {
                    return served;
                }
                let attributes = lookup.call_async_catch(customer_id.clone()).await?.await?;
                let record = match attributes.filter(|a| !a.is_null()).map(lead_record) {
                    None => None,
                    Some(Ok(r)) => Some(r),
                    Some(Err(e)) => return Ok(Err(e)),
                };
                spawn_blocking(move || {
                    lock(&cache).map(|mut c| c.get(&customer_id, now, |_| record))
                })
                .await
                .map_err(|e| napi::Error::from_reason(e.to_string()))?
            },
            entry_to_js,
        )
    }
}

fn lock(
    cache: &Mutex<arichat_channels::store::CampaignCache>,
) -> napi::Result<std::sync::MutexGuard<'_, arichat_channels::store::CampaignCache>> {
    cache
        .lock()
        .map_err(|_| napi::Error::from_reason("cache poisoned by a panic"))
}

/// An entry as JS sees it, or the core error mapped with its `code`.
fn entry_to_js(
    env: &Env,
    output: std::result::Result<Option<AssignmentSet>, CoreError>,
) -> napi::Result<JsEntry> {
    match output {
        Ok(None) => Ok(None),
        Ok(Some(set)) => match serde_json::to_value(set) {
            Ok(Json::Object(map)) => Ok(Some(map.into_iter().collect())),
            Ok(_) => Err(napi::Error::from_reason("an entry is a JSON object")),
            Err(e) => Err(napi::Error::from_reason(e.to_string())),
        },
        Err(e) => Err(core_error_js(env, &e)),
    }
}

/// One [`CampaignCache::get`] on the thread pool.
pub struct GetTask {
    cache: Arc<Mutex<arichat_channels::store::CampaignCache>>,
    customer_id: String,
    record: Option<LeadRecord>,
    now: DateTime<Utc>,
}

impl Task for GetTask {
    type Output = std::result::Result<Option<AssignmentSet>, CoreError>;
    type JsValue = JsEntry;

    fn compute(&mut self) -> napi::Result<Self::Output> {
        let record = self.record.take();
        Ok(lock(&self.cache)?.get(&self.customer_id, self.now, |_| record))
    }

    fn resolve(&mut self, env: Env, output: Self::Output) -> napi::Result<Self::JsValue> {
        entry_to_js(&env, output)
    }
}
