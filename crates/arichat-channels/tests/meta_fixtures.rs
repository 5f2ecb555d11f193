//! Messenger and Instagram conformance: every JSON file under
//! `../shared/fixtures/{messenger,instagram}` (payloads from public test suites, see
//! its SOURCES.md) is handled, with mapped fields checked on a broad sample; plus
//! property tests on arbitrary input.
//!
//! Files that are not webhook bodies are handled for what they are: restfb's
//! `v10_0/instagram-message*.json` are Graph API message objects (not webhooks) and
//! must be rejected as `UnexpectedShape`; chatwoot's `instagram_message/*.json` hold
//! webhook entries under a factory attribute `messaging` and are wrapped as
//! `{"entry": [...]}`. chatwoot's Instagram factories are synthetic (no `object`, ISO
//! string times, fake ids) and are accepted as such.

mod common;

use std::collections::HashSet;
use std::path::{Path, PathBuf};

use arichat_channels::{normalize, ChannelError, NormalizeOptions};
use arichat_core::{
    AuthorKind, Channel, ChannelIdentity, ConsentSignal, DeliveryStatus, Direction, Event,
    EventKind, Media, MessageContent,
};
use chrono::{DateTime, TimeZone, Utc};
use proptest::prelude::*;
use serde_json::{json, Value};

fn fixtures() -> Option<PathBuf> {
    common::fixtures_root(&["messenger", "instagram"])
}

fn received() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2030, 1, 1, 0, 0, 0).unwrap()
}

fn opts() -> NormalizeOptions {
    NormalizeOptions::new(received())
}

fn ms(ms: i64) -> DateTime<Utc> {
    Utc.timestamp_millis_opt(ms).unwrap()
}

/// How a fixture file is fed to `normalize`.
enum Kind {
    /// A webhook body as is.
    Body(Vec<u8>),
    /// Not a webhook: must be rejected as `UnexpectedShape`.
    NotWebhook(Vec<u8>),
}

fn classify(path: &Path) -> Kind {
    let bytes = std::fs::read(path).unwrap();
    let p = path.to_string_lossy();
    if p.contains("/v10_0/instagram-message") {
        return Kind::NotWebhook(bytes);
    }
    if p.contains("/factories/instagram_message/") {
        let v: Value = serde_json::from_slice(&bytes).unwrap();
        return Kind::Body(json!({ "entry": v["messaging"] }).to_string().into_bytes());
    }
    Kind::Body(bytes)
}

fn channel_of(path: &Path, root: &Path) -> Channel {
    match path
        .strip_prefix(root)
        .unwrap()
        .iter()
        .next()
        .unwrap()
        .to_str()
    {
        Some("messenger") => Channel::Messenger,
        Some("instagram") => Channel::Instagram,
        other => panic!("{other:?}"),
    }
}

