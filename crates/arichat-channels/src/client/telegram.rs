//! Telegram Bot API client: sends, callback answers, edits, long polling, webhooks, files.

use std::collections::VecDeque;
use std::time::Duration;

use arichat_core::Channel;
use futures_util::stream::{self, Stream};
use secrecy::{ExposeSecret, SecretString};
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use serde_json::{json, Value};

use super::business::BusinessChats;
use super::config::HttpConfig;
use super::error::SendError;
use super::rate_limit::RateLimits;
use super::settings::ClientSettings;
use super::transport::{Call, Transport};
use super::vendor_error;
use crate::outbound::{MediaKind, MediaMessage, MediaSource, Outbound};
use crate::telegram_send::{chat_id, inline_keyboard, message_request};

/// `https://api.telegram.org`.
pub const TELEGRAM_API_BASE: &str = "https://api.telegram.org";

/// Settings of a [`TelegramClient`]. `Debug` shows no token.
#[derive(Debug, Clone)]
pub struct TelegramConfig {
    /// The bot token from @BotFather (it sits in every request path; arichat never
    /// prints it).
    pub token: SecretString,
    /// `https://api.telegram.org`, a local Bot API server, or a test server.
    pub api_base: String,
    /// Timeouts, retries, rate limits (default: 30/s per bot, 1/s per chat).
    pub http: HttpConfig,
}

impl TelegramConfig {
    /// Production settings for a bot.
    pub fn new(token: impl Into<String>) -> Self {
        TelegramConfig {
            token: SecretString::from(token.into()),
            api_base: TELEGRAM_API_BASE.to_owned(),
            http: HttpConfig::default(),
        }
    }
}

/// Text formatting of a message.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum ParseMode {
    /// `MarkdownV2`.
    MarkdownV2,
    /// `HTML`.
    #[serde(rename = "HTML")]
    Html,
}

/// An inline keyboard button: `(callback_data, text)`.
pub type InlineButton = (String, String);

/// A `sendMessage` call with its options.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct SendMessage {
    /// Chat id (numeric) or `@channelusername`.
    pub chat_id: String,
    /// The text.
    pub text: String,
    /// Formatting.
    pub parse_mode: Option<ParseMode>,
    /// Inline keyboard rows.
    pub inline_keyboard: Vec<Vec<InlineButton>>,
    /// Reply to this message id.
    pub reply_to: Option<i64>,
    /// Render link previews.
    pub link_preview: bool,
}

/// A message Telegram accepted.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct SentTelegram {
    /// Its id in the chat.
    pub message_id: i64,
    /// When Telegram stored it (Unix time).
    #[serde(default)]
    pub date: i64,
}

/// A file on Telegram's servers (`getFile`).
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct TelegramFile {
    /// Its id.
    pub file_id: String,
    /// Stable id across bots.
    #[serde(default)]
    pub file_unique_id: String,
    /// Size in bytes.
    #[serde(default)]
    pub file_size: Option<u64>,
    /// Path for [`TelegramClient::download_file`] (valid for at least an hour).
    #[serde(default)]
    pub file_path: Option<String>,
}

/// A file to send: an existing `file_id` or URL, or bytes to upload.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum InputFile {
    /// A `file_id` or an HTTP URL Telegram fetches.
    Remote(String),
    /// Bytes uploaded in the request.
    Upload {
        /// File contents.
        bytes: Vec<u8>,
        /// File name.
        filename: String,
    },
}

/// `setWebhook` options.
#[derive(Debug, Clone)]
pub struct WebhookSettings {
    /// The HTTPS URL Telegram posts updates to.
    pub url: String,
    /// Sent back in `X-Telegram-Bot-Api-Secret-Token` (check it with
    /// [`verify_telegram_secret`](crate::verify::verify_telegram_secret)).
    pub secret_token: Option<SecretString>,
    /// Update kinds to receive (empty: Telegram's default).
    pub allowed_updates: Vec<String>,
    /// Drop updates queued while no webhook was set.
    pub drop_pending_updates: bool,
    /// Concurrent connections Telegram may open (1–100).
    pub max_connections: Option<u8>,
}

/// Options of [`TelegramClient::updates`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PollOptions {
    /// The first update id to fetch (`None`: whatever Telegram kept).
    pub offset: Option<i64>,
    /// Long-poll wait in seconds per request.
    pub timeout_secs: u32,
    /// Update kinds to receive (empty: Telegram's default).
    pub allowed_updates: Vec<String>,
    /// Updates per request (1–100).
    pub limit: u8,
}

