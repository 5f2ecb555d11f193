//! The Pub/Sub REST publisher against a real HTTP server (wiremock): the request
//! Google documents for `topics.publish`, what a push subscription then delivers, and
//! Google's errors, retried or not, without the token.
#![cfg(feature = "client")]

mod http;

use std::collections::BTreeMap;

use arichat_channels::client::{PubsubClient, PubsubConfig, SendError, VendorErrorKind};
use arichat_channels::cloudevents::CloudEvent;
use chrono::{TimeZone, Utc};
use serde_json::{json, Value};
use wiremock::matchers::{header, method, path};
use wiremock::{Mock, MockServer, Request, ResponseTemplate};

const TOKEN: &str = "ya29.test-Token_5ecret-77";
const PUBLISH: &str = "/v1/projects/acme-prod/topics/arichat-events:publish";

fn client(server: &MockServer, attempts: u32) -> PubsubClient {
    let mut config = PubsubConfig::new(TOKEN, "acme-prod", "arichat-events");
    config.api_base = server.uri();
    config.http = http::fast(attempts);
    PubsubClient::new(config).unwrap()
}

fn events(n: usize) -> Vec<CloudEvent> {
    (0..n)
        .map(|i| CloudEvent {
            id: format!("telegram:bot1:update:{i}"),
            source: "/telegram/bot1".into(),
            specversion: "1.0".into(),
            ty: "com.arichat.message.v1".into(),
            time: Some(Utc.with_ymd_and_hms(2026, 12, 3, 9, 0, 0).unwrap()),
            subject: Some("42".into()),
            datacontenttype: Some("application/json".into()),
            data: Some(json!({ "text": format!("hola {i}") })),
            extensions: BTreeMap::from([
                ("channel".into(), json!("telegram")),
                ("partitionkey".into(), json!("telegram:bot1:42")),
            ]),
        })
        .collect()
}

/// Answers a publish with one id per message, as Pub/Sub does.
fn ids_for(request: &Request) -> ResponseTemplate {
    let body: Value = serde_json::from_slice(&request.body).unwrap();
    let n = body["messages"].as_array().unwrap().len();
    let ids: Vec<String> = (0..n).map(|i| format!("m{i}")).collect();
    ResponseTemplate::new(200).set_body_json(json!({ "messageIds": ids }))
}

#[tokio::test]
async fn publish_posts_binary_mode_messages_and_a_push_delivery_reads_back() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path(PUBLISH))
        .and(header("authorization", format!("Bearer {TOKEN}").as_str()))
        .respond_with(ids_for)
        .expect(1)
        .mount(&server)
        .await;
    let sent = events(3);
    let ids = client(&server, 1).publish(&sent).await.unwrap();
    assert_eq!(ids, ["m0", "m1", "m2"]);

    let request = &server.received_requests().await.unwrap()[0];
    let body = std::str::from_utf8(&request.body).unwrap();
    let message = &serde_json::from_str::<Value>(body).unwrap()["messages"][0];
    assert_eq!(message["attributes"]["ce-id"], "telegram:bot1:update:0");
    assert_eq!(message["attributes"]["ce-specversion"], "1.0");
    assert_eq!(message["orderingKey"], "telegram:bot1:42");
    assert_eq!(CloudEvent::from_pubsub_publish_body(body).unwrap(), sent);

    // What the push subscription then POSTs to its endpoint carries the same event.
    let mut delivered = message.clone();
    delivered["messageId"] = json!("m0");
    delivered["publishTime"] = json!("2026-12-03T09:00:01Z");
    let push = json!({
        "message": delivered,
        "subscription": "projects/acme-prod/subscriptions/inbox-push",
    });
    assert_eq!(
        CloudEvent::from_pubsub_push(&push.to_string()).unwrap(),
        sent[0]
    );
}

#[tokio::test]
async fn more_than_a_thousand_events_go_in_several_requests_in_order() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path(PUBLISH))
        .respond_with(ids_for)
        .expect(3)
        .mount(&server)
        .await;
    let ids = client(&server, 1).publish(&events(2001)).await.unwrap();
    assert_eq!(ids.len(), 2001);
    let sizes: Vec<usize> = server
        .received_requests()
        .await
        .unwrap()
        .iter()
        .map(|r| {
            serde_json::from_slice::<Value>(&r.body).unwrap()["messages"]
                .as_array()
                .unwrap()
                .len()
        })
        .collect();
    assert_eq!(sizes, [1000, 1000, 1]);
}

#[tokio::test]
async fn an_unavailable_pubsub_is_retried_and_a_missing_topic_is_not() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path(PUBLISH))
        .respond_with(ResponseTemplate::new(503).set_body_json(json!({
            "error": { "code": 503, "message": "The service is currently unavailable.", "status": "UNAVAILABLE" }
        })))
        .up_to_n_times(1)
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path(PUBLISH))
        .respond_with(ids_for)
        .mount(&server)
        .await;
    assert_eq!(
        client(&server, 3).publish(&events(1)).await.unwrap(),
        ["m0"]
    );

    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(404).set_body_json(json!({
            "error": { "code": 404, "message": format!("Resource not found (resource=arichat-events) {TOKEN}"), "status": "NOT_FOUND" }
        })))
        .expect(1)
        .mount(&server)
        .await;
    let err = client(&server, 3).publish(&events(1)).await.unwrap_err();
    match &err {
        SendError::Vendor { error, .. } => {
            assert_eq!(error.kind, VendorErrorKind::InvalidRequest);
            assert_eq!(error.http_status, 404);
            assert!(
                error.message.starts_with("NOT_FOUND: Resource not found"),
                "{}",
                error.message
            );
        }
        other => panic!("{other:?}"),
    }
    let shown = format!("{err} {err:?}");
    assert!(!shown.contains("5ecret"), "{shown}");
}

#[tokio::test]
async fn nothing_to_publish_is_refused_before_any_request() {
    let server = MockServer::start().await;
    let err = client(&server, 1).publish(&[]).await.unwrap_err();
    assert!(matches!(err, SendError::InvalidRequest(_)), "{err:?}");
    assert!(server.received_requests().await.unwrap().is_empty());
}
