//! WhatsApp Cloud API client against a real HTTP server (wiremock).
#![cfg(feature = "client")]

mod http;

use std::sync::atomic::Ordering;
use std::time::Duration;

use arichat_channels::client::{
    HttpConfig, MediaInfo, SendError, VendorErrorKind, WhatsAppClient, WhatsAppConfig,
};
use arichat_channels::outbound::{
    ListRow, ListSection, MediaKind, MediaSource, Outbound, ReplyButton, Template,
    TemplateCategory, TemplateComponent, TemplateParameter,
};
use serde_json::json;
use sha2::{Digest, Sha256};
use wiremock::matchers::{body_partial_json, header, header_regex, method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

const TOKEN: &str = "EAAG-test-token-123";
const PNID: &str = "106540352242922";
const MESSAGES: &str = "/v23.0/106540352242922/messages";

fn client(server: &str, attempts: u32) -> WhatsAppClient {
    client_with(server, http::fast(attempts))
}

fn client_with(server: &str, http: HttpConfig) -> WhatsAppClient {
    let mut cfg = WhatsAppConfig::new(TOKEN, PNID);
    cfg.api_base = server.to_owned();
    cfg.http = http;
    WhatsAppClient::new(cfg).unwrap()
}

/// A server answering every message with `response`, and the error of one text sent
/// to it through a client with `http`.
async fn fail_with(response: ResponseTemplate, http: HttpConfig) -> (MockServer, SendError) {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path(MESSAGES))
        .respond_with(response)
        .mount(&server)
        .await;
    let err = client_with(&server.uri(), http)
        .send_text("1", "hola", false)
        .await
        .unwrap_err();
    (server, err)
}

/// The `biz_opaque_callback_data` of every message the server received.
async fn callback_data(server: &MockServer) -> Vec<String> {
    let requests = server.received_requests().await.unwrap();
    requests
        .iter()
        .map(|r| {
            let body: serde_json::Value = serde_json::from_slice(&r.body).unwrap();
            body["biz_opaque_callback_data"]
                .as_str()
                .expect("every send carries biz_opaque_callback_data")
                .to_owned()
        })
        .collect()
}

fn accepted(id: &str) -> ResponseTemplate {
    ResponseTemplate::new(200).set_body_json(json!({
        "messaging_product": "whatsapp",
        "contacts": [{"input": "+52 1 55 1234 5678", "wa_id": "5215512345678"}],
        "messages": [{"id": id}],
    }))
}

fn graph_error(code: i64, message: &str) -> serde_json::Value {
    json!({"error": {"message": message, "type": "OAuthException", "code": code, "fbtrace_id": "AbC"}})
}

