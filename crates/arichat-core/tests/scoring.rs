//! Scorecards: loading, validation errors, explanations, and the batch path
//! agreeing with the row path.

use arichat_core::intent::Intent;
use arichat_core::scoring::{
    Column, ContributionKind, EngagementEvent, EngagementKind, FieldType, Grade, LeadRecord,
    Scorecard, ScorecardError, Value,
};
use arichat_core::{CoreError, LifecycleStage};
use chrono::{DateTime, Duration, TimeZone, Utc};
use proptest::prelude::*;

const CARD: &str = r#"
name = "b2b"
base = 5

[fields]
employees = "number"
title = "text"
vip = "bool"

[groups.title]
max = 25

[groups.noise]
min = -10

[grades]
a = 80
b = 55
c = 30

[stages]
mql = 40
sql = 70

[[fit]]
id = "mid"
field = "employees"
range = { gte = 50, lt = 500 }
points = 20

[[fit]]
id = "big"
field = "employees"
range = { gte = 500 }
points = 30

[[fit]]
id = "ceo"
field = "title"
word = "ceo"
points = 20
group = "title"

[[fit]]
id = "director"
field = "title"
contains = "director"
points = 15
group = "title"

[[fit]]
id = "country"
field = "country"
one_of = ["CO", "MX", "PE"]
points = 10

[[fit]]
id = "free_mail"
field = "email_domain"
one_of = ["gmail.com", "hotmail.com"]
points = -8
group = "noise"

[[fit]]
id = "no_phone"
field = "phone"
exists = false
points = -5
group = "noise"

[[fit]]
id = "vip"
field = "vip"
equals = true
points = 7

[[engagement]]
id = "wrote"
event = "inbound_message"
points = 4
half_life_hours = 48
cap = 12

[[engagement]]
id = "price"
event = "intent"
intent = "price_inquiry"
points = 15
half_life_hours = 24

[[engagement]]
id = "fast"
event = "agent_reply"
within_minutes = 10
points = 3

[[engagement]]
id = "stop"
event = "opt_out"
points = -50
"#;

fn now() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 4, 1, 12, 0, 0).unwrap()
}

#[test]
fn toml_and_json_round_trip() {
    let card = Scorecard::from_toml(CARD).unwrap();
    assert_eq!(card.fit.len(), 8);
    assert_eq!(card.fields["vip"], FieldType::Bool);
    let again = Scorecard::from_toml(&card.to_toml()).unwrap();
    assert_eq!(again, card);
    let json = card.to_json();
    assert_eq!(Scorecard::from_json(&json).unwrap(), card);
    let v: serde_json::Value = serde_json::from_str(&json).unwrap();
    assert_eq!(v["fit"][0]["range"]["gte"], 50.0);
    assert_eq!(v["engagement"][1]["intent"], "price_inquiry");
    // Embedding a scorecard in another document validates it too.
    assert!(serde_json::from_str::<Scorecard>(&json).is_ok());
}

#[test]
fn explanation_adds_up_and_caps_apply() {
    let card = Scorecard::from_toml(CARD).unwrap();
    let lead = LeadRecord::new()
        .with("employees", 120)
        .with("title", "CEO and Director")
        .with("country", "CO")
        .with("email_domain", "gmail.com")
        .with("vip", true);
    let m = |x: i64| now() - Duration::minutes(x);
    let events = vec![
        EngagementEvent::new(EngagementKind::InboundMessage, m(48 * 60)),
        EngagementEvent::intent(Intent::PriceInquiry, m(24 * 60)),
        EngagementEvent::new(EngagementKind::AgentReply, m(48 * 60 - 5)),
    ];
    let r = card.score(&lead, &events, now());
    // fit: 5 base + 20 mid + 10 country + 7 vip + title (20+15 capped to 25) + noise (-8-5 floored at -10)
    assert_eq!(r.fit, 5.0 + 20.0 + 10.0 + 7.0 + 25.0 - 10.0);
    // engagement: 4 × ½ + 15 × ½ + 3
    assert!((r.engagement - (2.0 + 7.5 + 3.0)).abs() < 1e-9);
    let sum: f64 = r.contributions.iter().map(|c| c.points).sum();
    assert!((sum - r.total).abs() < 1e-9);
    let caps: Vec<(&str, f64)> = r
        .contributions
        .iter()
        .filter(|c| c.kind == ContributionKind::GroupCap)
        .map(|c| (c.rule.as_str(), c.points))
        .collect();
    assert_eq!(caps, vec![("noise", 3.0), ("title", -10.0)]);
    assert_eq!(r.grade, Grade::B);
    assert_eq!(r.stage, LifecycleStage::Mql);
    let json = serde_json::to_value(&r).unwrap();
    assert_eq!(json["grade"], "b");
    assert_eq!(json["stage"], "mql");

    // An opt-out sinks the lead.
    let mut events = events;
    events.push(EngagementEvent::new(EngagementKind::OptOut, now()));
    let r2 = card.score(&lead, &events, now());
    assert_eq!(r2.total, r.total - 50.0);
    assert_eq!(r2.grade, Grade::D);
}

