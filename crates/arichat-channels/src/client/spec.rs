//! What a binding or the CLI hands over to build a client, poll, set a webhook or answer
//! a conversation: plain values, every one optional, serde-deserializable. Each spec's
//! `build` decides the defaults (the `*Config::new` production settings and
//! [`HttpConfig::default`]), the clamps ([`telegram_count`]) and the name parsing
//! ([`Channel`], [`MessageTag`], [`SendGuarantee`](super::SendGuarantee)); a binding only
//! moves its arguments into the fields.
//!
//! ```
//! use arichat_channels::client::{ClientSpec, HttpSpec, WhatsAppSpec};
//! let spec: ClientSpec = serde_json::from_str(
//!     r#"{"client": "whatsapp", "access_token": "t", "phone_number_id": "1065", "timeout": 5, "max_attempts": 0}"#,
//! ).unwrap();
//! let settings = spec.settings().unwrap();
//! assert_eq!((settings.timeout, settings.max_attempts), (5.0, 1)); // at least one attempt
//! assert_eq!(settings.api_base, "https://graph.facebook.com");
//! let missing = WhatsAppSpec { http: HttpSpec::default(), ..WhatsAppSpec::default() };
//! assert_eq!(missing.build().unwrap_err().code(), "invalid_request");
//! ```

use std::time::Duration;

use arichat_core::{Channel, ConsentLedger, ContactId, CoreError};
use chrono::{DateTime, Utc};
use secrecy::{ExposeSecret, SecretString};
use serde::Deserialize;

use super::channel::{ChannelClient, SendReceipt};
use super::config::{HttpConfig, HttpOptions};
use super::conversions::{ConversionsClient, ConversionsConfig};
use super::error::SendError;
use super::messenger::{MessengerClient, MessengerConfig};
use super::settings::ClientSettings;
use super::telegram::{PollOptions, TelegramClient, TelegramConfig, WebhookSettings};
use super::whatsapp::{WhatsAppClient, WhatsAppConfig};
use crate::outbound::{
    preflight_thread, Delivery, MessageTag, Outbound, PolicyError, SendContext, SendPolicy, Thread,
};

impl From<CoreError> for SendError {
    /// A refused name (a tag, a sender action, a channel) is a bad request.
    fn from(e: CoreError) -> Self {
        SendError::InvalidRequest(e.to_string())
    }
}

fn invalid(msg: impl Into<String>) -> SendError {
    SendError::InvalidRequest(msg.into())
}

/// A number of seconds as a `Duration`; negative or non-finite is `invalid_request`
/// naming `name`.
pub fn seconds(value: Option<f64>, name: &str) -> Result<Option<Duration>, SendError> {
    value
        .map(|v| {
            Duration::try_from_secs_f64(v)
                .map_err(|_| invalid(format!("{name} must be a positive number of seconds")))
        })
        .transpose()
}

/// Telegram's counts (`getUpdates` `limit`, `setWebhook` `max_connections`) are 1–100:
/// the one clamp of both.
pub fn telegram_count(n: u32) -> u8 {
    // 1..=100 fits in a u8.
    n.clamp(1, 100) as u8
}

fn required_text(value: Option<String>, name: &str) -> Result<String, SendError> {
    value
        .filter(|v| !v.is_empty())
        .ok_or_else(|| invalid(format!("{name} is required")))
}

/// The token for a `*Config::new`, which holds it as a secret again.
fn required_token(value: Option<SecretString>, name: &str) -> Result<String, SendError> {
    value
        .map(|v| v.expose_secret().to_owned())
        .filter(|v| !v.is_empty())
        .ok_or_else(|| invalid(format!("{name} is required")))
}

/// HTTP settings in plain units: seconds as numbers, the guarantee by name.
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(default)]
pub struct HttpSpec {
    /// Whole-request timeout in seconds (default 30).
    pub timeout: Option<f64>,
    /// Requests at most per call, the first included (default 4; 0 counts as 1).
    pub max_attempts: Option<u32>,
    /// Backoff before the first retry in seconds (default 0.5).
    pub retry_base_delay: Option<f64>,
    /// `"at_most_once"` (default) or `"at_least_once"`.
    pub guarantee: Option<String>,
}

