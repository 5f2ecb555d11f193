//! WhatsApp conformance: every WhatsApp payload under `../shared/fixtures/whatsapp`
//! (real payloads from public test suites, see its SOURCES.md) normalizes, with the
//! mapped fields checked on a broad sample; plus property tests on arbitrary input.

mod common;

use std::path::{Path, PathBuf};

use arichat_channels::{normalize, ChannelError, NormalizeOptions};
use arichat_core::{
    AuthorKind, Channel, DeliveryStatus, Direction, Event, EventKind, MessageContent,
};
use chrono::{DateTime, TimeZone, Utc};
use proptest::prelude::*;
use serde_json::{json, Value};

fn fixtures() -> Option<PathBuf> {
    common::fixtures_root(&["whatsapp"]).map(|r| r.join("whatsapp"))
}

fn received() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2030, 1, 1, 0, 0, 0).unwrap()
}

fn opts() -> NormalizeOptions {
    NormalizeOptions::new(received())
}

fn ts(secs: i64) -> DateTime<Utc> {
    Utc.timestamp_opt(secs, 0).unwrap()
}

/// Upstream files that are not valid JSON (SOURCES.md): they must fail as such.
const INVALID_UPSTREAM: &[&str] = &["textMessageStatusRead.json"];

/// pywa's `tests/data/updates/*.json` are dicts of named webhook bodies.
fn is_keyed_collection(path: &Path) -> bool {
    path.to_string_lossy().contains("pywa/tests/data/updates/")
}

/// Items in a body that must each give at least one event.
fn item_count(body: &Value) -> usize {
    let mut n = 0;
    for entry in body["entry"].as_array().unwrap() {
        for change in entry["changes"].as_array().unwrap() {
            let v = &change["value"];
            let len = |k: &str| v.get(k).and_then(Value::as_array).map_or(0, Vec::len);
            let items = len("messages")
                + len("message_echoes")
                + len("statuses")
                + len("calls")
                + len("user_preferences");
            n += items.max(1);
        }
    }
    n
}

fn check_body(name: &str, body: &Value) {
    let events = normalize(Channel::Whatsapp, body.to_string().as_bytes(), &opts())
        .unwrap_or_else(|e| panic!("{name}: {e}"));
    assert!(events.len() >= item_count(body), "{name}: {events:#?}");
    for e in &events {
        assert_eq!(e.channel, Channel::Whatsapp, "{name}");
        assert!(!e.idempotency_key.is_empty(), "{name}");
        // Every message and status of the corpus reads as typed: none falls back to a
        // whole-item unsupported event.
        if let EventKind::Unsupported { vendor_kind, .. } = &e.kind {
            assert!(
                !matches!(
                    vendor_kind.as_str(),
                    "message" | "status" | "entry" | "change"
                ),
                "{name}: {vendor_kind}"
            );
        }
        if let EventKind::Message { message_id, .. } = &e.kind {
            assert_eq!(
                e.idempotency_key,
                format!("whatsapp:{}:msg:{}", e.channel_account_id, message_id),
                "{name}"
            );
        }
    }
}

#[test]
fn every_fixture_normalizes() {
    let Some(dir) = fixtures() else { return };
    let mut files = Vec::new();
    common::json_files(&dir, &mut files);
    files.sort();
    let (mut bodies, mut invalid) = (0, 0);
    for path in &files {
        let name = path.strip_prefix(&dir).unwrap().display().to_string();
        let bytes = std::fs::read(path).unwrap();
        if INVALID_UPSTREAM.iter().any(|f| name.ends_with(f)) {
            let err = normalize(Channel::Whatsapp, &bytes, &opts()).unwrap_err();
            assert!(
                matches!(err, ChannelError::InvalidJson { .. }),
                "{name}: {err}"
            );
            assert_eq!(err.code(), "invalid_json");
            invalid += 1;
            continue;
        }
        let value: Value = serde_json::from_slice(&bytes).unwrap();
        if is_keyed_collection(path) {
            for (key, body) in value.as_object().unwrap() {
                check_body(&format!("{name}[{key}]"), body);
                bodies += 1;
            }
        } else {
            // The raw bytes, not the re-serialized value: formatting must not matter.
            normalize(Channel::Whatsapp, &bytes, &opts()).unwrap_or_else(|e| panic!("{name}: {e}"));
            check_body(&name, &value);
            bodies += 1;
        }
    }
    assert_eq!(invalid, 1);
    // 74 pywa payloads twice (collections and their split), 34 restfb, 24 valid
    // whatsapp-business-java-api, 30 netflie.
    assert_eq!(bodies, 74 * 2 + 34 + 24 + 30, "corpus changed");
}