#[tokio::test]
async fn sends_every_message_kind_with_auth_and_the_documented_body() {
    let server = MockServer::start().await;
    let cases = vec![
        (
            json!({"type": "text", "text": {"body": "hola", "preview_url": true}}),
            "text",
        ),
        (
            json!({"type": "image", "image": {"link": "https://x.example/a.jpg", "caption": "nuevo"}}),
            "media",
        ),
        (
            json!({"type": "interactive", "interactive": {"type": "button", "action": {"buttons": [{"type": "reply", "reply": {"id": "si", "title": "Sí"}}]}}}),
            "buttons",
        ),
        (
            json!({"type": "interactive", "interactive": {"type": "list", "action": {"button": "Ver", "sections": [{"title": "Planes", "rows": [{"id": "p1", "title": "Básico"}]}]}}}),
            "list",
        ),
        (
            json!({"type": "template", "template": {"name": "promo_julio", "language": {"code": "es_MX"}, "components": [{"type": "body", "parameters": [{"type": "text", "text": "Ana"}]}]}}),
            "template",
        ),
        (
            json!({"type": "reaction", "reaction": {"message_id": "wamid.IN", "emoji": "👍"}}),
            "reaction",
        ),
    ];
    for (body, id) in &cases {
        let mut expected = body.clone();
        expected["messaging_product"] = "whatsapp".into();
        expected["to"] = "5215512345678".into();
        Mock::given(method("POST"))
            .and(path(MESSAGES))
            .and(header("authorization", format!("Bearer {TOKEN}").as_str()))
            .and(body_partial_json(expected))
            .respond_with(accepted(&format!("wamid.{id}")))
            .expect(1)
            .mount(&server)
            .await;
    }
    let wa = client(&server.uri(), 1);
    let to = "5215512345678";
    let sent = wa.send_text(to, "hola", true).await.unwrap();
    assert_eq!(sent.id, "wamid.text");
    assert_eq!(sent.wa_id.as_deref(), Some("5215512345678"));
    let sent = wa
        .send_media(
            to,
            MediaKind::Image,
            MediaSource::Link("https://x.example/a.jpg".into()),
            Some("nuevo"),
        )
        .await
        .unwrap();
    assert_eq!(sent.id, "wamid.media");
    let buttons = [ReplyButton {
        id: "si".into(),
        title: "Sí".into(),
    }];
    assert_eq!(
        wa.send_buttons(to, "¿Seguimos?", &buttons)
            .await
            .unwrap()
            .id,
        "wamid.buttons"
    );
    let sections = [ListSection {
        title: "Planes".into(),
        rows: vec![ListRow {
            id: "p1".into(),
            title: "Básico".into(),
            description: None,
        }],
    }];
    assert_eq!(
        wa.send_list(to, "Elija", "Ver", &sections)
            .await
            .unwrap()
            .id,
        "wamid.list"
    );
    let template = Template {
        name: "promo_julio".into(),
        language: "es_MX".into(),
        category: TemplateCategory::Marketing,
        components: vec![TemplateComponent::Body {
            parameters: vec![TemplateParameter::Text("Ana".into())],
        }],
    };
    assert_eq!(
        wa.send_template(to, &template).await.unwrap().id,
        "wamid.template"
    );
    assert_eq!(
        wa.send_reaction(to, "wamid.IN", "👍").await.unwrap().id,
        "wamid.reaction"
    );
    // `expect(1)` on each mock is verified when the server drops.
}

#[tokio::test]
async fn marks_read_with_typing_indicator() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path(MESSAGES))
        .and(body_partial_json(json!({"status": "read", "message_id": "wamid.IN", "typing_indicator": {"type": "text"}})))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"success": true})))
        .expect(1)
        .mount(&server)
        .await;
    client(&server.uri(), 1)
        .mark_read("wamid.IN", true)
        .await
        .unwrap();
}

#[tokio::test]
async fn uploads_resolves_and_downloads_media_checking_its_hash() {
    let server = MockServer::start().await;
    let file = b"%PDF-1.4 contrato".to_vec();
    let sha = hex::encode(Sha256::digest(&file));
    Mock::given(method("POST"))
        .and(path("/v23.0/106540352242922/media"))
        .and(header("authorization", format!("Bearer {TOKEN}").as_str()))
        .and(header_regex(
            "content-type",
            "^multipart/form-data; boundary=",
        ))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"id": "1037543291543636"})))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/v23.0/1037543291543636"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "messaging_product": "whatsapp",
            "url": format!("{}/whatsapp_business/attachments/?mid=1037543291543636", server.uri()),
            "mime_type": "application/pdf", "sha256": sha, "file_size": "17", "id": "1037543291543636"
        })))
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/whatsapp_business/attachments/"))
        .and(header("authorization", format!("Bearer {TOKEN}").as_str()))
        .respond_with(ResponseTemplate::new(200).set_body_bytes(file.clone()))
        .mount(&server)
        .await;
    let wa = client(&server.uri(), 1);
    let id = wa
        .upload_media(file.clone(), "application/pdf", "contrato.pdf")
        .await
        .unwrap();
    assert_eq!(id, "1037543291543636");
    let info = wa.media_info(&id).await.unwrap();
    assert_eq!(info.file_size, Some(17));
    assert_eq!(wa.download_media(&info).await.unwrap(), file);
    let forged = MediaInfo {
        sha256: Some("00".repeat(32)),
        ..info
    };
    let err = wa.download_media(&forged).await.unwrap_err();
    assert_eq!(err.code(), "malformed_response");
}