impl HttpSpec {
    /// As [`HttpOptions`] (seconds checked), for a client with other defaults.
    pub fn options(&self) -> Result<HttpOptions, SendError> {
        Ok(HttpOptions {
            timeout: seconds(self.timeout, "timeout")?,
            max_attempts: self.max_attempts,
            retry_base_delay: seconds(self.retry_base_delay, "retry_base_delay")?,
            guarantee: self.guarantee.clone(),
        })
    }

    /// The [`HttpConfig`], defaults filled in.
    pub fn build(&self) -> Result<HttpConfig, SendError> {
        self.options()?.build()
    }
}

/// Where a Graph API client sends: both default to production.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(default)]
pub struct GraphEndpoint {
    /// The API root (default `https://graph.facebook.com`), or a test server.
    pub api_base: Option<String>,
    /// Graph API version (default [`DEFAULT_GRAPH_VERSION`](super::DEFAULT_GRAPH_VERSION)).
    pub graph_version: Option<String>,
}

impl GraphEndpoint {
    fn apply(self, api_base: &mut String, graph_version: &mut String) {
        if let Some(base) = self.api_base {
            *api_base = base;
        }
        if let Some(version) = self.graph_version {
            *graph_version = version;
        }
    }
}

/// A [`WhatsAppClient`] as plain values.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct WhatsAppSpec {
    /// A system-user or business access token (required).
    pub access_token: Option<SecretString>,
    /// The sending business phone number's id (required).
    pub phone_number_id: Option<String>,
    /// API root and version.
    #[serde(flatten)]
    pub endpoint: GraphEndpoint,
    /// Timeouts and retries.
    #[serde(flatten)]
    pub http: HttpSpec,
}

impl WhatsAppSpec {
    /// The config; a missing token or id is `invalid_request`.
    pub fn build(self) -> Result<WhatsAppConfig, SendError> {
        let mut cfg = WhatsAppConfig::new(
            required_token(self.access_token, "access_token")?,
            required_text(self.phone_number_id, "phone_number_id")?,
        );
        self.endpoint
            .apply(&mut cfg.api_base, &mut cfg.graph_version);
        cfg.http = self.http.build()?;
        Ok(cfg)
    }

    /// The client.
    pub fn client(self) -> Result<WhatsAppClient, SendError> {
        WhatsAppClient::new(self.build()?)
    }
}

/// A [`MessengerClient`] (Messenger or Instagram) as plain values.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct MessengerSpec {
    /// `"messenger"` (default) or `"instagram"`.
    pub channel: Option<String>,
    /// The page access token (required).
    pub access_token: Option<SecretString>,
    /// Messenger: the page id (Instagram takes it when `account_id` is absent).
    pub page_id: Option<String>,
    /// Instagram: the professional account id (Messenger takes it when `page_id` is
    /// absent).
    pub account_id: Option<String>,
    /// API root and version.
    #[serde(flatten)]
    pub endpoint: GraphEndpoint,
    /// Timeouts and retries.
    #[serde(flatten)]
    pub http: HttpSpec,
}

impl MessengerSpec {
    /// The config; a missing token or id, or another channel, is `invalid_request`.
    pub fn build(self) -> Result<MessengerConfig, SendError> {
        let channel = match self.channel.as_deref() {
            None => Channel::Messenger,
            Some(name) => name.parse::<Channel>()?,
        };
        let token = required_token(self.access_token, "access_token")?;
        let mut cfg = match channel {
            Channel::Messenger => MessengerConfig::messenger(
                token,
                required_text(self.page_id.or(self.account_id), "page_id")?,
            ),
            Channel::Instagram => MessengerConfig::instagram(
                token,
                required_text(self.account_id.or(self.page_id), "account_id")?,
            ),
            other => {
                return Err(invalid(format!(
                    "channel must be 'messenger' or 'instagram', not {:?}",
                    other.as_str()
                )))
            }
        };
        self.endpoint
            .apply(&mut cfg.api_base, &mut cfg.graph_version);
        cfg.http = self.http.build()?;
        Ok(cfg)
    }

    /// The client.
    pub fn client(self) -> Result<MessengerClient, SendError> {
        MessengerClient::new(self.build()?)
    }
}

