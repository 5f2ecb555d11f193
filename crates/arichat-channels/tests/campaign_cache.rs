//! The Redis campaign cache against a real `redis-server` (see `redis_server/mod.rs`:
//! skipped without one outside CI).
#![cfg(feature = "redis")]

use std::cell::Cell;
use std::sync::Arc;
use std::time::Duration;

use arichat_channels::store::{CampaignCache, CampaignCacheConfig, UnavailablePolicy};
use arichat_core::campaign::{AssignmentSet, CampaignBundle, Reason};
use arichat_core::scoring::LeadRecord;
use chrono::{DateTime, TimeZone, Utc};

mod redis_server;
use redis_server::{
    check_closed_port, free_port, raw_connection, required_env, unique_prefix, PrivateServer,
};

const BUNDLE: &str = r#"
version = "v1"
ttl = "24h"
stale_grace = "6h"
[[campaigns]]
id = "seniors"
priority = 10
eligibility = { field = "age", gte = 60 }
offer = { product = "pension_plus" }
[[campaigns]]
id = "everyone"
fallback = true
"#;

fn bundle(version: &str) -> Arc<CampaignBundle> {
    let text = BUNDLE.replace("\"v1\"", &format!("{version:?}"));
    Arc::new(CampaignBundle::from_toml_str(&text).unwrap())
}

fn now() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 12, 3, 6, 0, 0).unwrap()
}

fn senior() -> LeadRecord {
    let mut r = LeadRecord::new();
    r.set("age", 67);
    r
}

fn connect(url: &str, prefix: &str, b: Arc<CampaignBundle>) -> CampaignCache {
    CampaignCache::connect(CampaignCacheConfig::new(url).with_prefix(prefix), b).unwrap()
}

fn reasons(set: &AssignmentSet) -> Vec<Reason> {
    set.assignments.iter().map(|a| a.reason).collect()
}

#[test]
fn the_batch_writes_json_with_pttl_of_ttl_plus_grace_pipelined() {
    let Some(url) = required_env("ARICHAT_REDIS_URL") else {
        return;
    };
    let prefix = unique_prefix("campaign-write");
    let b = bundle("v1");
    let mut cache = CampaignCache::connect(
        CampaignCacheConfig::new(&url)
            .with_prefix(&prefix)
            .with_batch_size(7),
        b.clone(),
    )
    .unwrap();
    let sets: Vec<AssignmentSet> = (0..250)
        .map(|i| {
            let mut r = LeadRecord::new();
            r.set("age", 20 + i % 60);
            b.assign_set(&format!("c-{i}"), &r, now())
        })
        .collect();
    // An entry already past its stale_until is not written.
    let mut dead = sets[0].clone();
    dead.customer_id = "dead".into();
    dead.stale_until = now();
    let mut all = sets.clone();
    all.push(dead);
    assert_eq!(cache.write(&all, now()).unwrap(), 250);

    let mut raw = raw_connection(&url);
    let keys: Vec<String> = redis::cmd("KEYS")
        .arg(format!("{prefix}:campaigns:*"))
        .query(&mut raw)
        .unwrap();
    assert_eq!(keys.len(), 250);
    let key = format!("{prefix}:campaigns:c-45");
    let pttl: i64 = redis::cmd("PTTL").arg(&key).query(&mut raw).unwrap();
    let thirty_hours = 30 * 3600 * 1000;
    assert!(
        pttl > thirty_hours - 60_000 && pttl <= thirty_hours,
        "PTTL {pttl}"
    );
    let json: String = redis::cmd("GET").arg(&key).query(&mut raw).unwrap();
    let stored: AssignmentSet = serde_json::from_str(&json).unwrap();
    assert_eq!(stored, sets[45]);
    assert_eq!(stored.assignments[0].campaign_id.as_str(), "seniors");
    assert_eq!(cache.read("c-45").unwrap().as_ref(), Some(&sets[45]));
    assert_eq!(cache.read("nobody").unwrap(), None);
}

