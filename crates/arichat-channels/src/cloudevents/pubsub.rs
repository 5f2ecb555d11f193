//! The Google Cloud Pub/Sub shapes: the REST publish body (`topics.publish`) and the
//! push-delivery body a push subscription POSTs, in the binary content mode of the
//! Pub/Sub binding for CloudEvents (attributes as `ce-<name>` message attributes, the
//! data as the message's base64 `data`, its media type in `content-type`). A message
//! in structured mode (`content-type: application/cloudevents+json`) is read too.

use base64::Engine;
use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::http::{attributes, from_attributes};
use super::{CloudEvent, EnvelopeError, STRUCTURED};

/// One Pub/Sub message.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PubsubMessage {
    /// The payload, base64.
    #[serde(default)]
    pub data: String,
    /// Message attributes.
    #[serde(default)]
    pub attributes: std::collections::BTreeMap<String, String>,
    /// Ordering key: the event's `partitionkey`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ordering_key: Option<String>,
    /// Set by Pub/Sub on delivery.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub message_id: Option<String>,
    /// Set by Pub/Sub on delivery (RFC 3339).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub publish_time: Option<String>,
}

/// The push-delivery body a push subscription POSTs to its endpoint.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PushDelivery {
    /// The message.
    pub message: PubsubMessage,
    /// `projects/<project>/subscriptions/<name>`.
    #[serde(default)]
    pub subscription: String,
}

impl CloudEvent {
    /// This event as a Pub/Sub message (binary mode; ordering key = `partitionkey`).
    pub fn to_pubsub_message(&self) -> PubsubMessage {
        let message = self.to_http_binary();
        let mut attrs: std::collections::BTreeMap<String, String> = attributes(self)
            .into_iter()
            .map(|(k, v)| (format!("ce-{k}"), v))
            .collect();
        if let Some(ct) = &self.datacontenttype {
            attrs.insert("content-type".to_owned(), ct.clone());
        }
        PubsubMessage {
            data: base64::engine::general_purpose::STANDARD.encode(message.body),
            attributes: attrs,
            ordering_key: self.extension("partitionkey"),
            message_id: None,
            publish_time: None,
        }
    }

    /// Reads a Pub/Sub message (binary or structured mode).
    ///
    /// # Errors
    /// [`EnvelopeError`] when `data` is not base64 or the message is not a CloudEvent.
    pub fn from_pubsub_message(message: &PubsubMessage) -> Result<Self, EnvelopeError> {
        let data = base64::engine::general_purpose::STANDARD
            .decode(message.data.as_bytes())
            .map_err(|_| EnvelopeError::Invalid("data is not base64".into()))?;
        let content_type = message.attributes.get("content-type").map(String::as_str);
        if content_type.is_some_and(|t| t.starts_with(STRUCTURED)) {
            return CloudEvent::from_json(&String::from_utf8_lossy(&data));
        }
        let pairs = message.attributes.iter().filter_map(|(k, v)| {
            if k == "content-type" {
                return Some(("datacontenttype".to_owned(), v.clone()));
            }
            k.strip_prefix("ce-")
                .map(|name| (name.to_owned(), v.clone()))
        });
        from_attributes(pairs, &data)
    }

    /// The body of a `topics.publish` request for `events`.
    pub fn pubsub_publish_body(events: &[CloudEvent]) -> Value {
        let messages: Vec<PubsubMessage> = events.iter().map(Self::to_pubsub_message).collect();
        serde_json::json!({ "messages": messages })
    }

    /// Reads the body of a `topics.publish` request.
    ///
    /// # Errors
    /// [`EnvelopeError`] when it is not a publish body of CloudEvents.
    pub fn from_pubsub_publish_body(body: &str) -> Result<Vec<Self>, EnvelopeError> {
        #[derive(Deserialize)]
        struct Publish {
            messages: Vec<PubsubMessage>,
        }
        let publish: Publish = serde_json::from_str(body)
            .map_err(|_| EnvelopeError::Invalid("not a Pub/Sub publish body".into()))?;
        publish
            .messages
            .iter()
            .map(Self::from_pubsub_message)
            .collect()
    }

    /// Reads the body a push subscription POSTs.
    ///
    /// # Errors
    /// [`EnvelopeError`] when it is not a push delivery of a CloudEvent.
    pub fn from_pubsub_push(body: &str) -> Result<Self, EnvelopeError> {
        let push: PushDelivery = serde_json::from_str(body)
            .map_err(|_| EnvelopeError::Invalid("not a Pub/Sub push body".into()))?;
        Self::from_pubsub_message(&push.message)
    }

    /// The body a push subscription would POST for this event (what a test or a local
    /// emulator sends to a push endpoint).
    pub fn to_pubsub_push(
        &self,
        subscription: &str,
        message_id: &str,
        publish_time: chrono::DateTime<chrono::Utc>,
    ) -> PushDelivery {
        let mut message = self.to_pubsub_message();
        message.message_id = Some(message_id.to_owned());
        message.publish_time =
            Some(publish_time.to_rfc3339_opts(chrono::SecondsFormat::Millis, true));
        PushDelivery {
            message,
            subscription: subscription.to_owned(),
        }
    }
}
