//! WhatsApp Cloud API client: messages, read receipts, media.

use arichat_core::Channel;
use secrecy::{ExposeSecret, SecretString};
use serde::Deserialize;
use sha2::{Digest, Sha256};

use super::config::HttpConfig;
use super::error::SendError;
use super::rate_limit::RateLimits;
use super::settings::ClientSettings;
use super::transport::{Call, Transport};
use super::vendor_error;
use super::DEFAULT_GRAPH_VERSION;
use crate::outbound::{
    ListSection, MediaKind, MediaMessage, MediaSource, Outbound, ReplyButton, Template,
};
use crate::whatsapp_send::{mark_read_body, message_body_to, Recipient};

/// Settings of a [`WhatsAppClient`]. `Debug` shows no token.
#[derive(Debug, Clone)]
pub struct WhatsAppConfig {
    /// A system-user or business access token.
    pub access_token: SecretString,
    /// The sending business phone number's id.
    pub phone_number_id: String,
    /// `https://graph.facebook.com`, or a test server.
    pub api_base: String,
    /// Graph API version, e.g. `v23.0`.
    pub graph_version: String,
    /// Timeouts, retries, rate limits.
    pub http: HttpConfig,
}

impl WhatsAppConfig {
    /// Production settings for one phone number.
    pub fn new(access_token: impl Into<String>, phone_number_id: impl Into<String>) -> Self {
        WhatsAppConfig {
            access_token: SecretString::from(access_token.into()),
            phone_number_id: phone_number_id.into(),
            api_base: super::GRAPH_API_BASE.to_owned(),
            graph_version: DEFAULT_GRAPH_VERSION.to_owned(),
            http: HttpConfig::default(),
        }
    }
}

/// A message the Cloud API accepted.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SentMessage {
    /// Its `wamid`.
    pub id: String,
    /// The recipient's WhatsApp id, as the API resolved it.
    pub wa_id: Option<String>,
}

/// Where a media file can be downloaded (for a few minutes) and how to check it.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct MediaInfo {
    /// The media id.
    pub id: String,
    /// The download URL (needs the access token).
    pub url: String,
    /// MIME type.
    #[serde(default)]
    pub mime_type: Option<String>,
    /// SHA-256 of the file, hex.
    #[serde(default)]
    pub sha256: Option<String>,
    /// Size in bytes.
    #[serde(default, deserialize_with = "lenient_u64")]
    pub file_size: Option<u64>,
}

/// WhatsApp Cloud API client for one business phone number.
///
/// ```no_run
/// # async fn run() -> Result<(), arichat_channels::client::SendError> {
/// use arichat_channels::client::{WhatsAppClient, WhatsAppConfig};
/// let wa = WhatsAppClient::new(WhatsAppConfig::new("EAAG...", "106540352242922"))?;
/// let sent = wa.send_text("5215512345678", "¡Gracias por escribirnos!", false).await?;
/// println!("sent {}", sent.id);
/// # Ok(()) }
/// ```
#[derive(Debug)]
pub struct WhatsAppClient {
    config: WhatsAppConfig,
    transport: Transport,
}

impl WhatsAppClient {
    /// A client; fails only when the HTTP client cannot be built.
    pub fn new(config: WhatsAppConfig) -> Result<Self, SendError> {
        let transport = Transport::new(
            Channel::Whatsapp,
            &config.http,
            RateLimits::WHATSAPP,
            vec![config.access_token.clone()],
            |op, status, body, wait| vendor_error::graph(Channel::Whatsapp, op, status, body, wait),
        )?;
        Ok(WhatsAppClient { config, transport })
    }

    /// What this client will do, without its token.
    pub fn settings(&self) -> ClientSettings {
        let c = &self.config;
        let id = Some(c.phone_number_id.as_str());
        ClientSettings::new("whatsapp", id, &c.api_base, Some(&c.graph_version), &c.http)
    }

    fn url(&self, path: &str) -> String {
        format!(
            "{}/{}/{}",
            self.config.api_base.trim_end_matches('/'),
            self.config.graph_version,
            path
        )
    }

