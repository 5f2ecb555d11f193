//! [`RedisIdempotencyStore`]: set-if-absent with a TTL in one Redis command, so that
//! several workers receiving the same redelivered webhook apply each event once.
//!
//! # Noticing a Redis that lost its keys
//!
//! A Redis restarted without persistence, flushed (`FLUSHDB`, `FLUSHALL`) or evicting
//! under `maxmemory` comes back empty, and every redelivery it used to recognise looks
//! new: measured before this check, a `kill -9` and restart re-admitted 52 % of 100,000
//! keys, silently. So the store keeps a *generation marker*:
//!
//! - On connect it writes `<prefix>__generation` with a random id (`SET NX`, no TTL) and
//!   reads back whichever id is there: the first worker ever creates it, later workers
//!   adopt it. An empty Redis at connect is taken as a first start: a process cannot
//!   tell "never had history" from "lost it before I started", so this is noticed by
//!   the workers already running, which is where a Redis restart happens.
//! - Every check runs one Lua script, atomically: if the marker no longer holds the
//!   generation this store adopted, it answers "history lost" and sets nothing; else it
//!   does the `SET <prefix><key> <token> NX PX <ttl>` (the token of that check, so a check retried after a lost reply is still "new").
//! - Then [`HistoryLostPolicy`] decides: [`Error`](HistoryLostPolicy::Error) (the
//!   default) fails every check with [`CoreError::StoreHistoryLost`] (code
//!   `store_history_lost`) until the store is created again, which is how a host
//!   acknowledges the loss (restart the worker);
//!   [`Reset`](HistoryLostPolicy::Reset) adopts a new generation, counts the loss in
//!   [`RedisIdempotencyStore::history_losses`] and goes on: redeliveries of events
//!   applied before the loss will be applied a second time.
//!
//! The marker has no TTL, so an eviction policy that may drop keys without one
//! (`allkeys-*`) drops it too and the loss is seen; a `volatile-*` policy can evict
//! idempotency keys but never the marker, unseen: run Redis with `noeviction`.
//! The marker and the key are two keys in one script: a single Redis (or a primary
//! with replicas), not a Redis Cluster.

use std::fmt;

use arichat_core::dedup::{IdempotencyStore, Seen};
use arichat_core::CoreError;
use chrono::{DateTime, Utc};

use super::link::RedisLink;
use super::redis_config::{HistoryLostPolicy, RedisConfig};

/// An idempotency store in Redis, shared by every worker that points at the same
/// server and prefix.
///
/// [`check_and_insert`](IdempotencyStore::check_and_insert) is one atomic
/// `SET <prefix><key> <token> NX PX <ttl>`, run by a Lua script after checking the generation
/// marker (see the module doc): of several workers racing on the same key, exactly one
/// gets [`Seen::New`]. Redis's clock runs the TTL, so the `now` argument is not used
/// and workers' clocks need not agree.
///
/// When Redis lost its keys since this store connected, the call fails with
/// [`CoreError::StoreHistoryLost`] (code `store_history_lost`), or goes on under
/// [`HistoryLostPolicy::Reset`].
///
/// When Redis cannot answer (refused, timed out, connection lost, authentication
/// failed), the call fails with [`CoreError::StoreUnavailable`] (code
/// `store_unavailable`) and never guesses [`Seen::New`]. Answer the webhook with a 5xx
/// so that the platform redelivers it. The next call reconnects. A command that timed
/// out may still have been applied by Redis; then the redelivery is reported as a
/// duplicate (at most once, never twice).
///
/// One store holds one connection and is used by one thread at a time (`&mut self`);
/// give each worker thread its own.
///
/// ```no_run
/// use arichat_channels::store::{RedisConfig, RedisIdempotencyStore};
/// use arichat_core::dedup::{IdempotencyStore, Seen};
/// let mut store = RedisIdempotencyStore::connect(RedisConfig::new("redis://127.0.0.1:6379/0"))?;
/// if store.check_and_insert("whatsapp:PN1:msg:wamid.A", chrono::Utc::now())? == Seen::New {
///     // apply the event
/// }
/// # Ok::<(), arichat_core::CoreError>(())
/// ```
pub struct RedisIdempotencyStore {
    link: RedisLink,
    prefix: String,
    ttl_ms: u64,
    on_history_lost: HistoryLostPolicy,
    /// `<prefix>__generation`.
    marker: String,
    /// The generation id this store adopted at connect (or at its last reset).
    generation: String,
    history_losses: u64,
    /// This store's id, and the number of checks it made: the token of each check.
    id: String,
    checks: u64,
}

/// Writes the marker if it is absent and returns the one Redis holds.
/// KEYS[1] marker; ARGV[1] a fresh generation id.
const ADOPT: &str = "redis.call('SET', KEYS[1], ARGV[1], 'NX') return redis.call('GET', KEYS[1])";