fn load_err(text: &str) -> ScorecardError {
    match Scorecard::from_toml(text) {
        Err(CoreError::InvalidScorecard(e)) => e,
        other => panic!("expected an invalid scorecard, got {other:?}"),
    }
}

#[test]
fn validation_errors_are_typed() {
    let rule = |body: &str| format!("[[fit]]\nid = \"r\"\nfield = \"f\"\npoints = 1\n{body}\n");
    assert!(matches!(
        load_err("[fields]\nf = \"date\""),
        ScorecardError::UnknownFieldType { field, found } if field == "f" && found == "date"
    ));
    assert!(matches!(
        load_err(&format!("{}{}", rule("exists = true"), rule("exists = false"))),
        ScorecardError::DuplicateRuleId(id) if id == "r"
    ));
    assert!(matches!(
        load_err(&rule("range = { gte = 5, lt = 1 }")),
        ScorecardError::InvalidRule { rule, .. } if rule == "r"
    ));
    assert!(matches!(
        load_err(&format!(
            "[fields]\nf = \"text\"\n{}",
            rule("range = { gte = 1 }")
        )),
        ScorecardError::TypeMismatch {
            predicate: "range",
            field_type: FieldType::Text,
            ..
        }
    ));
    assert!(matches!(
        load_err(&rule("")),
        ScorecardError::Parse { format: "toml", .. }
    ));
    assert!(matches!(
        load_err(&rule("exists = true\nequals = 1")),
        ScorecardError::Parse { .. }
    ));
    assert!(matches!(
        load_err("[grades]\na = 1\nb = 2\nc = 0"),
        ScorecardError::InvalidThresholds(_)
    ));
    assert!(matches!(
        load_err("[groups.g]\nmax = -1"),
        ScorecardError::InvalidGroup { .. }
    ));
    assert!(matches!(
        load_err("[[engagement]]\nid = \"e\"\nevent = \"inbound_message\"\nwithin_minutes = 5\npoints = 1"),
        ScorecardError::InvalidRule { .. }
    ));
    assert!(matches!(
        load_err(&format!(
            "{}[[engagement]]\nid = \"e\"\nevent = \"read\"\npoints = 1\ngroup = \"g\"",
            rule("exists = true\ngroup = \"g\"")
        )),
        ScorecardError::InvalidGroup { .. }
    ));
    assert!(matches!(
        load_err("unknown_key = 1"),
        ScorecardError::Parse { .. }
    ));
    let err = Scorecard::from_json("{").unwrap_err();
    assert_eq!(err.code(), "invalid_scorecard");
}

#[test]
fn records_from_csv_and_lead() {
    let card = Scorecard::from_toml(CARD).unwrap();
    let r = LeadRecord::from_csv_row(
        &["employees", "title", "vip"],
        &["600", "", "yes"],
        &card.fields,
    );
    assert_eq!(r.get("employees"), &Value::Number(600.0));
    assert_eq!(r.get("title"), &Value::Null);
    assert_eq!(r.get("vip"), &Value::Bool(true));
    assert_eq!(card.score(&r, &[], now()).fit, 5.0 + 30.0 + 7.0 - 5.0);
}

