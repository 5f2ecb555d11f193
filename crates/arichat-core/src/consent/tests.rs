use super::*;
use crate::{AuthorKind, ChannelIdentity, ContactRef};
use chrono::TimeZone;
use proptest::prelude::*;

fn t(h: i64) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 6, 1, 0, 0, 0).unwrap() + Duration::hours(h)
}

fn ana() -> ContactId {
    ContactId::new("ana")
}

fn agent(status: ConsentStatus, at: DateTime<Utc>) -> ConsentRecord {
    ConsentRecord {
        contact_id: ana(),
        channel: Channel::Whatsapp,
        status,
        at,
        evidence: ConsentEvidence::Agent {
            agent: "bob".into(),
            note: String::new(),
        },
    }
}

fn event(channel: Channel, kind: EventKind, at: DateTime<Utc>) -> Event {
    Event {
        idempotency_key: "k".into(),
        channel,
        channel_account_id: "acc".into(),
        tenant_id: None,
        contact: Some(ContactRef {
            identity: ChannelIdentity::Telegram {
                user_id: "1".into(),
            },
            display_name: None,
            phone: None,
        }),
        occurred_at: at,
        business_connection_id: None,
        group_id: None,
        kind,
    }
}

fn text(direction: Direction, body: &str) -> EventKind {
    EventKind::Message {
        message_id: "m1".into(),
        direction,
        author: AuthorKind::Client,
        content: MessageContent::Text { body: body.into() },
        reply_to: None,
        forwarded: false,
        referral: None,
    }
}

#[test]
fn latest_by_time_wins_even_out_of_order() {
    let mut l = ConsentLedger::default();
    assert_eq!(
        l.record(agent(ConsentStatus::OptedOut, t(5))),
        Recorded::Applied
    );
    // An older opt-in delivered late changes nothing.
    assert_eq!(
        l.record(agent(ConsentStatus::OptedIn, t(3))),
        Recorded::Stale
    );
    assert!(
        !l.may_send_marketing(&ana(), Channel::Whatsapp, t(6))
            .allowed
    );
    // A newer one does.
    assert_eq!(
        l.record(agent(ConsentStatus::OptedIn, t(7))),
        Recorded::Applied
    );
    assert!(
        l.may_send_marketing(&ana(), Channel::Whatsapp, t(8))
            .allowed
    );
    assert_eq!(l.len(), 1);
}

#[test]
fn same_instant_opt_out_wins() {
    let mut l = ConsentLedger::default();
    l.record(agent(ConsentStatus::OptedIn, t(1)));
    assert_eq!(
        l.record(agent(ConsentStatus::OptedOut, t(1))),
        Recorded::Applied
    );
    assert_eq!(
        l.record(agent(ConsentStatus::OptedIn, t(1))),
        Recorded::Stale
    );
    assert_eq!(
        l.record(agent(ConsentStatus::OptedOut, t(1))),
        Recorded::Stale
    );
    assert_eq!(
        l.get(&ana(), Channel::Whatsapp).unwrap().status,
        ConsentStatus::OptedOut
    );
}

