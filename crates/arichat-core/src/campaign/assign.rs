//! Assigning campaigns to one customer, with the reason for each and the rule path an
//! auditor reads; explaining why the others were not assigned; the cache entry.

use std::cell::{Cell as Lazy, OnceCell};

use chrono::{DateTime, Utc};
use serde_json::Value as Json;

use super::bundle::CampaignBundle;
use super::channel::CampaignChannel;
use super::definition::Campaign;
use super::plan::Row;
use super::split::{bucket, Slot};
use crate::named_enum::named_enum;
use crate::scoring::{Cell, LeadRecord, Scorecard};
use crate::CampaignId;

named_enum!(
    /// Why a customer has an assignment (after OpenFeature's evaluation reasons).
    #[cfg_attr(feature = "uniffi", derive(uniffi::Enum))]
    Reason, "assignment reason", "targeting_match, split, holdout, default, cached, stale", {
        /// The eligibility rule matched and the campaign is not split.
        TargetingMatch => "targeting_match",
        /// The rule matched and the customer's bucket fell in the rollout (of a
        /// campaign with a partial rollout, a holdout or variants).
        Split => "split",
        /// The rule matched and the customer's bucket fell in the holdout group: no
        /// offer, kept to measure the campaign against.
        Holdout => "holdout",
        /// A `fallback` campaign, given because no other campaign was.
        Default => "default",
        /// Served from a cache entry still fresh ([`AssignmentSet::served`]).
        Cached => "cached",
        /// Served from an expired cache entry within its stale grace period.
        Stale => "stale",
    }
);

/// One campaign assigned to one customer.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Assignment {
    /// The campaign.
    pub campaign_id: CampaignId,
    /// The variant, for campaigns with variants (not for holdouts).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub variant: Option<String>,
    /// Why.
    pub reason: Reason,
    /// The rule that matched, as a path within the campaign (`eligibility.all[1]`,
    /// `eligibility.any[0].in_segment`); empty when the campaign has no rule.
    pub rule_path: String,
    /// The customer's bucket (0..10 000) for this campaign's seed.
    pub bucket: u16,
    /// The campaign's priority.
    pub priority: i32,
    /// Where to show or send it.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub channels: Vec<CampaignChannel>,
    /// The offer (the variant's, else the campaign's); `None` for a holdout.
    #[serde(default)]
    pub offer: Option<Json>,
}

named_enum!(
    /// What happened to one campaign for one customer ([`CampaignBundle::explain`]).
    #[cfg_attr(feature = "uniffi", derive(uniffi::Enum))]
    Status, "campaign status", "assigned, not_started, ended, not_eligible, outside_rollout, excluded, customer_cap, campaign_cap, fallback_unused", {
        /// Assigned (see the reason).
        Assigned => "assigned",
        /// `now` is before the campaign's start.
        NotStarted => "not_started",
        /// `now` is at or after the campaign's end.
        Ended => "ended",
        /// The eligibility rule did not match (the path names the failing test).
        NotEligible => "not_eligible",
        /// Eligible, but the bucket is beyond the rollout.
        OutsideRollout => "outside_rollout",
        /// A higher-priority campaign of the same exclusion group was assigned.
        Excluded => "excluded",
        /// The customer already has `max_per_customer` campaigns.
        CustomerCap => "customer_cap",
        /// The campaign reached its `max_assignments` in this batch.
        CampaignCap => "campaign_cap",
        /// A fallback, not needed: another campaign was assigned.
        FallbackUnused => "fallback_unused",
    }
);

/// Why one campaign was or was not assigned: what sales staff read.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Explanation {
    /// The campaign.
    pub campaign_id: CampaignId,
    /// What happened.
    pub status: Status,
    /// The reason, when assigned.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<Reason>,
    /// The rule path that decided: the matching rule, or the first failing test.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rule_path: Option<String>,
    /// For `excluded`: the campaign that took the group.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub excluded_by: Option<CampaignId>,
}

/// How many customers each campaign was offered to so far, for `max_assignments`
/// across many [`CampaignBundle::assign_counted`] calls (one batch, one day).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CapUsage {
    used: Vec<u64>,
}

impl CapUsage {
    /// Nothing used yet.
    pub fn new() -> Self {
        Self::default()
    }

    /// Customers offered the campaign at `index` (of [`CampaignBundle::campaigns`]).
    pub fn used(&self, index: usize) -> u64 {
        self.used.get(index).copied().unwrap_or(0)
    }
}

