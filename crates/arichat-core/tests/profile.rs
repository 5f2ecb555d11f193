//! Profiles built from events: what each field counts, merging identities, replay,
//! serde round trip, RFM cuts, and the fields scorecards read.

#[path = "support/bless.rs"]
mod bless;

use arichat_core::profile::{
    Money, Observation, Profile, ProfileBuilder, ProfileConfig, ProfileSet, RfmCuts,
};
use arichat_core::scoring::LeadRecord;
use arichat_core::{
    AuthorKind, Channel, ChannelAccountId, ChannelIdentity, ConsentSignal, ContactRef, Direction,
    Event, EventKind, MessageContent, MessageId,
};
use chrono::{DateTime, Duration, TimeZone, Utc};

fn t(day: u32, hour: u32) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, day, hour, 0, 0).unwrap()
}

fn contact(identity: ChannelIdentity) -> Option<ContactRef> {
    Some(ContactRef {
        identity,
        display_name: None,
        phone: None,
    })
}

fn wa() -> ChannelIdentity {
    ChannelIdentity::whatsapp("573001234567").unwrap()
}

fn tg() -> ChannelIdentity {
    ChannelIdentity::Telegram {
        user_id: "777".into(),
    }
}

fn message(
    n: u32,
    identity: ChannelIdentity,
    at: DateTime<Utc>,
    direction: Direction,
    author: AuthorKind,
    text: &str,
) -> Event {
    let channel = identity.channel();
    Event::new(
        format!("{channel}:acct:msg:{n}"),
        channel,
        ChannelAccountId::new("acct"),
        contact(identity),
        at,
        EventKind::Message {
            message_id: MessageId::new(format!("m{n}")),
            direction,
            author,
            content: MessageContent::Text { body: text.into() },
            reply_to: None,
            forwarded: false,
            referral: None,
        },
    )
}

fn inbound(n: u32, identity: ChannelIdentity, at: DateTime<Utc>, text: &str) -> Event {
    message(
        n,
        identity,
        at,
        Direction::Inbound,
        AuthorKind::Client,
        text,
    )
}

fn config() -> ProfileConfig {
    ProfileConfig::default()
        .with_utc_offset(Duration::hours(-5))
        .with_interests(["tubo", "crédito", "tarjeta"])
}

/// A month of one customer on two channels.
fn history() -> Vec<Event> {
    vec![
        inbound(
            1,
            wa(),
            t(2, 20),
            "hola, cuánto cuestan los tubos de 2 pulgadas?",
        ),
        message(
            2,
            wa(),
            t(2, 21),
            Direction::Outbound,
            AuthorKind::Agent,
            "buenas! $12.000 c/u",
        ),
        inbound(3, wa(), t(3, 20), "y si llevo 10 tubos?"),
        inbound(4, wa(), t(3, 20), "me hacen descuento?"),
        message(
            5,
            wa(),
            t(3, 23),
            Direction::Outbound,
            AuthorKind::Agent,
            "10% en 10 unidades",
        ),
        inbound(6, tg(), t(20, 15), "quiero pedir la tarjeta de crédito"),
        message(
            7,
            tg(),
            t(20, 15),
            Direction::Outbound,
            AuthorKind::Bot,
            "¡Claro!",
        ),
    ]
}

#[test]
fn a_month_of_messages_fills_every_field() {
    let mut set = ProfileSet::new(ProfileBuilder::new(config()));
    for e in history() {
        set.apply(&e);
    }
    assert_eq!(
        set.len(),
        2,
        "WhatsApp and Telegram are not known to be one person yet"
    );
    let p = set.get("whatsapp:wa_id:573001234567").unwrap();
    assert_eq!((p.messages_in, p.messages_out), (3, 2));
    assert_eq!(p.first_seen, Some(t(2, 20)));
    assert_eq!(p.last_seen, Some(t(3, 23)));
    // 20:00 UTC is 15:00 at UTC-5.
    assert_eq!(p.hours[15], 3);
    assert_eq!(p.active_hour(), Some(15));
    assert_eq!(p.interest_terms(), vec!["tubo"]);
    assert_eq!(p.language().map(|l| l.as_str()), Some("es"));
    // Answered after 1 h, then after 3 h (from the first unanswered message).
    assert_eq!(p.response.count, 2);
    assert_eq!(p.response.mean_secs(), Some(2 * 3600));
    assert_eq!(p.response.max_secs, 3 * 3600);
    assert_eq!(p.waiting_since, None);
    assert!(!p.recent_intents.is_empty());
}

