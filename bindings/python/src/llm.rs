//! The LLM intent cascade ([`arichat_channels::client::IntentCascade`]) twice,
//! httpx-style: `IntentCascade.classify` blocks (the GIL released) and
//! `AsyncIntentCascade.classify` returns an awaitable. The local classifier is the
//! built-in one `arichat.classify` uses; the backend any OpenAI-compatible
//! chat-completions API. Classifying never raises: a failing backend leaves the local
//! answer, and the result says so.

use std::convert::Infallible;
use std::sync::Arc;

use arichat_channels::client::{
    CascadeConfig, CascadeResult, ChatCompletionsClient, ChatCompletionsConfig,
    IntentCascade as Cascade,
};
use arichat_core::intent::RuleClassifier;
use pyo3::prelude::*;
use pyo3::IntoPyObjectExt;

use crate::convert::to_py;
use crate::error::llm_to_py_err;
use crate::intent::to_char_spans;
use crate::send::{http_options, seconds};

/// A result with its spans as Python string indices, ready to become a dict.
struct Answer {
    result: CascadeResult,
    text: String,
}

impl<'py> IntoPyObject<'py> for Answer {
    type Target = PyAny;
    type Output = Bound<'py, PyAny>;
    type Error = PyErr;

    fn into_pyobject(mut self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        to_char_spans(&self.text, &mut self.result.classification);
        to_py(py, &self.result)
    }
}

/// The cascade the keyword arguments describe; defaults are the Rust ones.
#[allow(clippy::too_many_arguments)]
fn cascade(
    base_url: String,
    model: String,
    api_key: String,
    timeout: Option<f64>,
    max_attempts: Option<u32>,
    retry_base_delay: Option<f64>,
    budget_requests: Option<u32>,
    budget_window: Option<f64>,
    cache_size: Option<usize>,
    escalate_below: Option<f32>,
) -> PyResult<Arc<Cascade>> {
    let http = http_options(timeout, max_attempts, retry_base_delay, None)?;
    let config = ChatCompletionsConfig::new(base_url, model, api_key)
        .with_options(&http)
        .map_err(|e| llm_to_py_err(&e.into()))?;
    let client = ChatCompletionsClient::new(config).map_err(|e| llm_to_py_err(&e))?;
    let settings = CascadeConfig::from_options(
        budget_requests,
        seconds(budget_window, "budget_window")?,
        cache_size,
        escalate_below,
    );
    let local = Arc::new(RuleClassifier::new());
    Ok(Arc::new(Cascade::new(local, client, settings)))
}

macro_rules! cascade_class {
    ($rust:ident, $py:literal, $async:expr, $doc:literal) => {
        #[doc = $doc]
        #[pyclass(name = $py, module = "arichat", frozen)]
        pub struct $rust {
            inner: Arc<Cascade>,
        }

        #[pymethods]
        impl $rust {
            #[new]
            #[pyo3(signature = (base_url, model, api_key, *, timeout = None, max_attempts = None, retry_base_delay = None, budget_requests = None, budget_window = None, cache_size = None, escalate_below = None))]
            #[allow(clippy::too_many_arguments)]
            fn new(
                base_url: String,
                model: String,
                api_key: String,
                timeout: Option<f64>,
                max_attempts: Option<u32>,
                retry_base_delay: Option<f64>,
                budget_requests: Option<u32>,
                budget_window: Option<f64>,
                cache_size: Option<usize>,
                escalate_below: Option<f32>,
            ) -> PyResult<Self> {
                let inner = cascade(
                    base_url,
                    model,
                    api_key,
                    timeout,
                    max_attempts,
                    retry_base_delay,
                    budget_requests,
                    budget_window,
                    cache_size,
                    escalate_below,
                )?;
                Ok(Self { inner })
            }

            /// Classifies `text` for `tenant`: `{"classification": dict as from
            /// classify, "source": "local" | "llm" | "cache", "fallback": None |
            /// {"code", "message"}}`.
            fn classify<'py>(
                &self,
                py: Python<'py>,
                tenant: String,
                text: String,
            ) -> PyResult<Bound<'py, PyAny>> {
                let inner = Arc::clone(&self.inner);
                let fut = async move {
                    let result = inner.classify(&tenant, &text).await;
                    Ok::<_, Infallible>(Answer { result, text })
                };
                if $async {
                    crate::runtime::awaitable(py, fut, |e: &Infallible| match *e {})
                } else {
                    let runtime = crate::runtime::runtime();
                    let Ok(answer) = py.detach(|| runtime.block_on(fut));
                    answer.into_bound_py_any(py)
                }
            }

            fn __repr__(&self) -> String {
                format!("{}(model={:?})", $py, self.inner.backend().model())
            }
        }
    };
}

cascade_class!(
    IntentCascade,
    "IntentCascade",
    false,
    "The built-in classifier first, an OpenAI-compatible LLM for what it is unsure of; `classify` blocks with the GIL released."
);
cascade_class!(
    AsyncIntentCascade,
    "AsyncIntentCascade",
    true,
    "The built-in classifier first, an OpenAI-compatible LLM for what it is unsure of; `classify` returns an awaitable."
);