fn load(rel: &str) -> Option<Vec<Event>> {
    let path = fixtures()?.join(rel);
    let bytes = std::fs::read(&path).unwrap_or_else(|e| panic!("{rel}: {e}"));
    Some(normalize(Channel::Whatsapp, &bytes, &opts()).unwrap_or_else(|e| panic!("{rel}: {e}")))
}

fn one(rel: &str) -> Option<Event> {
    let mut events = load(rel)?;
    assert_eq!(events.len(), 1, "{rel}: {events:#?}");
    Some(events.remove(0))
}

struct Msg<'a> {
    id: &'a str,
    direction: Direction,
    author: AuthorKind,
    content: &'a MessageContent,
    reply_to: Option<&'a str>,
    forwarded: bool,
    referral: Option<&'a arichat_core::Referral>,
}

fn msg(e: &Event) -> Msg<'_> {
    match &e.kind {
        EventKind::Message {
            message_id,
            direction,
            author,
            content,
            reply_to,
            forwarded,
            referral,
        } => Msg {
            id: message_id.as_str(),
            direction: *direction,
            author: *author,
            content,
            reply_to: reply_to.as_ref().map(|r| r.as_str()),
            forwarded: *forwarded,
            referral: referral.as_ref(),
        },
        other => panic!("not a message: {other:?}"),
    }
}

/// The contact's `wa_id` (its BSUID when no `wa_id` was sent), name and phone.
fn contact(e: &Event) -> (&str, Option<&str>, Option<&str>) {
    let c = e.contact.as_ref().expect("contact");
    let w = c.identity.as_whatsapp().expect("a WhatsApp identity");
    (
        w.wa_id().unwrap_or(w.key()),
        c.display_name.as_deref(),
        c.phone.as_ref().map(|p| p.as_str()),
    )
}

/// The contact's BSUID, when the payload carried one.
fn bsuid(e: &Event) -> Option<&str> {
    let w = e.contact.as_ref()?.identity.as_whatsapp()?;
    w.user_id().map(|b| b.as_str())
}

fn status(e: &Event) -> (&str, DeliveryStatus, &[Value], Option<&Value>) {
    match &e.kind {
        EventKind::Status {
            message_id,
            status,
            errors,
            billing,
        } => (message_id.as_str(), *status, errors, billing.as_ref()),
        other => panic!("not a status: {other:?}"),
    }
}

#[test]
fn pywa_text_message() {
    let Some(e) = one("pywa/_split/message__text.json") else {
        return;
    };
    assert_eq!(e.idempotency_key, "whatsapp:1122334455667:msg:wamid.xyzxyz");
    assert_eq!(e.channel_account_id.as_str(), "1122334455667");
    assert_eq!(e.occurred_at, ts(1_697_043_223));
    // pywa's test number is no valid Israeli number (`arichat phone +972987654321`
    // refuses it): the wa_id is kept in the identity and no phone is invented.
    assert_eq!(contact(&e), ("972987654321", Some("Test Name"), None));
    // The BSUID sent beside the wa_id is kept in its own field (it used to be dropped).
    assert_eq!(bsuid(&e), Some("US.13491208655302741918"));
    let m = msg(&e);
    assert_eq!(m.id, "wamid.xyzxyz");
    assert_eq!(
        (m.direction, m.author),
        (Direction::Inbound, AuthorKind::Client)
    );
    assert_eq!(
        *m.content,
        MessageContent::Text {
            body: "Body Text".into()
        }
    );
    assert!(m.reply_to.is_none() && !m.forwarded && m.referral.is_none());
}

