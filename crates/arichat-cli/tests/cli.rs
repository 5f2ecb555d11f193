//! End-to-end tests of the `arichat` binary.

use assert_cmd::Command;

fn arichat() -> Command {
    Command::cargo_bin("arichat").expect("binary built")
}

#[test]
fn phone_prints_e164() {
    let out = arichat()
        .args(["phone", "300 123 4567", "--region", "CO"])
        .output()
        .unwrap();
    assert!(out.status.success());
    assert_eq!(
        String::from_utf8(out.stdout).unwrap().trim(),
        "+573001234567"
    );
}

#[test]
fn bad_phone_and_region_fail_with_message() {
    let out = arichat()
        .args(["phone", "12", "--region", "CO"])
        .output()
        .unwrap();
    assert!(!out.status.success());
    assert!(String::from_utf8(out.stderr)
        .unwrap()
        .contains("invalid phone number"));
    let out = arichat()
        .args(["phone", "300", "--region", "ZZ"])
        .output()
        .unwrap();
    assert!(!out.status.success());
    assert!(String::from_utf8(out.stderr)
        .unwrap()
        .contains("unknown region"));
}

#[test]
fn normalize_prints_one_json_event_per_line() {
    let body = r#"{"update_id": 7, "message": {"message_id": 5, "date": 1700000000,
        "chat": {"id": 42, "type": "private"}, "from": {"id": 42, "is_bot": false, "first_name": "Ana"},
        "text": "hola"}}"#;
    let out = arichat()
        .args([
            "normalize",
            "--channel",
            "telegram",
            "--account",
            "bot1",
            "-",
        ])
        .write_stdin(body)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let stdout = String::from_utf8(out.stdout).unwrap();
    let lines: Vec<&str> = stdout.lines().collect();
    assert_eq!(lines.len(), 1);
    let event: serde_json::Value = serde_json::from_str(lines[0]).unwrap();
    assert_eq!(event["channel"], "telegram");
    assert_eq!(event["channel_account_id"], "bot1");
}

#[test]
fn normalize_rejects_bad_body_on_stderr() {
    let out = arichat()
        .args(["normalize", "--channel", "whatsapp", "-"])
        .write_stdin("{not json")
        .output()
        .unwrap();
    assert!(!out.status.success());
    assert!(out.stdout.is_empty());
    assert!(String::from_utf8(out.stderr)
        .unwrap()
        .contains("not valid JSON"));
    let out = arichat()
        .args(["normalize", "--channel", "sms", "-"])
        .output()
        .unwrap();
    assert!(!out.status.success());
}

/// `arichat classify` on `input`: one JSON object per line.
fn classify(input: &str) -> Vec<serde_json::Value> {
    let out = arichat()
        .arg("classify")
        .write_stdin(input.to_owned())
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect()
}

#[test]
fn classify_prints_primary_and_intents_per_line() {
    let rows = classify("no me interesa, no me escriban mas\ncuanto cuesta el envio?\n");
    assert_eq!(rows.len(), 2);
    assert_eq!(rows[0]["primary"], "opt_out");
    assert_eq!(rows[0]["opt_out"], "explicit");
    assert_eq!(rows[1]["primary"], "price_inquiry");
    assert!(rows[1]["intents"].as_array().is_some_and(|a| !a.is_empty()));
    for row in &rows {
        let mut keys: Vec<&str> = row
            .as_object()
            .unwrap()
            .keys()
            .map(|k| k.as_str())
            .collect();
        keys.sort_unstable();
        assert_eq!(
            keys,
            [
                "confidence",
                "intents",
                "language",
                "opt_out",
                "primary",
                "uncertain"
            ]
        );
        assert_eq!(row["language"], "es");
        assert_eq!(row["uncertain"], false);
        assert!((0.0..=1.0).contains(&row["confidence"].as_f64().unwrap()));
    }
    assert_eq!(rows[1]["opt_out"], serde_json::Value::Null);
}

/// The shared vectors (`tests/vectors/intents.json`, written by the core's
/// `conformance_intents` test) hold for the binary, one message per line.
#[test]
fn classify_gives_the_shared_intent_vectors() {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../tests/vectors/intents.json"
    );
    let vectors: serde_json::Value =
        serde_json::from_slice(&std::fs::read(path).expect("tests/vectors/intents.json")).unwrap();
    let tolerance = vectors["tolerance"].as_f64().unwrap();
    let cases = vectors["cases"].as_array().unwrap();
    let input: String = cases
        .iter()
        .map(|c| format!("{}\n", c["text"].as_str().unwrap()))
        .collect();
    let rows = classify(&input);
    assert_eq!(rows.len(), cases.len());
    for (case, got) in cases.iter().zip(&rows) {
        let want = &case["expected"];
        for field in ["primary", "language", "uncertain", "opt_out"] {
            assert_eq!(got[field], want[field], "{field} of {}", case["text"]);
        }
        let (g, w) = (got["confidence"].as_f64(), want["confidence"].as_f64());
        assert!(
            (g.unwrap() - w.unwrap()).abs() <= tolerance,
            "confidence of {}: {g:?} vs {w:?}",
            case["text"]
        );
    }
}

