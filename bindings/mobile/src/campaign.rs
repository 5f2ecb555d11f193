//! Campaigns on the phone: [`CampaignBundle`] evaluates a customer on the device (their
//! attributes never leave it), [`AssignmentCache`] keeps the answers in an
//! [`AssignmentStore`] the app implements (a file, `SharedPreferences`, the Keychain),
//! in the `AssignmentSet` JSON the server's Redis cache holds. The enums `Reason`,
//! `Status` and `CampaignChannel` are the core's; [`Assignment`] and [`Explanation`]
//! are views, because the core's hold a `CampaignId` and the offer as JSON values.
//!
//! The cache's rule, for one customer at `now`:
//!
//! 1. the stored entry is used when it parses, is this customer's, was computed by this
//!    bundle's `version` and is fresh (`now < expires_at`): its assignments come back
//!    with reason `cached` (holdouts stay `holdout`);
//! 2. otherwise (missing, unreadable, another bundle, expired) the bundle assigns the
//!    customer again, the new entry is saved and returned with the engine's reasons.
//!
//! An expired entry is never served by [`AssignmentCache::assignments`], not even
//! within the bundle's stale grace: the phone holds the attributes and the bundle, so
//! recomputing costs microseconds and stale-while-revalidate buys nothing. The grace
//! period serves [`AssignmentCache::stored`], for a screen drawn before the attributes
//! are at hand (offline start): reason `stale` there.

use std::borrow::Cow;
use std::collections::HashMap;
use std::sync::Arc;
use std::time::SystemTime;

use arichat_core::campaign::{self, AssignmentSet, CampaignChannel, Reason, Status};
use arichat_core::scoring::{LeadRecord, Value};
use arichat_core::CoreError;
use chrono::{DateTime, Utc};

use crate::error::{to_utc, ArichatError, Result};

/// One campaign assigned to one customer.
#[derive(Debug, Clone, PartialEq, uniffi::Record)]
pub struct Assignment {
    /// The campaign.
    pub campaign_id: String,
    /// The variant, for campaigns with variants (not for holdouts).
    pub variant: Option<String>,
    /// Why: `TARGETING_MATCH`, `SPLIT`, `HOLDOUT`, `DEFAULT`, or `CACHED` / `STALE` when
    /// served from the store.
    pub reason: Reason,
    /// The rule that matched, as a path within the campaign (`eligibility.all[1]`);
    /// empty when the campaign has no rule.
    pub rule_path: String,
    /// The customer's bucket (0..10 000) for this campaign's split seed.
    pub bucket: u16,
    /// The campaign's priority (assignments come highest first).
    pub priority: i32,
    /// Where to show or send it.
    pub channels: Vec<CampaignChannel>,
    /// The offer as JSON text (the variant's, else the campaign's); null for a holdout.
    pub offer_json: Option<String>,
}

impl From<campaign::Assignment> for Assignment {
    fn from(a: campaign::Assignment) -> Self {
        Assignment {
            campaign_id: a.campaign_id.as_str().to_owned(),
            variant: a.variant,
            reason: a.reason,
            rule_path: a.rule_path,
            bucket: a.bucket,
            priority: a.priority,
            channels: a.channels,
            offer_json: a.offer.map(|o| o.to_string()),
        }
    }
}

fn views(assignments: Vec<campaign::Assignment>) -> Vec<Assignment> {
    assignments.into_iter().map(Assignment::from).collect()
}

/// Why one campaign was or was not assigned: what sales staff or an auditor read.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct Explanation {
    /// The campaign.
    pub campaign_id: String,
    /// What happened (`ASSIGNED`, `NOT_ELIGIBLE`, `EXCLUDED`, ...).
    pub status: Status,
    /// The reason, when assigned.
    pub reason: Option<Reason>,
    /// The rule path that decided: the matching rule, or the first failing test.
    pub rule_path: Option<String>,
    /// For `EXCLUDED`: the campaign that took the exclusion group.
    pub excluded_by: Option<String>,
}

impl From<campaign::Explanation> for Explanation {
    fn from(e: campaign::Explanation) -> Self {
        Explanation {
            campaign_id: e.campaign_id.as_str().to_owned(),
            status: e.status,
            reason: e.reason,
            rule_path: e.rule_path,
            excluded_by: e.excluded_by.map(|id| id.as_str().to_owned()),
        }
    }
}

fn lead_record(attributes: HashMap<String, Value>) -> LeadRecord {
    attributes.into_iter().collect()
}

