//! Mattermost REST API v4 client: thread replies, reactions, attached files.

use arichat_core::Channel;
use secrecy::{ExposeSecret, SecretString};
use serde::{Deserialize, Serialize};
use tokio::sync::OnceCell;

use super::config::HttpConfig;
use super::error::SendError;
use super::rate_limit::RateLimits;
use super::settings::ClientSettings;
use super::transport::{Call, Transport};
use super::vendor_error;

/// Settings of a [`MattermostClient`]. `Debug` shows no token.
#[derive(Debug, Clone)]
pub struct MattermostConfig {
    /// The bot's personal access token (sent as `Authorization: Bearer …`; arichat
    /// never prints it).
    pub token: SecretString,
    /// The server, e.g. `https://chat.example.com` (without `/api/v4`).
    pub server_url: String,
    /// The bot's user id, which a reaction names; `None` asks the server once
    /// (`GET /api/v4/users/me`).
    pub bot_user_id: Option<String>,
    /// Timeouts, retries, rate limits (default [`RateLimits::MATTERMOST`]).
    pub http: HttpConfig,
}

impl MattermostConfig {
    /// Settings for a bot on `server_url`.
    pub fn new(server_url: impl Into<String>, token: impl Into<String>) -> Self {
        MattermostConfig {
            token: SecretString::from(token.into()),
            server_url: server_url.into(),
            bot_user_id: None,
            http: HttpConfig::default(),
        }
    }
}

/// A post the server created.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[non_exhaustive]
pub struct MattermostPost {
    /// The post id.
    pub id: String,
    /// The channel.
    #[serde(default)]
    pub channel_id: String,
    /// The thread's root post (empty for a root post).
    #[serde(default)]
    pub root_id: String,
    /// Creation time, epoch milliseconds.
    #[serde(default)]
    pub create_at: i64,
}

#[derive(Serialize)]
struct NewPost<'a> {
    channel_id: &'a str,
    message: &'a str,
    #[serde(skip_serializing_if = "str::is_empty")]
    root_id: &'a str,
}

#[derive(Serialize)]
struct NewReaction<'a> {
    user_id: &'a str,
    post_id: &'a str,
    emoji_name: &'a str,
}

#[derive(Deserialize)]
struct Me {
    id: String,
}

/// A Mattermost bot: answers in a post's thread, reacts to it, downloads its files.
///
/// ```no_run
/// # async fn run() -> Result<(), arichat_channels::client::SendError> {
/// use arichat_channels::client::{MattermostClient, MattermostConfig};
/// let mm = MattermostClient::new(MattermostConfig::new("https://chat.example.com", "bot-token"))?;
/// mm.reply_in_thread("channel-id", "post-id", "Venta registrada").await?;
/// mm.add_reaction("post-id", "white_check_mark").await?;
/// let receipt: Vec<u8> = mm.download_file("file-id").await?;
/// # Ok(()) }
/// ```
#[derive(Debug)]
pub struct MattermostClient {
    config: MattermostConfig,
    transport: Transport,
    bot_user_id: OnceCell<String>,
}

impl MattermostClient {
    /// A client; fails only when the HTTP client cannot be built.
    pub fn new(config: MattermostConfig) -> Result<Self, SendError> {
        let transport = Transport::new(
            Channel::Mattermost,
            &config.http,
            RateLimits::MATTERMOST,
            vec![config.token.clone()],
            vendor_error::mattermost,
        )?;
        let bot_user_id = OnceCell::new_with(config.bot_user_id.clone());
        Ok(MattermostClient {
            config,
            transport,
            bot_user_id,
        })
    }

    /// What this client will do, without its token.
    pub fn settings(&self) -> ClientSettings {
        ClientSettings::new(
            "mattermost",
            None,
            &self.config.server_url,
            None,
            &self.config.http,
        )
    }

    fn url(&self, path: &str) -> String {
        format!(
            "{}/api/v4/{path}",
            self.config.server_url.trim_end_matches('/')
        )
    }

    fn auth(&self) -> String {
        format!("Bearer {}", self.config.token.expose_secret())
    }

    /// `POST /api/v4/posts`: `message` in `channel_id`, in the thread of `root_id`
    /// (the post that triggered the hook; `""` for a new root post). A send: not
    /// repeated when it may have reached the server (see [`SendGuarantee`](super::SendGuarantee)).
    ///
    /// # Errors
    /// [`SendError`], never with the token.
    pub async fn reply_in_thread(
        &self,
        channel_id: &str,
        root_id: &str,
        message: &str,
    ) -> Result<MattermostPost, SendError> {
        let body = NewPost {
            channel_id,
            message,
            root_id,
        };
        let (url, auth) = (self.url("posts"), self.auth());
        self.transport
            .execute_json(Call::send("create_post", channel_id), |http| {
                http.post(&url).header("Authorization", &auth).json(&body)
            })
            .await
    }

    /// `POST /api/v4/reactions`: the bot reacts to `post_id` with `emoji_name`
    /// (`white_check_mark` for ✅, without colons). Repeating it is harmless.
    ///
    /// # Errors
    /// [`SendError`], never with the token.
    pub async fn add_reaction(&self, post_id: &str, emoji_name: &str) -> Result<(), SendError> {
        let user_id = self.bot_user_id().await?;
        let body = NewReaction {
            user_id,
            post_id,
            emoji_name: emoji_name.trim_matches(':'),
        };
        let (url, auth) = (self.url("reactions"), self.auth());
        self.transport
            .execute(Call::other("add_reaction"), |http| {
                http.post(&url).header("Authorization", &auth).json(&body)
            })
            .await?;
        Ok(())
    }

    /// `GET /api/v4/files/{file_id}`: the bytes of an attached file (a hook's
    /// `file_ids`).
    ///
    /// # Errors
    /// [`SendError`], never with the token.
    pub async fn download_file(&self, file_id: &str) -> Result<Vec<u8>, SendError> {
        let (url, auth) = (self.url(&format!("files/{file_id}")), self.auth());
        self.transport
            .execute(Call::other("get_file"), |http| {
                http.get(&url).header("Authorization", &auth)
            })
            .await
    }

    /// The bot's user id: configured, or asked once.
    async fn bot_user_id(&self) -> Result<&str, SendError> {
        self.bot_user_id
            .get_or_try_init(|| async {
                let (url, auth) = (self.url("users/me"), self.auth());
                let me: Me = self
                    .transport
                    .execute_json(Call::other("get_me"), |http| {
                        http.get(&url).header("Authorization", &auth)
                    })
                    .await?;
                Ok(me.id)
            })
            .await
            .map(String::as_str)
    }
}
