//! `arichat deal --receipt IMG`: a receipt photo read by the distribution's Tesseract,
//! its total checked against the deal's amount. `tests/data/receipt-co.png` was drawn by
//! arichat-deals' own receipt renderer (DejaVu Sans, 28 px; `TOTAL $ 1.500,00`).

use assert_cmd::Command;
use serde_json::Value;

const RECEIPT: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/data/receipt-co.png");

/// The directory of the Tesseract scripts/tesseract.sh found; `None` (skip, loudly)
/// outside a run that requires it (`CI=true` or `ARICHAT_REQUIRE_TESSERACT=1`).
fn tesseract_dir() -> Option<String> {
    match std::env::var("ARICHAT_TESSERACT")
        .ok()
        .filter(|v| !v.is_empty())
    {
        Some(bin) => Some(
            std::path::Path::new(&bin)
                .parent()
                .map(|p| p.display().to_string())
                .unwrap_or_default(),
        ),
        None if std::env::var("CI").is_ok_and(|v| v == "true")
            || std::env::var("ARICHAT_REQUIRE_TESSERACT").is_ok_and(|v| v == "1") =>
        {
            panic!("ARICHAT_TESSERACT not set: run through scripts/test")
        }
        None => {
            eprintln!(
                "\n*** SKIPPED: ARICHAT_TESSERACT is not set; eval \"$(scripts/tesseract.sh)\"\n"
            );
            None
        }
    }
}

fn deal(text: &str, dir: &str) -> Value {
    let path = format!("{dir}:{}", std::env::var("PATH").unwrap_or_default());
    let out = Command::cargo_bin("arichat")
        .unwrap()
        .env("PATH", path)
        .args(["deal", text, "--region", "CO", "--receipt", RECEIPT])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).unwrap()
}

#[test]
fn a_receipt_photo_matches_the_declared_amount_or_says_by_how_much_not() {
    let Some(dir) = tesseract_dir() else {
        return;
    };
    let report = deal("@monto 1500 @cliente Juan @tubos 5", &dir);
    assert_eq!(report["receipt"]["total"]["minor"], 150_000, "{report}");
    assert_eq!(report["receipt"]["total"]["currency"], "COP");
    assert_eq!(report["receipt"]["check"]["status"], "match");

    let report = deal("@monto 2000 @cliente Juan @tubos 5", &dir);
    assert_eq!(report["receipt"]["check"]["status"], "mismatch", "{report}");
    assert_eq!(report["receipt"]["check"]["difference"], -50_000);
}

#[test]
fn a_file_that_is_not_an_image_is_a_typed_error() {
    let out = Command::cargo_bin("arichat")
        .unwrap()
        .args([
            "deal",
            "@monto 1500 @cliente Juan",
            "--receipt",
            concat!(env!("CARGO_MANIFEST_DIR"), "/tests/deal.rs"),
        ])
        .output()
        .unwrap();
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("invalid_image"), "{err}");
}
