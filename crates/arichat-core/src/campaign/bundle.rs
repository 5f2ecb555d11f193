//! The campaign bundle: its file form, loading and validation.

use std::collections::{BTreeMap, HashSet};

use chrono::{DateTime, Duration, Utc};
use serde_json::{Map, Value as Json};

use super::channel::CampaignChannel;
use super::definition::{Campaign, Variant};
use super::error::CampaignError;
use super::plan::Plan;
use super::rule::{date_value, Rule};
use super::segment::check_segments;
use super::split::Ranges;
use super::time::{format_duration, parse_duration};
use crate::scoring::Scorecard;
use crate::{CampaignId, CoreError};

/// Default [`CampaignBundle::ttl`]: assignments are recomputed daily.
pub const DEFAULT_TTL_SECS: u64 = 24 * 3600;

/// Default [`CampaignBundle::stale_grace`]: six hours, enough for a failed daily job to
/// be retried (or Redis to come back) while customers keep yesterday's offers, short
/// enough that offers of a campaign pulled in the morning are gone by the afternoon.
pub const DEFAULT_STALE_GRACE_SECS: u64 = 6 * 3600;

/// A versioned set of campaigns with named segments, an optional scorecard, and the
/// cache lifetimes of its assignments. Loaded from TOML or JSON (the same shape) and
/// checked on load; a loaded bundle never fails to evaluate.
///
/// ```
/// use arichat_core::campaign::{CampaignBundle, Reason};
/// use arichat_core::scoring::LeadRecord;
/// use chrono::{TimeZone, Utc};
///
/// let bundle = CampaignBundle::from_toml_str(r#"
///     version = "2026-12-03"
///     [segments]
///     homeowners = { field = "housing", eq = "yes" }
///     [[campaigns]]
///     id = "refinance"
///     priority = 10
///     channels = ["phone", "app"]
///     eligibility = { all = [{ in_segment = "homeowners" }, { field = "age", gte = 30 }] }
///     offer = { product = "mortgage_refinance", rate = 0.089 }
/// "#).unwrap();
/// let now = Utc.with_ymd_and_hms(2026, 12, 3, 8, 0, 0).unwrap();
/// let customer = LeadRecord::new().with("housing", "yes").with("age", 41);
/// let a = bundle.assign("c-1", &customer, now);
/// assert_eq!(a[0].campaign_id.as_str(), "refinance");
/// assert_eq!(a[0].reason, Reason::TargetingMatch);
/// assert_eq!(a[0].rule_path, "eligibility");
/// ```
#[derive(Debug, Clone)]
pub struct CampaignBundle {
    pub(crate) version: String,
    pub(crate) name: Option<String>,
    pub(crate) seed: Option<String>,
    pub(crate) ttl_secs: u64,
    pub(crate) stale_grace_secs: u64,
    pub(crate) max_per_customer: Option<u32>,
    pub(crate) scorecard: Option<Scorecard>,
    pub(crate) segments: BTreeMap<String, Rule>,
    pub(crate) campaigns: Vec<Campaign>,
    pub(crate) plan: Plan,
}

impl PartialEq for CampaignBundle {
    fn eq(&self, other: &Self) -> bool {
        // The plan is derived from the rest.
        self.to_file() == other.to_file()
    }
}

/// The file form of a bundle, read and written.
#[derive(Debug, PartialEq, serde::Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
struct BundleFile {
    version: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    seed: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    ttl: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    stale_grace: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    max_per_customer: Option<u32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    scorecard: Option<Json>,
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    segments: BTreeMap<String, Json>,
    #[serde(default)]
    campaigns: Vec<CampaignFile>,
}