/// 1 new, 0 duplicate, -1 the marker does not hold the expected generation (nothing set).
/// KEYS[1] marker, KEYS[2] key; ARGV[1] generation, ARGV[2] TTL in milliseconds,
/// ARGV[3] this check's token.
///
/// The key holds the token of the check that set it, so running the same check again
/// (after its reply was lost to a dropped connection or an interrupted read) answers
/// "new" again instead of calling the event its own duplicate: the retry in
/// the connection (`store/link.rs`) is safe.
const CHECK: &str = "if redis.call('GET', KEYS[1]) ~= ARGV[1] then return -1 end \
if redis.call('SET', KEYS[2], ARGV[3], 'NX', 'PX', ARGV[2]) then return 1 end \
if redis.call('GET', KEYS[2]) == ARGV[3] then return 1 end return 0";

/// [`CHECK`] as a [`redis::Script`]: sent as `EVALSHA` (its SHA-1, computed once),
/// loaded again by the crate when Redis answers `NOSCRIPT` (after a restart). Sending
/// the script text with every `EVAL` cost a quarter of the throughput.
static CHECK_SCRIPT: std::sync::LazyLock<redis::Script> =
    std::sync::LazyLock::new(|| redis::Script::new(CHECK));

/// The suffix of the generation marker's key.
pub const GENERATION_SUFFIX: &str = "__generation";

/// A generation id unlikely to repeat: the clock, the process and std's random hash keys.
fn fresh_generation() -> String {
    use std::hash::{BuildHasher, Hasher};
    let mut h = std::collections::hash_map::RandomState::new().build_hasher();
    h.write_u128(
        Utc::now()
            .timestamp_nanos_opt()
            .unwrap_or_default()
            .unsigned_abs()
            .into(),
    );
    h.write_u32(std::process::id());
    format!(
        "{:016x}-{}",
        h.finish(),
        Utc::now().format("%Y%m%dT%H%M%SZ")
    )
}

impl RedisIdempotencyStore {
    /// Checks the configuration and opens a connection, so that a worker started
    /// without a reachable Redis fails at once.
    ///
    /// # Errors
    /// [`CoreError::InvalidConfig`] for a URL Redis cannot read or a TTL under one
    /// millisecond; [`CoreError::StoreUnavailable`] when Redis cannot be reached or
    /// refuses the credentials.
    pub fn connect(config: RedisConfig) -> Result<Self, CoreError> {
        let ttl_ms = u64::try_from(config.ttl.as_millis()).unwrap_or(u64::MAX);
        if ttl_ms == 0 {
            return Err(CoreError::InvalidConfig {
                what: "redis store",
                reason: "ttl must be at least one millisecond".to_owned(),
            });
        }
        let link = RedisLink::connect(&config, "redis store")?;
        let marker = format!("{}{GENERATION_SUFFIX}", config.prefix);
        let mut store = RedisIdempotencyStore {
            link,
            prefix: config.prefix,
            ttl_ms,
            on_history_lost: config.on_history_lost,
            marker,
            generation: String::new(),
            history_losses: 0,
            id: fresh_generation(),
            checks: 0,
        };
        store.adopt_generation()?;
        Ok(store)
    }

    /// How many times this store found Redis had lost its keys and, under
    /// [`HistoryLostPolicy::Reset`], went on.
    pub fn history_losses(&self) -> u64 {
        self.history_losses
    }

    /// The generation id this store expects in `<prefix>__generation`.
    pub fn generation(&self) -> &str {
        &self.generation
    }

    fn adopt_generation(&mut self) -> Result<(), CoreError> {
        let marker = self.marker.clone();
        let candidate = fresh_generation();
        self.generation = self.link.run("EVAL adopt", |conn| {
            redis::cmd("EVAL")
                .arg(ADOPT)
                .arg(1)
                .arg(&marker)
                .arg(&candidate)
                .query(conn)
        })?;
        Ok(())
    }

    /// One run of [`CHECK`]: `None` when the history is gone.
    fn check_once(&mut self, full: &str) -> Result<Option<Seen>, CoreError> {
        let (marker, generation, ttl_ms) =
            (self.marker.clone(), self.generation.clone(), self.ttl_ms);
        self.checks += 1;
        let token = format!("{}:{}", self.id, self.checks);
        let reply: i64 = self.link.run("EVALSHA check", |conn| {
            CHECK_SCRIPT
                .key(&marker)
                .key(full)
                .arg(&generation)
                .arg(ttl_ms)
                .arg(&token)
                .invoke(conn)
        })?;
        Ok(match reply {
            1 => Some(Seen::New),
            0 => Some(Seen::Duplicate),
            _ => None,
        })
    }