/// A [`TelegramClient`] as plain values.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct TelegramSpec {
    /// The bot token (required).
    pub token: Option<SecretString>,
    /// Taken for `token` when that is absent (one options object for every client).
    pub access_token: Option<SecretString>,
    /// `https://api.telegram.org` (default), a local Bot API server, or a test server.
    pub api_base: Option<String>,
    /// Timeouts and retries.
    #[serde(flatten)]
    pub http: HttpSpec,
}

impl TelegramSpec {
    /// The config; a missing token is `invalid_request`.
    pub fn build(self) -> Result<TelegramConfig, SendError> {
        let token = required_token(self.token.or(self.access_token), "token")?;
        let mut cfg = TelegramConfig::new(token);
        if let Some(base) = self.api_base {
            cfg.api_base = base;
        }
        cfg.http = self.http.build()?;
        Ok(cfg)
    }

    /// The client.
    pub fn client(self) -> Result<TelegramClient, SendError> {
        TelegramClient::new(self.build()?)
    }
}

/// A [`ConversionsClient`] as plain values.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct ConversionsSpec {
    /// The access token (required).
    pub access_token: Option<SecretString>,
    /// The dataset (pixel) id events go to (required).
    pub dataset_id: Option<String>,
    /// An Events Manager test code, while testing.
    pub test_event_code: Option<String>,
    /// API root and version.
    #[serde(flatten)]
    pub endpoint: GraphEndpoint,
    /// Timeouts and retries.
    #[serde(flatten)]
    pub http: HttpSpec,
}

impl ConversionsSpec {
    /// The config; a missing token or dataset is `invalid_request`.
    pub fn build(self) -> Result<ConversionsConfig, SendError> {
        let mut cfg = ConversionsConfig::new(
            required_token(self.access_token, "access_token")?,
            required_text(self.dataset_id, "dataset_id")?,
        );
        cfg.test_event_code = self.test_event_code;
        self.endpoint
            .apply(&mut cfg.api_base, &mut cfg.graph_version);
        cfg.http = self.http.build()?;
        Ok(cfg)
    }

    /// The client.
    pub fn client(self) -> Result<ConversionsClient, SendError> {
        ConversionsClient::new(self.build()?)
    }
}

/// Any client's spec, tagged by `"client"`: what `tests/vectors/send_spec.json` holds.
#[derive(Debug, Clone, Deserialize)]
#[serde(tag = "client", rename_all = "snake_case")]
pub enum ClientSpec {
    /// `{"client": "whatsapp", ...}`.
    Whatsapp(WhatsAppSpec),
    /// `{"client": "messenger", ...}` (Messenger or Instagram, by `channel`).
    Messenger(MessengerSpec),
    /// `{"client": "telegram", ...}`.
    Telegram(TelegramSpec),
    /// `{"client": "conversions", ...}`.
    Conversions(ConversionsSpec),
}

impl ClientSpec {
    /// The effective settings of the client this spec builds.
    pub fn settings(self) -> Result<ClientSettings, SendError> {
        Ok(match self {
            ClientSpec::Whatsapp(s) => s.client()?.settings(),
            ClientSpec::Messenger(s) => s.client()?.settings(),
            ClientSpec::Telegram(s) => s.client()?.settings(),
            ClientSpec::Conversions(s) => s.client()?.settings(),
        })
    }
}

/// `getUpdates` options as plain values.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(default)]
pub struct PollSpec {
    /// The first update id to fetch.
    pub offset: Option<i64>,
    /// Long-poll wait in seconds (default 30).
    pub timeout: Option<u32>,
    /// Updates per request (default 100, clamped to 1–100).
    pub limit: Option<u32>,
    /// Update kinds to receive (default: Telegram's).
    pub allowed_updates: Option<Vec<String>>,
}

impl PollSpec {
    /// The [`PollOptions`], defaults filled in and the limit clamped.
    pub fn build(self) -> PollOptions {
        let defaults = PollOptions::default();
        PollOptions {
            offset: self.offset,
            timeout_secs: self.timeout.unwrap_or(defaults.timeout_secs),
            allowed_updates: self.allowed_updates.unwrap_or_default(),
            limit: self.limit.map_or(defaults.limit, telegram_count),
        }
    }
}

