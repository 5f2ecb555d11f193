//! WhatsApp identities across contacts, leads and consent: resolution by BSUID first,
//! identity changes re-keying in place, and JSON written before BSUIDs had a field.

use arichat_core::consent::{ConsentEvidence, ConsentPolicy};
use arichat_core::{
    Bsuid, Channel, ChannelAccountId, ChannelIdentity, ConsentLedger, ConsentStatus, Contact,
    ContactBook, ContactId, ContactRef, Event, EventKind, IdentityChange, Lead, TenantId,
    WhatsappIdentity,
};
use chrono::{DateTime, TimeZone, Utc};

fn now() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 7, 1, 12, 0, 0).unwrap()
}

fn wa(wa_id: Option<&str>, user_id: Option<&str>, username: Option<&str>) -> ContactRef {
    ContactRef {
        identity: ChannelIdentity::Whatsapp(
            WhatsappIdentity::new(wa_id, user_id, None, username).unwrap(),
        ),
        display_name: None,
        phone: None,
    }
}

fn held(book: &ContactBook, id: &ContactId) -> WhatsappIdentity {
    book.get(id)
        .unwrap()
        .identity(Channel::Whatsapp)
        .and_then(ChannelIdentity::as_whatsapp)
        .unwrap()
        .clone()
}

fn changed(contact: ContactRef, changes: Vec<IdentityChange>) -> Event {
    Event::new(
        "whatsapp:PN1:user_id_update:x".into(),
        Channel::Whatsapp,
        ChannelAccountId::new("PN1"),
        Some(contact),
        now(),
        EventKind::IdentityChanged { changes },
    )
}

#[test]
fn bsuid_first_then_phone_never_two_contacts() {
    let mut book = ContactBook::new(TenantId::new("acme"));
    // An agent entered the contact by phone.
    let mut ana = Contact::new(ContactId::new("c-ana"), TenantId::new("acme"));
    ana.set_phone("+57 300 1234567", None).unwrap();
    book.insert(ana).unwrap();
    let fresh = || ContactId::new("c-new");

    // First message: wa_id and BSUID. The phone-keyed contact gets both.
    let first = book
        .resolve(
            &wa(Some("573001234567"), Some("CO.1349120865530274"), None),
            fresh,
        )
        .unwrap()
        .id()
        .clone();
    assert_eq!(first.as_str(), "c-ana");
    // Later: the username user's phone is withheld; BSUID only, with a username.
    let later = book
        .resolve(&wa(None, Some("CO.1349120865530274"), Some("ana_p")), fresh)
        .unwrap()
        .id()
        .clone();
    assert_eq!(later, first);
    assert_eq!(book.len(), 1);
    let id = held(&book, &first);
    assert_eq!(id.wa_id(), Some("573001234567"));
    assert_eq!(id.user_id().unwrap().as_str(), "CO.1349120865530274");
    assert_eq!(id.username().unwrap().as_str(), "ana_p");

    // Someone else's BSUID is a new contact.
    let other = book
        .resolve(&wa(None, Some("CO.999"), None), fresh)
        .unwrap()
        .id()
        .clone();
    assert_eq!(other.as_str(), "c-new");
    assert_eq!(book.len(), 2);
}

#[test]
fn bsuid_seen_first_then_phone_is_one_contact() {
    let mut book = ContactBook::new(TenantId::new("acme"));
    let a = book
        .resolve(&wa(None, Some("US.77"), None), || ContactId::new("c-1"))
        .unwrap()
        .id()
        .clone();
    let b = book
        .resolve(&wa(Some("16505551234"), Some("US.77"), None), || {
            ContactId::new("c-2")
        })
        .unwrap()
        .id()
        .clone();
    assert_eq!(a, b);
    assert_eq!(book.len(), 1);
    assert_eq!(
        book.get(&a).unwrap().phone().unwrap().as_str(),
        "+16505551234"
    );
}

