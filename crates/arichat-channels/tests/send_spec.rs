//! Client specs, `getUpdates` / `setWebhook` clamps, message tags and sender actions
//! against the shared vectors (`tests/vectors/send_spec.json`, also checked from Python
//! and Node): every runtime builds the same client from the same spec.
#![cfg(feature = "client")]

use arichat_channels::client::{ClientSpec, PollSpec, SendError, WebhookSpec};
use arichat_channels::meta_send::SenderAction;
use arichat_channels::outbound::MessageTag;
use serde_json::{json, Value};

fn vectors() -> Value {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../tests/vectors/send_spec.json"
    );
    serde_json::from_slice(&std::fs::read(path).unwrap()).unwrap()
}

fn spec(v: &Value) -> ClientSpec {
    serde_json::from_value(v["spec"].clone()).unwrap()
}

#[test]
fn every_spec_gives_its_settings() {
    let v = vectors();
    for case in v["clients"].as_array().unwrap() {
        let settings = spec(case).settings().unwrap();
        assert_eq!(
            serde_json::to_value(&settings).unwrap(),
            case["settings"],
            "{}",
            case["name"]
        );
    }
}

#[test]
fn every_refused_spec_names_the_problem_and_no_token() {
    let v = vectors();
    for case in v["refused"].as_array().unwrap() {
        let err = spec(case).settings().unwrap_err();
        assert_eq!(err.code(), case["code"], "{}", case["name"]);
        let text = err.to_string();
        assert!(text.contains(case["mentions"].as_str().unwrap()), "{text}");
        assert!(!text.contains("EAAtoken"), "{text}");
    }
}

fn names_roundtrip<T>(block: &Value)
where
    T: std::str::FromStr<Err = arichat_core::CoreError> + std::fmt::Display + std::fmt::Debug,
{
    for name in block["accepted"].as_array().unwrap() {
        let name = name.as_str().unwrap();
        assert_eq!(name.parse::<T>().unwrap().to_string(), name);
    }
    for name in block["refused"].as_array().unwrap() {
        let name = name.as_str().unwrap();
        let err = name.parse::<T>().unwrap_err();
        assert_eq!(err.code(), "unknown_variant");
        assert!(err.to_string().contains(&format!("{name:?}")), "{err}");
        // What a send reports (every binding's `reply` / `sender_action`).
        assert_eq!(SendError::from(err).code(), block["code"]);
    }
}

#[test]
fn message_tags_and_sender_actions_parse_only_their_names() {
    let v = vectors();
    names_roundtrip::<MessageTag>(&v["message_tags"]);
    names_roundtrip::<SenderAction>(&v["sender_actions"]);
    assert_eq!(
        v["message_tags"]["accepted"].as_array().unwrap().len(),
        MessageTag::ALL.len()
    );
    assert_eq!(
        v["sender_actions"]["accepted"].as_array().unwrap().len(),
        SenderAction::ALL.len()
    );
}

#[test]
fn poll_and_webhook_specs_are_clamped() {
    let v = vectors();
    for case in v["poll"].as_array().unwrap() {
        let poll: PollSpec = serde_json::from_value(case["spec"].clone()).unwrap();
        let o = poll.build();
        let got = json!({
            "offset": o.offset, "timeout": o.timeout_secs, "limit": o.limit,
            "allowed_updates": o.allowed_updates,
        });
        assert_eq!(got, case["options"]);
    }
    for case in v["webhook"].as_array().unwrap() {
        let hook: WebhookSpec = serde_json::from_value(case["spec"].clone()).unwrap();
        let s = hook.build();
        assert_eq!(json!(s.max_connections), case["max_connections"]);
        assert_eq!(json!(s.drop_pending_updates), case["drop_pending_updates"]);
    }
}