/// A customer's assignments as a cache stores them (Redis, the phone's store): the
/// JSON both share.
///
/// ```
/// use arichat_core::campaign::{AssignmentSet, CampaignBundle, Reason};
/// use arichat_core::scoring::LeadRecord;
/// use chrono::{Duration, TimeZone, Utc};
/// let bundle = CampaignBundle::from_toml_str(r#"
///     version = "v7"
///     [[campaigns]]
///     id = "welcome"
/// "#).unwrap();
/// let now = Utc.with_ymd_and_hms(2026, 12, 3, 6, 0, 0).unwrap();
/// let set = bundle.assign_set("c-1", &LeadRecord::new(), now);
/// assert_eq!(set.expires_at, now + Duration::hours(24));
/// assert_eq!(set.stale_until, now + Duration::hours(30));
/// let json = serde_json::to_string(&set).unwrap();
/// let back: AssignmentSet = serde_json::from_str(&json).unwrap();
/// assert!(back.is_fresh(now + Duration::hours(23)));
/// assert!(back.is_stale_usable(now + Duration::hours(25)));
/// assert_eq!(back.served(now + Duration::hours(25)).unwrap()[0].reason, Reason::Stale);
/// assert!(back.served(now + Duration::hours(31)).is_none());
/// ```
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct AssignmentSet {
    /// The customer.
    pub customer_id: String,
    /// The `now` the assignments were computed for.
    pub computed_at: DateTime<Utc>,
    /// Fresh until then (exclusive): `computed_at + ttl`, or earlier when a campaign
    /// starts or ends before that.
    pub expires_at: DateTime<Utc>,
    /// Usable as `stale` until then (exclusive): `expires_at + stale_grace`.
    pub stale_until: DateTime<Utc>,
    /// [`CampaignBundle::version`] of the bundle that computed them.
    pub bundle_version: String,
    /// The assignments, highest priority first, with the reasons they were computed with.
    pub assignments: Vec<Assignment>,
}

impl AssignmentSet {
    /// Whether the entry is fresh at `now`.
    pub fn is_fresh(&self, now: DateTime<Utc>) -> bool {
        now < self.expires_at
    }

    /// Whether the entry has expired but may still be served as stale at `now`.
    pub fn is_stale_usable(&self, now: DateTime<Utc>) -> bool {
        self.expires_at <= now && now < self.stale_until
    }

    /// The assignments as a cache serves them at `now`: reason `cached` when fresh,
    /// `stale` within the grace period, `None` after it. A holdout keeps the reason
    /// `holdout`, so that no reader mistakes it for an offer.
    pub fn served(&self, now: DateTime<Utc>) -> Option<Vec<Assignment>> {
        let reason = if self.is_fresh(now) {
            Reason::Cached
        } else if self.is_stale_usable(now) {
            Reason::Stale
        } else {
            return None;
        };
        Some(
            self.assignments
                .iter()
                .map(|a| Assignment {
                    reason: if a.reason == Reason::Holdout {
                        Reason::Holdout
                    } else {
                        reason
                    },
                    ..a.clone()
                })
                .collect(),
        )
    }
}

impl Campaign {
    /// The offer an assignment of this campaign carries: none for a holdout, the
    /// variant's (index into [`Campaign::variants`]) when it has its own, else the
    /// campaign's.
    pub fn offer_for(&self, variant: Option<usize>, reason: Reason) -> Option<Json> {
        let own = variant
            .and_then(|v| self.variants.get(v))
            .and_then(|v| v.offer.as_ref());
        match (reason, own) {
            (Reason::Holdout, _) => None,
            (_, Some(o)) => Some(Json::Object(o.clone())),
            (_, None) => Some(self.offer.clone()),
        }
    }
}

/// An assignment as the plan holds it: indices instead of copies.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Picked {
    pub reason: Reason,
    /// Index into the plan's paths.
    pub path: u32,
    /// Index into the campaign's variants.
    pub variant: Option<usize>,
    pub bucket: u16,
}

/// What happened to one campaign.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Decision {
    Assigned(Picked),
    Skipped {
        status: Status,
        path: Option<u32>,
        by: Option<usize>,
    },
}

/// A [`LeadRecord`] as a [`Row`]: each attribute looked up at most once (string
/// compares of the map lookups were a quarter of the time when every leaf looked up its
/// own), scored at most once.
pub(crate) struct RecordRow<'a> {
    record: &'a LeadRecord,
    cells: Vec<OnceCell<Cell<'a>>>,
    card: Option<&'a Scorecard>,
    total: Lazy<Option<f64>>,
}

