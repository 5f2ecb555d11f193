//! The bot's settings: secrets from the environment, the rest from arguments.

use std::path::Path;

use arichat_channels::client::MattermostConfig;
use arichat_channels::verify::MattermostTokens;
use arichat_core::commission::CommissionRules;
use arichat_core::money::Region;
use arichat_deals::Tesseract;
use secrecy::SecretString;

use crate::BotError;

/// Everything a [`Bot`](crate::Bot) needs. `Debug` shows no secret (the database URL
/// holds a password; the tokens are `SecretString`s inside their types).
#[derive(Debug)]
pub struct Config {
    /// `postgres://user:password@host:port/db` (no TLS: loopback or a private network).
    pub database_url: SecretString,
    /// PostgreSQL connections, the most sales recorded at once (at least 1).
    pub connections: usize,
    /// The Mattermost server and the bot's access token.
    pub mattermost: MattermostConfig,
    /// The tokens of the outgoing webhook and of the slash command (several during a
    /// rotation).
    pub hook_tokens: MattermostTokens,
    /// How the team writes amounts; its currency must be the commission rules'.
    pub region: Region,
    /// The commission rules (`examples/sales/commissions.toml`).
    pub rules: CommissionRules,
    /// The OCR binary and languages.
    pub tesseract: Tesseract,
}

/// The environment variables [`Config::from_env`] reads.
pub mod env {
    /// The database; [`POSTGRES_URL`] when unset.
    pub const DATABASE_URL: &str = "DATABASE_URL";
    /// What `scripts/postgres-server.sh` exports.
    pub const POSTGRES_URL: &str = "ARICHAT_POSTGRES_URL";
    /// The Mattermost server, e.g. `https://chat.example.com`.
    pub const MATTERMOST_URL: &str = "MATTERMOST_URL";
    /// The bot account's personal access token.
    pub const BOT_TOKEN: &str = "MATTERMOST_BOT_TOKEN";
    /// The bot account's user id (optional: asked once from `/api/v4/users/me`).
    pub const BOT_USER_ID: &str = "MATTERMOST_BOT_USER_ID";
    /// The outgoing webhook's and the slash command's tokens, comma-separated.
    pub const HOOK_TOKENS: &str = "MATTERMOST_HOOK_TOKENS";
    /// The `tesseract` binary (optional; `tesseract` on `PATH`). scripts/tesseract.sh
    /// exports it.
    pub const TESSERACT: &str = "ARICHAT_TESSERACT";
}

fn var(name: &str) -> Option<String> {
    std::env::var(name).ok().filter(|v| !v.trim().is_empty())
}

fn required(name: &str) -> Result<String, BotError> {
    var(name).ok_or_else(|| BotError::Config(format!("{name} is not set")))
}

impl Config {
    /// Reads the secrets and the server from the environment ([`mod@env`]) and the
    /// commission rules from `commissions`.
    ///
    /// # Errors
    /// [`BotError::Config`] naming a missing variable or an unreadable file (never a
    /// value); the rules' own `invalid_config`.
    pub fn from_env(
        region: Region,
        commissions: &Path,
        connections: usize,
    ) -> Result<Config, BotError> {
        let database_url = var(env::DATABASE_URL)
            .or_else(|| var(env::POSTGRES_URL))
            .ok_or_else(|| {
                BotError::Config(format!(
                    "{} (or {}) is not set",
                    env::DATABASE_URL,
                    env::POSTGRES_URL
                ))
            })?;
        let mut mattermost =
            MattermostConfig::new(required(env::MATTERMOST_URL)?, required(env::BOT_TOKEN)?);
        mattermost.bot_user_id = var(env::BOT_USER_ID);
        let hook_tokens = required(env::HOOK_TOKENS)?;
        let hook_tokens = MattermostTokens::new(hook_tokens.split(',').map(str::trim))?;
        let text = std::fs::read_to_string(commissions)
            .map_err(|e| BotError::Config(format!("reading {}: {e}", commissions.display())))?;
        let rules = CommissionRules::from_toml(&text)?;
        let tesseract = match var(env::TESSERACT) {
            Some(binary) => Tesseract::new().with_binary(binary),
            None => Tesseract::new(),
        };
        Ok(Config {
            database_url: SecretString::from(database_url),
            connections,
            mattermost,
            hook_tokens,
            region,
            rules,
            tesseract,
        })
    }
}
