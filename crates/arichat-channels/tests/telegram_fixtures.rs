//! Telegram conformance: every Telegram JSON file under `shared/fixtures` (real payloads
//! from public test suites) normalizes without error, with exact mapped fields checked
//! on a broad sample; plus property tests that no input panics.
//!
//! Fixture kinds (see `shared/fixtures/INDEX.tsv`): `Update` objects are sent as they
//! are; the `getUpdates` envelope `{ok, result}` too (one event per result item); bare
//! `Message` objects (teloxide / tgbot / telegram_types unit-test payloads) are wrapped
//! as `{"update_id": <n>, "message": <it>}`, which is how a bot receives them.

mod common;

use std::path::PathBuf;

use arichat_channels::{normalize, NormalizeOptions};
use arichat_core::{
    AuthorKind, Channel, ConsentSignal, Direction, Event, EventKind, Media, MessageContent,
};
use chrono::{DateTime, TimeZone, Utc};
use proptest::prelude::*;
use serde_json::{json, Value};

fn fixtures() -> Option<PathBuf> {
    common::fixtures_root(&["telegram"]).map(|r| r.join("telegram"))
}

const ACCOUNT: &str = "fx";

fn received() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 5, 1, 12, 0, 0).unwrap()
}

fn options() -> NormalizeOptions {
    NormalizeOptions::new(received()).with_account(ACCOUNT)
}

/// The body a bot would receive for this fixture, and how many events it must give.
fn body_of(bytes: &[u8], wrap_id: i64) -> (Vec<u8>, usize) {
    let v: Value = serde_json::from_slice(bytes).expect("fixture is JSON");
    if v.get("update_id").is_some() {
        (bytes.to_vec(), 1)
    } else if let Some(items) = v.get("result").and_then(Value::as_array) {
        (bytes.to_vec(), items.len())
    } else {
        let wrapped = json!({"update_id": wrap_id, "message": v});
        (serde_json::to_vec(&wrapped).unwrap(), 1)
    }
}

fn load(rel: &str) -> Option<Vec<Event>> {
    let dir = fixtures()?;
    let bytes = std::fs::read(dir.join(rel)).unwrap_or_else(|e| panic!("{rel}: {e}"));
    let (body, n) = body_of(&bytes, 1);
    let events = normalize(Channel::Telegram, &body, &options()).unwrap();
    assert_eq!(events.len(), n, "{rel}");
    Some(events)
}

fn one(rel: &str) -> Option<Event> {
    let mut events = load(rel)?;
    assert_eq!(events.len(), 1, "{rel}");
    Some(events.remove(0))
}

fn at(secs: i64) -> DateTime<Utc> {
    Utc.timestamp_opt(secs, 0).unwrap()
}

/// (message_id, direction, author, content, reply_to, forwarded) of a message event.
fn parts(
    e: &Event,
) -> (
    &str,
    Direction,
    AuthorKind,
    &MessageContent,
    Option<&str>,
    bool,
) {
    match &e.kind {
        EventKind::Message {
            message_id,
            direction,
            author,
            content,
            reply_to,
            forwarded,
            ..
        } => (
            message_id.as_str(),
            *direction,
            *author,
            content,
            reply_to.as_ref().map(|r| r.as_str()),
            *forwarded,
        ),
        other => panic!("not a message: {other:?}"),
    }
}

fn contact(e: &Event) -> (&str, Option<&str>) {
    let c = e.contact.as_ref().expect("contact");
    (c.identity.id(), c.display_name.as_deref())
}

