//! # arichat-node
//!
//! The Node.js binding of [`arichat_core`] and [`arichat_channels`], built with napi-rs
//! into the npm package `arichat`. It only converts at the edge: JS strings become core
//! names and ids, JS `Date`s become `DateTime<Utc>`, `Buffer`s become byte slices,
//! events become plain JS objects, and every [`CoreError`](arichat_core::CoreError) /
//! [`ChannelError`](arichat_channels::ChannelError) becomes a JS `Error` whose `message`
//! is the Rust `Display` text and whose `code` is the stable snake_case code of its kind
//! (`lib.js` then gives it the class of that code).

mod campaign;
mod cloudevents;
mod commission;
mod deal;
mod dedup;
mod dedup_memory;
mod error;
mod intent;
mod lead;
mod llm;
mod mattermost;
mod money;
mod profile;
mod queue;
mod scoring;
mod serde_js;
mod stream;

/// See `mimalloc` in Cargo.toml: the addon's many small allocations per webhook body.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

mod send;
mod webhook;

pub use campaign::{CampaignBundle, CampaignCache, CampaignCacheOptions, GetTask};
pub use cloudevents::{
    cloudevent_from_http, cloudevent_from_pubsub_push, cloudevent_to_http, cloudevents_to_pubsub,
    derived_cloudevent, HttpCloudEvent,
};
pub use commission::{CommissionRules, SaleArgs, SaleRecord};
pub use deal::{parse_deal, DealOptions};
pub use dedup::{ConnectTask, RedisIdempotencyStore, RedisStoreOptions, StoreTask};
pub use dedup_memory::MemoryIdempotencyStore;
pub use intent::{classify, Classification, IntentMatch};
pub use lead::{Lead, LeadChange};
pub use mattermost::{mattermost_reply, parse_mattermost_hook, MattermostTokens};
pub use money::{check_receipt, parse_amount, pick_receipt_total, AmountOptions};
pub use profile::{fit_rfm, profile_keys, rfm_score, ProfileSet};
pub use queue::{review_flag, PriorityQueue};
pub use scoring::{Contribution, EngagementEvent, ScoreResult, Scorecard};
pub use send::{
    preflight, AnswerCallbackOptions, ClientOptions, GetUpdatesOptions, MessengerClient, Receipt,
    ReplyConversation, ReplyOptions, SendOptions, SetWebhookOptions, TelegramClient,
    WhatsAppClient,
};
pub use stream::{EventStream, EventStreamOptions, StreamTask};
pub use webhook::{
    auth_header, meta_handshake, normalize, normalize_cloudevents, verify_signature,
    verify_telegram_secret, WebhookAccount, WebhookVerifier,
};

use arichat_core::{PhoneNumber, Region};
use chrono::{DateTime, Utc};
use napi::bindgen_prelude::Date;
use napi::Status;
use napi_derive::napi;

// Imported here so that every module reaches them as `crate::…`.
use error::{channel_error, core_error, send_error};
pub use error::{error_class_names, ErrorCode, Result};

/// A JS `Date` as a UTC instant. Another JS value is a `DateExpected` error; an
/// invalid `Date`, or one outside chrono's range (JS allows ±275760 years, chrono
/// ±262143), is an `InvalidArg` error.
fn to_utc(date: Date, arg: &str) -> Result<DateTime<Utc>> {
    let millis = date.value_of().map_err(|e| {
        napi::Error::new(ErrorCode::Napi(e.status), format!("{arg} must be a Date"))
    })?;
    if millis.is_finite() {
        // JS dates are whole milliseconds within ±8.64e15, so the cast is exact.
        if let Some(at) = DateTime::from_timestamp_millis(millis as i64) {
            return Ok(at);
        }
    }
    Err(napi::Error::new(
        ErrorCode::Napi(Status::InvalidArg),
        format!("{arg} must be a valid Date within chrono's range"),
    ))
}

/// Sets up the phone metadata and the intent model now (about 100 ms once per
/// process), so that a server's first webhook is not the slow one. `Normalizer` and
/// `WebhookVerifier` do it when constructed.
#[napi]
pub fn warm() {
    arichat_core::warm();
}

/// The version of the Rust core, `arichat_core::VERSION`.
#[napi]
pub fn version() -> &'static str {
    arichat_core::VERSION
}

/// Normalizes a phone number to E.164 (`"+573001234567"`). A national number is read
/// in `region`, an ISO 3166-1 alpha-2 code such as `"CO"`.
///
/// Throws `unknown_region` or `invalid_phone`.
#[napi]
pub fn normalize_phone(raw: String, region: Option<String>) -> Result<String> {
    let region = region
        .map(|r| r.parse::<Region>())
        .transpose()
        .map_err(core_error)?;
    let phone = PhoneNumber::parse(&raw, region).map_err(core_error)?;
    Ok(phone.as_str().to_owned())
}

/// The validated E.164 number of a WhatsApp `wa_id` (digits with the country code):
/// `"5215512345678"` is `"+525512345678"` (Mexico's historic mobile 1 dropped).
///
/// Throws `invalid_phone`.
#[napi]
pub fn phone_from_wa_id(wa_id: String) -> Result<String> {
    let phone = PhoneNumber::from_wa_id(&wa_id).map_err(core_error)?;
    Ok(phone.as_str().to_owned())
}
