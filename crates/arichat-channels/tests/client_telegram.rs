//! Telegram Bot API client against a real HTTP server (wiremock).
#![cfg(feature = "client")]

mod http;

use arichat_channels::client::{
    InputFile, ParseMode, PollOptions, SendError, SendMessage, TelegramClient, TelegramConfig,
    VendorErrorKind, WebhookSettings,
};
use arichat_channels::SecretString;
use arichat_core::consent::{ConsentLedger, ConsentPolicy};
use arichat_core::{Channel, ContactId};
use futures_util::StreamExt;
use serde_json::json;
use wiremock::matchers::{body_partial_json, header_regex, method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

const TOKEN: &str = "7001234567:AAH-secret-bot-token_xyz";

fn client(base: &str, attempts: u32) -> TelegramClient {
    let mut cfg = TelegramConfig::new(TOKEN);
    cfg.api_base = base.to_owned();
    cfg.http = http::fast(attempts);
    TelegramClient::new(cfg).unwrap()
}

fn method_path(name: &str) -> String {
    format!("/bot{TOKEN}/{name}")
}

fn ok(result: serde_json::Value) -> ResponseTemplate {
    ResponseTemplate::new(200).set_body_json(json!({"ok": true, "result": result}))
}

fn sent(id: i64) -> ResponseTemplate {
    ok(json!({"message_id": id, "date": 1_700_000_000, "chat": {"id": 42, "type": "private"}}))
}

#[tokio::test]
async fn send_message_with_parse_mode_keyboard_and_reply() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path(method_path("sendMessage")))
        .and(body_partial_json(json!({
            "chat_id": 42, "text": "*Oferta*", "parse_mode": "MarkdownV2",
            "reply_parameters": {"message_id": 7},
            "reply_markup": {"inline_keyboard": [[{"text": "Sí", "callback_data": "yes"}, {"text": "No", "callback_data": "no"}]]}
        })))
        .respond_with(sent(99))
        .expect(1)
        .mount(&server)
        .await;
    let msg = SendMessage {
        chat_id: "42".into(),
        text: "*Oferta*".into(),
        parse_mode: Some(ParseMode::MarkdownV2),
        inline_keyboard: vec![vec![
            ("yes".into(), "Sí".into()),
            ("no".into(), "No".into()),
        ]],
        reply_to: Some(7),
        link_preview: false,
    };
    assert_eq!(
        client(&server.uri(), 1)
            .send_message(&msg)
            .await
            .unwrap()
            .message_id,
        99
    );
}

#[tokio::test]
async fn photos_by_upload_documents_by_id_callbacks_and_edits() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path(method_path("sendPhoto")))
        .and(header_regex("content-type", "^multipart/form-data"))
        .respond_with(sent(1))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path(method_path("sendDocument")))
        .and(body_partial_json(
            json!({"chat_id": 42, "document": "BQACAgEAAx", "caption": "contrato"}),
        ))
        .respond_with(sent(2))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path(method_path("answerCallbackQuery")))
        .and(body_partial_json(
            json!({"callback_query_id": "cbq-1", "text": "Listo"}),
        ))
        .respond_with(ok(json!(true)))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path(method_path("editMessageText")))
        .and(body_partial_json(
            json!({"chat_id": 42, "message_id": 2, "text": "Actualizado", "parse_mode": "HTML"}),
        ))
        .respond_with(sent(2))
        .expect(1)
        .mount(&server)
        .await;
    let tg = client(&server.uri(), 1);
    let photo = InputFile::Upload {
        bytes: b"\x89PNG".to_vec(),
        filename: "p.png".into(),
    };
    assert_eq!(
        tg.send_photo("42", photo, Some("nuevo"))
            .await
            .unwrap()
            .message_id,
        1
    );
    let doc = InputFile::Remote("BQACAgEAAx".into());
    assert_eq!(
        tg.send_document("42", doc, Some("contrato"))
            .await
            .unwrap()
            .message_id,
        2
    );
    tg.answer_callback_query("cbq-1", Some("Listo"), false)
        .await
        .unwrap();
    tg.edit_message_text("42", 2, "Actualizado", Some(ParseMode::Html), &[])
        .await
        .unwrap();
}

