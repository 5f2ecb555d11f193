//! Messenger / Instagram Send API and Conversions API clients, and the ChannelClient
//! trait's window and consent checks, against a real HTTP server (wiremock).
#![cfg(feature = "client")]

mod http;

use arichat_channels::client::{
    ChannelClient, ConversionsClient, ConversionsConfig, MessengerClient, MessengerConfig,
    WhatsAppClient, WhatsAppConfig,
};
use arichat_channels::conversions::{hash_email, hash_phone, ConversionEvent, ConversionKind};
use arichat_channels::meta_send::SenderAction;
use arichat_channels::outbound::{
    Delivery, MediaKind, MediaMessage, MediaSource, MessageTag, Outbound, ReplyButton, SendContext,
    Template, TemplateCategory,
};
use arichat_core::consent::{ConsentEvidence, ConsentLedger, ConsentPolicy};
use arichat_core::{
    Channel, ChannelAccountId, ConsentStatus, ContactId, Conversation, Email, PhoneNumber,
    Referral, TenantId,
};
use chrono::{Duration, Utc};
use serde_json::json;
use wiremock::matchers::{body_partial_json, header, method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

const TOKEN: &str = "EAAB-page-token-456";

fn messenger(base: &str, channel: Channel) -> MessengerClient {
    let mut cfg = match channel {
        Channel::Instagram => MessengerConfig::instagram(TOKEN, "17841400000000000"),
        _ => MessengerConfig::messenger(TOKEN, "1067280970047460"),
    };
    cfg.api_base = base.to_owned();
    cfg.http = http::fast(2);
    MessengerClient::new(cfg).unwrap()
}

fn conversation(channel: Channel, last_inbound: Option<Duration>) -> Conversation {
    let mut c = Conversation::new(
        TenantId::new("acme"),
        channel,
        ChannelAccountId::new("acc"),
        ContactId::new("c-1"),
    );
    if let Some(ago) = last_inbound {
        c.record_inbound(Utc::now() - ago);
    }
    c
}

fn accepted(mid: &str) -> ResponseTemplate {
    ResponseTemplate::new(200).set_body_json(json!({"recipient_id": "PSID-1", "message_id": mid}))
}

#[tokio::test]
async fn messenger_text_quick_replies_attachments_and_sender_actions() {
    let server = MockServer::start().await;
    let url = "/v23.0/1067280970047460/messages";
    Mock::given(method("POST"))
        .and(path(url))
        .and(header("authorization", format!("Bearer {TOKEN}").as_str()))
        .and(body_partial_json(json!({"recipient": {"id": "PSID-1"}, "messaging_type": "RESPONSE", "message": {"text": "¿Agendamos?", "quick_replies": [{"content_type": "text", "title": "Sí", "payload": "yes"}]}})))
        .respond_with(accepted("m_qr"))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path(url))
        .and(body_partial_json(json!({"message": {"attachment": {"type": "image", "payload": {"url": "https://x.example/a.jpg", "is_reusable": true}}}})))
        .respond_with(accepted("m_img"))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path(url))
        .and(body_partial_json(json!({"message": {"text": "catálogo"}})))
        .respond_with(accepted("m_caption"))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path(url))
        .and(body_partial_json(
            json!({"recipient": {"id": "PSID-1"}, "sender_action": "typing_on"}),
        ))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"recipient_id": "PSID-1"})))
        .expect(1)
        .mount(&server)
        .await;
    let fb = messenger(&server.uri(), Channel::Messenger);
    fb.sender_action("PSID-1", SenderAction::TypingOn)
        .await
        .unwrap();
    let buttons = Outbound::Buttons {
        body: "¿Agendamos?".into(),
        buttons: vec![ReplyButton {
            id: "yes".into(),
            title: "Sí".into(),
        }],
    };
    let sent = fb
        .send("PSID-1", &buttons, Delivery::Response)
        .await
        .unwrap();
    assert_eq!(sent.message_ids, ["m_qr"]);
    let image = Outbound::Media(MediaMessage {
        kind: MediaKind::Image,
        source: MediaSource::Link("https://x.example/a.jpg".into()),
        caption: Some("catálogo".into()),
        filename: None,
    });
    let sent = fb.send("PSID-1", &image, Delivery::Response).await.unwrap();
    assert_eq!(sent.message_ids, ["m_img", "m_caption"]);
}

#[tokio::test]
async fn outside_the_window_replies_go_tagged_human_agent_or_not_at_all() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/v23.0/17841400000000000/messages"))
        .and(body_partial_json(json!({"messaging_type": "MESSAGE_TAG", "tag": "HUMAN_AGENT", "message": {"text": "Perdón la demora"}})))
        .respond_with(accepted("m_tagged"))
        .expect(1)
        .mount(&server)
        .await;
    let ig = messenger(&server.uri(), Channel::Instagram);
    let conv = conversation(Channel::Instagram, Some(Duration::hours(30)));
    let msg = Outbound::text("Perdón la demora");
    let untagged = SendContext::new(Utc::now());
    let err = ig
        .reply(&conv, "IGSID-1", &msg, &untagged)
        .await
        .unwrap_err();
    assert_eq!(err.code(), "outside_window");
    assert!(err.to_string().contains("HUMAN_AGENT"), "{err}");
    let tagged = SendContext::new(Utc::now()).with_tag(MessageTag::HumanAgent);
    let receipt = ig.reply(&conv, "IGSID-1", &msg, &tagged).await.unwrap();
    assert_eq!(receipt.delivery, Delivery::Tagged(MessageTag::HumanAgent));
    assert_eq!(receipt.message_ids, ["m_tagged"]);
    // Only the tagged send reached the server.
    assert_eq!(server.received_requests().await.unwrap().len(), 1);
}