/// A customer's id and attributes, handed to Rust once (when the app loads the
/// customer's profile) and evaluated as often as the screen needs:
/// [`CampaignBundle::assign_customer`] then crosses the FFI with two handles and a
/// number instead of the whole attribute map and a timestamp. Immutable; a changed
/// profile is a new `CampaignCustomer`.
#[derive(uniffi::Object)]
pub struct CampaignCustomer {
    id: String,
    record: LeadRecord,
}

/// The attributes are the customer's data (a phone, an email, balances): `Debug` shows
/// how many there are, not what they hold.
impl std::fmt::Debug for CampaignCustomer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("CampaignCustomer")
            .field("id", &self.id)
            .field("attributes", &self.record.len())
            .finish()
    }
}

#[uniffi::export]
impl CampaignCustomer {
    /// The customer `customer_id` with these attributes.
    #[uniffi::constructor]
    pub fn new(customer_id: String, attributes: HashMap<String, Value>) -> Arc<Self> {
        Arc::new(CampaignCustomer {
            id: customer_id,
            record: lead_record(attributes),
        })
    }

    /// The customer's id (the key of splits, holdouts and the cache).
    pub fn id(&self) -> String {
        self.id.clone()
    }
}

/// `now_epoch_ms` (milliseconds since 1970-01-01T00:00:00Z) as UTC, or
/// `TIME_OUT_OF_RANGE`.
fn utc_from_millis(now_epoch_ms: i64) -> Result<DateTime<Utc>> {
    DateTime::from_timestamp_millis(now_epoch_ms).ok_or_else(|| CoreError::TimeOutOfRange.into())
}

/// A campaign bundle (`arichat_core::campaign::CampaignBundle`): campaigns, segments,
/// splits, TTL, checked on load. Immutable, so safe to share across threads.
#[derive(Debug, uniffi::Object)]
pub struct CampaignBundle {
    inner: campaign::CampaignBundle,
}

#[uniffi::export]
impl CampaignBundle {
    /// Reads a bundle from TOML.
    ///
    /// # Errors
    /// `invalid_campaign`; the message names the path of the bad value
    /// (`campaigns[2].eligibility.all[1].in_segment`).
    #[uniffi::constructor]
    pub fn from_toml(text: String) -> Result<Arc<Self>> {
        Ok(Arc::new(CampaignBundle {
            inner: campaign::CampaignBundle::from_toml_str(&text)?,
        }))
    }

    /// Reads a bundle from JSON (the same shape as the TOML).
    ///
    /// # Errors
    /// `invalid_campaign`, with the path of the bad value in the message.
    #[uniffi::constructor]
    pub fn from_json(text: String) -> Result<Arc<Self>> {
        Ok(Arc::new(CampaignBundle {
            inner: campaign::CampaignBundle::from_json_str(&text)?,
        }))
    }

    /// The bundle's version, written into every cache entry it computes.
    pub fn version(&self) -> String {
        self.inner.version().to_owned()
    }

    /// The campaigns for `customer_id` with these attributes at `now`, highest
    /// priority first. Never fails on a loaded bundle, reads no clock, does no I/O.
    ///
    /// # Errors
    /// `TIME_OUT_OF_RANGE` when `now` is outside the core's range.
    pub fn assign(
        &self,
        customer_id: String,
        attributes: HashMap<String, Value>,
        now: SystemTime,
    ) -> Result<Vec<Assignment>> {
        let record = lead_record(attributes);
        let now = to_utc(now)?;
        Ok(views(self.inner.assign(&customer_id, &record, now)))
    }

    /// [`CampaignBundle::assign`] for a prepared [`CampaignCustomer`] at `now_epoch_ms`
    /// (Unix epoch milliseconds: `Instant.now().toEpochMilli()`,
    /// `Int64(Date().timeIntervalSince1970 * 1000)`): the same answer with the fewest
    /// crossings of the FFI, for a screen that re-evaluates one customer.
    ///
    /// # Errors
    /// `TIME_OUT_OF_RANGE` when `now_epoch_ms` is outside the core's range.
    pub fn assign_customer(
        &self,
        customer: Arc<CampaignCustomer>,
        now_epoch_ms: i64,
    ) -> Result<Vec<Assignment>> {
        let now = utc_from_millis(now_epoch_ms)?;
        Ok(views(self.inner.assign(
            &customer.id,
            &customer.record,
            now,
        )))
    }

    /// What happened to every campaign for this customer, in evaluation order:
    /// assigned with its reason, or why not with the deciding rule path.
    ///
    /// # Errors
    /// `TIME_OUT_OF_RANGE` when `now` is outside the core's range.
    pub fn explain(
        &self,
        customer_id: String,
        attributes: HashMap<String, Value>,
        now: SystemTime,
    ) -> Result<Vec<Explanation>> {
        let record = lead_record(attributes);
        let now = to_utc(now)?;
        Ok(self
            .inner
            .explain(&customer_id, &record, now)
            .into_iter()
            .map(Explanation::from)
            .collect())
    }
}

