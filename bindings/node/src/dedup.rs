//! `RedisIdempotencyStore`: the Redis-backed idempotency store of
//! [`arichat_channels::store`], shared by several worker processes.

use std::time::Duration;

use arichat_channels::store::{RedisConfig, RedisIdempotencyStore as Store};
use arichat_core::dedup::{IdempotencyStore, Seen};
use arichat_core::CoreError;
use napi::bindgen_prelude::Object;
use napi::Status;
use napi_derive::napi;

use crate::{core_error, ErrorCode, Result};

/// Options of the [`RedisIdempotencyStore`] constructor.
#[napi(object, object_to_js = false)]
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
    /// default: throw `store_history_lost`) or `"reset"` (start a new generation, count
    /// it in `historyLosses`, go on; earlier events' redeliveries are applied again).
    #[napi(ts_type = "'error' | 'reset'")]
    pub on_history_lost: Option<String>,
}

fn seconds(name: &'static str, value: Option<f64>, default: Duration) -> Result<Duration> {
    match value {
        None => Ok(default),
        Some(s) => Duration::try_from_secs_f64(s).map_err(|_| {
            core_error(CoreError::InvalidConfig {
                what: "redis store",
                reason: format!("{name} must be a finite number of seconds >= 0, got {s}"),
            })
        }),
    }
}

/// Remembers webhook events' idempotency keys in Redis, so that several workers
/// behind a load balancer apply each event once.
///
/// `url` is `redis://[:password@]host[:port][/db]`; it never appears in `toString()`
/// nor in error messages. The constructor connects. Calls are synchronous: each is
/// one `SET NX PX` round trip and blocks the event loop for at most the I/O timeout.
/// When Redis cannot answer they throw an error with code `store_unavailable`, never
/// a guessed "new": answer the webhook with a 5xx. When Redis lost its keys since the
/// store connected (restarted without persistence, flushed) they throw
/// `store_history_lost`, unless `onHistoryLost: 'reset'`.
#[napi]
pub struct RedisIdempotencyStore {
    inner: Store,
    prefix: String,
    ttl_seconds: f64,
}

#[napi]
impl RedisIdempotencyStore {
    /// Connects to Redis.
    ///
    /// Throws `invalid_config` (not a Redis URL, a non-positive TTL or timeout) or
    /// `store_unavailable` (unreachable, credentials refused).
    #[napi(constructor)]
    pub fn new(url: String, options: Option<RedisStoreOptions>) -> Result<Self> {
        let o = options.unwrap_or(RedisStoreOptions {
            ttl_seconds: None,
            prefix: None,
            connect_timeout_seconds: None,
            io_timeout_seconds: None,
            on_history_lost: None,
        });
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
        let prefix = config.prefix().to_owned();
        let inner = Store::connect(config).map_err(core_error)?;
        Ok(RedisIdempotencyStore {
            inner,
            prefix,
            ttl_seconds: ttl.as_secs_f64(),
        })
    }

    /// Records `key` if Redis does not hold it yet (atomically, across every worker)
    /// and returns `true` when it was new: apply the event. `false` means a redelivery.
    ///
    /// Throws `store_unavailable` or `store_history_lost`.
    #[napi]
    pub fn check_and_insert(&mut self, key: String) -> Result<bool> {
        let seen = self
            .inner
            .check_and_insert(&key, chrono::Utc::now())
            .map_err(core_error)?;
        Ok(seen == Seen::New)
    }

    /// `checkAndInsert(event.idempotency_key)` for an event from `normalize`.
    ///
    /// Throws `store_unavailable`, or `InvalidArg` for an object without a string
    /// `idempotency_key`.
    #[napi(ts_args_type = "event: Pick<Event, 'idempotency_key'>")]
    pub fn check_and_insert_event(&mut self, event: Object) -> Result<bool> {
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
        self.check_and_insert(key)
    }

    /// Forgets `key` so that its next delivery counts as new: call it when applying an
    /// event failed after `checkAndInsert` returned `true`. Returns whether the key was
    /// held.
    ///
    /// Throws `store_unavailable`.
    #[napi]
    pub fn forget(&mut self, key: String) -> Result<bool> {
        self.inner.forget(&key).map_err(core_error)
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
    /// (only with `onHistoryLost: 'reset'`).
    #[napi(getter)]
    pub fn history_losses(&self) -> f64 {
        // u64 to a JS number: exact below 2^53 losses.
        self.inner.history_losses() as f64
    }

    /// The endpoint, database, prefix and TTL; never the password.
    #[napi(js_name = "toString")]
    pub fn to_js_string(&self) -> String {
        format!("{:?}", self.inner)
    }
}