impl Row for RecordRow<'_> {
    #[inline]
    fn cell(&self, field: usize, name: &str) -> Cell<'_> {
        match self.cells.get(field) {
            Some(c) => *c.get_or_init(|| self.record.get(name).cell()),
            None => self.record.get(name).cell(),
        }
    }

    fn score_total(&self) -> f64 {
        if let Some(t) = self.total.get() {
            return t;
        }
        // A record carries no events: the total is the fit points.
        let t = self
            .card
            .map_or(f64::NAN, |c| c.fit_points(self.record, None));
        self.total.set(Some(t));
        t
    }
}

impl CampaignBundle {
    /// The campaigns for one customer at `now`, highest priority first.
    ///
    /// In order: campaigns outside `[start, end)` are skipped; the eligibility rule is
    /// evaluated (grade and score rules with the bundle's scorecard, on the record
    /// alone); the customer's [`bucket`] places them in the holdout, the rollout (and a
    /// variant) or outside it; of an exclusion group only the first assigned campaign
    /// stays; at most `max_per_customer` are kept; fallbacks are considered only when
    /// nothing else was assigned. Never fails; `max_assignments` is counted only by
    /// [`CampaignBundle::assign_counted`] and [`CampaignBundle::assign_batch`].
    pub fn assign(
        &self,
        customer_id: &str,
        record: &LeadRecord,
        now: DateTime<Utc>,
    ) -> Vec<Assignment> {
        let mut out = Vec::new();
        self.assign_into(customer_id, record, now, None, &mut out);
        out
    }

    /// [`CampaignBundle::assign`] counting `max_assignments` in `usage`, for a batch
    /// assigned one customer at a time.
    pub fn assign_counted(
        &self,
        customer_id: &str,
        record: &LeadRecord,
        now: DateTime<Utc>,
        usage: &mut CapUsage,
    ) -> Vec<Assignment> {
        let mut out = Vec::new();
        self.assign_into(customer_id, record, now, Some(usage), &mut out);
        out
    }

    /// [`CampaignBundle::assign`] into a cache entry with its expiry times.
    pub fn assign_set(
        &self,
        customer_id: &str,
        record: &LeadRecord,
        now: DateTime<Utc>,
    ) -> AssignmentSet {
        let (expires_at, stale_until) = self.expiry(now);
        AssignmentSet {
            customer_id: customer_id.to_owned(),
            computed_at: now,
            expires_at,
            stale_until,
            bundle_version: self.version.clone(),
            assignments: self.assign(customer_id, record, now),
        }
    }

    /// When assignments computed at `now` expire and stop being usable as stale.
    pub fn expiry(&self, now: DateTime<Utc>) -> (DateTime<Utc>, DateTime<Utc>) {
        let mut expires = now + self.ttl();
        if let Some(b) = self.plan.next_boundary(now.timestamp()) {
            if let Some(b) = DateTime::from_timestamp(b, 0) {
                expires = expires.min(b);
            }
        }
        (expires, expires + self.stale_grace())
    }

    /// What happened to every campaign for this customer, in evaluation order
    /// (priority, fallbacks last): assigned with its reason, or why not with the first
    /// failing rule path. Caps per campaign are not counted.
    pub fn explain(
        &self,
        customer_id: &str,
        record: &LeadRecord,
        now: DateTime<Utc>,
    ) -> Vec<Explanation> {
        let mut out = Vec::with_capacity(self.campaigns.len());
        let row = self.record_row(record);
        self.decide(customer_id, &row, now.timestamp(), true, None, |ci, d| {
            let id = self.campaigns[ci].id.clone();
            let path = |p: u32| Some(self.plan.paths[p as usize].clone());
            out.push(match d {
                Decision::Assigned(p) => Explanation {
                    campaign_id: id,
                    status: Status::Assigned,
                    reason: Some(p.reason),
                    rule_path: path(p.path),
                    excluded_by: None,
                },
                Decision::Skipped {
                    status,
                    path: p,
                    by,
                } => Explanation {
                    campaign_id: id,
                    status,
                    reason: None,
                    rule_path: p.and_then(path),
                    excluded_by: by.map(|b| self.campaigns[b].id.clone()),
                },
            });
        });
        out
    }

