//! `RedisIdempotencyStore`: the Redis-backed idempotency store of
//! [`arichat_channels::store`], shared by several worker processes. Every call that
//! talks to Redis returns a Promise and runs on libuv's thread pool, so a slow or
//! unreachable Redis never blocks the event loop.

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use arichat_channels::store::{RedisConfig, RedisIdempotencyStore as Store};
use arichat_core::dedup::{IdempotencyStore, Seen};
use arichat_core::CoreError;
use napi::bindgen_prelude::{AsyncTask, Object};
use napi::{Env, Status, Task};
use napi_derive::napi;

use crate::error::core_error_js;
use crate::{core_error, ErrorCode, Result};

/// Options of the [`RedisIdempotencyStore`] constructor.
#[napi(object, object_to_js = false)]
#[derive(Default)]
pub struct RedisStoreOptions {
    /// How long a key is remembered, in seconds (default 604800: 7 days).
    pub ttl_seconds: Option<f64>,
    /// Prepended to every key, for example one per tenant (default `"arichat:dedup:"`).
    pub prefix: Option<String>,
    /// Time allowed to open the connection, in seconds (default 2).
    pub connect_timeout_seconds: Option<f64>,
    /// Time allowed for one command and its reply, in seconds (default 2).
    pub io_timeout_seconds: Option<f64>,
    /// What to do when Redis lost its keys since the store connected: `"error"` (the
    /// default: reject with `store_history_lost`) or `"reset"` (start a new generation,
    /// count it in `historyLosses`, go on; earlier events' redeliveries are applied
    /// again).
    #[napi(ts_type = "'error' | 'reset'")]
    pub on_history_lost: Option<String>,
}

fn seconds(name: &'static str, value: Option<f64>, default: Duration) -> Result<Duration> {
    value.map_or(Ok(default), |s| {
        arichat_core::seconds("redis store", name, s).map_err(core_error)
    })
}

/// The store's config from the JS options: durations as the user gave them, the
/// defaults and checks are [`RedisConfig`]'s.
fn config(url: String, options: Option<RedisStoreOptions>) -> Result<RedisConfig> {
    let o = options.unwrap_or_default();
    let ttl = seconds("ttlSeconds", o.ttl_seconds, RedisConfig::DEFAULT_TTL)?;
    let mut config = RedisConfig::new(url)
        .with_ttl(ttl)
        .with_connect_timeout(seconds(
            "connectTimeoutSeconds",
            o.connect_timeout_seconds,
            RedisConfig::DEFAULT_CONNECT_TIMEOUT,
        )?)
        .with_io_timeout(seconds(
            "ioTimeoutSeconds",
            o.io_timeout_seconds,
            RedisConfig::DEFAULT_IO_TIMEOUT,
        )?);
    if let Some(prefix) = o.prefix {
        config = config.with_prefix(prefix);
    }
    if let Some(policy) = o.on_history_lost {
        config = config.with_on_history_lost(policy.parse().map_err(core_error)?);
    }
    Ok(config)
}

/// Remembers webhook events' idempotency keys in Redis, so that several workers
/// behind a load balancer apply each event once.
///
/// `url` is `redis://[:password@]host[:port][/db]`; it never appears in `toString()`
/// nor in error messages. `RedisIdempotencyStore.connect(url, options)` connects off
/// the event loop; the constructor connects in place. Every call is one `SET NX PX`
/// round trip on libuv's thread pool and returns a Promise. When Redis cannot answer
/// it rejects with code `store_unavailable`, never a guessed "new": answer the webhook
/// with a 5xx. When Redis lost its keys since the store connected (restarted without
/// persistence, flushed) it rejects with `store_history_lost`, unless
/// `onHistoryLost: 'reset'`.
#[napi]
pub struct RedisIdempotencyStore {
    inner: Arc<Mutex<Store>>,
    /// Written by each call on the thread pool, read by the getter without the lock.
    history_losses: Arc<AtomicU64>,
    prefix: String,
    ttl_seconds: f64,
    /// The `Debug` text (endpoint, database, prefix, TTL; no password), fixed at connect.
    description: String,
}

impl RedisIdempotencyStore {
    fn connected(config: RedisConfig) -> std::result::Result<Self, CoreError> {
        let prefix = config.prefix().to_owned();
        let ttl_seconds = config.ttl().as_secs_f64();
        let store = Store::connect(config)?;
        Ok(RedisIdempotencyStore {
            history_losses: Arc::new(AtomicU64::new(store.history_losses())),
            description: format!("{store:?}"),
            inner: Arc::new(Mutex::new(store)),
            prefix,
            ttl_seconds,
        })
    }

    fn task(&self, op: Op) -> AsyncTask<StoreTask> {
        AsyncTask::new(StoreTask {
            store: Arc::clone(&self.inner),
            history_losses: Arc::clone(&self.history_losses),
            op: Some(op),
        })
    }
}

#[napi]
impl RedisIdempotencyStore {
    /// Connects to Redis in place (blocking for at most the connect timeout); a server
    /// prefers `RedisIdempotencyStore.connect`.
    ///
    /// Throws `invalid_config` (not a Redis URL, a non-positive TTL or timeout) or
    /// `store_unavailable` (unreachable, credentials refused).
    #[napi(constructor)]
    pub fn new(url: String, options: Option<RedisStoreOptions>) -> Result<Self> {
        Self::connected(config(url, options)?).map_err(core_error)
    }

