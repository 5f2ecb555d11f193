//! Per-item isolation across channels (issue 11): one malformed item costs that item
//! only, a body with too many items fails with a typed error, and no error or reason
//! quotes a value of the body.
//!
//! Bodies follow the shapes of the real fixtures (`whatsapp_fixtures.rs`,
//! `meta_fixtures.rs`, `telegram_fixtures.rs`) with the personal data planted below.

use arichat_channels::{normalize, ChannelError, NormalizeOptions};
use arichat_core::{Channel, Event, EventKind, MessageContent};

const EMAIL: &str = "ana.perez@example.com";
const PHONE: &str = "573001234567";

fn opts() -> NormalizeOptions {
    NormalizeOptions::new(chrono::Utc::now()).with_account("bot1")
}

fn wa_message(i: usize, text: &str) -> String {
    format!(
        r#"{{"from":"{PHONE}","id":"wamid.HBgM{i}","timestamp":"1700000000","type":"text","text":{{"body":"{text}"}}}}"#
    )
}

fn wa_body(messages: &[String]) -> Vec<u8> {
    format!(
        r#"{{"object":"whatsapp_business_account","entry":[{{"id":"102290129340398","changes":[{{"value":{{"messaging_product":"whatsapp","metadata":{{"display_phone_number":"15550783881","phone_number_id":"106540352242922"}},"contacts":[{{"profile":{{"name":"Ana"}},"wa_id":"{PHONE}"}}],"messages":[{}]}},"field":"messages"}}]}}]}}"#,
        messages.join(",")
    )
    .into_bytes()
}

fn meta_item(i: usize, text: &str) -> String {
    format!(
        r#"{{"sender":{{"id":"{PHONE}"}},"recipient":{{"id":"PAGE"}},"timestamp":1700000000{i:03},"message":{{"mid":"m_{i}","text":"{text}"}}}}"#
    )
}

fn meta_body(object: &str, items: &[String]) -> Vec<u8> {
    format!(
        r#"{{"object":"{object}","entry":[{{"id":"PAGE","time":1700000000000,"messaging":[{}]}}]}}"#,
        items.join(",")
    )
    .into_bytes()
}

fn tg_update(i: usize, text: &str) -> String {
    format!(
        r#"{{"update_id":{i},"message":{{"message_id":{i},"date":1700000000,"chat":{{"id":42,"type":"private"}},"from":{{"id":42,"is_bot":false,"first_name":"Ana"}},"text":"{text}"}}}}"#
    )
}

fn kinds(events: &[Event]) -> Vec<&'static str> {
    events.iter().map(|e| e.kind.name()).collect()
}

fn text_of(e: &Event) -> &str {
    match &e.kind {
        EventKind::Message {
            content: MessageContent::Text { body },
            ..
        } => body,
        other => panic!("{other:?}"),
    }
}

/// The reason of an `invalid_item` event, after checking it quotes nothing planted.
fn invalid_reason(e: &Event) -> &str {
    let EventKind::InvalidItem { reason, raw, .. } = &e.kind else {
        panic!("{e:?}");
    };
    assert!(!raw.is_empty());
    assert_clean(reason);
    reason
}

fn assert_clean(text: &str) {
    for planted in [EMAIL, PHONE, "5730012", "ana.perez"] {
        assert!(!text.contains(planted), "{text:?} quotes {planted:?}");
    }
}

