//! `arichat fit --report`: the report page of the bundled bank sample
//! (`tests/data/bank_sample.csv`), opened in a real headless Chromium (the distribution's
//! package, `scripts/chromium.sh`): it must render its charts with no console message
//! (the page has no script, and its Content-Security-Policy turns any fetch into one),
//! and the screenshot is kept in `CARGO_TARGET_TMPDIR/fit_report.png`. Without a
//! browser the browser test is skipped with a note, unless ARICHAT_REQUIRE_CHROMIUM=1,
//! where it fails. And progress bars stay off a piped stderr.

use std::path::{Path, PathBuf};
use std::process::Output;

use arichat_core::scoring::Scorecard;
use assert_cmd::Command;

const BANK: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/data/bank_sample.csv");

fn temp(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join(name)
}

fn ok(out: &Output) -> String {
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout.clone()).unwrap()
}

/// Fits the bank sample (3 folds, `duration` dropped: it leaks the label), writing the
/// report to `report`; returns the process output.
fn fit_bank(report: &Path) -> Output {
    Command::cargo_bin("arichat")
        .unwrap()
        .args([
            "fit", "--label", "y", "--drop", "duration", "--cv", "3", "--report",
        ])
        .arg(report)
        .arg(BANK)
        .output()
        .unwrap()
}

/// The browser: `ARICHAT_CHROMIUM`, else `chromium` on the PATH. `None` (with a note)
/// when there is none; a panic instead when ARICHAT_REQUIRE_CHROMIUM=1.
fn chromium() -> Option<PathBuf> {
    let from_env = std::env::var_os("ARICHAT_CHROMIUM").map(PathBuf::from);
    let on_path = || {
        std::env::split_paths(&std::env::var_os("PATH").unwrap_or_default())
            .flat_map(|d| [d.join("chromium"), d.join("chromium-browser")])
            .find(|p| p.is_file())
    };
    let found = from_env.filter(|p| p.is_file()).or_else(on_path);
    if found.is_none() {
        assert!(
            std::env::var("ARICHAT_REQUIRE_CHROMIUM").as_deref() != Ok("1"),
            "ARICHAT_REQUIRE_CHROMIUM=1 but no Chromium: run scripts/chromium.sh \
             (it exports ARICHAT_CHROMIUM)"
        );
        eprintln!("skipped: no Chromium (scripts/chromium.sh installs it)");
    }
    found
}

/// Runs headless Chromium on `page` with `args` and console logging on stderr.
fn run_chromium(bin: &Path, page: &Path, profile: &str, args: &[&str]) -> Output {
    let url = format!("file://{}", page.display());
    std::process::Command::new(bin)
        .args([
            "--headless",
            "--disable-gpu",
            "--no-sandbox",
            "--no-first-run",
            "--hide-scrollbars",
            "--enable-logging=stderr",
            "--v=0",
        ])
        .arg(format!("--user-data-dir={}", temp(profile).display()))
        .args(args)
        .arg(url)
        .output()
        .unwrap()
}

/// Console messages (errors, CSP violations, warnings) in Chromium's log.
fn console_lines(stderr: &[u8]) -> Vec<String> {
    String::from_utf8_lossy(stderr)
        .lines()
        .filter(|l| l.contains(":CONSOLE") || l.contains("Uncaught"))
        .map(str::to_owned)
        .collect()
}