    /// [`CampaignBundle::assign`] appending to `out` (reuse it across customers), and
    /// counting `max_assignments` when `usage` is given.
    pub fn assign_into(
        &self,
        customer_id: &str,
        record: &LeadRecord,
        now: DateTime<Utc>,
        usage: Option<&mut CapUsage>,
        out: &mut Vec<Assignment>,
    ) {
        let row = self.record_row(record);
        self.decide(customer_id, &row, now.timestamp(), false, usage, |ci, d| {
            if let Decision::Assigned(p) = d {
                out.push(self.assignment(ci, p));
            }
        });
    }

    fn record_row<'a>(&'a self, record: &'a LeadRecord) -> RecordRow<'a> {
        RecordRow {
            record,
            cells: vec![OnceCell::new(); self.plan.fields.len()],
            card: self.scorecard.as_ref(),
            total: Lazy::new(None),
        }
    }

    pub(super) fn assignment(&self, ci: usize, p: Picked) -> Assignment {
        let c = &self.campaigns[ci];
        let v = p.variant.and_then(|v| c.variants.get(v));
        let offer = c.offer_for(p.variant, p.reason);
        Assignment {
            campaign_id: c.id.clone(),
            variant: v.map(|v| v.id.clone()),
            reason: p.reason,
            rule_path: self.plan.paths[p.path as usize].clone(),
            bucket: p.bucket,
            priority: c.priority,
            channels: c.channels.clone(),
            offer,
        }
    }

    /// The one decision procedure behind assign, explain and the batch: calls `sink`
    /// with each campaign's index and decision, in evaluation order. Without `explain`
    /// it stops once the customer is full (`max_per_customer`).
    pub(crate) fn decide(
        &self,
        customer_id: &str,
        row: &impl Row,
        now: i64,
        explain: bool,
        mut usage: Option<&mut CapUsage>,
        mut sink: impl FnMut(usize, Decision),
    ) {
        let plan = &self.plan;
        let card = self.scorecard.as_ref();
        // The campaign holding each exclusion group (allocated only when there are groups).
        let mut taken: Vec<Option<usize>> = vec![None; plan.groups];
        let mut count: u32 = 0;
        let skip = |status, path, by| Decision::Skipped { status, path, by };
        for &ci in &plan.order {
            let c = &plan.campaigns[ci];
            // Full: nothing more can be assigned, and only `explain` wants the rest.
            if !explain && self.max_per_customer.is_some_and(|m| count >= m) {
                break;
            }
            if c.fallback && count > 0 {
                sink(ci, skip(Status::FallbackUnused, None, None));
                continue;
            }
            if c.start.is_some_and(|s| now < s) {
                sink(ci, skip(Status::NotStarted, None, None));
                continue;
            }
            if c.end.is_some_and(|e| now >= e) {
                sink(ci, skip(Status::Ended, None, None));
                continue;
            }
            let (eligible, path) = match &c.rule {
                Some(rule) => plan.eval(rule, row, now, card),
                None => (true, 0),
            };
            if !eligible {
                sink(ci, skip(Status::NotEligible, Some(path), None));
                continue;
            }
            let b = bucket(&c.seed, customer_id);
            let (reason, variant) = match c.ranges.slot(b) {
                Slot::Outside => {
                    sink(ci, skip(Status::OutsideRollout, Some(path), None));
                    continue;
                }
                Slot::Holdout => (Reason::Holdout, None),
                Slot::Rollout(v) if c.fallback => (Reason::Default, v),
                Slot::Rollout(v) if c.ranges.is_split() => (Reason::Split, v),
                Slot::Rollout(v) => (Reason::TargetingMatch, v),
            };
            if let Some(by) = c.group.and_then(|g| taken[g]) {
                sink(ci, skip(Status::Excluded, Some(path), Some(by)));
                continue;
            }
            if self.max_per_customer.is_some_and(|m| count >= m) {
                sink(ci, skip(Status::CustomerCap, Some(path), None));
                continue;
            }
            if reason != Reason::Holdout {
                if let (Some(u), Some(max)) =
                    (usage.as_deref_mut(), self.campaigns[ci].max_assignments)
                {
                    if u.used.len() < plan.campaigns.len() {
                        u.used.resize(plan.campaigns.len(), 0);
                    }
                    if u.used[ci] >= max {
                        sink(ci, skip(Status::CampaignCap, Some(path), None));
                        continue;
                    }
                    u.used[ci] += 1;
                }
            }
            if let Some(g) = c.group {
                taken[g] = Some(ci);
            }
            count += 1;
            sink(
                ci,
                Decision::Assigned(Picked {
                    reason,
                    path,
                    variant,
                    bucket: b,
                }),
            );
        }
    }
}
