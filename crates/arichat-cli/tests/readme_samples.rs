//! The README's "Command line" section, run on the sample files it names (in
//! `examples/scoring` and `examples/campaigns`): each command succeeds and its output
//! has the shape the README describes.

use std::path::PathBuf;

use assert_cmd::Command;

fn example(path: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../examples")
        .join(path)
}

fn arichat() -> Command {
    Command::cargo_bin("arichat").expect("binary built")
}

fn stdout(cmd: &mut Command) -> String {
    let out = cmd.output().expect("arichat runs");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).expect("UTF-8")
}

#[test]
fn check_lead_accepts_the_sample_lead() {
    stdout(
        arichat()
            .arg("check-lead")
            .arg(example("scoring/lead.json")),
    );
}

#[test]
fn fit_on_the_bank_sample_gives_a_card_that_scores_every_lead() {
    let dir = std::env::temp_dir().join(format!("arichat-readme-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    let card = dir.join("card.toml");
    let toml = stdout(
        arichat()
            .args(["fit", "--label", "y", "--drop", "duration"])
            .arg(example("scoring/bank.csv")),
    );
    assert!(toml.contains("[[fit]]"), "the card keeps rules:\n{toml}");
    assert!(
        !toml.contains("\"duration\""),
        "duration was dropped:\n{toml}"
    );
    std::fs::write(&card, &toml).expect("card written");

    let scored = stdout(
        arichat()
            .args(["score", "--scorecard"])
            .arg(&card)
            .arg(example("scoring/leads.csv")),
    );
    let mut lines = scored.lines();
    let header = lines.next().expect("a header");
    for column in ["lead_id", "score", "grade", "stage"] {
        assert!(header.contains(column), "{column} in {header}");
    }
    assert_eq!(lines.count(), 20, "one row per lead");
    std::fs::remove_dir_all(&dir).ok();
}

#[test]
fn assign_on_the_bank_bundle_names_campaigns() {
    let out = stdout(
        arichat()
            .args(["assign", "--bundle"])
            .arg(example("campaigns/bank.toml"))
            .args(["--now", "2026-12-03"])
            .arg(example("campaigns/customers.csv")),
    );
    assert!(out.lines().count() > 1, "{out}");
    assert!(out.starts_with("customer_id,campaign_id"), "{out}");
}
