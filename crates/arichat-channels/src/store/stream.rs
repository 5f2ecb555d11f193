//! [`EventStream`]: CloudEvents on a Redis Stream, read by consumer groups with
//! acknowledgement and redelivery — the local bus between the webhook workers and
//! whatever consumes their events (an agent inbox, a profile builder, a CRM sync).
//!
//! # Entries
//!
//! Each event is one entry of the stream `<stream>` with two fields: `id`, the
//! CloudEvent's `id` (the idempotency key of the event, so a consumer deduplicates
//! with the same key the webhook side used), and `ce`, the structured-mode CloudEvent
//! JSON. [`EventStream::publish`] sends the `XADD`s pipelined, trimming as it goes
//! (`MAXLEN ~ n` and/or `MINID ~ <now − max_age>`: retention by length or time).
//!
//! # Delivery
//!
//! Every consumer names its group and itself. [`EventStream::read`] first claims the
//! group's entries that another consumer read and did not acknowledge within
//! [`StreamConfig::with_claim_after`] (`XAUTOCLAIM`: that consumer crashed or hung;
//! scanned at most every half of that time and at most every second, so a read is one
//! round trip in the steady state), then reads new entries (`XREADGROUP … >`, blocking up to
//! [`StreamConfig::with_block`]). An entry stays pending until [`EventStream::ack`]:
//! delivery is at least once, so a consumer applies an event idempotently — keyed by
//! [`Delivery::event_id`] — and acknowledges after applying. An entry that is not a
//! CloudEvent is still delivered, with its raw fields, so nothing is dropped unseen.
//!
//! A command the connection loses is sent again once on a new connection (see
//! `link.rs`): an `XADD` may then add the same event twice, which consumers absorb
//! with the same idempotency key.

use std::fmt;
use std::time::{Duration, Instant};

use arichat_core::CoreError;
use chrono::{DateTime, Utc};
use redis::streams::{StreamAutoClaimReply, StreamId, StreamReadReply};
use redis::Value;

use super::link::RedisLink;
use super::redis_config::RedisConfig;
use crate::cloudevents::{CloudEvent, EnvelopeError};

/// Where the stream lives, who reads it and how long it keeps entries.
///
/// ```
/// use arichat_channels::store::StreamConfig;
/// use std::time::{Duration, Instant};
/// let config = StreamConfig::new("redis://:s3cret@127.0.0.1:6379/0", "acme:events")
///     .with_group("inbox")
///     .with_consumer("inbox-1")
///     .with_max_len(100_000)
///     .with_max_age(Duration::from_secs(7 * 24 * 3600));
/// assert_eq!(config.group(), "inbox");
/// assert!(!format!("{config:?}").contains("s3cret"));
/// ```
#[derive(Debug, Clone)]
pub struct StreamConfig {
    redis: RedisConfig,
    stream: String,
    group: String,
    consumer: String,
    max_len: Option<usize>,
    max_age: Option<Duration>,
    claim_after: Duration,
    batch_size: usize,
    block: Duration,
}

impl StreamConfig {
    /// Default consumer group.
    pub const DEFAULT_GROUP: &'static str = "arichat";
    /// Default consumer name.
    pub const DEFAULT_CONSUMER: &'static str = "consumer-1";
    /// Default idle time after which another consumer's unacknowledged entry is
    /// claimed: 30 seconds, longer than any one event takes to apply.
    pub const DEFAULT_CLAIM_AFTER: Duration = Duration::from_secs(30);
    /// Default number of entries per read.
    pub const DEFAULT_BATCH_SIZE: usize = 100;
    /// Default time a read waits for new entries.
    pub const DEFAULT_BLOCK: Duration = Duration::from_millis(500);

    /// A configuration for the stream named `stream` with the defaults: group
    /// `arichat`, consumer `consumer-1`, no retention limit. `url` as for
    /// [`RedisConfig::new`], a secret.
    pub fn new(url: impl Into<String>, stream: impl Into<String>) -> Self {
        StreamConfig {
            redis: RedisConfig::new(url),
            stream: stream.into(),
            group: Self::DEFAULT_GROUP.to_owned(),
            consumer: Self::DEFAULT_CONSUMER.to_owned(),
            max_len: None,
            max_age: None,
            claim_after: Self::DEFAULT_CLAIM_AFTER,
            batch_size: Self::DEFAULT_BATCH_SIZE,
            block: Self::DEFAULT_BLOCK,
        }
    }

    /// The consumer group this stream handle reads as (created if missing).
    pub fn with_group(mut self, group: impl Into<String>) -> Self {
        self.group = group.into();
        self
    }

    /// This consumer's name within its group; one per worker process.
    pub fn with_consumer(mut self, consumer: impl Into<String>) -> Self {
        self.consumer = consumer.into();
        self
    }