#[tokio::test]
async fn graph_errors_for_messenger_are_typed() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(400).set_body_json(json!({"error": {
            "message": "(#10) This message is sent outside of allowed window.",
            "type": "OAuthException", "code": 10, "error_subcode": 2018278, "fbtrace_id": "Fb1"}})))
        .expect(1)
        .mount(&server)
        .await;
    let err = messenger(&server.uri(), Channel::Messenger)
        .send("PSID-1", &Outbound::text("hola"), Delivery::Response)
        .await
        .unwrap_err();
    assert_eq!(err.code(), "outside_window");
    assert_eq!(err.vendor().unwrap().subcode, Some(2018278));
}

#[tokio::test]
async fn whatsapp_replies_check_window_and_marketing_consent_before_any_request() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(
            ResponseTemplate::new(200).set_body_json(json!({"messages": [{"id": "wamid.T"}]})),
        )
        .mount(&server)
        .await;
    let mut cfg = WhatsAppConfig::new("EAAG-x", "106540352242922");
    cfg.api_base = server.uri();
    cfg.http = http::fast(1);
    let wa: Box<dyn ChannelClient> = Box::new(WhatsAppClient::new(cfg).unwrap());
    let closed = conversation(Channel::Whatsapp, Some(Duration::hours(25)));
    let now = Utc::now();
    let mut ledger = ConsentLedger::new(ConsentPolicy::default());
    ledger.record_manual(
        &ContactId::new("c-1"),
        Channel::Whatsapp,
        ConsentStatus::OptedOut,
        ConsentEvidence::StopKeyword {
            keyword: "stop".into(),
            message_id: None,
        },
        now - Duration::days(2),
    );
    let ctx = SendContext::new(now).with_consent(&ledger);

    let err = wa
        .reply(&closed, "5215512345678", &Outbound::text("hola"), &ctx)
        .await
        .unwrap_err();
    assert_eq!(err.code(), "outside_window");
    assert!(err.to_string().contains("template"), "{err}");
    let promo = Outbound::Template(Template {
        name: "promo".into(),
        language: "es_MX".into(),
        category: TemplateCategory::Marketing,
        components: vec![],
    });
    let err = wa
        .reply(&closed, "5215512345678", &promo, &ctx)
        .await
        .unwrap_err();
    assert_eq!(err.code(), "consent_refused");
    assert_eq!(err.attempts(), 0);
    assert!(
        server.received_requests().await.unwrap().is_empty(),
        "a refused send reached the server"
    );

    // A utility template goes out whatever the window.
    let utility = Outbound::Template(Template {
        name: "order_update".into(),
        language: "es_MX".into(),
        category: TemplateCategory::Utility,
        components: vec![],
    });
    let receipt = wa
        .reply(&closed, "5215512345678", &utility, &ctx)
        .await
        .unwrap();
    assert_eq!(
        (receipt.delivery, receipt.message_ids),
        (Delivery::Template, vec!["wamid.T".to_owned()])
    );
    // A conversation of another channel is not answered through this client.
    let tg = conversation(Channel::Telegram, None);
    assert_eq!(
        wa.reply(&tg, "42", &utility, &ctx)
            .await
            .unwrap_err()
            .code(),
        "invalid_request"
    );
}

#[tokio::test]
async fn conversions_carry_hashed_contact_data_and_the_click_id() {
    let server = MockServer::start().await;
    let email = Email::parse("Ana.Perez@Example.com").unwrap();
    let phone = PhoneNumber::parse("+55 11 91234 5678", None).unwrap();
    Mock::given(method("POST"))
        .and(path("/v23.0/998877/events"))
        .and(header("authorization", "Bearer EAAC-capi"))
        .and(body_partial_json(json!({"data": [{
            "event_name": "Purchase", "action_source": "business_messaging", "messaging_channel": "whatsapp",
            "user_data": {"em": [hash_email(&email)], "ph": [hash_phone(&phone)], "ctwa_clid": "ARAkLkA8rmlFeiCktEJQ"},
            "custom_data": {"value": 349.9, "currency": "BRL"}
        }], "test_event_code": "TEST123"})))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"events_received": 1, "messages": [], "fbtrace_id": "T"})))
        .expect(1)
        .mount(&server)
        .await;
    let mut cfg = ConversionsConfig::new("EAAC-capi", "998877");
    cfg.api_base = server.uri();
    cfg.test_event_code = Some("TEST123".into());
    cfg.http = http::fast(1);
    let capi = ConversionsClient::new(cfg).unwrap();
    let referral = Referral {
        ctwa_clid: Some("ARAkLkA8rmlFeiCktEJQ".into()),
        ..Referral::default()
    };
    let event = ConversionEvent::new(ConversionKind::Purchase, Channel::Whatsapp, Utc::now())
        .with_email(email)
        .with_phone(phone)
        .with_referral(&referral)
        .with_value(349.9, "BRL");
    assert_eq!(capi.send(&[event]).await.unwrap().events_received, 1);
    let body =
        String::from_utf8(server.received_requests().await.unwrap()[0].body.clone()).unwrap();
    assert!(
        !body.contains("Example.com") && !body.contains("912345678"),
        "PII in clear: {body}"
    );
}
