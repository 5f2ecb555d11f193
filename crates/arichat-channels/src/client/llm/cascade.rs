//! The local classifier first, the backend for what it is unsure of.

use std::sync::Arc;
use std::time::Duration;

use arichat_core::intent::{Classification, Intent, IntentClassifier, IntentMatch, OptOutSignal};
use arichat_core::pii_mask::mask_contact_data;
use serde::ser::SerializeStruct;
use serde::Serialize;

use super::backend::{BackendAnswer, IntentBackend};
use super::budget::{Budget, Ledger};
use super::cache::{cache_text, AnswerCache};
use super::client::ChatCompletionsClient;
use super::error::LlmError;

arichat_core::named_enum!(
    /// Who gave a [`CascadeResult`]'s classification.
    ///
    /// ```
    /// use arichat_channels::client::Source;
    /// assert_eq!("cache".parse::<Source>().unwrap(), Source::Cache);
    /// ```
    Source, "classification source", "local, llm, cache", {
        /// The local classifier: it was certain, or the backend could not answer (see
        /// [`CascadeResult::fallback`]).
        Local => "local",
        /// The backend, asked for this message.
        Llm => "llm",
        /// The backend's earlier answer to the same text.
        Cache => "cache",
    }
);

/// Why the backend was wanted (the local result was uncertain, or below the bar) but
/// did not answer.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub enum Fallback {
    /// The tenant's [`Budget`] for this window is spent; no request was made.
    BudgetExhausted,
    /// The backend failed: error status, timeout, malformed answer, invented label.
    Backend(LlmError),
}

impl Fallback {
    /// A stable snake_case code: `budget_exhausted`, or the backend error's
    /// [`LlmError::code`].
    pub fn code(&self) -> &'static str {
        match self {
            Fallback::BudgetExhausted => "budget_exhausted",
            Fallback::Backend(e) => e.code(),
        }
    }

    /// A sentence for logs; no key, no message text.
    pub fn message(&self) -> String {
        match self {
            Fallback::BudgetExhausted => "the tenant's LLM budget for this window is spent".into(),
            Fallback::Backend(e) => e.to_string(),
        }
    }
}

/// `{"code", "message"}`.
impl Serialize for Fallback {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut st = s.serialize_struct("Fallback", 2)?;
        st.serialize_field("code", self.code())?;
        st.serialize_field("message", &self.message())?;
        st.end()
    }
}

/// A classification and who gave it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CascadeResult {
    /// The answer. From the backend it is never `uncertain`, keeps the local
    /// `language`, and marks an `opt_out` as [`OptOutSignal::Implicit`] only: no
    /// automation revokes consent on an LLM's word.
    pub classification: Classification,
    /// Who answered.
    pub source: Source,
    /// Set when the backend was wanted and did not answer: the local result stands,
    /// as the local classifier gave it.
    pub fallback: Option<Fallback>,
}

/// Budget and cache of an [`IntentCascade`].
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct CascadeConfig {
    /// Backend requests per tenant per window.
    pub budget: Budget,
    /// Answers kept (0: no cache).
    pub cache_capacity: usize,
    /// Also ask the backend when the local confidence is below this, though the local
    /// classifier is certain: a stricter bar for a tenant that can afford it, or a
    /// local classifier that never reports `uncertain`. `None` (the default): only
    /// uncertain results are escalated.
    pub escalate_below: Option<f32>,
}

impl Default for CascadeConfig {
    /// [`Budget::default`] and 10,000 cached answers (a few MB at most).
    fn default() -> Self {
        CascadeConfig {
            budget: Budget::default(),
            cache_capacity: 10_000,
            escalate_below: None,
        }
    }
}

impl CascadeConfig {
    /// The defaults with whichever of a binding's plain options are set: the one place
    /// those defaults are filled in.
    ///
    /// ```
    /// use std::time::Duration;
    /// use arichat_channels::client::CascadeConfig;
    /// let c = CascadeConfig::from_options(Some(5), None, Some(0), None);
    /// assert_eq!((c.budget.requests, c.budget.window, c.cache_capacity), (5, Duration::from_secs(3600), 0));
    /// assert_eq!(c.escalate_below, None);
    /// ```
    pub fn from_options(
        budget_requests: Option<u32>,
        budget_window: Option<Duration>,
        cache_capacity: Option<usize>,
        escalate_below: Option<f32>,
    ) -> Self {
        let d = CascadeConfig::default();
        CascadeConfig {
            budget: Budget {
                requests: budget_requests.unwrap_or(d.budget.requests),
                window: budget_window.unwrap_or(d.budget.window),
            },
            cache_capacity: cache_capacity.unwrap_or(d.cache_capacity),
            escalate_below: escalate_below.or(d.escalate_below),
        }
    }
}

