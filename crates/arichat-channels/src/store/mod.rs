//! Idempotency stores that live outside the process, shared by several workers.
//!
//! The core's [`arichat_core::dedup::MemoryIdempotencyStore`] serves one process; behind
//! the `redis` feature, [`RedisIdempotencyStore`] lets every worker behind a load
//! balancer see the same keys.

mod redis;

pub use self::redis::{HistoryLostPolicy, RedisConfig, RedisIdempotencyStore, GENERATION_SUFFIX};
