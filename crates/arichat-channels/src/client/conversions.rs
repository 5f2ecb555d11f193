//! Meta Conversions API client for business-messaging events.

use arichat_core::Channel;
use secrecy::{ExposeSecret, SecretString};
use serde::Deserialize;
use serde_json::{json, Value};

use super::config::HttpConfig;
use super::error::SendError;
use super::rate_limit::RateLimits;
use super::settings::ClientSettings;
use super::transport::{Call, Transport};
use super::vendor_error;
use super::DEFAULT_GRAPH_VERSION;
use crate::conversions::ConversionEvent;

/// Settings of a [`ConversionsClient`]. `Debug` shows no token.
#[derive(Debug, Clone)]
pub struct ConversionsConfig {
    /// An access token with `page_events` / `whatsapp_business_management`.
    pub access_token: SecretString,
    /// The dataset (pixel) id events go to.
    pub dataset_id: String,
    /// Events Manager test code, while testing.
    pub test_event_code: Option<String>,
    /// `https://graph.facebook.com`, or a test server.
    pub api_base: String,
    /// Graph API version.
    pub graph_version: String,
    /// Timeouts and retries.
    pub http: HttpConfig,
}

impl ConversionsConfig {
    /// Production settings for one dataset.
    pub fn new(access_token: impl Into<String>, dataset_id: impl Into<String>) -> Self {
        ConversionsConfig {
            access_token: SecretString::from(access_token.into()),
            dataset_id: dataset_id.into(),
            test_event_code: None,
            api_base: super::GRAPH_API_BASE.to_owned(),
            graph_version: DEFAULT_GRAPH_VERSION.to_owned(),
            http: HttpConfig::default(),
        }
    }
}

/// What the Conversions API answered.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct ConversionsReceipt {
    /// Events Meta accepted.
    pub events_received: u64,
    /// Trace id for Meta support.
    #[serde(default)]
    pub fbtrace_id: Option<String>,
}

/// Posts [`ConversionEvent`]s to `/{dataset_id}/events`.
#[derive(Debug)]
pub struct ConversionsClient {
    config: ConversionsConfig,
    transport: Transport,
}

impl ConversionsClient {
    /// A client; fails only when the HTTP client cannot be built.
    pub fn new(config: ConversionsConfig) -> Result<Self, SendError> {
        let transport = Transport::new(
            Channel::Whatsapp,
            &config.http,
            RateLimits::NONE,
            vec![config.access_token.clone()],
            |op, status, body, wait| vendor_error::graph(Channel::Whatsapp, op, status, body, wait),
        )?;
        Ok(ConversionsClient { config, transport })
    }

    /// What this client will do, without its token.
    pub fn settings(&self) -> ClientSettings {
        let c = &self.config;
        let id = Some(c.dataset_id.as_str());
        ClientSettings::new(
            "conversions",
            id,
            &c.api_base,
            Some(&c.graph_version),
            &c.http,
        )
    }

    /// Sends a batch of events (up to 1,000 per request, as Meta allows).
    pub async fn send(&self, events: &[ConversionEvent]) -> Result<ConversionsReceipt, SendError> {
        if events.is_empty() || events.len() > 1000 {
            return Err(SendError::InvalidRequest(format!(
                "a Conversions API request carries 1 to 1000 events, not {}",
                events.len()
            )));
        }
        let mut body = json!({
            "data": events.iter().map(ConversionEvent::to_json).collect::<Vec<Value>>(),
        });
        if let Some(code) = &self.config.test_event_code {
            body["test_event_code"] = code.as_str().into();
        }
        let url = format!(
            "{}/{}/{}/events",
            self.config.api_base.trim_end_matches('/'),
            self.config.graph_version,
            self.config.dataset_id
        );
        let token = self.config.access_token.expose_secret();
        self.transport
            .execute_json(Call::other("conversions"), |http| {
                http.post(&url).bearer_auth(token).json(&body)
            })
            .await
    }
}