/// At most once: a 500 may come after Meta queued the message, so it is not sent again.
#[tokio::test]
async fn a_500_is_not_retried_by_default_and_reports_outcome_unknown() {
    let (server, err) = fail_with(
        ResponseTemplate::new(500).set_body_json(graph_error(1, "An unknown error occurred")),
        http::fast(3),
    )
    .await;
    assert_eq!(err.code(), "outcome_unknown", "{err}");
    assert_eq!(err.attempts(), 1);
    let vendor = err.vendor().expect("the 500 answer is kept");
    assert_eq!((vendor.http_status, vendor.code), (500, Some(1)));
    assert_eq!(callback_data(&server).await, [err.request_id().unwrap()]);
}

#[tokio::test]
async fn a_500_then_200_is_retried_once_at_least_once() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path(MESSAGES))
        .respond_with(
            ResponseTemplate::new(500).set_body_json(graph_error(1, "An unknown error occurred")),
        )
        .up_to_n_times(1)
        .with_priority(1)
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path(MESSAGES))
        .respond_with(accepted("wamid.ok"))
        .expect(1)
        .mount(&server)
        .await;
    let sent = client_with(&server.uri(), http::fast_at_least_once(3))
        .send_text("1", "hola", false)
        .await
        .unwrap();
    assert_eq!(sent.id, "wamid.ok");
    // Both attempts are the same send: one callback id.
    let ids = callback_data(&server).await;
    assert_eq!(ids.len(), 2);
    assert_eq!(ids[0], ids[1]);
}

#[tokio::test]
async fn a_429_with_retry_after_is_honoured() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path(MESSAGES))
        .respond_with(
            ResponseTemplate::new(429)
                .insert_header("retry-after", "1")
                .set_body_json(graph_error(130429, "Rate limit hit")),
        )
        .up_to_n_times(1)
        .with_priority(1)
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path(MESSAGES))
        .respond_with(accepted("wamid.late"))
        .mount(&server)
        .await;
    let started = std::time::Instant::now();
    let sent = client(&server.uri(), 3)
        .send_text("1", "hola", false)
        .await
        .unwrap();
    assert_eq!(sent.id, "wamid.late");
    let requests = server.received_requests().await.unwrap();
    assert_eq!(requests.len(), 2);
    // The retry waited for the vendor's Retry-After, not the 5 ms backoff.
    assert!(started.elapsed() >= Duration::from_secs(1));
}

/// A 503 with `Retry-After` is a refusal: retried under the default guarantee.
#[tokio::test]
async fn exhausted_retries_return_the_last_vendor_error_with_its_count() {
    let (server, err) = fail_with(
        ResponseTemplate::new(503)
            .insert_header("retry-after", "0")
            .set_body_string("<html>Service Unavailable</html>"),
        http::fast(3),
    )
    .await;
    assert_eq!(server.received_requests().await.unwrap().len(), 3);
    assert_eq!(err.attempts(), 3);
    assert_eq!(err.code(), "temporary_failure");
    assert!(err.to_string().contains("after 3 attempts"), "{err}");
}

/// Without `Retry-After` a 503 says nothing about the message: not sent again.
#[tokio::test]
async fn a_503_without_retry_after_is_outcome_unknown() {
    let (server, err) = fail_with(
        ResponseTemplate::new(503).set_body_string("busy"),
        http::fast(3),
    )
    .await;
    assert_eq!(server.received_requests().await.unwrap().len(), 1);
    assert_eq!(err.code(), "outcome_unknown", "{err}");
}

#[tokio::test]
async fn permanent_errors_are_typed_and_not_retried() {
    for (code, kind) in [
        (131047, VendorErrorKind::OutsideWindow),
        (131026, VendorErrorKind::Undeliverable),
        (190, VendorErrorKind::InvalidToken),
        (132001, VendorErrorKind::Template),
    ] {
        let server = MockServer::start().await;
        Mock::given(method("POST"))
            .and(path(MESSAGES))
            .respond_with(ResponseTemplate::new(400).set_body_json(graph_error(code, "refused")))
            .expect(1)
            .mount(&server)
            .await;
        let err = client(&server.uri(), 4)
            .send_text("1", "hola", false)
            .await
            .unwrap_err();
        let vendor = err.vendor().expect("a vendor error");
        assert_eq!(vendor.kind, kind, "{code}");
        assert_eq!(vendor.code, Some(code));
        assert_eq!(vendor.trace_id.as_deref(), Some("AbC"));
        assert_eq!(err.attempts(), 1);
    }
}

