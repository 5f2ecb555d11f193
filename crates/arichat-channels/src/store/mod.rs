//! Stores that live outside the process, shared by several workers (behind the `redis`
//! feature).
//!
//! - [`RedisIdempotencyStore`]: the core's [`arichat_core::dedup::MemoryIdempotencyStore`]
//!   serves one process; this one lets every worker behind a load balancer see the same
//!   idempotency keys.
//! - [`CampaignCache`]: each customer's campaign assignments with a TTL, written by the
//!   daily batch and read (recomputed when missing or expired) by every service.
//! - [`EventStream`]: CloudEvents on a Redis Stream, consumed by groups with
//!   acknowledgement and redelivery — the local message bus.
//!
//! All open, time out, retry and report failures through one connection type
//! (`link.rs`), so a Redis outage is the same typed `store_unavailable` everywhere.

mod campaigns;
mod link;
mod redis;
mod redis_config;
mod stream;

pub use self::campaigns::{CampaignCache, CampaignCacheConfig, UnavailablePolicy};
pub use self::redis::{RedisIdempotencyStore, GENERATION_SUFFIX};
pub use self::redis_config::{HistoryLostPolicy, RedisConfig};
pub use self::stream::{Delivery, EventStream, StreamConfig};
