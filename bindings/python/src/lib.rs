//! Python bindings of `arichat-core` and `arichat-channels`, built with pyo3 and maturin.
//!
//! The native module is `arichat._native`; the `arichat` Python package re-exports
//! it. Everything here converts at the edge (strings to enums, `datetime` to
//! `DateTime<Utc>`, [`arichat_core::CoreError`] to exceptions) and calls the core:
//! no rule of the domain is written twice.

use pyo3::prelude::*;

mod arrow;
mod campaign;
mod cloudevents;
mod commission;
mod convert;
mod deal;
mod dedup;
mod error;
mod intent;
mod json_text;
mod lead;
mod llm;
mod mattermost;
mod money;
mod numbers;
mod parallel;
mod profile;
mod progress;
mod runtime;
mod scoring;
mod send;
mod time;
mod webhook;

/// See `mimalloc` in Cargo.toml: the extension's many small allocations per body.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// Sets up the phone metadata and the intent model now (about 100 ms once per
/// process; the GIL is released meanwhile), so that a server's first webhook is not
/// the slow one. `WebhookVerifier` does it when constructed.
#[pyfunction]
fn warm(py: Python<'_>) {
    py.detach(arichat_core::warm);
}

/// The version of `arichat-core`, the same in every binding.
#[pyfunction]
fn version() -> &'static str {
    arichat_core::VERSION
}

/// Normalizes a phone number to E.164 (`"300 123 4567"`, region `"CO"` ->
/// `"+573001234567"`). `region` is an ISO 3166-1 alpha-2 code used for national
/// numbers; numbers starting with `+` or `00` carry their own country code.
#[pyfunction]
#[pyo3(signature = (raw, region = None))]
fn normalize_phone(raw: &str, region: Option<&str>) -> PyResult<String> {
    let region = region
        .map(str::parse::<arichat_core::Region>)
        .transpose()
        .map_err(error::to_py_err)?;
    arichat_core::PhoneNumber::parse(raw, region)
        .map(|p| p.as_str().to_owned())
        .map_err(error::to_py_err)
}

/// The validated E.164 number of a WhatsApp `wa_id` (digits with the country code):
/// `"5215512345678"` -> `"+525512345678"` (Mexico's historic mobile 1 dropped).
#[pyfunction]
fn phone_from_wa_id(wa_id: &str) -> PyResult<String> {
    arichat_core::PhoneNumber::from_wa_id(wa_id)
        .map(|p| p.as_str().to_owned())
        .map_err(error::to_py_err)
}

/// The `arichat._native` extension module.
#[pymodule(name = "_native")]
mod native {
    use pyo3::prelude::*;

    /// Registers the `atexit` hook that keeps the tokio threads out of Python while
    /// the interpreter finalizes ([`crate::runtime::drain`]), and the exception
    /// classes ([`crate::error::register`]).
    #[pymodule_init]
    fn init(m: &Bound<'_, PyModule>) -> PyResult<()> {
        let py = m.py();
        let drain = wrap_pyfunction!(crate::runtime::drain, py)?;
        py.import("atexit")?.call_method1("register", (drain,))?;
        crate::error::register(m)
    }

    #[pymodule_export]
    use super::{normalize_phone, phone_from_wa_id, version, warm};

    #[pymodule_export]
    use crate::commission::CommissionRules;
    #[pymodule_export]
    use crate::deal::parse_deal;
    #[pymodule_export]
    use crate::money::{check_receipt, parse_amount, pick_receipt_total};

    #[pymodule_export]
    use crate::webhook::{
        auth_header, meta_handshake, normalize, verify_signature, verify_telegram_secret,
        WebhookVerifier,
    };

    #[pymodule_export]
    use crate::mattermost::{mattermost_reply, parse_mattermost_hook, MattermostTokens};

    #[pymodule_export]
    use crate::cloudevents::{
        cloudevent_from_http, cloudevent_from_pubsub_push, cloudevent_to_http,
        cloudevents_to_pubsub, derived_cloudevent,
    };

    #[pymodule_export]
    use crate::lead::Lead;

    #[pymodule_export]
    use crate::dedup::RedisIdempotencyStore;

    #[pymodule_export]
    use crate::intent::{classify, classify_column, classify_many};

    #[pymodule_export]
    use crate::llm::{AsyncIntentCascade, IntentCascade};

    #[pymodule_export]
    use crate::scoring::{fit, FitResult, Scorecard};

    #[pymodule_export]
    use crate::profile::{fit_rfm, profile_keys, profiles_from_events, rfm_score, ProfileSet};

    #[pymodule_export]
    use crate::numbers::parse_numbers;

    #[pymodule_export]
    use crate::campaign::{assign_table, CampaignBundle, CampaignCache};

    #[pymodule_export]
    use crate::send::{
        preflight, AsyncConversionsClient, AsyncMessengerClient, AsyncTelegramClient,
        AsyncWhatsAppClient, ConversionsClient, MessengerClient, Receipt, TelegramClient,
        WhatsAppClient,
    };
}
