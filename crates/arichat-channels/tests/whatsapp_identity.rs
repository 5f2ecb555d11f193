//! WhatsApp identities since 2026 (BSUIDs, usernames, identity changes) on payloads
//! built from Meta's documented shapes (`data/whatsapp-2026/SOURCES.md`), normalized
//! and then resolved to contacts.

use arichat_channels::{normalize, NormalizeOptions};
use arichat_core::{
    Channel, ContactBook, ContactId, DeliveryStatus, Event, EventKind, IdentityChange, TenantId,
    WhatsappIdentity,
};
use chrono::{TimeZone, Utc};

fn events(file: &str) -> Vec<Event> {
    let path = format!(
        "{}/tests/data/whatsapp-2026/{file}",
        env!("CARGO_MANIFEST_DIR")
    );
    let body = std::fs::read(&path).unwrap_or_else(|e| panic!("{path}: {e}"));
    let opts = NormalizeOptions::new(Utc.with_ymd_and_hms(2030, 1, 1, 0, 0, 0).unwrap());
    normalize(Channel::Whatsapp, &body, &opts).unwrap()
}

fn one(file: &str) -> Event {
    let mut all = events(file);
    assert_eq!(all.len(), 1, "{file}: {all:?}");
    all.remove(0)
}

fn identity(e: &Event) -> &WhatsappIdentity {
    e.contact
        .as_ref()
        .expect("contact")
        .identity
        .as_whatsapp()
        .expect("whatsapp")
}

fn bsuid(s: &str) -> arichat_core::Bsuid {
    s.parse().unwrap()
}

#[test]
fn username_user_without_phone() {
    let e = one("text_username_no_phone.json");
    let id = identity(&e);
    assert_eq!(id.wa_id(), None, "a BSUID is never a wa_id");
    assert_eq!(id.user_id(), Some(&bsuid("US.13491208655302741918")));
    assert_eq!(
        id.parent_user_id(),
        Some(&bsuid("US.ENT.11815799212886844830"))
    );
    assert_eq!(id.username().unwrap().as_str(), "sheena.nelson");
    let c = e.contact.as_ref().unwrap();
    assert!(c.phone.is_none());
    assert_eq!(c.display_name.as_deref(), Some("Sheena Nelson"));
    let json = serde_json::to_value(&c.identity).unwrap();
    assert_eq!(
        json,
        serde_json::json!({"channel": "whatsapp", "user_id": "US.13491208655302741918",
            "parent_user_id": "US.ENT.11815799212886844830", "username": "sheena.nelson"})
    );
}

#[test]
fn status_to_a_bsuid() {
    let e = one("status_bsuid_only.json");
    assert!(matches!(
        e.kind,
        EventKind::Status {
            status: DeliveryStatus::Delivered,
            ..
        }
    ));
    let id = identity(&e);
    assert_eq!(id.wa_id(), None);
    assert_eq!(id.user_id(), Some(&bsuid("US.13491208655302741918")));
    assert_eq!(
        id.parent_user_id(),
        Some(&bsuid("US.ENT.11815799212886844830"))
    );
}

#[test]
fn system_bsuid_change_is_identity_changed() {
    let e = one("system_user_changed_user_id.json");
    assert_eq!(
        e.kind,
        EventKind::IdentityChanged {
            changes: vec![IdentityChange::UserId {
                old: Some(bsuid("US.13491208655302741918")),
                new: bsuid("US.24817305912873645029"),
            }]
        }
    );
    assert_eq!(e.kind.name(), "identity_changed");
    assert_eq!(
        e.idempotency_key,
        "whatsapp:106540352242922:msg:wamid.HBgLMTY1MDM4Nzk0MzkVAgASGBQzQUVEQ0FFMkI2QjFGRjNFRDQA"
    );
    assert_eq!(e.occurred_at, Utc.timestamp_opt(1_750_090_800, 0).unwrap());
    // The contact is the user as they were.
    assert_eq!(
        identity(&e).user_id(),
        Some(&bsuid("US.13491208655302741918"))
    );
}

