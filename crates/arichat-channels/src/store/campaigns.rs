//! [`CampaignCache`]: each customer's campaign assignments in Redis, written by the
//! daily batch and read by marketing, sales staff and the app's backend.
//!
//! # Keys and values
//!
//! One key per customer, `<prefix>:campaigns:<customer_id>` (prefix `arichat` by
//! default), holding the customer's [`AssignmentSet`] as JSON — the same JSON the
//! phone's store keeps. Every write is `SET <key> <json> PX <ms>` with `ms` the time
//! from `now` to the entry's `stale_until` (`ttl + stale_grace` for an entry computed
//! at `now`: 30 h with the defaults), so Redis drops an entry once nobody may serve it.
//! [`CampaignCache::write`] sends the `SET`s pipelined, [`CampaignCacheConfig::with_batch_size`]
//! (default 1,000) per round trip.
//!
//! # Reading
//!
//! [`CampaignCache::get`] answers with the entry, its reasons relabelled by
//! [`AssignmentSet::served`]:
//!
//! 1. fresh (`now < expires_at`) and computed by this bundle's version: served as
//!    `cached`;
//! 2. expired but within the grace period: served as `stale`, and recomputed from the
//!    customer's attributes (the caller's lookup) and written back, so the next reader
//!    finds it fresh (stale-while-revalidate). When the lookup has nothing, the stale
//!    entry is still served;
//! 3. missing, past `stale_until`, unreadable, or computed by another bundle version:
//!    recomputed from the attributes, written back and served with the reasons of the
//!    computation (`targeting_match`, `split`, ...); `None` when the lookup does not
//!    know the customer.
//!
//! When Redis cannot answer, [`UnavailablePolicy`] decides: `error` (the default)
//! fails with [`CoreError::StoreUnavailable`]; `stale` serves this process's last copy
//! of the customer's entry while it is fresh or within its grace, and fails the same
//! way when there is none. Never an empty list in place of an answer.

use std::collections::HashMap;
use std::fmt;
use std::sync::Arc;
use std::time::Duration;

use arichat_core::campaign::{AssignmentSet, CampaignBundle};
use arichat_core::scoring::LeadRecord;
use arichat_core::CoreError;
use chrono::{DateTime, Utc};

use super::link::RedisLink;
use super::redis_config::RedisConfig;

arichat_core::named_enum!(
    /// What [`CampaignCache::get`] does when Redis cannot answer: `"error"` or
    /// `"stale"`.
    ///
    /// ```
    /// use arichat_channels::store::UnavailablePolicy;
    /// assert_eq!("stale".parse::<UnavailablePolicy>().unwrap(), UnavailablePolicy::Stale);
    /// assert_eq!(UnavailablePolicy::default().as_str(), "error");
    /// ```
    #[derive(Default)]
    UnavailablePolicy, "on_unavailable", "error, stale", {
        /// Fail with [`CoreError::StoreUnavailable`].
        #[default]
        Error => "error",
        /// Serve the last copy this process read or wrote, while it is fresh or within
        /// its grace period; fail as `error` without one.
        Stale => "stale",
    }
);

/// How to reach Redis and how to name, write and fall back.
///
/// ```
/// use arichat_channels::store::{CampaignCacheConfig, UnavailablePolicy};
/// let config = CampaignCacheConfig::new("redis://:s3cret@127.0.0.1:6379/0")
///     .with_prefix("bank")
///     .with_on_unavailable(UnavailablePolicy::Stale);
/// assert_eq!(config.key("c-1"), "bank:campaigns:c-1");
/// assert!(!format!("{config:?}").contains("s3cret"));
/// ```
#[derive(Debug, Clone)]
pub struct CampaignCacheConfig {
    redis: RedisConfig,
    prefix: String,
    on_unavailable: UnavailablePolicy,
    batch_size: usize,
    local_capacity: usize,
}

impl CampaignCacheConfig {
    /// Default key prefix.
    pub const DEFAULT_PREFIX: &'static str = "arichat";
    /// Default number of `SET`s per pipelined round trip.
    pub const DEFAULT_BATCH_SIZE: usize = 1000;
    /// Default number of entries kept in process for [`UnavailablePolicy::Stale`].
    pub const DEFAULT_LOCAL_CAPACITY: usize = 10_000;

    /// A configuration with the defaults; `url` as for [`RedisConfig::new`], a secret.
    pub fn new(url: impl Into<String>) -> Self {
        CampaignCacheConfig {
            redis: RedisConfig::new(url),
            prefix: Self::DEFAULT_PREFIX.to_owned(),
            on_unavailable: UnavailablePolicy::default(),
            batch_size: Self::DEFAULT_BATCH_SIZE,
            local_capacity: Self::DEFAULT_LOCAL_CAPACITY,
        }
    }

