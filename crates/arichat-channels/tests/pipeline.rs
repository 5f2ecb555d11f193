//! The inbound pipeline end to end, as a host wires it: verify → normalize → route →
//! dedup → conversation window. Uses the demo's sample webhooks (examples/data/demo).

use std::path::Path;

use arichat_channels::verify::{verify_telegram_secret, SignatureVerifier};
use arichat_channels::{normalize, ChannelError, NormalizeOptions};
use arichat_core::dedup::{IdempotencyStore, MemoryIdempotencyStore, Seen};
use arichat_core::window::ServiceWindow;
use arichat_core::{
    Channel, ChannelAccountId, Conversation, CoreError, EventKind, TenantDirectory,
};
use chrono::{DateTime, Utc};

fn demo_dir() -> &'static Path {
    Path::new(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../examples/data/demo"
    ))
}

fn manifest() -> serde_json::Value {
    serde_json::from_slice(&std::fs::read(demo_dir().join("manifest.json")).unwrap()).unwrap()
}

fn directory(m: &serde_json::Value) -> TenantDirectory {
    let mut dir = TenantDirectory::new();
    // The channels the sample has an account on.
    for channel in Channel::ALL {
        let Some(account) = m["accounts"][channel.as_str()].as_str() else {
            continue;
        };
        dir.insert(channel, account, m["tenant"].as_str().unwrap());
    }
    dir
}

#[test]
fn sample_webhooks_flow_through_the_pipeline_once() {
    let m = manifest();
    let now: DateTime<Utc> = m["now"].as_str().unwrap().parse().unwrap();
    let verifier = SignatureVerifier::new([m["app_secret"].as_str().unwrap()]).unwrap();
    let tg_secret = m["telegram_secret"].as_str().unwrap().to_owned().into();
    let dir = directory(&m);
    let mut store = MemoryIdempotencyStore::default();
    let (mut applied, mut duplicates) = (0, 0);
    let mut conversations = std::collections::HashMap::new();

    for hook in m["webhooks"].as_array().unwrap() {
        let channel: Channel = hook["channel"].as_str().unwrap().parse().unwrap();
        let body = std::fs::read(demo_dir().join(hook["file"].as_str().unwrap())).unwrap();
        let headers = &hook["headers"];
        match channel {
            Channel::Telegram => verify_telegram_secret(
                headers["X-Telegram-Bot-Api-Secret-Token"].as_str(),
                &tg_secret,
            )
            .unwrap(),
            _ => {
                verifier
                    .verify(&body, headers["X-Hub-Signature-256"].as_str())
                    .unwrap();
            }
        }
        let options =
            NormalizeOptions::new(now).with_account(m["accounts"]["telegram"].as_str().unwrap());
        for mut event in normalize(channel, &body, &options).unwrap() {
            dir.route(&mut event).unwrap();
            assert_eq!(event.tenant_id.as_ref().unwrap().as_str(), "demo-bank");
            match store.check_and_insert(&event.idempotency_key, now).unwrap() {
                Seen::Duplicate => {
                    duplicates += 1;
                    continue;
                }
                Seen::New => applied += 1,
            }
            if let (true, Some(contact)) = (event.is_inbound_message(), &event.contact) {
                let key = (event.channel, contact.identity.id().to_owned());
                let conv = conversations.entry(key).or_insert_with(|| {
                    Conversation::new(
                        "demo-bank".into(),
                        event.channel,
                        event.channel_account_id.clone(),
                        contact.identity.id().into(),
                    )
                });
                conv.record_inbound(event.occurred_at);
            }
        }
    }
    assert_eq!(duplicates, 1, "the redelivered WhatsApp body is recognised");
    assert!(applied >= 14, "applied {applied}");
    // Jorge wrote ~22h before "now": his WhatsApp window is open but closes within 2 hours.
    let jorge = &conversations[&(Channel::Whatsapp, "5215512345678".to_owned())];
    let window = ServiceWindow::of(jorge);
    assert!(window.is_open(now));
    assert!(window.remaining(now).unwrap() < chrono::Duration::hours(2));
    // Telegram has no window.
    let sofia = &conversations[&(Channel::Telegram, "55501234".to_owned())];
    assert_eq!(ServiceWindow::of(sofia).closes_at(), None);
}

#[test]
fn tampered_body_and_foreign_account_are_rejected() {
    let m = manifest();
    let now: DateTime<Utc> = m["now"].as_str().unwrap().parse().unwrap();
    let hook = &m["webhooks"][0];
    let body = std::fs::read(demo_dir().join(hook["file"].as_str().unwrap())).unwrap();
    let mut tampered = body.clone();
    let pos = tampered.iter().position(|b| *b == b'H').unwrap();
    tampered[pos] = b'J';
    let verifier = SignatureVerifier::new([m["app_secret"].as_str().unwrap()]).unwrap();
    let err = verifier
        .verify(&tampered, hook["headers"]["X-Hub-Signature-256"].as_str())
        .unwrap_err();
    assert_eq!(ChannelError::from(err).code(), "verification_failed");

    // A directory without this tenant's WhatsApp number routes nothing.
    let mut other = TenantDirectory::new();
    other.insert(Channel::Whatsapp, "999999999", "someone-else");
    let mut event = normalize(Channel::Whatsapp, &body, &NormalizeOptions::new(now))
        .unwrap()
        .remove(0);
    let err = other.route(&mut event).unwrap_err();
    assert!(matches!(
        err,
        CoreError::UnknownAccount {
            channel: Channel::Whatsapp,
            ..
        }
    ));
    assert_eq!(event.tenant_id, None);
    assert_eq!(
        event.channel_account_id,
        ChannelAccountId::new(m["accounts"]["whatsapp"].as_str().unwrap())
    );
}

#[test]
fn ad_click_referral_is_attributed() {
    let m = manifest();
    let now: DateTime<Utc> = m["now"].as_str().unwrap().parse().unwrap();
    let body = std::fs::read(demo_dir().join("wa-01-ad-click.json")).unwrap();
    let events = normalize(Channel::Whatsapp, &body, &NormalizeOptions::new(now)).unwrap();
    let EventKind::Message {
        referral: Some(referral),
        ..
    } = &events[0].kind
    else {
        panic!("expected a message with a referral: {:?}", events[0].kind);
    };
    assert_eq!(referral.source_id.as_deref(), Some("120208812345670001"));
    assert!(referral
        .ctwa_clid
        .as_deref()
        .is_some_and(|c| c.starts_with("ARAkLkA8")));
    let contact = events[0].contact.as_ref().unwrap();
    assert_eq!(contact.phone.as_ref().unwrap().as_str(), "+573001234567");
    assert_eq!(contact.display_name.as_deref(), Some("Ana Pérez"));
}
