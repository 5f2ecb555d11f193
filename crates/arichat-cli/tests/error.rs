//! Every error of the `arichat` binary ends as `code: message` on stderr, and closed
//! pipes on stdout or stderr end the process cleanly, never with a panic (exit 101).

use std::io::Write;
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};

use assert_cmd::cargo::cargo_bin;

fn temp(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join(name)
}

/// The demo's scorecard, and a CSV file for `fit` and `score`.
fn table() -> (String, String) {
    let data = temp("error-table.csv");
    let mut csv = String::from("plan,visits,bought\n");
    for i in 0..60u32 {
        let bought = if i % 3 == 0 || i % 7 == 0 {
            "yes"
        } else {
            "no"
        };
        csv.push_str(&format!("p{},{},{bought}\n", i % 2, i % 10));
    }
    std::fs::write(&data, csv).unwrap();
    let card = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../examples/data/demo/scorecard.toml"
    );
    (card.to_owned(), data.to_str().unwrap().to_owned())
}

/// Starts `command` with all three standard streams piped and no send token.
fn spawn_piped(command: &mut Command) -> Child {
    command
        .env_remove("ARICHAT_TOKEN")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap()
}

fn stderr_of(args: &[&str], stdin: &[u8]) -> (Option<i32>, String) {
    let mut child = spawn_piped(Command::new(cargo_bin("arichat")).args(args));
    // The child may exit before reading stdin.
    let _ = child.stdin.take().unwrap().write_all(stdin);
    let out = child.wait_with_output().unwrap();
    (out.status.code(), String::from_utf8(out.stderr).unwrap())
}

#[test]
fn every_subcommand_reports_code_colon_message() {
    let (card, data) = table();
    let bad_card = temp("error-card.toml");
    std::fs::write(
        &bad_card,
        "[[fit]]\nid = \"x\"\nfield = \"plan\"\npoints = \"many\"\n",
    )
    .unwrap();
    let bad_card = bad_card.to_str().unwrap().to_owned();
    let missing = temp("does-not-exist.csv");
    let missing = missing.to_str().unwrap();
    let cases: &[(&[&str], &[u8], &str)] = &[
        (&["phone", "12", "--region", "CO"], b"", "invalid_phone"),
        (&["phone", "300", "--region", "ZZ"], b"", "unknown_region"),
        (
            &["normalize", "--channel", "whatsapp", "-"],
            b"{x",
            "invalid_json",
        ),
        (
            &["normalize", "--channel", "whatsapp", missing],
            b"",
            "unreadable_input",
        ),
        (
            &["normalize", "--channel", "telegram", "--account", "b", "-"],
            b"[1]",
            "unexpected_shape",
        ),
        (
            &["normalize", "--channel", "telegram", "-"],
            b"{\"update_id\": 1}",
            "account_required",
        ),
        (&["check-lead", "-"], b"\xff\xfe", "invalid_input"),
        (&["check-lead", "-"], b"{}", "invalid_json"),
        (&["classify"], b"hola\n\xff\n", "invalid_input"),
        (&["demo", "--data", missing], b"", "unreadable_input"),
        (&["fit", "--label", "nope", &data], b"", "missing_column"),
        (
            &["fit", "--label", "bought", "--positive", "maybe", &data],
            b"",
            "invalid_scoring_data",
        ),
        (
            &["fit", "--label", "plan", &data],
            b"",
            "invalid_scoring_data",
        ),
        (
            &["fit", "--label", "bought", "--type", "plan=nope", &data],
            b"",
            "invalid_type",
        ),
        (
            &["fit", "--label", "bought", missing],
            b"",
            "unreadable_input",
        ),
        // A CSV given as the scorecard: its name says no format (ConfigFormat).
        (
            &["score", "--scorecard", &data, &data],
            b"",
            "invalid_config",
        ),
        (
            &["score", "--scorecard", &bad_card, &data],
            b"",
            "invalid_scorecard",
        ),
        (&["score", "--scorecard", &card, "-"], b"", "no_header"),
        (
            &["score", "--scorecard", &card, "-"],
            b"from_ad,has_phone,country\n1\n",
            "invalid_csv",
        ),
        (
            &["score", "--scorecard", &card, "-"],
            b"a,b\n1,2\n",
            "missing_fields",
        ),
        (
            &["send", "--channel", "telegram", "--to", "1", "--text", "hi"],
            b"",
            "missing_config",
        ),
        (
            &["normalize", "--channel", "sms", "-"],
            b"",
            "invalid_arguments",
        ),
        (&["no-such-subcommand"], b"", "invalid_arguments"),
    ];
    for (args, stdin, code) in cases {
        let (status, stderr) = stderr_of(args, stdin);
        let expected = if *code == "invalid_arguments" { 2 } else { 1 };
        assert_eq!(status, Some(expected), "{args:?}: {stderr}");
        assert!(
            stderr.starts_with(&format!("{code}: ")),
            "{args:?}: {stderr}"
        );
        assert!(!stderr.contains("panicked"), "{args:?}: {stderr}");
    }
}

