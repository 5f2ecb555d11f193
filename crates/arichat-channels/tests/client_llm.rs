//! The LLM intent backend and the cascade against a real HTTP server (wiremock).
#![cfg(feature = "client")]

mod http;

use std::sync::Arc;
use std::time::Duration;

use arichat_channels::client::{
    BackendAnswer, BoxFuture, Budget, CascadeConfig, ChatCompletionsClient, ChatCompletionsConfig,
    Fallback, IntentBackend, IntentCascade, LlmError, Source, VendorErrorKind,
};
use arichat_core::intent::{
    Classification, Intent, IntentClassifier, Language, OptOutSignal, RuleClassifier,
};
use serde_json::{json, Value};
use wiremock::matchers::{header, method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

const KEY: &str = "sk-test-Key_5ecret-0042";
const MODEL: &str = "intent-mini";
const COMPLETIONS: &str = "/v1/chat/completions";

fn config(server: &MockServer, attempts: u32) -> ChatCompletionsConfig {
    let mut cfg = ChatCompletionsConfig::new(format!("{}/v1", server.uri()), MODEL, KEY);
    cfg.http = http::fast(attempts);
    cfg
}

fn client(server: &MockServer, attempts: u32) -> ChatCompletionsClient {
    ChatCompletionsClient::new(config(server, attempts)).unwrap()
}

/// The built-in rules, with every result marked uncertain: what the local model
/// reports on a hard case, whatever the rules' own thresholds are.
fn unsure_rules() -> Arc<dyn IntentClassifier> {
    let rules = RuleClassifier::new();
    Arc::new(move |text: &str| Classification {
        uncertain: true,
        language: Language::Es,
        ..rules.classify(text)
    })
}

fn cascade(server: &MockServer, attempts: u32, budget: u32) -> IntentCascade {
    let config = CascadeConfig {
        budget: Budget {
            requests: budget,
            window: Duration::from_secs(3600),
        },
        ..CascadeConfig::default()
    };
    IntentCascade::new(unsure_rules(), client(server, attempts), config)
}

fn completion(content: &str) -> ResponseTemplate {
    ResponseTemplate::new(200).set_body_json(json!({
        "id": "chatcmpl-1",
        "object": "chat.completion",
        "model": MODEL,
        "choices": [{"index": 0, "finish_reason": "stop",
                     "message": {"role": "assistant", "content": content}}],
    }))
}

fn answers(intent: &str, confidence: f64) -> ResponseTemplate {
    completion(&json!({"intent": intent, "confidence": confidence}).to_string())
}

async fn serve(server: &MockServer, response: ResponseTemplate) {
    Mock::given(method("POST"))
        .and(path(COMPLETIONS))
        .respond_with(response)
        .mount(server)
        .await;
}

/// Like [`serve`], and checks when the server drops that it got exactly `n` requests.
async fn serve_expecting(server: &MockServer, response: ResponseTemplate, n: u64) {
    Mock::given(method("POST"))
        .and(path(COMPLETIONS))
        .respond_with(response)
        .expect(n)
        .mount(server)
        .await;
}

async fn bodies(server: &MockServer) -> Vec<Value> {
    server
        .received_requests()
        .await
        .unwrap()
        .iter()
        .map(|r| serde_json::from_slice(&r.body).unwrap())
        .collect()
}

const HARD: &str = "me llegó un SMS que dice \"responda BAJA\", ¿es de ustedes?";

#[tokio::test]
async fn asks_with_the_key_the_schema_and_temperature_zero_and_answers() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path(COMPLETIONS))
        .and(header("authorization", format!("Bearer {KEY}").as_str()))
        .respond_with(answers("support", 0.87))
        .expect(1)
        .mount(&server)
        .await;
    let r = cascade(&server, 1, 10).classify("t1", HARD).await;
    assert_eq!(r.source, Source::Llm);
    assert_eq!(r.fallback, None);
    let c = &r.classification;
    assert_eq!(c.primary, Intent::Support);
    assert!((c.confidence - 0.87).abs() < 1e-6);
    assert!(!c.uncertain);
    assert_eq!(c.language, Language::Es, "the language is the local one");
    assert_eq!(c.opt_out, None);
    let body = &bodies(&server).await[0];
    assert_eq!(body["model"], MODEL);
    assert_eq!(body["temperature"], 0);
    assert_eq!(body["messages"][1]["content"], HARD);
    let format = &body["response_format"];
    assert_eq!(format["type"], "json_schema");
    assert_eq!(format["json_schema"]["strict"], true);
    let labels: Vec<&str> = format["json_schema"]["schema"]["properties"]["intent"]["enum"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_str().unwrap())
        .collect();
    let expected: Vec<&str> = Intent::ALL.iter().map(|i| i.as_str()).collect();
    assert_eq!(labels, expected);
}

