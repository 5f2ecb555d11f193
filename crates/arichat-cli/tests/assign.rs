//! End-to-end tests of `arichat assign` on the bundled bank example.

use std::path::PathBuf;

use arichat_core::campaign::{CampaignBundle, CapUsage};
use arichat_core::scoring::LeadRecord;
use assert_cmd::Command;
use chrono::{TimeZone, Utc};

fn arichat() -> Command {
    Command::cargo_bin("arichat").expect("binary built")
}

fn example(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../examples/campaigns")
        .join(name)
}

fn run(args: &[&str]) -> String {
    let out = arichat().args(args).output().unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

#[test]
fn assign_prints_what_the_library_assigns() {
    let bundle_path = example("bank.toml");
    let customers = example("customers.csv");
    let out = run(&[
        "assign",
        "--bundle",
        bundle_path.to_str().unwrap(),
        "--now",
        "2026-12-03",
        customers.to_str().unwrap(),
    ]);
    let mut lines = out.lines();
    assert_eq!(
        lines.next(),
        Some("customer_id,campaign_id,variant,reason,rule_path,offer")
    );
    // The same rows from the library, reading the `;`-separated file itself.
    let bundle =
        CampaignBundle::from_toml_str(&std::fs::read_to_string(&bundle_path).unwrap()).unwrap();
    let now = Utc.with_ymd_and_hms(2026, 12, 3, 0, 0, 0).unwrap();
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(b';')
        .from_path(&customers)
        .unwrap();
    let headers: Vec<String> = reader
        .headers()
        .unwrap()
        .iter()
        .map(str::to_owned)
        .collect();
    let types = &bundle.scorecard().unwrap().fields;
    let mut usage = CapUsage::new();
    let mut expected = Vec::new();
    for row in reader.records() {
        let cells: Vec<String> = row.unwrap().iter().map(str::to_owned).collect();
        let record = LeadRecord::from_csv_row(&headers, &cells, types);
        for a in bundle.assign_counted(&cells[0], &record, now, &mut usage) {
            expected.push((
                cells[0].clone(),
                a.campaign_id.to_string(),
                a.reason.to_string(),
                a.rule_path,
            ));
        }
    }
    let mut got = Vec::new();
    let mut r = csv::Reader::from_reader(out.as_bytes());
    for row in r.records() {
        let row = row.unwrap();
        got.push((
            row[0].to_owned(),
            row[1].to_owned(),
            row[3].to_owned(),
            row[4].to_owned(),
        ));
        if &row[3] == "holdout" {
            assert_eq!(&row[5], "");
        } else {
            assert!(serde_json::from_str::<serde_json::Value>(&row[5])
                .unwrap()
                .is_object());
        }
    }
    assert_eq!(got, expected);
    assert!(got.iter().any(|g| g.2 == "default") && got.iter().any(|g| g.2 == "split"));
    // The call-centre cap of the refinance campaign holds across the file.
    assert_eq!(
        got.iter().filter(|g| g.1 == "mortgage_refinance").count(),
        10
    );
}

#[test]
fn explain_gives_every_campaign_of_every_customer() {
    let bundle = example("bank.toml");
    let out = run(&[
        "assign",
        "--explain",
        "--delimiter",
        ";",
        "--id-column",
        "customer_id",
        "--bundle",
        bundle.to_str().unwrap(),
        "--now",
        "2026-12-03T08:00:00Z",
        example("customers.csv").to_str().unwrap(),
    ]);
    let rows: Vec<&str> = out.lines().collect();
    assert_eq!(
        rows[0],
        "customer_id,campaign_id,status,rule_path,excluded_by"
    );
    assert_eq!(rows.len(), 1 + 56 * 9);
    assert!(rows.contains(&"bk-00001,christmas_cashback,not_started,,"));
    assert!(rows
        .iter()
        .any(|r| r.contains(",excluded,") && r.ends_with(",business_credit")));
}

#[test]
fn a_bad_bundle_fails_with_the_core_code_and_path() {
    let path = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("bad_bundle.toml");
    std::fs::write(
        &path,
        "version = \"1\"\n[[campaigns]]\nid = \"a\"\neligibility = { all = [{ in_segment = \"vip\" }] }\n",
    )
    .unwrap();
    let out = arichat()
        .args([
            "assign",
            "--bundle",
            path.to_str().unwrap(),
            example("customers.csv").to_str().unwrap(),
        ])
        .output()
        .unwrap();
    assert!(!out.status.success());
    let err = String::from_utf8(out.stderr).unwrap();
    assert!(err.starts_with("invalid_campaign: "), "{err}");
    assert!(
        err.contains("campaigns[0].eligibility.all[0].in_segment"),
        "{err}"
    );
}