#[test]
fn linking_two_identities_merges_their_profiles_as_if_one_from_the_start() {
    let cfg = config();
    let mut split = ProfileSet::new(ProfileBuilder::new(cfg.clone()));
    for e in history() {
        split.apply(&e);
    }
    assert!(split.link("whatsapp:wa_id:573001234567", "telegram:user:777"));
    assert_eq!(split.len(), 1);
    let merged = split.get("telegram:user:777").unwrap().clone();
    assert_eq!(split.get("whatsapp:wa_id:573001234567"), Some(&merged));

    // The same events applied to one profile from the start.
    let builder = ProfileBuilder::new(cfg.clone());
    let mut one = Profile::default();
    for e in history() {
        one.apply(&builder.observe(&e), &cfg);
    }
    assert_eq!(merged.identities, one.identities);
    assert_eq!((merged.messages_in, merged.messages_out), (4, 3));
    assert_eq!(merged.hours, one.hours);
    assert_eq!(merged.recent_intents, one.recent_intents);
    assert_eq!(merged.response, one.response);
    let now = t(30, 0);
    assert!((merged.inbound_weight(now, &cfg) - one.inbound_weight(now, &cfg)).abs() < 1e-9);
    assert_eq!(
        merged.preferred_channel(now, &cfg),
        one.preferred_channel(now, &cfg)
    );
    assert_eq!(merged.interest_terms(), one.interest_terms());
}

#[test]
fn a_whatsapp_id_change_keeps_one_profile() {
    use arichat_core::{IdentityChange, WhatsappIdKind};
    let mut set = ProfileSet::new(ProfileBuilder::new(config()));
    set.apply(&inbound(1, wa(), t(2, 10), "hola"));
    let change =
        IdentityChange::new(WhatsappIdKind::UserId, None, "CO.1234567890123456789").unwrap();
    set.apply(&Event::new(
        "whatsapp:acct:idchange:1".into(),
        Channel::Whatsapp,
        ChannelAccountId::new("acct"),
        contact(wa()),
        t(2, 11),
        EventKind::IdentityChanged {
            changes: vec![change],
        },
    ));
    let bsuid = ChannelIdentity::Whatsapp(arichat_core::WhatsappIdentity::from_bsuid(
        arichat_core::Bsuid::parse("CO.1234567890123456789").unwrap(),
    ));
    set.apply(&inbound(2, bsuid, t(2, 12), "sigo interesado"));
    assert_eq!(set.len(), 1);
    let p = set.get("whatsapp:bsuid:CO.1234567890123456789").unwrap();
    assert_eq!(p.messages_in, 2);
    assert!(p.identities.contains("whatsapp:wa_id:573001234567"));
}

#[test]
fn replaying_the_same_events_rebuilds_the_same_profiles_and_json_round_trips() {
    let build = || {
        let mut set = ProfileSet::new(ProfileBuilder::new(config()));
        for e in history() {
            set.apply(&e);
        }
        set.iter().cloned().collect::<Vec<Profile>>()
    };
    let (a, b) = (build(), build());
    assert_eq!(
        serde_json::to_string(&a).unwrap(),
        serde_json::to_string(&b).unwrap()
    );
    assert_eq!(a, b);
    let json = serde_json::to_string(&a).unwrap();
    assert_eq!(json, serde_json::to_string(&b).unwrap());
    let back: Vec<Profile> = serde_json::from_str(&json).unwrap();
    assert_eq!(back, a);
}

#[test]
fn group_messages_count_as_seen_not_as_engagement_and_consent_is_the_latest() {
    let mut set = ProfileSet::new(ProfileBuilder::new(config()));
    let group = inbound(1, wa(), t(5, 10), "tubos baratos")
        .in_group(Some(arichat_core::GroupId::new("g1")));
    set.apply(&group);
    let p = set.get("whatsapp:wa_id:573001234567").unwrap();
    assert_eq!((p.messages_in, p.last_seen), (0, Some(t(5, 10))));
    assert!(p.interests.is_empty());
    let consent = |n: u32, at, signal| {
        Event::new(
            format!("whatsapp:acct:consent:{n}"),
            Channel::Whatsapp,
            ChannelAccountId::new("acct"),
            contact(wa()),
            at,
            EventKind::Consent {
                signal,
                detail: None,
            },
        )
    };
    set.apply(&consent(2, t(6, 10), ConsentSignal::OptOut));
    set.apply(&consent(1, t(6, 9), ConsentSignal::OptIn)); // late, older
    let p = set.get("whatsapp:wa_id:573001234567").unwrap();
    assert_eq!(p.consent.map(|c| c.signal), Some(ConsentSignal::OptOut));
}

