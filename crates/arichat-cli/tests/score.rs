//! `arichat score` on input people write: numbers per locale, missing markers, values
//! that are neither, columns the card needs and the file lacks, reasons per row.

use assert_cmd::Command;

const CARD: &str = r#"
[fields]
balance = "number"
[[fit]]
id = "rich"
name = "Balance over 1000"
field = "balance"
range = { gte = 1000 }
points = 40
[[fit]]
id = "no_balance"
field = "balance"
exists = false
points = -10
[[fit]]
id = "gold"
field = "plan"
equals = "gold"
points = 25
"#;

fn run(args: &[&str], stdin: &str) -> (bool, String, String) {
    let dir = std::env::temp_dir().join(format!("arichat-score-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    // One file per call: tests run in parallel, and a card being rewritten reads empty.
    static CALLS: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
    let n = CALLS.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    let card = dir.join(format!("card{n}.toml"));
    std::fs::write(&card, CARD).unwrap();
    let out = Command::cargo_bin("arichat")
        .unwrap()
        .args(["score", "--scorecard"])
        .arg(&card)
        .args(args)
        .arg("-")
        .write_stdin(stdin)
        .output()
        .unwrap();
    (
        out.status.success(),
        String::from_utf8(out.stdout).unwrap(),
        String::from_utf8(out.stderr).unwrap(),
    )
}

fn scores(stdout: &str) -> Vec<String> {
    stdout
        .lines()
        .skip(1)
        .map(|l| l.split(';').nth(2).unwrap().to_owned())
        .collect()
}

#[test]
fn reads_decimal_commas_with_a_locale() {
    let csv = "plan;balance\ngold;\"1.234,5\"\nsilver;\"$ 999,99\"\nx;N/A\n";
    let (ok, out, err) = run(&["--locale", "es-CO"], csv);
    assert!(ok, "{err}");
    assert_eq!(scores(&out), ["65", "0", "-10"]);
    assert!(err.is_empty(), "{err}");
    // The same through --decimal.
    let (_, same, _) = run(&["--decimal", ","], csv);
    assert_eq!(same, out);
}

#[test]
fn values_neither_number_nor_missing_are_reported_not_blank() {
    let csv = "plan;balance\ngold;\"1.234,5\"\nx;abc\nx;7\n";
    let (ok, out, err) = run(&[], csv);
    assert!(ok, "{err}");
    // Read as missing (so `exists = false` fires), and said so on stderr with the first
    // row and a hint, never the value.
    assert_eq!(scores(&out), ["15", "-10", "0"]);
    assert!(
        err.contains("column \"balance\": 2 values are neither numbers nor missing (first at row 1); some read as 1.234.567,5"),
        "{err}"
    );
    assert!(!err.contains("abc"), "{err}");
    let (ok, out, err) = run(&["--strict"], csv);
    assert!(!ok);
    assert!(out.is_empty(), "{out}");
    assert!(
        err.starts_with("invalid_value: column \"balance\""),
        "{err}"
    );
}

#[test]
fn missing_markers_are_configurable() {
    let csv = "plan;balance\nx;sin dato\nx;N/A\n";
    let (_, out, err) = run(&["--missing", "sin dato"], csv);
    assert_eq!(scores(&out), ["-10", "-10"]);
    assert!(
        err.contains("1 value is neither a number nor missing (first at row 2)"),
        "{err}"
    );
}

#[test]
fn columns_the_card_needs_must_be_there() {
    let csv = "name;Plan\nana;gold\n";
    let (ok, out, err) = run(&[], csv);
    assert!(!ok);
    assert!(out.is_empty());
    assert!(
        err.starts_with(
            "missing_fields: the file has no column \"balance\", \"plan\" (did you mean \"Plan\"?); \
             3 of 3 rules read them"
        ),
        "{err}"
    );
    let (ok, out, err) = run(&["--allow-missing"], csv);
    assert!(ok, "{err}");
    assert_eq!(scores(&out), ["-10"]);
    assert!(err.contains("3 of 3 rules read them"), "{err}");
}

#[test]
fn explain_adds_the_largest_contributions() {
    let csv = "plan,balance\ngold,5000\nx,\n";
    let (ok, out, err) = run(&["--explain", "1"], csv);
    assert!(ok, "{err}");
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(
        lines[0],
        "plan,balance,score,grade,stage,reasons,reasons_json"
    );
    assert_eq!(
        lines[1],
        r#"gold,5000,65,b,mql,"Balance over 1000 +40","[{""rule"":""rich"",""name"":""Balance over 1000"",""kind"":""fit"",""points"":40.0}]""#
    );
    assert!(
        lines[2].starts_with(r#"x,,-10,d,iql,"no_balance -10","#),
        "{}",
        lines[2]
    );
}

#[test]
fn files_longer_than_a_chunk_keep_every_row_in_order() {
    // Several chunks of 65,536 records: one thread parses the next while the last is
    // scored and written; every row comes back once, in order, with its own score.
    let rows = 200_000;
    let mut csv = String::from("plan;balance\n");
    for i in 0..rows {
        let plan = if i % 3 == 0 { "gold" } else { "basic" };
        let balance = if i % 7 == 0 {
            String::new()
        } else {
            (i % 2000).to_string()
        };
        csv.push_str(&format!("{plan};{balance}\n"));
    }
    let (ok, out, err) = run(&[], &csv);
    assert!(ok, "{err}");
    let got = scores(&out);
    assert_eq!(got.len(), rows);
    for (i, score) in got.iter().enumerate() {
        let gold = if i % 3 == 0 { 25 } else { 0 };
        let balance = if i % 7 == 0 {
            -10
        } else if i % 2000 >= 1000 {
            40
        } else {
            0
        };
        assert_eq!(score, &(gold + balance).to_string(), "row {i}");
    }
    // A bad value in a late chunk under --strict: an error naming its row.
    let mut bad = csv.clone();
    bad.push_str("gold;mucho\n");
    let (ok, _, err) = run(&["--strict"], &bad);
    assert!(!ok);
    assert!(err.contains(&format!("row {}", rows + 1)), "{err}");
}
