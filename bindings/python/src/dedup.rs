//! `arichat.RedisIdempotencyStore`: the Redis-backed idempotency store of
//! [`arichat_channels::store`], shared by several worker processes.

use std::sync::{Mutex, MutexGuard};
use std::time::Duration;

use arichat_channels::store::{HistoryLostPolicy, RedisConfig};
use arichat_core::dedup::{IdempotencyStore, Seen};
use arichat_core::CoreError;
use pyo3::exceptions::{PyKeyError, PyRuntimeError, PyTypeError};
use pyo3::prelude::*;

use crate::error::to_py_err;

/// Remembers webhook events' idempotency keys in Redis, so that several workers
/// behind a load balancer apply each event once.
///
/// `url` is `redis://[:password@]host[:port][/db]`; it never appears in `repr()` nor in
/// error messages. Every key is stored as `prefix + key` for `ttl_seconds` (Redis
/// keeps the clock). The constructor connects; when Redis cannot be reached or
/// refuses the password it raises `StoreUnavailableError` (code `store_unavailable`),
/// and so does any later call that Redis cannot answer: never a guessed "new".
///
/// When Redis lost its keys since the store connected (restarted without persistence,
/// flushed), calls raise `StoreHistoryLostError` (code `store_history_lost`), or, with
/// `on_history_lost="reset"`, start a new generation, count it in `history_losses` and
/// go on (redeliveries of earlier events are then applied again).
///
/// Calls release the GIL while they wait for Redis. One store serializes its calls
/// on one connection; give each worker process (or busy thread) its own.
#[pyclass(name = "RedisIdempotencyStore", module = "arichat")]
pub struct RedisIdempotencyStore {
    inner: Mutex<arichat_channels::store::RedisIdempotencyStore>,
    prefix: String,
    ttl_seconds: f64,
}

fn duration(name: &'static str, seconds: f64) -> PyResult<Duration> {
    arichat_core::seconds("redis store", name, seconds).map_err(to_py_err)
}

impl RedisIdempotencyStore {
    fn lock(&self) -> PyResult<MutexGuard<'_, arichat_channels::store::RedisIdempotencyStore>> {
        self.inner
            .lock()
            .map_err(|_| PyRuntimeError::new_err("store poisoned by a panic"))
    }

    fn with_store<T: Send>(
        &self,
        py: Python<'_>,
        f: impl FnOnce(&mut arichat_channels::store::RedisIdempotencyStore) -> Result<T, CoreError>
            + Send,
    ) -> PyResult<T> {
        py.detach(|| {
            let mut store = self.lock()?;
            f(&mut store).map_err(to_py_err)
        })
    }
}

#[pymethods]
impl RedisIdempotencyStore {
    /// Connects to Redis. Raises `InvalidConfigError` for a URL that is not a Redis URL
    /// or a non-positive TTL or timeout, `StoreUnavailableError` when Redis cannot be
    /// reached or refuses the credentials.
    #[new]
    // Defaults are the Rust config's own (Python's signature shows them as `...`, as the
    // stub does).
    #[pyo3(signature = (
        url,
        *,
        ttl_seconds = RedisConfig::DEFAULT_TTL.as_secs_f64(),
        prefix = RedisConfig::DEFAULT_PREFIX,
        connect_timeout = RedisConfig::DEFAULT_CONNECT_TIMEOUT.as_secs_f64(),
        io_timeout = RedisConfig::DEFAULT_IO_TIMEOUT.as_secs_f64(),
        on_history_lost = HistoryLostPolicy::default().as_str(),
    ))]
    fn new(
        py: Python<'_>,
        url: String,
        ttl_seconds: f64,
        prefix: &str,
        connect_timeout: f64,
        io_timeout: f64,
        on_history_lost: &str,
    ) -> PyResult<Self> {
        let policy: HistoryLostPolicy = on_history_lost.parse().map_err(to_py_err)?;
        let config = RedisConfig::new(url)
            .with_on_history_lost(policy)
            .with_prefix(prefix)
            .with_ttl(duration("ttl_seconds", ttl_seconds)?)
            .with_connect_timeout(duration("connect_timeout", connect_timeout)?)
            .with_io_timeout(duration("io_timeout", io_timeout)?);
        let store = py
            .detach(|| arichat_channels::store::RedisIdempotencyStore::connect(config))
            .map_err(to_py_err)?;
        Ok(RedisIdempotencyStore {
            inner: Mutex::new(store),
            prefix: prefix.to_owned(),
            ttl_seconds,
        })
    }

    /// Records `key` if Redis does not hold it yet (atomically, across every worker)
    /// and returns `True` when it was new: apply the event. `False` means a redelivery.
    fn check_and_insert(&self, py: Python<'_>, key: &str) -> PyResult<bool> {
        let seen = self.with_store(py, |s| s.check_and_insert(key, chrono::Utc::now()))?;
        Ok(seen == Seen::New)
    }

    /// `check_and_insert(event["idempotency_key"])` for an event dict from
    /// `arichat.normalize`.
    fn check_and_insert_event(&self, py: Python<'_>, event: &Bound<'_, PyAny>) -> PyResult<bool> {
        let key = event.get_item("idempotency_key").map_err(|e| {
            if e.is_instance_of::<PyKeyError>(py) || e.is_instance_of::<PyTypeError>(py) {
                PyTypeError::new_err(
                    "event must be a mapping with an \"idempotency_key\" (an event from arichat.normalize)",
                )
            } else {
                e
            }
        })?;
        let key: String = key.extract()?;
        self.check_and_insert(py, &key)
    }

    /// Forgets `key` so that its next delivery counts as new: call it when applying an
    /// event failed after `check_and_insert` returned `True`. Returns whether the key
    /// was held.
    fn forget(&self, py: Python<'_>, key: &str) -> PyResult<bool> {
        self.with_store(py, |s| s.forget(key))
    }

    /// The key prefix.
    #[getter]
    fn prefix(&self) -> &str {
        &self.prefix
    }

    /// How long a key is remembered, in seconds.
    #[getter]
    fn ttl_seconds(&self) -> f64 {
        self.ttl_seconds
    }

    /// How many times Redis was found to have lost its keys and the store went on
    /// (only with `on_history_lost="reset"`).
    #[getter]
    fn history_losses(&self) -> PyResult<u64> {
        let store = self.lock()?;
        Ok(store.history_losses())
    }

    /// Names the endpoint, database, prefix and TTL; never the password.
    fn __repr__(&self) -> PyResult<String> {
        let store = self.lock()?;
        Ok(format!("<arichat.{store:?}>"))
    }
}