#[tokio::test]
async fn an_llm_opt_out_is_only_ever_implicit() {
    let server = MockServer::start().await;
    serve(&server, answers("opt_out", 0.99)).await;
    let r = cascade(&server, 1, 10)
        .classify("t1", "me tienen cansado con tanto mensaje")
        .await;
    assert_eq!(r.source, Source::Llm);
    assert_eq!(r.classification.primary, Intent::OptOut);
    assert_eq!(r.classification.opt_out, Some(OptOutSignal::Implicit));
    assert!(!r.classification.is_explicit_opt_out());
}

#[tokio::test]
async fn contact_data_is_masked_in_the_request_that_leaves() {
    let server = MockServer::start().await;
    serve(&server, answers("support", 0.9)).await;
    let text = "mi tarjeta 4111 1111 1111 1111 está bloqueada, llámame al +52 55 1234 5678 o escribe a ana.lopez@correo.mx";
    cascade(&server, 1, 10).classify("t1", text).await;
    let requests = server.received_requests().await.unwrap();
    let raw = String::from_utf8_lossy(&requests[0].body);
    for leaked in ["4111", "1234 5678", "ana.lopez", "correo.mx"] {
        assert!(!raw.contains(leaked), "{leaked} left in {raw}");
    }
    let body: Value = serde_json::from_str(&raw).unwrap();
    assert_eq!(
        body["messages"][1]["content"],
        "mi tarjeta [card] está bloqueada, llámame al [phone] o escribe a [email]"
    );
}

#[tokio::test]
async fn a_429_with_retry_after_is_waited_out_then_answered() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path(COMPLETIONS))
        .respond_with(
            ResponseTemplate::new(429)
                .insert_header("retry-after", "1")
                .set_body_json(
                    json!({"error": {"message": "Rate limit reached", "type": "requests"}}),
                ),
        )
        .up_to_n_times(1)
        .mount(&server)
        .await;
    serve(&server, answers("purchase_intent", 0.8)).await;
    let r = cascade(&server, 3, 10)
        .classify("t1", "pásame el link de pago")
        .await;
    assert_eq!(r.source, Source::Llm, "{:?}", r.fallback);
    assert_eq!(r.classification.primary, Intent::PurchaseIntent);
    assert_eq!(server.received_requests().await.unwrap().len(), 2);
}

#[tokio::test]
async fn a_500_is_retried_then_the_local_answer_stands() {
    let server = MockServer::start().await;
    serve_expecting(
        &server,
        ResponseTemplate::new(500).set_body_string("upstream exploded"),
        3,
    )
    .await;
    let local = unsure_rules().classify("hola, cuánto cuesta?");
    let r = cascade(&server, 3, 10)
        .classify("t1", "hola, cuánto cuesta?")
        .await;
    assert_eq!(r.source, Source::Local);
    assert_eq!(r.classification, local);
    let Some(Fallback::Backend(LlmError::Api {
        status,
        kind,
        attempts,
        ..
    })) = &r.fallback
    else {
        panic!("{:?}", r.fallback)
    };
    assert_eq!(
        (*status, *kind, *attempts),
        (500, VendorErrorKind::Temporary, 3)
    );
    assert_eq!(r.fallback.as_ref().unwrap().code(), "temporary_failure");
}

