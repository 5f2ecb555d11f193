//! Mattermost REST API v4 client against a real HTTP server (wiremock).
#![cfg(feature = "client")]

mod http;

use arichat_channels::client::{MattermostClient, MattermostConfig, SendError, VendorErrorKind};
use serde_json::json;
use wiremock::matchers::{body_json, header, method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

const TOKEN: &str = "mm-bot-token-5x7q9wexample";

fn client(base: &str, attempts: u32, bot_user_id: Option<&str>) -> MattermostClient {
    let mut cfg = MattermostConfig::new(base, TOKEN);
    cfg.bot_user_id = bot_user_id.map(str::to_owned);
    cfg.http = http::fast(attempts);
    MattermostClient::new(cfg).unwrap()
}

fn bearer() -> String {
    format!("Bearer {TOKEN}")
}

#[tokio::test]
async fn a_thread_reply_names_its_root_and_carries_the_bearer_token() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/api/v4/posts"))
        .and(header("authorization", bearer().as_str()))
        .and(body_json(json!({
            "channel_id": "chan1", "message": "Venta registrada ✓", "root_id": "post1"
        })))
        .respond_with(ResponseTemplate::new(201).set_body_json(json!({
            "id": "post2", "channel_id": "chan1", "root_id": "post1", "create_at": 1_700_000_000_123_i64,
            "message": "Venta registrada ✓"
        })))
        .expect(1)
        .mount(&server)
        .await;
    let post = client(&server.uri(), 1, None)
        .reply_in_thread("chan1", "post1", "Venta registrada ✓")
        .await
        .unwrap();
    assert_eq!(
        (post.id.as_str(), post.root_id.as_str()),
        ("post2", "post1")
    );
}

#[tokio::test]
async fn a_reaction_asks_the_bot_id_once_then_reuses_it() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/api/v4/users/me"))
        .and(header("authorization", bearer().as_str()))
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_json(json!({"id": "bot9", "username": "ventas-bot"})),
        )
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path("/api/v4/reactions"))
        .and(body_json(
            json!({"user_id": "bot9", "post_id": "post1", "emoji_name": "white_check_mark"}),
        ))
        .respond_with(ResponseTemplate::new(201).set_body_json(json!({"user_id": "bot9"})))
        .expect(2)
        .mount(&server)
        .await;
    let mm = client(&server.uri(), 1, None);
    mm.add_reaction("post1", ":white_check_mark:")
        .await
        .unwrap();
    mm.add_reaction("post1", "white_check_mark").await.unwrap();
}

#[tokio::test]
async fn a_file_downloads_after_a_rate_limited_attempt() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/api/v4/files/file1"))
        .respond_with(
            ResponseTemplate::new(429)
                .insert_header("Retry-After", "0")
                .set_body_json(json!({"id": "api.context.rate_limit", "message": "too many", "status_code": 429})),
        )
        .up_to_n_times(1)
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/api/v4/files/file1"))
        .and(header("authorization", bearer().as_str()))
        .respond_with(ResponseTemplate::new(200).set_body_bytes(b"\x89PNG receipt".to_vec()))
        .expect(1)
        .mount(&server)
        .await;
    let bytes = client(&server.uri(), 3, Some("bot9"))
        .download_file("file1")
        .await
        .unwrap();
    assert_eq!(bytes, b"\x89PNG receipt");
}

#[tokio::test]
async fn errors_are_typed_and_never_show_the_token() {
    let server = MockServer::start().await;
    // A server that echoes the token back in its error must not leak it.
    Mock::given(method("POST"))
        .and(path("/api/v4/posts"))
        .respond_with(ResponseTemplate::new(401).set_body_json(json!({
            "id": "api.context.session_expired.app_error",
            "message": format!("Invalid or expired session for {TOKEN}"),
            "request_id": "req42", "status_code": 401
        })))
        .mount(&server)
        .await;
    let mm = client(&server.uri(), 3, Some("bot9"));
    let err = mm
        .reply_in_thread("chan1", "post1", "hola")
        .await
        .unwrap_err();
    let SendError::Vendor { error, .. } = &err else {
        panic!("{err:?}")
    };
    assert_eq!(error.kind, VendorErrorKind::InvalidToken);
    assert_eq!(error.trace_id.as_deref(), Some("req42"));
    assert!(
        error.message.contains("session_expired"),
        "{}",
        error.message
    );
    for text in [
        format!("{err}"),
        format!("{err:?}"),
        format!("{mm:?}"),
        format!("{:?}", mm.settings()),
    ] {
        assert!(!text.contains(TOKEN), "{text}");
        assert!(!text.contains(&TOKEN[..12]), "{text}");
    }
    // A send that may have reached the server (500) is not repeated by default.
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/api/v4/posts"))
        .respond_with(ResponseTemplate::new(500).set_body_string("<html>oops</html>"))
        .expect(1)
        .mount(&server)
        .await;
    let err = client(&server.uri(), 3, None)
        .reply_in_thread("chan1", "post1", "hola")
        .await
        .unwrap_err();
    assert_eq!(err.code(), "outcome_unknown", "{err}");
}