    fn token(&self) -> &str {
        self.config.access_token.expose_secret()
    }

    /// Sends any [`Outbound`] message to `to` (phone number or wa_id), optionally as a
    /// reply to the message `reply_to`. No window or consent check: see
    /// [`ChannelClient::reply`](super::ChannelClient::reply) for that.
    ///
    /// The message carries the send's request id as `biz_opaque_callback_data`, which
    /// its status webhooks echo: after [`SendError::OutcomeUnknown`] a status webhook
    /// with [`SendError::callback_data`] proves the message was accepted.
    pub async fn send(
        &self,
        to: &str,
        message: &Outbound,
        reply_to: Option<&str>,
    ) -> Result<SentMessage, SendError> {
        self.send_to(&Recipient::individual(to), message, reply_to)
            .await
    }

    /// Sends to a phone, a business-scoped user id or a group (see [`Recipient`]).
    pub async fn send_to(
        &self,
        to: &Recipient,
        message: &Outbound,
        reply_to: Option<&str>,
    ) -> Result<SentMessage, SendError> {
        let mut call = Call::send("messages", to.as_str());
        let mut body = message_body_to(to, message, reply_to);
        if let (Some(id), Some(obj)) = (call.echo_request_id(), body.as_object_mut()) {
            obj.insert("biz_opaque_callback_data".into(), id.into());
        }
        let url = self.url(&format!("{}/messages", self.config.phone_number_id));
        let resp: MessagesResponse = self
            .transport
            .execute_json(call, |http| {
                http.post(&url).bearer_auth(self.token()).json(&body)
            })
            .await?;
        let id = resp
            .messages
            .into_iter()
            .next()
            .map(|m| m.id)
            .ok_or_else(|| SendError::MalformedResponse {
                channel: Channel::Whatsapp,
                operation: "messages",
                status: 200,
                reason: "no message id in the answer".into(),
            })?;
        Ok(SentMessage {
            id,
            wa_id: resp.contacts.into_iter().next().and_then(|c| c.wa_id),
        })
    }

    /// Sends text; `preview_url` renders a preview of its first link.
    pub async fn send_text(
        &self,
        to: &str,
        body: &str,
        preview_url: bool,
    ) -> Result<SentMessage, SendError> {
        let message = Outbound::Text {
            body: body.to_owned(),
            preview_url,
        };
        self.send(to, &message, None).await
    }

    /// Sends an approved template with its parameters.
    pub async fn send_template(
        &self,
        to: &str,
        template: &Template,
    ) -> Result<SentMessage, SendError> {
        self.send(to, &Outbound::Template(template.clone()), None)
            .await
    }

    /// Sends media by uploaded id or by link, with an optional caption.
    pub async fn send_media(
        &self,
        to: &str,
        kind: MediaKind,
        source: MediaSource,
        caption: Option<&str>,
    ) -> Result<SentMessage, SendError> {
        let message = Outbound::Media(MediaMessage {
            kind,
            source,
            caption: caption.map(str::to_owned),
            filename: None,
        });
        self.send(to, &message, None).await
    }

    /// Sends up to three reply buttons.
    pub async fn send_buttons(
        &self,
        to: &str,
        body: &str,
        buttons: &[ReplyButton],
    ) -> Result<SentMessage, SendError> {
        let message = Outbound::Buttons {
            body: body.to_owned(),
            buttons: buttons.to_vec(),
        };
        self.send(to, &message, None).await
    }

    /// Sends a list message.
    pub async fn send_list(
        &self,
        to: &str,
        body: &str,
        button: &str,
        sections: &[ListSection],
    ) -> Result<SentMessage, SendError> {
        let message = Outbound::List {
            body: body.to_owned(),
            button: button.to_owned(),
            sections: sections.to_vec(),
        };
        self.send(to, &message, None).await
    }

    /// Reacts to a message with an emoji (empty removes the reaction).
    pub async fn send_reaction(
        &self,
        to: &str,
        message_id: &str,
        emoji: &str,
    ) -> Result<SentMessage, SendError> {
        let message = Outbound::Reaction {
            message_id: message_id.to_owned(),
            emoji: emoji.to_owned(),
        };
        self.send(to, &message, None).await
    }