#[derive(Debug, PartialEq, serde::Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
struct CampaignFile {
    id: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    name: Option<String>,
    #[serde(default, skip_serializing_if = "is_zero")]
    priority: i32,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    start: Option<Json>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    end: Option<Json>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    channels: Vec<CampaignChannel>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    eligibility: Option<Json>,
    /// A GrowthBook condition, converted into `eligibility`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    condition: Option<Json>,
    #[serde(default)]
    offer: Map<String, Json>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    max_assignments: Option<u64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    exclusion_group: Option<String>,
    #[serde(default, skip_serializing_if = "is_zero_f")]
    holdout: f64,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    rollout: Option<f64>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    variants: Vec<Variant>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    seed: Option<String>,
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    fallback: bool,
}

fn is_zero(n: &i32) -> bool {
    *n == 0
}

fn is_zero_f(n: &f64) -> bool {
    *n == 0.0
}

impl CampaignBundle {
    /// Reads and checks a bundle in TOML.
    ///
    /// # Errors
    /// [`CoreError::InvalidCampaign`] with the [`CampaignError`] at fault and its path.
    pub fn from_toml_str(text: &str) -> Result<Self, CoreError> {
        let file: BundleFile = toml::from_str(text).map_err(|e| CampaignError::Parse {
            format: "toml",
            reason: e.to_string().trim_end().to_owned(),
        })?;
        Ok(Self::from_file(file)?)
    }

    /// Reads and checks a bundle in JSON (the same shape as TOML).
    ///
    /// # Errors
    /// [`CoreError::InvalidCampaign`] with the [`CampaignError`] at fault and its path.
    pub fn from_json_str(text: &str) -> Result<Self, CoreError> {
        let file: BundleFile = serde_json::from_str(text).map_err(|e| CampaignError::Parse {
            format: "json",
            reason: crate::json_error::describe(&e, text),
        })?;
        Ok(Self::from_file(file)?)
    }

    /// Writes the bundle as pretty JSON (GrowthBook conditions as the rules they became).
    pub fn to_json(&self) -> String {
        serde_json::to_string_pretty(&self.to_file())
            .unwrap_or_else(|e| format!("{{\"error\":{:?}}}", e.to_string()))
    }

    /// Writes the bundle as TOML.
    pub fn to_toml(&self) -> String {
        toml::to_string(&self.to_file())
            .unwrap_or_else(|e| format!("# cannot write campaign bundle: {e}\n"))
    }

    /// The bundle's version, copied into every [`super::AssignmentSet`] so a cache can
    /// tell entries of an older bundle.
    pub fn version(&self) -> &str {
        &self.version
    }

    /// A name for people.
    pub fn name(&self) -> Option<&str> {
        self.name.as_deref()
    }

    /// How long assignments stay fresh (default 24 h, [`DEFAULT_TTL_SECS`]).
    pub fn ttl(&self) -> Duration {
        Duration::seconds(self.ttl_secs as i64)
    }

    /// How long after expiry a cached entry may still be served, marked `stale`,
    /// while it is recomputed or when recomputing fails (default 6 h,
    /// [`DEFAULT_STALE_GRACE_SECS`]).
    pub fn stale_grace(&self) -> Duration {
        Duration::seconds(self.stale_grace_secs as i64)
    }

    /// At most this many campaigns per customer (holdouts included), highest priority
    /// first; `None` is no limit.
    pub fn max_per_customer(&self) -> Option<u32> {
        self.max_per_customer
    }

    /// The scorecard `grade` and `score` rules use.
    pub fn scorecard(&self) -> Option<&Scorecard> {
        self.scorecard.as_ref()
    }

    /// Named segments.
    pub fn segments(&self) -> &BTreeMap<String, Rule> {
        &self.segments
    }

    /// The campaigns in file order (the order `campaign` indices of
    /// [`super::BatchAssignments`] refer to).
    pub fn campaigns(&self) -> &[Campaign] {
        &self.campaigns
    }

