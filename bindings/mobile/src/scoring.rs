//! [`Scorecard`]: a lead scored with its explanation. The records and enums
//! (`ScoreResult`, `Contribution`, `EngagementEvent`, `Value`, `Grade`, ...) are the core's.

use std::collections::HashMap;
use std::sync::Arc;
use std::time::SystemTime;

use arichat_core::scoring::{EngagementEvent, LeadRecord, ScoreResult, Value};

use crate::error::{to_utc, Result};

/// A lead scorecard (`arichat_core::scoring::Scorecard`): fit rules, engagement rules,
/// caps, grades and stages, checked on load. Immutable, so safe to share across threads.
#[derive(Debug, uniffi::Object)]
pub struct Scorecard {
    inner: arichat_core::scoring::Scorecard,
}

#[uniffi::export]
impl Scorecard {
    /// Reads a scorecard from TOML.
    ///
    /// # Errors
    /// `invalid_scorecard`, with the parser's or validator's message.
    #[uniffi::constructor]
    pub fn from_toml(text: String) -> Result<Arc<Self>> {
        Ok(Arc::new(Scorecard {
            inner: arichat_core::scoring::Scorecard::from_toml(&text)?,
        }))
    }

    /// Reads a scorecard from JSON (the same shape as the TOML).
    ///
    /// # Errors
    /// `invalid_scorecard`.
    #[uniffi::constructor]
    pub fn from_json(text: String) -> Result<Arc<Self>> {
        Ok(Arc::new(Scorecard {
            inner: arichat_core::scoring::Scorecard::from_json(&text)?,
        }))
    }

    /// The scorecard as TOML.
    pub fn to_toml(&self) -> String {
        self.inner.to_toml()
    }

    /// The scorecard as JSON.
    pub fn to_json(&self) -> String {
        self.inner.to_json()
    }

    /// Scores a lead as of `now`: `record` maps field names to values, `events` is what
    /// the contact did (events after `now` are ignored).
    ///
    /// # Errors
    /// `TIME_OUT_OF_RANGE` when `now` is outside the core's range.
    pub fn score(
        &self,
        record: HashMap<String, Value>,
        events: Vec<EngagementEvent>,
        now: SystemTime,
    ) -> Result<ScoreResult> {
        let mut lead = LeadRecord::new();
        for (name, value) in record {
            lead.set(name, value);
        }
        Ok(self.inner.score(&lead, &events, to_utc(now)?))
    }
}