#[test]
fn demo_prints_the_prioritized_queue() {
    let out = arichat().arg("demo").output().unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let stdout = String::from_utf8(out.stdout).unwrap();
    assert!(stdout.contains("16 webhook bodies verified"), "{stdout}");
    assert!(stdout.contains("1 redelivery recognised"), "{stdout}");
    // Jorge's WhatsApp window closes within the hour: he goes first.
    let first = stdout
        .lines()
        .find(|l| l.starts_with("1 "))
        .expect("a first row");
    assert!(first.contains("Jorge"), "{first}");
    // The contact who said "não tenho interesse" is lost and not queued.
    let carla = stdout
        .lines()
        .find(|l| l.contains("Carla"))
        .expect("Carla listed");
    assert!(carla.contains("lost"), "{carla}");
    // "me tienen cansada con tanta llamada" may be an opt-out, but not an explicit
    // one: Lucía stays unattended, queued, flagged for an agent.
    let lucia = stdout
        .lines()
        .position(|l| l.contains("Lucía"))
        .expect("Lucía listed");
    let rows: Vec<&str> = stdout.lines().collect();
    assert!(rows[lucia].contains("unattended"), "{}", rows[lucia]);
    assert!(
        rows[lucia..lucia + 6]
            .iter()
            .any(|l| l.contains("review") && l.contains("possible_opt_out")),
        "{stdout}"
    );
    // A dashboard: reasons in words, 100 columns, names for Messenger and Instagram
    // contacts from the host's profiles (their webhooks carry ids only).
    assert!(
        rows[rows.iter().position(|l| l.starts_with("1 ")).unwrap() + 1]
            .contains("why     window closes in 26 min, waited 23 h; grade C, unattended"),
        "{stdout}"
    );
    for row in &rows {
        assert!(row.chars().count() <= 100, "wider than 100 columns: {row}");
        assert_eq!(row.trim_end(), *row, "trailing spaces: {row:?}");
    }
    assert!(
        rows.iter()
            .any(|l| l.contains("Camila Rojas") && l.contains("messenger")),
        "{stdout}"
    );
    assert!(
        rows.iter()
            .any(|l| l.contains("Valentina Díaz") && l.contains("instagram")),
        "{stdout}"
    );
}

#[test]
fn normalize_prints_cloudevents_one_per_line() {
    let body = std::fs::read(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../examples/data/demo/wa-01-ad-click.json"
    ))
    .unwrap();
    let out = arichat()
        .args(["normalize", "--cloudevents", "--channel", "whatsapp", "-"])
        .write_stdin(body)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let stdout = String::from_utf8(out.stdout).unwrap();
    let lines: Vec<&str> = stdout.lines().collect();
    assert!(!lines.is_empty());
    for line in lines {
        let ce: serde_json::Value = serde_json::from_str(line).unwrap();
        assert_eq!(ce["specversion"], "1.0");
        assert_eq!(ce["id"], ce["data"]["idempotency_key"]);
        assert_eq!(ce["source"], "/whatsapp/106540352242922");
        assert!(ce["type"].as_str().unwrap().ends_with(".v1"));
    }
}

#[test]
fn deal_prints_the_deal_the_commission_and_the_receipt_check() {
    let dir = std::env::temp_dir().join(format!("arichat-deal-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let receipt = dir.join("receipt.txt");
    std::fs::write(&receipt, "FERRETERIA\nSUBTOTAL 1.200\nTOTAL $ 1.550,00\n").unwrap();
    let rules = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../examples/sales/commissions.toml"
    );
    let out = arichat()
        .args([
            "deal",
            "@monto 1.500 @cliente Juan @tubos 5",
            "--region",
            "CO",
            "--commission",
            rules,
        ])
        .arg("--receipt-text")
        .arg(&receipt)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["deal"]["deal"]["amount"]["minor"], 150_000);
    assert_eq!(v["deal"]["deal"]["amount"]["currency"], "COP");
    assert_eq!(v["deal"]["deal"]["customer"], "Juan");
    assert_eq!(v["commission"]["total_minor"], 2_000);
    assert_eq!(v["commission"]["currency"], "USD");
    assert_eq!(
        v["commission"]["lines"][0]["arithmetic"],
        "10 × (5 − 3) = 20"
    );
    // 1550 against 1500 is 3.3 % off: within 5 %.
    assert_eq!(
        v["receipt"]["check"],
        serde_json::json!({"status": "match", "difference": 5_000})
    );
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn deal_problems_are_output_not_failures_and_bad_rules_fail() {
    let out = arichat()
        .args(["deal", "@monto 1.500 @cliente Juan", "--region", "PE"])
        .output()
        .unwrap();
    assert!(out.status.success());
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["deal"]["deal"], serde_json::Value::Null);
    assert_eq!(v["deal"]["problems"][0]["code"], "ambiguous_amount");
    assert_eq!(
        v["deal"]["problems"][0]["message"],
        "monto ambiguo: ¿1.5 o 1500?"
    );
    let out = arichat()
        .args(["deal", "@monto 1", "--region", "XX"])
        .output()
        .unwrap();
    assert!(!out.status.success());
    assert!(String::from_utf8(out.stderr)
        .unwrap()
        .starts_with("unknown_region: "));
}