/// The case: a server that takes the request and never answers got four POSTs
/// for one send. Now it gets one, and the error says how to reconcile.
#[tokio::test]
async fn a_timeout_sends_once_and_reports_outcome_unknown_with_the_callback_id() {
    let (server, err) = fail_with(
        accepted("wamid.slow").set_delay(Duration::from_secs(5)),
        http::fast(4),
    )
    .await;
    assert_eq!(server.received_requests().await.unwrap().len(), 1);
    assert_eq!(err.code(), "outcome_unknown", "{err}");
    assert_eq!(err.attempts(), 1);
    let id = err.request_id().expect("a request id").to_owned();
    assert_eq!(id.len(), 32);
    assert!(id.bytes().all(|b| b.is_ascii_hexdigit()));
    assert_eq!(err.callback_data(), Some(id.as_str()));
    assert_eq!(callback_data(&server).await, [id.as_str()]);
    assert!(err.to_string().contains(&id), "{err}");
    assert!(err.vendor().is_none());
}

#[tokio::test]
async fn a_timeout_is_retried_at_least_once_with_the_same_ids() {
    let (server, err) = fail_with(
        accepted("wamid.slow").set_delay(Duration::from_secs(5)),
        http::fast_at_least_once(2),
    )
    .await;
    // Still unknown: either attempt may have been delivered.
    assert!(
        matches!(err, SendError::OutcomeUnknown { attempts: 2, .. }),
        "{err:?}"
    );
    let sent = err.callback_data().unwrap();
    assert_eq!(callback_data(&server).await, [sent, sent]);
    // Two sends are two ids.
    let again = client(&server.uri(), 1)
        .send_text("1", "hola", false)
        .await
        .unwrap_err();
    assert_ne!(again.request_id(), err.request_id());
}

#[tokio::test]
async fn malformed_json_on_success_is_a_typed_error_without_retry() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path(MESSAGES))
        .respond_with(ResponseTemplate::new(200).set_body_string("{\"messages\": [oops"))
        .expect(1)
        .mount(&server)
        .await;
    let err = client(&server.uri(), 3)
        .send_text("1", "hola", false)
        .await
        .unwrap_err();
    assert_eq!(err.code(), "malformed_response");
}

/// A connection dropped after the request was written: the vendor may have it.
#[tokio::test]
async fn a_dropped_connection_is_outcome_unknown_unless_at_least_once() {
    let (base, connections) = http::dropping_server();
    let err = client(&base, 3)
        .send_text("1", "hola", false)
        .await
        .unwrap_err();
    assert_eq!(err.code(), "outcome_unknown", "{err:?}");
    assert_eq!(connections.load(Ordering::SeqCst), 1);
    assert!(!format!("{err} {err:?}").contains(TOKEN));

    let (base, connections) = http::dropping_server();
    let err = client_with(&base, http::fast_at_least_once(3))
        .send_text("1", "hola", false)
        .await
        .unwrap_err();
    assert!(
        matches!(err, SendError::OutcomeUnknown { attempts: 3, .. }),
        "{err:?}"
    );
    assert_eq!(connections.load(Ordering::SeqCst), 3);
}

/// Nothing listens: no request left, so retrying is safe under the default guarantee.
#[tokio::test]
async fn a_refused_connection_is_retried() {
    let err = client(&http::closed_port(), 3)
        .send_text("1", "hola", false)
        .await
        .unwrap_err();
    assert!(
        matches!(err, SendError::Connection { attempts: 3, .. }),
        "{err:?}"
    );
    assert_eq!(err.code(), "connection_failed");
}

