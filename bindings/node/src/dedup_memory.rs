//! `MemoryIdempotencyStore`: the in-process idempotency set of [`arichat_core::dedup`]
//! for a single Node process (several processes share a `RedisIdempotencyStore`). Its
//! space is reserved at construction, so no insert stops to grow it.

use arichat_core::dedup::{IdempotencyStore, MemoryIdempotencyStore as Store, Seen};
use napi::bindgen_prelude::Date;
use napi_derive::napi;

use crate::{core_error, to_utc, Result};

/// Keys seen in this process: `checkAndInsert(event.idempotency_key, new Date())` is
/// `true` the first time, `false` for a redelivery within the TTL.
#[napi]
pub struct MemoryIdempotencyStore {
    inner: Store,
}

#[napi]
impl MemoryIdempotencyStore {
    /// `capacity` keys (default 1,000,000; the oldest leave first when full) kept for
    /// `ttlSeconds` (default 7 days).
    ///
    /// Throws `invalid_config` for a `ttlSeconds` that is negative, NaN, infinite or 2^64 or more.
    #[napi(constructor)]
    pub fn new(capacity: Option<u32>, ttl_seconds: Option<f64>) -> Result<Self> {
        let inner = Store::from_args(capacity.map(|c| c as usize), ttl_seconds, "ttlSeconds")
            .map_err(core_error)?;
        Ok(MemoryIdempotencyStore { inner })
    }

    /// Records `key` at `now`: `true` when it is new, `false` when it was seen within
    /// the TTL (a redelivery: drop the event).
    #[napi]
    pub fn check_and_insert(&mut self, key: String, now: Date) -> Result<bool> {
        let now = to_utc(now, "now")?;
        let seen = self.inner.check_and_insert(&key, now).map_err(core_error)?;
        Ok(seen == Seen::New)
    }

    /// How many keys are held.
    #[napi(getter)]
    pub fn size(&self) -> u32 {
        u32::try_from(self.inner.len()).unwrap_or(u32::MAX)
    }
}
