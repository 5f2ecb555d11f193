//! The bot, a wiremock Mattermost API and a fresh database on the real PostgreSQL:
//! shared by the end-to-end tests and `examples/hook_latency.rs`.
#![allow(dead_code)]

#[path = "../../../../crates/arichat-deals/tests/postgres/mod.rs"]
mod postgres;

use std::path::Path;

use arichat_channels::client::{MattermostConfig, RateLimits};
use arichat_channels::verify::MattermostTokens;
use arichat_core::commission::CommissionRules;
use arichat_core::money::Region;
use arichat_deals::Tesseract;
use arichat_sales_bot::{Bot, Config, HOOK_PATH};
use serde_json::{json, Value};
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

const RECEIPT: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../../crates/arichat-cli/tests/data/receipt-co.png"
);
pub const RECEIPT_ID: &str = "file-receipt";
pub const HOOK_TOKEN: &str = "hook-token-new";
pub const BOT_USER: &str = "bot-user-id";

/// `ARICHAT_TESSERACT`; `None` (skip, loudly) unless the run requires it.
pub fn tesseract() -> Option<Tesseract> {
    match std::env::var("ARICHAT_TESSERACT")
        .ok()
        .filter(|v| !v.is_empty())
    {
        Some(bin) => Some(Tesseract::new().with_binary(bin)),
        None if std::env::var("CI").is_ok_and(|v| v == "true")
            || std::env::var("ARICHAT_REQUIRE_TESSERACT").is_ok_and(|v| v == "1") =>
        {
            panic!("ARICHAT_TESSERACT is not set: run through scripts/test")
        }
        None => {
            eprintln!(
                "\n*** SKIPPED: ARICHAT_TESSERACT is not set; eval \"$(scripts/tesseract.sh)\"\n"
            );
            None
        }
    }
}

/// The bot, its mock Mattermost and its database.
pub struct World {
    pub bot: String,
    pub mm: MockServer,
    pub db: tokio_postgres::Client,
    pub http: reqwest::Client,
}

pub async fn world(test: &str, tesseract: Tesseract) -> Option<World> {
    let url = postgres::fresh_database(test).await?;
    let mm = MockServer::start().await;
    let receipt = std::fs::read(RECEIPT).unwrap();
    Mock::given(method("GET"))
        .and(path(format!("/api/v4/files/{RECEIPT_ID}")))
        .respond_with(ResponseTemplate::new(200).set_body_raw(receipt, "image/png"))
        .mount(&mm)
        .await;
    Mock::given(method("POST"))
        .and(path("/api/v4/posts"))
        .respond_with(
            ResponseTemplate::new(201).set_body_json(json!({"id": "reply", "channel_id": "c1"})),
        )
        .mount(&mm)
        .await;
    Mock::given(method("POST"))
        .and(path("/api/v4/reactions"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({})))
        .mount(&mm)
        .await;
    let mut mattermost = MattermostConfig::new(mm.uri(), "bot-access-token");
    mattermost.bot_user_id = Some(BOT_USER.to_owned());
    // The mock has no limit; the client's pacing (Mattermost's 10 requests/s) is
    // arichat-channels' and tested there.
    mattermost.http.rate_limits = Some(RateLimits::NONE);
    let rules = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../sales/commissions.toml"),
    )
    .unwrap();
    let config = Config {
        database_url: url.clone().into(),
        connections: 4,
        mattermost,
        hook_tokens: MattermostTokens::new(["hook-token-old", HOOK_TOKEN]).unwrap(),
        region: Region::Ec,
        rules: CommissionRules::from_toml(&rules).unwrap(),
        tesseract,
    };
    let bot = Bot::new(config).await.unwrap();
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(arichat_sales_bot::serve(
        listener,
        bot,
        std::future::pending(),
    ));
    let (db, conn) = tokio_postgres::connect(&url, tokio_postgres::NoTls)
        .await
        .unwrap();
    tokio::spawn(conn);
    Some(World {
        bot: format!("http://{addr}{HOOK_PATH}"),
        mm,
        db,
        http: reqwest::Client::new(),
    })
}

/// An outgoing webhook's fields (`timestamp` in milliseconds: JSON's unit).
pub fn hook(post: &str, seller: &str, text: &str, files: &str) -> Value {
    json!({
        "token": HOOK_TOKEN, "team_id": "t1", "team_domain": "ventas", "channel_id": "c1",
        "channel_name": "ventas", "timestamp": 1_780_000_000_000_i64, "user_id": "u1",
        "user_name": seller, "post_id": post, "text": text, "trigger_word": "@monto",
        "file_ids": files,
    })
}

fn form(fields: &Value) -> String {
    let mut out = form_urlencoded::Serializer::new(String::new());
    for (k, v) in fields.as_object().unwrap() {
        let v = match v {
            Value::String(s) => s.clone(),
            // The form carries seconds.
            Value::Number(n) if k == "timestamp" => (n.as_i64().unwrap() / 1000).to_string(),
            other => other.to_string(),
        };
        out.append_pair(k, &v);
    }
    out.finish()
}

/// A sale as stored: (amount, currency, commission, units, seller).
pub type Row = (i64, String, i64, i32, String);

impl World {
    pub async fn post_form(
        &self,
        fields: &Value,
        authorization: Option<&str>,
    ) -> reqwest::Response {
        let mut req = self
            .http
            .post(&self.bot)
            .header("Content-Type", "application/x-www-form-urlencoded")
            .body(form(fields));
        if let Some(a) = authorization {
            req = req.header("Authorization", a);
        }
        req.send().await.unwrap()
    }

    pub async fn post_json(&self, fields: &Value) -> reqwest::Response {
        self.http
            .post(&self.bot)
            .header("Content-Type", "application/json")
            .body(fields.to_string())
            .send()
            .await
            .unwrap()
    }

    pub async fn rows(&self) -> Vec<(String, Row)> {
        self.db
            .query(
                "SELECT s.post_id, s.amount_minor, s.currency, c.amount_minor, d.units, p.name
                 FROM sales s JOIN sellers p ON p.id = s.seller_id
                 JOIN commissions c ON c.sale_id = s.id
                 JOIN sale_details d ON d.sale_id = s.id
                 ORDER BY s.post_id",
                &[],
            )
            .await
            .unwrap()
            .iter()
            .map(|r| {
                (
                    r.get(0),
                    (
                        r.get(1),
                        r.get::<_, String>(2),
                        r.get(3),
                        r.get(4),
                        r.get(5),
                    ),
                )
            })
            .collect()
    }

    /// The JSON bodies the bot sent to `POST /api/v4/<what>`.
    pub async fn sent(&self, what: &str) -> Vec<Value> {
        let path = format!("/api/v4/{what}");
        self.mm
            .received_requests()
            .await
            .unwrap()
            .into_iter()
            .filter(|r| r.method.as_str() == "POST" && r.url.path() == path)
            .map(|r| serde_json::from_slice(&r.body).unwrap())
            .collect()
    }

    pub async fn replies_to(&self, post: &str) -> Vec<String> {
        self.sent("posts")
            .await
            .into_iter()
            .filter(|p| p["root_id"] == post)
            .map(|p| {
                assert_eq!(p["channel_id"], "c1");
                p["message"].as_str().unwrap().to_owned()
            })
            .collect()
    }
}