#[test]
fn every_fixture_normalizes() {
    let Some(dir) = fixtures() else { return };
    let mut files = Vec::new();
    common::json_files(&dir, &mut files);
    files.sort();
    assert!(files.len() >= 196, "only {} Telegram fixtures", files.len());
    let (mut mapped, mut unsupported) = (0, 0);
    for (i, path) in files.iter().enumerate() {
        let bytes = std::fs::read(path).unwrap();
        let (body, n) = body_of(&bytes, 1_000_000 + i as i64);
        let events = normalize(Channel::Telegram, &body, &options())
            .unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        assert_eq!(events.len(), n, "{}", path.display());
        let v: Value = serde_json::from_slice(&body).unwrap();
        let ids: Vec<Option<i64>> = match v.get("result").and_then(Value::as_array) {
            Some(items) => items.iter().map(|u| u["update_id"].as_i64()).collect(),
            None => vec![v["update_id"].as_i64()],
        };
        for (e, id) in events.iter().zip(ids) {
            assert_eq!(e.channel, Channel::Telegram);
            assert_eq!(e.channel_account_id.as_str(), ACCOUNT);
            let id = id.expect("fixture updates have update_id");
            assert_eq!(e.idempotency_key, format!("telegram:{ACCOUNT}:{id}"));
            if let EventKind::Unsupported { raw, .. } = &e.kind {
                assert!(
                    !raw.to_value().is_null(),
                    "{}: unsupported without raw",
                    path.display()
                );
                unsupported += 1;
            } else {
                mapped += 1;
            }
        }
    }
    eprintln!("telegram fixtures: {mapped} mapped, {unsupported} unsupported events");
    assert!(mapped >= 60, "only {mapped} mapped events");
}

#[test]
fn text_message() {
    let Some(e) = one("telegram_types/res/message.json") else {
        return;
    };
    assert_eq!(e.idempotency_key, "telegram:fx:128526");
    assert_eq!(e.occurred_at, at(1_508_709_711));
    assert_eq!(contact(&e), ("12345678", Some("FirstName LastName")));
    let (id, dir, author, content, reply, fwd) = parts(&e);
    assert_eq!(id, "12345678:11223");
    assert_eq!((dir, author), (Direction::Inbound, AuthorKind::Client));
    assert_eq!(
        content,
        &MessageContent::Text {
            body: "Hi, world!".into()
        }
    );
    assert_eq!((reply, fwd), (None, false));
}

#[test]
fn photo_takes_the_largest_size_and_caption() {
    let Some(e) = one("telegram_types/res/message_with_photo.json") else {
        return;
    };
    assert_eq!(e.occurred_at, at(1_508_825_154));
    assert_eq!(
        parts(&e).3,
        &MessageContent::Image(Media {
            id: Some("AgADAgADOagxG8vyeUvsltCem_XPv5A6Sw0ABNXULc5u7jny5VkRAAEC".into()),
            caption: Some("photo description".into()),
            ..Media::default()
        })
    );
}

#[test]
fn voice_is_audio() {
    let Some(e) = one("telegram_types/res/message_with_voice.json") else {
        return;
    };
    assert_eq!(e.idempotency_key, "telegram:fx:123456789");
    assert_eq!(
        parts(&e).3,
        &MessageContent::Audio(Media {
            id: Some("AwADawAgADADy_JxS2gopIVIIxlhAg".into()),
            mime_type: Some("audio/ogg".into()),
            ..Media::default()
        })
    );
}

#[test]
fn sticker_and_forwarded_video() {
    let Some(e) =
        one("teloxide/_extracted/crates__teloxide-core__src__types__message__de_sticker__4.json")
    else {
        return;
    };
    assert_eq!(contact(&e), ("250918540", Some("Андрей Власов")));
    assert_eq!(e.occurred_at, at(1_568_290_188));
    let (id, _, _, content, _, _) = parts(&e);
    assert_eq!(id, "250918540:199787");
    assert_eq!(
        content,
        &MessageContent::Sticker(Media {
            id: Some(
                "CAACAgIAAxkBAAESLdBjMImep-J0W8XaTN6S_Lz1-j1QIQACIwADsND4DGmmygHGlyggKQQ".into()
            ),
            ..Media::default()
        })
    );
    let Some(e) = one("teloxide/_extracted/crates__teloxide-core__src__types__message__de_media_forwarded__0.json") else { return };
    assert_eq!(
        parts(&e).3,
        &MessageContent::Video(Media {
            id: Some("BAADAgADpgQAAgX9qEud6QcgPiOAlhYE".into()),
            mime_type: Some("video/mp4".into()),
            ..Media::default()
        })
    );
}

