//! `Scorecard`: scoring a lead with its explanation, a thin wrapper around
//! [`arichat_core::scoring`]. Offline and pure: the only clock read is the default of
//! `score`'s `now`.

use std::collections::HashMap;

use arichat_core::scoring::{EngagementKind, LeadRecord, Value};
use arichat_core::Intent;
use napi::bindgen_prelude::{Date, Either3};
use napi_derive::napi;

use crate::{core_error, to_utc, Result};

/// One thing a contact did, given to `Scorecard.score`.
#[napi(object, object_to_js = false)]
pub struct EngagementEvent<'env> {
    /// `"inbound_message"`, `"agent_reply"`, `"intent"`, `"ad_referral"`, `"postback"`,
    /// `"opt_in"`, `"opt_out"`, `"blocked"`, `"read"` or `"delivery_failed"`.
    #[napi(
        ts_type = "'inbound_message' | 'agent_reply' | 'intent' | 'ad_referral' | 'postback' | 'opt_in' | 'opt_out' | 'blocked' | 'read' | 'delivery_failed'"
    )]
    pub kind: String,
    /// When it happened.
    pub at: Date<'env>,
    /// The intent, for `kind: "intent"`.
    #[napi(ts_type = "IntentName")]
    pub intent: Option<String>,
    /// A payload: a postback's button payload, a referral's ad id.
    pub payload: Option<String>,
}

/// One line of a score's explanation.
#[napi(object)]
pub struct Contribution {
    /// The rule id (`"base"`, or the group name for a cap).
    pub rule: String,
    /// The rule's name, when it has one.
    pub name: Option<String>,
    /// `"base"`, `"fit"`, `"engagement"` or `"group_cap"`.
    #[napi(ts_type = "'base' | 'fit' | 'engagement' | 'group_cap'")]
    pub kind: String,
    /// Points given; the points of all contributions add up to the total.
    pub points: f64,
    /// Matching events, for engagement rules.
    pub events: Option<u32>,
}

/// The score of one lead with its explanation.
#[napi(object)]
pub struct ScoreResult {
    /// `fit + engagement`.
    pub total: f64,
    /// Base points plus fit rules.
    pub fit: f64,
    /// Engagement rules.
    pub engagement: f64,
    /// `"a"` (best) to `"d"`.
    #[napi(ts_type = "'a' | 'b' | 'c' | 'd'")]
    pub grade: String,
    /// `"iql"`, `"mql"` or `"sql"`.
    #[napi(ts_type = "'iql' | 'mql' | 'sql'")]
    pub stage: String,
    /// Probability of the positive outcome, when the scorecard has an odds scale.
    pub probability: Option<f64>,
    /// Every rule that gave points, in scorecard order, then group caps.
    pub contributions: Vec<Contribution>,
}

/// A lead scorecard (fit rules, engagement rules, caps, grades and stages), checked on load.
#[napi]
pub struct Scorecard {
    inner: arichat_core::scoring::Scorecard,
}

#[napi]
impl Scorecard {
    /// Reads a scorecard from TOML.
    ///
    /// Throws `invalid_scorecard`.
    #[napi(factory)]
    pub fn from_toml(text: String) -> Result<Self> {
        let inner = arichat_core::scoring::Scorecard::from_toml(&text).map_err(core_error)?;
        Ok(Scorecard { inner })
    }

    /// Reads a scorecard from JSON (the same shape as the TOML).
    ///
    /// Throws `invalid_scorecard`.
    #[napi(factory)]
    pub fn from_json(text: String) -> Result<Self> {
        let inner = arichat_core::scoring::Scorecard::from_json(&text).map_err(core_error)?;
        Ok(Scorecard { inner })
    }

    /// The scorecard as TOML.
    #[napi]
    pub fn to_toml(&self) -> String {
        self.inner.to_toml()
    }

    /// The scorecard as JSON.
    #[napi]
    pub fn to_json(&self) -> String {
        self.inner.to_json()
    }

    /// Scores a lead: `record` maps field names to values, `events` is what the
    /// contact did (events after `now` are ignored), `now` defaults to the current time.
    ///
    /// Throws `unknown_variant` for an unknown event kind or intent, `InvalidArg` for
    /// an invalid `Date`.
    #[napi(
        ts_args_type = "record: Record<string, string | number | boolean | null>, events?: Array<EngagementEvent>, now?: Date"
    )]
    pub fn score(
        &self,
        record: HashMap<String, Option<Either3<String, f64, bool>>>,
        events: Option<Vec<EngagementEvent>>,
        now: Option<Date>,
    ) -> Result<ScoreResult> {
        let mut lead = LeadRecord::new();
        for (name, value) in record {
            let value = match value {
                None => Value::Null,
                Some(Either3::A(text)) => Value::Text(text),
                Some(Either3::B(number)) => Value::Number(number),
                Some(Either3::C(flag)) => Value::Bool(flag),
            };
            lead.set(name, value);
        }
        let events = events
            .unwrap_or_default()
            .into_iter()
            .enumerate()
            .map(|(i, e)| {
                let kind = e.kind.parse::<EngagementKind>().map_err(core_error)?;
                let at = to_utc(e.at, &format!("events[{i}].at"))?;
                let mut event = arichat_core::scoring::EngagementEvent::new(kind, at);
                event.intent = e
                    .intent
                    .map(|i| i.parse::<Intent>())
                    .transpose()
                    .map_err(core_error)?;
                event.payload = e.payload;
                Ok(event)
            })
            .collect::<Result<Vec<_>>>()?;
        let now = match now {
            Some(date) => to_utc(date, "now")?,
            None => chrono::Utc::now(),
        };
        let r = self.inner.score(&lead, &events, now);
        Ok(ScoreResult {
            total: r.total,
            fit: r.fit,
            engagement: r.engagement,
            grade: r.grade.as_str().to_owned(),
            stage: r.stage.as_str().to_owned(),
            probability: r.probability,
            contributions: r
                .contributions
                .into_iter()
                .map(|c| Contribution {
                    rule: c.rule,
                    name: c.name,
                    kind: c.kind.as_str().to_owned(),
                    points: c.points,
                    events: (c.events > 0).then_some(c.events),
                })
                .collect(),
        })
    }
}