    fn from_file(f: BundleFile) -> Result<Self, CampaignError> {
        if f.version.trim().is_empty() {
            return Err(CampaignError::EmptyName {
                path: "version".into(),
            });
        }
        let duration = |v: &Option<String>, path: &str, default: u64| match v {
            None => Ok(default),
            Some(t) => parse_duration(t).map_err(|reason| CampaignError::InvalidDuration {
                path: path.into(),
                reason,
            }),
        };
        let ttl_secs = duration(&f.ttl, "ttl", DEFAULT_TTL_SECS)?;
        if ttl_secs == 0 {
            return Err(CampaignError::InvalidDuration {
                path: "ttl".into(),
                reason: "must be longer than 0s".into(),
            });
        }
        let stale_grace_secs = duration(&f.stale_grace, "stale_grace", DEFAULT_STALE_GRACE_SECS)?;
        if f.seed.as_deref().is_some_and(|s| s.is_empty()) {
            return Err(CampaignError::EmptyName {
                path: "seed".into(),
            });
        }
        let scorecard = match f.scorecard {
            None => None,
            Some(v) => Some(serde_json::from_value::<Scorecard>(v).map_err(|e| {
                CampaignError::InvalidScorecard {
                    reason: e.to_string(),
                }
            })?),
        };
        let mut segments = BTreeMap::new();
        for (name, v) in &f.segments {
            let path = format!("segments.{name}");
            if name.trim().is_empty() {
                return Err(CampaignError::EmptyName { path });
            }
            segments.insert(name.clone(), Rule::from_json_value(v, &path)?);
        }
        let mut ids = HashSet::new();
        let mut campaigns = Vec::with_capacity(f.campaigns.len());
        let mut ranges = Vec::with_capacity(f.campaigns.len());
        for (i, c) in f.campaigns.into_iter().enumerate() {
            let (campaign, r) = campaign_from_file(c, &format!("campaigns[{i}]"))?;
            ranges.push(r);
            if !ids.insert(campaign.id.clone()) {
                return Err(CampaignError::DuplicateId {
                    path: format!("campaigns[{i}].id"),
                    id: campaign.id.to_string(),
                });
            }
            campaigns.push(campaign);
        }
        check_segments(&segments, &campaigns, scorecard.is_some())?;
        let mut bundle = CampaignBundle {
            version: f.version,
            name: f.name,
            seed: f.seed,
            ttl_secs,
            stale_grace_secs,
            max_per_customer: f.max_per_customer,
            scorecard,
            segments,
            campaigns,
            plan: Plan::default(),
        };
        bundle.plan = Plan::compile(
            &bundle.segments,
            &bundle.campaigns,
            bundle.seed.as_deref(),
            ranges,
        );
        Ok(bundle)
    }

    fn to_file(&self) -> BundleFile {
        let date = |d: &Option<DateTime<Utc>>| {
            d.map(|d| Json::String(d.to_rfc3339_opts(chrono::SecondsFormat::AutoSi, true)))
        };
        BundleFile {
            version: self.version.clone(),
            name: self.name.clone(),
            seed: self.seed.clone(),
            ttl: Some(format_duration(self.ttl_secs)),
            stale_grace: Some(format_duration(self.stale_grace_secs)),
            max_per_customer: self.max_per_customer,
            scorecard: self
                .scorecard
                .as_ref()
                .and_then(|s| serde_json::to_value(s).ok()),
            segments: self
                .segments
                .iter()
                .map(|(k, r)| (k.clone(), r.to_json_value()))
                .collect(),
            campaigns: self
                .campaigns
                .iter()
                .map(|c| CampaignFile {
                    id: c.id.to_string(),
                    name: c.name.clone(),
                    priority: c.priority,
                    start: date(&c.start),
                    end: date(&c.end),
                    channels: c.channels.clone(),
                    eligibility: c.eligibility.as_ref().map(Rule::to_json_value),
                    condition: None,
                    offer: c.offer.as_object().cloned().unwrap_or_default(),
                    max_assignments: c.max_assignments,
                    exclusion_group: c.exclusion_group.clone(),
                    holdout: c.holdout,
                    rollout: c.rollout,
                    variants: c.variants.clone(),
                    seed: c.seed.clone(),
                    fallback: c.fallback,
                })
                .collect(),
        }
    }
}

