//! No planted phone, email or secret in any error string or `Debug` output, over a
//! corpus of malformed bodies (the fuzz targets' property, deterministic here) and the
//! verification fault cases.
//!
//! Every value in the seed bodies is one of the planted strings, so wherever a
//! mutation makes serde_json, a mapper or a verifier complain, the complaint is about
//! a planted value. Seeds: one WhatsApp message with a shared contact card, one
//! Messenger message, one Telegram update with a contact; mutations: truncation at
//! every byte, each string turned into a number, an array, an object, a lone
//! surrogate, a bad escape; pseudo-random byte flips, removals and splices (a splice
//! can copy a planted value into a message id, which `Debug` shows: those bodies are
//! held to the error rule only).

use arichat_channels::verify::{SignatureVerifier, WebhookVerifier};
use arichat_channels::{normalize, Channel, NormalizeOptions};
use chrono::{TimeZone, Utc};

const PHONE: &str = "573001234567";
const EMAIL: &str = "ana.perez@example.com";
const SECRET: &str = "sk-PLANTED-9f8e7d6c5b4a";

/// Pieces that must never appear: the values, and long enough parts of them.
const NEEDLES: &[&str] = &[
    "3001234567",
    "573001",
    "ana.perez",
    "example.com",
    "PLANTED",
    "9f8e7d6c",
];

fn seeds() -> Vec<(Channel, String)> {
    let wa = format!(
        r#"{{"object":"whatsapp_business_account","entry":[{{"id":"W1","changes":[{{"field":"messages","value":{{"messaging_product":"whatsapp","metadata":{{"display_phone_number":"15550001111","phone_number_id":"PN1"}},"contacts":[{{"profile":{{"name":"{EMAIL}"}},"wa_id":"{PHONE}"}}],"messages":[{{"from":"{PHONE}","id":"wamid.1","timestamp":"1700000000","type":"text","text":{{"body":"{EMAIL} {PHONE}"}}}},{{"from":"{PHONE}","id":"wamid.2","timestamp":"1700000001","type":"contacts","contacts":[{{"name":{{"formatted_name":"{EMAIL}"}},"phones":[{{"phone":"+{PHONE}","wa_id":"{PHONE}"}}],"emails":[{{"email":"{EMAIL}"}}]}}]}}]}}}}]}}]}}"#
    );
    let fb = format!(
        r#"{{"object":"page","entry":[{{"id":"P1","time":1700000000000,"messaging":[{{"sender":{{"id":"{PHONE}"}},"recipient":{{"id":"P1"}},"timestamp":1700000000000,"message":{{"mid":"m_1","text":"{EMAIL}"}}}}]}}]}}"#
    );
    let tg = format!(
        r#"{{"update_id":1,"message":{{"message_id":5,"date":1700000000,"chat":{{"id":42,"type":"private"}},"from":{{"id":42,"is_bot":false,"first_name":"{EMAIL}"}},"contact":{{"phone_number":"+{PHONE}","first_name":"{EMAIL}"}}}}}}"#
    );
    vec![
        (Channel::Whatsapp, wa),
        (Channel::Messenger, fb.clone()),
        (
            Channel::Instagram,
            fb.replace(r#""object":"page""#, r#""object":"instagram""#),
        ),
        (Channel::Telegram, tg),
    ]
}

/// Each quoted planted value replaced by something of another type or broken text.
fn type_swaps(body: &str) -> Vec<String> {
    let mut out = Vec::new();
    for value in [PHONE, EMAIL, &format!("+{PHONE}")] {
        let quoted = format!("\"{value}\"");
        for with in [
            value.to_owned(), // a bare word, or a number for the phone
            format!("[\"{value}\"]"),
            format!("{{\"{value}\":\"{value}\"}}"),
            format!("\"{value}\\ud83d\""),
            format!("\"{value}\\x\""),
            format!("\"{value}"),
            "1e400".to_owned(),
            "null".to_owned(),
        ] {
            out.push(body.replacen(&quoted, &with, 1));
            out.push(body.replace(&quoted, &with));
        }
    }
    out
}

struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
}

