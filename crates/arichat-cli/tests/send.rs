//! `arichat send` against a real HTTP server (wiremock).

use assert_cmd::Command;
use serde_json::json;
use std::time::Duration;

use wiremock::matchers::{body_partial_json, header, method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

const TG_TOKEN: &str = "7001234567:AAH-cli-secret";

async fn run(args: Vec<String>, envs: Vec<(&'static str, String)>) -> std::process::Output {
    tokio::task::spawn_blocking(move || {
        let mut cmd = Command::cargo_bin("arichat").unwrap();
        cmd.env_remove("ARICHAT_TOKEN")
            .env_remove("ARICHAT_PHONE_NUMBER_ID")
            .env_remove("ARICHAT_PAGE_ID");
        for (k, v) in envs {
            cmd.env(k, v);
        }
        cmd.args(args).output().unwrap()
    })
    .await
    .unwrap()
}

fn args(channel: &str, to: &str, base: &str) -> Vec<String> {
    [
        "send",
        "--channel",
        channel,
        "--to",
        to,
        "--text",
        "¡Hola!",
        "--api-base",
        base,
    ]
    .map(String::from)
    .to_vec()
}

#[tokio::test(flavor = "multi_thread")]
async fn whatsapp_send_prints_the_receipt() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/v23.0/1065/messages"))
        .and(header("authorization", "Bearer EAAG-cli"))
        .and(body_partial_json(
            json!({"to": "5215512345678", "type": "text", "text": {"body": "¡Hola!"}}),
        ))
        .respond_with(
            ResponseTemplate::new(200).set_body_json(json!({"messages": [{"id": "wamid.CLI"}]})),
        )
        .expect(1)
        .mount(&server)
        .await;
    let out = run(
        args("whatsapp", "5215512345678", &server.uri()),
        vec![
            ("ARICHAT_TOKEN", "EAAG-cli".into()),
            ("ARICHAT_PHONE_NUMBER_ID", "1065".into()),
        ],
    )
    .await;
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let receipt: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(receipt["message_ids"], json!(["wamid.CLI"]));
    assert_eq!(receipt["channel"], "whatsapp");
}

#[tokio::test(flavor = "multi_thread")]
async fn messenger_and_instagram_need_the_page_id() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/v23.0/PAGE-9/messages"))
        .and(body_partial_json(
            json!({"recipient": {"id": "PSID-7"}, "messaging_type": "RESPONSE"}),
        ))
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_json(json!({"recipient_id": "PSID-7", "message_id": "m_1"})),
        )
        .expect(1)
        .mount(&server)
        .await;
    let out = run(
        args("instagram", "PSID-7", &server.uri()),
        vec![("ARICHAT_TOKEN", "EAAB".into())],
    )
    .await;
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("ARICHAT_PAGE_ID"));
    let out = run(
        args("messenger", "PSID-7", &server.uri()),
        vec![
            ("ARICHAT_TOKEN", "EAAB".into()),
            ("ARICHAT_PAGE_ID", "PAGE-9".into()),
        ],
    )
    .await;
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn a_telegram_failure_exits_non_zero_with_the_typed_error_and_no_token() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path(format!("/bot{TG_TOKEN}/sendMessage")))
        .respond_with(ResponseTemplate::new(403).set_body_json(json!({
            "ok": false, "error_code": 403, "description": "Forbidden: bot was blocked by the user"
        })))
        .expect(1)
        .mount(&server)
        .await;
    let out = run(
        args("telegram", "42", &server.uri()),
        vec![("ARICHAT_TOKEN", TG_TOKEN.into())],
    )
    .await;
    assert!(!out.status.success());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("blocked_by_user"), "{stderr}");
    assert!(!stderr.contains("AAH-cli-secret"), "{stderr}");
    // Unreachable server: a connection error, still without the token.
    let out = run(
        args("telegram", "42", "http://127.0.0.1:9"),
        vec![("ARICHAT_TOKEN", TG_TOKEN.into())],
    )
    .await;
    assert!(!out.status.success());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("connection_failed"), "{stderr}");
    assert!(!stderr.contains("AAH-cli-secret"), "{stderr}");
}

/// A server that takes the send and never answers within the timeout: one POST, and
/// stderr names the outcome and the id the status webhooks will echo.
#[tokio::test(flavor = "multi_thread")]
async fn a_timed_out_send_is_sent_once_unless_at_least_once_is_asked() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/v23.0/1065/messages"))
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_json(json!({"messages": [{"id": "wamid.LATE"}]}))
                .set_delay(Duration::from_secs(10)),
        )
        .mount(&server)
        .await;
    let envs = || {
        vec![
            ("ARICHAT_TOKEN", "EAAG-cli".into()),
            ("ARICHAT_PHONE_NUMBER_ID", "1065".into()),
        ]
    };
    let with = |extra: &[&str]| {
        let mut a = args("whatsapp", "5215512345678", &server.uri());
        a.extend(
            ["--timeout", "0.3"]
                .iter()
                .chain(extra)
                .map(|s| s.to_string()),
        );
        a
    };
    let out = run(with(&[]), envs()).await;
    assert!(!out.status.success());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("outcome_unknown"), "{stderr}");
    let requests = server.received_requests().await.unwrap();
    assert_eq!(requests.len(), 1);
    let body: serde_json::Value = serde_json::from_slice(&requests[0].body).unwrap();
    let id = body["biz_opaque_callback_data"].as_str().unwrap();
    assert!(stderr.contains(id), "{stderr}");

    server.reset().await;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(200).set_delay(Duration::from_secs(10)))
        .mount(&server)
        .await;
    let out = run(
        with(&["--guarantee", "at_least_once", "--max-attempts", "2"]),
        envs(),
    )
    .await;
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("outcome_unknown"), "{stderr}");
    assert_eq!(server.received_requests().await.unwrap().len(), 2);

    // An unknown name is refused by the argument parser, before any request.
    let out = run(with(&["--guarantee", "twice"]), envs()).await;
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("at_most_once"));
    assert_eq!(server.received_requests().await.unwrap().len(), 2);
}

/// A non-JSON error page is cut to 200 bytes; a token straddling the cut leaves no
/// piece of itself on stderr.
#[tokio::test(flavor = "multi_thread")]
async fn a_token_straddling_the_error_excerpt_cut_stays_off_stderr() {
    let server = MockServer::start().await;
    let page = format!("{}{TG_TOKEN}{}", ".".repeat(190), ".".repeat(40));
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(400).set_body_string(page))
        .mount(&server)
        .await;
    let out = run(
        args("telegram", "42", &server.uri()),
        vec![("ARICHAT_TOKEN", TG_TOKEN.into())],
    )
    .await;
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("[REDACTED]"), "{stderr}");
    for piece in TG_TOKEN.as_bytes().windows(6) {
        let piece = std::str::from_utf8(piece).unwrap();
        assert!(!stderr.contains(piece), "{piece:?} in {stderr}");
    }
}