proptest! {
    /// The column path gives exactly the row path's totals, grades and stages.
    #[test]
    fn batch_equals_row_by_row(
        rows in prop::collection::vec(
            (
                prop::option::of(prop_oneof![Just(f64::NAN), -10.0f64..1000.0, Just(50.0), Just(500.0)]),
                prop::option::of(prop_oneof![
                    Just("CEO".to_string()),
                    Just("sales director".to_string()),
                    Just("ceo-ish".to_string()),
                    Just(String::new()),
                    "[a-z ]{0,8}",
                ]),
                prop::option::of(prop_oneof![Just("CO"), Just("US"), Just("PE")]),
                prop::option::of(any::<bool>()),
                -20.0f64..20.0,
            ),
            0..40,
        )
    ) {
        let card = Scorecard::from_toml(CARD).unwrap();
        let employees: Vec<f64> = rows.iter().map(|r| r.0.unwrap_or(0.0)).collect();
        let emp_valid: Vec<bool> = rows.iter().map(|r| r.0.is_some()).collect();
        let titles: Vec<Option<&str>> = rows.iter().map(|r| r.1.as_deref()).collect();
        let country: Vec<Option<&str>> = rows.iter().map(|r| r.2).collect();
        let vip: Vec<bool> = rows.iter().map(|r| r.3.unwrap_or(false)).collect();
        let vip_valid: Vec<bool> = rows.iter().map(|r| r.3.is_some()).collect();
        let eng: Vec<f64> = rows.iter().map(|r| r.4).collect();
        let dense: Vec<f64> = rows.iter().map(|r| r.0.unwrap_or(f64::NAN)).collect();
        for emp_col in [
            Column::Number { values: &employees, valid: Some(&emp_valid) },
            Column::numbers(&dense),
        ] {
            let cols = [
                ("employees", emp_col),
                ("title", Column::Text(&titles)),
                ("country", Column::Text(&country)),
                ("vip", Column::Bool { values: &vip, valid: Some(&vip_valid) }),
            ];
            let batch = card.score_batch(&cols, Some(&eng)).unwrap();
            for (i, r) in rows.iter().enumerate() {
                let rec = LeadRecord::new()
                    .with("employees", r.0)
                    .with("title", r.1.clone())
                    .with("country", r.2)
                    .with("vip", r.3);
                let one = card.score(&rec, &[], now());
                prop_assert_eq!(batch.fit[i], one.fit);
                prop_assert_eq!(batch.total[i], one.fit + eng[i]);
                prop_assert_eq!(batch.grade[i], card.grades.grade(one.fit + eng[i]));
                prop_assert_eq!(batch.stage[i], card.stages.stage(one.fit + eng[i]));
            }
        }
    }

    /// Arbitrary text never makes loading panic.
    #[test]
    fn loading_never_panics(s in "\\PC{0,200}") {
        let _ = Scorecard::from_toml(&s);
        let _ = Scorecard::from_json(&s);
    }
}

#[test]
fn batch_rejects_ragged_columns() {
    let card = Scorecard::from_toml(CARD).unwrap();
    let a = [1.0, 2.0];
    let b = [Some("x")];
    let err = card
        .score_batch(
            &[
                ("employees", Column::numbers(&a)),
                ("title", Column::Text(&b)),
            ],
            None,
        )
        .unwrap_err();
    assert_eq!(err.code(), "invalid_scoring_data");
    assert!(card
        .score_batch(
            &[
                ("employees", Column::numbers(&a)),
                ("employees", Column::numbers(&a))
            ],
            None
        )
        .is_err());
    let empty = card.score_batch(&[], None).unwrap();
    assert!(empty.total.is_empty());
}

#[test]
fn engagement_from_normalized_events() {
    use arichat_core::{
        AuthorKind, Channel, Direction, Event, EventKind, MessageContent, Referral,
    };
    let msg = |direction, author| Event {
        idempotency_key: "k".into(),
        channel: Channel::Whatsapp,
        channel_account_id: "1".into(),
        tenant_id: None,
        contact: None,
        occurred_at: now(),
        business_connection_id: None,
        group_id: None,
        kind: EventKind::Message {
            message_id: "m".into(),
            direction,
            author,
            content: MessageContent::Text {
                body: "hola".into(),
            },
            reply_to: None,
            forwarded: false,
            referral: Some(Referral {
                source_id: Some("ad-9".into()),
                ..Referral::default()
            }),
        },
    };
    let got = EngagementEvent::from_event(&msg(Direction::Inbound, AuthorKind::Client));
    assert_eq!(got.len(), 2);
    assert_eq!(got[1].kind, EngagementKind::AdReferral);
    assert_eq!(got[1].payload.as_deref(), Some("ad-9"));
    let got = EngagementEvent::from_event(&msg(Direction::Outbound, AuthorKind::Agent));
    assert_eq!(got[0].kind, EngagementKind::AgentReply);
    assert!(EngagementEvent::from_event(&msg(Direction::Outbound, AuthorKind::System)).is_empty());
}

#[test]
fn enum_index_is_the_position_in_all() {
    for (i, g) in Grade::ALL.iter().enumerate() {
        assert_eq!(g.index(), i, "{g}");
    }
    for (i, s) in LifecycleStage::ALL.iter().enumerate() {
        assert_eq!(s.index(), i, "{s}");
    }
}