#[test]
fn identity_change_keeps_contact_lead_and_opt_out() {
    let mut book = ContactBook::new(TenantId::new("acme"));
    let contact = book
        .resolve(&wa(Some("573001234567"), Some("CO.1"), None), || {
            ContactId::new("c-1")
        })
        .unwrap()
        .id()
        .clone();
    let lead = Lead::new(
        arichat_core::LeadId::new("lead-1"),
        TenantId::new("acme"),
        contact.clone(),
        Channel::Whatsapp,
        now(),
    );
    let mut ledger = ConsentLedger::new(ConsentPolicy::default());
    ledger.record_manual(
        &contact,
        Channel::Whatsapp,
        ConsentStatus::OptedOut,
        ConsentEvidence::Agent {
            agent: "agent-7".into(),
            note: String::new(),
        },
        now(),
    );

    // The BSUID rotates, then the number changes.
    let rotate = changed(
        wa(None, Some("CO.1"), None),
        vec![IdentityChange::UserId {
            old: Some(Bsuid::parse("CO.1").unwrap()),
            new: Bsuid::parse("CO.2").unwrap(),
        }],
    );
    let unused = || ContactId::new("never");
    assert_eq!(
        book.record_event(&rotate, unused).unwrap(),
        Some(contact.clone())
    );
    let renumber = changed(
        wa(Some("573001234567"), None, None),
        vec![IdentityChange::WaId {
            old: Some("573001234567".into()),
            new: "573009876543".into(),
        }],
    );
    assert_eq!(
        book.record_event(&renumber, unused).unwrap(),
        Some(contact.clone())
    );

    // A message under the new ids finds the same contact, lead and opt-out.
    let again = book
        .resolve(&wa(Some("573009876543"), Some("CO.2"), None), unused)
        .unwrap();
    assert_eq!(again.id(), &contact);
    assert_eq!(again.phone().unwrap().as_str(), "+573009876543");
    assert_eq!(book.len(), 1);
    assert_eq!(lead.contact_id(), &contact);
    assert_eq!(
        ledger.get(&contact, Channel::Whatsapp).unwrap().status,
        ConsentStatus::OptedOut
    );
    // The old BSUID names nobody any more.
    assert!(book.find(&wa(None, Some("CO.1"), None).identity).is_none());
}

#[test]
fn change_about_an_unknown_user_touches_nothing() {
    let mut book = ContactBook::new(TenantId::new("acme"));
    book.resolve(&wa(Some("573001234567"), None, None), || {
        ContactId::new("c-1")
    })
    .unwrap();
    let before = book.clone();
    let e = changed(
        wa(None, Some("CO.404"), None),
        vec![IdentityChange::UserId {
            old: Some(Bsuid::parse("CO.404").unwrap()),
            new: Bsuid::parse("CO.405").unwrap(),
        }],
    );
    assert_eq!(
        book.record_event(&e, || ContactId::new("never")).unwrap(),
        None
    );
    assert_eq!(book, before);
}

/// JSON exactly as the release before BSUIDs writes it (`Contact` with serde_json,
/// `Lead::to_json`), including an event contact whose BSUID sat in `wa_id`.
#[test]
fn json_of_the_current_release_still_reads() {
    let contact: Contact = serde_json::from_str(
        r#"{"id":"c-1","tenant_id":"acme","identities":[{"channel":"whatsapp","wa_id":"573001234567"}],"phone":"+573001234567"}"#,
    )
    .unwrap();
    let w = contact
        .identity(Channel::Whatsapp)
        .and_then(ChannelIdentity::as_whatsapp)
        .unwrap();
    assert_eq!(w.wa_id(), Some("573001234567"));
    assert!(w.user_id().is_none());
    // Written back unchanged.
    assert_eq!(
        serde_json::to_string(&contact).unwrap(),
        r#"{"id":"c-1","tenant_id":"acme","identities":[{"channel":"whatsapp","wa_id":"573001234567"}],"phone":"+573001234567"}"#
    );

    let lead = Lead::from_json(
        r#"{"id":"lead-1","tenant_id":"acme","contact_id":"c-1","status":"unattended","stage":"iql","source":{"channel":"whatsapp"},"created_at":"2026-03-01T12:00:00Z","updated_at":"2026-03-01T12:00:00Z","history":[]}"#,
    )
    .unwrap();
    assert_eq!(lead.contact_id(), contact.id());

    // An event the previous release wrote for a BSUID-only message: the BSUID moves
    // to `user_id` and the contact resolves by it.
    let r: ContactRef = serde_json::from_str(
        r#"{"identity":{"channel":"whatsapp","wa_id":"US.13491208655302741918"}}"#,
    )
    .unwrap();
    let w = r.identity.as_whatsapp().unwrap();
    assert_eq!(w.wa_id(), None);
    assert_eq!(w.user_id().unwrap().as_str(), "US.13491208655302741918");
}