/// One batch of `n` items with item `bad` replaced, normalized.
fn batch(channel: Channel, n: usize, bad: usize, replacement: &str) -> Vec<Event> {
    let body = match channel {
        Channel::Whatsapp => {
            let mut items: Vec<_> = (0..n).map(|i| wa_message(i, "hola")).collect();
            items[bad] = replacement.to_owned();
            wa_body(&items)
        }
        Channel::Messenger | Channel::Instagram => {
            let mut items: Vec<_> = (0..n).map(|i| meta_item(i, "hola")).collect();
            items[bad] = replacement.to_owned();
            let object = if channel == Channel::Messenger {
                "page"
            } else {
                "instagram"
            };
            meta_body(object, &items)
        }
        _ => {
            let mut items: Vec<_> = (0..n).map(|i| tg_update(i, "hola")).collect();
            items[bad] = replacement.to_owned();
            format!(r#"{{"ok":true,"result":[{}]}}"#, items.join(",")).into_bytes()
        }
    };
    normalize(channel, &body, &opts()).unwrap()
}

fn item(channel: Channel, i: usize, text: &str) -> String {
    match channel {
        Channel::Whatsapp => wa_message(i, text),
        Channel::Messenger | Channel::Instagram => meta_item(i, text),
        _ => tg_update(i, text),
    }
}

const CHANNELS: [Channel; 4] = [
    Channel::Whatsapp,
    Channel::Messenger,
    Channel::Instagram,
    Channel::Telegram,
];

#[test]
fn a_lone_surrogate_is_replaced_and_the_batch_delivered() {
    for channel in CHANNELS {
        // Telegram's getUpdates returns at most 100; the others batch up to 1,000.
        let n = if channel == Channel::Telegram {
            100
        } else {
            1000
        };
        let bad = item(channel, n / 2, r"antes \ud83d despu\u00e9s \udc00");
        let events = batch(channel, n, n / 2, &bad);
        assert_eq!(events.len(), n, "{channel}");
        assert!(
            events.iter().all(|e| e.kind.name() == "message"),
            "{channel}"
        );
        assert_eq!(
            text_of(&events[n / 2]),
            "antes \u{fffd} después \u{fffd}",
            "{channel}"
        );
        assert_eq!(text_of(&events[0]), "hola");
    }
    // A valid pair is untouched; an escaped backslash is not an escape.
    let events = batch(
        Channel::Whatsapp,
        3,
        1,
        &wa_message(1, r"\ud83d\ude00 \\ud83d"),
    );
    assert_eq!(text_of(&events[1]), "\u{1f600} \\ud83d");
}

#[test]
fn a_lone_surrogate_in_a_single_telegram_update() {
    let body = tg_update(7, r"hola \ud83d");
    let events = normalize(Channel::Telegram, body.as_bytes(), &opts()).unwrap();
    assert_eq!(kinds(&events), ["message"]);
    assert_eq!(text_of(&events[0]), "hola \u{fffd}");
}

#[test]
fn bytes_that_are_not_utf8_are_replaced() {
    let mut body = wa_body(&[wa_message(0, "hola"), wa_message(1, "ma\u{f1}ana")]);
    let at = body
        .windows(2)
        .position(|w| w == "\u{f1}".as_bytes())
        .unwrap();
    body.splice(at..at + 2, [0xff]);
    let events = normalize(Channel::Whatsapp, &body, &opts()).unwrap();
    assert_eq!(text_of(&events[1]), "ma\u{fffd}ana");
}

#[test]
fn wrong_types_in_one_item_become_one_invalid_item() {
    let cases = [
        (
            Channel::Whatsapp,
            format!(
                r#"{{"from":"{PHONE}","id":"wamid.X","type":"text","text":{{"body":"{EMAIL}","x":1}},"context":{{"id":["{EMAIL}"]}}}}"#
            ),
            "message",
            "invalid type: sequence, expected a string at context.id (line 1, column 114)",
        ),
        (
            Channel::Messenger,
            format!(
                r#"{{"sender":{{"id":"{PHONE}"}},"recipient":{{"id":"PAGE"}},"timestamp":1,"message":{{"mid":"m","text":{{"t":"{EMAIL}"}}}}}}"#
            ),
            "message",
            "invalid type: map, expected a string at message.text (line 1, column 100)",
        ),
        (
            Channel::Instagram,
            format!(
                r#"{{"sender":{{"id":"{PHONE}"}},"recipient":{{"id":"PAGE"}},"timestamp":1,"message":"{EMAIL}"}}"#
            ),
            "message",
            "invalid type: string, expected struct Message at message (line 1, column 105)",
        ),
        (
            Channel::Telegram,
            format!(
                r#"{{"update_id":5,"message":{{"message_id":"{EMAIL}","date":1,"chat":{{"id":42,"type":"private"}}}}}}"#
            ),
            "message",
            "invalid type: string, expected i64 at message.message_id (line 1, column 62)",
        ),
    ];
    for (channel, bad, kind, reason) in cases {
        let events = batch(channel, 5, 2, &bad);
        assert_eq!(
            kinds(&events),
            ["message", "message", "invalid_item", "message", "message"],
            "{channel}"
        );
        let EventKind::InvalidItem {
            vendor_kind, raw, ..
        } = &events[2].kind
        else {
            unreachable!()
        };
        assert_eq!(vendor_kind, kind, "{channel}");
        assert_eq!(raw, &bad, "{channel}: the raw text is the item as received");
        assert_eq!(invalid_reason(&events[2]), reason, "{channel}");
        // Redelivered, the same item gets the same key.
        assert_eq!(
            batch(channel, 5, 2, &bad)[2].idempotency_key,
            events[2].idempotency_key
        );
    }
}

#[test]
fn an_oversized_number_costs_only_its_item() {
    // 1e400 does not fit an f64 (serde_json refuses it; JSON.parse gives Infinity),
    // and 2^64 does not fit a message id.
    let cases = [
        (
            Channel::Whatsapp,
            wa_message(1, "x").replace(r#""1700000000""#, "1e400"),
        ),
        (
            Channel::Messenger,
            meta_item(1, "x").replace("1700000000001", "1e400"),
        ),
        (
            Channel::Telegram,
            tg_update(1, "x").replace(r#""message_id":1"#, r#""message_id":18446744073709551616"#),
        ),
        (
            Channel::Telegram,
            tg_update(1, "x").replace(r#""date":1700000000"#, r#""date":1e400"#),
        ),
    ];
    for (channel, bad) in cases {
        let events = batch(channel, 3, 1, &bad);
        assert_eq!(
            kinds(&events),
            ["message", "invalid_item", "message"],
            "{channel}: {bad}"
        );
        invalid_reason(&events[1]);
    }
    let single = tg_update(9, "x").replace(r#""date":1700000000"#, r#""date":1e400"#);
    let events = normalize(Channel::Telegram, single.as_bytes(), &opts()).unwrap();
    assert_eq!(kinds(&events), ["invalid_item"]);
    assert_eq!(events[0].idempotency_key, "telegram:bot1:9");
}

#[test]
fn items_beyond_the_cap_fail_the_body_with_a_typed_error() {
    let tiny = |n: usize| vec!["{}".to_owned(); n];
    let options = opts().with_max_items(50);
    // WhatsApp counts the entry, the change and the contact too.
    let at_cap = wa_body(&tiny(47));
    assert_eq!(
        normalize(Channel::Whatsapp, &at_cap, &options)
            .unwrap()
            .len(),
        47
    );
    let bodies = [
        (Channel::Whatsapp, wa_body(&tiny(48))),
        (Channel::Messenger, meta_body("page", &tiny(50))),
        (
            Channel::Telegram,
            format!(r#"{{"ok":true,"result":[{}]}}"#, tiny(51).join(",")).into_bytes(),
        ),
        // Malformed items take the lenient path, which counts as well.
        (Channel::Whatsapp, wa_body(&vec!["7".to_owned(); 60])),
        (
            Channel::Instagram,
            meta_body("instagram", &vec!["7".to_owned(); 60]),
        ),
    ];
    for (channel, body) in bodies {
        let err = normalize(channel, &body, &options).unwrap_err();
        assert_eq!(err, ChannelError::TooManyItems { limit: 50 }, "{channel}");
        assert_eq!(err.code(), "too_many_items");
    }
    // The default is well above a full 1,000-message batch.
    let full: Vec<_> = (0..1000).map(|i| wa_message(i, "hola")).collect();
    assert_eq!(
        normalize(Channel::Whatsapp, &wa_body(&full), &opts())
            .unwrap()
            .len(),
        1000
    );
    let flood = meta_body("page", &tiny(10_001));
    assert_eq!(
        normalize(Channel::Messenger, &flood, &opts())
            .unwrap_err()
            .code(),
        "too_many_items"
    );
}

#[test]
fn a_body_nested_too_deep_is_too_deep_on_every_channel() {
    let body = format!("{}{}", "[".repeat(10_000), "]".repeat(10_000));
    for channel in CHANNELS {
        let err = normalize(channel, body.as_bytes(), &opts()).unwrap_err();
        assert_eq!(err.code(), "body_too_deep", "{channel}");
    }
}

#[test]
fn whole_body_errors_never_quote_the_body() {
    let bodies: Vec<(Channel, String)> = vec![
        (
            Channel::Whatsapp,
            format!(r#"{{"object":"{EMAIL}","entry":[]}}"#),
        ),
        (
            Channel::Whatsapp,
            format!(r#"{{"object":"whatsapp_business_account","entry":"{PHONE}"}}"#),
        ),
        (Channel::Whatsapp, format!(r#"["{EMAIL}", {PHONE}]"#)),
        (
            Channel::Messenger,
            format!(r#"{{"object":"{EMAIL}","entry":[]}}"#),
        ),
        (
            Channel::Messenger,
            format!(r#"{{"object":"page","entry":"{EMAIL}"}}"#),
        ),
        (
            Channel::Instagram,
            format!(r#"{{"object":"instagram","entry":{{"{EMAIL}":1}}}}"#),
        ),
        (Channel::Telegram, format!(r#"{{"update_id":"{EMAIL}"}}"#)),
        (
            Channel::Telegram,
            format!(r#"{{"ok":true,"result":"{PHONE}"}}"#),
        ),
        (
            Channel::Telegram,
            format!(r#"{{"ok":false,"description":"{EMAIL}"}}"#),
        ),
        (
            Channel::Telegram,
            format!(r#"{{"update_id":{PHONE}{EMAIL}}}"#),
        ),
        (Channel::Whatsapp, format!("{{\"object\":\"{EMAIL}\x01\"}}")),
    ];
    for (channel, body) in bodies {
        let err = normalize(channel, body.as_bytes(), &opts()).unwrap_err();
        assert_clean(&err.to_string());
        assert_clean(&format!("{err:?}"));
    }
}
