//! [`RedisIdempotencyStore`]: set-if-absent with a TTL in one Redis command, so that
//! several workers receiving the same redelivered webhook apply each event once.

use std::fmt;
use std::time::Duration;

use arichat_core::dedup::{IdempotencyStore, Seen};
use arichat_core::CoreError;
use chrono::{DateTime, Utc};
use redis::{Client, Connection, ConnectionAddr, RedisError};
use secrecy::{ExposeSecret, SecretString};

/// How to reach Redis and how to name and keep keys.
///
/// The URL (`redis://[:password@]host[:port][/db]`, or `redis+unix:///path`) is held as
/// a secret: it never appears in `Debug` output nor in error messages, which name only
/// `host:port`.
///
/// ```
/// use arichat_channels::store::RedisConfig;
/// use std::time::Duration;
/// let config = RedisConfig::new("redis://:s3cret@127.0.0.1:6379/0")
///     .with_prefix("acme:dedup:")
///     .with_ttl(Duration::from_secs(24 * 3600));
/// assert!(!format!("{config:?}").contains("s3cret"));
/// ```
#[derive(Debug, Clone)]
pub struct RedisConfig {
    url: SecretString,
    prefix: String,
    ttl: Duration,
    connect_timeout: Duration,
    io_timeout: Duration,
}

impl RedisConfig {
    /// Default key prefix.
    pub const DEFAULT_PREFIX: &'static str = "arichat:dedup:";
    /// Default TTL: 7 days, the longest redelivery horizon of the platforms (Meta
    /// retries webhook deliveries for up to 7 days), as for the in-memory store.
    pub const DEFAULT_TTL: Duration = Duration::from_secs(7 * 24 * 3600);
    /// Default time allowed to open a TCP connection.
    pub const DEFAULT_CONNECT_TIMEOUT: Duration = Duration::from_secs(2);
    /// Default time allowed for one command's request and reply.
    pub const DEFAULT_IO_TIMEOUT: Duration = Duration::from_secs(2);

    /// A configuration with the default prefix, TTL and timeouts.
    pub fn new(url: impl Into<String>) -> Self {
        RedisConfig {
            url: SecretString::from(url.into()),
            prefix: Self::DEFAULT_PREFIX.to_owned(),
            ttl: Self::DEFAULT_TTL,
            connect_timeout: Self::DEFAULT_CONNECT_TIMEOUT,
            io_timeout: Self::DEFAULT_IO_TIMEOUT,
        }
    }

    /// Prepended to every idempotency key, for example one per tenant or environment
    /// sharing a Redis (`"acme:dedup:"`).
    pub fn with_prefix(mut self, prefix: impl Into<String>) -> Self {
        self.prefix = prefix.into();
        self
    }

    /// How long a key is remembered (at least one millisecond; Redis keeps the clock).
    pub fn with_ttl(mut self, ttl: Duration) -> Self {
        self.ttl = ttl;
        self
    }

    /// Time allowed to open a TCP connection.
    pub fn with_connect_timeout(mut self, timeout: Duration) -> Self {
        self.connect_timeout = timeout;
        self
    }

    /// Time allowed to send one command and read its reply.
    pub fn with_io_timeout(mut self, timeout: Duration) -> Self {
        self.io_timeout = timeout;
        self
    }

    /// The key prefix.
    pub fn prefix(&self) -> &str {
        &self.prefix
    }

    /// The TTL.
    pub fn ttl(&self) -> Duration {
        self.ttl
    }
}

