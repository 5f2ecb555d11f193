//! The one error type of the example bot.

use arichat_channels::client::SendError;
use arichat_channels::ChannelError;
use arichat_core::CoreError;
use arichat_deals::DealsError;

/// What can stop the bot or one hook. Messages never hold a token, a password or a
/// database URL (the errors wrapped are secret-free, and configuration errors name the
/// variable, never its value).
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum BotError {
    /// A setting is missing or wrong.
    #[error("configuration: {0}")]
    Config(String),
    /// The commission rules or the grammar refused the input.
    #[error(transparent)]
    Core(#[from] CoreError),
    /// A hook that does not parse or a token that is not accepted.
    #[error(transparent)]
    Channel(#[from] ChannelError),
    /// The Mattermost API failed (download, reply, reaction); boxed, being large.
    #[error(transparent)]
    Mattermost(Box<SendError>),
    /// PostgreSQL or Tesseract failed.
    #[error(transparent)]
    Deals(#[from] DealsError),
    /// The listening socket.
    #[error("listening: {0}")]
    Io(#[from] std::io::Error),
}

impl From<SendError> for BotError {
    fn from(e: SendError) -> Self {
        BotError::Mattermost(Box::new(e))
    }
}

impl BotError {
    /// A stable snake_case code: the wrapped error's, or `config` / `io`.
    pub fn code(&self) -> &'static str {
        match self {
            BotError::Config(_) => "config",
            BotError::Core(e) => e.code(),
            BotError::Channel(e) => e.code(),
            BotError::Mattermost(e) => e.code(),
            BotError::Deals(e) => e.code(),
            BotError::Io(_) => "io",
        }
    }
}