#[test]
fn click_to_whatsapp_referrals() {
    let Some(e) = one("pywa/_split/message__referral.json") else {
        return;
    };
    let r = msg(&e).referral.unwrap().clone();
    assert_eq!(r.source_url.as_deref(), Some("AD_OR_POST_FB_URL"));
    assert_eq!(r.source_id.as_deref(), Some("ADID"));
    assert_eq!(r.source_type.as_deref(), Some("ad or post"));
    assert_eq!(r.headline.as_deref(), Some("AD_TITLE"));
    assert_eq!(r.ctwa_clid.as_deref(), Some("CTWA_CLID"));
    assert_eq!(
        *msg(&e).content,
        MessageContent::Text {
            body: "BODY".into()
        }
    );

    let Some(e) = one("restfb/src/test/resources/json/whatsapp/webhook-incoming-message-ads.json")
    else {
        return;
    };
    assert_eq!(e.channel_account_id.as_str(), "10634295353625");
    assert_eq!(e.occurred_at, ts(1_653_253_313));
    // Not a valid German number either: the raw id stays, `phone` stays empty.
    assert_eq!(contact(&e), ("491234567890", Some("TestUser"), None));
    let m = msg(&e);
    assert_eq!(
        *m.content,
        MessageContent::Text {
            body: "Test".into()
        }
    );
    let r = m.referral.unwrap();
    assert_eq!(
        (r.source_type.as_deref(), r.ctwa_clid.as_deref()),
        (Some("ad"), None)
    );
}

#[test]
fn netflie_context_referral_and_integer_timestamp() {
    let Some(e) = one(
        "whatsapp-cloud-api-netflie/_extracted/NotificationFactoryTest__test_build_from_payload_can_build_a_notification.json",
    ) else {
        return;
    };
    assert_eq!(e.occurred_at, ts(1_669_233_778));
    assert_eq!(e.channel_account_id.as_str(), "PHONE_NUMBER_ID");
    let m = msg(&e);
    assert_eq!(m.reply_to, Some("wamid.ID"));
    assert!(m.forwarded);
    assert_eq!(m.referral.unwrap().source_id.as_deref(), Some("ADID"));
    assert_eq!(
        *m.content,
        MessageContent::InteractiveReply {
            id: "No-Button-Payload".into(),
            title: "No".into(),
            flow_name: None,
        }
    );
}

#[test]
fn statuses_failed_with_errors_and_billing() {
    let Some(e) = one("pywa/_split/message_status__failed.json") else {
        return;
    };
    assert_eq!(
        e.idempotency_key,
        "whatsapp:1122334455667:status:wamid.xyzxyz:failed"
    );
    assert_eq!(e.occurred_at, ts(1_689_380_458));
    let (id, s, errors, billing) = status(&e);
    assert_eq!((id, s), ("wamid.xyzxyz", DeliveryStatus::Failed));
    assert_eq!(errors[0]["code"], 130472);
    assert!(billing.is_none());
    assert_eq!(contact(&e).0, "972987654321");
    assert_eq!(bsuid(&e), Some("US.13491208655302741918"));

    let Some(e) =
        one("restfb/src/test/resources/json/whatsapp/webhook-incoming-message-status-errors.json")
    else {
        return;
    };
    assert_eq!(status(&e).2[0]["code"], 131026);
    assert_eq!(e.occurred_at, ts(1_698_231_447));

    let Some(e) = one("whatsapp-business-java-api/src/test/resources/deserialization/reEngagementMessageError.json")
    else {
        return;
    };
    assert_eq!(e.channel_account_id.as_str(), "109999999999999");
    let (_, s, errors, _) = status(&e);
    assert_eq!(s, DeliveryStatus::Failed);
    assert_eq!(errors[0]["code"], 131047);

    let Some(e) = one("pywa/_split/message_status__sent.json") else {
        return;
    };
    let (_, s, errors, billing) = status(&e);
    assert_eq!(s, DeliveryStatus::Sent);
    assert!(errors.is_empty());
    let billing = billing.unwrap();
    assert_eq!(
        billing["conversation"]["id"],
        "7270432eae37498234f4444b35ffc5"
    );
    assert_eq!(
        billing["conversation"]["expiration_timestamp"],
        "1698339900"
    );
    assert_eq!(billing["pricing"]["category"], "service");

    let Some(e) = one("pywa/_split/message_status__played.json") else {
        return;
    };
    assert_eq!(status(&e).1, DeliveryStatus::Read);
    assert!(e.idempotency_key.ends_with(":played"));
}

#[test]
fn group_status_names_the_participant() {
    let Some(e) = one(
        "restfb/src/test/resources/json/whatsapp/webhook-incoming-message-status-group-bsuid.json",
    ) else {
        return;
    };
    assert_eq!(status(&e).1, DeliveryStatus::Read);
    assert_eq!(
        contact(&e),
        ("16505551234", Some("Pablo M."), Some("+16505551234"))
    );
    assert_eq!(bsuid(&e), Some("US.13491208655302741918"));
    assert_eq!(e.occurred_at, ts(1_750_030_173));
}

