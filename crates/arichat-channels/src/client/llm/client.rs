//! The OpenAI-compatible chat-completions backend.

use arichat_core::pii_mask::mask_contact_data;
use arichat_core::Channel;
use secrecy::ExposeSecret;

use super::backend::{BackendAnswer, IntentBackend};
use super::config::ChatCompletionsConfig;
use super::error::LlmError;
use super::prompt::{parse_answer, request_body};
use crate::client::transport::{Call, Transport};
use crate::client::vendor_error::{body_excerpt, by_status};
use crate::client::{BoxFuture, VendorError};

/// Classifies a message with a chat-completions model, constrained to the closed
/// intent set.
///
/// ```no_run
/// # async fn run() -> Result<(), arichat_channels::client::LlmError> {
/// use arichat_channels::client::{ChatCompletionsClient, ChatCompletionsConfig};
/// let llm = ChatCompletionsClient::new(ChatCompletionsConfig::new(
///     "https://api.openai.com/v1", "gpt-4o-mini", "sk-...",
/// ))?;
/// let answer = llm.classify("me llegó un SMS que dice \"responda BAJA\", ¿es de ustedes?").await?;
/// println!("{} {}", answer.intent, answer.confidence);
/// # Ok(()) }
/// ```
#[derive(Debug)]
pub struct ChatCompletionsClient {
    config: ChatCompletionsConfig,
    transport: Transport,
}

impl ChatCompletionsClient {
    /// A client; fails only when the HTTP client cannot be built.
    pub fn new(config: ChatCompletionsConfig) -> Result<Self, LlmError> {
        // `LlmError::from` drops the placeholder channel of the transport's errors.
        let transport = Transport::for_service(
            "chat_completions",
            &config.http,
            config.api_key.clone(),
            api_error,
        )?;
        Ok(ChatCompletionsClient { config, transport })
    }

    /// The model asked.
    pub fn model(&self) -> &str {
        &self.config.model
    }

    /// Masks `text` and asks the model for its intent. Retries 429 (after
    /// `Retry-After`), 5xx, timeouts and connection failures as the configured
    /// [`RetryPolicy`](crate::client::RetryPolicy) allows.
    pub async fn classify(&self, text: &str) -> Result<BackendAnswer, LlmError> {
        let body = request_body(&self.config.model, &mask_contact_data(text));
        let url = format!(
            "{}/chat/completions",
            self.config.base_url.trim_end_matches('/')
        );
        let key = self.config.api_key.expose_secret();
        let answer = self
            .transport
            .execute(Call::other("chat_completions"), |http| {
                http.post(&url).bearer_auth(key).json(&body)
            })
            .await?;
        parse_answer(&answer)
    }
}

impl IntentBackend for ChatCompletionsClient {
    fn model(&self) -> &str {
        &self.config.model
    }

    fn classify<'a>(&'a self, text: &'a str) -> BoxFuture<'a, Result<BackendAnswer, LlmError>> {
        Box::pin(ChatCompletionsClient::classify(self, text))
    }
}

#[derive(serde::Deserialize)]
struct ApiErrorEnvelope {
    error: ApiErrorBody,
}

#[derive(serde::Deserialize)]
struct ApiErrorBody {
    #[serde(default)]
    message: String,
}

/// An OpenAI-style error answer (`{"error": {"message", "type", "code"}}`), typed by
/// status: 429 rate limited, 401 invalid key, 5xx temporary.
fn api_error(
    operation: &'static str,
    status: u16,
    body: &[u8],
    retry_after: Option<std::time::Duration>,
) -> VendorError {
    let message = serde_json::from_slice::<ApiErrorEnvelope>(body)
        .map(|e| e.error.message)
        .unwrap_or_else(|_| body_excerpt(body));
    VendorError {
        channel: Channel::Whatsapp,
        operation,
        http_status: status,
        code: None,
        subcode: None,
        message,
        kind: by_status(status),
        retry_after,
        trace_id: None,
    }
}