/// Reads are safe to repeat: a timed-out media lookup is retried under the default.
#[tokio::test]
async fn reads_retry_timeouts_whatever_the_guarantee() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(200).set_delay(Duration::from_secs(5)))
        .expect(2)
        .mount(&server)
        .await;
    let err = client(&server.uri(), 2)
        .media_info("1037543291543636")
        .await
        .unwrap_err();
    assert!(
        matches!(err, SendError::Timeout { attempts: 2, .. }),
        "{err:?}"
    );
}

/// A non-JSON error body is cut to 200 bytes. Whatever the cut leaves of a token that
/// straddles it, nothing of it may reach the error (the transport's unit test walks
/// every cut position; this one checks the path through a real server).
#[tokio::test]
async fn a_token_straddling_the_excerpt_cut_never_leaks() {
    for before in [200 - TOKEN.len() / 2, 199, 200 - TOKEN.len() + 1] {
        let page = format!("{}{TOKEN}{}", ".".repeat(before), ".".repeat(50));
        let (_, err) = fail_with(
            ResponseTemplate::new(400).set_body_string(page),
            http::fast(1),
        )
        .await;
        let shown = format!("{err} {err:?}");
        for piece in TOKEN.as_bytes().windows(6) {
            let piece = std::str::from_utf8(piece).unwrap();
            assert!(!shown.contains(piece), "{piece:?} in {shown}");
        }
    }
}

/// A BSUID goes in `recipient` (never `to`), a group id in `to` with
/// `recipient_type: "group"`, a phone in `to` (Meta's `/messages` reference, 2026).
#[tokio::test]
async fn recipients_are_written_as_meta_requires() {
    use arichat_channels::whatsapp_send::Recipient;
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path(MESSAGES))
        .respond_with(accepted("wamid.ok"))
        .expect(3)
        .mount(&server)
        .await;
    let wa = client(&server.uri(), 1);
    wa.send_text("US.13491208655302741918", "hola", false)
        .await
        .unwrap();
    wa.send_to(
        &Recipient::Group("120363025246125486".into()),
        &Outbound::text("hola grupo"),
        None,
    )
    .await
    .unwrap();
    wa.send_text("5215512345678", "hola", false).await.unwrap();
    let bodies: Vec<serde_json::Value> = server
        .received_requests()
        .await
        .unwrap()
        .iter()
        .map(|r| serde_json::from_slice(&r.body).unwrap())
        .collect();
    let who = |b: &serde_json::Value| {
        (
            b["recipient_type"].clone(),
            b.get("to").cloned(),
            b.get("recipient").cloned(),
        )
    };
    assert_eq!(
        who(&bodies[0]),
        (
            json!("individual"),
            None,
            Some(json!("US.13491208655302741918"))
        )
    );
    assert_eq!(
        who(&bodies[1]),
        (json!("group"), Some(json!("120363025246125486")), None)
    );
    assert_eq!(
        who(&bodies[2]),
        (json!("individual"), Some(json!("5215512345678")), None)
    );
}

#[tokio::test]
async fn an_authentication_template_to_a_bsuid_is_refused_before_any_request() {
    use arichat_channels::client::ReplyRequest;
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path(MESSAGES))
        .respond_with(
            ResponseTemplate::new(200).set_body_json(json!({"messages": [{"id": "wamid.OK"}]})),
        )
        .mount(&server)
        .await;
    let wa = client(&server.uri(), 1);
    let request = |to: &str| -> ReplyRequest {
        serde_json::from_value(json!({
            "channel": "whatsapp",
            "recipient": to,
            "last_inbound_at": "2026-03-01T10:00:00Z",
            "now": "2026-03-01T11:00:00Z",
            "message": {"type": "template", "name": "codigo_acceso", "language": "es_MX",
                        "category": "authentication"}
        }))
        .unwrap()
    };
    // A username user reached by BSUID: Meta would answer 131062, so nothing is sent.
    let err = request("US.13491208655302741918")
        .send(&wa)
        .await
        .unwrap_err();
    assert_eq!(err.code(), "phone_required");
    assert!(server.received_requests().await.unwrap().is_empty());
    // The same template to a phone goes out.
    let sent = request("5215512345678").send(&wa).await.unwrap();
    assert_eq!(sent.message_ids, ["wamid.OK"]);
    assert_eq!(server.received_requests().await.unwrap().len(), 1);
}
