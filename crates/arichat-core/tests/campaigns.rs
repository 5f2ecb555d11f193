//! Campaign bundles across modules: loading (TOML, JSON, errors with paths), rules with
//! segments and scorecards, splits, exclusion, caps, windows, explanations, the cache
//! entry, the column path, and evaluation never failing on arbitrary attributes.

use arichat_core::campaign::{bucket, AssignmentSet, CampaignBundle, CapUsage, Reason, Status};
use arichat_core::scoring::{Column, LeadRecord, Value};
use arichat_core::CoreError;
use chrono::{DateTime, Duration, TimeZone, Utc};
use proptest::prelude::*;

fn now() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 12, 3, 8, 0, 0).unwrap()
}

fn load(toml: &str) -> CampaignBundle {
    CampaignBundle::from_toml_str(toml).unwrap_or_else(|e| panic!("{e}"))
}

/// The code and path of a load error.
fn load_error(toml: &str) -> (&'static str, String) {
    match CampaignBundle::from_toml_str(toml) {
        Err(CoreError::InvalidCampaign(e)) => (e.code(), e.path().unwrap_or("").to_owned()),
        Err(other) => panic!("not a campaign error: {other}"),
        Ok(_) => panic!("loaded:\n{toml}"),
    }
}

const LEADS: &str = r#"
version = "leads-1"
[scorecard]
[[scorecard.fit]]
id = "big_company"
field = "employees"
range = { gte = 200 }
points = 60
[[scorecard.fit]]
id = "asked_price"
field = "asked_price"
equals = true
points = 30

[[campaigns]]
id = "hot_followup"
channels = ["whatsapp", "phone"]
eligibility = { all = [
    { grade = ["a"] },
    { none = [{ field = "last_contact", within_days = 7 }] },
] }
offer = { script = "call_back_with_discount" }
"#;

#[test]
fn grade_a_leads_not_contacted_in_seven_days_is_one_rule() {
    let bundle = load(LEADS);
    let hot = LeadRecord::new()
        .with("employees", 500)
        .with("asked_price", true);
    let stale = hot.clone().with("last_contact", "2026-11-20");
    let recent = hot.clone().with("last_contact", "2026-11-30T10:00:00Z");
    let cold = LeadRecord::new().with("employees", 500);
    let got = |r: &LeadRecord| bundle.assign("lead-1", r, now());
    // Never contacted and contacted 13 days ago both qualify.
    for r in [&hot, &stale] {
        let a = got(r);
        assert_eq!(a.len(), 1);
        assert_eq!(a[0].reason, Reason::TargetingMatch);
        assert_eq!(a[0].rule_path, "eligibility");
        assert_eq!(
            a[0].offer,
            Some(serde_json::json!({"script": "call_back_with_discount"}))
        );
    }
    assert!(got(&recent).is_empty());
    assert!(got(&cold).is_empty());
    // The explanations name the failing leaf.
    let why = |r: &LeadRecord| bundle.explain("lead-1", r, now()).remove(0);
    let e = why(&recent);
    assert_eq!(e.status, Status::NotEligible);
    assert_eq!(e.rule_path.as_deref(), Some("eligibility.all[1].none[0]"));
    assert_eq!(
        why(&cold).rule_path.as_deref(),
        Some("eligibility.all[0].grade")
    );
}

const BANK: &str = r#"
version = "bank-2026-12"
max_per_customer = 2

[segments]
homeowner = { field = "housing", eq = "yes" }
has_debt = { any = [{ field = "loan", eq = "yes" }, { field = "default", eq = "yes" }] }

[[campaigns]]
id = "mortgage_refi"
priority = 30
eligibility = { all = [{ in_segment = "homeowner" }, { none = [{ in_segment = "has_debt" }] }] }
offer = { product = "refi" }
exclusion_group = "lending"

[[campaigns]]
id = "personal_loan"
priority = 20
eligibility = { field = "age", gte = 25, lt = 60 }
offer = { product = "loan" }
exclusion_group = "lending"

[[campaigns]]
id = "savings"
priority = 10
offer = { product = "savings" }