    /// Keeps about `max_len` entries (`MAXLEN ~`), trimmed on every publish.
    pub fn with_max_len(mut self, max_len: usize) -> Self {
        self.max_len = Some(max_len);
        self
    }

    /// Keeps entries for about `max_age` (`MINID ~`, entry ids carry Redis's clock),
    /// trimmed on every publish and by [`EventStream::trim`]. Pub/Sub's default
    /// retention is 7 days.
    pub fn with_max_age(mut self, max_age: Duration) -> Self {
        self.max_age = Some(max_age);
        self
    }

    /// How long an entry may stay unacknowledged by the consumer that read it before
    /// another consumer's [`EventStream::read`] claims it.
    pub fn with_claim_after(mut self, idle: Duration) -> Self {
        self.claim_after = idle;
        self
    }

    /// How many entries one read returns at most (at least 1).
    pub fn with_batch_size(mut self, batch_size: usize) -> Self {
        self.batch_size = batch_size;
        self
    }

    /// How long a read waits for new entries when there are none (zero: do not wait);
    /// less than the I/O timeout.
    pub fn with_block(mut self, block: Duration) -> Self {
        self.block = block;
        self
    }

    /// Time allowed to open a connection.
    pub fn with_connect_timeout(mut self, timeout: Duration) -> Self {
        self.redis = self.redis.with_connect_timeout(timeout);
        self
    }

    /// Time allowed for one command's request and reply (a blocking read waits up to
    /// [`StreamConfig::with_block`] of it).
    pub fn with_io_timeout(mut self, timeout: Duration) -> Self {
        self.redis = self.redis.with_io_timeout(timeout);
        self
    }

    /// The stream's key.
    pub fn stream(&self) -> &str {
        &self.stream
    }

    /// The consumer group.
    pub fn group(&self) -> &str {
        &self.group
    }

    /// This consumer's name.
    pub fn consumer(&self) -> &str {
        &self.consumer
    }

    fn check(&self) -> Result<(), CoreError> {
        let bad = |reason: &str| {
            Err(CoreError::InvalidConfig {
                what: "event stream",
                reason: reason.to_owned(),
            })
        };
        if self.stream.is_empty() || self.group.is_empty() || self.consumer.is_empty() {
            return bad("stream, group and consumer must not be empty");
        }
        if self.batch_size == 0 {
            return bad("batch_size must be at least 1");
        }
        if self.max_len == Some(0) {
            return bad("max_len must be at least 1");
        }
        if self.max_age.is_some_and(|age| age.is_zero()) {
            return bad("max_age must be greater than zero");
        }
        if self.block >= self.redis.io_timeout {
            return bad("block must be shorter than io_timeout");
        }
        Ok(())
    }
}

/// One entry read from the stream.
#[derive(Clone, PartialEq)]
pub struct Delivery {
    /// The entry's id in the stream (`<ms>-<seq>`), what [`EventStream::ack`] takes.
    pub entry_id: String,
    /// The CloudEvent id the publisher stored beside it (the event's idempotency key);
    /// empty for an entry another writer added without one.
    pub event_id: String,
    /// The structured-mode CloudEvent JSON, or the raw fields of an entry that has
    /// none (as JSON), so that nothing is dropped unseen.
    pub payload: String,
    /// Whether this entry was claimed from another consumer that read it before and
    /// did not acknowledge it.
    pub redelivered: bool,
}

impl Delivery {
    /// The CloudEvent of the entry.
    ///
    /// # Errors
    /// [`EnvelopeError`] when the payload is not a valid structured CloudEvent.
    pub fn event(&self) -> Result<CloudEvent, EnvelopeError> {
        CloudEvent::from_json(&self.payload)
    }

    fn from_entry(entry: StreamId, redelivered: bool) -> Delivery {
        let field = |name: &str| match entry.map.get(name) {
            Some(Value::BulkString(bytes)) => Some(String::from_utf8_lossy(bytes).into_owned()),
            Some(Value::SimpleString(s)) => Some(s.clone()),
            _ => None,
        };
        let event_id = field("id").unwrap_or_default();
        let payload = field("ce").unwrap_or_else(|| {
            let raw: serde_json::Map<String, serde_json::Value> = entry
                .map
                .iter()
                .map(|(k, v)| {
                    let text = match v {
                        Value::BulkString(b) => String::from_utf8_lossy(b).into_owned(),
                        other => format!("{other:?}"),
                    };
                    (k.clone(), serde_json::Value::String(text))
                })
                .collect();
            serde_json::Value::Object(raw).to_string()
        });
        Delivery {
            entry_id: entry.id,
            event_id,
            payload,
            redelivered,
        }
    }
}

impl fmt::Debug for Delivery {
    // The payload holds the customer's message: its size only.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Delivery")
            .field("entry_id", &self.entry_id)
            .field("event_id", &self.event_id)
            .field("payload_bytes", &self.payload.len())
            .field("redelivered", &self.redelivered)
            .finish()
    }
}

