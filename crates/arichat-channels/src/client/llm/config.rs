//! Settings of a [`ChatCompletionsClient`](super::ChatCompletionsClient).

use std::time::Duration;

use secrecy::SecretString;

use crate::client::{HttpConfig, HttpOptions, RetryPolicy, SendError};

/// Where and how to ask an OpenAI-compatible chat-completions API. `Debug` shows no
/// key.
///
/// The defaults suit a classifier that sits in front of a reply: 10 s per request and
/// 3 attempts (a user is waiting, and the local answer is there to fall back on).
///
/// ```
/// use std::time::Duration;
/// use arichat_channels::client::{ChatCompletionsConfig, HttpOptions};
/// let cfg = ChatCompletionsConfig::new("https://api.openai.com/v1", "gpt-4o-mini", "sk-test");
/// assert_eq!(cfg.http.timeout, Duration::from_secs(10));
/// assert!(!format!("{cfg:?}").contains("sk-test"));
/// let cfg = cfg.with_options(&HttpOptions { max_attempts: Some(1), ..HttpOptions::default() }).unwrap();
/// assert_eq!(cfg.http.retry.max_attempts, 1);
/// ```
#[derive(Debug, Clone)]
pub struct ChatCompletionsConfig {
    /// The API base, up to and without `/chat/completions` (`https://api.openai.com/v1`,
    /// a local vLLM or Ollama `http://localhost:11434/v1`).
    pub base_url: String,
    /// The model name sent in each request; also part of the cache key.
    pub model: String,
    /// Sent as `Authorization: Bearer`; scrubbed from every error.
    pub api_key: SecretString,
    /// Timeouts and retries.
    pub http: HttpConfig,
}

impl ChatCompletionsConfig {
    /// Settings with the defaults above.
    pub fn new(
        base_url: impl Into<String>,
        model: impl Into<String>,
        api_key: impl Into<String>,
    ) -> Self {
        ChatCompletionsConfig {
            base_url: base_url.into(),
            model: model.into(),
            api_key: SecretString::from(api_key.into()),
            http: HttpConfig {
                timeout: Duration::from_secs(10),
                retry: RetryPolicy {
                    max_attempts: 3,
                    max_retry_after: Duration::from_secs(10),
                    ..RetryPolicy::default()
                },
                ..HttpConfig::default()
            },
        }
    }

    /// These settings with a binding's options applied; an unknown guarantee is
    /// [`SendError::InvalidRequest`] (classification repeats safely, so the guarantee
    /// changes nothing here).
    pub fn with_options(mut self, options: &HttpOptions) -> Result<Self, SendError> {
        self.http = options.apply_to(self.http)?;
        Ok(self)
    }
}