#[test]
fn interactive_button_and_list_replies() {
    let Some(e) = one(
        "restfb/src/test/resources/json/whatsapp/webhook-incoming-message-interactive-list.json",
    ) else {
        return;
    };
    assert_eq!(
        *msg(&e).content,
        MessageContent::InteractiveReply {
            id: "list_reply_id".into(),
            title: "list_reply_title".into(),
            flow_name: None,
        }
    );
    let Some(e) = one("pywa/_split/callback_button__quick_reply.json") else {
        return;
    };
    let m = msg(&e);
    assert_eq!(m.id, "wamid.xsidjw");
    assert_eq!(m.reply_to, Some("wamid.xyzxyz=="));
    assert_eq!(
        *m.content,
        MessageContent::InteractiveReply {
            id: "callback_data".into(),
            title: "title".into(),
            flow_name: None,
        }
    );
    let Some(e) = one("pywa/_split/flow_completion__completion.json") else {
        return;
    };
    let MessageContent::InteractiveReply {
        id,
        title,
        flow_name,
    } = msg(&e).content
    else {
        panic!()
    };
    assert_eq!(title, "Sent");
    // The Flow reply keeps its name (pywa flow_completion payload).
    assert_eq!(flow_name.as_deref(), Some("flow"));
    let response: Value = serde_json::from_str(id).unwrap();
    assert_eq!(response["flow_token"], "AQAAAAACS5FpgQ_cAAAAAD0QI3s.");
}

#[test]
fn order_media_and_location() {
    let Some(e) = one("pywa/_split/message__order.json") else {
        return;
    };
    let MessageContent::Order {
        catalog_id,
        items,
        text,
    } = msg(&e).content
    else {
        panic!()
    };
    assert_eq!(catalog_id, "354160437058781");
    assert_eq!(items.len(), 3);
    assert_eq!(items[0]["product_retailer_id"], "HAMBURGER");
    assert!(text.is_none());

    let Some(e) = one("pywa/_split/message__voice.json") else {
        return;
    };
    let MessageContent::Audio(media) = msg(&e).content else {
        panic!()
    };
    assert_eq!(media.id.as_deref(), Some("1234567890987654321"));
    assert_eq!(media.mime_type.as_deref(), Some("audio/ogg; codecs=opus"));

    let Some(e) = one("pywa/_split/message__document.json") else {
        return;
    };
    let m = msg(&e);
    assert!(m.forwarded);
    let MessageContent::Document(media) = m.content else {
        panic!()
    };
    assert_eq!(media.filename.as_deref(), Some("filename.pdf"));
    assert_eq!(media.caption.as_deref(), Some("caption"));

    let Some(e) = one("pywa/_split/message__chosen_location.json") else {
        return;
    };
    assert_eq!(
        *msg(&e).content,
        MessageContent::Location {
            latitude: 37.461_197_8,
            longitude: -122.216_438_5,
            name: Some("Facebook HQ".into()),
            address: Some("1 Hacker Way, Menlo Park, CA 94025".into()),
        }
    );
    // Placeholder strings instead of coordinates: the message stays, content unsupported.
    let Some(e) = one(
        "whatsapp-cloud-api-netflie/_extracted/NotificationFactoryTest__test_build_from_payload_can_build_a_location_notification.json",
    ) else {
        return;
    };
    let MessageContent::Unsupported { kind, raw } = msg(&e).content else {
        panic!()
    };
    assert_eq!(kind, "location");
    assert_eq!(raw.to_value()["location"]["name"], "LOCATION_NAME");
}

#[test]
fn reactions_including_removal() {
    let Some(e) =
        one("restfb/src/test/resources/json/whatsapp/webhook-incoming-message-emoji.json")
    else {
        return;
    };
    assert_eq!(
        *msg(&e).content,
        MessageContent::Reaction {
            message_id: "wamid.xxxxxxxx".into(),
            emoji: "👍🏻".into()
        }
    );
    let Some(e) = one("pywa/_split/message__unreaction_no_emoji.json") else {
        return;
    };
    assert_eq!(
        *msg(&e).content,
        MessageContent::Reaction {
            message_id: "wamid.yzxyzx=".into(),
            emoji: String::new()
        }
    );
}

