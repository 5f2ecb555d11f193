//! WhatsApp groups: a message written in a group and the statuses of messages sent to
//! one carry the group, belong to the group's conversation, and never reach the
//! participant's lead (no engagement, no consent change). Payloads: Meta's group
//! messages reference (`data/whatsapp-2026/group_text.json`, see its SOURCES.md) and
//! restfb's and pywa's group statuses (`../shared/fixtures/SOURCES.md`).

mod common;

use arichat_channels::{normalize, NormalizeOptions};
use arichat_core::consent::ConsentPolicy;
use arichat_core::scoring::EngagementEvent;
use arichat_core::{
    Channel, ConsentLedger, ContactBook, ContactId, Conversation, Event, EventKind, GroupId,
    TenantId,
};
use chrono::{TimeZone, Utc};
use serde_json::Value;

const GROUP: &str = "120363418770915618@g.us";

fn run(body: &[u8]) -> Vec<Event> {
    let opts = NormalizeOptions::new(Utc.with_ymd_and_hms(2030, 1, 1, 0, 0, 0).unwrap());
    normalize(Channel::Whatsapp, body, &opts).unwrap()
}

fn group_text() -> Value {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/data/whatsapp-2026/group_text.json"
    );
    serde_json::from_slice(&std::fs::read(path).unwrap()).unwrap()
}

/// The group text with its body replaced, in the group or (without `group_id`) one to one.
fn text(body: &str, in_group: bool) -> Event {
    let mut payload = group_text();
    let message = &mut payload["entry"][0]["changes"][0]["value"]["messages"][0];
    message["text"]["body"] = body.into();
    if !in_group {
        message.as_object_mut().unwrap().remove("group_id");
    }
    let mut events = run(payload.to_string().as_bytes());
    assert_eq!(events.len(), 1);
    events.remove(0)
}

#[test]
fn a_group_message_names_its_group_and_its_writer() {
    let e = text("¿alguien sabe el precio del plan empresa?", true);
    assert_eq!(e.group_id, Some(GroupId::new(GROUP)));
    assert_eq!(e.kind.name(), "message");
    let writer = e.contact.as_ref().unwrap();
    assert_eq!(writer.identity.id(), "16505551234");
    assert_eq!(writer.display_name.as_deref(), Some("Pablo M."));
    // The group travels in the event's JSON and back.
    let json = serde_json::to_value(&e).unwrap();
    assert_eq!(json["group_id"], GROUP);
    assert_eq!(serde_json::from_value::<Event>(json).unwrap(), e);
    // A one-to-one message has none, and none in its JSON.
    let direct = text("hola", false);
    assert_eq!(direct.group_id, None);
    assert!(serde_json::to_value(&direct)
        .unwrap()
        .get("group_id")
        .is_none());
}

#[test]
fn a_group_is_its_own_conversation_and_nobody_s_lead() {
    let tenant = TenantId::new("acme");
    let mut book = ContactBook::new(tenant.clone());
    let in_group = text("STOP", true);
    let direct = text("STOP", false);
    // The writer is one contact, whichever thread they wrote in.
    let a = book
        .record_event(&in_group, || ContactId::new("c-1"))
        .unwrap()
        .unwrap();
    let b = book
        .record_event(&direct, || ContactId::new("c-2"))
        .unwrap()
        .unwrap();
    assert_eq!((a.as_str(), b.as_str()), ("c-1", "c-1"));
    // Two threads: the group's and the contact's own.
    let group_key = Conversation::key_for_event(&tenant, &in_group, &a);
    let direct_key = Conversation::key_for_event(&tenant, &direct, &a);
    assert_ne!(group_key, direct_key);
    assert_eq!(
        group_key.as_str(),
        format!("acme:whatsapp:106540352242922:group:{GROUP}")
    );
    assert_eq!(direct_key.as_str(), "acme:whatsapp:106540352242922:c-1");
    let conversation = Conversation::for_group(
        tenant.clone(),
        Channel::Whatsapp,
        in_group.channel_account_id.clone(),
        GroupId::new(GROUP),
    );
    assert_eq!(conversation.id, group_key);
    // What the writer says in the group earns their lead nothing and changes no consent.
    assert!(EngagementEvent::from_event(&in_group).is_empty());
    assert_eq!(EngagementEvent::from_event(&direct).len(), 1);
    let mut ledger = ConsentLedger::new(ConsentPolicy::default());
    assert!(ledger.record_event(&a, &in_group).is_none());
    assert!(ledger.record_event(&a, &direct).is_some());
}

#[test]
fn statuses_of_group_messages_carry_the_group() {
    let Some(root) = common::fixtures_root(&["whatsapp"]) else {
        return;
    };
    let cases = [
        (
            "whatsapp/restfb/src/test/resources/json/whatsapp/webhook-incoming-message-status-group-bsuid.json",
            GROUP,
            "16505551234",
        ),
        (
            "whatsapp/pywa/_split/message_status__group.json",
            "fowefinoewcnw",
            "<GROUP_PARTICIPANT_USER_PHONE_NUMBER>",
        ),
    ];
    for (file, group, participant) in cases {
        let events = run(&std::fs::read(root.join(file)).unwrap());
        assert_eq!(events.len(), 1, "{file}");
        let e = &events[0];
        assert!(matches!(e.kind, EventKind::Status { .. }), "{file}");
        assert_eq!(e.group_id, Some(GroupId::new(group)), "{file}");
        let who = e.contact.as_ref().unwrap().identity.as_whatsapp().unwrap();
        assert_eq!(who.wa_id().unwrap_or(who.key()), participant, "{file}");
        assert!(EngagementEvent::from_event(e).is_empty(), "{file}");
    }
}