    /// Keys are `<prefix>:campaigns:<customer_id>`.
    pub fn with_prefix(mut self, prefix: impl Into<String>) -> Self {
        self.prefix = prefix.into();
        self
    }

    /// What to do when Redis cannot answer (default [`UnavailablePolicy::Error`]).
    pub fn with_on_unavailable(mut self, policy: UnavailablePolicy) -> Self {
        self.on_unavailable = policy;
        self
    }

    /// `SET`s per pipelined round trip (at least 1).
    pub fn with_batch_size(mut self, batch_size: usize) -> Self {
        self.batch_size = batch_size;
        self
    }

    /// Entries kept in process for [`UnavailablePolicy::Stale`] (0: none).
    pub fn with_local_capacity(mut self, capacity: usize) -> Self {
        self.local_capacity = capacity;
        self
    }

    /// Time allowed to open a TCP connection.
    pub fn with_connect_timeout(mut self, timeout: Duration) -> Self {
        self.redis = self.redis.with_connect_timeout(timeout);
        self
    }

    /// Time allowed to send one command (or one pipelined batch) and read its reply.
    pub fn with_io_timeout(mut self, timeout: Duration) -> Self {
        self.redis = self.redis.with_io_timeout(timeout);
        self
    }

    /// The key prefix.
    pub fn prefix(&self) -> &str {
        &self.prefix
    }

    /// The policy when Redis cannot answer.
    pub fn on_unavailable(&self) -> UnavailablePolicy {
        self.on_unavailable
    }

    /// The Redis key of a customer's entry.
    pub fn key(&self, customer_id: &str) -> String {
        format!("{}:campaigns:{customer_id}", self.prefix)
    }
}

/// Customers' [`AssignmentSet`]s in Redis (see the module doc): the batch writes them,
/// readers get them back, recomputed with the bundle when missing or expired.
///
/// One cache holds one connection and is used by one thread at a time (`&mut self`).
///
/// ```no_run
/// use std::sync::Arc;
/// use arichat_channels::store::{CampaignCache, CampaignCacheConfig};
/// use arichat_core::campaign::CampaignBundle;
/// use arichat_core::scoring::LeadRecord;
/// let bundle = Arc::new(CampaignBundle::from_toml_str(&std::fs::read_to_string("bank.toml")?)?);
/// let mut cache = CampaignCache::connect(CampaignCacheConfig::new("redis://127.0.0.1/"), bundle)?;
/// let now = chrono::Utc::now();
/// let served = cache.get("bk-00042", now, |_id| Some(LeadRecord::new()))?;
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub struct CampaignCache {
    link: RedisLink,
    bundle: Arc<CampaignBundle>,
    config: CampaignCacheConfig,
    /// The last entry read or written per customer, for [`UnavailablePolicy::Stale`].
    local: HashMap<String, AssignmentSet>,
}

impl CampaignCache {
    /// Checks the configuration and connects.
    ///
    /// # Errors
    /// [`CoreError::InvalidConfig`] for a URL Redis cannot read, a zero timeout or a
    /// zero batch size; [`CoreError::StoreUnavailable`] when Redis cannot be reached or
    /// refuses the credentials.
    pub fn connect(
        config: CampaignCacheConfig,
        bundle: Arc<CampaignBundle>,
    ) -> Result<Self, CoreError> {
        if config.batch_size == 0 {
            return Err(CoreError::InvalidConfig {
                what: "campaign cache",
                reason: "batch_size must be at least 1".to_owned(),
            });
        }
        let link = RedisLink::connect(&config.redis, "campaign cache")?;
        Ok(CampaignCache {
            link,
            bundle,
            config,
            local: HashMap::new(),
        })
    }

    /// The bundle entries are computed with.
    pub fn bundle(&self) -> &Arc<CampaignBundle> {
        &self.bundle
    }

    /// The configuration.
    pub fn config(&self) -> &CampaignCacheConfig {
        &self.config
    }

    /// Writes entries as of `now`, pipelined, each with `PX` the milliseconds until
    /// its `stale_until`; an entry already past it is skipped. Returns how many were
    /// written. A failed batch fails the call; earlier batches stay written.
    ///
    /// # Errors
    /// [`CoreError::StoreUnavailable`] when Redis cannot answer.
    pub fn write(
        &mut self,
        sets: &[AssignmentSet],
        now: DateTime<Utc>,
    ) -> Result<usize, CoreError> {
        let mut written = 0;
        for chunk in sets.chunks(self.config.batch_size) {
            let mut pipe = redis::pipe();
            let mut n = 0;
            for set in chunk {
                let ms = (set.stale_until - now).num_milliseconds();
                if ms <= 0 {
                    continue;
                }
                let json = serde_json::to_string(set).map_err(|e| CoreError::InvalidJson {
                    what: "assignment set",
                    reason: e.to_string(),
                })?;
                pipe.cmd("SET")
                    .arg(self.config.key(&set.customer_id))
                    .arg(json)
                    .arg("PX")
                    .arg(ms)
                    .ignore();
                n += 1;
            }
            if n > 0 {
                // SET is safe to send twice: the link's one retry cannot do harm.
                self.link.run("SET pipeline", |c| pipe.query::<()>(c))?;
            }
            written += n;
        }
        Ok(written)
    }