/// The entry id as the mapping reads it (string or number).
fn id_str(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

fn check_body(name: &str, channel: Channel, bytes: &[u8]) {
    let events = normalize(channel, bytes, &opts()).unwrap_or_else(|e| panic!("{name}: {e}"));
    let body: Value = serde_json::from_slice(bytes).unwrap();
    let mut items = 0;
    let mut accounts = HashSet::new();
    for entry in body["entry"].as_array().unwrap() {
        accounts.insert(id_str(&entry["id"]));
        for k in ["messaging", "standby", "changes"] {
            items += entry[k].as_array().map_or(0, Vec::len);
        }
    }
    assert!(items > 0, "{name}: no items");
    assert!(events.len() >= items, "{name}: {events:#?}");
    let mut keys = HashSet::new();
    for e in &events {
        assert_eq!(e.channel, channel, "{name}");
        assert!(accounts.contains(e.channel_account_id.as_str()), "{name}");
        let prefix = format!("{channel}:{}:", e.channel_account_id);
        assert!(
            e.idempotency_key.starts_with(&prefix),
            "{name}: {}",
            e.idempotency_key
        );
        assert!(
            keys.insert(e.idempotency_key.clone()),
            "{name}: duplicate key"
        );
        if let Some(c) = &e.contact {
            assert_eq!(c.identity.channel(), channel, "{name}");
            assert!(!c.identity.id().is_empty(), "{name}");
        }
        // Fixture times are all before the test's received_at: the vendor time was used.
        assert!(e.occurred_at < received(), "{name}: {e:?}");
    }
    // Deterministic: a redelivery gives the same events and keys.
    assert_eq!(
        normalize(channel, bytes, &opts()).unwrap(),
        events,
        "{name}"
    );
    // The other Meta channel rejects a body that names its object.
    let other = match channel {
        Channel::Messenger => Channel::Instagram,
        _ => Channel::Messenger,
    };
    if body.get("object").is_some() {
        assert!(
            matches!(
                normalize(other, bytes, &opts()),
                Err(ChannelError::UnexpectedShape { .. })
            ),
            "{name}"
        );
    }
}

#[test]
fn every_fixture_is_handled() {
    let Some(root) = fixtures() else { return };
    let mut files = Vec::new();
    common::json_files(&root.join("messenger"), &mut files);
    common::json_files(&root.join("instagram"), &mut files);
    files.sort();
    let (mut bodies, mut rejected) = (0, 0);
    for path in &files {
        let name = path.strip_prefix(&root).unwrap().display().to_string();
        let channel = channel_of(path, &root);
        match classify(path) {
            Kind::Body(bytes) => {
                check_body(&name, channel, &bytes);
                bodies += 1;
            }
            Kind::NotWebhook(bytes) => {
                let r = normalize(channel, &bytes, &opts());
                assert!(
                    matches!(r, Err(ChannelError::UnexpectedShape { .. })),
                    "{name}: {r:?}"
                );
                rejected += 1;
            }
        }
    }
    // 61 Messenger + 23 Instagram files (INVENTORY.md), 2 of them Graph objects.
    assert_eq!((bodies, rejected), (82, 2));
}

fn load(rel: &str) -> Option<Vec<Event>> {
    let root = fixtures()?;
    let path = root.join(rel);
    let channel = channel_of(&path, &root);
    let Kind::Body(bytes) = classify(&path) else {
        panic!("{rel} is not a body")
    };
    Some(normalize(channel, &bytes, &opts()).unwrap())
}

const MSG: &str = "messenger/restfb/src/test/resources/json/webhooks/";
const IG: &str = "instagram/restfb/src/test/resources/json/instagram/";
const CW: &str =
    "instagram/chatwoot/_converted/spec/factories/instagram/instagram_message_create_event__";

fn messenger(file: &str) -> Option<Vec<Event>> {
    load(&format!("{MSG}{file}"))
}

fn psid(e: &Event) -> &str {
    match &e.contact.as_ref().expect("contact").identity {
        ChannelIdentity::Messenger { psid } => psid,
        other => panic!("{other:?}"),
    }
}

fn igsid(e: &Event) -> &str {
    match &e.contact.as_ref().expect("contact").identity {
        ChannelIdentity::Instagram { igsid } => igsid,
        other => panic!("{other:?}"),
    }
}

/// (message id, direction, author, content, reply_to) of a message event.
fn msg(e: &Event) -> (&str, Direction, AuthorKind, &MessageContent, Option<&str>) {
    match &e.kind {
        EventKind::Message {
            message_id,
            direction,
            author,
            content,
            reply_to,
            ..
        } => (
            message_id.as_str(),
            *direction,
            *author,
            content,
            reply_to.as_ref().map(|r| r.as_str()),
        ),
        other => panic!("not a message: {other:?}"),
    }
}

fn text(s: &str) -> MessageContent {
    MessageContent::Text { body: s.into() }
}

fn unsupported_content(e: &Event) -> &str {
    match msg(e).3 {
        MessageContent::Unsupported { kind, .. } => kind,
        other => panic!("{other:?}"),
    }
}

fn unsupported_kind(e: &Event) -> &str {
    match &e.kind {
        EventKind::Unsupported { vendor_kind, .. } => vendor_kind,
        other => panic!("{other:?}"),
    }
}

#[test]
fn messenger_text_and_echoes() {
    let Some(e) = messenger("messaging-message-basic.json") else {
        return;
    };
    assert_eq!(e.len(), 1);
    assert_eq!(
        e[0].idempotency_key,
        "messenger:12345654332:msg:mid.1457764197618:41d102a3e1ae206a38"
    );
    assert_eq!(e[0].channel_account_id.as_str(), "12345654332");
    assert_eq!(psid(&e[0]), "987654321432");
    assert_eq!(e[0].occurred_at, ms(1_457_764_197_627));
    assert_eq!(
        msg(&e[0]),
        (
            "mid.1457764197618:41d102a3e1ae206a38",
            Direction::Inbound,
            AuthorKind::Client,
            &text("hello, world!"),
            None
        )
    );
    for file in [
        "messaging-message-basic-echo.json",
        "standby-message-basic-echo.json",
    ] {
        let e = messenger(file).unwrap();
        let (_, direction, author, content, _) = msg(&e[0]);
        assert_eq!(
            (direction, author),
            (Direction::Outbound, AuthorKind::Agent),
            "{file}"
        );
        assert_eq!(content, &text("hello, world!"));
        // The contact is the party that is not the page.
        assert_eq!(psid(&e[0]), "987654321432", "{file}");
    }
}

#[test]
fn messenger_contents() {
    let Some(e) = messenger("messaging-message-quickreply.json") else {
        return;
    };
    assert_eq!(e[0].channel_account_id.as_str(), "1234567890321");
    assert_eq!(e[0].occurred_at, ms(1_470_779_510_432));
    assert_eq!(
        msg(&e[0]).3,
        &MessageContent::InteractiveReply {
            id: "PAYLOAD_QUICK_REPLY".into(),
            title: "quick reply text".into(),
            flow_name: None,
        }
    );
    let e = messenger("messaging-message-location-attachment.json").unwrap();
    assert_eq!(
        msg(&e[0]).3,
        &MessageContent::Location {
            latitude: 12.34,
            longitude: 43.21,
            name: None,
            address: None
        }
    );
    let e = messenger("messaging-message-media-attachment.json").unwrap();
    assert_eq!(msg(&e[0]).0, "mid.1458696618141:b4ef9d19ec21086067");
    assert_eq!(
        msg(&e[0]).3,
        &MessageContent::Image(Media {
            url: Some("IMAGE_URL".into()),
            ..Media::default()
        })
    );
    let e = messenger("messaging-message-sticker.json").unwrap();
    assert_eq!(
        msg(&e[0]).3,
        &MessageContent::Sticker(Media {
            id: Some("56789012345678".into()),
            url: Some("https://scontent.xx.fbcdn.net/sticker.png".into()),
            ..Media::default()
        })
    );
    let e = messenger("messaging-message-fallback-attachment.json").unwrap();
    assert_eq!(unsupported_content(&e[0]), "fallback");
    let e = messenger("messaging-airline-itinerary-template.json").unwrap();
    assert_eq!(unsupported_content(&e[0]), "template");
    let e = messenger("messaging-message-isunsupported.json").unwrap();
    assert_eq!(unsupported_content(&e[0]), "unsupported");
    // Text plus the link preview Messenger attached to it: two parts.
    let e = messenger("messaging-message-nlp-url-2.json").unwrap();
    assert_eq!(e.len(), 2);
    assert_eq!(msg(&e[0]).3, &text("Please go to http://www.google.com"));
    assert_eq!(msg(&e[1]).0, "jHwnzSs3QupEbFatUOpnWy67x9QLy11IvvcmREs#1");
    assert_eq!(unsupported_content(&e[1]), "fallback");
    let e = messenger("messaging-message-nlp-temperature.json").unwrap();
    assert_eq!(msg(&e[0]).3, &text("it is 26°C in here"));
    assert_eq!(e[0].occurred_at, ms(1_501_623_672_530));
}

#[test]
fn messenger_replies_edits_unsends_reactions() {
    let Some(e) = messenger("messaging-message-reply-1.json") else {
        return;
    };
    assert_eq!(
        msg(&e[0]).4,
        Some("very_long_id_representing_the_original_message")
    );
    let e = messenger("messaging-message-reply-2.json").unwrap();
    assert_eq!(msg(&e[0]).4, Some("story:STORY_ID"));
    let e = messenger("messaging-message-edits.json").unwrap();
    assert_eq!(
        e[0].idempotency_key,
        "messenger:12345654332:edit:mid.1457764197618:41d102a3e1ae206a38:37"
    );
    assert_eq!(
        e[0].kind,
        EventKind::MessageEdited {
            message_id: "mid.1457764197618:41d102a3e1ae206a38".into(),
            content: text("hello, world!")
        }
    );
    let e = messenger("messaging-message-isdeleted.json").unwrap();
    assert_eq!(
        e[0].kind,
        EventKind::MessageDeleted {
            message_id: "message_id".into()
        }
    );
    let e = messenger("messaging-reaction-1.json").unwrap();
    assert_eq!(psid(&e[0]), "USER_ID");
    assert_eq!(e[0].occurred_at, ms(1_572_465_098_502));
    assert_eq!(
        msg(&e[0]).3,
        &MessageContent::Reaction {
            message_id: "original_message_id".into(),
            emoji: "😢".into()
        }
    );
    let e = messenger("messaging-reaction-2.json").unwrap();
    assert_eq!(
        msg(&e[0]).3,
        &MessageContent::Reaction {
            message_id: "original_message_id".into(),
            emoji: String::new()
        }
    );
}

#[test]
fn messenger_receipts_postbacks_referrals_optins() {
    let Some(e) = messenger("messaging-read-basic.json") else {
        return;
    };
    assert_eq!(
        e[0].kind,
        EventKind::Read {
            watermark: ms(1_458_668_856_253)
        }
    );
    assert_eq!(e[0].occurred_at, ms(1_458_668_856_463));
    let e = messenger("messaging-delivery-basic.json").unwrap();
    assert_eq!(
        e[0].kind,
        EventKind::Delivered {
            watermark: ms(1_458_668_856_253),
            message_ids: vec!["mid.1458668856218:ed81099e15d3f4f233".into()]
        }
    );
    // No item timestamp: the entry's time.
    assert_eq!(e[0].occurred_at, ms(1_458_668_856_451));
    let e = messenger("messaging-postback-referral.json").unwrap();
    assert_eq!(e.len(), 2);
    assert_eq!(
        e[0].kind,
        EventKind::Postback {
            payload: "USER_DEFINED_PAYLOAD".into(),
            title: None,
            message_id: None
        }
    );
    match &e[1].kind {
        EventKind::Referral { referral } => {
            assert_eq!(
                referral.r#ref.as_deref(),
                Some("ref_data_in_m_dot_me_param")
            );
            assert_eq!(referral.source_type.as_deref(), Some("SHORTLINK"));
        }
        other => panic!("{other:?}"),
    }
    let e = messenger("messaging-referral-basic.json").unwrap();
    assert_eq!(psid(&e[0]), "987654321432");
    assert!(matches!(&e[0].kind, EventKind::Referral { referral }
        if referral.r#ref.as_deref() == Some("ref_data_in_m_dot_me_param")));
    // A customer-chat guest: user_ref, no PSID.
    let e = messenger("messaging-postback-chat.json").unwrap();
    assert_eq!(e[0].contact, None);
    assert!(
        matches!(&e[0].kind, EventKind::Postback { payload, title: None, .. } if payload == "hey")
    );
    assert!(matches!(&e[1].kind, EventKind::Referral { referral }
        if referral.source_url.as_deref() == Some("https://www.xyz.com/abcd")));
    let e = messenger("messaging-optin-basic.json").unwrap();
    assert_eq!(
        e[0].kind,
        EventKind::Consent {
            signal: ConsentSignal::OptIn,
            detail: Some("PASS_THROUGH_PARAM".into())
        }
    );
    // `"timestamp": 1234567890` reads as epoch seconds.
    assert_eq!(
        e[0].occurred_at,
        Utc.timestamp_opt(1_234_567_890, 0).unwrap()
    );
}

#[test]
fn messenger_unmapped_items_are_kept() {
    let Some(e) = messenger("messaging-policy-callback-block.json") else {
        return;
    };
    assert_eq!(unsupported_kind(&e[0]), "policy-enforcement");
    assert_eq!(e[0].contact, None);
    for (file, kind) in [
        ("messaging-accountlinking-linked.json", "account_linking"),
        ("messaging-pass-thread-control.json", "pass_thread_control"),
        ("messaging-take-thread-control.json", "take_thread_control"),
        (
            "messaging-request-thread-control.json",
            "request_thread_control",
        ),
        ("messaging-approles.json", "app_roles"),
        ("messaging-payment.json", "payment"),
        ("messaging-checkoutupdate-shipping.json", "checkout_update"),
    ] {
        let e = messenger(file).unwrap();
        assert_eq!(e.len(), 1, "{file}");
        assert_eq!(unsupported_kind(&e[0]), kind, "{file}");
        match &e[0].kind {
            EventKind::Unsupported { raw, .. } => {
                assert!(raw.to_value().get(kind).is_some(), "{file}")
            }
            _ => unreachable!(),
        }
    }
    let e = messenger("messaging-message-prior.json").unwrap();
    assert_eq!(e.len(), 2);
    assert_eq!(msg(&e[0]).3, &text("Thanks for messaging me!"));
    assert_eq!(unsupported_kind(&e[1]), "prior_message");
}

#[test]
fn instagram_restfb() {
    let Some(e) = load(&format!("{IG}messaging-attachment-unsupported.json")) else {
        return;
    };
    assert_eq!(e[0].channel, Channel::Instagram);
    assert_eq!(e[0].channel_account_id.as_str(), "17841452691600098");
    assert_eq!(igsid(&e[0]), "5614879045272581");
    assert_eq!(e[0].occurred_at, ms(1_668_022_333_735));
    assert_eq!(unsupported_content(&e[0]), "unsupported_type");
    let e = load(&format!("{IG}messaging-seen.json")).unwrap();
    assert_eq!(
        e[0].kind,
        EventKind::Status {
            message_id: "MESSAGE-ID".into(),
            status: DeliveryStatus::Read,
            errors: vec![],
            billing: None
        }
    );
    let e = load(&format!("{IG}wh-mentions.json")).unwrap();
    assert_eq!(unsupported_kind(&e[0]), "mentions");
    assert_eq!(e[0].channel_account_id.as_str(), "0");
    // `changes` entries carry epoch seconds.
    assert_eq!(
        e[0].occurred_at,
        Utc.timestamp_opt(1_519_399_310, 0).unwrap()
    );
    let e = load(&format!("{IG}wh-comments-2021.json")).unwrap();
    assert_eq!(unsupported_kind(&e[0]), "comments");
}

#[test]
fn instagram_story_mentions_and_replies_open_the_window() {
    use arichat_core::{window::ServiceWindow, Conversation};
    let Some(_) = fixtures() else {
        return;
    };
    let cases = [
        ("instagram_story_mention_event.json", true),
        ("instagram_story_reply_event.json", true),
        // The echo of a story mention the business sent: outbound, opens nothing.
        ("instagram_story_mention_event_with_echo.json", false),
    ];
    for (file, opens) in cases {
        let events = load(&format!("{CW}{file}")).unwrap();
        let mut conversation = Conversation::new(
            "acme".into(),
            Channel::Instagram,
            events[0].channel_account_id.clone(),
            "c-1".into(),
        );
        for e in &events {
            if e.is_inbound_message() {
                conversation.record_inbound(e.occurred_at);
            }
        }
        let at = events[0].occurred_at;
        let window = ServiceWindow::of(&conversation);
        assert_eq!(
            window.is_open(at + chrono::Duration::hours(23)),
            opens,
            "{file}"
        );
        if opens {
            assert!(!window.is_open(at + chrono::Duration::hours(24)), "{file}");
        }
    }
}

#[test]
fn instagram_chatwoot_synthetic() {
    let iso = Utc.with_ymd_and_hms(2021, 9, 8, 6, 34, 4).unwrap();
    let Some(e) = load(&format!("{CW}instagram_message_reply_event.json")) else {
        return;
    };
    assert_eq!(
        e[0].idempotency_key,
        "instagram:instagram-message-id-123:msg:message-id-2"
    );
    assert_eq!(igsid(&e[0]), "Sender-id-1");
    assert_eq!(e[0].occurred_at, iso);
    assert_eq!(
        msg(&e[0]),
        (
            "message-id-2",
            Direction::Inbound,
            AuthorKind::Client,
            &text("This is message with replyto mid"),
            Some("message-id-1")
        )
    );
    let e = load(&format!("{CW}instagram_story_reply_event.json")).unwrap();
    assert_eq!(msg(&e[0]).4, Some("story:chatwoot-app-user-id-1"));
    let e = load(&format!("{CW}instagram_story_mention_event_with_echo.json")).unwrap();
    let (_, direction, author, _, _) = msg(&e[0]);
    assert_eq!(
        (direction, author),
        (Direction::Outbound, AuthorKind::Agent)
    );
    assert_eq!(igsid(&e[0]), "chatwoot-app-user-id-1");
    assert_eq!(unsupported_content(&e[0]), "story_mention");
    let e = load(&format!("{CW}instagram_shared_reel_event.json")).unwrap();
    assert_eq!(unsupported_content(&e[0]), "ig_reel");
    let e = load(&format!("{CW}instagram_message_unsend_event.json")).unwrap();
    assert_eq!(
        e[0].kind,
        EventKind::MessageDeleted {
            message_id: "message-id-to-delete".into()
        }
    );
    let e = load(&format!("{CW}instagram_message_standby_event.json")).unwrap();
    assert_eq!(
        msg(&e[0]).3,
        &text("This is the first standby message from the customer, after 24 hours.")
    );
    let e = load(&format!("{CW}instagram_test_text_event.json")).unwrap();
    // `"timestamp": "1527459824"`: a digit string of epoch seconds.
    assert_eq!(
        e[0].occurred_at,
        Utc.timestamp_opt(1_527_459_824, 0).unwrap()
    );
    assert_eq!(igsid(&e[0]), "12334");
    let e = load(&format!("{CW}instagram_test_event.json")).unwrap();
    assert_eq!(unsupported_kind(&e[0]), "messages");
    let e = load("instagram/chatwoot/_converted/spec/factories/instagram_message/incoming_messages__incoming_ig_text_message.json").unwrap();
    assert_eq!(
        msg(&e[0]).3,
        &text("This is the first message from the customer")
    );
}

fn arb_json() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(Value::from),
        any::<f64>().prop_map(|f| json!(f)),
        prop::sample::select(vec![
            "page",
            "instagram",
            "mid",
            "m_1",
            "react",
            "unreact",
            "image",
            "location",
            "STOP_NOTIFICATIONS",
            "2021-09-08T06:34:04+0000",
            "1527459824",
            "",
        ])
        .prop_map(Value::from),
        "\\PC{0,12}".prop_map(Value::from),
    ];
    let keys = prop::sample::select(vec![
        "object",
        "entry",
        "id",
        "time",
        "messaging",
        "standby",
        "changes",
        "field",
        "sender",
        "recipient",
        "timestamp",
        "message",
        "text",
        "attachments",
        "type",
        "payload",
        "url",
        "coordinates",
        "lat",
        "long",
        "quick_reply",
        "reply_to",
        "story",
        "is_echo",
        "is_deleted",
        "is_unsupported",
        "sticker_id",
        "referral",
        "ref",
        "message_edit",
        "num_edit",
        "reaction",
        "action",
        "emoji",
        "read",
        "watermark",
        "delivery",
        "mids",
        "postback",
        "title",
        "optin",
        "user_ref",
        "notification_messages_status",
        "x",
    ]);
    leaf.prop_recursive(6, 64, 6, move |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..4).prop_map(Value::from),
            prop::collection::btree_map(keys.clone().prop_map(String::from), inner, 0..6)
                .prop_map(|m| Value::Object(m.into_iter().collect())),
        ]
    })
}