#[test]
fn edits_revokes_and_echoes() {
    let Some(e) = one("pywa/_split/edited_message__image.json") else {
        return;
    };
    assert_eq!(e.channel_account_id.as_str(), "106540352242922");
    assert_eq!(e.occurred_at, ts(1_749_854_575));
    let EventKind::MessageEdited {
        message_id,
        content,
    } = &e.kind
    else {
        panic!("{e:?}")
    };
    assert_eq!(
        message_id.as_str(),
        "wamid.HBgLMTQxMjU1NTA4MjkVAgASGBQzQUNCNjk5RDUwNUZGMUZEM0VBRAA="
    );
    let MessageContent::Image(media) = content else {
        panic!()
    };
    assert_eq!(media.caption.as_deref(), Some("Updated image caption"));
    assert_eq!(
        media.url.as_deref(),
        Some("https://media.example.com/updated-image.jpg")
    );

    let Some(e) = one("pywa/_split/deleted_message__revoke.json") else {
        return;
    };
    assert_eq!(
        e.kind,
        EventKind::MessageDeleted {
            message_id: "<ORIGINAL_WHATSAPP_MESSAGE_ID>".into()
        }
    );
    // A placeholder instead of a wa_id: kept as the identity, no phone.
    assert_eq!(contact(&e), ("<WHATSAPP_USER_PHONE_NUMBER>", None, None));

    let Some(e) = one("pywa/_split/outgoing_message__text.json") else {
        return;
    };
    let m = msg(&e);
    assert_eq!(
        (m.direction, m.author),
        (Direction::Outbound, AuthorKind::Agent)
    );
    assert_eq!(
        *m.content,
        MessageContent::Text {
            body: "Test message".into()
        }
    );
    assert!(!e.is_inbound_message());
    assert_eq!(contact(&e).0, "<WHATSAPP_USER_PHONE_NUMBER>");

    let Some(e) = one("pywa/_split/outgoing_message__edit.json") else {
        return;
    };
    assert_eq!(
        e.kind,
        EventKind::MessageEdited {
            message_id: "wamid.zzzzzz".into(),
            content: MessageContent::Text {
                body: "Text was edited".into()
            }
        }
    );
}

#[test]
fn system_and_unsupported_messages() {
    let Some(e) = one("pywa/_split/system__phone_number_change.json") else {
        return;
    };
    // A number change is an identity change, no longer a system text message.
    assert_eq!(
        e.kind,
        EventKind::IdentityChanged {
            changes: vec![arichat_core::IdentityChange::WaId {
                old: Some("972987654321".into()),
                new: "972912345678".into()
            }]
        }
    );
    assert_eq!(e.occurred_at, ts(1_753_851_315));

    let Some(e) = one("pywa/_split/message__unsupported_with_type.json") else {
        return;
    };
    let MessageContent::Unsupported { kind, raw } = msg(&e).content else {
        panic!()
    };
    assert_eq!(kind, "unsupported");
    assert_eq!(raw.to_value()["errors"][0]["code"], 131051);
    assert_eq!(raw.to_value()["unsupported"]["type"], "pool");

    let Some(e) =
        one("restfb/src/test/resources/json/whatsapp/webhook-incoming-message-error.json")
    else {
        return;
    };
    let MessageContent::Unsupported { kind, raw } = msg(&e).content else {
        panic!()
    };
    assert_eq!(kind, "unknown");
    assert_eq!(
        raw.to_value()["errors"][0]["title"],
        "Unsupported message type"
    );
}

#[test]
fn value_errors_and_other_fields() {
    let Some(events) = load("pywa/_split/message__interactive_message_with_err.json") else {
        return;
    };
    assert_eq!(events.len(), 2);
    let m = msg(&events[0]);
    assert_eq!(m.id, "wamid.wegrchytvwcggt=");
    assert!(matches!(m.content, MessageContent::Unsupported { kind, .. } if kind == "interactive"));
    let EventKind::Unsupported { vendor_kind, raw } = &events[1].kind else {
        panic!()
    };
    assert_eq!(vendor_kind, "errors");
    assert_eq!(raw.to_value()["errors"][0]["code"], 131000);

    let Some(e) = one("pywa/_split/account_update__account_deleted.json") else {
        return;
    };
    assert_eq!(e.channel_account_id.as_str(), "102290129340398");
    // The entry's `time`, not the wall clock: a redelivered body gives the same event.
    assert_eq!(e.occurred_at, ts(1_743_451_903));
    let EventKind::Unsupported { vendor_kind, raw } = &e.kind else {
        panic!()
    };
    assert_eq!(vendor_kind, "account_update");
    assert_eq!(raw.to_value()["value"]["event"], "ACCOUNT_DELETED");
    assert_eq!(raw.to_value()["field"], "account_update");
}