#[tokio::test]
async fn get_updates_streams_every_update_once_advancing_the_offset() {
    let server = MockServer::start().await;
    let update = |id: i64| json!({"update_id": id, "message": {"message_id": id, "date": 1_700_000_000, "chat": {"id": 42, "type": "private"}, "text": format!("m{id}")}});
    Mock::given(method("POST"))
        .and(path(method_path("getUpdates")))
        .and(body_partial_json(json!({"offset": 12})))
        .respond_with(ok(json!([update(12)])))
        .with_priority(1)
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path(method_path("getUpdates")))
        .respond_with(ok(json!([update(10), update(11)])))
        .up_to_n_times(1)
        .mount(&server)
        .await;
    let tg = client(&server.uri(), 1);
    let options = PollOptions {
        timeout_secs: 0,
        ..PollOptions::default()
    };
    let ids: Vec<i64> = tg
        .updates(options)
        .take(3)
        .map(|u| u.unwrap()["update_id"].as_i64().unwrap())
        .collect()
        .await;
    assert_eq!(ids, [10, 11, 12]);
    // Each streamed update is a webhook body normalize accepts.
    let body = serde_json::to_vec(&update(12)).unwrap();
    let events = arichat_channels::normalize(
        Channel::Telegram,
        &body,
        &arichat_channels::NormalizeOptions::new(chrono::Utc::now()).with_account("bot"),
    )
    .unwrap();
    assert_eq!(events.len(), 1);
}

#[tokio::test]
async fn webhooks_with_secret_token_and_files() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path(method_path("setWebhook")))
        .and(body_partial_json(json!({"url": "https://bot.example/tg", "secret_token": "s3cr3t-header", "drop_pending_updates": true, "allowed_updates": ["message", "callback_query"]})))
        .respond_with(ok(json!(true)))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path(method_path("deleteWebhook")))
        .respond_with(ok(json!(true)))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path(method_path("getFile")))
        .and(body_partial_json(json!({"file_id": "AgACAgE"})))
        .respond_with(ok(json!({"file_id": "AgACAgE", "file_unique_id": "u1", "file_size": 5, "file_path": "photos/file_1.jpg"})))
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path(format!("/file/bot{TOKEN}/photos/file_1.jpg")))
        .respond_with(ResponseTemplate::new(200).set_body_bytes(b"JPEG!".to_vec()))
        .mount(&server)
        .await;
    let tg = client(&server.uri(), 1);
    tg.set_webhook(&WebhookSettings {
        url: "https://bot.example/tg".into(),
        secret_token: Some(SecretString::from("s3cr3t-header")),
        allowed_updates: vec!["message".into(), "callback_query".into()],
        drop_pending_updates: true,
        max_connections: None,
    })
    .await
    .unwrap();
    tg.delete_webhook(false).await.unwrap();
    let file = tg.get_file("AgACAgE").await.unwrap();
    assert_eq!(tg.download_file(&file).await.unwrap(), b"JPEG!");
}

#[tokio::test]
async fn retry_after_from_the_error_parameters_is_honoured() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path(method_path("sendMessage")))
        .respond_with(ResponseTemplate::new(429).set_body_json(json!({
            "ok": false, "error_code": 429, "description": "Too Many Requests: retry after 1",
            "parameters": {"retry_after": 1}
        })))
        .up_to_n_times(1)
        .with_priority(1)
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path(method_path("sendMessage")))
        .respond_with(sent(5))
        .mount(&server)
        .await;
    let started = std::time::Instant::now();
    assert_eq!(
        client(&server.uri(), 2)
            .send_text("42", "hola")
            .await
            .unwrap()
            .message_id,
        5
    );
    assert_eq!(server.received_requests().await.unwrap().len(), 2);
    assert!(started.elapsed() >= std::time::Duration::from_secs(1));
}

#[tokio::test]
async fn a_block_is_not_retried_and_feeds_the_consent_ledger() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path(method_path("sendMessage")))
        .respond_with(ResponseTemplate::new(403).set_body_json(json!({
            "ok": false, "error_code": 403, "description": "Forbidden: bot was blocked by the user"
        })))
        .expect(1)
        .mount(&server)
        .await;
    let err = client(&server.uri(), 4)
        .send_text("42", "hola")
        .await
        .unwrap_err();
    assert_eq!(err.code(), "blocked_by_user");
    assert_eq!(err.vendor().unwrap().kind, VendorErrorKind::BlockedByUser);
    let mut ledger = ConsentLedger::new(ConsentPolicy {
        require_opt_in: false,
        ..ConsentPolicy::default()
    });
    let contact = ContactId::new("tg-42");
    let now = chrono::Utc::now();
    assert!(
        ledger
            .may_send_marketing(&contact, Channel::Telegram, now)
            .allowed
    );
    assert!(err.apply_to_ledger(&mut ledger, &contact, now));
    let decision = ledger.may_send_marketing(&contact, Channel::Telegram, now);
    assert!(!decision.allowed);
    assert!(decision.reason.contains("blocked"), "{}", decision.reason);
}