/// Malformed bodies, an invented label and a timeout all leave the local answer, each
/// with its own code, after exactly the requests the retry policy allows.
#[tokio::test]
async fn every_unusable_answer_leaves_the_local_one() {
    let cases = [
        (
            completion("sure! the intent is support"),
            "malformed_response",
        ),
        (completion(r#"{"intent": "support"}"#), "malformed_response"),
        (
            ResponseTemplate::new(200).set_body_string("<html>ok</html>"),
            "malformed_response",
        ),
        (answers("refund_request", 0.95), "invalid_label"),
        (
            answers("support", 0.9).set_delay(Duration::from_secs(3)),
            "timeout",
        ),
    ];
    for (response, code) in cases {
        let server = MockServer::start().await;
        serve(&server, response).await;
        let text = "no quiero darme de baja, solo cambiar el número";
        let local = unsure_rules().classify(text);
        let r = cascade(&server, 1, 10).classify("t1", text).await;
        assert_eq!(r.source, Source::Local, "{code}");
        assert_eq!(r.classification, local, "{code}");
        assert!(r.classification.uncertain, "{code}");
        assert_eq!(r.fallback.as_ref().map(Fallback::code), Some(code));
        assert_eq!(server.received_requests().await.unwrap().len(), 1, "{code}");
    }
}

#[tokio::test]
async fn the_key_is_in_no_debug_and_no_error() {
    let server = MockServer::start().await;
    // A server that echoes the key back in its error, in JSON and as a page.
    Mock::given(method("POST"))
        .and(path(COMPLETIONS))
        .respond_with(ResponseTemplate::new(401).set_body_json(
            json!({"error": {"message": format!("Incorrect API key provided: {KEY}")}}),
        ))
        .up_to_n_times(1)
        .mount(&server)
        .await;
    serve(
        &server,
        ResponseTemplate::new(502).set_body_string(format!("<p>bad gateway for Bearer {KEY}</p>")),
    )
    .await;
    let llm = client(&server, 1);
    let unauthorized = llm.classify("hola").await.unwrap_err();
    assert_eq!(unauthorized.code(), "invalid_token");
    let gateway = llm.classify("hola").await.unwrap_err();
    assert_eq!(gateway.code(), "temporary_failure");
    let cascade = cascade(&server, 1, 10);
    let fallback = cascade.classify("t1", "hola").await.fallback.unwrap();
    for shown in [
        format!("{unauthorized} {unauthorized:?}"),
        format!("{gateway} {gateway:?}"),
        format!("{fallback:?} {}", fallback.message()),
        format!("{llm:?} {:?} {cascade:?}", config(&server, 1)),
        serde_json::to_string(&fallback).unwrap(),
    ] {
        assert!(!shown.contains(KEY), "{shown}");
        assert!(!shown.contains("5ecret"), "{shown}");
    }
    assert!(unauthorized
        .to_string()
        .contains("Incorrect API key provided: [REDACTED]"));
}

#[tokio::test]
async fn two_identical_uncertain_messages_make_one_request() {
    let server = MockServer::start().await;
    serve_expecting(&server, answers("negotiation", 0.7), 1).await;
    let cascade = cascade(&server, 1, 10);
    let first = cascade.classify("t1", "te doy 80 y cerramos").await;
    // Same text up to case and spacing, another tenant: the answer is the same.
    let second = cascade.classify("t2", "  Te doy 80   y cerramos ").await;
    assert_eq!(first.source, Source::Llm);
    assert_eq!(second.source, Source::Cache);
    assert_eq!(second.classification.primary, Intent::Negotiation);
}

#[tokio::test]
async fn a_spent_budget_makes_no_request() {
    let server = MockServer::start().await;
    serve_expecting(&server, answers("objection", 0.8), 2).await;
    let cascade = cascade(&server, 1, 1);
    assert_eq!(
        cascade.classify("t1", "lo voy a pensar").await.source,
        Source::Llm
    );
    let spent = cascade.classify("t1", "ahora no puedo").await;
    assert_eq!(spent.source, Source::Local);
    assert_eq!(spent.fallback, Some(Fallback::BudgetExhausted));
    assert!(spent.classification.uncertain);
    // Another tenant has its own budget.
    assert_eq!(
        cascade.classify("t2", "ahora no puedo").await.source,
        Source::Llm
    );
}

#[tokio::test]
async fn a_certain_local_result_makes_no_request() {
    let server = MockServer::start().await;
    serve_expecting(&server, answers("other", 0.5), 0).await;
    let rules = RuleClassifier::new();
    let text = "hola";
    let local = rules.classify(text);
    assert!(!local.uncertain, "the test needs a certain local result");
    let cascade = IntentCascade::new(
        Arc::new(rules),
        client(&server, 1),
        CascadeConfig::default(),
    );
    let r = cascade.classify("t1", text).await;
    assert_eq!(r.source, Source::Local);
    assert_eq!(r.fallback, None);
    assert_eq!(r.classification, local);
}

#[tokio::test]
async fn a_certain_but_low_local_result_is_escalated_past_the_bar() {
    let server = MockServer::start().await;
    serve_expecting(&server, answers("scheduling", 0.9), 1).await;
    let low: Arc<dyn IntentClassifier> = Arc::new(|text: &str| Classification {
        confidence: 0.6,
        uncertain: false,
        ..RuleClassifier::new().classify(text)
    });
    let config = CascadeConfig {
        escalate_below: Some(0.8),
        ..CascadeConfig::default()
    };
    let cascade = IntentCascade::new(Arc::clone(&low), client(&server, 1), config);
    let r = cascade.classify("t1", "me llamas a las 5?").await;
    assert_eq!(r.source, Source::Llm);
    assert_eq!(r.classification.primary, Intent::Scheduling);
    // Without the bar the same result is the answer.
    let plain = IntentCascade::new(low, client(&server, 1), CascadeConfig::default());
    assert_eq!(
        plain.classify("t1", "me llamas a las 5?").await.source,
        Source::Local
    );
}

/// A host's own backend: records the text it is given.
#[derive(Default)]
struct Recording(std::sync::Mutex<Vec<String>>);

impl IntentBackend for Recording {
    fn model(&self) -> &str {
        "host-model"
    }

    fn classify<'a>(&'a self, text: &'a str) -> BoxFuture<'a, Result<BackendAnswer, LlmError>> {
        self.0.lock().unwrap().push(text.to_owned());
        Box::pin(async {
            Ok(BackendAnswer {
                intent: Intent::Support,
                confidence: 0.8,
            })
        })
    }
}

#[tokio::test]
async fn any_backend_plugs_in_and_gets_masked_text() {
    let cascade = IntentCascade::new(
        unsure_rules(),
        Recording::default(),
        CascadeConfig::default(),
    );
    let r = cascade
        .classify("t1", "no me llega el código al 3001234567, soy ana@x.co")
        .await;
    assert_eq!(r.source, Source::Llm);
    assert_eq!(r.classification.primary, Intent::Support);
    assert_eq!(
        *cascade.backend().0.lock().unwrap(),
        ["no me llega el código al [phone], soy [email]"]
    );
}