/// `calls` items: one event per call (kept whole, kind `call`) with the caller as
/// contact and the item's time; a call's `errors` are kept too, and a call status is
/// kept as `status:<name>` (pywa payloads, ../shared/fixtures/SOURCES.md).
#[test]
fn calls_are_kept_item_by_item() {
    let Some(e) = one("pywa/_split/call_connect__user_initiated.json") else {
        return;
    };
    let EventKind::Unsupported { vendor_kind, raw } = &e.kind else {
        panic!("{e:?}")
    };
    assert_eq!(vendor_kind, "call");
    assert_eq!(raw.to_value()["id"], "wacid.xxxx=");
    assert_eq!(raw.to_value()["session"]["sdp_type"], "offer");
    assert_eq!(e.occurred_at, ts(1_752_583_107));
    assert_eq!(contact(&e).0, "972987654321");

    let Some(events) = load("pywa/_split/call_terminate__call_terminate.json") else {
        return;
    };
    assert_eq!(events.len(), 2, "{events:#?}");
    assert!(matches!(&events[0].kind,
        EventKind::Unsupported { vendor_kind, raw } if vendor_kind == "call" && raw.to_value()["duration"] == 120));
    // Business-initiated: the contact is the callee.
    assert_eq!(contact(&events[0]).0, "16315553601");
    assert!(matches!(&events[1].kind,
        EventKind::Unsupported { vendor_kind, .. } if vendor_kind == "errors"));

    let Some(e) = one("pywa/_split/call_status__call_status.json") else {
        return;
    };
    assert!(matches!(&e.kind,
        EventKind::Unsupported { vendor_kind, raw } if vendor_kind == "status:RINGING" && raw.to_value()["type"] == "call"));
    assert_eq!(e.occurred_at, ts(1_671_644_824));

    // Redelivered, the same events (keys and times), whatever the wall clock says.
    let path = fixtures()
        .unwrap()
        .join("pywa/_split/call_terminate__call_terminate.json");
    let later = NormalizeOptions::new(received() + chrono::Duration::days(3));
    let again = normalize(Channel::Whatsapp, &std::fs::read(path).unwrap(), &later).unwrap();
    assert_eq!(again, events);
}

/// `user_preferences`: a marketing-messages resume or sign-up is an opt-in (pywa
/// payloads); a stop is an opt-out (the same payload with Meta's documented `stop`
/// value).
#[test]
fn marketing_preferences_are_consent_signals() {
    let Some(e) = one("pywa/_split/user_marketing_preferences__resume.json") else {
        return;
    };
    assert_eq!(
        e.kind,
        EventKind::Consent {
            signal: arichat_core::ConsentSignal::OptIn,
            detail: Some("marketing_messages:resume".into())
        }
    );
    assert_eq!(contact(&e).0, "16505551234");
    assert_eq!(e.occurred_at, ts(1_731_705_721));

    let path = fixtures()
        .unwrap()
        .join("pywa/_split/user_marketing_preferences__resume.json");
    let mut body: Value = serde_json::from_slice(&std::fs::read(path).unwrap()).unwrap();
    body["entry"][0]["changes"][0]["value"]["user_preferences"][0]["value"] = json!("stop");
    let events = normalize(Channel::Whatsapp, body.to_string().as_bytes(), &opts()).unwrap();
    assert_eq!(events.len(), 1);
    assert_eq!(
        events[0].kind,
        EventKind::Consent {
            signal: arichat_core::ConsentSignal::OptOut,
            detail: Some("marketing_messages:stop".into())
        }
    );
    // An unknown category stays whole.
    body["entry"][0]["changes"][0]["value"]["user_preferences"][0]["category"] = json!("other");
    let events = normalize(Channel::Whatsapp, body.to_string().as_bytes(), &opts()).unwrap();
    assert!(matches!(&events[0].kind,
        EventKind::Unsupported { vendor_kind, .. } if vendor_kind == "user_preferences"));
}

