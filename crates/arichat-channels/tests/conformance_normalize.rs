//! The shared normalize vectors (`tests/vectors/normalize.json`) hold for
//! [`arichat_channels::normalize`], and the Python and Node tests read the same file:
//! each runtime must give the same events, field for field, for the same body.
//!
//! A case names its channel, its body (a file of `examples/data/demo/` or an inline
//! string), the account and the receive time; its `expected` events (the serde JSON
//! of [`arichat_core::Event`]), or the error's `code` and exception `class`, are written
//! by this test:
//!
//! ```text
//! ARICHAT_BLESS=1 cargo test -p arichat-channels --test conformance_normalize
//! ```
//!
//! Re-bless after changing what normalization produces, review the diff, commit.

use arichat_channels::{normalize, NormalizeOptions};
use arichat_core::Channel;
use serde::{Deserialize, Serialize};
use serde_json::Value;

const ROOT: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../..");

/// Written into the file on blessing, so that the file says how it is made.
const ABOUT: &str = "Cross-runtime normalize vectors. channel, body_file (from the repository \
     root) or body, account and received_at are hand-written; expected (the events as JSON, \
     or the error's code and exception class) is written by `ARICHAT_BLESS=1 cargo test -p \
     arichat-channels --test conformance_normalize`. Compare expected with each runtime's \
     events as JSON, exactly.";

#[derive(Serialize, Deserialize)]
struct Vectors {
    #[serde(default)]
    about: String,
    cases: Vec<Case>,
}

#[derive(Serialize, Deserialize)]
struct Case {
    name: String,
    channel: Channel,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    body_file: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    body: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    account: Option<String>,
    received_at: chrono::DateTime<chrono::Utc>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    expected: Option<Value>,
}

fn path() -> String {
    format!("{ROOT}/tests/vectors/normalize.json")
}

fn events(case: &Case) -> Value {
    let body = match (&case.body_file, &case.body) {
        (Some(file), None) => std::fs::read(format!("{ROOT}/{file}")).expect(file),
        (None, Some(body)) => body.clone().into_bytes(),
        _ => panic!("{}: exactly one of body_file and body", case.name),
    };
    let mut options = NormalizeOptions::new(case.received_at);
    if let Some(account) = &case.account {
        options = options.with_account(account.as_str());
    }
    match normalize(case.channel, &body, &options) {
        Ok(events) => serde_json::to_value(&events).expect("events serialize"),
        // The class too: the code alone does not tell a body that is not JSON
        // (`InvalidBodyError`) from a core document that is not (`InvalidJsonError`).
        Err(e) => serde_json::json!({ "error": e.code(), "class": e.class().name() }),
    }
}

#[test]
fn normalize_gives_the_expected_events() {
    let bytes = std::fs::read(path()).expect("tests/vectors/normalize.json");
    let mut vectors: Vectors = serde_json::from_slice(&bytes).expect("valid vectors");
    assert!(vectors.cases.len() >= 10, "too few cases");
    if std::env::var_os("ARICHAT_BLESS").is_some_and(|v| v == "1") {
        vectors.about = ABOUT.to_owned();
        for case in &mut vectors.cases {
            case.expected = Some(events(case));
        }
        let mut text = serde_json::to_string_pretty(&vectors).expect("serialize");
        text.push('\n');
        std::fs::write(path(), text).expect("write tests/vectors/normalize.json");
        return;
    }
    for case in &vectors.cases {
        let expected = case
            .expected
            .as_ref()
            .unwrap_or_else(|| panic!("{}: no expected block; bless the file", case.name));
        assert_eq!(&events(case), expected, "{}", case.name);
    }
}