/// A handle on one Redis Stream: publish CloudEvents, read them as one consumer of a
/// group, acknowledge them (see the module doc).
pub struct EventStream {
    link: RedisLink,
    config: StreamConfig,
    /// Where the next `XAUTOCLAIM` scan of the pending list starts.
    claim_cursor: String,
    /// When the pending list was last scanned (`None`: never).
    last_claim: Option<Instant>,
}

impl EventStream {
    /// Checks the configuration, connects, and creates the consumer group (and the
    /// stream) when missing; the group starts at the stream's beginning.
    ///
    /// # Errors
    /// [`CoreError::InvalidConfig`] for an unreadable URL, a zero timeout, batch size,
    /// `max_len` or `max_age`, or a block not shorter than the I/O timeout;
    /// [`CoreError::StoreUnavailable`] when Redis cannot be reached or refuses.
    pub fn connect(config: StreamConfig) -> Result<Self, CoreError> {
        config.check()?;
        let link = RedisLink::connect(&config.redis, "event stream")?;
        let mut stream = EventStream {
            link,
            config,
            claim_cursor: "0-0".to_owned(),
            last_claim: None,
        };
        let (key, group) = (stream.config.stream.clone(), stream.config.group.clone());
        stream.link.run("XGROUP CREATE", |c| {
            match redis::cmd("XGROUP")
                .arg("CREATE")
                .arg(&key)
                .arg(&group)
                .arg("0")
                .arg("MKSTREAM")
                .query::<()>(c)
            {
                Err(e) if e.code() == Some("BUSYGROUP") => Ok(()),
                other => other,
            }
        })?;
        Ok(stream)
    }

    /// The configuration.
    pub fn config(&self) -> &StreamConfig {
        &self.config
    }

    /// Appends `events` in order, pipelined, trimming by the configured retention as
    /// of `now`; returns the entry ids.
    ///
    /// # Errors
    /// [`CoreError::StoreUnavailable`] when Redis cannot answer.
    pub fn publish(
        &mut self,
        events: &[CloudEvent],
        now: DateTime<Utc>,
    ) -> Result<Vec<String>, CoreError> {
        if events.is_empty() {
            return Ok(Vec::new());
        }
        let min_id = self.min_id(now);
        let mut pipe = redis::pipe();
        for event in events {
            let cmd = pipe.cmd("XADD").arg(&self.config.stream);
            if let Some(max_len) = self.config.max_len {
                cmd.arg("MAXLEN").arg("~").arg(max_len);
            } else if let Some(min_id) = &min_id {
                cmd.arg("MINID").arg("~").arg(min_id);
            }
            cmd.arg("*")
                .arg("id")
                .arg(&event.id)
                .arg("ce")
                .arg(event.to_json());
        }
        // With both limits, XADD takes one trim strategy: length on each add, time
        // once per batch.
        if let (Some(_), Some(min_id)) = (self.config.max_len, &min_id) {
            pipe.cmd("XTRIM")
                .arg(&self.config.stream)
                .arg("MINID")
                .arg("~")
                .arg(min_id)
                .ignore();
        }
        self.link.run("XADD pipeline", |c| pipe.query(c))
    }

    /// Drops entries older than the configured `max_age` as of `now` (nothing without
    /// one); returns how many Redis removed (`~`: whole nodes only, so possibly 0).
    ///
    /// # Errors
    /// [`CoreError::StoreUnavailable`] when Redis cannot answer.
    pub fn trim(&mut self, now: DateTime<Utc>) -> Result<usize, CoreError> {
        let Some(min_id) = self.min_id(now) else {
            return Ok(0);
        };
        let key = &self.config.stream;
        self.link.run("XTRIM", |c| {
            redis::cmd("XTRIM")
                .arg(key)
                .arg("MINID")
                .arg(&min_id)
                .query(c)
        })
    }

    fn min_id(&self, now: DateTime<Utc>) -> Option<String> {
        let age = self.config.max_age?;
        let age_ms = i64::try_from(age.as_millis()).unwrap_or(i64::MAX);
        let cut = now.timestamp_millis().saturating_sub(age_ms).max(0);
        Some(format!("{cut}-0"))
    }

