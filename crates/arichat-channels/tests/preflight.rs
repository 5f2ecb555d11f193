//! The shared preflight vectors (`tests/vectors/preflight.json`, also checked from
//! Python and Node): what a reply would do, decided before any request.
#![cfg(feature = "client")]

use arichat_channels::client::ReplyRequest;
use serde_json::{json, Value};

#[test]
fn every_preflight_case() {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../tests/vectors/preflight.json"
    );
    let vectors: Value = serde_json::from_slice(&std::fs::read(path).unwrap()).unwrap();
    let cases = vectors["cases"].as_array().unwrap();
    assert!(cases.len() >= 15);
    for case in cases {
        let name = case["name"].as_str().unwrap();
        let conversation = &case["conversation"];
        let options = &case["options"];
        let request = json!({
            "channel": conversation["channel"],
            "recipient": case["to"],
            "last_inbound_at": conversation.get("last_inbound_at"),
            "message": case["message"],
            "now": options["now"],
            "tag": options.get("tag"),
            "marketing": options.get("marketing").cloned().unwrap_or(Value::Bool(false)),
            "proactive": options.get("proactive").cloned().unwrap_or(Value::Bool(false)),
        });
        let got = match serde_json::from_value::<ReplyRequest>(request) {
            // A name the crate refuses (an unknown tag) is refused as the clients refuse it.
            Err(_) => json!({"error": "invalid_request"}),
            Ok(request) => match request.preflight() {
                Ok(delivery) => json!({"delivery": delivery}),
                Err(e) => json!({"error": e.code()}),
            },
        };
        assert_eq!(got, case["expect"], "{name}");
    }
}