/// The split hash every runtime shares: `FNV-1a-64(seed ":" customer_id) mod 10000`.
#[uniffi::export]
pub fn campaign_bucket(seed: String, customer_id: String) -> u16 {
    campaign::bucket(&seed, &customer_id)
}

/// Where the app keeps each customer's cache entry: a file, `SharedPreferences`, the
/// Keychain. Implemented in Kotlin or Swift; the entry is opaque JSON text (the
/// `AssignmentSet` the server's Redis cache holds), keyed by customer id.
///
/// A method may throw: an `ArichatException.Store` it raises keeps its message, any
/// other exception becomes `ArichatException.Store` with its description, and the
/// [`AssignmentCache`] call that used the store fails with it.
#[uniffi::export(with_foreign)]
pub trait AssignmentStore: Send + Sync {
    /// The entry saved for `customer_id`, or null.
    ///
    /// # Errors
    /// Whatever the app's storage raises.
    fn load(&self, customer_id: String) -> Result<Option<String>>;

    /// Saves (replaces) the entry of `customer_id`.
    ///
    /// # Errors
    /// Whatever the app's storage raises.
    fn save(&self, customer_id: String, json: String) -> Result<()>;

    /// Deletes the entry of `customer_id` (nothing when there is none).
    ///
    /// # Errors
    /// Whatever the app's storage raises.
    fn remove(&self, customer_id: String) -> Result<()>;
}

/// A customer's assignments through the app's [`AssignmentStore`]: served from the
/// store while fresh, recomputed on the device and saved otherwise (the rule is in
/// this module's doc). Survives an app restart because the store does. Thread-safe;
/// two threads refreshing one customer at once both compute the same answer.
#[derive(uniffi::Object)]
pub struct AssignmentCache {
    bundle: Arc<CampaignBundle>,
    store: Arc<dyn AssignmentStore>,
}

impl AssignmentCache {
    /// The stored entry when it is this customer's and this bundle's; `None` when
    /// missing or unreadable (an entry of an older app is recomputed, not an error).
    fn entry(&self, customer_id: &str) -> Result<Option<AssignmentSet>> {
        let Some(json) = self.store.load(customer_id.to_owned())? else {
            return Ok(None);
        };
        Ok(serde_json::from_str::<AssignmentSet>(&json)
            .ok()
            .filter(|set| {
                set.customer_id == customer_id && set.bundle_version == self.bundle.inner.version()
            }))
    }

    fn compute(
        &self,
        customer_id: &str,
        record: &LeadRecord,
        now: DateTime<Utc>,
    ) -> Result<Vec<Assignment>> {
        let set = self.bundle.inner.assign_set(customer_id, record, now);
        let json = serde_json::to_string(&set)
            .map_err(|e| ArichatError::store(format!("cannot write the cache entry: {e}")))?;
        self.store.save(customer_id.to_owned(), json)?;
        Ok(views(set.assignments))
    }

    /// The rule of [`AssignmentCache::assignments`].
    fn serve<'a>(
        &self,
        customer_id: &str,
        record: impl FnOnce() -> Cow<'a, LeadRecord>,
        now: DateTime<Utc>,
    ) -> Result<Vec<Assignment>> {
        if let Some(served) = self
            .entry(customer_id)?
            .filter(|set| set.is_fresh(now))
            .and_then(|set| set.served(now))
        {
            return Ok(views(served));
        }
        self.compute(customer_id, &record(), now)
    }
}

/// `now`, or the device's clock (the one place the clock is read).
fn now_or_clock(now: Option<SystemTime>) -> Result<DateTime<Utc>> {
    to_utc(now.unwrap_or_else(SystemTime::now))
}

#[uniffi::export]
impl AssignmentCache {
    /// A cache of `bundle`'s assignments in `store`.
    #[uniffi::constructor]
    pub fn new(bundle: Arc<CampaignBundle>, store: Arc<dyn AssignmentStore>) -> Arc<Self> {
        Arc::new(AssignmentCache { bundle, store })
    }

    /// The bundle it assigns with.
    pub fn bundle(&self) -> Arc<CampaignBundle> {
        Arc::clone(&self.bundle)
    }