[[campaigns]]
id = "xmas"
priority = 50
start = "2026-12-15"
end = "2026-12-26"
offer = { product = "gift" }

[[campaigns]]
id = "welcome"
fallback = true
offer = { product = "welcome" }
"#;

#[test]
fn priority_exclusion_caps_windows_and_fallback() {
    let bundle = load(BANK);
    let homeowner = LeadRecord::new().with("housing", "yes").with("age", 40);
    let a = bundle.assign("c-1", &homeowner, now());
    let ids: Vec<&str> = a.iter().map(|a| a.campaign_id.as_str()).collect();
    // xmas not started; refi wins the lending group; savings fits under the cap of 2.
    assert_eq!(ids, ["mortgage_refi", "savings"]);
    let e = bundle.explain("c-1", &homeowner, now());
    let status: Vec<(&str, Status)> = e
        .iter()
        .map(|e| (e.campaign_id.as_str(), e.status))
        .collect();
    assert_eq!(
        status,
        [
            ("xmas", Status::NotStarted),
            ("mortgage_refi", Status::Assigned),
            ("personal_loan", Status::Excluded),
            ("savings", Status::Assigned),
            ("welcome", Status::FallbackUnused),
        ]
    );
    assert_eq!(
        e[2].excluded_by.as_ref().map(|c| c.as_str()),
        Some("mortgage_refi")
    );
    // At Christmas the cap of 2 drops savings.
    let xmas = Utc.with_ymd_and_hms(2026, 12, 24, 0, 0, 0).unwrap();
    let ids: Vec<String> = bundle
        .assign("c-1", &homeowner, xmas)
        .iter()
        .map(|a| a.campaign_id.to_string())
        .collect();
    assert_eq!(ids, ["xmas", "mortgage_refi"]);
    let capped = &bundle.explain("c-1", &homeowner, xmas)[3];
    assert_eq!(
        (capped.campaign_id.as_str(), capped.status),
        ("savings", Status::CustomerCap)
    );
    // A homeowner with a loan fails the `none` on the segment and gets the loan.
    let indebted = homeowner.clone().with("loan", "yes");
    let a = bundle.assign("c-1", &indebted, now());
    assert_eq!(a[0].campaign_id.as_str(), "personal_loan");
    assert_eq!(a[0].rule_path, "eligibility");
    let refi = &bundle.explain("c-1", &indebted, now())[1];
    assert_eq!(
        refi.rule_path.as_deref(),
        Some("eligibility.all[1].none[0].in_segment")
    );
    // The end is exclusive.
    let after = Utc.with_ymd_and_hms(2026, 12, 26, 0, 0, 0).unwrap();
    assert_eq!(
        bundle.explain("c-1", &homeowner, after)[0].status,
        Status::Ended
    );
}

#[test]
fn fallback_is_given_with_reason_default_only_when_nothing_else_is() {
    let toml = r#"
        version = "1"
        [[campaigns]]
        id = "vip"
        eligibility = { field = "vip", eq = true }
        [[campaigns]]
        id = "welcome"
        fallback = true
        offer = { text = "hello" }
    "#;
    let bundle = load(toml);
    let a = bundle.assign("c", &LeadRecord::new(), now());
    assert_eq!(
        (a[0].campaign_id.as_str(), a[0].reason),
        ("welcome", Reason::Default)
    );
    assert_eq!(a[0].rule_path, "");
    let a = bundle.assign("c", &LeadRecord::new().with("vip", true), now());
    assert_eq!(a.len(), 1);
    assert_eq!(a[0].campaign_id.as_str(), "vip");
}

const SPLIT: &str = r#"
version = "1"
[[campaigns]]
id = "cashback"
holdout = 10
rollout = 50
offer = { rate = 0.01 }
variants = [{ id = "low", weight = 50 }, { id = "high", weight = 50, offer = { rate = 0.02 } }]
"#;

