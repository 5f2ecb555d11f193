//! Idempotency keys are a contract with downstream dedup stores: the same vendor event
//! must keep the same key across releases. This test normalizes every fixture under
//! `../shared/fixtures/{whatsapp,telegram,messenger,instagram}` and compares each
//! event's key, byte for byte, with `tests/idempotency_keys.txt` (written by the code
//! before the keys were built by one `KeyBuilder`; a changed key fails here).
//!
//! ```sh
//! ARICHAT_BLESS=1 cargo test -p arichat-channels --test idempotency_keys   # rewrite
//! ```
//!
//! Re-bless only for a new fixture or a deliberate, announced key change.

mod common;

use std::path::{Path, PathBuf};

use arichat_channels::{normalize, NormalizeOptions};
use arichat_core::Channel;
use chrono::{TimeZone, Utc};

const CHANNELS: [(Channel, &str); 4] = [
    (Channel::Whatsapp, "whatsapp"),
    (Channel::Telegram, "telegram"),
    (Channel::Messenger, "messenger"),
    (Channel::Instagram, "instagram"),
];

fn golden() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/idempotency_keys.txt")
}

/// `<fixture>\t<key>` for every event of every fixture (`<fixture>\t!<code>` for a
/// body that does not normalize), in file order.
fn keys(root: &Path) -> String {
    let opts = NormalizeOptions::new(Utc.with_ymd_and_hms(2030, 1, 1, 0, 0, 0).unwrap())
        .with_account("acct");
    let mut out = String::new();
    for (channel, dir) in CHANNELS {
        let mut files = Vec::new();
        common::json_files(&root.join(dir), &mut files);
        files.sort();
        for path in files {
            let name = path.strip_prefix(root).unwrap().display().to_string();
            let body = std::fs::read(&path).unwrap();
            match normalize(channel, &body, &opts) {
                Ok(events) => {
                    for e in events {
                        out.push_str(&format!("{name}\t{}\n", e.idempotency_key));
                    }
                }
                Err(e) => out.push_str(&format!("{name}\t!{}\n", e.code())),
            }
        }
    }
    out
}

#[test]
fn every_fixture_keeps_its_keys() {
    let Some(root) = common::fixtures_root(&["whatsapp", "telegram", "messenger", "instagram"])
    else {
        return;
    };
    let got = keys(&root);
    if std::env::var_os("ARICHAT_BLESS").is_some() {
        std::fs::write(golden(), &got).unwrap();
        return;
    }
    let want = std::fs::read_to_string(golden()).unwrap();
    for (i, (g, w)) in got.lines().zip(want.lines()).enumerate() {
        assert_eq!(g, w, "line {}", i + 1);
    }
    assert_eq!(got.lines().count(), want.lines().count());
}