    /// The customer's assignments at `now` (default: the device's clock): the stored
    /// ones with reason `cached` while fresh, else computed from `attributes`, saved
    /// and returned with the engine's reasons.
    ///
    /// # Errors
    /// `Store` when the app's store throws; `TIME_OUT_OF_RANGE` for a `now` outside the core's
    /// range.
    #[uniffi::method(default(now = None))]
    pub fn assignments(
        &self,
        customer_id: String,
        attributes: HashMap<String, Value>,
        now: Option<SystemTime>,
    ) -> Result<Vec<Assignment>> {
        let now = now_or_clock(now)?;
        self.serve(&customer_id, || Cow::Owned(lead_record(attributes)), now)
    }

    /// [`AssignmentCache::assignments`] for a prepared [`CampaignCustomer`] at
    /// `now_epoch_ms` (Unix epoch milliseconds), with the fewest crossings of the FFI.
    ///
    /// # Errors
    /// As [`AssignmentCache::assignments`].
    pub fn customer_assignments(
        &self,
        customer: Arc<CampaignCustomer>,
        now_epoch_ms: i64,
    ) -> Result<Vec<Assignment>> {
        let now = utc_from_millis(now_epoch_ms)?;
        self.serve(&customer.id, || Cow::Borrowed(&customer.record), now)
    }

    /// Computes and saves the customer's assignments whatever the store holds (after
    /// the app learns that the attributes changed), with the engine's reasons.
    ///
    /// # Errors
    /// As [`AssignmentCache::assignments`].
    #[uniffi::method(default(now = None))]
    pub fn refresh(
        &self,
        customer_id: String,
        attributes: HashMap<String, Value>,
        now: Option<SystemTime>,
    ) -> Result<Vec<Assignment>> {
        self.compute(&customer_id, &lead_record(attributes), now_or_clock(now)?)
    }

    /// What the store can serve without the attributes: reason `cached` while fresh,
    /// `stale` within the bundle's grace period, null when there is nothing usable (an
    /// entry past its grace period is then removed from the store).
    ///
    /// # Errors
    /// As [`AssignmentCache::assignments`].
    #[uniffi::method(default(now = None))]
    pub fn stored(
        &self,
        customer_id: String,
        now: Option<SystemTime>,
    ) -> Result<Option<Vec<Assignment>>> {
        let now = now_or_clock(now)?;
        let Some(set) = self.entry(&customer_id)? else {
            return Ok(None);
        };
        match set.served(now) {
            Some(served) => Ok(Some(views(served))),
            None => {
                self.store.remove(customer_id)?;
                Ok(None)
            }
        }
    }