#[test]
fn splits_follow_the_bucket_of_each_customer() {
    let bundle = load(SPLIT);
    let mut seen = [0u32; 4];
    for i in 0..2000 {
        let id = format!("customer-{i}");
        let b = bucket("cashback", &id);
        let a = bundle.assign(&id, &LeadRecord::new(), now());
        // The same customer gets the same answer on another day.
        assert_eq!(
            a,
            bundle.assign(&id, &LeadRecord::new(), now() + Duration::days(40))
        );
        match b {
            0..1000 => {
                assert_eq!(a[0].reason, Reason::Holdout);
                assert_eq!((a[0].offer.as_ref(), a[0].variant.as_ref()), (None, None));
                seen[0] += 1;
            }
            1000..3500 => {
                assert_eq!(
                    (a[0].reason, a[0].variant.as_deref()),
                    (Reason::Split, Some("low"))
                );
                assert_eq!(a[0].offer, Some(serde_json::json!({"rate": 0.01})));
                seen[1] += 1;
            }
            3500..6000 => {
                assert_eq!(a[0].variant.as_deref(), Some("high"));
                assert_eq!(a[0].offer, Some(serde_json::json!({"rate": 0.02})));
                seen[2] += 1;
            }
            _ => {
                assert!(a.is_empty());
                seen[3] += 1;
            }
        }
        if let Some(a) = a.first() {
            assert_eq!(a.bucket, b);
        }
    }
    // Roughly 10 / 25 / 25 / 40 %.
    for (got, want) in seen.iter().zip([200, 500, 500, 800]) {
        assert!((*got as i32 - want).abs() < want / 4, "{seen:?}");
    }
}

#[test]
fn the_campaign_cap_counts_offers_in_a_batch() {
    let bundle = load(
        r#"
        version = "1"
        [[campaigns]]
        id = "limited"
        max_assignments = 2
    "#,
    );
    let mut usage = CapUsage::new();
    let got: Vec<usize> = (0..4)
        .map(|i| {
            bundle
                .assign_counted(&format!("c{i}"), &LeadRecord::new(), now(), &mut usage)
                .len()
        })
        .collect();
    assert_eq!(got, [1, 1, 0, 0]);
    assert_eq!(usage.used(0), 2);
    // `assign` alone does not count.
    assert_eq!(bundle.assign("c9", &LeadRecord::new(), now()).len(), 1);
}

#[test]
fn the_cache_entry_expires_at_the_next_campaign_boundary() {
    let bundle = load(BANK);
    let set = bundle.assign_set("c-1", &LeadRecord::new(), now());
    // xmas starts in 12 days: the 24 h ttl comes first.
    assert_eq!(set.expires_at, now() + Duration::hours(24));
    let eve = Utc.with_ymd_and_hms(2026, 12, 25, 12, 0, 0).unwrap();
    let set = bundle.assign_set("c-1", &LeadRecord::new(), eve);
    assert_eq!(
        set.expires_at,
        Utc.with_ymd_and_hms(2026, 12, 26, 0, 0, 0).unwrap()
    );
    assert_eq!(set.stale_until, set.expires_at + Duration::hours(6));
    assert_eq!(set.bundle_version, "bank-2026-12");
    let json = serde_json::to_value(&set).unwrap();
    for key in [
        "customer_id",
        "computed_at",
        "expires_at",
        "stale_until",
        "bundle_version",
        "assignments",
    ] {
        assert!(json.get(key).is_some(), "{key}");
    }
    let back: AssignmentSet = serde_json::from_value(json).unwrap();
    assert_eq!(back, set);
    assert!(!back.is_fresh(set.expires_at) && back.is_stale_usable(set.expires_at));
}

#[test]
fn toml_and_json_load_the_same_bundle_and_write_it_back() {
    for text in [BANK, LEADS, SPLIT] {
        let from_toml = load(text);
        let from_json = CampaignBundle::from_json_str(&from_toml.to_json()).unwrap();
        assert_eq!(from_json, from_toml);
        assert_eq!(
            CampaignBundle::from_toml_str(&from_toml.to_toml()).unwrap(),
            from_toml
        );
        let r = LeadRecord::new()
            .with("housing", "yes")
            .with("age", 30)
            .with("employees", 900);
        assert_eq!(
            from_json.assign("x", &r, now()),
            from_toml.assign("x", &r, now())
        );
    }
}