/// A failed status with error 131050 (Meta's error-code reference: the user stopped
/// marketing messages from the business) is the status plus an opt-out; pywa's failed
/// status with its error code swapped for 131050.
#[test]
fn failed_status_131050_is_an_opt_out() {
    let Some(root) = fixtures() else {
        return;
    };
    let text =
        std::fs::read_to_string(root.join("pywa/_split/message_status__failed.json")).unwrap();
    let mut body: Value = serde_json::from_str(&text).unwrap();
    let before = normalize(Channel::Whatsapp, text.as_bytes(), &opts()).unwrap();
    assert_eq!(before.len(), 1, "any other failure is only the status");
    body["entry"][0]["changes"][0]["value"]["statuses"][0]["errors"] = json!([{"code": 131050,
        "title": "Unable to deliver the message. This recipient has chosen to stop receiving marketing messages on WhatsApp from your business"}]);
    let events = normalize(Channel::Whatsapp, body.to_string().as_bytes(), &opts()).unwrap();
    assert_eq!(events.len(), 2, "{events:#?}");
    assert_eq!(status(&events[0]).1, DeliveryStatus::Failed);
    assert_eq!(
        events[1].kind,
        EventKind::Consent {
            signal: arichat_core::ConsentSignal::OptOut,
            detail: Some("whatsapp error 131050".into())
        }
    );
    assert_eq!(events[1].contact, events[0].contact);
    assert_eq!(events[1].occurred_at, events[0].occurred_at);
    assert_eq!(
        events[1].idempotency_key,
        format!("{}:opt_out", events[0].idempotency_key)
    );
}

/// Meta's documentation shows a location message without `type`; pywa's real location
/// with `type` removed keeps its coordinates.
#[test]
fn location_without_type_keeps_coordinates() {
    let Some(root) = fixtures() else {
        return;
    };
    let text =
        std::fs::read_to_string(root.join("pywa/_split/message__current_location.json")).unwrap();
    let mut body: Value = serde_json::from_str(&text).unwrap();
    body["entry"][0]["changes"][0]["value"]["messages"][0]
        .as_object_mut()
        .unwrap()
        .remove("type");
    let events = normalize(Channel::Whatsapp, body.to_string().as_bytes(), &opts()).unwrap();
    assert_eq!(
        *msg(&events[0]).content,
        MessageContent::Location {
            latitude: 12.25089,
            longitude: 43.90539,
            name: None,
            address: None
        }
    );
}

#[test]
fn several_messages_in_one_body() {
    let Some(events) = load(
        "whatsapp-cloud-api-netflie/_extracted/NotificationFactoryTest__test_build_from_payload_can_build_multiple_text_notification.json",
    ) else {
        return;
    };
    let got: Vec<(DateTime<Utc>, &MessageContent)> = events
        .iter()
        .map(|e| (e.occurred_at, msg(e).content))
        .collect();
    assert_eq!(
        got,
        [
            (
                ts(1_669_233_778),
                &MessageContent::Text {
                    body: "MESSAGE_BODY".into()
                }
            ),
            (
                ts(1_669_233_779),
                &MessageContent::Text {
                    body: "MESSAGE_BODY2".into()
                }
            ),
        ]
    );
}

#[test]
fn business_scoped_user_ids() {
    let Some(e) = one(
        "whatsapp-cloud-api-netflie/_extracted/NotificationFactoryTest__test_build_from_payload_can_build_a_notification_with_bsuid_only_and_no_from.json",
    ) else {
        return;
    };
    // "BSUID_123" is a placeholder, not a BSUID (no country code): it names nobody,
    // so the message has no contact rather than a malformed id.
    assert!(e.contact.is_none());
    let Some(e) =
        one("restfb/src/test/resources/json/whatsapp/webhook-incoming-message-text-bsuid.json")
    else {
        return;
    };
    assert_eq!(contact(&e).0, "US.13491208655302741918");
    assert_eq!(bsuid(&e), Some("US.13491208655302741918"));
    let w = e.contact.as_ref().unwrap().identity.as_whatsapp().unwrap();
    assert_eq!(w.wa_id(), None, "a BSUID is never a wa_id");
    assert_eq!(
        *msg(&e).content,
        MessageContent::Text {
            body: "Does it come in another color?".into()
        }
    );
}