impl Default for PollOptions {
    fn default() -> Self {
        PollOptions {
            offset: None,
            timeout_secs: 30,
            allowed_updates: Vec::new(),
            limit: 100,
        }
    }
}

/// Telegram Bot API client for one bot.
///
/// ```no_run
/// # async fn run() -> Result<(), arichat_channels::client::SendError> {
/// use arichat_channels::client::{TelegramClient, TelegramConfig};
/// let tg = TelegramClient::new(TelegramConfig::new("123456:ABC-DEF"))?;
/// tg.send_text("42", "¡Hola!").await?;
/// # Ok(()) }
/// ```
#[derive(Debug)]
pub struct TelegramClient {
    config: TelegramConfig,
    transport: Transport,
    business: BusinessChats,
}

#[derive(Deserialize)]
struct Envelope<T> {
    ok: bool,
    result: Option<T>,
    #[serde(default)]
    description: String,
}

impl TelegramClient {
    /// A client; fails only when the HTTP client cannot be built.
    pub fn new(config: TelegramConfig) -> Result<Self, SendError> {
        let transport = Transport::new(
            Channel::Telegram,
            &config.http,
            RateLimits::TELEGRAM,
            vec![config.token.clone()],
            vendor_error::telegram,
        )?;
        Ok(TelegramClient {
            config,
            transport,
            business: BusinessChats::default(),
        })
    }

    /// Learns from a normalized event which Telegram Business connection its chat is
    /// answered through; later `send*` calls to that chat carry that
    /// `business_connection_id` unless their body names one. A disabled connection
    /// (`business_connection` opt-out) is forgotten with its chats. Other events are
    /// ignored.
    pub fn observe(&self, event: &arichat_core::Event) {
        self.business.observe(event);
    }

    /// What this client will do, without its token.
    pub fn settings(&self) -> ClientSettings {
        ClientSettings::new(
            "telegram",
            None,
            &self.config.api_base,
            None,
            &self.config.http,
        )
    }

    fn url(&self, method: &str) -> String {
        format!(
            "{}/bot{}/{method}",
            self.config.api_base.trim_end_matches('/'),
            self.config.token.expose_secret()
        )
    }

    fn unwrap<T>(&self, operation: &'static str, env: Envelope<T>) -> Result<T, SendError> {
        match (env.ok, env.result) {
            (true, Some(result)) => Ok(result),
            _ => Err(SendError::MalformedResponse {
                channel: Channel::Telegram,
                operation,
                status: 200,
                reason: self
                    .transport
                    .scrub(&format!("no result in the answer: {}", env.description)),
            }),
        }
    }

    /// Calls a Bot API method with a JSON body and returns its `result`. A `send*`
    /// call to a business chat (see [`TelegramClient::observe`]) gets its
    /// `business_connection_id` when the body names none.
    pub async fn call<T: DeserializeOwned>(
        &self,
        method: &'static str,
        body: &Value,
    ) -> Result<T, SendError> {
        let recipient = body.get("chat_id").map(|c| match c {
            Value::String(s) => s.clone(),
            other => other.to_string(),
        });
        let connection = recipient
            .as_deref()
            .filter(|_| method.starts_with("send") && body.get("business_connection_id").is_none())
            .and_then(|chat| self.business.connection(chat));
        let body = match connection {
            Some(c) => {
                let mut b = body.clone();
                b["business_connection_id"] = c.into();
                std::borrow::Cow::Owned(b)
            }
            None => std::borrow::Cow::Borrowed(body),
        };
        let call = match (&recipient, method.starts_with("send")) {
            (Some(r), true) => Call::send(method, r),
            _ => Call::other(method),
        };
        let url = self.url(method);
        let env: Envelope<T> = self
            .transport
            .execute_json(call, |http| http.post(&url).json(&*body))
            .await?;
        self.unwrap(method, env)
    }

    /// Sends any [`Outbound`] message (templates and reactions are refused).
    pub async fn send(
        &self,
        chat: &str,
        message: &Outbound,
        reply_to: Option<i64>,
    ) -> Result<SentTelegram, SendError> {
        let (method, body) =
            message_request(chat, message, reply_to).map_err(SendError::InvalidRequest)?;
        self.call(method, &body).await
    }