/// The bodies, each with whether a splice may have copied a planted value into an id
/// or a name field (where `Debug` rightly shows it: a message id is not contact data).
fn corpus() -> Vec<(Channel, Vec<u8>, bool)> {
    let mut out = Vec::new();
    let mut rng = Rng(0x9e37_79b9_7f4a_7c15);
    for (channel, body) in seeds() {
        let bytes = body.as_bytes();
        for cut in 0..bytes.len() {
            out.push((channel, bytes[..cut].to_vec(), false));
        }
        for swapped in type_swaps(&body) {
            out.push((channel, swapped.into_bytes(), false));
        }
        for _ in 0..1500 {
            let mut b = bytes.to_vec();
            let mut spliced = false;
            for _ in 0..1 + rng.below(4) {
                match rng.below(3) {
                    0 => {
                        let i = rng.below(b.len());
                        b[i] = b"\"{}[],:\\0a-"[rng.below(11)];
                    }
                    1 => {
                        let i = rng.below(b.len());
                        b.remove(i);
                    }
                    _ => {
                        let (from, to) = (rng.below(b.len()), rng.below(b.len()));
                        let piece: Vec<u8> = b[from..(from + 12).min(b.len())].to_vec();
                        b.splice(to..to, piece);
                        spliced = true;
                    }
                }
            }
            out.push((channel, b, spliced));
        }
    }
    out
}

fn assert_clean(what: &str, text: &str) {
    for needle in NEEDLES {
        assert!(!text.contains(needle), "{needle} leaked in {what}: {text}");
    }
}

#[test]
fn malformed_bodies_never_quote_contact_data() {
    let options =
        NormalizeOptions::new(Utc.timestamp_opt(1_700_000_000, 0).unwrap()).with_account("bot");
    let (mut errors, mut events, mut invalid_items) = (0, 0, 0);
    for (channel, body, spliced) in corpus() {
        match normalize(channel, &body, &options) {
            Err(e) => {
                errors += 1;
                assert_clean("an error", &format!("{e} {e:?}"));
            }
            Ok(evs) => {
                for ev in evs {
                    events += 1;
                    if let arichat_core::EventKind::InvalidItem { reason, .. } = &ev.kind {
                        invalid_items += 1;
                        assert_clean("an invalid_item reason", reason);
                    }
                    if !spliced {
                        assert_clean("an event's Debug", &format!("{ev:?} {ev:#?}"));
                    }
                }
            }
        }
    }
    // The corpus reaches both sides: whole-body errors and per-item reasons.
    assert!(errors > 500, "{errors} errors");
    assert!(invalid_items > 20, "{invalid_items} invalid items");
    assert!(events > 1000, "{events} events");
}

#[test]
fn verification_faults_never_quote_a_secret() {
    let mut verifier = WebhookVerifier::new();
    verifier
        .add(Channel::Whatsapp, "PN1", "acme", [SECRET])
        .unwrap()
        .add(Channel::Telegram, "bot", "acme", [SECRET])
        .unwrap();
    assert_clean("the verifier's Debug", &format!("{verifier:?}"));
    let options = NormalizeOptions::new(Utc::now()).with_account("bot");
    for (channel, body) in seeds() {
        let body = body.as_bytes();
        let forged = SignatureVerifier::sign("other", body);
        let half = &SECRET[..SECRET.len() / 2];
        let headers = [
            None,
            Some(SECRET.to_owned()),
            Some(half.to_owned()),
            Some(format!("sha256={SECRET}")),
            Some(forged),
            Some(format!("{SECRET}{SECRET}")),
        ];
        for header in headers {
            if let Err(e) = verifier.normalize(channel, body, header.as_deref(), &options) {
                assert_clean("a verification error", &format!("{e} {e:?}"));
            }
        }
    }
    for bad in [" ", ""] {
        let e = WebhookVerifier::new()
            .add(Channel::Whatsapp, "PN1", "acme", [SECRET, bad])
            .unwrap_err();
        assert_clean("a config error", &format!("{e} {e:?}"));
    }
}