#[test]
fn rfm_cuts_fit_quintiles_and_score_one_to_five() {
    let cfg = ProfileConfig::default();
    let now = t(30, 0);
    let profiles: Vec<Profile> = (0..50u32)
        .map(|i| {
            let mut p = Profile::default();
            let key = format!("telegram:user:{i}");
            for k in 0..=(i % 10) {
                let obs = Observation {
                    at: Some(
                        now - Duration::days(i64::from(i % 25)) - Duration::minutes(i64::from(k)),
                    ),
                    channel: Some(Channel::Telegram),
                    message: Some((Direction::Inbound, AuthorKind::Client)),
                    identities: vec![key.clone()],
                    paid: if k == 0 {
                        vec![Money {
                            currency: "COP".into(),
                            minor: i64::from(i) * 100_000,
                        }]
                    } else {
                        vec![]
                    },
                    ..Observation::default()
                };
                p.apply(&obs, &cfg);
            }
            p
        })
        .collect();
    let cuts = RfmCuts::fit(&profiles, now, &cfg, None);
    assert_eq!(cuts.currency.as_deref(), Some("COP"));
    assert!(cuts.recency_days.windows(2).all(|w| w[0] <= w[1]));
    let scores: Vec<_> = profiles.iter().map(|p| cuts.score(p, now, &cfg)).collect();
    for dim in [
        scores.iter().map(|s| s.recency).collect::<Vec<_>>(),
        scores.iter().map(|s| s.frequency).collect(),
        scores.iter().map(|s| s.monetary).collect(),
    ] {
        assert!(dim.iter().all(|s| (1..=5).contains(s)));
        assert!(dim.contains(&1) && dim.contains(&5), "{dim:?}");
    }
    // The most recent, most frequent, highest payer beats the oldest, rarest, lowest.
    let best = cuts.score(&profiles[49], now, &cfg);
    let worst = cuts.score(&profiles[0], now, &cfg);
    assert!(best.monetary > worst.monetary);
    let json = serde_json::to_string(&cuts).unwrap();
    assert_eq!(serde_json::from_str::<RfmCuts>(&json).unwrap(), cuts);
}

#[test]
fn profile_fields_feed_a_scorecard_rule() {
    let cfg = config();
    let mut set = ProfileSet::new(ProfileBuilder::new(cfg.clone()));
    for e in history() {
        set.apply(&e);
    }
    let p = set.get("whatsapp:wa_id:573001234567").unwrap();
    let mut record = LeadRecord::new();
    p.fill_record(&mut record, t(4, 0), &cfg, Some(&RfmCuts::default()));
    assert_eq!(
        record.get("profile_preferred_channel").to_string(),
        "whatsapp"
    );
    assert_eq!(record.get("profile_interests").to_string(), "tubo");
    assert_eq!(record.get("profile_messages_in").as_f64(), Some(3.0));
    assert_eq!(record.get("profile_rfm_recency").as_f64(), Some(5.0));

    let card = arichat_core::scoring::Scorecard::from_toml(
        r#"
        name = "profile-demo"
        [fields]
        profile_days_since_inbound = "number"
        [[fit]]
        id = "tubos"
        field = "profile_interests"
        contains = "tubo"
        points = 30
        [[fit]]
        id = "recent"
        field = "profile_days_since_inbound"
        range = { lte = 7 }
        points = 20
        "#,
    )
    .unwrap();
    let score = card.score(&record, &[], t(4, 0));
    assert_eq!(score.fit, 50.0, "{score:?}");
}

/// `tests/vectors/profiles.json`, the profiles every runtime must give.
#[test]
fn conformance_vectors() {
    use arichat_core::profile::ProfileOptions;
    use serde_json::{json, Value};
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../tests/vectors/profiles.json"
    );
    let mut doc: Value = serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    let options: ProfileOptions = serde_json::from_value(doc["options"].clone()).unwrap();
    let config = options.into_config();
    let builder = ProfileBuilder::new(config.clone());
    let mut set = ProfileSet::new(builder);
    let mut keys = Vec::new();
    for e in doc["events"].as_array().unwrap() {
        let event: Event = serde_json::from_value(e.clone()).unwrap();
        keys.push(arichat_core::profile::event_identity_keys(&event));
        set.apply(&event);
    }
    for pair in doc["links"].as_array().unwrap() {
        assert!(set.link(pair[0].as_str().unwrap(), pair[1].as_str().unwrap()));
    }
    let now: DateTime<Utc> = doc["now"].as_str().unwrap().parse().unwrap();
    let profiles: Vec<Profile> = set.iter().cloned().collect();
    let cuts = RfmCuts::fit(&profiles, now, &config, None);
    let rfm: Vec<_> = profiles
        .iter()
        .map(|p| cuts.score(p, now, &config))
        .collect();
    let got = json!({ "profiles": profiles, "keys": keys, "rfm_cuts": cuts, "rfm": rfm });
    if bless::blessing() {
        doc["expected"] = got;
        bless::write_json(path, &doc);
        return;
    }
    assert_eq!(
        got, doc["expected"],
        "run with ARICHAT_BLESS=1 after an intended change"
    );
    // The profiles read back from the vectors are the same values.
    let back: Vec<Profile> = serde_json::from_value(doc["expected"]["profiles"].clone()).unwrap();
    assert_eq!(back, profiles);
}
