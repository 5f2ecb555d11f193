//! The shared campaign vectors (`tests/vectors/campaigns.json`) hold for the Rust core,
//! and every binding's tests read the same file.
//!
//! The bundle, `now`, each case's `customer_id`, `attributes` and `note`, the bucket
//! probes' `seed` and `customer_id`, and the refused bundles are written by hand; every
//! `expected` block (assignments, explanations, the cache entry's expiry, buckets, error
//! code and path) is written by this test:
//!
//! ```text
//! ARICHAT_BLESS=1 cargo test -p arichat-core --test conformance_campaigns
//! ```
//!
//! Run that after changing the engine, review the diff, and commit it.

#[path = "support/bless.rs"]
mod bless;

use arichat_core::campaign::{bucket, Assignment, CampaignBundle, Explanation};
use arichat_core::scoring::LeadRecord;
use arichat_core::CoreError;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use serde_json::Value as Json;

const PATH: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../../tests/vectors/campaigns.json"
);

/// Written into the file on blessing, so that the file says how it is made.
const ABOUT: &str = "Cross-runtime campaign vectors. bundle, now, each case's customer_id, \
     attributes and note, the bucket probes' seed and customer_id, and the refused bundles \
     are hand-written; every `expected` is written by `ARICHAT_BLESS=1 cargo test -p \
     arichat-core --test conformance_campaigns`. Load `bundle` (JSON), assign each case at \
     `now` and compare `expected.assignments` (reason, rule_path, bucket, variant, offer) and \
     `expected.explain` exactly; `expiry` is the AssignmentSet's expires_at/stale_until at \
     `now`; bucket = FNV-1a-64(seed ':' customer_id) mod 10000; each refused bundle gives \
     error code invalid_campaign with the campaign code and path in `expected`.";

#[derive(Serialize, Deserialize)]
struct Vectors {
    #[serde(default)]
    about: String,
    now: DateTime<Utc>,
    bundle: Json,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    expiry: Option<Expiry>,
    buckets: Vec<BucketCase>,
    cases: Vec<Case>,
    errors: Vec<ErrorCase>,
}

#[derive(Debug, PartialEq, Serialize, Deserialize)]
struct Expiry {
    expires_at: DateTime<Utc>,
    stale_until: DateTime<Utc>,
}

#[derive(Serialize, Deserialize)]
struct BucketCase {
    seed: String,
    customer_id: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    bucket: Option<u16>,
}

#[derive(Serialize, Deserialize)]
struct Case {
    customer_id: String,
    attributes: LeadRecord,
    note: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    expected: Option<Expected>,
}

#[derive(Debug, PartialEq, Serialize, Deserialize)]
struct Expected {
    assignments: Vec<Assignment>,
    explain: Vec<Explanation>,
}

#[derive(Serialize, Deserialize)]
struct ErrorCase {
    note: String,
    bundle: Json,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    expected: Option<ErrorExpected>,
}

#[derive(Debug, PartialEq, Serialize, Deserialize)]
struct ErrorExpected {
    code: String,
    campaign_code: String,
    path: Option<String>,
}

fn refusal(bundle: &Json) -> ErrorExpected {
    match CampaignBundle::from_json_str(&bundle.to_string()) {
        Err(e @ CoreError::InvalidCampaign(_)) => {
            let CoreError::InvalidCampaign(inner) = &e else {
                unreachable!()
            };
            ErrorExpected {
                code: e.code().to_owned(),
                campaign_code: inner.code().to_owned(),
                path: inner.path().map(str::to_owned),
            }
        }
        other => panic!("{bundle} was not refused as a campaign: {other:?}"),
    }
}

#[test]
fn the_engine_gives_the_expected_answers() {
    let bytes = std::fs::read(PATH).expect("tests/vectors/campaigns.json");
    let mut v: Vectors = serde_json::from_slice(&bytes).expect("valid vectors");
    let bundle = CampaignBundle::from_json_str(&v.bundle.to_string()).expect("the bundle loads");
    let answer = |c: &Case| Expected {
        assignments: bundle.assign(&c.customer_id, &c.attributes, v.now),
        explain: bundle.explain(&c.customer_id, &c.attributes, v.now),
    };
    let (expires_at, stale_until) = bundle.expiry(v.now);
    let expiry = Expiry {
        expires_at,
        stale_until,
    };
    if bless::blessing() {
        for c in &mut v.cases {
            c.expected = Some(answer(c));
        }
        for b in &mut v.buckets {
            b.bucket = Some(bucket(&b.seed, &b.customer_id));
        }
        for e in &mut v.errors {
            e.expected = Some(refusal(&e.bundle));
        }
        v.expiry = Some(expiry);
        v.about = ABOUT.to_owned();
        bless::write_json(PATH, &v);
        return;
    }
    let bless = "run ARICHAT_BLESS=1 cargo test -p arichat-core --test conformance_campaigns";
    assert_eq!(v.expiry.as_ref(), Some(&expiry), "expiry");
    for b in &v.buckets {
        assert_eq!(
            Some(bucket(&b.seed, &b.customer_id)),
            b.bucket,
            "bucket of {:?}",
            b.customer_id
        );
    }
    for c in &v.cases {
        let want = c
            .expected
            .as_ref()
            .unwrap_or_else(|| panic!("{}: {bless}", c.customer_id));
        assert_eq!(&answer(c), want, "{} ({})", c.customer_id, c.note);
    }
    for e in &v.errors {
        let want = e
            .expected
            .as_ref()
            .unwrap_or_else(|| panic!("{}: {bless}", e.note));
        assert_eq!(&refusal(&e.bundle), want, "{}", e.note);
    }
}

/// The file keeps covering every reason a computed assignment can have, and the
/// statuses a customer-facing explanation shows.
#[test]
fn vectors_cover_every_computed_reason_and_status() {
    let bytes = std::fs::read(PATH).expect("tests/vectors/campaigns.json");
    let text = String::from_utf8(bytes).unwrap();
    for reason in ["targeting_match", "split", "holdout", "default"] {
        assert!(
            text.contains(&format!("\"reason\": \"{reason}\"")),
            "{reason}"
        );
    }
    for status in [
        "not_started",
        "ended",
        "not_eligible",
        "outside_rollout",
        "excluded",
        "customer_cap",
    ] {
        assert!(
            text.contains(&format!("\"status\": \"{status}\"")),
            "{status}"
        );
    }
}