#[test]
fn events_map_to_evidence() {
    let mut l = ConsentLedger::default();
    let c = ana();
    let consent = |signal, detail: Option<&str>| EventKind::Consent {
        signal,
        detail: detail.map(str::to_owned),
    };
    let cases = [
        (
            Channel::Telegram,
            consent(ConsentSignal::Blocked, Some("kicked")),
            ConsentStatus::OptedOut,
            ConsentEvidence::TelegramBlock,
        ),
        (
            Channel::Telegram,
            consent(ConsentSignal::OptIn, Some("member")),
            ConsentStatus::OptedIn,
            ConsentEvidence::TelegramUnblock,
        ),
        (
            Channel::Messenger,
            consent(ConsentSignal::OptIn, Some("spring-promo")),
            ConsentStatus::OptedIn,
            ConsentEvidence::MessengerOptIn {
                detail: Some("spring-promo".into()),
            },
        ),
        (
            Channel::Messenger,
            consent(ConsentSignal::OptOut, None),
            ConsentStatus::OptedOut,
            ConsentEvidence::Platform {
                signal: ConsentSignal::OptOut,
                detail: None,
            },
        ),
        (
            Channel::Whatsapp,
            text(Direction::Inbound, "  Stop! "),
            ConsentStatus::OptedOut,
            ConsentEvidence::StopKeyword {
                keyword: "stop".into(),
                message_id: Some("m1".into()),
            },
        ),
        (
            Channel::Instagram,
            text(Direction::Inbound, "ALTA"),
            ConsentStatus::OptedIn,
            ConsentEvidence::StartKeyword {
                keyword: "alta".into(),
                message_id: Some("m1".into()),
            },
        ),
        (
            Channel::Whatsapp,
            EventKind::Message {
                message_id: "m2".into(),
                direction: Direction::Inbound,
                author: AuthorKind::Client,
                content: MessageContent::InteractiveReply {
                    id: "x".into(),
                    title: "Stop promotions".into(),
                    flow_name: None,
                },
                reply_to: None,
                forwarded: false,
                referral: None,
            },
            ConsentStatus::OptedOut,
            ConsentEvidence::StopKeyword {
                keyword: "stop promotions".into(),
                message_id: Some("m2".into()),
            },
        ),
    ];
    for (i, (channel, kind, status, evidence)) in cases.into_iter().enumerate() {
        let at = t(i as i64);
        assert_eq!(
            l.record_event(&c, &event(channel, kind, at)),
            Some(Recorded::Applied)
        );
        let r = l.get(&c, channel).unwrap();
        assert_eq!(
            (r.status, &r.evidence, r.at),
            (status, &evidence, at),
            "case {i}"
        );
    }
    // Outbound "stop", ordinary text, other kinds: nothing.
    for kind in [
        text(Direction::Outbound, "STOP"),
        text(Direction::Inbound, "hola, cuanto cuesta?"),
        EventKind::Read { watermark: t(0) },
    ] {
        assert_eq!(
            l.record_event(&c, &event(Channel::Whatsapp, kind, t(99))),
            None
        );
    }
}

#[test]
fn messages_with_opt_out_intent() {
    let mut l = ConsentLedger::default();
    let c = ana();
    assert_eq!(
        l.record_message(
            &c,
            Channel::Telegram,
            "hola",
            &[Intent::Greeting],
            None,
            t(1)
        ),
        None
    );
    let long = "no me interesa ".repeat(100);
    assert_eq!(
        l.record_message(
            &c,
            Channel::Telegram,
            &long,
            &[Intent::OptOut],
            Some("m9".into()),
            t(2)
        ),
        Some(Recorded::Applied)
    );
    match &l.get(&c, Channel::Telegram).unwrap().evidence {
        ConsentEvidence::Message {
            text,
            intent,
            message_id,
        } => {
            assert_eq!(text.chars().count(), EVIDENCE_TEXT_MAX_CHARS);
            assert_eq!(*intent, Intent::OptOut);
            assert_eq!(message_id.as_ref().unwrap().as_str(), "m9");
        }
        other => panic!("{other:?}"),
    }
    // A START keyword later re-subscribes, even if the classifier saw no intent.
    l.record_message(&c, Channel::Telegram, "start", &[], None, t(3));
    assert!(l.may_send_marketing(&c, Channel::Telegram, t(3)).allowed);
}

#[test]
fn policy_answers() {
    let c = ana();
    let mut l = ConsentLedger::new(ConsentPolicy {
        require_opt_in: false,
        opt_in_max_age_days: Some(30),
    });
    let d = l.may_send_marketing(&c, Channel::Whatsapp, t(0));
    assert!(d.allowed);
    assert!(d.reason.contains("does not require"), "{}", d.reason);
    l.record(agent(ConsentStatus::OptedIn, t(10)));
    // Dated after now: not yet.
    let d = l.may_send_marketing(&c, Channel::Whatsapp, t(9));
    assert!(!d.allowed);
    assert!(d.reason.contains("after now"), "{}", d.reason);
    assert!(
        l.may_send_marketing(&c, Channel::Whatsapp, t(10 + 24 * 30))
            .allowed
    );
    let d = l.may_send_marketing(&c, Channel::Whatsapp, t(11 + 24 * 30));
    assert!(!d.allowed);
    assert_eq!(
        d.reason,
        "opt-in at 2026-06-01T10:00:00Z is older than 30 days: recorded by agent bob"
    );
    assert_eq!(d.record.unwrap().status, ConsentStatus::OptedIn);

    let strict = ConsentLedger::default();
    let d = strict.may_send_marketing(&c, Channel::Whatsapp, t(0));
    assert!(!d.allowed);
    assert_eq!(
        d.reason,
        "no consent recorded on whatsapp; marketing needs an opt-in"
    );
}