/// `setWebhook` options as plain values.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct WebhookSpec {
    /// The HTTPS URL Telegram posts updates to.
    pub url: String,
    /// Sent back in `X-Telegram-Bot-Api-Secret-Token`.
    pub secret_token: Option<SecretString>,
    /// Update kinds to receive (default: Telegram's).
    pub allowed_updates: Option<Vec<String>>,
    /// Drop updates queued while no webhook was set (default false).
    pub drop_pending_updates: Option<bool>,
    /// Concurrent connections Telegram may open (default Telegram's 40; clamped to 1–100).
    pub max_connections: Option<u32>,
}

impl WebhookSpec {
    /// The [`WebhookSettings`], the connection count clamped.
    pub fn build(self) -> WebhookSettings {
        WebhookSettings {
            url: self.url,
            secret_token: self.secret_token,
            allowed_updates: self.allowed_updates.unwrap_or_default(),
            drop_pending_updates: self.drop_pending_updates.unwrap_or(false),
            max_connections: self.max_connections.map(telegram_count),
        }
    }
}

/// An answer to a contact, checked by [`preflight`](crate::outbound::preflight) before
/// it is delivered: what `reply` in every binding takes. No stored
/// [`Conversation`](arichat_core::Conversation) is needed: the channel, the contact and
/// when they last wrote are what the checks read.
///
/// ```
/// use arichat_channels::client::ReplyRequest;
/// let req: ReplyRequest = serde_json::from_str(
///     r#"{"channel": "messenger", "recipient": "psid-1", "message": {"type": "text", "body": "hola"}, "tag": "HUMAN_AGENT"}"#,
/// ).unwrap();
/// assert_eq!(req.contact(), "psid-1"); // the recipient unless `contact_id` says otherwise
/// ```
#[derive(Debug, Clone, Deserialize)]
pub struct ReplyRequest {
    /// The conversation's channel; it must be the client's.
    pub channel: Channel,
    /// Who receives it: wa_id, PSID / IGSID, or chat id.
    pub recipient: String,
    /// The contact as the consent ledger knows it (default: the recipient).
    #[serde(default)]
    pub contact_id: Option<String>,
    /// When the contact last wrote (opens the 24-hour window); `None` if never.
    #[serde(default)]
    pub last_inbound_at: Option<DateTime<Utc>>,
    /// The message.
    pub message: Outbound,
    /// The time of the checks (default: now).
    #[serde(default)]
    pub now: Option<DateTime<Utc>>,
    /// The consent ledger, consulted for marketing sends.
    #[serde(default)]
    pub consent: Option<ConsentLedger>,
    /// Messenger/Instagram message tag for a closed window.
    #[serde(default)]
    pub tag: Option<MessageTag>,
    /// The send is marketing, whatever its form.
    #[serde(default)]
    pub marketing: bool,
    /// A proactive message (Messenger `UPDATE`) rather than an answer.
    #[serde(default)]
    pub proactive: bool,
}

impl ReplyRequest {
    /// The contact the consent ledger is asked about.
    pub fn contact(&self) -> &str {
        self.contact_id.as_deref().unwrap_or(&self.recipient)
    }

    /// A WhatsApp recipient given by BSUID has no phone the send can use: an
    /// authentication template to them is refused (`phone_required`) before any
    /// request, as Meta would (error 131062).
    ///
    /// ```
    /// use arichat_channels::client::ReplyRequest;
    /// let req = |to: &str| -> ReplyRequest { serde_json::from_value(serde_json::json!(
    ///     {"channel": "whatsapp", "recipient": to, "message": {"type": "text", "body": "hola"}})).unwrap() };
    /// assert!(req("US.13491208655302741918").reaches_no_phone());
    /// assert!(!req("5215512345678").reaches_no_phone());
    /// ```
    pub fn reaches_no_phone(&self) -> bool {
        self.channel == Channel::Whatsapp
            && matches!(
                crate::whatsapp_send::Recipient::individual(&self.recipient),
                crate::whatsapp_send::Recipient::User(_)
            )
    }