#[test]
fn reply_and_forward() {
    let Some(e) = one("telegram_types/res/reply_message.json") else {
        return;
    };
    let (id, _, _, content, reply, fwd) = parts(&e);
    assert_eq!(id, "12345678:12345");
    assert_eq!(reply, Some("12345678:12345"));
    assert!(!fwd);
    assert_eq!(
        content,
        &MessageContent::Text {
            body: "Reply to quoted message".into()
        }
    );
    let Some(e) = one("telegram_types/res/forwarded_message.json") else {
        return;
    };
    let (_, _, _, content, reply, fwd) = parts(&e);
    assert_eq!((reply, fwd), (None, true));
    assert_eq!(
        content,
        &MessageContent::Text {
            body: "message text".into()
        }
    );
}

#[test]
fn command_keeps_its_entity_and_reply_in_supergroup() {
    let Some(e) =
        one("teloxide/_extracted/crates__teloxide-core__src__types__update__issue_1107__2.json")
    else {
        return;
    };
    assert_eq!(e.idempotency_key, "telegram:fx:439432600");
    assert_eq!(e.occurred_at, at(1_721_592_580));
    assert_eq!(contact(&e), ("5964236329", Some("the Cable Guy")));
    let (id, dir, author, content, reply, _) = parts(&e);
    assert_eq!(id, "-1001293752024:134546");
    assert_eq!((dir, author), (Direction::Inbound, AuthorKind::Client));
    assert_eq!(reply, Some("-1001293752024:134545"));
    assert_eq!(
        content,
        &MessageContent::FormattedText {
            body: "/report".into(),
            entities: vec![json!({"length": 7, "offset": 0, "type": "bot_command"})],
        }
    );
}

#[test]
fn anonymous_admin_speaks_for_the_group() {
    let Some(e) =
        one("teloxide/_extracted/crates__teloxide-core__src__types__message__issue_419__6.json")
    else {
        return;
    };
    // `from` is the GroupAnonymousBot placeholder: the contact is the sender chat.
    assert_eq!(contact(&e), ("-1001160242915", Some("a")));
    assert_eq!(e.occurred_at, at(1_640_359_576));
    let (id, dir, author, content, _, fwd) = parts(&e);
    assert_eq!(id, "-1001160242915:1");
    assert_eq!(
        (dir, author, fwd),
        (Direction::Inbound, AuthorKind::Client, true)
    );
    assert_eq!(
        content,
        &MessageContent::Text {
            body: "text".into()
        }
    );
}

#[test]
fn edited_message() {
    let Some(e) = one("telegram_types/res/edited_message.json") else {
        return;
    };
    assert_eq!(e.occurred_at, at(1_508_825_379));
    assert_eq!(
        e.kind,
        EventKind::MessageEdited {
            message_id: "12345678:12345".into(),
            content: MessageContent::Text {
                body: "hi there (edited)".into()
            },
        }
    );
}

#[test]
fn channel_post_is_the_business_broadcasting() {
    let Some(e) = one("tgbot/_snapshots_update/tgbot__types__tests__update__channel_post.json")
    else {
        return;
    };
    assert_eq!(e.idempotency_key, "telegram:fx:1");
    assert_eq!(contact(&e), ("1", Some("Channel")));
    let (id, dir, author, content, _, _) = parts(&e);
    assert_eq!(id, "1:1111");
    assert_eq!((dir, author), (Direction::Outbound, AuthorKind::Agent));
    assert_eq!(
        content,
        &MessageContent::Text {
            body: "test message from channel".into()
        }
    );
    // date 0 falls back to the receive time.
    assert_eq!(e.occurred_at, received());
}

#[test]
fn callback_query_is_a_postback() {
    let Some(e) = one("telegram-bot-rs/raw/tests/update_assets/regression_test_208.json") else {
        return;
    };
    assert_eq!(e.idempotency_key, "telegram:fx:846954218");
    assert_eq!(contact(&e), ("900963191", Some("Aldis")));
    assert_eq!(
        e.kind,
        EventKind::Postback {
            payload: "test".into(),
            title: None,
            message_id: Some("-1001254477603:58".into()),
        }
    );
}

