//! One campaign as loaded: who is eligible, what is offered, where and when. Its own
//! file: the bundle that loads campaigns, the plan that compiles them and the segment
//! check all read it.

use chrono::{DateTime, Utc};
use serde_json::{Map, Value as Json};

use super::channel::CampaignChannel;
use super::rule::Rule;
use crate::CampaignId;

/// One campaign: who is eligible, what they are offered, on which channels, when.
#[derive(Debug, Clone, PartialEq)]
pub struct Campaign {
    /// Unique within the bundle.
    pub id: CampaignId,
    /// A name for people.
    pub name: Option<String>,
    /// Higher goes first (ties in file order): decides which campaign of an exclusion
    /// group wins and which survive the per-customer cap.
    pub priority: i32,
    /// First instant the campaign runs (inclusive), if bounded.
    pub start: Option<DateTime<Utc>>,
    /// Instant the campaign stops (exclusive), if bounded.
    pub end: Option<DateTime<Utc>>,
    /// Where the offer is shown or sent.
    pub channels: Vec<CampaignChannel>,
    /// Who is eligible; `None` is everyone. A GrowthBook `condition` in the file is
    /// converted into this on load.
    pub eligibility: Option<Rule>,
    /// The offer payload, a JSON object kept as written.
    pub offer: Json,
    /// At most this many customers are offered the campaign per batch
    /// ([`super::CapUsage`]); holdouts do not count.
    pub max_assignments: Option<u64>,
    /// Of the campaigns sharing a group, a customer gets only the highest-priority one
    /// they qualify for.
    pub exclusion_group: Option<String>,
    /// Percentage (0–100, 0.01 steps) of customers held out: assigned with reason
    /// `holdout` and no offer, to measure the campaign against.
    pub holdout: f64,
    /// Percentage of customers in the rollout; `None` is everyone not held out.
    pub rollout: Option<f64>,
    /// Variants sharing the rollout, each with its weight and optional own offer.
    pub variants: Vec<Variant>,
    /// The split's seed; `None` uses the bundle's seed, else the campaign id.
    pub seed: Option<String>,
    /// Assigned (reason `default`) only to customers no other campaign was assigned to.
    pub fallback: bool,
}

/// A variant of a campaign's offer.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Variant {
    /// Unique within the campaign.
    pub id: String,
    /// Percentage of the rollout (the weights of a campaign add up to 100).
    pub weight: f64,
    /// The variant's offer, replacing the campaign's; `None` keeps the campaign's.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub offer: Option<Map<String, Json>>,
}