#[test]
fn report_describes_the_fitted_card() {
    let report = temp("fit_report_content.html");
    let out = fit_bank(&report);
    let card = Scorecard::from_toml(&ok(&out)).unwrap();
    let html = std::fs::read_to_string(&report).unwrap();
    assert!(html.starts_with("<!DOCTYPE html>"));
    assert_eq!(html.matches("<svg").count(), 5, "five charts");
    // The held-out AUC on the page is the one the CLI reports on stderr.
    let stderr = String::from_utf8(out.stderr).unwrap();
    let pooled: f64 = stderr
        .split("pooled ")
        .nth(1)
        .and_then(|s| s.split(')').next())
        .and_then(|s| s.parse().ok())
        .unwrap_or_else(|| panic!("no pooled AUC in {stderr}"));
    assert!(
        html.contains(&format!("<b>{pooled:.3}</b><span>ROC-AUC (held out)")),
        "AUC {pooled:.3} not on the page"
    );
    assert!(html.contains("3-fold stratified cross-validation"));
    // Every field of the card has its table, every rule its row.
    for rule in &card.fit {
        let name = rule.name.as_deref().unwrap_or(&rule.id);
        let escaped = name
            .replace('&', "&amp;")
            .replace('<', "&lt;")
            .replace('>', "&gt;");
        assert!(html.contains(&escaped), "no bin {name:?}");
        assert!(html.contains(&format!("<span>{}</span>", rule.field)));
    }
    assert!(!html.contains("<span>duration</span>") && !html.contains("<script"));
}

#[test]
fn report_renders_in_headless_chromium() {
    let Some(bin) = chromium() else { return };
    let report = temp("fit_report.html");
    ok(&fit_bank(&report));
    let shot = temp("fit_report.png");
    let _ = std::fs::remove_file(&shot);
    let out = run_chromium(
        &bin,
        &report,
        "chromium-shot",
        &[
            &format!("--screenshot={}", shot.display()),
            "--window-size=1200,2000",
        ],
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let console = console_lines(&out.stderr);
    assert!(console.is_empty(), "console messages: {console:#?}");

    // The screenshot: a PNG of the window, and a page, not a blank.
    let decoder = png::Decoder::new(std::io::BufReader::new(std::fs::File::open(&shot).unwrap()));
    let mut reader = decoder.read_info().unwrap();
    let mut buf = vec![0; reader.output_buffer_size().unwrap()];
    let frame = reader.next_frame(&mut buf).unwrap();
    assert_eq!((frame.width, frame.height), (1200, 2000));
    let px = frame.color_type.samples();
    let bytes = &buf[..frame.buffer_size()];
    let mut colours: Vec<&[u8]> = bytes.chunks(px).collect();
    colours.sort_unstable();
    colours.dedup();
    assert!(
        colours.len() > 50,
        "{} colours: a blank page?",
        colours.len()
    );
    // The charts' blue (#2f6fde) is drawn.
    let blue = bytes
        .chunks(px)
        .filter(|c| c[0] < 0x50 && (0x60..0x80).contains(&c[1]) && c[2] > 0xc0)
        .count();
    assert!(blue > 500, "{blue} blue pixels: no curves drawn?");
    eprintln!("screenshot: {}", shot.display());

    // The rendered DOM holds the five charts with their curves.
    let out = run_chromium(&bin, &report, "chromium-dom", &["--dump-dom"]);
    assert!(out.status.success());
    assert!(console_lines(&out.stderr).is_empty());
    let dom = String::from_utf8_lossy(&out.stdout);
    assert_eq!(dom.matches("<svg").count(), 5);
    assert!(dom.matches("<polyline").count() >= 9);
    assert!(dom.contains("Fields dropped"));
}

#[test]
fn piped_stderr_gets_no_progress_bar() {
    let report = temp("fit_report_piped.html");
    let out = fit_bank(&report);
    let card = temp("bank_card_piped.toml");
    std::fs::write(&card, ok(&out)).unwrap();
    let scored = Command::cargo_bin("arichat")
        .unwrap()
        .args(["score", "--scorecard"])
        .arg(&card)
        .arg(BANK)
        .output()
        .unwrap();
    ok(&scored);
    for (what, stderr) in [("fit", &out.stderr), ("score", &scored.stderr)] {
        let text = String::from_utf8_lossy(stderr);
        assert!(
            !text.contains('\x1b') && !text.contains('\r'),
            "{what} drew on a pipe: {text:?}"
        );
    }
    // fit still says what it did, as plain lines.
    assert!(String::from_utf8_lossy(&out.stderr).contains("3-fold CV"));
}