fn campaign_from_file(c: CampaignFile, path: &str) -> Result<(Campaign, Ranges), CampaignError> {
    if c.id.trim().is_empty() {
        return Err(CampaignError::EmptyName {
            path: format!("{path}.id"),
        });
    }
    let date = |v: &Option<Json>, key: &str| -> Result<Option<DateTime<Utc>>, CampaignError> {
        v.as_ref()
            .map(|v| {
                date_value(v).ok_or_else(|| CampaignError::InvalidWindow {
                    path: format!("{path}.{key}"),
                    reason: "must be a date (YYYY-MM-DD, RFC 3339, or YYYY-MM-DD HH:MM:SS)".into(),
                })
            })
            .transpose()
    };
    let start = date(&c.start, "start")?;
    let end = date(&c.end, "end")?;
    if let (Some(s), Some(e)) = (start, end) {
        if s >= e {
            return Err(CampaignError::InvalidWindow {
                path: format!("{path}.end"),
                reason: format!("end {e} is not after start {s}"),
            });
        }
    }
    let eligibility = match (&c.eligibility, &c.condition) {
        (Some(_), Some(_)) => {
            return Err(CampaignError::rule(
                format!("{path}.condition"),
                "a campaign has `eligibility` or a GrowthBook `condition`, not both",
            ))
        }
        (Some(v), None) => Some(Rule::from_json_value(v, &format!("{path}.eligibility"))?),
        (None, Some(v)) => Some(Rule::from_growthbook(v, &format!("{path}.condition"))?),
        (None, None) => None,
    };
    let mut variant_ids = HashSet::new();
    for (j, v) in c.variants.iter().enumerate() {
        let vpath = format!("{path}.variants[{j}].id");
        if v.id.trim().is_empty() {
            return Err(CampaignError::EmptyName { path: vpath });
        }
        if !variant_ids.insert(v.id.as_str()) {
            return Err(CampaignError::DuplicateId {
                path: vpath,
                id: v.id.clone(),
            });
        }
    }
    let weights: Vec<f64> = c.variants.iter().map(|v| v.weight).collect();
    let ranges = Ranges::new(c.holdout, c.rollout, &weights).map_err(|(variant, reason)| {
        let field = match variant {
            Some(j) => format!("variants[{j}].weight"),
            None if reason.starts_with("holdout") => "holdout".into(),
            None if reason.starts_with("rollout") => "rollout".into(),
            None => "variants".into(),
        };
        CampaignError::InvalidPercent {
            path: format!("{path}.{field}"),
            reason,
        }
    })?;
    for (key, v) in [("exclusion_group", &c.exclusion_group), ("seed", &c.seed)] {
        if v.as_deref().is_some_and(|s| s.trim().is_empty()) {
            return Err(CampaignError::EmptyName {
                path: format!("{path}.{key}"),
            });
        }
    }
    let campaign = Campaign {
        id: CampaignId::new(c.id),
        name: c.name,
        priority: c.priority,
        start,
        end,
        channels: c.channels,
        eligibility,
        offer: Json::Object(c.offer),
        max_assignments: c.max_assignments,
        exclusion_group: c.exclusion_group,
        holdout: c.holdout,
        rollout: c.rollout,
        variants: c.variants,
        seed: c.seed,
        fallback: c.fallback,
    };
    Ok((campaign, ranges))
}

impl serde::Serialize for CampaignBundle {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        self.to_file().serialize(s)
    }
}

impl<'de> serde::Deserialize<'de> for CampaignBundle {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let file = BundleFile::deserialize(d)?;
        CampaignBundle::from_file(file).map_err(serde::de::Error::custom)
    }
}
