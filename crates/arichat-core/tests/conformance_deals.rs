//! The shared sales vectors (`tests/vectors/deals.json`): amounts per region, deal
//! messages, receipt checks and totals, commissions. The Python and Node tests read the
//! same file.

use arichat_core::commission::{CommissionRules, SaleInput};
use arichat_core::deal::{parse_deal, DealGrammar, DealGrammarConfig};
use arichat_core::money::{
    check_receipt, parse_amount_with, pick_receipt_total, ParseOptions, Region,
};
use serde_json::Value;

const PATH: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../../tests/vectors/deals.json"
);

fn vectors() -> Value {
    serde_json::from_str(&std::fs::read_to_string(PATH).expect("deals.json")).expect("valid JSON")
}

fn list<'v>(v: &'v Value, key: &str) -> &'v Vec<Value> {
    v[key]
        .as_array()
        .unwrap_or_else(|| panic!("{key} is a list"))
}

#[test]
fn amounts() {
    let v = vectors();
    assert!(list(&v, "amounts").len() >= 20);
    for case in list(&v, "amounts") {
        let text = case["text"].as_str().unwrap();
        let region = case["region"].as_str().unwrap().parse::<Region>();
        if let Some(code) = case.get("error") {
            assert_eq!(
                region.unwrap_err().code(),
                code.as_str().unwrap(),
                "{text:?}"
            );
            continue;
        }
        let options = ParseOptions {
            slang: case["slang"].as_bool().unwrap_or(false),
        };
        let found = parse_amount_with(text, region.unwrap(), &options);
        let got: Vec<Value> = found
            .iter()
            .map(|a| {
                let mut j = serde_json::to_value(a).unwrap();
                let o = j.as_object_mut().unwrap();
                o.remove("start");
                o.remove("end");
                assert_eq!(&text[a.start..a.end], a.text);
                j
            })
            .collect();
        assert_eq!(
            Value::Array(got),
            case["expect"],
            "{text:?} in {}",
            case["region"]
        );
    }
}

fn grammar(case: &Value) -> Result<DealGrammar, arichat_core::CoreError> {
    let region: Region = case["region"].as_str().unwrap().parse().unwrap();
    let config: DealGrammarConfig = match case.get("grammar") {
        Some(g) => serde_json::from_value(g.clone()).unwrap(),
        None => DealGrammarConfig::default(),
    };
    Ok(DealGrammar::new(&config)?.with_region(region))
}

#[test]
fn deals() {
    for case in list(&vectors(), "deals") {
        let text = case["text"].as_str().unwrap();
        let grammar = match grammar(case) {
            Ok(g) => g,
            Err(e) => {
                assert_eq!(e.code(), case["error"].as_str().unwrap(), "{text:?}");
                continue;
            }
        };
        assert!(case.get("error").is_none(), "{text:?} should be refused");
        let parsed = parse_deal(text, &grammar);
        let expect = &case["expect"];
        let codes: Vec<&str> = parsed.problems.iter().map(|p| p.code).collect();
        assert_eq!(serde_json::json!(codes), expect["problems"], "{text:?}");
        if let Some(messages) = expect.get("messages") {
            let got: Vec<&str> = parsed.problems.iter().map(|p| p.message.as_str()).collect();
            assert_eq!(&serde_json::json!(got), messages, "{text:?}");
        }
        match &parsed.deal {
            Some(deal) => {
                assert_eq!(
                    deal.amount.minor,
                    expect["amount_minor"].as_i64().unwrap(),
                    "{text:?}"
                );
                assert_eq!(
                    deal.amount.currency.as_str(),
                    expect["currency"],
                    "{text:?}"
                );
                assert_eq!(deal.customer, expect["customer"], "{text:?}");
                assert_eq!(serde_json::json!(deal.units), expect["units"], "{text:?}");
            }
            None => assert!(
                expect.get("amount_minor").is_none(),
                "{text:?}: {:?}",
                parsed.problems
            ),
        }
    }
}

#[test]
fn receipts() {
    let v = vectors();
    for case in list(&v["receipts"], "checks") {
        let check = check_receipt(
            case["declared"].as_i64().unwrap(),
            case["read"].as_i64(),
            u32::try_from(case["tolerance_bps"].as_u64().unwrap()).unwrap(),
        );
        assert_eq!(
            serde_json::to_value(check).unwrap(),
            case["expect"],
            "{case}"
        );
    }
    for case in list(&v["receipts"], "totals") {
        let region: Region = case["region"].as_str().unwrap().parse().unwrap();
        let total = pick_receipt_total(case["ocr_text"].as_str().unwrap(), region);
        assert_eq!(
            serde_json::json!(total.map(|a| a.minor)),
            case["expect_minor"],
            "{case}"
        );
    }
}

#[test]
fn commissions() {
    let v = vectors();
    let rules = CommissionRules::from_toml(v["commissions"]["rules"].as_str().unwrap()).unwrap();
    for case in list(&v["commissions"], "cases") {
        let sale: SaleInput = serde_json::from_value(case.clone()).unwrap();
        match rules.compute(&sale) {
            Ok(c) => {
                let expect = &case["expect"];
                assert_eq!(
                    c.total_minor,
                    expect["total_minor"].as_i64().unwrap(),
                    "{case}"
                );
                let lines: Vec<i64> = c.lines.iter().map(|l| l.minor).collect();
                assert_eq!(serde_json::json!(lines), expect["lines"], "{case}");
                assert_eq!(
                    serde_json::json!(c.capped_at),
                    expect["capped_at"],
                    "{case}"
                );
            }
            Err(e) => assert_eq!(e.code(), case["error"].as_str().unwrap(), "{case}"),
        }
    }
    for case in list(&v["commissions"], "bad_rules") {
        let err = CommissionRules::from_toml(case["rules"].as_str().unwrap()).unwrap_err();
        assert_eq!(err.code(), case["error"].as_str().unwrap());
    }
}
