//! `tests/vectors/contacts.json` holds for [`ContactBook`]: resolution by BSUID first
//! then phone, identity changes re-keying in place, typed errors. The Kotlin
//! `ContactTest.kt` reads the same file.

use arichat_core::{
    Channel, ChannelIdentity, ContactBook, ContactId, ContactRef, CoreError, IdentityChange,
    TenantId, WhatsappIdentity, WhatsappIds,
};
use serde_json::{json, Value};

fn vectors() -> Value {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../tests/vectors/contacts.json"
    );
    serde_json::from_slice(&std::fs::read(path).expect("tests/vectors/contacts.json")).unwrap()
}

fn contact_ref(ids: &Value) -> Result<ContactRef, CoreError> {
    let ids: WhatsappIds = serde_json::from_value(ids.clone()).unwrap();
    Ok(ContactRef {
        identity: ChannelIdentity::Whatsapp(WhatsappIdentity::try_from(ids)?),
        display_name: None,
        phone: None,
    })
}

fn change(v: &Value) -> Result<IdentityChange, CoreError> {
    IdentityChange::new(
        v["kind"].as_str().unwrap().parse()?,
        v["old"].as_str(),
        v["new"].as_str().unwrap(),
    )
}

/// One step; `Ok(contact id)` or the error.
fn run(book: &mut ContactBook, step: &Value) -> Result<Option<ContactId>, CoreError> {
    if let Some(ids) = step.get("resolve") {
        let r = contact_ref(ids)?;
        let new_id = ContactId::new(step["new_id"].as_str().unwrap());
        return Ok(Some(book.resolve(&r, || new_id)?.id().clone()));
    }
    let change = change(&step["apply"])?;
    let contact = step.get("contact").map(contact_ref).transpose()?;
    book.apply(contact.as_ref(), &[change])
}

#[test]
fn contact_vectors() {
    let v = vectors();
    let tenant = TenantId::new(v["tenant"].as_str().unwrap());
    let sequences = v["sequences"].as_array().unwrap();
    assert!(sequences.len() >= 6);
    for seq in sequences {
        let name = seq["name"].as_str().unwrap();
        let mut book = ContactBook::new(tenant.clone());
        for (i, step) in seq["steps"].as_array().unwrap().iter().enumerate() {
            let at = format!("{name}, step {i}");
            let before = book.clone();
            match (run(&mut book, step), step.get("error")) {
                (Err(err), Some(code)) => {
                    assert_eq!(err.code(), code.as_str().unwrap(), "{at}");
                    assert_eq!(book, before, "{at}: the book changed on error");
                    assert_eq!(book.len() as u64, step["count"].as_u64().unwrap(), "{at}");
                }
                (Ok(got), None) => {
                    let expect = &step["expect"];
                    let want = expect["contact_id"].as_str().map(ContactId::new);
                    assert_eq!(got, want, "{at}");
                    assert_eq!(book.len() as u64, expect["count"].as_u64().unwrap(), "{at}");
                    let Some(id) = got else { continue };
                    let contact = book.get(&id).unwrap();
                    let identity = contact
                        .identity(Channel::Whatsapp)
                        .and_then(ChannelIdentity::as_whatsapp)
                        .map(|w| serde_json::to_value(WhatsappIds::from(w.clone())).unwrap());
                    assert_eq!(identity.as_ref(), Some(&expect["identity"]), "{at}");
                    let phone = contact.phone().map(|p| json!(p.as_str()));
                    assert_eq!(phone.unwrap_or(Value::Null), expect["phone"], "{at}");
                }
                (got, _) => panic!("{at}: got {got:?}, expected {step}"),
            }
        }
    }
}

#[test]
fn a_book_survives_json() {
    let v = vectors();
    let mut book = ContactBook::new(TenantId::new("acme"));
    // The contacts of the first three sequences in one book, then out and back.
    for seq in v["sequences"].as_array().unwrap().iter().take(3) {
        for step in seq["steps"].as_array().unwrap() {
            run(&mut book, step).unwrap();
        }
    }
    assert!(book.len() >= 2);
    let back = ContactBook::from_json(&book.to_json()).unwrap();
    assert_eq!(back, book);
    let err = ContactBook::from_json(
        r#"{"tenant_id":"acme","contacts":[{"id":"c-1","tenant_id":"other"}]}"#,
    )
    .unwrap_err();
    assert_eq!(err.code(), "invalid_config");
    let err = ContactBook::from_json(r#"{"tenant_id":"acme","contacts":[{"id":"c-1","tenant_id":"acme","identities":[{"channel":"whatsapp","user_id":"US.x-y"}]}]}"#)
        .unwrap_err();
    assert_eq!(err.code(), "invalid_json");
}
