//! [`RedisConfig`]: how to reach Redis and how to name and keep keys, read by the
//! idempotency store ([`super::RedisIdempotencyStore`]) and by the connection it opens
//! ([`super::link`]); a file of its own so neither reads the other.

use std::time::Duration;

use secrecy::SecretString;

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
    pub(super) url: SecretString,
    pub(super) prefix: String,
    pub(super) ttl: Duration,
    pub(super) connect_timeout: Duration,
    pub(super) io_timeout: Duration,
    pub(super) on_history_lost: HistoryLostPolicy,
}

arichat_core::named_enum!(
    /// What a [`RedisIdempotencyStore`] does when Redis lost the keys it held (see the
    /// module doc): `"error"` or `"reset"`.
    ///
    /// ```
    /// use arichat_channels::store::HistoryLostPolicy;
    /// assert_eq!("reset".parse::<HistoryLostPolicy>().unwrap(), HistoryLostPolicy::Reset);
    /// assert_eq!(HistoryLostPolicy::default().as_str(), "error");
    /// assert_eq!("ignore".parse::<HistoryLostPolicy>().unwrap_err().code(), "unknown_variant");
    /// ```
    #[derive(Default)]
    HistoryLostPolicy, "on_history_lost", "error, reset", {
        /// Fail every check with [`CoreError::StoreHistoryLost`] until the store is
        /// created again: nothing is applied twice without someone deciding so.
        #[default]
        Error => "error",
        /// Start a new generation and go on: redeliveries of events applied before the
        /// loss are applied again. Each loss is counted.
        Reset => "reset",
    }
);

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
            on_history_lost: HistoryLostPolicy::default(),
        }
    }

    /// What to do when Redis lost its keys (default [`HistoryLostPolicy::Error`]).
    pub fn with_on_history_lost(mut self, policy: HistoryLostPolicy) -> Self {
        self.on_history_lost = policy;
        self
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
