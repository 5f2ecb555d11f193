//! Google Cloud Pub/Sub REST publisher for CloudEvents (`topics.publish`).

use arichat_core::Channel;
use secrecy::{ExposeSecret, SecretString};
use serde::Deserialize;

use super::config::HttpConfig;
use super::error::{SendError, VendorError};
use super::transport::{Call, Transport};
use super::vendor_error::{body_excerpt, by_status};
use crate::cloudevents::CloudEvent;

/// Where [`PubsubClient`] publishes. `Debug` shows no token.
///
/// ```
/// use arichat_channels::client::PubsubConfig;
/// let config = PubsubConfig::new("ya29.secret", "acme-prod", "arichat-events");
/// assert_eq!(config.topic_path(), "projects/acme-prod/topics/arichat-events");
/// assert!(!format!("{config:?}").contains("ya29"));
/// ```
#[derive(Debug, Clone)]
pub struct PubsubConfig {
    /// An OAuth 2.0 access token with the `pubsub` scope (the host refreshes it).
    pub access_token: SecretString,
    /// The Google Cloud project id.
    pub project: String,
    /// The topic's name within the project.
    pub topic: String,
    /// `https://pubsub.googleapis.com`, an emulator, or a test server.
    pub api_base: String,
    /// Timeouts and retries.
    pub http: HttpConfig,
}

impl PubsubConfig {
    /// The production endpoint.
    pub const API_BASE: &'static str = "https://pubsub.googleapis.com";
    /// The most messages one `topics.publish` request carries (Pub/Sub's limit).
    pub const MAX_MESSAGES: usize = 1000;

    /// Production settings for one topic.
    pub fn new(
        access_token: impl Into<String>,
        project: impl Into<String>,
        topic: impl Into<String>,
    ) -> Self {
        PubsubConfig {
            access_token: SecretString::from(access_token.into()),
            project: project.into(),
            topic: topic.into(),
            api_base: Self::API_BASE.to_owned(),
            http: HttpConfig::default(),
        }
    }

    /// `projects/<project>/topics/<topic>`.
    pub fn topic_path(&self) -> String {
        format!("projects/{}/topics/{}", self.project, self.topic)
    }
}

/// Publishes CloudEvents to a Pub/Sub topic in the binary content mode of the
/// CloudEvents Pub/Sub binding ([`CloudEvent::pubsub_publish_body`]), with the ordering
/// key set to each event's `partitionkey`.
///
/// A publish is retried after a timeout or a 5xx like any call that is safe to repeat:
/// Pub/Sub may then hold an event twice, with the same CloudEvent `id`, which is the
/// idempotency key subscribers deduplicate on.
///
/// ```no_run
/// # async fn run(events: Vec<arichat_channels::cloudevents::CloudEvent>) -> Result<(), arichat_channels::client::SendError> {
/// use arichat_channels::client::{PubsubClient, PubsubConfig};
/// let pubsub = PubsubClient::new(PubsubConfig::new("ya29...", "acme-prod", "arichat-events"))?;
/// let message_ids = pubsub.publish(&events).await?;
/// # Ok(()) }
/// ```
#[derive(Debug)]
pub struct PubsubClient {
    config: PubsubConfig,
    transport: Transport,
}

#[derive(Deserialize)]
struct PublishResponse {
    #[serde(default, rename = "messageIds")]
    message_ids: Vec<String>,
}

impl PubsubClient {
    /// A client; fails only when the HTTP client cannot be built.
    pub fn new(config: PubsubConfig) -> Result<Self, SendError> {
        let transport = Transport::for_service(
            "pubsub",
            &config.http,
            config.access_token.clone(),
            google_error,
        )?;
        Ok(PubsubClient { config, transport })
    }

    /// Publishes `events` in requests of up to [`PubsubConfig::MAX_MESSAGES`]; returns
    /// the message ids Pub/Sub assigned, in order. A failed request fails the call;
    /// the requests before it stay published.
    ///
    /// # Errors
    /// [`SendError::InvalidRequest`] for an empty list; the vendor's error (typed by
    /// HTTP status: 401 invalid token, 403 permission, 404 no such topic, 429, 5xx)
    /// or a transport error otherwise.
    pub async fn publish(&self, events: &[CloudEvent]) -> Result<Vec<String>, SendError> {
        if events.is_empty() {
            return Err(SendError::InvalidRequest(
                "a Pub/Sub publish carries at least one message".to_owned(),
            ));
        }
        let url = format!(
            "{}/v1/{}:publish",
            self.config.api_base.trim_end_matches('/'),
            self.config.topic_path()
        );
        let token = self.config.access_token.expose_secret();
        let mut ids = Vec::with_capacity(events.len());
        for chunk in events.chunks(PubsubConfig::MAX_MESSAGES) {
            let body = CloudEvent::pubsub_publish_body(chunk);
            let answer: PublishResponse = self
                .transport
                .execute_json(Call::other("pubsub.publish"), |http| {
                    http.post(&url).bearer_auth(token).json(&body)
                })
                .await?;
            if answer.message_ids.len() != chunk.len() {
                return Err(SendError::InvalidRequest(format!(
                    "Pub/Sub answered {} message ids for {} messages",
                    answer.message_ids.len(),
                    chunk.len()
                )));
            }
            ids.extend(answer.message_ids);
        }
        Ok(ids)
    }
}

/// Google's error body: `{"error": {"code": 404, "message": "...", "status": "NOT_FOUND"}}`.
fn google_error(
    operation: &'static str,
    status: u16,
    body: &[u8],
    retry_after: Option<std::time::Duration>,
) -> VendorError {
    #[derive(Deserialize)]
    struct Envelope {
        error: Detail,
    }
    #[derive(Deserialize)]
    struct Detail {
        #[serde(default)]
        message: String,
        #[serde(default)]
        status: Option<String>,
    }
    let (message, code) = match serde_json::from_slice::<Envelope>(body) {
        Ok(e) => (e.error.message, e.error.status),
        Err(_) => (body_excerpt(body), None),
    };
    VendorError {
        channel: Channel::Whatsapp,
        operation,
        http_status: status,
        code: None,
        subcode: None,
        message: match code {
            Some(code) => format!("{code}: {message}"),
            None => message,
        },
        kind: by_status(status),
        retry_after,
        trace_id: None,
    }
}