#[test]
fn growthbook_conditions_load_as_rules() {
    let bundle = CampaignBundle::from_json_str(
        r#"{"version": "gb", "campaigns": [{"id": "pe_adults",
            "condition": {"country": "PE", "age": {"$gte": 18}, "$not": {"segment": {"$in": ["blocked"]}}}}]}"#,
    )
    .unwrap();
    let r = LeadRecord::new().with("country", "PE").with("age", 30);
    assert_eq!(bundle.assign("c", &r, now()).len(), 1);
    let blocked = r.clone().with("segment", "blocked");
    assert!(bundle.assign("c", &blocked, now()).is_empty());
    let e = CampaignBundle::from_json_str(
        r#"{"version": "gb", "campaigns": [{"id": "x", "condition": {"email": {"$regex": "@bank"}}}]}"#,
    );
    let Err(CoreError::InvalidCampaign(e)) = e else {
        panic!()
    };
    assert_eq!(
        (e.code(), e.path()),
        (
            "unsupported_operator",
            Some("campaigns[0].condition.email.$regex")
        )
    );
}

#[test]
fn load_errors_name_the_path() {
    let campaign = |body: &str| {
        format!("version = \"1\"\n[segments]\ns = {{ field = \"a\", eq = 1 }}\n[[campaigns]]\nid = \"a\"\n[[campaigns]]\nid = \"b\"\n[[campaigns]]\nid = \"c\"\n{body}")
    };
    let cases = [
        (
            campaign("eligibility = { all = [{ field = \"x\", eq = 1 }, { in_segment = \"t\" }] }"),
            "unknown_segment",
            "campaigns[2].eligibility.all[1].in_segment",
        ),
        (
            campaign("start = \"2026-12-10\"\nend = \"2026-12-01\""),
            "invalid_window",
            "campaigns[2].end",
        ),
        (
            campaign("start = \"someday\""),
            "invalid_window",
            "campaigns[2].start",
        ),
        (
            campaign("holdout = 120"),
            "invalid_percent",
            "campaigns[2].holdout",
        ),
        (
            campaign("holdout = 60\nrollout = 50"),
            "invalid_percent",
            "campaigns[2].rollout",
        ),
        (
            campaign("variants = [{ id = \"a\", weight = 60 }]"),
            "invalid_percent",
            "campaigns[2].variants",
        ),
        (
            campaign("variants = [{ id = \"a\", weight = 60 }, { id = \"b\", weight = -1 }]"),
            "invalid_percent",
            "campaigns[2].variants[1].weight",
        ),
        (
            campaign("variants = [{ id = \"a\", weight = 50 }, { id = \"a\", weight = 50 }]"),
            "duplicate_id",
            "campaigns[2].variants[1].id",
        ),
        (
            campaign("eligibility = { any = [{ field = \"age\", gte = \"old\" }] }"),
            "invalid_rule",
            "campaigns[2].eligibility.any[0].gte",
        ),
        (
            campaign("eligibility = { grade = [\"a\"] }"),
            "missing_scorecard",
            "campaigns[2].eligibility.grade",
        ),
        (
            campaign("exclusion_group = \"\""),
            "empty_name",
            "campaigns[2].exclusion_group",
        ),
        (
            format!("{}\n[[campaigns]]\nid = \"a\"", campaign("")),
            "duplicate_id",
            "campaigns[3].id",
        ),
        (
            "version = \"1\"\nttl = \"a day\"".to_owned(),
            "invalid_duration",
            "ttl",
        ),
        (
            "version = \"1\"\nttl = \"0s\"".to_owned(),
            "invalid_duration",
            "ttl",
        ),
        ("version = \" \"".to_owned(), "empty_name", "version"),
    ];
    for (toml, code, path) in cases {
        assert_eq!(load_error(&toml), (code, path.to_owned()), "{toml}");
    }
    // Unknown fields are refused by the reader, which names them.
    for bad in [
        "version = \"1\"\ncolour = \"red\"",
        "version = \"1\"\n[[campaigns]]\nid = \"a\"\npriorty = 3",
    ] {
        let Err(CoreError::InvalidCampaign(e)) = CampaignBundle::from_toml_str(bad) else {
            panic!()
        };
        assert_eq!(e.code(), "parse");
        assert!(e.to_string().contains("unknown field"), "{e}");
    }
    let Err(CoreError::InvalidCampaign(e)) = CampaignBundle::from_json_str(
        r#"{"version": "1", "campaigns": [{"id": "a", "chanels": []}]}"#,
    ) else {
        panic!()
    };
    assert!(e.to_string().contains("campaigns[0]"), "{e}");
    let Err(CoreError::InvalidCampaign(e)) = CampaignBundle::from_toml_str(
        "version = \"1\"\n[[campaigns]]\nid = \"a\"\nchannels = [\"fax\"]",
    ) else {
        panic!()
    };
    assert_eq!(e.code(), "parse");
}

