//! `PriorityQueue` and `reviewFlag`: who to answer next ([`arichat_core::queue`]) and
//! the flag a message raises ([`arichat_core::review`]). Entries, configurations and
//! ranked items reach JS as the core's serde JSON (snake_case keys); the formula, its
//! defaults and validation stay in the core.

use arichat_core::intent::IntentClassifier;
use arichat_core::queue::{QueueConfig, QueueEntry};
use arichat_core::review::ReviewFlag;
use arichat_core::ConversationId;
use napi::bindgen_prelude::Date;
use napi_derive::napi;
use serde_json::Value as Json;

use crate::serde_js::{parse, to_js};
use crate::{core_error, to_utc, Result};

/// The open conversations of one tenant, ranked by lead score, waiting time and the
/// closing of the 24-hour window (the formula is `arichat_core::queue`'s).
#[napi]
pub struct PriorityQueue {
    inner: arichat_core::queue::PriorityQueue,
}

#[napi]
impl PriorityQueue {
    /// `config` (all optional, the core's defaults otherwise): `score_weight` (10),
    /// `score_scale` (100), `wait_weight_per_hour` (1), `window_weight` (12),
    /// `window_horizon_minutes` (240), `strategy`.
    ///
    /// Throws `invalid_json` for an unknown field, `invalid_config` for a bad value.
    #[napi(
        constructor,
        ts_args_type = "config?: { score_weight?: number, score_scale?: number, wait_weight_per_hour?: number, window_weight?: number, window_horizon_minutes?: number, strategy?: 'round_robin' | 'least_loaded' }"
    )]
    pub fn new(config: Option<Json>) -> Result<Self> {
        let config: QueueConfig = match config {
            Some(c) => parse(c, "queue config")?,
            None => QueueConfig::default(),
        };
        let inner = arichat_core::queue::PriorityQueue::new(config).map_err(core_error)?;
        Ok(PriorityQueue { inner })
    }

    /// Inserts or updates a conversation: `{ conversation_id, channel, score,
    /// waiting_since?, last_inbound_at?, review? }` (times as ISO 8601 text;
    /// `waiting_since` absent once answered). Returns whether it was new.
    ///
    /// Throws `invalid_json` when it is not an entry.
    #[napi(
        ts_args_type = "entry: { conversation_id: string, channel: ChannelName, score: number, waiting_since?: string, last_inbound_at?: string, review?: Record<string, any> }, now: Date"
    )]
    pub fn upsert(&mut self, entry: Json, now: Date) -> Result<bool> {
        let entry: QueueEntry = parse(entry, "queue entry")?;
        Ok(self.inner.upsert(entry, to_utc(now, "now")?))
    }

    /// Removes a conversation; returns whether it was queued.
    #[napi]
    pub fn remove(&mut self, conversation_id: String) -> bool {
        self.inner
            .remove(&ConversationId::new(conversation_id))
            .is_some()
    }

    /// The entry of a conversation, or `null`.
    #[napi(ts_return_type = "Record<string, any> | null")]
    pub fn get(&self, conversation_id: String) -> Json {
        self.inner
            .get(&ConversationId::new(conversation_id))
            .map_or(Json::Null, to_js)
    }

    /// A conversation's priority at `now` with its terms (`{ conversation_id, channel,
    /// priority, terms, review? }`), or `null`.
    #[napi(ts_return_type = "Record<string, any> | null")]
    pub fn rank(&mut self, conversation_id: String, now: Date) -> Result<Json> {
        let now = to_utc(now, "now")?;
        Ok(self
            .inner
            .rank(&ConversationId::new(conversation_id), now)
            .map_or(Json::Null, |item| to_js(&item)))
    }

    /// The `k` highest-priority conversations at `now`, best first, as `rank` gives
    /// them.
    #[napi(ts_return_type = "Array<Record<string, any>>")]
    pub fn top(&mut self, k: u32, now: Date) -> Result<Json> {
        let now = to_utc(now, "now")?;
        let items = self.inner.top(k as usize, now);
        Ok(Json::Array(items.iter().map(to_js).collect()))
    }

    /// Moves the queue's clock to `now` and re-ranks every conversation that time has
    /// carried past a window breakpoint; returns how many. Other calls re-rank at most
    /// 16 each, so a host with a large queue calls this on a timer
    /// (`setInterval(() => q.tick(new Date()), 1000)`) to keep every call short.
    #[napi]
    pub fn tick(&mut self, now: Date) -> Result<u32> {
        let moved = self.inner.tick(to_utc(now, "now")?);
        Ok(u32::try_from(moved).unwrap_or(u32::MAX))
    }

    /// Whether some conversation waits for a re-rank that `tick` would do.
    #[napi(getter)]
    pub fn overdue(&self) -> bool {
        self.inner.overdue()
    }

    /// How many conversations are queued.
    #[napi(getter)]
    pub fn size(&self) -> u32 {
        u32::try_from(self.inner.len()).unwrap_or(u32::MAX)
    }
}

/// The review flag a message calls for (`{ reason, evidence, confidence, at }`), or
/// `null`: a possible opt-out that is not an explicit one, as the built-in classifier
/// reads `text`. What a queue entry's `review` holds.
#[napi(
    ts_return_type = "{ reason: 'possible_opt_out', evidence: string, confidence: number, at: string } | null"
)]
pub fn review_flag(text: String, at: Date) -> Result<Json> {
    let at = to_utc(at, "at")?;
    let classification = crate::intent::classifier().classify(&text);
    Ok(
        ReviewFlag::for_classification(&classification, &text, at)
            .map_or(Json::Null, |f| to_js(&f)),
    )
}