    /// Sends plain text.
    pub async fn send_text(&self, chat: &str, text: &str) -> Result<SentTelegram, SendError> {
        self.send(chat, &Outbound::text(text), None).await
    }

    /// `sendMessage` with formatting, an inline keyboard and a reply.
    pub async fn send_message(&self, msg: &SendMessage) -> Result<SentTelegram, SendError> {
        let mut body = json!({ "chat_id": chat_id(&msg.chat_id), "text": msg.text });
        if let Some(mode) = msg.parse_mode {
            body["parse_mode"] = serde_json::to_value(mode).unwrap_or_default();
        }
        if !msg.inline_keyboard.is_empty() {
            body["reply_markup"] = keyboard(&msg.inline_keyboard);
        }
        if let Some(id) = msg.reply_to {
            body["reply_parameters"] =
                json!({ "message_id": id, "allow_sending_without_reply": true });
        }
        if !msg.link_preview {
            body["link_preview_options"] = json!({ "is_disabled": true });
        }
        self.call("sendMessage", &body).await
    }

    /// `sendPhoto` by file_id/URL or upload.
    pub async fn send_photo(
        &self,
        chat: &str,
        photo: InputFile,
        caption: Option<&str>,
    ) -> Result<SentTelegram, SendError> {
        self.send_file("sendPhoto", "photo", MediaKind::Image, chat, photo, caption)
            .await
    }

    /// `sendDocument` by file_id/URL or upload.
    pub async fn send_document(
        &self,
        chat: &str,
        document: InputFile,
        caption: Option<&str>,
    ) -> Result<SentTelegram, SendError> {
        self.send_file(
            "sendDocument",
            "document",
            MediaKind::Document,
            chat,
            document,
            caption,
        )
        .await
    }

    async fn send_file(
        &self,
        method: &'static str,
        field: &'static str,
        kind: MediaKind,
        chat: &str,
        file: InputFile,
        caption: Option<&str>,
    ) -> Result<SentTelegram, SendError> {
        match file {
            InputFile::Remote(id) => {
                let message = Outbound::Media(MediaMessage {
                    kind,
                    source: MediaSource::Id(id),
                    caption: caption.map(str::to_owned),
                    filename: None,
                });
                self.send(chat, &message, None).await
            }
            InputFile::Upload { bytes, filename } => {
                let url = self.url(method);
                let env: Envelope<SentTelegram> = self
                    .transport
                    .execute_json(Call::send(method, chat), |http| {
                        let mut form =
                            reqwest::multipart::Form::new().text("chat_id", chat.to_owned());
                        if let Some(c) = self.business.connection(chat) {
                            form = form.text("business_connection_id", c);
                        }
                        form = form.part(
                            field,
                            reqwest::multipart::Part::bytes(bytes.clone())
                                .file_name(filename.clone()),
                        );
                        if let Some(c) = caption {
                            form = form.text("caption", c.to_owned());
                        }
                        http.post(&url).multipart(form)
                    })
                    .await?;
                self.unwrap(method, env)
            }
        }
    }

    /// Answers a callback query (stops the button's spinner, optionally with a notice).
    pub async fn answer_callback_query(
        &self,
        callback_query_id: &str,
        text: Option<&str>,
        show_alert: bool,
    ) -> Result<(), SendError> {
        let mut body = json!({ "callback_query_id": callback_query_id, "show_alert": show_alert });
        if let Some(t) = text {
            body["text"] = t.into();
        }
        let _: bool = self.call("answerCallbackQuery", &body).await?;
        Ok(())
    }

    /// Replaces the text (and keyboard) of a message the bot sent.
    pub async fn edit_message_text(
        &self,
        chat: &str,
        message_id: i64,
        text: &str,
        parse_mode: Option<ParseMode>,
        inline_keyboard: &[Vec<InlineButton>],
    ) -> Result<(), SendError> {
        let mut body = json!({ "chat_id": chat_id(chat), "message_id": message_id, "text": text });
        if let Some(mode) = parse_mode {
            body["parse_mode"] = serde_json::to_value(mode).unwrap_or_default();
        }
        if !inline_keyboard.is_empty() {
            body["reply_markup"] = keyboard(inline_keyboard);
        }
        // The result is the edited Message (or `true` for inline messages).
        let _: Value = self.call("editMessageText", &body).await?;
        Ok(())
    }