#[test]
fn the_column_path_gives_the_row_answers() {
    let bundle = load(BANK);
    let housing = [Some("yes"), Some("no"), None, Some("yes")];
    let loan = [Some("no"), Some("yes"), None, Some("yes")];
    let age = [40.0, 30.0, f64::NAN, 70.0];
    let ids = ["a", "b", "c", "d"];
    let out = bundle
        .assign_batch(
            &ids,
            &[
                ("housing", Column::Text(&housing)),
                ("loan", Column::Text(&loan)),
                ("age", Column::numbers(&age)),
            ],
            now(),
        )
        .unwrap();
    let mut k = 0;
    for (i, id) in ids.iter().enumerate() {
        let mut r = LeadRecord::new();
        r.set("housing", housing[i])
            .set("loan", loan[i])
            .set("age", Value::Number(age[i]));
        for a in bundle.assign(id, &r, now()) {
            assert_eq!(out.row[k] as usize, i);
            assert_eq!(
                bundle.campaigns()[out.campaign[k] as usize].id,
                a.campaign_id
            );
            assert_eq!(out.reason[k], a.reason);
            assert_eq!(out.paths[out.rule_path[k] as usize], a.rule_path);
            k += 1;
        }
    }
    assert_eq!(k, out.len());
    let bad = bundle.assign_batch(&ids, &[("age", Column::numbers(&age[..2]))], now());
    assert_eq!(bad.unwrap_err().code(), "invalid_campaign");
}

#[test]
fn bundles_and_entries_cross_threads() {
    // A loaded bundle is shared by worker threads (the batch, a binding releasing its lock).
    fn shared<T: Send + Sync>() {}
    shared::<CampaignBundle>();
    shared::<AssignmentSet>();
    shared::<arichat_core::campaign::BatchAssignments>();
}

fn value() -> impl Strategy<Value = Value> {
    prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<f64>().prop_map(Value::Number),
        "[a-z0-9 :.-]{0,12}".prop_map(Value::Text),
        Just(Value::Text("2026-11-30".into())),
        Just(Value::Text("yes".into())),
    ]
}

proptest! {
    #[test]
    fn evaluation_never_fails_on_any_attributes(
        values in proptest::collection::vec(value(), 8),
        id in ".{0,20}",
        secs in -4_000_000_000i64..8_000_000_000,
    ) {
        let names = ["housing", "loan", "default", "age", "employees", "asked_price", "last_contact", "vip"];
        let record: LeadRecord = names.iter().copied().zip(values).collect();
        let now = DateTime::from_timestamp(secs, 0).unwrap();
        for text in [BANK, LEADS, SPLIT] {
            let bundle = load(text);
            let a = bundle.assign(&id, &record, now);
            let e = bundle.explain(&id, &record, now);
            prop_assert_eq!(a.len(), e.iter().filter(|e| e.status == Status::Assigned).count());
            let _ = bundle.assign_set(&id, &record, now);
        }
    }
}