    /// Marks an inbound message as read; with `typing_indicator` the contact sees
    /// "typing…" until the reply arrives (or 25 seconds pass).
    pub async fn mark_read(
        &self,
        message_id: &str,
        typing_indicator: bool,
    ) -> Result<(), SendError> {
        let body = mark_read_body(message_id, typing_indicator);
        let url = self.url(&format!("{}/messages", self.config.phone_number_id));
        let resp: SuccessResponse = self
            .transport
            .execute_json(Call::other("mark_read"), |http| {
                http.post(&url).bearer_auth(self.token()).json(&body)
            })
            .await?;
        if resp.success {
            Ok(())
        } else {
            Err(SendError::MalformedResponse {
                channel: Channel::Whatsapp,
                operation: "mark_read",
                status: 200,
                reason: "the answer says success: false".into(),
            })
        }
    }

    /// Uploads a file and returns its media id (usable in [`MediaSource::Id`]).
    pub async fn upload_media(
        &self,
        bytes: Vec<u8>,
        mime_type: &str,
        filename: &str,
    ) -> Result<String, SendError> {
        let url = self.url(&format!("{}/media", self.config.phone_number_id));
        // Multipart forms are single-use: each attempt builds its own.
        let resp: IdResponse = self
            .transport
            .execute_json(Call::other("media_upload"), |http| {
                let part = reqwest::multipart::Part::bytes(bytes.clone())
                    .file_name(filename.to_owned())
                    .mime_str(mime_type)
                    .unwrap_or_else(|_| reqwest::multipart::Part::bytes(bytes.clone()));
                let form = reqwest::multipart::Form::new()
                    .text("messaging_product", "whatsapp")
                    .text("type", mime_type.to_owned())
                    .part("file", part);
                http.post(&url).bearer_auth(self.token()).multipart(form)
            })
            .await?;
        Ok(resp.id)
    }

    /// Resolves a media id (from an inbound message or an upload) to its download URL.
    pub async fn media_info(&self, media_id: &str) -> Result<MediaInfo, SendError> {
        let url = self.url(media_id);
        self.transport
            .execute_json(Call::other("media_info"), |http| {
                http.get(&url).bearer_auth(self.token())
            })
            .await
    }

    /// Downloads a media file and checks its SHA-256 when the API gave one.
    pub async fn download_media(&self, info: &MediaInfo) -> Result<Vec<u8>, SendError> {
        let bytes = self
            .transport
            .execute(Call::other("media_download"), |http| {
                http.get(&info.url).bearer_auth(self.token())
            })
            .await?;
        if let Some(expected) = &info.sha256 {
            let actual = hex::encode(Sha256::digest(&bytes));
            if !actual.eq_ignore_ascii_case(expected) {
                return Err(SendError::MalformedResponse {
                    channel: Channel::Whatsapp,
                    operation: "media_download",
                    status: 200,
                    reason: format!("SHA-256 {actual} does not match the announced {expected}"),
                });
            }
        }
        Ok(bytes)
    }
}

#[derive(Deserialize)]
struct MessagesResponse {
    #[serde(default)]
    contacts: Vec<ContactResponse>,
    #[serde(default)]
    messages: Vec<MessageIdResponse>,
}

#[derive(Deserialize)]
struct ContactResponse {
    wa_id: Option<String>,
}

#[derive(Deserialize)]
struct MessageIdResponse {
    id: String,
}

#[derive(Deserialize)]
struct SuccessResponse {
    success: bool,
}

#[derive(Deserialize)]
struct IdResponse {
    id: String,
}

fn lenient_u64<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Option<u64>, D::Error> {
    #[derive(Deserialize)]
    #[serde(untagged)]
    enum NumOrString {
        Num(u64),
        Str(String),
    }
    Ok(match Option::<NumOrString>::deserialize(d)? {
        Some(NumOrString::Num(n)) => Some(n),
        Some(NumOrString::Str(s)) => s.parse().ok(),
        None => None,
    })
}
