//! Campaigns for each customer: eligibility rules, percentage splits and holdouts,
//! assignment with reasons, and the cache entry a server or a phone keeps.
//!
//! A [`CampaignBundle`] is plain data read from TOML or JSON
//! ([`CampaignBundle::from_toml_str`], [`CampaignBundle::from_json_str`]) and checked on
//! load: every error names the path of the bad value
//! (`campaigns[2].eligibility.all[1].in_segment`). A loaded bundle evaluates any
//! customer without failing, without I/O and without reading the clock: `now` is an
//! argument, so the server's daily batch and the phone give the same answers.
//!
//! - [`Rule`]: `all` / `any` / `none` over field tests (the scorecard predicates,
//!   comparisons, dates), `in_segment`, and `grade` / `score` from the bundle's
//!   [`crate::scoring::Scorecard`]. GrowthBook conditions import with
//!   [`Rule::from_growthbook`] (or a campaign's `condition` key).
//! - [`bucket`]: the stable split hash, `FNV-1a-64(seed ":" customer_id) mod 10000`.
//! - [`CampaignBundle::assign`] → [`Assignment`]s with a [`Reason`] and the rule path;
//!   [`CampaignBundle::explain`] → an [`Explanation`] per campaign;
//!   [`CampaignBundle::assign_set`] → the [`AssignmentSet`] cache entry (24 h `ttl`,
//!   6 h `stale_grace` by default); [`CampaignBundle::assign_batch`] → columns.
//!
//! The file form, every key shown (checked by this example):
//!
//! ```
//! # use arichat_core::campaign::CampaignBundle;
//! let bundle = CampaignBundle::from_toml_str(r#"
//! version = "2026-12-03"          # required; copied into every AssignmentSet
//! seed = "dec-2026"               # optional split seed (default: each campaign's id)
//! ttl = "24h"                     # fresh for (s, m, h, d)
//! stale_grace = "6h"              # then servable as stale for
//! max_per_customer = 3            # optional; holdouts count
//!
//! [scorecard]                     # optional, for grade/score rules (a Scorecard)
//! [[scorecard.fit]]
//! id = "balance"
//! field = "balance"
//! range = { gte = 10000 }
//! points = 80
//!
//! [segments]
//! not_contacted_7d = { none = [{ field = "last_contact", within_days = 7 }] }
//!
//! [[campaigns]]
//! id = "premium_card"
//! name = "Premium card upgrade"
//! priority = 10                   # higher first
//! start = "2026-12-01"            # inclusive; end is exclusive
//! end = "2027-01-01"
//! channels = ["phone", "app", "push"]
//! eligibility = { all = [{ grade = ["a"] }, { in_segment = "not_contacted_7d" }] }
//! offer = { product = "visa_signature", annual_fee_waived = true }
//! exclusion_group = "cards"       # one card offer per customer
//! max_assignments = 5000          # per batch; holdouts do not count
//! holdout = 10                    # % held out (reason "holdout", no offer)
//! rollout = 90                    # % offered (default: 100 - holdout)
//! variants = [{ id = "a", weight = 50 }, { id = "b", weight = 50, offer = { product = "visa_signature", cashback = 0.02 } }]
//! fallback = false                # true: only for customers nothing else was assigned to
//!
//! [[campaigns]]
//! id = "business_credit"
//! seed = "biz-2026"               # this campaign's own split seed
//! condition = { job = { "$in" = ["entrepreneur"] } }  # GrowthBook, instead of eligibility
//! "#).unwrap();
//! assert_eq!(bundle.campaigns()[0].variants.len(), 2);
//! assert!(bundle.campaigns()[1].eligibility.is_some());
//! ```
//!
//! The per-customer order of decisions is documented on [`CampaignBundle::assign`].

mod assign;
mod batch;
mod bundle;
mod channel;
mod definition;
mod error;
mod growthbook;
mod id_column;
mod plan;
mod rule;
mod segment;
mod split;
mod time;

pub use assign::{Assignment, AssignmentSet, CapUsage, Explanation, Reason, Status};
pub use batch::BatchAssignments;
pub use bundle::{CampaignBundle, DEFAULT_STALE_GRACE_SECS, DEFAULT_TTL_SECS};
pub use channel::CampaignChannel;
pub use definition::{Campaign, Variant};
pub use error::CampaignError;
pub use id_column::{IdColumn, ID_COLUMNS};
pub use rule::{Compare, CompareOp, FieldRule, FieldTest, Operand, Rule};
pub use split::{bucket, BUCKETS};