/// An idempotency store in Redis, shared by every worker that points at the same
/// server and prefix.
///
/// [`check_and_insert`](IdempotencyStore::check_and_insert) is one atomic
/// `SET <prefix><key> 1 NX PX <ttl>`: of several workers racing on the same key,
/// exactly one gets [`Seen::New`]. Redis's clock runs the TTL, so the `now` argument
/// is not used and workers' clocks need not agree.
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
    client: Client,
    conn: Option<Connection>,
    /// `host:port` (or the socket path): what error messages and `Debug` name.
    endpoint: String,
    prefix: String,
    ttl_ms: u64,
    connect_timeout: Duration,
    io_timeout: Duration,
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
        let url = config.url.expose_secret();
        let client = Client::open(url).map_err(|e| CoreError::InvalidConfig {
            what: "redis url",
            reason: redact(&e.to_string(), url, None),
        })?;
        let ttl_ms = u64::try_from(config.ttl.as_millis()).unwrap_or(u64::MAX);
        if ttl_ms == 0 {
            return Err(CoreError::InvalidConfig {
                what: "redis store",
                reason: "ttl must be at least one millisecond".to_owned(),
            });
        }
        let zero = |what: &'static str| CoreError::InvalidConfig {
            what: "redis store",
            reason: format!("{what} must be greater than zero"),
        };
        if config.connect_timeout.is_zero() {
            return Err(zero("connect_timeout"));
        }
        if config.io_timeout.is_zero() {
            return Err(zero("io_timeout"));
        }
        let endpoint = match client.get_connection_info().addr() {
            ConnectionAddr::Tcp(host, port) => format!("{host}:{port}"),
            ConnectionAddr::TcpTls { host, port, .. } => format!("{host}:{port}"),
            ConnectionAddr::Unix(path) => path.display().to_string(),
            _ => "redis".to_owned(),
        };
        let mut store = RedisIdempotencyStore {
            client,
            conn: None,
            endpoint,
            prefix: config.prefix,
            ttl_ms,
            connect_timeout: config.connect_timeout,
            io_timeout: config.io_timeout,
        };
        store.conn = Some(store.open()?);
        Ok(store)
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
        let removed: u64 = self.run("DEL", |conn| redis::cmd("DEL").arg(&full).query(conn))?;
        Ok(removed > 0)
    }

    fn open(&self) -> Result<Connection, CoreError> {
        let conn = self
            .client
            .get_connection_with_timeout(self.connect_timeout)
            .map_err(|e| self.unavailable("connect", &e))?;
        conn.set_read_timeout(Some(self.io_timeout))
            .and_then(|()| conn.set_write_timeout(Some(self.io_timeout)))
            .map_err(|e| self.unavailable("connect", &e))?;
        Ok(conn)
    }

    /// Runs one command on the connection, opening it first if an earlier failure
    /// dropped it. Any failure drops the connection: after a timeout its reply may
    /// still be in flight.
    fn run<T>(
        &mut self,
        command: &'static str,
        f: impl FnOnce(&mut Connection) -> Result<T, RedisError>,
    ) -> Result<T, CoreError> {
        let mut conn = match self.conn.take() {
            Some(conn) => conn,
            None => self.open()?,
        };
        match f(&mut conn) {
            Ok(value) => {
                self.conn = Some(conn);
                Ok(value)
            }
            Err(e) => Err(self.unavailable(command, &e)),
        }
    }

    fn unavailable(&self, command: &str, err: &RedisError) -> CoreError {
        let info = self.client.get_connection_info().redis_settings();
        let detail = redact(&err.to_string(), "", info.password());
        CoreError::StoreUnavailable(format!("redis at {} ({command}): {detail}", self.endpoint))
    }
}

/// Removes the URL and the password from a message, should a library ever quote them.
fn redact(message: &str, url: &str, password: Option<&str>) -> String {
    let mut out = message.to_owned();
    if !url.is_empty() {
        out = out.replace(url, "<redis url>");
    }
    if let Some(password) = password.filter(|p| !p.is_empty()) {
        out = out.replace(password, "<redacted>");
    }
    out
}

impl IdempotencyStore for RedisIdempotencyStore {
    fn check_and_insert(&mut self, key: &str, _now: DateTime<Utc>) -> Result<Seen, CoreError> {
        let full = self.redis_key(key);
        let ttl_ms = self.ttl_ms;
        // `SET ... NX` replies OK when it set the key and nil when the key existed.
        let reply: Option<String> = self.run("SET NX", |conn| {
            redis::cmd("SET")
                .arg(&full)
                .arg(1)
                .arg("NX")
                .arg("PX")
                .arg(ttl_ms)
                .query(conn)
        })?;
        Ok(if reply.is_some() {
            Seen::New
        } else {
            Seen::Duplicate
        })
    }
}

impl fmt::Debug for RedisIdempotencyStore {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("RedisIdempotencyStore")
            .field("endpoint", &self.endpoint)
            .field(
                "db",
                &self.client.get_connection_info().redis_settings().db(),
            )
            .field("prefix", &self.prefix)
            .field("ttl_ms", &self.ttl_ms)
            .field("connect_timeout", &self.connect_timeout)
            .field("io_timeout", &self.io_timeout)
            .field("connected", &self.conn.is_some())
            .finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn redact_hides_url_and_password() {
        let url = "redis://:pw123@h:1/0";
        let msg = format!("could not use {url} with pw123");
        let out = redact(&msg, url, Some("pw123"));
        assert!(!out.contains("pw123"), "{out}");
        assert_eq!(out, "could not use <redis url> with <redacted>");
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