proptest! {
    #[test]
    fn arbitrary_bytes_never_panic(bytes in prop::collection::vec(any::<u8>(), 0..512)) {
        for ch in [Channel::Messenger, Channel::Instagram] {
            if let Err(e) = normalize(ch, &bytes, &opts()) {
                let typed = matches!(e, ChannelError::InvalidJson { .. }
                    | ChannelError::UnexpectedShape { .. } | ChannelError::TooDeep { .. });
                prop_assert!(typed, "{}", e);
            }
        }
    }

    #[test]
    fn arbitrary_json_never_panics(v in arb_json()) {
        let bytes = v.to_string().into_bytes();
        for ch in [Channel::Messenger, Channel::Instagram] {
            if let Err(e) = normalize(ch, &bytes, &opts()) {
                let shape = matches!(e, ChannelError::UnexpectedShape { .. });
                prop_assert!(shape, "{}", e);
            }
        }
    }

    /// Arbitrary items in a valid envelope: never an error, at least one event each.
    #[test]
    fn arbitrary_items_each_give_events(items in prop::collection::vec(arb_json(), 0..5)) {
        let n = items.len();
        let body = json!({"object": "page", "entry": [{"id": "P", "time": 1, "messaging": items}]});
        let events = normalize(Channel::Messenger, body.to_string().as_bytes(), &opts()).unwrap();
        prop_assert!(events.len() >= n);
        prop_assert!(events.iter().all(|e| e.channel_account_id.as_str() == "P"));
    }
}
