//! The LLM intent cascade ([`arichat_channels::client::IntentCascade`]) as a JS class
//! whose `classify` returns a Promise. The local classifier is the built-in one
//! `classify` uses; the backend any OpenAI-compatible chat-completions API. The
//! Promise never rejects: a failing backend leaves the local answer, and the result
//! says so.

use std::sync::Arc;
use std::time::Duration;

use arichat_channels::client::{
    CascadeConfig, CascadeResult as RsResult, ChatCompletionsClient, ChatCompletionsConfig,
    HttpOptions, IntentCascade as Cascade, LlmError,
};
use arichat_core::intent::HybridClassifier;
use arichat_core::ErrorClass;
use napi::bindgen_prelude::PromiseRaw;
use napi::Env;
use napi_derive::napi;

use crate::intent::{to_js, Classification};
use crate::{ErrorCode, Result};

/// How an `IntentCascade` is built. Unset numbers take the Rust defaults.
#[napi(object)]
pub struct IntentCascadeOptions {
    /// The API base without `/chat/completions` (`https://api.openai.com/v1`).
    pub base_url: String,
    /// The model name.
    pub model: String,
    /// The API key (never in an error or a result).
    pub api_key: String,
    /// Whole-request timeout in milliseconds (default 10000).
    pub timeout_ms: Option<u32>,
    /// Requests at most per message, the first included (default 3).
    pub max_attempts: Option<u32>,
    /// Backoff before the first retry in milliseconds (default 500).
    pub retry_base_delay_ms: Option<u32>,
    /// Backend requests per tenant per window (default 1000).
    pub budget_requests: Option<u32>,
    /// The budget window in milliseconds (default one hour).
    pub budget_window_ms: Option<u32>,
    /// Backend answers kept (default 10000; 0: no cache).
    pub cache_size: Option<u32>,
    /// Also ask the backend when the local confidence is below this (default: only
    /// when the local result is uncertain).
    pub escalate_below: Option<f64>,
}

/// Why the backend was wanted but did not answer.
#[napi(object)]
pub struct CascadeFallback {
    /// `"budget_exhausted"`, `"timeout"`, `"rate_limited"`, `"invalid_label"`, ...
    pub code: String,
    /// A sentence for logs (no key, no message text).
    pub message: String,
}

/// A classification and who gave it.
#[napi(object)]
pub struct CascadeResult {
    /// The answer.
    pub classification: Classification,
    /// Who answered.
    #[napi(ts_type = "'local' | 'llm' | 'cache'")]
    pub source: String,
    /// Set when the backend was wanted and did not answer: the local answer stands.
    pub fallback: Option<CascadeFallback>,
}

fn llm_error(err: LlmError) -> napi::Error<ErrorCode> {
    // An LLM backend's error has no class of its own.
    napi::Error::new(
        ErrorCode::arichat(ErrorClass::ArichatError, err.code()),
        err,
    )
}

fn to_result(text: &str, r: RsResult) -> CascadeResult {
    CascadeResult {
        classification: to_js(text, &r.classification),
        source: r.source.as_str().to_owned(),
        fallback: r.fallback.map(|f| CascadeFallback {
            code: f.code().to_owned(),
            message: f.message(),
        }),
    }
}

/// The built-in classifier first, an OpenAI-compatible LLM for what it is unsure of,
/// within a per-tenant budget and through a cache; contact data masked before a
/// request leaves.
#[napi]
pub struct IntentCascade {
    inner: Arc<Cascade>,
}

#[napi]
impl IntentCascade {
    /// Throws `invalid_request` when the HTTP client cannot be built.
    #[napi(constructor)]
    pub fn new(options: IntentCascadeOptions) -> Result<Self> {
        let ms = |v: Option<u32>| v.map(|ms| Duration::from_millis(u64::from(ms)));
        let http = HttpOptions {
            timeout: ms(options.timeout_ms),
            max_attempts: options.max_attempts,
            retry_base_delay: ms(options.retry_base_delay_ms),
            guarantee: None,
        };
        let config = ChatCompletionsConfig::new(options.base_url, options.model, options.api_key)
            .with_options(&http)
            .map_err(|e| llm_error(e.into()))?;
        let client = ChatCompletionsClient::new(config).map_err(llm_error)?;
        let settings = CascadeConfig::from_options(
            options.budget_requests,
            ms(options.budget_window_ms),
            options.cache_size.map(|n| n as usize),
            options.escalate_below.map(|v| v as f32),
        );
        let local = Arc::new(HybridClassifier::new());
        Ok(IntentCascade {
            inner: Arc::new(Cascade::new(local, client, settings)),
        })
    }

    /// Classifies `text` for `tenant`; never rejects.
    #[napi(ts_return_type = "Promise<CascadeResult>")]
    pub fn classify<'env>(
        &self,
        env: &'env Env,
        tenant: String,
        text: String,
    ) -> napi::Result<PromiseRaw<'env, CascadeResult>> {
        let inner = Arc::clone(&self.inner);
        env.spawn_future_with_callback(
            async move {
                let r = inner.classify(&tenant, &text).await;
                Ok((text, r))
            },
            |_, (text, r)| Ok(to_result(&text, r)),
        )
    }
}
