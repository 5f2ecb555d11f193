//! CloudEvents envelopes of the events of every channel (the bodies of
//! `tests/vectors/normalize.json`): structured JSON one by one and in batches, the HTTP
//! binary mode and the Pub/Sub publish and push bodies, each produced and read back;
//! every envelope meets the CloudEvents JSON Schema's rules
//! (`tests/vectors/cloudevents.schema.json`; pytest validates with a schema library).

use arichat_channels::cloudevents::{is_valid_name, CloudEvent, DerivedKind, EnvelopeError};
use arichat_channels::{normalize, NormalizeOptions};
use arichat_core::{Channel, ChannelAccountId, Event, LeadId, TenantId};
use chrono::{TimeZone, Utc};
use serde_json::{json, Value};

const ROOT: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../..");

/// Every event the normalize vectors' bodies give.
fn events() -> Vec<Event> {
    let v: Value = serde_json::from_slice(
        &std::fs::read(format!("{ROOT}/tests/vectors/normalize.json")).unwrap(),
    )
    .unwrap();
    let mut out = Vec::new();
    for case in v["cases"].as_array().unwrap() {
        let body = match (case.get("body_file"), case.get("body")) {
            (Some(f), _) => std::fs::read(format!("{ROOT}/{}", f.as_str().unwrap())).unwrap(),
            (_, Some(b)) => b.as_str().unwrap().as_bytes().to_vec(),
            _ => continue,
        };
        let channel: Channel = case["channel"].as_str().unwrap().parse().unwrap();
        let mut options =
            NormalizeOptions::new(Utc.with_ymd_and_hms(2026, 3, 10, 12, 0, 0).unwrap());
        if let Some(a) = case.get("account").and_then(Value::as_str) {
            options = options.with_account(a);
        }
        if let Ok(events) = normalize(channel, &body, &options) {
            out.extend(events);
        }
    }
    assert!(out.len() >= 20, "{}", out.len());
    out
}

/// The schema's rules: required attributes, non-empty strings, extension names.
fn meets_schema(ce: &Value) {
    let schema: Value = serde_json::from_slice(
        &std::fs::read(format!("{ROOT}/tests/vectors/cloudevents.schema.json")).unwrap(),
    )
    .unwrap();
    for required in schema["required"].as_array().unwrap() {
        let v = &ce[required.as_str().unwrap()];
        assert!(
            v.as_str().is_some_and(|s| !s.is_empty()),
            "{required}: {ce}"
        );
    }
    for (name, value) in ce.as_object().unwrap() {
        if schema["properties"].get(name).is_none() {
            assert!(is_valid_name(name), "extension {name}");
        } else if name != "data" {
            assert!(
                value.as_str().is_some_and(|s| !s.is_empty()),
                "{name}: {ce}"
            );
        }
    }
    let time = ce["time"].as_str().unwrap();
    assert!(chrono::DateTime::parse_from_rfc3339(time).is_ok(), "{time}");
}

#[test]
fn every_event_has_an_envelope_that_reads_back() {
    for event in events() {
        let ce = CloudEvent::from_event(&event);
        assert_eq!(ce.id, event.idempotency_key);
        assert_eq!(
            ce.source,
            format!("/{}/{}", event.channel, event.channel_account_id)
        );
        assert_eq!(ce.ty, format!("com.arichat.{}.v1", event.kind.name()));
        assert_eq!(ce.time, Some(event.occurred_at));
        assert_eq!(
            ce.extension("channel").as_deref(),
            Some(event.channel.as_str())
        );
        assert!(ce.extension("partitionkey").is_some());
        // The data is the event, whole.
        let back: Event = serde_json::from_value(ce.data.clone().unwrap()).unwrap();
        assert_eq!(back, event);
        let json = ce.to_json();
        // The direct writer gives the same JSON (the data's keys in the event's order).
        let direct: Value = serde_json::from_str(&CloudEvent::event_json(&event)).unwrap();
        assert_eq!(direct, serde_json::from_str::<Value>(&json).unwrap());
        meets_schema(&serde_json::from_str(&json).unwrap());
        assert_eq!(CloudEvent::from_json(&json).unwrap(), ce);
        let binary = ce.to_http_binary();
        assert!(binary.headers.contains(&("ce-id".into(), ce.id.clone())));
        assert_eq!(
            CloudEvent::from_http_binary(&binary.headers, &binary.body).unwrap(),
            ce
        );
        let message = ce.to_pubsub_message();
        assert_eq!(message.ordering_key, ce.extension("partitionkey"));
        assert_eq!(CloudEvent::from_pubsub_message(&message).unwrap(), ce);
    }
}