#[test]
fn blocking_the_bot_is_consent_blocked() {
    let Some(e) =
        one("teloxide/_extracted/crates__teloxide-core__src__types__update__issue_523__7.json")
    else {
        return;
    };
    assert_eq!(e.occurred_at, at(1_644_677_726));
    assert_eq!(contact(&e), ("0", Some("FN LN")));
    assert_eq!(
        e.kind,
        EventKind::Consent {
            signal: ConsentSignal::Blocked,
            detail: Some("kicked".into())
        }
    );
    // The bot kicked from a group is not a contact's consent: kept raw.
    let Some(e) = one("tgbot/_snapshots_update/tgbot__types__tests__update__bot_status.json")
    else {
        return;
    };
    assert!(
        matches!(&e.kind, EventKind::Unsupported { vendor_kind, .. } if vendor_kind == "my_chat_member")
    );
}

#[test]
fn location_and_contact_card() {
    let Some(e) = one("telegram_types/res/message_with_location.json") else {
        return;
    };
    assert!(matches!(
        parts(&e).3,
        MessageContent::Location { latitude, longitude, .. } if *latitude != 0.0 && *longitude != 0.0
    ));
    let Some(e) = one("tgbot/_snapshots_message/tgbot__types__tests__message__contact.json") else {
        return;
    };
    // The card has no user_id: not the sender's own number, so no phone on the contact.
    assert_eq!(e.contact.as_ref().unwrap().phone, None);
    assert_eq!(
        parts(&e).3,
        &MessageContent::Contacts {
            contacts: vec![json!({"first_name": "User", "phone_number": "+79001231212"})]
        }
    );
}

#[test]
fn unmapped_kinds_are_unsupported_with_raw_json() {
    let cases = [
        ("teloxide/_extracted/crates__teloxide-core__src__types__update__new_update_kind_error__6.json", "new_update_kind"),
        ("tgbot/_snapshots_update/tgbot__types__tests__update__unknown.json", "key"),
        ("telegram-bot-rs/raw/tests/update_assets/inline_query.json", "inline_query"),
        ("tgbot/_snapshots_update/tgbot__types__tests__update__poll.json", "poll"),
        ("telegram_types/res/pre_checkout_query.json", "pre_checkout_query"),
        ("tgbot/_snapshots_message/tgbot__types__tests__message__new_chat_members.json", "message.new_chat_members"),
    ];
    for (rel, kind) in cases {
        let Some(e) = one(rel) else { return };
        let raw_file: Value =
            serde_json::from_slice(&std::fs::read(fixtures().unwrap().join(rel)).unwrap()).unwrap();
        match &e.kind {
            EventKind::Unsupported { vendor_kind, raw } => {
                assert_eq!(vendor_kind, kind, "{rel}");
                if raw_file.get("update_id").is_some() {
                    assert_eq!(raw, &raw_file, "{rel}");
                } else {
                    assert_eq!(raw.to_value()["message"], raw_file, "{rel}");
                }
            }
            other => panic!("{rel}: {other:?}"),
        }
    }
}

fn tg_fixture(rel: &str) -> Option<Value> {
    let bytes = std::fs::read(fixtures()?.join(rel)).unwrap();
    Some(serde_json::from_slice(&bytes).unwrap())
}

fn run(body: &Value) -> Vec<Event> {
    normalize(Channel::Telegram, body.to_string().as_bytes(), &options()).unwrap()
}

