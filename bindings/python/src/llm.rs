//! The LLM intent cascade ([`arichat_channels::client::IntentCascade`]) twice,
//! httpx-style: `IntentCascade.classify` blocks (the GIL released) and
//! `AsyncIntentCascade.classify` returns an awaitable. The local classifier is the
//! built-in one `arichat.classify` uses; the backend any OpenAI-compatible
//! chat-completions API. Classifying never raises: a failing backend leaves the local
//! answer, and the result says so. Keyword arguments go to `HttpOptions` and
//! `CascadeConfig::from_options`: no default is decided here.

use std::convert::Infallible;
use std::sync::Arc;

use arichat_channels::client::{
    CascadeConfig, CascadeResult, ChatCompletionsClient, ChatCompletionsConfig,
    IntentCascade as Cascade,
};
use arichat_core::intent::HybridClassifier;
use pyo3::prelude::*;

use crate::convert::to_py;
use crate::error::llm_to_py_err;
use crate::intent::to_char_spans;
use crate::send::{http_options, run_with, seconds};

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
                let local = Arc::new(HybridClassifier::new());
                let inner = Arc::new(Cascade::new(local, client, settings));
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
                run_with(py, $async, fut, |e: &Infallible| match *e {})
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