/// reqwest puts the request URL — and so the bot token — into its errors. Ours must not.
#[tokio::test]
async fn a_failing_request_never_shows_the_token() {
    let base = http::closed_port();
    // The raw reqwest error does carry the token: the check below can fail.
    let raw = reqwest::get(format!("{base}/bot{TOKEN}/getMe"))
        .await
        .unwrap_err();
    assert!(format!("{raw} {raw:?}").contains(TOKEN));

    let tg = client(&base, 2);
    let err = tg.send_text("42", "hola").await.unwrap_err();
    assert!(
        matches!(err, SendError::Connection { attempts: 2, .. }),
        "{err:?}"
    );
    let shown = format!(
        "{err} | {err:?} | {}",
        std::error::Error::source(&err)
            .map(|s| s.to_string())
            .unwrap_or_default()
    );
    assert!(!shown.contains(TOKEN), "{shown}");
    assert!(!shown.contains("AAH-secret"), "{shown}");
    // Nor does the client's or its config's Debug.
    assert!(!format!("{tg:?}").contains("AAH-secret"));

    // An error answer from the server, with the token echoed back, is scrubbed too.
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(400).set_body_json(json!({
            "ok": false, "error_code": 400, "description": format!("Bad Request: token {TOKEN} is odd")
        })))
        .mount(&server)
        .await;
    let err = client(&server.uri(), 1)
        .send_text("42", "hola")
        .await
        .unwrap_err();
    assert!(!format!("{err} {err:?}").contains(TOKEN), "{err}");
    assert!(err.to_string().contains("[REDACTED]"));
}

/// Telegram echoes nothing: an unknown outcome carries the request id alone.
#[tokio::test]
async fn a_dropped_send_is_outcome_unknown_with_a_request_id_and_no_callback_data() {
    let (base, connections) = http::dropping_server();
    let err = client(&base, 3).send_text("42", "hola").await.unwrap_err();
    assert_eq!(err.code(), "outcome_unknown", "{err:?}");
    assert_eq!(connections.load(std::sync::atomic::Ordering::SeqCst), 1);
    assert_eq!(err.request_id().map(str::len), Some(32));
    assert_eq!(err.callback_data(), None);
    assert!(!format!("{err} {err:?}").contains("AAH-secret"));
}

/// Telegram Business: once the client has seen a business message (tgbot's Update
/// snapshot with the documented `business_connection_id`), replies to that chat carry
/// the connection; other chats do not, and a disabled connection is forgotten.
#[tokio::test]
async fn replies_to_a_business_chat_carry_its_connection() {
    use arichat_channels::{normalize, NormalizeOptions};
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path(method_path("sendMessage")))
        .and(body_partial_json(
            json!({"chat_id": 1, "business_connection_id": "BC1"}),
        ))
        .respond_with(sent(5))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path(method_path("sendMessage")))
        .respond_with(sent(6))
        .mount(&server)
        .await;
    let tg = client(&server.uri(), 1);
    let business_message = json!({"update_id": 1, "business_message": {
        "business_connection_id": "BC1",
        "chat": {"type": "private", "id": 1, "first_name": "John"},
        "date": 0, "has_protected_content": false, "message_id": 1, "is_automatic_forward": false,
        "from": {"first_name": "John", "id": 1, "is_bot": false}, "text": "message-text"}});
    let opts = NormalizeOptions::new(chrono::Utc::now()).with_account("7001234567");
    let events = normalize(
        Channel::Telegram,
        business_message.to_string().as_bytes(),
        &opts,
    )
    .unwrap();
    tg.observe(&events[0]);
    tg.send_text("1", "hola").await.unwrap();
    tg.send_text("42", "hola").await.unwrap();

    let disabled = json!({"update_id": 2, "business_connection": {"date": 0, "id": "BC1",
        "is_enabled": false, "user": {"first_name": "John", "id": 9, "is_bot": false}, "user_chat_id": 9}});
    let events = normalize(Channel::Telegram, disabled.to_string().as_bytes(), &opts).unwrap();
    tg.observe(&events[0]);
    tg.send_text("1", "hola").await.unwrap();

    let requests = server.received_requests().await.unwrap();
    let bodies: Vec<serde_json::Value> = requests
        .iter()
        .map(|r| serde_json::from_slice(&r.body).unwrap())
        .collect();
    assert_eq!(bodies.len(), 3);
    assert_eq!(bodies[0]["business_connection_id"], "BC1");
    assert!(bodies[1].get("business_connection_id").is_none());
    assert!(bodies[2].get("business_connection_id").is_none());
}