#[test]
fn json_state_round_trips_sorted() {
    let mut l = ConsentLedger::default();
    for (who, ch) in [
        ("zoe", Channel::Telegram),
        ("ana", Channel::Instagram),
        ("ana", Channel::Whatsapp),
    ] {
        l.record_manual(
            &ContactId::new(who),
            ch,
            ConsentStatus::OptedIn,
            ConsentEvidence::Import {
                source: "crm".into(),
            },
            t(1),
        );
    }
    let json = l.to_json();
    let v: serde_json::Value = serde_json::from_str(&json).unwrap();
    assert_eq!(v["policy"]["require_opt_in"], true);
    assert_eq!(v["records"][0]["contact_id"], "ana");
    assert_eq!(v["records"][0]["channel"], "whatsapp");
    assert_eq!(v["records"][1]["channel"], "instagram");
    assert_eq!(v["records"][2]["contact_id"], "zoe");
    assert_eq!(v["records"][0]["evidence"]["type"], "import");
    assert_eq!(v["records"][0]["status"], "opted_in");
    assert_eq!(ConsentLedger::from_json(&json).unwrap(), l);
    assert_eq!(
        ConsentLedger::from_json("{}").unwrap(),
        ConsentLedger::default()
    );
    let err = ConsentLedger::from_json(r#"{"records": [{"contact_id": 1}]}"#).unwrap_err();
    assert_eq!(err.code(), "invalid_json");
    // Duplicates resolve by time, whatever their order in the file.
    let dup = serde_json::json!({"records": [
        serde_json::to_value(agent(ConsentStatus::OptedOut, t(4))).unwrap(),
        serde_json::to_value(agent(ConsentStatus::OptedIn, t(2))).unwrap(),
    ]});
    let l = ConsentLedger::from_json(&dup.to_string()).unwrap();
    assert_eq!(l.len(), 1);
    assert_eq!(
        l.get(&ana(), Channel::Whatsapp).unwrap().status,
        ConsentStatus::OptedOut
    );
}

proptest! {
    /// Whatever order signals arrive in, the ledger ends with the latest one (an
    /// opt-out at a tie), so hosts may replay events in any order.
    #[test]
    fn order_of_arrival_does_not_matter(
        signals in proptest::collection::vec((0i64..20, any::<bool>(), 0usize..4), 1..30),
        seed in any::<u64>(),
    ) {
        let records: Vec<ConsentRecord> = signals
            .iter()
            .map(|(h, out, ch)| ConsentRecord {
                channel: Channel::ALL[*ch],
                ..agent(if *out { ConsentStatus::OptedOut } else { ConsentStatus::OptedIn }, t(*h))
            })
            .collect();
        let mut shuffled = records.clone();
        // A deterministic shuffle from the seed.
        let mut s = seed | 1;
        for i in (1..shuffled.len()).rev() {
            s ^= s << 13;
            s ^= s >> 7;
            s ^= s << 17;
            shuffled.swap(i, (s % (i as u64 + 1)) as usize);
        }
        let mut a = ConsentLedger::default();
        let mut b = ConsentLedger::default();
        records.into_iter().for_each(|r| { a.record(r); });
        shuffled.into_iter().for_each(|r| { b.record(r); });
        for ch in Channel::ALL {
            let sa = a.get(&ana(), ch).map(|r| (r.status, r.at));
            let sb = b.get(&ana(), ch).map(|r| (r.status, r.at));
            prop_assert_eq!(sa, sb);
            let expected = signals
                .iter()
                .filter(|(_, _, c)| Channel::ALL[*c] == ch)
                .map(|(h, out, _)| (*h, *out))
                .max();
            prop_assert_eq!(sa.map(|(s, at)| (at, s == ConsentStatus::OptedOut)), expected.map(|(h, out)| (t(h), out)));
        }
    }
}

#[test]
fn formatted_text_keywords_count_when_the_variant_exists() {
    // Telegram sends "/stop" with a bot_command entity as formatted text.
    let json = serde_json::json!({"type": "formatted_text", "body": "/stop", "entities": [{"type": "bot_command", "offset": 0, "length": 5}]});
    let Ok(content) = serde_json::from_value::<MessageContent>(json) else {
        return; // this build's MessageContent has no formatted text
    };
    assert_eq!(keyword_text(&content).as_deref(), Some("/stop"));
    let mut l = ConsentLedger::default();
    let kind = EventKind::Message {
        message_id: "m".into(),
        direction: Direction::Inbound,
        author: AuthorKind::Client,
        content,
        reply_to: None,
        forwarded: false,
        referral: None,
    };
    assert_eq!(
        l.record_event(&ana(), &event(Channel::Telegram, kind, t(1))),
        Some(Recorded::Applied)
    );
}