/// The local classifier first; the backend only for uncertain results, within a
/// per-tenant budget and through a cache; the local answer whenever the backend fails.
///
/// ```no_run
/// # async fn run() -> Result<(), arichat_channels::client::LlmError> {
/// use std::sync::Arc;
/// use arichat_channels::client::{
///     CascadeConfig, ChatCompletionsClient, ChatCompletionsConfig, IntentCascade, Source,
/// };
/// use arichat_core::intent::RuleClassifier;
/// let llm = ChatCompletionsClient::new(ChatCompletionsConfig::new(
///     "https://api.openai.com/v1", "gpt-4o-mini", "sk-...",
/// ))?;
/// let cascade = IntentCascade::new(Arc::new(RuleClassifier::new()), llm, CascadeConfig::default());
/// let r = cascade.classify("tenant-1", "no es que no me interese, pero ahora no puedo").await;
/// if r.source == Source::Local && r.fallback.is_some() {
///     // the backend failed; r.classification is the local (uncertain) result
/// }
/// # Ok(()) }
/// ```
pub struct IntentCascade<B = ChatCompletionsClient> {
    local: Arc<dyn IntentClassifier>,
    backend: B,
    ledger: Ledger,
    cache: AnswerCache,
    escalate_below: Option<f32>,
}

impl<B: std::fmt::Debug> std::fmt::Debug for IntentCascade<B> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("IntentCascade")
            .field("backend", &self.backend)
            .field("ledger", &self.ledger)
            .finish_non_exhaustive()
    }
}

impl<B: IntentBackend> IntentCascade<B> {
    /// A cascade from a local classifier and a backend.
    pub fn new(local: Arc<dyn IntentClassifier>, backend: B, config: CascadeConfig) -> Self {
        IntentCascade {
            local,
            backend,
            ledger: Ledger::new(config.budget),
            cache: AnswerCache::new(config.cache_capacity),
            escalate_below: config.escalate_below,
        }
    }

    /// The backend.
    pub fn backend(&self) -> &B {
        &self.backend
    }

    /// Classifies `text` for `tenant`, in this order:
    ///
    /// 1. the local classifier; a certain result is the answer ([`Source::Local`]),
    ///    unless its confidence is below [`CascadeConfig::escalate_below`];
    /// 2. the cache, keyed by the backend's model and the normalized masked text
    ///    ([`Source::Cache`]);
    /// 3. one unit of `tenant`'s budget, else the local result with
    ///    [`Fallback::BudgetExhausted`];
    /// 4. the backend with the masked text ([`Source::Llm`]); on any error the local
    ///    result with [`Fallback::Backend`].
    ///
    /// Two identical messages classified at the same moment may both ask the backend:
    /// the cache holds answers, not requests in flight.
    pub async fn classify(&self, tenant: &str, text: &str) -> CascadeResult {
        let local = self.local.classify(text);
        let low = self
            .escalate_below
            .is_some_and(|bar| local.confidence < bar);
        if !local.uncertain && !low {
            return CascadeResult {
                classification: local,
                source: Source::Local,
                fallback: None,
            };
        }
        let masked = mask_contact_data(text);
        let key = cache_text(&masked);
        let model = self.backend.model();
        if let Some(answer) = self.cache.get(model, &key) {
            return CascadeResult {
                classification: from_answer(answer, &local, text),
                source: Source::Cache,
                fallback: None,
            };
        }
        if !self.ledger.take(tenant) {
            return fall_back(local, Fallback::BudgetExhausted);
        }
        match self.backend.classify(&masked).await {
            Ok(answer) => {
                self.cache.put(model, &key, answer);
                CascadeResult {
                    classification: from_answer(answer, &local, text),
                    source: Source::Llm,
                    fallback: None,
                }
            }
            Err(e) => {
                tracing::warn!(code = e.code(), error = %e, "LLM backend failed; the local answer stands");
                fall_back(local, Fallback::Backend(e))
            }
        }
    }
}

fn fall_back(local: Classification, why: Fallback) -> CascadeResult {
    CascadeResult {
        classification: local,
        source: Source::Local,
        fallback: Some(why),
    }
}

/// The backend's answer as a classification: certain, the local language, an opt-out
/// only ever implicit.
fn from_answer(answer: BackendAnswer, local: &Classification, text: &str) -> Classification {
    let intents = if answer.intent == Intent::Other {
        Vec::new()
    } else {
        vec![IntentMatch::whole(answer.intent, answer.confidence, text)]
    };
    Classification {
        intents,
        primary: answer.intent,
        confidence: answer.confidence.clamp(0.0, 1.0),
        language: local.language,
        uncertain: false,
        opt_out: (answer.intent == Intent::OptOut).then_some(OptOutSignal::Implicit),
    }
}