    /// One `getUpdates` long poll: the raw updates, in order.
    pub async fn get_updates(&self, options: &PollOptions) -> Result<Vec<Value>, SendError> {
        let mut body = json!({ "timeout": options.timeout_secs, "limit": options.limit });
        if let Some(offset) = options.offset {
            body["offset"] = offset.into();
        }
        if !options.allowed_updates.is_empty() {
            body["allowed_updates"] = json!(options.allowed_updates);
        }
        let url = self.url("getUpdates");
        // The request waits up to the long-poll timeout before answering.
        let wait = Duration::from_secs(u64::from(options.timeout_secs)) + Duration::from_secs(10);
        let env: Envelope<Vec<Value>> = self
            .transport
            .execute_json(Call::other("getUpdates"), |http| {
                http.post(&url).timeout(wait).json(&body)
            })
            .await?;
        self.unwrap("getUpdates", env)
    }

    /// Long polling as a stream of raw updates (each one a webhook body for
    /// [`normalize`](crate::normalize)). The offset advances past every update
    /// yielded, so each is delivered once; an error is yielded once (after the
    /// client's retries) and polling goes on with the next item.
    pub fn updates(
        &self,
        options: PollOptions,
    ) -> impl Stream<Item = Result<Value, SendError>> + '_ {
        let state = (options, VecDeque::<Value>::new());
        stream::unfold(state, move |(mut options, mut buffer)| async move {
            loop {
                if let Some(update) = buffer.pop_front() {
                    return Some((Ok(update), (options, buffer)));
                }
                match self.get_updates(&options).await {
                    Ok(batch) => {
                        if let Some(last) = batch
                            .iter()
                            .filter_map(|u| u.get("update_id").and_then(Value::as_i64))
                            .max()
                        {
                            options.offset = Some(last + 1);
                        }
                        buffer.extend(batch);
                    }
                    Err(e) => return Some((Err(e), (options, buffer))),
                }
            }
        })
    }

    /// `setWebhook`, with a secret token Telegram sends back on every update.
    pub async fn set_webhook(&self, settings: &WebhookSettings) -> Result<(), SendError> {
        let mut body = json!({
            "url": settings.url,
            "drop_pending_updates": settings.drop_pending_updates,
        });
        if let Some(secret) = &settings.secret_token {
            body["secret_token"] = secret.expose_secret().into();
        }
        if !settings.allowed_updates.is_empty() {
            body["allowed_updates"] = json!(settings.allowed_updates);
        }
        if let Some(n) = settings.max_connections {
            body["max_connections"] = n.into();
        }
        let _: bool = self.call("setWebhook", &body).await?;
        Ok(())
    }

    /// `deleteWebhook` (switch back to long polling).
    pub async fn delete_webhook(&self, drop_pending_updates: bool) -> Result<(), SendError> {
        let body = json!({ "drop_pending_updates": drop_pending_updates });
        let _: bool = self.call("deleteWebhook", &body).await?;
        Ok(())
    }

    /// `getFile`: the path to download a file by.
    pub async fn get_file(&self, file_id: &str) -> Result<TelegramFile, SendError> {
        self.call("getFile", &json!({ "file_id": file_id })).await
    }

    /// Downloads a file by the `file_path` of [`get_file`](Self::get_file).
    pub async fn download_file(&self, file: &TelegramFile) -> Result<Vec<u8>, SendError> {
        let Some(path) = &file.file_path else {
            return Err(SendError::InvalidRequest(
                "the file has no file_path (call get_file first)".into(),
            ));
        };
        let url = format!(
            "{}/file/bot{}/{}",
            self.config.api_base.trim_end_matches('/'),
            self.config.token.expose_secret(),
            path.trim_start_matches('/')
        );
        self.transport
            .execute(Call::other("download_file"), |http| http.get(&url))
            .await
    }
}

fn keyboard(rows: &[Vec<InlineButton>]) -> Value {
    if rows.iter().all(|r| r.len() == 1) {
        return inline_keyboard(rows.iter().flatten().map(|(d, t)| (d.as_str(), t.as_str())));
    }
    let rows: Vec<Value> = rows
        .iter()
        .map(|row| {
            Value::Array(
                row.iter()
                    .map(|(data, text)| json!({ "text": text, "callback_data": data }))
                    .collect(),
            )
        })
        .collect();
    json!({ "inline_keyboard": rows })
}