/// Telegram Business (tgbot's Update snapshots, ../shared/fixtures/SOURCES.md; the
/// `business_connection_id` field as the Bot API documents it on `Message`): a client's
/// message is inbound, the business's own outbound; every event names its connection.
#[test]
fn business_updates_are_mapped_with_their_connection() {
    const DIR: &str = "tgbot/_snapshots_update/tgbot__types__tests__update__";
    let Some(mut body) = tg_fixture(&format!("{DIR}business_message.json")) else {
        return;
    };
    body["business_message"]["business_connection_id"] = json!("BC1");
    let events = run(&body);
    assert_eq!(events.len(), 1);
    let e = &events[0];
    assert_eq!(e.business_connection_id.as_deref(), Some("BC1"));
    let (id, direction, author, content, ..) = parts(e);
    assert_eq!(
        (id, direction, author),
        ("1:1", Direction::Inbound, AuthorKind::Client)
    );
    assert_eq!(
        content,
        &MessageContent::Text {
            body: "message-text".into()
        }
    );
    assert_eq!(e.contact.as_ref().unwrap().identity.id(), "1");
    assert_eq!(
        serde_json::to_value(e).unwrap()["business_connection_id"],
        "BC1"
    );

    // The business account (user 9) answering the client (chat 1): outbound, the
    // client stays the contact.
    body["business_message"]["from"]["id"] = json!(9);
    let e = &run(&body)[0];
    let (_, direction, author, ..) = parts(e);
    assert_eq!(
        (direction, author),
        (Direction::Outbound, AuthorKind::Agent)
    );
    assert_eq!(e.contact.as_ref().unwrap().identity.id(), "1");

    let Some(mut body) = tg_fixture(&format!("{DIR}edited_business_message.json")) else {
        return;
    };
    body["edited_business_message"]["business_connection_id"] = json!("BC1");
    let e = &run(&body)[0];
    assert!(matches!(e.kind, EventKind::MessageEdited { .. }), "{e:?}");
    assert_eq!(e.business_connection_id.as_deref(), Some("BC1"));

    let Some(body) = tg_fixture(&format!("{DIR}deleted_business_messages.json")) else {
        return;
    };
    let events = run(&body);
    assert_eq!(events.len(), 1);
    assert_eq!(
        events[0].kind,
        EventKind::MessageDeleted {
            message_id: arichat_core::MessageId::new("1:2")
        }
    );
    assert_eq!(events[0].business_connection_id.as_deref(), Some("id"));
    assert_eq!(events[0].contact.as_ref().unwrap().identity.id(), "1");

    let Some(body) = tg_fixture(&format!("{DIR}business_connection.json")) else {
        return;
    };
    let e = &run(&body)[0];
    assert_eq!(
        e.kind,
        EventKind::Consent {
            signal: arichat_core::ConsentSignal::OptOut,
            detail: Some("business_connection".into())
        }
    );
    assert_eq!(e.business_connection_id.as_deref(), Some("id"));
    assert_eq!(e.contact.as_ref().unwrap().identity.id(), "1");
}

/// An update carrying several kinds keeps each (TelegramBots' upstream `Update.json`
/// does this, see SOURCES.md; here two real tgbot snapshots merged into one update).
#[test]
fn an_update_with_several_kinds_keeps_all() {
    const DIR: &str = "tgbot/_snapshots_update/tgbot__types__tests__update__";
    let (Some(mut body), Some(poll)) = (
        tg_fixture(&format!("{DIR}message.json")),
        tg_fixture(&format!("{DIR}poll.json")),
    ) else {
        return;
    };
    let business = tg_fixture(&format!("{DIR}business_connection.json")).unwrap();
    body["poll"] = poll["poll"].clone();
    body["business_connection"] = business["business_connection"].clone();
    let events = run(&body);
    let kinds: Vec<&str> = events.iter().map(|e| e.kind.name()).collect();
    assert_eq!(kinds, ["message", "consent", "unsupported"], "{events:#?}");
    let EventKind::Unsupported { vendor_kind, raw } = &events[2].kind else {
        panic!()
    };
    assert_eq!(vendor_kind, "poll");
    assert_eq!(raw.to_value()["poll"], poll["poll"]);
    let id = body["update_id"].as_i64().unwrap();
    assert_eq!(
        events[0].idempotency_key,
        format!("telegram:{ACCOUNT}:{id}")
    );
    assert_eq!(
        events[1].idempotency_key,
        format!("telegram:{ACCOUNT}:{id}:1")
    );
    assert_eq!(
        events[2].idempotency_key,
        format!("telegram:{ACCOUNT}:{id}:2")
    );
}

#[test]
fn get_updates_envelope() {
    let Some(events) = load(
        "TelegramBots/telegrambots-meta/src/test/resources/fixtures/update-with-write-access-allowed-for-webapp.json",
    ) else {
        return;
    };
    let e = &events[0];
    assert_eq!(e.idempotency_key, "telegram:fx:329421221");
    assert_eq!(e.occurred_at, at(1_707_944_280));
    assert_eq!(contact(e), ("11111111", Some("Alice Bob")));
    // A service message (write access granted): kept raw.
    assert!(
        matches!(&e.kind, EventKind::Unsupported { vendor_kind, .. } if vendor_kind == "message.write_access_allowed")
    );
}