    /// Up to the batch size of entries for this consumer: first those another
    /// consumer left unacknowledged longer than `claim_after` (redelivered), then new
    /// ones, waiting up to `block` when there are none. Empty when nothing arrived.
    ///
    /// # Errors
    /// [`CoreError::StoreUnavailable`] when Redis cannot answer.
    pub fn read(&mut self) -> Result<Vec<Delivery>, CoreError> {
        // The pending list is scanned at most every half claim_after (and at most every
        // second), not on every read: one round trip per read in the steady state.
        let every = (self.config.claim_after / 2).min(Duration::from_secs(1));
        let due = self.last_claim.is_none_or(|t| t.elapsed() >= every);
        let mut out = if due {
            self.last_claim = Some(Instant::now());
            self.claim(self.config.batch_size)?
        } else {
            Vec::new()
        };
        let room = self.config.batch_size - out.len();
        if room == 0 {
            return Ok(out);
        }
        // Do not wait for new entries when claimed ones are ready to process.
        let block = if out.is_empty() {
            self.config.block
        } else {
            Duration::ZERO
        };
        let (key, group, consumer) = (
            &self.config.stream,
            &self.config.group,
            &self.config.consumer,
        );
        let reply: Option<StreamReadReply> = self.link.run("XREADGROUP", |c| {
            let mut cmd = redis::cmd("XREADGROUP");
            cmd.arg("GROUP")
                .arg(group)
                .arg(consumer)
                .arg("COUNT")
                .arg(room);
            if !block.is_zero() {
                cmd.arg("BLOCK").arg(block.as_millis().max(1) as u64);
            }
            cmd.arg("STREAMS").arg(key).arg(">").query(c)
        })?;
        if let Some(reply) = reply {
            out.extend(
                reply
                    .keys
                    .into_iter()
                    .flat_map(|k| k.ids)
                    .map(|entry| Delivery::from_entry(entry, false)),
            );
        }
        Ok(out)
    }

    /// Claims up to `count` entries idle longer than `claim_after`, scanning the
    /// pending list from where the last scan stopped.
    fn claim(&mut self, count: usize) -> Result<Vec<Delivery>, CoreError> {
        let idle = u64::try_from(self.config.claim_after.as_millis()).unwrap_or(u64::MAX);
        let (key, group, consumer) = (
            &self.config.stream,
            &self.config.group,
            &self.config.consumer,
        );
        let cursor = &self.claim_cursor;
        let reply: StreamAutoClaimReply = self.link.run("XAUTOCLAIM", |c| {
            redis::cmd("XAUTOCLAIM")
                .arg(key)
                .arg(group)
                .arg(consumer)
                .arg(idle)
                .arg(cursor)
                .arg("COUNT")
                .arg(count)
                .query(c)
        })?;
        self.claim_cursor = reply.next_stream_id;
        Ok(reply
            .claimed
            .into_iter()
            .map(|entry| Delivery::from_entry(entry, true))
            .collect())
    }

    /// Acknowledges entries this group has applied; returns how many were pending.
    ///
    /// # Errors
    /// [`CoreError::StoreUnavailable`] when Redis cannot answer.
    pub fn ack<S: AsRef<str>>(&mut self, entry_ids: &[S]) -> Result<usize, CoreError> {
        if entry_ids.is_empty() {
            return Ok(0);
        }
        let ids: Vec<&str> = entry_ids.iter().map(AsRef::as_ref).collect();
        let (key, group) = (&self.config.stream, &self.config.group);
        self.link.run("XACK", |c| {
            redis::cmd("XACK").arg(key).arg(group).arg(&ids).query(c)
        })
    }

    /// How many entries the group has read and not acknowledged.
    ///
    /// # Errors
    /// [`CoreError::StoreUnavailable`] when Redis cannot answer.
    pub fn pending(&mut self) -> Result<usize, CoreError> {
        let (key, group) = (&self.config.stream, &self.config.group);
        let summary: Value = self.link.run("XPENDING", |c| {
            redis::cmd("XPENDING").arg(key).arg(group).query(c)
        })?;
        match summary {
            Value::Array(items) => match items.first() {
                Some(Value::Int(n)) => Ok(usize::try_from(*n).unwrap_or(0)),
                _ => Ok(0),
            },
            _ => Ok(0),
        }
    }

    /// How many entries the stream holds.
    ///
    /// # Errors
    /// [`CoreError::StoreUnavailable`] when Redis cannot answer.
    pub fn len(&mut self) -> Result<usize, CoreError> {
        let key = &self.config.stream;
        self.link
            .run("XLEN", |c| redis::cmd("XLEN").arg(key).query::<usize>(c))
    }

    /// Whether the stream holds no entry.
    ///
    /// # Errors
    /// [`CoreError::StoreUnavailable`] when Redis cannot answer.
    pub fn is_empty(&mut self) -> Result<bool, CoreError> {
        self.len().map(|n| n == 0)
    }
}

impl fmt::Debug for EventStream {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("EventStream")
            .field("endpoint", &self.link.endpoint())
            .field("db", &self.link.db())
            .field("stream", &self.config.stream)
            .field("group", &self.config.group)
            .field("consumer", &self.config.consumer)
            .field("max_len", &self.config.max_len)
            .field("max_age", &self.config.max_age)
            .field("connected", &self.link.is_connected())
            .finish()
    }
}