    /// The stored entry of a customer as written (reasons not relabelled), or `None`
    /// when Redis holds none or holds something that is not an [`AssignmentSet`].
    ///
    /// # Errors
    /// [`CoreError::StoreUnavailable`] when Redis cannot answer.
    pub fn read(&mut self, customer_id: &str) -> Result<Option<AssignmentSet>, CoreError> {
        let key = self.config.key(customer_id);
        let raw: Option<String> = self
            .link
            .run("GET", |c| redis::cmd("GET").arg(&key).query(c))?;
        Ok(raw.and_then(|json| serde_json::from_str(&json).ok()))
    }

    /// A customer's assignments at `now` (see the module doc for the order of
    /// decisions). `lookup` gives the customer's attributes when the entry must be
    /// recomputed; it is not called for a fresh entry, and `None` from it means the
    /// customer is unknown (nothing is written). The answer is the entry with its
    /// reasons as served: `cached`, `stale`, or those of the computation.
    ///
    /// # Errors
    /// [`CoreError::StoreUnavailable`] when Redis cannot answer (reading, or writing a
    /// recomputed entry back), unless [`UnavailablePolicy::Stale`] finds a copy.
    pub fn get(
        &mut self,
        customer_id: &str,
        now: DateTime<Utc>,
        lookup: impl FnOnce(&str) -> Option<LeadRecord>,
    ) -> Result<Option<AssignmentSet>, CoreError> {
        let stored = match self.read(customer_id) {
            Ok(stored) => stored,
            Err(e) => return self.fall_back(customer_id, now, e, None),
        };
        let stored = stored.filter(|s| s.bundle_version == self.bundle.version());
        if let Some(set) = stored.as_ref().filter(|s| s.is_fresh(now)) {
            let served = relabel(set, now);
            self.remember(set.clone());
            return Ok(served);
        }
        let stale = stored.filter(|s| s.is_stale_usable(now));
        let Some(record) = lookup(customer_id) else {
            if let Some(set) = &stale {
                self.remember(set.clone());
            }
            return Ok(stale.and_then(|s| relabel(&s, now)));
        };
        let fresh = self.bundle.assign_set(customer_id, &record, now);
        let answer = match &stale {
            Some(s) => relabel(s, now),
            None => Some(fresh.clone()),
        };
        if let Err(e) = self.write(std::slice::from_ref(&fresh), now) {
            return self.fall_back(customer_id, now, e, answer);
        }
        self.remember(fresh);
        Ok(answer)
    }

    /// Redis failed: the error, or under [`UnavailablePolicy::Stale`] the answer in
    /// hand (a recomputed entry not written back) or the local copy.
    fn fall_back(
        &mut self,
        customer_id: &str,
        now: DateTime<Utc>,
        err: CoreError,
        in_hand: Option<AssignmentSet>,
    ) -> Result<Option<AssignmentSet>, CoreError> {
        if self.config.on_unavailable == UnavailablePolicy::Error {
            return Err(err);
        }
        if let Some(answer) = in_hand {
            return Ok(Some(answer));
        }
        match self.local.get(customer_id).and_then(|s| relabel(s, now)) {
            Some(answer) => Ok(Some(answer)),
            None => Err(err),
        }
    }

    fn remember(&mut self, set: AssignmentSet) {
        let capacity = self.config.local_capacity;
        if capacity == 0 {
            return;
        }
        if self.local.len() >= capacity && !self.local.contains_key(&set.customer_id) {
            // Any entry makes room: the copy is a fallback, not the cache.
            if let Some(k) = self.local.keys().next().cloned() {
                self.local.remove(&k);
            }
        }
        self.local.insert(set.customer_id.clone(), set);
    }
}

/// The entry with its assignments as served at `now`; `None` past `stale_until`.
fn relabel(set: &AssignmentSet, now: DateTime<Utc>) -> Option<AssignmentSet> {
    set.served(now).map(|assignments| AssignmentSet {
        assignments,
        ..set.clone()
    })
}

impl fmt::Debug for CampaignCache {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("CampaignCache")
            .field("endpoint", &self.link.endpoint())
            .field("db", &self.link.db())
            .field("prefix", &self.config.prefix)
            .field("bundle_version", &self.bundle.version())
            .field("on_unavailable", &self.config.on_unavailable.as_str())
            .field("batch_size", &self.config.batch_size)
            .field("local_entries", &self.local.len())
            .field("connected", &self.link.is_connected())
            .finish()
    }
}
