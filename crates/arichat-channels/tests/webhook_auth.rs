//! Webhook authentication against the shared vectors (`tests/vectors/webhook_auth.json`,
//! also checked from Python and Node): per-tenant secrets, and blank secrets refused.

use arichat_channels::verify::{
    meta_handshake, verify_telegram_secret, SignatureVerifier, WebhookAccount, WebhookVerifier,
};
use arichat_channels::{Channel, NormalizeOptions};
use chrono::{TimeZone, Utc};
use serde_json::Value;

fn vectors() -> Value {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../tests/vectors/webhook_auth.json"
    );
    serde_json::from_slice(&std::fs::read(path).unwrap()).unwrap()
}

fn verifier(v: &Value) -> WebhookVerifier {
    let accounts: Vec<WebhookAccount> = serde_json::from_value(v["accounts"].clone()).unwrap();
    WebhookVerifier::from_accounts(accounts).unwrap()
}

#[test]
fn every_vector_case() {
    let v = vectors();
    let verifier = verifier(&v);
    let cases = v["cases"].as_array().unwrap();
    assert!(cases.len() >= 10);
    for case in cases {
        let name = case["name"].as_str().unwrap();
        let channel: Channel = case["channel"].as_str().unwrap().parse().unwrap();
        let body = case["body"].as_str().unwrap().as_bytes();
        let header = match case.get("sign_with") {
            Some(secret) => Some(SignatureVerifier::sign(secret.as_str().unwrap(), body)),
            None => case["header"].as_str().map(str::to_owned),
        };
        let mut options = NormalizeOptions::new(Utc.timestamp_opt(1_700_000_100, 0).unwrap());
        if let Some(account) = case["account"].as_str() {
            options = options.with_account(account);
        }
        let got = verifier.normalize(channel, body, header.as_deref(), &options);
        match (&case["expect"]["tenants"], &case["expect"]["error"]) {
            (Value::Array(tenants), _) => {
                let events = got.unwrap_or_else(|e| panic!("{name}: {e}"));
                let got: Vec<&str> = events
                    .iter()
                    .map(|e| e.tenant_id.as_ref().unwrap().as_str())
                    .collect();
                let want: Vec<&str> = tenants.iter().map(|t| t.as_str().unwrap()).collect();
                assert_eq!(got, want, "{name}");
            }
            (_, Value::String(code)) => {
                let err = got.err().unwrap_or_else(|| panic!("{name}: accepted"));
                assert_eq!(err.code(), code, "{name}: {err}");
            }
            other => panic!("{name}: bad expectation {other:?}"),
        }
    }
}

#[test]
fn invalid_accounts_are_refused_when_added() {
    let v = vectors();
    for case in v["invalid_accounts"].as_array().unwrap() {
        let account: WebhookAccount = serde_json::from_value(case["account"].clone()).unwrap();
        let err = WebhookVerifier::from_accounts([account]).unwrap_err();
        assert_eq!(err.code(), "invalid_config", "{}", case["name"]);
    }
}

#[test]
fn blank_secrets_never_authenticate() {
    let v = vectors();
    let body = br#"{"object":"page","entry":[]}"#;
    for blank in v["blank_secrets"].as_array().unwrap() {
        let blank = blank.as_str().unwrap();
        let err = SignatureVerifier::new([blank]).unwrap_err();
        assert_eq!(err.code(), "invalid_config");
        let secret = blank.to_owned().into();
        let err = verify_telegram_secret(Some(blank), &secret).unwrap_err();
        assert_eq!(err.code(), "invalid_config");
        let q = format!("hub.mode=subscribe&hub.verify_token={blank}&hub.challenge=7");
        assert_eq!(
            meta_handshake(&q, &secret).unwrap_err().code(),
            "invalid_config"
        );
        let mut tenants = WebhookVerifier::new();
        let err = tenants
            .add(Channel::Whatsapp, "PN", "t", [blank])
            .unwrap_err();
        assert_eq!(err.code(), "invalid_config");
        // The signature an attacker computes with the empty key gets nowhere.
        assert!(tenants
            .normalize(
                Channel::Messenger,
                body,
                Some(&SignatureVerifier::sign(blank, body)),
                &NormalizeOptions::new(Utc::now()),
            )
            .is_err());
    }
}

#[test]
fn a_refused_body_emits_nothing_and_debug_hides_secrets() {
    let v = vectors();
    let verifier = verifier(&v);
    let dbg = format!("{verifier:?}");
    for secret in ["secret-a", "secret-b", "tg-token-a"] {
        assert!(!dbg.contains(secret), "{dbg}");
    }
    assert!(dbg.contains("tenant-a"), "{dbg}");
    let account: WebhookAccount = serde_json::from_value(v["accounts"][0].clone()).unwrap();
    assert!(!format!("{account:?}").contains("secret-a"));
    let err = verifier
        .normalize(
            Channel::Whatsapp,
            v["cases"][2]["body"].as_str().unwrap().as_bytes(),
            Some(&SignatureVerifier::sign("secret-b", b"other")),
            &NormalizeOptions::new(Utc::now()),
        )
        .unwrap_err();
    assert!(!err.to_string().contains("secret"), "{err}");
}

#[test]
fn the_directory_routes_what_the_verifier_knows() {
    let verifier = verifier(&vectors());
    let dir = verifier.directory();
    assert_eq!(
        dir.tenant_for(Channel::Telegram, &"7002".into())
            .unwrap()
            .as_str(),
        "tenant-b"
    );
    assert!(dir
        .tenant_for(Channel::Instagram, &"PAGE-A".into())
        .is_err());
}
