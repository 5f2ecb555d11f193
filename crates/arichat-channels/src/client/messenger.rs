//! Messenger and Instagram Send API client.

use arichat_core::Channel;
use secrecy::{ExposeSecret, SecretString};
use serde::Deserialize;

use super::config::HttpConfig;
use super::error::SendError;
use super::rate_limit::RateLimits;
use super::settings::ClientSettings;
use super::transport::{Call, ErrorParser, Transport};
use super::vendor_error;
use super::DEFAULT_GRAPH_VERSION;
use crate::meta_send::{message_bodies, sender_action_body, SenderAction};
use crate::outbound::{Delivery, Outbound};

/// Settings of a [`MessengerClient`]. `Debug` shows no token.
#[derive(Debug, Clone)]
pub struct MessengerConfig {
    /// [`Channel::Messenger`] or [`Channel::Instagram`].
    pub channel: Channel,
    /// The page access token (for Instagram: of the page linked to the account, or an
    /// Instagram user token with `api_base` `https://graph.instagram.com`).
    pub access_token: SecretString,
    /// The page id (Messenger) or Instagram professional account id.
    pub account_id: String,
    /// `https://graph.facebook.com`, or a test server.
    pub api_base: String,
    /// Graph API version, e.g. `v23.0`.
    pub graph_version: String,
    /// Timeouts, retries, rate limits.
    pub http: HttpConfig,
}

impl MessengerConfig {
    /// Production settings for a Messenger page.
    pub fn messenger(access_token: impl Into<String>, page_id: impl Into<String>) -> Self {
        Self::with_channel(Channel::Messenger, access_token, page_id)
    }

    /// Production settings for an Instagram professional account.
    pub fn instagram(access_token: impl Into<String>, account_id: impl Into<String>) -> Self {
        Self::with_channel(Channel::Instagram, access_token, account_id)
    }

    fn with_channel(
        channel: Channel,
        access_token: impl Into<String>,
        account_id: impl Into<String>,
    ) -> Self {
        MessengerConfig {
            channel,
            access_token: SecretString::from(access_token.into()),
            account_id: account_id.into(),
            api_base: super::GRAPH_API_BASE.to_owned(),
            graph_version: DEFAULT_GRAPH_VERSION.to_owned(),
            http: HttpConfig::default(),
        }
    }
}

/// A message the Send API accepted.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SentMessenger {
    /// The message ids (two when a caption followed an attachment).
    pub message_ids: Vec<String>,
    /// The recipient's id as the API answered it.
    pub recipient_id: Option<String>,
}

/// Messenger / Instagram Send API client for one page or account.
///
/// ```no_run
/// # async fn run() -> Result<(), arichat_channels::client::SendError> {
/// use arichat_channels::client::{MessengerClient, MessengerConfig};
/// use arichat_channels::outbound::{Delivery, Outbound};
/// let fb = MessengerClient::new(MessengerConfig::messenger("EAAB...", "1067280970047460"))?;
/// fb.send("6543210987654321", &Outbound::text("¡Hola!"), Delivery::Response).await?;
/// # Ok(()) }
/// ```
#[derive(Debug)]
pub struct MessengerClient {
    config: MessengerConfig,
    transport: Transport,
}

impl MessengerClient {
    /// A client; fails when the channel is not Messenger or Instagram.
    pub fn new(config: MessengerConfig) -> Result<Self, SendError> {
        if !matches!(config.channel, Channel::Messenger | Channel::Instagram) {
            return Err(SendError::InvalidRequest(format!(
                "the Send API serves Messenger and Instagram, not {}",
                config.channel
            )));
        }
        let parse: ErrorParser = match config.channel {
            Channel::Instagram => |op, status, body: &[u8], wait| {
                vendor_error::graph(Channel::Instagram, op, status, body, wait)
            },
            _ => |op, status, body: &[u8], wait| {
                vendor_error::graph(Channel::Messenger, op, status, body, wait)
            },
        };
        let transport = Transport::new(
            config.channel,
            &config.http,
            RateLimits::NONE,
            vec![config.access_token.clone()],
            parse,
        )?;
        Ok(MessengerClient { config, transport })
    }

    /// The channel this client sends on.
    pub fn channel(&self) -> Channel {
        self.config.channel
    }

    /// What this client will do, without its token.
    pub fn settings(&self) -> ClientSettings {
        let c = &self.config;
        let id = Some(c.account_id.as_str());
        let name = c.channel.as_str();
        ClientSettings::new(name, id, &c.api_base, Some(&c.graph_version), &c.http)
    }

    fn url(&self) -> String {
        format!(
            "{}/{}/{}/messages",
            self.config.api_base.trim_end_matches('/'),
            self.config.graph_version,
            self.config.account_id
        )
    }

    async fn post(
        &self,
        call: Call<'_>,
        body: &serde_json::Value,
    ) -> Result<SendResponse, SendError> {
        let url = self.url();
        let token = self.config.access_token.expose_secret();
        self.transport
            .execute_json(call, |http| http.post(&url).bearer_auth(token).json(body))
            .await
    }

    /// Sends `message` to `recipient` (PSID / IGSID) as `delivery` says
    /// (`RESPONSE`, `UPDATE`, or `MESSAGE_TAG` with its tag).
    pub async fn send(
        &self,
        recipient: &str,
        message: &Outbound,
        delivery: Delivery,
    ) -> Result<SentMessenger, SendError> {
        let bodies =
            message_bodies(recipient, message, delivery).map_err(SendError::InvalidRequest)?;
        let mut sent = SentMessenger {
            message_ids: Vec::with_capacity(bodies.len()),
            recipient_id: None,
        };
        for body in &bodies {
            let resp = self.post(Call::send("messages", recipient), body).await?;
            sent.message_ids.extend(resp.message_id);
            sent.recipient_id = resp.recipient_id.or(sent.recipient_id);
        }
        Ok(sent)
    }

    /// Sends text.
    pub async fn send_text(
        &self,
        recipient: &str,
        text: &str,
        delivery: Delivery,
    ) -> Result<SentMessenger, SendError> {
        self.send(recipient, &Outbound::text(text), delivery).await
    }

    /// Shows or hides the typing indicator, or marks the thread seen.
    pub async fn sender_action(
        &self,
        recipient: &str,
        action: SenderAction,
    ) -> Result<(), SendError> {
        let body = sender_action_body(recipient, action);
        self.post(Call::other("sender_action"), &body).await?;
        Ok(())
    }
}

#[derive(Deserialize)]
struct SendResponse {
    recipient_id: Option<String>,
    message_id: Option<String>,
}