#[test]
fn get_serves_cached_recomputes_missing_and_revalidates_stale() {
    let Some(url) = required_env("ARICHAT_REDIS_URL") else {
        return;
    };
    let prefix = unique_prefix("campaign-get");
    let mut cache = connect(&url, &prefix, bundle("v1"));
    let lookups = Cell::new(0);
    let lookup = |_: &str| {
        lookups.set(lookups.get() + 1);
        Some(senior())
    };

    // Missing: computed, written back, served with the computation's reasons.
    let first = cache.get("c-1", now(), lookup).unwrap().unwrap();
    assert_eq!(reasons(&first), vec![Reason::TargetingMatch]);
    assert_eq!(lookups.get(), 1);
    assert!(cache.read("c-1").unwrap().is_some());

    // Fresh: cached, no lookup.
    let later = now() + chrono::Duration::hours(23);
    let cached = cache.get("c-1", later, lookup).unwrap().unwrap();
    assert_eq!(reasons(&cached), vec![Reason::Cached]);
    assert_eq!(cached.computed_at, now());
    assert_eq!(lookups.get(), 1);

    // Within the grace: served stale, and recomputed in Redis for the next reader.
    let grace = now() + chrono::Duration::hours(25);
    let stale = cache.get("c-1", grace, lookup).unwrap().unwrap();
    assert_eq!(reasons(&stale), vec![Reason::Stale]);
    assert_eq!(stale.computed_at, now());
    assert_eq!(lookups.get(), 2);
    assert_eq!(cache.read("c-1").unwrap().unwrap().computed_at, grace);
    let again = cache.get("c-1", grace, lookup).unwrap().unwrap();
    assert_eq!(reasons(&again), vec![Reason::Cached]);

    // Within the grace and the lookup knows nothing: still the stale copy.
    cache.write(std::slice::from_ref(&first), now()).unwrap();
    let kept = cache.get("c-1", grace, |_| None).unwrap().unwrap();
    assert_eq!(reasons(&kept), vec![Reason::Stale]);

    // Unknown customer, nothing stored: None, nothing written.
    assert_eq!(cache.get("ghost", now(), |_| None).unwrap(), None);
    assert_eq!(cache.read("ghost").unwrap(), None);

    // An entry of another bundle version is recomputed.
    let mut other = connect(&url, &prefix, bundle("v2"));
    let recomputed = other.get("c-1", grace, lookup).unwrap().unwrap();
    assert_eq!(recomputed.bundle_version, "v2");
    assert_eq!(reasons(&recomputed), vec![Reason::TargetingMatch]);
}

#[test]
fn a_closed_port_is_store_unavailable() {
    if required_env("ARICHAT_REDIS_URL").is_none() {
        return;
    }
    check_closed_port(|url| {
        CampaignCache::connect(CampaignCacheConfig::new(url), bundle("v1")).unwrap_err()
    });
}

#[test]
fn zero_batch_size_is_refused() {
    let config = CampaignCacheConfig::new("redis://127.0.0.1:1/").with_batch_size(0);
    let err = CampaignCache::connect(config, bundle("v1")).unwrap_err();
    assert_eq!(err.code(), "invalid_config");
}

#[test]
fn redis_down_is_an_error_or_the_stale_copy_as_configured() {
    let Some(binary) = required_env("ARICHAT_REDIS_SERVER") else {
        return;
    };
    let mut server = PrivateServer::start(&binary, free_port());
    let config = |policy| {
        CampaignCacheConfig::new(&server.url)
            .with_on_unavailable(policy)
            .with_connect_timeout(Duration::from_millis(500))
            .with_io_timeout(Duration::from_millis(500))
    };
    let mut strict =
        CampaignCache::connect(config(UnavailablePolicy::Error), bundle("v1")).unwrap();
    let mut lenient =
        CampaignCache::connect(config(UnavailablePolicy::Stale), bundle("v1")).unwrap();
    let lookup = |_: &str| Some(senior());
    strict.get("c-1", now(), lookup).unwrap().unwrap();
    lenient.get("c-1", now(), lookup).unwrap().unwrap();

    server.kill();
    let later = now() + chrono::Duration::hours(2);
    let err = strict.get("c-1", later, lookup).unwrap_err();
    assert_eq!(err.code(), "store_unavailable", "{err}");
    assert!(!err.to_string().contains(PrivateServer::PASSWORD), "{err}");
    // The lenient reader serves its last copy, relabelled; never an empty list.
    let served = lenient.get("c-1", later, lookup).unwrap().unwrap();
    assert_eq!(reasons(&served), vec![Reason::Cached]);
    let grace = now() + chrono::Duration::hours(25);
    let served = lenient.get("c-1", grace, lookup).unwrap().unwrap();
    assert_eq!(reasons(&served), vec![Reason::Stale]);
    // A customer it never saw, or a copy past its grace: the typed error.
    let err = lenient.get("c-2", later, lookup).unwrap_err();
    assert_eq!(err.code(), "store_unavailable");
    let gone = now() + chrono::Duration::hours(31);
    assert_eq!(
        lenient.get("c-1", gone, lookup).unwrap_err().code(),
        "store_unavailable"
    );
    assert_eq!(
        lenient.write(&[served], later).unwrap_err().code(),
        "store_unavailable"
    );
}