#[test]
fn batches_and_pubsub_bodies_read_back() {
    let all: Vec<CloudEvent> = events().iter().map(CloudEvent::from_event).collect();
    let batch = CloudEvent::batch_to_json(&all);
    assert_eq!(CloudEvent::batch_from_json(&batch).unwrap(), all);
    let publish = CloudEvent::pubsub_publish_body(&all).to_string();
    assert_eq!(CloudEvent::from_pubsub_publish_body(&publish).unwrap(), all);
    let at = Utc.with_ymd_and_hms(2026, 3, 10, 12, 0, 1).unwrap();
    let push = all[0].to_pubsub_push("projects/acme/subscriptions/inbox", "m-1", at);
    let body = serde_json::to_string(&push).unwrap();
    let parsed: Value = serde_json::from_str(&body).unwrap();
    assert_eq!(parsed["subscription"], "projects/acme/subscriptions/inbox");
    assert_eq!(parsed["message"]["messageId"], "m-1");
    assert_eq!(parsed["message"]["attributes"]["ce-type"], all[0].ty);
    assert_eq!(CloudEvent::from_pubsub_push(&body).unwrap(), all[0]);
}

#[test]
fn a_routed_event_names_its_tenant_and_a_lead_can_be_added() {
    let mut event = events().remove(0);
    event.tenant_id = Some(TenantId::new("acme"));
    let direct: Value = serde_json::from_str(&CloudEvent::event_json(&event)).unwrap();
    let built: Value = serde_json::from_str(&CloudEvent::from_event(&event).to_json()).unwrap();
    assert_eq!(direct, built);
    let ce = CloudEvent::from_event(&event).for_lead(&LeadId::new("lead-7"));
    assert_eq!(ce.extension("tenant").as_deref(), Some("acme"));
    assert_eq!(ce.extension("lead").as_deref(), Some("lead-7"));
    let binary = ce.to_http_binary();
    assert!(binary
        .headers
        .contains(&("ce-tenant".into(), "acme".into())));
    assert!(binary
        .headers
        .contains(&("ce-lead".into(), "lead-7".into())));
}

#[test]
fn derived_events_have_versioned_types() {
    let kinds = [
        (
            DerivedKind::LeadStatusChanged,
            "com.arichat.lead.status_changed.v1",
        ),
        (DerivedKind::LeadScored, "com.arichat.lead.scored.v1"),
        (
            DerivedKind::ConsentChanged,
            "com.arichat.consent.changed.v1",
        ),
        (
            DerivedKind::ConversationFlagged,
            "com.arichat.conversation.flagged.v1",
        ),
    ];
    let at = Utc.with_ymd_and_hms(2026, 3, 10, 12, 0, 0).unwrap();
    for (kind, ty) in kinds {
        let ce = CloudEvent::derived(
            kind,
            Channel::Whatsapp,
            &ChannelAccountId::new("106540352242922"),
            Some(&TenantId::new("acme")),
            format!("whatsapp:106540352242922:msg:wamid.1:{ty}"),
            at,
            Some("573001234567".into()),
            &json!({"from": "interested", "to": "negotiating"}),
        );
        assert_eq!(ce.ty, ty);
        meets_schema(&serde_json::from_str(&ce.to_json()).unwrap());
        assert_eq!(CloudEvent::from_json(&ce.to_json()).unwrap(), ce);
    }
}

#[test]
fn bad_envelopes_are_typed_errors_without_values() {
    let cases = [
        ("{}", "invalid_cloudevent"),
        ("not json", "invalid_cloudevent"),
        (
            r#"{"id":"1","source":"/x","specversion":"0.3","type":"t"}"#,
            "unsupported_specversion",
        ),
        (
            r#"{"id":"1","source":"/x","specversion":"1.0","type":"t","Bad-Name":"x"}"#,
            "invalid_extension_name",
        ),
        (
            r#"{"id":"","source":"/x","specversion":"1.0","type":"t"}"#,
            "invalid_cloudevent",
        ),
    ];
    for (text, code) in cases {
        let err = CloudEvent::from_json(text).unwrap_err();
        assert_eq!(err.code(), code, "{text}");
    }
    let secret = r#"{"id": 573001234567, "source": "/x", "specversion": "1.0", "type": "t"}"#;
    let err = CloudEvent::from_json(secret).unwrap_err();
    assert!(!err.to_string().contains("573001234567"), "{err}");
    assert!(matches!(
        CloudEvent::from_http_binary(&[("ce-id".into(), "1".into())], b""),
        Err(EnvelopeError::Invalid(_))
    ));
    assert!(CloudEvent::from_pubsub_push(r#"{"message": {"data": "%%%"}}"#).is_err());
}

proptest::proptest! {
    #[test]
    fn any_bytes_read_without_panic(bytes in proptest::collection::vec(proptest::num::u8::ANY, 0..400)) {
        let text = String::from_utf8_lossy(&bytes);
        let _ = CloudEvent::from_json(&text);
        let _ = CloudEvent::batch_from_json(&text);
        let _ = CloudEvent::from_pubsub_push(&text);
        let _ = CloudEvent::from_pubsub_publish_body(&text);
        let headers = vec![
            ("ce-id".to_owned(), text.to_string()),
            ("ce-source".to_owned(), "/x".to_owned()),
            ("ce-specversion".to_owned(), "1.0".to_owned()),
            ("ce-type".to_owned(), "t".to_owned()),
            ("ce-time".to_owned(), text.to_string()),
        ];
        let _ = CloudEvent::from_http_binary(&headers, &bytes);
    }
}
