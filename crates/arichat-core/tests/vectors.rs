//! The shared cross-runtime vectors in `tests/vectors/` hold for the Rust core.

use arichat_core::{CoreError, PhoneNumber, Region};

fn vectors() -> serde_json::Value {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../tests/vectors/phones.json"
    );
    serde_json::from_slice(&std::fs::read(path).expect("tests/vectors/phones.json")).unwrap()
}

fn region(v: &serde_json::Value) -> Option<Region> {
    v.as_str().map(|r| r.parse().unwrap())
}

#[test]
fn phone_vectors() {
    let v = vectors();
    for case in v["ok"].as_array().unwrap() {
        let got = PhoneNumber::parse(case["input"].as_str().unwrap(), region(&case["region"]))
            .unwrap_or_else(|e| panic!("{case}: {e}"));
        assert_eq!(got.as_str(), case["e164"].as_str().unwrap(), "{case}");
    }
    for case in v["wa_id"].as_array().unwrap() {
        let got = PhoneNumber::from_wa_id(case["input"].as_str().unwrap()).unwrap();
        assert_eq!(got.as_str(), case["e164"].as_str().unwrap(), "{case}");
    }
    for case in v["invalid_wa_id"].as_array().unwrap() {
        let err = PhoneNumber::from_wa_id(case.as_str().unwrap()).unwrap_err();
        assert_eq!(err.code(), "invalid_phone", "{case}");
    }
    for case in v["invalid_phone"].as_array().unwrap() {
        let err = PhoneNumber::parse(case["input"].as_str().unwrap(), region(&case["region"]))
            .unwrap_err();
        assert_eq!(err.code(), "invalid_phone", "{case}");
    }
    for r in v["unknown_region"].as_array().unwrap() {
        let err = r.as_str().unwrap().parse::<Region>().unwrap_err();
        assert!(matches!(err, CoreError::UnknownRegion(_)), "{r}");
    }
}
