//! `tests/vectors/numbers.json`: number parsing per locale and reasons per row.

use arichat_core::numbers::{NumberParser, Parsed};
use arichat_core::scoring::{reasons_text, Column, Scorecard};
use serde_json::Value;

fn vectors() -> Value {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../tests/vectors/numbers.json"
    );
    serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
}

#[test]
fn numbers_read_as_the_vectors_say() {
    let v = vectors();
    let cases = v["numbers"].as_array().unwrap();
    assert!(cases.len() > 30);
    for case in cases {
        let markers: Option<Vec<String>> = case["markers"]
            .as_array()
            .map(|m| m.iter().map(|s| s.as_str().unwrap().to_owned()).collect());
        let parser = NumberParser::from_options(
            case["locale"].as_str(),
            case["decimal"].as_str(),
            markers.as_deref(),
        )
        .unwrap();
        let got = parser.parse(case["text"].as_str().unwrap());
        let want = if let Some(n) = case["number"].as_f64() {
            Parsed::Number(n)
        } else if case["missing"] == true {
            Parsed::Missing
        } else {
            assert_eq!(case["invalid"], true, "{case}");
            Parsed::Invalid
        };
        assert_eq!(got, want, "{case}");
    }
}

#[test]
fn explanations_match_the_vectors() {
    let v = vectors();
    for group in v["explain"].as_array().unwrap() {
        let card = Scorecard::from_toml(group["card"].as_str().unwrap()).unwrap();
        for row in group["rows"].as_array().unwrap() {
            let record = row["record"].as_object().unwrap();
            let numbers: Vec<(&str, [f64; 1])> = record
                .iter()
                .filter_map(|(k, v)| Some((k.as_str(), [v.as_f64()?])))
                .collect();
            let texts: Vec<(&str, [Option<&str>; 1])> = record
                .iter()
                .filter_map(|(k, v)| Some((k.as_str(), [Some(v.as_str()?)])))
                .collect();
            let mut columns: Vec<(&str, Column<'_>)> = numbers
                .iter()
                .map(|(k, v)| (*k, Column::numbers(v)))
                .collect();
            columns.extend(texts.iter().map(|(k, v)| (*k, Column::Text(v))));
            let n = row["explain"].as_u64().unwrap() as usize;
            let got = &card.explain_batch(&columns, n).unwrap()[0];
            let pairs: Vec<Value> = got
                .iter()
                .map(|c| serde_json::json!([c.rule, c.points]))
                .collect();
            let want: Vec<Value> = row["contributions"]
                .as_array()
                .unwrap()
                .iter()
                .map(|p| serde_json::json!([p[0], p[1].as_f64().unwrap()]))
                .collect();
            assert_eq!(pairs, want, "{row}");
            assert_eq!(reasons_text(got), row["reasons"].as_str().unwrap(), "{row}");
        }
    }
}