/// restfb's captures of Meta's 2026 identity notices: a `user_changed_user_id` system
/// message (new ids only, no `from`) and a `user_id_update` change.
#[test]
fn identity_changes_from_restfb() {
    use arichat_core::IdentityChange;
    let b = |s: &str| s.parse::<arichat_core::Bsuid>().unwrap();
    let Some(e) =
        one("restfb/src/test/resources/json/whatsapp/webhook-incoming-message-system-bsuid.json")
    else {
        return;
    };
    assert_eq!(
        e.kind,
        EventKind::IdentityChanged {
            changes: vec![
                IdentityChange::UserId {
                    old: None,
                    new: b("US.13491208655302741918")
                },
                IdentityChange::ParentUserId {
                    old: None,
                    new: b("US.ENT.11815799212886844830")
                },
            ]
        }
    );
    let Some(e) = one("restfb/src/test/resources/json/whatsapp/webhook-userIdUpdate.json") else {
        return;
    };
    assert_eq!(
        e.kind,
        EventKind::IdentityChanged {
            changes: vec![
                IdentityChange::UserId {
                    old: Some(b("US.10101010101010101010")),
                    new: b("US.13491208655302741918")
                },
                IdentityChange::ParentUserId {
                    old: Some(b("US.ENT.10101010101010101010")),
                    new: b("US.ENT.11815799212886844830")
                },
            ]
        }
    );
    assert_eq!(
        contact(&e),
        ("16505551234", Some("Sheena Nelson"), Some("+16505551234"))
    );
    assert_eq!(
        bsuid(&e),
        Some("US.10101010101010101010"),
        "the ids as they were"
    );
    assert_eq!(e.occurred_at, ts(1_749_416_383));
}

fn arb_json() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::from),
        any::<i64>().prop_map(Value::from),
        any::<f64>().prop_map(Value::from),
        "\\PC{0,12}".prop_map(Value::from),
        prop_oneof![
            Just("text"),
            Just("image"),
            Just("location"),
            Just("interactive"),
            Just("button"),
            Just("reaction"),
            Just("order"),
            Just("system"),
            Just("edit"),
            Just("revoke"),
            Just("messages"),
            Just("statuses"),
            Just("read"),
            Just("failed"),
            Just("played"),
        ]
        .prop_map(Value::from),
    ];
    leaf.prop_recursive(4, 48, 6, |inner| {
        let keys = prop_oneof![
            "[a-z_]{1,8}",
            prop_oneof![
                Just("id"),
                Just("from"),
                Just("type"),
                Just("timestamp"),
                Just("text"),
                Just("body"),
                Just("context"),
                Just("referral"),
                Just("latitude"),
                Just("interactive"),
                Just("button_reply"),
                Just("nfm_reply"),
                Just("edit"),
                Just("message"),
                Just("original_message_id"),
                Just("status"),
                Just("errors"),
                Just("contacts"),
                Just("wa_id"),
                Just("profile"),
                Just("metadata"),
            ]
            .prop_map(str::to_owned),
        ];
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..4).prop_map(Value::Array),
            prop::collection::btree_map(keys, inner, 0..5)
                .prop_map(|m| Value::Object(m.into_iter().collect())),
        ]
    })
}

proptest! {
    #[test]
    fn arbitrary_bytes_never_panic(bytes in prop::collection::vec(any::<u8>(), 0..512)) {
        let _ = normalize(Channel::Whatsapp, &bytes, &opts());
    }

    #[test]
    fn arbitrary_json_never_panics(v in arb_json()) {
        let _ = normalize(Channel::Whatsapp, v.to_string().as_bytes(), &opts());
    }

    /// Arbitrary items inside a real envelope: never an error, never a panic, and
    /// every item gives an event.
    #[test]
    fn arbitrary_items_in_an_envelope(
        messages in prop::collection::vec(arb_json(), 0..4),
        statuses in prop::collection::vec(arb_json(), 0..3),
        field in prop_oneof![Just("messages"), Just("smb_message_echoes"), Just("calls")],
        contact in arb_json(),
    ) {
        let key = if field == "smb_message_echoes" { "message_echoes" } else { "messages" };
        let body = json!({"object": "whatsapp_business_account", "entry": [{"id": "W", "changes": [
            {"field": field, "value": {"metadata": {"phone_number_id": "P"}, "contacts": [contact],
                key: messages, "statuses": statuses}}]}]});
        let events = normalize(Channel::Whatsapp, body.to_string().as_bytes(), &opts()).unwrap();
        let expected = (messages.len() + statuses.len()).max(1);
        prop_assert_eq!(events.len(), expected);
    }
}