fn arb_json() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::from),
        any::<i64>().prop_map(Value::from),
        any::<f64>()
            .prop_filter("finite", |f| f.is_finite())
            .prop_map(Value::from),
        ".{0,12}".prop_map(Value::from),
        // Field names and values Telegram uses, so generated objects reach the mapping.
        prop::sample::select(vec![
            "private",
            "channel",
            "kicked",
            "member",
            "text",
            "/start",
            "+573001234567",
        ])
        .prop_map(Value::from),
    ];
    leaf.prop_recursive(5, 48, 6, |inner| {
        let key = prop::sample::select(vec![
            "update_id",
            "message",
            "edited_message",
            "channel_post",
            "callback_query",
            "my_chat_member",
            "message_id",
            "date",
            "chat",
            "from",
            "id",
            "type",
            "text",
            "entities",
            "offset",
            "length",
            "photo",
            "file_id",
            "contact",
            "user_id",
            "phone_number",
            "reply_to_message",
            "status",
            "new_chat_member",
            "data",
            "ok",
            "result",
            "caption",
            "venue",
            "location",
            "latitude",
            "longitude",
            "x",
        ]);
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..4).prop_map(Value::from),
            prop::collection::btree_map(key.prop_map(str::to_owned), inner, 0..6)
                .prop_map(|m| Value::Object(m.into_iter().collect())),
        ]
    })
}

fn check(body: &[u8]) {
    match normalize(Channel::Telegram, body, &options()) {
        Ok(events) => {
            for e in events {
                assert_eq!(e.channel, Channel::Telegram);
            }
        }
        Err(e) => assert!(
            [
                "invalid_json",
                "unexpected_shape",
                "body_too_deep",
                "body_too_large"
            ]
            .contains(&e.code()),
            "{e}"
        ),
    }
}

proptest! {
    #[test]
    fn structured_messages_never_panic(
        text in "\\PC{0,20}|[\\x00-\\x1f a-z\u{300}-\u{36f}😀\r\n]{0,20}",
        ranges in prop::collection::vec((0u64..40, 0u64..40), 0..5),
        phone in prop_oneof![Just("+573001234567".to_owned()), ".{0,16}".prop_map(|s| s)],
        from in any::<i64>(),
        date in any::<i64>(),
    ) {
        let entities: Vec<Value> = ranges
            .iter()
            .map(|(o, l)| json!({"type": "bold", "offset": o, "length": l}))
            .collect();
        let chat = json!({"id": from, "type": "private"});
        let user = json!({"id": from, "is_bot": false, "first_name": text});
        for extra in [
            json!({"text": text, "entities": entities}),
            json!({"photo": [], "caption": text}),
            json!({"contact": {"phone_number": phone, "first_name": "a", "user_id": from}}),
        ] {
            let mut m = json!({"message_id": 1, "date": date, "chat": chat, "from": user});
            for (k, v) in extra.as_object().unwrap() {
                m[k] = v.clone();
            }
            check(&serde_json::to_vec(&json!({"update_id": 1, "message": m})).unwrap());
            check(&serde_json::to_vec(&json!({"update_id": 1, "edited_message": m})).unwrap());
        }
    }

    #[test]
    fn arbitrary_bytes_never_panic(body in prop::collection::vec(any::<u8>(), 0..512)) {
        check(&body);
    }

    #[test]
    fn arbitrary_json_never_panics(v in arb_json()) {
        check(&serde_json::to_vec(&v).unwrap());
    }

    #[test]
    fn arbitrary_updates_never_panic(id in any::<i64>(), m in arb_json(), kind in prop::sample::select(vec![
        "message", "edited_message", "channel_post", "edited_channel_post", "callback_query", "my_chat_member",
    ])) {
        let body = json!({"update_id": id, kind: m});
        check(&serde_json::to_vec(&body).unwrap());
        let envelope = json!({"ok": true, "result": [body, m]});
        check(&serde_json::to_vec(&envelope).unwrap());
    }
}
