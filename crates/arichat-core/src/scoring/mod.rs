//! Lead scorecards: fit rules over attributes, engagement rules over events, caps,
//! time decay, grades A–D and lifecycle stages, with an explanation of every score.
//!
//! A [`Scorecard`] is plain data, read from TOML or JSON ([`Scorecard::from_toml`],
//! [`Scorecard::from_json`]) and checked on load. [`Scorecard::score`] scores one
//! [`LeadRecord`] with its [`EngagementEvent`]s as of a time you pass in;
//! [`Scorecard::score_batch`] scores whole columns (data frames, Arrow tables) with
//! the same results. Scorecards can also be learned from history with [`crate::fit`].
//!
//! ```
//! use arichat_core::scoring::{EngagementEvent, EngagementKind, LeadRecord, Scorecard};
//! use arichat_core::intent::Intent;
//! use chrono::{Duration, TimeZone, Utc};
//!
//! let card = Scorecard::from_toml(r#"
//!     [[fit]]
//!     id = "company_email"
//!     field = "email_domain"
//!     none_of = ["gmail.com", "hotmail.com", "yahoo.com"]
//!     points = 20
//!     [[engagement]]
//!     id = "asked_price"
//!     event = "intent"
//!     intent = "price_inquiry"
//!     points = 30
//!     half_life_hours = 24
//!     [[engagement]]
//!     id = "opted_out"
//!     event = "opt_out"
//!     points = -100
//! "#).unwrap();
//! let now = Utc.with_ymd_and_hms(2026, 3, 2, 12, 0, 0).unwrap();
//! let lead = LeadRecord::new().with("email_domain", "acme.com.co");
//! let events = [EngagementEvent::intent(Intent::PriceInquiry, now - Duration::hours(24))];
//! let r = card.score(&lead, &events, now);
//! assert_eq!(r.fit, 20.0);
//! assert_eq!(r.engagement, 15.0); // 30 points, one half-life old
//! assert_eq!(r.contributions[1].rule, "asked_price");
//! ```

mod batch;
mod card;
mod categories;
mod column;
mod engagement;
mod error;
mod explain;
mod kernel;
mod option_slots;
mod predicate;
mod record;

pub use batch::BatchScores;
pub use card::{
    AbsentFields, Contribution, ContributionKind, Grade, GradeThresholds, GroupCap, OddsScale,
    ScoreResult, Scorecard, StageThresholds,
};
pub use categories::Categories;
pub use column::Column;
pub use engagement::{EngagementEvent, EngagementKind, EngagementRule};
pub use error::ScorecardError;
pub use explain::{reasons_json, reasons_text};
pub(crate) use predicate::cells_equal;
pub use predicate::{FitRule, Predicate, Range};
pub(crate) use record::Cell;
pub use record::{parse_bool, FieldType, LeadRecord, Value};