    /// Connects to Redis on the thread pool; resolves to the store.
    ///
    /// Throws `invalid_config` for bad options; rejects with `store_unavailable`
    /// (unreachable, credentials refused).
    #[napi(ts_return_type = "Promise<RedisIdempotencyStore>")]
    pub fn connect(
        url: String,
        options: Option<RedisStoreOptions>,
    ) -> Result<AsyncTask<ConnectTask>> {
        Ok(AsyncTask::new(ConnectTask {
            config: Some(config(url, options)?),
        }))
    }

    /// Records `key` if Redis does not hold it yet (atomically, across every worker)
    /// and resolves to `true` when it was new: apply the event. `false` means a
    /// redelivery.
    ///
    /// Rejects with `store_unavailable` or `store_history_lost`.
    #[napi(ts_return_type = "Promise<boolean>")]
    pub fn check_and_insert(&self, key: String) -> AsyncTask<StoreTask> {
        self.task(Op::CheckAndInsert(key))
    }

    /// `checkAndInsert(event.idempotency_key)` for an event from `normalize`.
    ///
    /// Throws `InvalidArg` for an object without a string `idempotency_key`; rejects as
    /// `checkAndInsert` does.
    #[napi(
        ts_args_type = "event: Pick<Event, 'idempotency_key'>",
        ts_return_type = "Promise<boolean>"
    )]
    pub fn check_and_insert_event(&self, event: Object) -> Result<AsyncTask<StoreTask>> {
        let key = event
            .get::<String>("idempotency_key")
            .ok()
            .flatten()
            .ok_or_else(|| {
                napi::Error::new(
                    ErrorCode::Napi(Status::InvalidArg),
                    "event must have a string idempotency_key (an event from normalize)".to_owned(),
                )
            })?;
        Ok(self.check_and_insert(key))
    }

    /// Forgets `key` so that its next delivery counts as new: call it when applying an
    /// event failed after `checkAndInsert` resolved to `true`. Resolves to whether the
    /// key was held.
    ///
    /// Rejects with `store_unavailable`.
    #[napi(ts_return_type = "Promise<boolean>")]
    pub fn forget(&self, key: String) -> AsyncTask<StoreTask> {
        self.task(Op::Forget(key))
    }

    /// The key prefix.
    #[napi(getter)]
    pub fn prefix(&self) -> String {
        self.prefix.clone()
    }

    /// How long a key is remembered, in seconds.
    #[napi(getter)]
    pub fn ttl_seconds(&self) -> f64 {
        self.ttl_seconds
    }

    /// How many times Redis was found to have lost its keys and the store went on
    /// (only with `onHistoryLost: 'reset'`), as of the last settled call.
    #[napi(getter)]
    pub fn history_losses(&self) -> f64 {
        // u64 to a JS number: exact below 2^53 losses.
        self.history_losses.load(Ordering::Relaxed) as f64
    }

    /// The endpoint, database, prefix and TTL; never the password.
    #[napi(js_name = "toString")]
    pub fn to_js_string(&self) -> String {
        self.description.clone()
    }
}

/// `RedisIdempotencyStore.connect` on the thread pool.
pub struct ConnectTask {
    config: Option<RedisConfig>,
}

impl Task for ConnectTask {
    type Output = std::result::Result<RedisIdempotencyStore, CoreError>;
    type JsValue = RedisIdempotencyStore;

    fn compute(&mut self) -> napi::Result<Self::Output> {
        let config = self
            .config
            .take()
            .ok_or_else(|| napi::Error::from_reason("a connect task runs once"))?;
        Ok(RedisIdempotencyStore::connected(config))
    }

    fn resolve(&mut self, env: Env, output: Self::Output) -> napi::Result<Self::JsValue> {
        output.map_err(|e| core_error_js(&env, &e))
    }
}

enum Op {
    CheckAndInsert(String),
    Forget(String),
}

/// One store call on the thread pool; calls of one store take turns on its connection.
pub struct StoreTask {
    store: Arc<Mutex<Store>>,
    history_losses: Arc<AtomicU64>,
    op: Option<Op>,
}

impl Task for StoreTask {
    type Output = std::result::Result<bool, CoreError>;
    type JsValue = bool;

    fn compute(&mut self) -> napi::Result<Self::Output> {
        let mut store = self
            .store
            .lock()
            .map_err(|_| napi::Error::from_reason("store poisoned by a panic"))?;
        let op = self
            .op
            .take()
            .ok_or_else(|| napi::Error::from_reason("a store task runs once"))?;
        let out = match op {
            Op::CheckAndInsert(key) => store
                .check_and_insert(&key, chrono::Utc::now())
                .map(|seen| seen == Seen::New),
            Op::Forget(key) => store.forget(&key),
        };
        self.history_losses
            .store(store.history_losses(), Ordering::Relaxed);
        Ok(out)
    }

    fn resolve(&mut self, env: Env, output: Self::Output) -> napi::Result<Self::JsValue> {
        output.map_err(|e| core_error_js(&env, &e))
    }
}
