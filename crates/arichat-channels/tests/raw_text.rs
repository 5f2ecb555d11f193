//! What arichat does not map is kept as the JSON text it arrived in (`RawJson`): key
//! order, number spelling and nesting untouched, while the idempotency key is the one
//! the item's `serde_json::Value` gave (keys are a contract with dedup stores).

use arichat_channels::{normalize, NormalizeOptions};
use arichat_core::{Channel, EventKind, MessageContent, RawJson};
use chrono::{TimeZone, Utc};
use sha2::{Digest, Sha256};

fn opts() -> NormalizeOptions {
    NormalizeOptions::new(Utc.with_ymd_and_hms(2026, 1, 2, 3, 4, 5).unwrap()).with_account("bot1")
}

fn wa_body(change_value: &str, field: &str) -> String {
    format!(
        r#"{{"object":"whatsapp_business_account","entry":[{{"id":"WABA","changes":[{{"value":{change_value},"field":"{field}"}}]}}]}}"#
    )
}

fn unsupported(e: &arichat_core::Event) -> &RawJson {
    match &e.kind {
        EventKind::Unsupported { raw, .. } => raw,
        other => panic!("not unsupported: {other:?}"),
    }
}

#[test]
fn an_unknown_change_is_its_text_and_keeps_the_value_key() {
    let item = r#"{"zeta": 1.50, "alpha": {"b": [1, 2], "a": "x\u00e9"}, "n": 10}"#;
    let body = wa_body(item, "brand_new_field");
    let events = normalize(Channel::Whatsapp, body.as_bytes(), &opts()).unwrap();
    assert_eq!(events.len(), 1);
    // The change as sent: `value` then `field`, 1.50 still 1.50, the escape kept.
    let change = format!(r#"{{"value":{item},"field":"brand_new_field"}}"#);
    let raw = unsupported(&events[0]);
    assert_eq!(raw.get(), change);
    // The key hashes the text the change's `Value` writes (sorted keys, 1.5, é).
    let canonical =
        serde_json::to_string(&serde_json::from_str::<serde_json::Value>(&change).unwrap())
            .unwrap();
    let digest = hex::encode(Sha256::digest(canonical.as_bytes()));
    assert!(
        events[0].idempotency_key.ends_with(&digest[..32]),
        "{}",
        events[0].idempotency_key
    );
}

#[test]
fn a_number_no_value_holds_is_kept_as_a_string_of_the_text() {
    let item = r#"{"huge": 1e400}"#;
    let body = wa_body(item, "brand_new_field");
    let events = normalize(Channel::Whatsapp, body.as_bytes(), &opts()).unwrap();
    let raw = unsupported(&events[0]);
    let text = format!(r#"{{"value":{item},"field":"brand_new_field"}}"#);
    assert_eq!(raw.to_value(), serde_json::Value::String(text));
}

#[test]
fn telegram_keeps_the_update_text_and_names_the_field() {
    let update = r#"{"update_id": 7, "message": {"message_id": 1, "date": 1700000000, "chat": {"id": 5, "type": "private"}, "new_chat_title": "x", "pinned_message": null}}"#;
    let events = normalize(Channel::Telegram, update.as_bytes(), &opts()).unwrap();
    let EventKind::Unsupported { vendor_kind, raw } = &events[0].kind else {
        panic!("{:?}", events[0].kind)
    };
    // The first uncommon field in sorted order, as before.
    assert_eq!(vendor_kind, "message.new_chat_title");
    assert_eq!(
        *raw,
        serde_json::from_str::<serde_json::Value>(update).unwrap()
    );
    assert!(
        raw.get()
            .starts_with(r#"{"update_id":7,"message":{"message_id": 1"#),
        "{}",
        raw.get()
    );
    assert_eq!(events[0].idempotency_key, "telegram:bot1:7");

    let unknown = r#"{"update_id": 8, "zz_kind": {"b": 1, "a": 2.0}, "aa_kind": [1]}"#;
    let events = normalize(Channel::Telegram, unknown.as_bytes(), &opts()).unwrap();
    let EventKind::Unsupported { vendor_kind, raw } = &events[0].kind else {
        panic!("{:?}", events[0].kind)
    };
    assert_eq!(vendor_kind, "aa_kind");
    assert_eq!(
        raw.get(),
        r#"{"update_id":8,"zz_kind":{"b": 1, "a": 2.0},"aa_kind":[1]}"#
    );
}

#[test]
fn content_kept_raw_reads_back() {
    let update = r#"{"update_id": 9, "message": {"message_id": 1, "date": 1700000000, "chat": {"id": 5, "type": "private"}, "from": {"id": 5, "first_name": "A"}, "dice": {"emoji": "🎲", "value": 3}}}"#;
    let events = normalize(Channel::Telegram, update.as_bytes(), &opts()).unwrap();
    let EventKind::Message { content, .. } = &events[0].kind else {
        panic!("{:?}", events[0].kind)
    };
    let MessageContent::Unsupported { kind, raw } = content else {
        panic!("{content:?}")
    };
    assert_eq!(kind, "dice");
    assert_eq!(raw.get(), r#"{"emoji": "🎲", "value": 3}"#);
    // Written into other JSON as JSON, not as a string.
    let json = serde_json::to_value(&events[0]).unwrap();
    assert_eq!(json["content"]["raw"]["value"], 3);
}