/// Which of the child's output pipes have no reader.
#[derive(Clone, Copy, Debug)]
struct Closed {
    stdout: bool,
    stderr: bool,
}

/// Runs `arichat args` with the read end of stdout and/or stderr closed *before* it
/// starts: a shell waits for a first line on stdin, which is written only after the
/// pipes are dropped, then execs the binary with the rest of stdin. Returns the exit
/// code and whatever the open pipe carried.
#[cfg(unix)]
fn with_closed(args: &[&str], stdin: &[u8], closed: Closed) -> (Option<i32>, String) {
    let mut child = spawn_piped(
        Command::new("sh")
            .arg("-c")
            .arg(r#"read -r _ && exec "$0" "$@""#)
            .arg(cargo_bin("arichat"))
            .args(args),
    );
    if closed.stdout {
        drop(child.stdout.take());
    }
    if closed.stderr {
        drop(child.stderr.take());
    }
    {
        let mut input = child.stdin.take().unwrap();
        input.write_all(b"go\n").unwrap();
        // The child may exit before reading all of it.
        let _ = input.write_all(stdin);
    }
    let out = child.wait_with_output().unwrap();
    let open = if closed.stdout {
        out.stderr
    } else {
        out.stdout
    };
    (
        out.status.code(),
        String::from_utf8_lossy(&open).into_owned(),
    )
}

#[cfg(unix)]
#[test]
fn a_closed_stdout_ends_silently_with_success() {
    let (card, _) = table();
    // Far more than a pipe buffer, so a write fails even if the pipe had room at first.
    // The demo card's columns, so `score` has nothing to say on stderr.
    let mut big = String::from("from_ad,has_phone,country\n");
    for i in 0..20_000 {
        big.push_str(&format!("true,false,C{i}\n"));
    }
    let telegram = br#"{"update_id": 7, "message": {"message_id": 5, "date": 1700000000,
        "chat": {"id": 42, "type": "private"}, "from": {"id": 42, "is_bot": false, "first_name": "Ana"},
        "text": "hola"}}"#;
    let cases: &[(&[&str], &[u8])] = &[
        (&["score", "--scorecard", &card, "-"], big.as_bytes()),
        (&["demo"], b""),
        (
            &["normalize", "--channel", "telegram", "--account", "b", "-"],
            telegram,
        ),
        (&["classify"], b"hola\ncuanto cuesta\n"),
        (&["phone", "+573001234567"], b""),
        (&["--help"], b""),
    ];
    let closed = Closed {
        stdout: true,
        stderr: false,
    };
    for (args, stdin) in cases {
        let (status, stderr) = with_closed(args, stdin, closed);
        assert_eq!(status, Some(0), "{args:?}: {stderr}");
        assert!(stderr.is_empty(), "{args:?}: {stderr}");
    }
}

#[cfg(unix)]
#[test]
fn a_closed_stderr_keeps_the_exit_code_of_the_error() {
    let (_, data) = table();
    let closed = Closed {
        stdout: false,
        stderr: true,
    };
    let failing: &[(&[&str], &[u8], i32)] = &[
        (&["phone", "12", "--region", "CO"], b"", 1),
        (&["normalize", "--channel", "whatsapp", "-"], b"{x", 1),
        (&["normalize", "--channel", "sms", "-"], b"", 2),
        (
            &["send", "--channel", "telegram", "--to", "1", "--text", "hi"],
            b"",
            1,
        ),
    ];
    for (args, stdin, code) in failing {
        let (status, stdout) = with_closed(args, stdin, closed);
        assert_eq!(status, Some(*code), "{args:?}: {stdout}");
    }
    // `fit` writes its summary on stderr and the scorecard on stdout.
    let (status, stdout) = with_closed(&["fit", "--label", "bought", &data], b"", closed);
    assert_eq!(status, Some(0), "{stdout}");
    assert!(
        stdout.starts_with("name = 'bought = \"yes\"'\n"),
        "{stdout}"
    );
}

#[cfg(unix)]
#[test]
fn both_closed_is_still_no_panic() {
    let closed = Closed {
        stdout: true,
        stderr: true,
    };
    let (status, _) = with_closed(&["normalize", "--channel", "whatsapp", "-"], b"{x", closed);
    assert_eq!(status, Some(1));
    let (status, _) = with_closed(&["demo"], b"", closed);
    assert_eq!(status, Some(0));
}