#[test]
fn system_number_change_is_identity_changed() {
    let e = one("system_user_changed_number.json");
    assert_eq!(
        e.kind,
        EventKind::IdentityChanged {
            changes: vec![IdentityChange::WaId {
                old: Some("16505551234".into()),
                new: "16505559876".into(),
            }]
        }
    );
    let json = serde_json::to_value(&e).unwrap();
    assert_eq!(json["kind"], "identity_changed");
    assert_eq!(
        json["changes"][0],
        serde_json::json!({"id": "wa_id", "old": "16505551234", "new": "16505559876"})
    );
}

#[test]
fn user_id_update_field_is_identity_changed() {
    let e = one("user_id_update.json");
    assert_eq!(
        e.kind,
        EventKind::IdentityChanged {
            changes: vec![
                IdentityChange::UserId {
                    old: Some(bsuid("US.13491208655302741918")),
                    new: bsuid("US.24817305912873645029"),
                },
                IdentityChange::ParentUserId {
                    old: Some(bsuid("US.ENT.11815799212886844830")),
                    new: bsuid("US.ENT.22926800323997955941"),
                },
            ]
        }
    );
    assert_eq!(
        e.idempotency_key,
        "whatsapp:106540352242922:user_id_update:US.24817305912873645029:US.ENT.22926800323997955941"
    );
    assert_eq!(e.occurred_at, Utc.timestamp_opt(1_750_091_000, 0).unwrap());
    let id = identity(&e);
    assert_eq!(id.wa_id(), Some("16505551234"));
    assert_eq!(id.user_id(), Some(&bsuid("US.13491208655302741918")));
    // A redelivery gives the same event.
    assert_eq!(events("user_id_update.json"), vec![e]);
}

/// The whole flow: a username user writes, a phone-keyed contact exists, the BSUID
/// rotates and the number changes; the book keeps one contact throughout.
#[test]
fn normalized_events_keep_one_contact() {
    let mut book = ContactBook::new(TenantId::new("acme"));
    let mut n = 0;
    let mut next = || {
        n += 1;
        ContactId::new(format!("c-{n}"))
    };
    // The user first wrote with their phone and BSUID (user_id_update's contact).
    let first = one("user_id_update.json");
    let seed = first.contact.clone().unwrap();
    let c = book.resolve(&seed, &mut next).unwrap().id().clone();
    // The BSUID and parent rotate.
    assert_eq!(
        book.record_event(&first, &mut next).unwrap(),
        Some(c.clone())
    );
    let held = book.find(&seed.identity).map(|x| x.id().clone());
    assert_eq!(held, Some(c.clone()), "found by wa_id after the rotation");
    // The number changes.
    let renumber = one("system_user_changed_number.json");
    assert_eq!(
        book.record_event(&renumber, &mut next).unwrap(),
        Some(c.clone())
    );
    assert_eq!(
        book.get(&c).unwrap().phone().unwrap().as_str(),
        "+16505559876"
    );
    assert_eq!(book.len(), 1);
}

/// `tests/vectors/identity.json`, shared with the Python and Node tests.
#[test]
fn identity_vectors() {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../tests/vectors/identity.json"
    );
    let v: serde_json::Value = serde_json::from_slice(&std::fs::read(path).unwrap()).unwrap();
    let received = v["received_at"].as_str().unwrap().parse().unwrap();
    let opts = NormalizeOptions::new(received);
    for case in v["cases"].as_array().unwrap() {
        let name = case["name"].as_str().unwrap();
        let body = case["body"].as_str().unwrap();
        let events = normalize(Channel::Whatsapp, body.as_bytes(), &opts).unwrap();
        assert_eq!(events.len(), 1, "{name}");
        let got = serde_json::to_value(&events[0]).unwrap();
        assert_eq!(got["kind"], case["kind"], "{name}");
        let contact = &got["contact"];
        let identity = contact.get("identity").cloned().unwrap_or_default();
        assert_eq!(identity, case["identity"], "{name}");
        let phone = contact.get("phone").cloned().unwrap_or_default();
        assert_eq!(phone, case["phone"], "{name}");
        if let Some(changes) = case.get("changes") {
            assert_eq!(&got["changes"], changes, "{name}");
        }
    }
}