    /// The checks `send` runs, without sending: how the message would go out, or why
    /// it may not. What a UI asks before offering a free-form reply.
    ///
    /// # Errors
    /// The [`PolicyError`](crate::outbound::PolicyError) `send` would fail with.
    ///
    /// ```
    /// use arichat_channels::client::ReplyRequest;
    /// use arichat_channels::outbound::Delivery;
    /// let req: ReplyRequest = serde_json::from_value(serde_json::json!({"channel": "whatsapp",
    ///     "recipient": "573001234567", "last_inbound_at": "2026-03-01T10:00:00Z",
    ///     "now": "2026-03-02T11:00:00Z", "message": {"type": "text", "body": "hola"}})).unwrap();
    /// assert_eq!(req.preflight().unwrap_err().code(), "outside_window");
    /// ```
    pub fn preflight(&self) -> Result<Delivery, PolicyError> {
        let contact = ContactId::new(self.contact());
        let policy = self.policy();
        preflight_thread(
            &self.thread(&contact),
            &self.message,
            &self.context(&policy),
        )
    }

    /// Checks the send and, when allowed, delivers it through `client`.
    pub async fn send<C: ChannelClient + ?Sized>(
        &self,
        client: &C,
    ) -> Result<SendReceipt, SendError> {
        let contact = ContactId::new(self.contact());
        let policy = self.policy();
        client
            .reply_thread(
                self.thread(&contact),
                &self.recipient,
                &self.message,
                &self.context(&policy),
            )
            .await
    }

    fn thread<'c>(&self, contact: &'c ContactId) -> Thread<'c> {
        Thread {
            channel: self.channel,
            contact,
            last_inbound_at: self.last_inbound_at,
        }
    }

    fn policy(&self) -> SendPolicy {
        SendPolicy {
            now: self.now.unwrap_or_else(Utc::now),
            consent: None,
            tag: self.tag,
            marketing: self.marketing,
            proactive: self.proactive,
        }
    }

    /// The checks' context: the policy, the request's ledger, and no phone for a
    /// WhatsApp user reached by BSUID.
    fn context<'p>(&'p self, policy: &'p SendPolicy) -> SendContext<'p> {
        let mut ctx = policy.context();
        if let Some(ledger) = &self.consent {
            ctx = ctx.with_consent(ledger);
        }
        if self.reaches_no_phone() {
            ctx = ctx.without_phone();
        }
        ctx
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn http_defaults_and_clamps_are_decided_here() {
        let http = HttpSpec::default().build().unwrap();
        assert_eq!(http, HttpConfig::default());
        let zero = HttpSpec {
            max_attempts: Some(0),
            ..HttpSpec::default()
        };
        assert_eq!(zero.build().unwrap().retry.max_attempts, 1);
        let negative = HttpSpec {
            timeout: Some(-1.0),
            ..HttpSpec::default()
        };
        assert_eq!(negative.build().unwrap_err().code(), "invalid_request");
    }

    #[test]
    fn telegram_counts_are_clamped_to_1_100() {
        assert_eq!(
            [0, 1, 50, 100, 101, u32::MAX].map(telegram_count),
            [1, 1, 50, 100, 100, 100]
        );
        let poll = PollSpec::default().build();
        assert_eq!(poll, PollOptions::default());
        let poll = PollSpec {
            limit: Some(500),
            ..PollSpec::default()
        };
        assert_eq!(poll.build().limit, 100);
        let hook = WebhookSpec {
            max_connections: Some(0),
            ..WebhookSpec::default()
        };
        assert_eq!(hook.build().max_connections, Some(1));
    }

    #[test]
    fn messenger_spec_picks_the_channel_and_its_id() {
        let ig = MessengerSpec {
            channel: Some("instagram".into()),
            access_token: Some("t".into()),
            page_id: Some("page".into()),
            ..MessengerSpec::default()
        };
        let cfg = ig.build().unwrap();
        assert_eq!(
            (cfg.channel, cfg.account_id.as_str()),
            (Channel::Instagram, "page")
        );
        let tg = MessengerSpec {
            channel: Some("telegram".into()),
            access_token: Some("t".into()),
            page_id: Some("p".into()),
            ..MessengerSpec::default()
        };
        assert_eq!(tg.build().unwrap_err().code(), "invalid_request");
    }

    #[test]
    fn a_blank_token_is_missing_and_never_echoed() {
        let spec = TelegramSpec {
            token: Some("".into()),
            ..TelegramSpec::default()
        };
        let err = spec.build().unwrap_err();
        assert_eq!(err.to_string(), "invalid request: token is required");
    }
}