    /// Deletes the customer's entry (at logout: their offers do not outlive the
    /// session on the phone).
    ///
    /// # Errors
    /// `Store` when the app's store throws.
    pub fn forget(&self, customer_id: String) -> Result<()> {
        self.store.remove(customer_id)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::Mutex;
    use std::time::Duration;

    use arichat_core::ErrorCode;

    #[derive(Default)]
    struct MemoryStore(Mutex<HashMap<String, String>>);

    impl AssignmentStore for MemoryStore {
        fn load(&self, customer_id: String) -> Result<Option<String>> {
            Ok(self.0.lock().unwrap().get(&customer_id).cloned())
        }
        fn save(&self, customer_id: String, json: String) -> Result<()> {
            self.0.lock().unwrap().insert(customer_id, json);
            Ok(())
        }
        fn remove(&self, customer_id: String) -> Result<()> {
            self.0.lock().unwrap().remove(&customer_id);
            Ok(())
        }
    }

    const BUNDLE: &str = r#"
        version = "v1"
        ttl = "24h"
        stale_grace = "6h"
        [[campaigns]]
        id = "welcome"
        offer = { bonus = 5 }
    "#;

    fn at(hours: u64) -> SystemTime {
        // 2026-12-03T08:00:00Z
        SystemTime::UNIX_EPOCH + Duration::from_secs(1_796_284_800 + hours * 3600)
    }

    fn reasons(a: &[Assignment]) -> Vec<Reason> {
        a.iter().map(|a| a.reason).collect()
    }

    #[test]
    fn computes_then_serves_cached_then_recomputes_after_the_ttl() {
        let bundle = CampaignBundle::from_toml(BUNDLE.into()).unwrap();
        let store = Arc::new(MemoryStore::default());
        let cache = AssignmentCache::new(bundle, store.clone());
        let get = |h| {
            cache
                .assignments("c-1".into(), HashMap::new(), Some(at(h)))
                .unwrap()
        };
        let first = get(0);
        assert_eq!(reasons(&first), [Reason::TargetingMatch]);
        assert_eq!(first[0].offer_json.as_deref(), Some(r#"{"bonus":5}"#));
        assert_eq!(reasons(&get(23)), [Reason::Cached]);
        assert_eq!(
            reasons(&cache.stored("c-1".into(), Some(at(25))).unwrap().unwrap()),
            [Reason::Stale]
        );
        // Expired: recomputed, not served stale, and saved with the new expiry.
        assert_eq!(reasons(&get(25)), [Reason::TargetingMatch]);
        let saved: AssignmentSet = serde_json::from_str(&store.0.lock().unwrap()["c-1"]).unwrap();
        assert_eq!(saved.computed_at, to_utc(at(25)).unwrap());
        // Past the grace period, `stored` has nothing and drops the entry.
        assert!(cache.stored("c-1".into(), Some(at(60))).unwrap().is_none());
        assert!(store.0.lock().unwrap().is_empty());
    }

    #[test]
    fn entries_of_another_bundle_or_unreadable_are_recomputed() {
        let store = Arc::new(MemoryStore::default());
        let old = CampaignBundle::from_toml(BUNDLE.into()).unwrap();
        AssignmentCache::new(old, store.clone())
            .assignments("c-1".into(), HashMap::new(), Some(at(0)))
            .unwrap();
        let new = CampaignBundle::from_toml(BUNDLE.replace("v1", "v2")).unwrap();
        let cache = AssignmentCache::new(new, store.clone());
        assert!(cache.stored("c-1".into(), Some(at(1))).unwrap().is_none());
        let got = cache
            .assignments("c-1".into(), HashMap::new(), Some(at(1)))
            .unwrap();
        assert_eq!(reasons(&got), [Reason::TargetingMatch]);
        store.0.lock().unwrap().insert("c-1".into(), "{".into());
        let got = cache
            .assignments("c-1".into(), HashMap::new(), Some(at(2)))
            .unwrap();
        assert_eq!(reasons(&got), [Reason::TargetingMatch]);
    }

    #[test]
    fn a_prepared_customer_gets_the_answer_of_the_attribute_map() {
        let bundle = CampaignBundle::from_toml(
            r#"
            version = "v1"
            [[campaigns]]
            id = "seniors"
            eligibility = { field = "age", gte = 60 }
            [[campaigns]]
            id = "welcome"
            "#
            .into(),
        )
        .unwrap();
        let ids = |a: &[Assignment]| a.iter().map(|a| a.campaign_id.clone()).collect::<Vec<_>>();
        let ms = |t: SystemTime| {
            t.duration_since(SystemTime::UNIX_EPOCH)
                .unwrap()
                .as_millis() as i64
        };
        for age in [35, 70] {
            let attributes = HashMap::from([("age".to_owned(), Value::Number(f64::from(age)))]);
            let customer = CampaignCustomer::new("c-1".into(), attributes.clone());
            let by_map = bundle
                .assign("c-1".into(), attributes.clone(), at(0))
                .unwrap();
            let prepared = bundle.assign_customer(customer.clone(), ms(at(0))).unwrap();
            assert_eq!(prepared, by_map);
            assert_eq!(ids(&prepared).len(), if age >= 60 { 2 } else { 1 });
            let cache = AssignmentCache::new(bundle.clone(), Arc::new(MemoryStore::default()));
            let first = cache
                .customer_assignments(customer.clone(), ms(at(0)))
                .unwrap();
            assert_eq!(first, by_map);
            let again = cache.customer_assignments(customer, ms(at(1))).unwrap();
            assert!(again.iter().all(|a| a.reason == Reason::Cached));
        }
        let customer = CampaignCustomer::new("c-1".into(), HashMap::new());
        assert!(matches!(
            bundle.assign_customer(customer, i64::MAX),
            Err(ArichatError::Core {
                code: ErrorCode::TimeOutOfRange,
                ..
            })
        ));
    }

    #[test]
    fn a_customer_debug_shows_no_attribute() {
        let customer = CampaignCustomer::new(
            "c-1".into(),
            HashMap::from([("email".to_owned(), Value::Text("ana@example.com".into()))]),
        );
        let shown = format!("{customer:?}");
        assert!(
            shown.contains("attributes: 1") && !shown.contains("ana@"),
            "{shown}"
        );
    }

    #[test]
    fn a_bad_bundle_names_the_path() {
        let err = CampaignBundle::from_toml(
            "version = \"1\"\n[[campaigns]]\nid = \"a\"\neligibility = { in_segment = \"vip\" }\n"
                .into(),
        )
        .unwrap_err();
        match err {
            ArichatError::Core { code, msg } => {
                assert_eq!(code, ErrorCode::InvalidCampaign);
                assert!(msg.contains("campaigns[0].eligibility.in_segment"), "{msg}");
            }
            other => panic!("{other:?}"),
        }
    }
}