    fn history_lost(&self) -> CoreError {
        CoreError::StoreHistoryLost(format!(
            "redis at {}: the generation marker {} no longer holds this store's generation \
             (Redis restarted without persistence, was flushed, or evicted it); keys recorded \
             before are gone, so redeliveries could be applied twice. Create the store again \
             (restart the worker) to accept the loss, or set on_history_lost=reset",
            self.link.endpoint(),
            self.marker
        ))
    }

    /// The Redis key of an idempotency key: the prefix, then the key.
    pub fn redis_key(&self, key: &str) -> String {
        let mut full = String::with_capacity(self.prefix.len() + key.len());
        full.push_str(&self.prefix);
        full.push_str(key);
        full
    }

    /// Forgets `key`, so that its next delivery counts as new: call it when applying
    /// an event failed after [`check_and_insert`](IdempotencyStore::check_and_insert)
    /// said [`Seen::New`]. Returns whether the key was held.
    ///
    /// # Errors
    /// [`CoreError::StoreUnavailable`] when Redis cannot answer.
    pub fn forget(&mut self, key: &str) -> Result<bool, CoreError> {
        let full = self.redis_key(key);
        let removed: u64 = self
            .link
            .run("DEL", |conn| redis::cmd("DEL").arg(&full).query(conn))?;
        Ok(removed > 0)
    }
}

impl IdempotencyStore for RedisIdempotencyStore {
    fn check_and_insert(&mut self, key: &str, _now: DateTime<Utc>) -> Result<Seen, CoreError> {
        let full = self.redis_key(key);
        if let Some(seen) = self.check_once(&full)? {
            return Ok(seen);
        }
        match self.on_history_lost {
            HistoryLostPolicy::Error => Err(self.history_lost()),
            HistoryLostPolicy::Reset => {
                self.adopt_generation()?;
                self.history_losses += 1;
                // Lost again between the two scripts (another flush): report it.
                self.check_once(&full)?.ok_or_else(|| self.history_lost())
            }
        }
    }
}

impl fmt::Debug for RedisIdempotencyStore {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("RedisIdempotencyStore")
            .field("endpoint", &self.link.endpoint())
            .field("db", &self.link.db())
            .field("prefix", &self.prefix)
            .field("ttl_ms", &self.ttl_ms)
            .field("connect_timeout", &self.link.timeouts().0)
            .field("io_timeout", &self.link.timeouts().1)
            .field("on_history_lost", &self.on_history_lost.as_str())
            .field("generation", &self.generation)
            .field("history_losses", &self.history_losses)
            .field("connected", &self.link.is_connected())
            .finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    /// A check run again with its own token (its first reply lost) is still "new"; any
    /// other check of the key is a duplicate. Needs the loopback server of
    /// `scripts/redis-server.sh` (`ARICHAT_REDIS_URL`); skipped without it outside CI.
    #[test]
    fn a_check_repeated_after_a_lost_reply_is_still_new() {
        let Ok(url) = std::env::var("ARICHAT_REDIS_URL") else {
            assert!(
                std::env::var("CI").is_err(),
                "ARICHAT_REDIS_URL is required in CI"
            );
            eprintln!("note: ARICHAT_REDIS_URL is not set, skipping");
            return;
        };
        let prefix = format!("unit-retry:{}:", fresh_generation());
        let mut store =
            RedisIdempotencyStore::connect(RedisConfig::new(url.clone()).with_prefix(&prefix))
                .unwrap();
        let key = store.redis_key("wamid.1");
        assert_eq!(store.check_once(&key).unwrap(), Some(Seen::New));
        // The same check again, as run() does after a dropped connection.
        store.checks -= 1;
        assert_eq!(store.check_once(&key).unwrap(), Some(Seen::New));
        // The next check, and another worker's, see a duplicate.
        assert_eq!(store.check_once(&key).unwrap(), Some(Seen::Duplicate));
        let mut other =
            RedisIdempotencyStore::connect(RedisConfig::new(url).with_prefix(&prefix)).unwrap();
        assert_eq!(other.check_once(&key).unwrap(), Some(Seen::Duplicate));
    }

    #[test]
    fn invalid_url_is_a_config_error_without_the_url() {
        let err = RedisIdempotencyStore::connect(RedisConfig::new("http://:pw123@host/"))
            .expect_err("not a redis url");
        assert_eq!(err.code(), "invalid_config");
        assert!(!err.to_string().contains("pw123"), "{err}");
    }

    #[test]
    fn zero_ttl_is_refused() {
        let config = RedisConfig::new("redis://127.0.0.1:1/").with_ttl(Duration::ZERO);
        let err = RedisIdempotencyStore::connect(config).expect_err("zero ttl");
        assert_eq!(err.code(), "invalid_config");
    }
}
