#![doc = include_str!("../README.md")]
#![cfg_attr(docsrs, feature(doc_cfg))]

// The Kotlin/Swift namespace `arichat_core` (Kotlin package `io.github.arichat.core`): the
// enums and records below derive `uniffi::Enum`/`uniffi::Record` behind this feature.
#[cfg(feature = "uniffi")]
uniffi::setup_scaffolding!("arichat_core");

pub mod automation;
pub mod campaign;
pub mod channel;
pub mod commission;
mod config_format;
pub mod consent;
pub mod contact;
pub mod contact_book;
pub mod conversation;
pub mod deal;
pub mod dedup;
pub mod email;
pub mod error;
mod error_class;
pub mod event;
#[cfg(feature = "uniffi")]
mod ffi_time;
pub mod fit;
mod fnv;
pub mod ids;
pub mod intent;
pub mod json_error;
pub mod lead;
pub mod message;
pub mod money;
mod named_enum;
pub mod numbers;
pub mod phone;
mod pii;
pub mod pii_mask;
mod prefetch;
pub mod profile;
pub mod queue;
mod raw_json;
pub mod review;
pub mod routing;
pub mod scoring;
mod seconds;
pub mod text;
mod threads;
pub mod whatsapp_id;
pub mod window;

pub use automation::StatusPolicy;
pub use channel::Channel;
pub use config_format::ConfigFormat;
pub use consent::{ConsentLedger, ConsentStatus};
pub use contact::{ChannelIdentity, Contact};
pub use contact_book::ContactBook;
pub use conversation::Conversation;
pub use email::Email;
pub use error::{CoreError, ErrorCode};
pub use error_class::ErrorClass;
pub use event::{ConsentSignal, ContactRef, Event, EventKind, Referral};
#[cfg(feature = "uniffi")]
pub use ffi_time::utc_from_system_time;
pub use ids::{
    CampaignId, ChannelAccountId, ContactId, ConversationId, GroupId, LeadId, MessageId, TenantId,
};
pub use intent::{
    Classification, Intent, IntentClassifier, IntentMatch, Language, OptOutSignal, RuleClassifier,
};
pub use lead::{ChangeCause, Lead, LeadChange, LeadSource, LeadStatus, LifecycleStage, Transition};
pub use message::{AuthorKind, DeliveryStatus, Direction, Media, Message, MessageContent};
#[doc(hidden)]
pub use named_enum::assert_closed_set;
pub use phone::{PhoneNumber, Region};
pub use queue::{PriorityQueue, QueueConfig};
pub use raw_json::{RawJson, ValueCheck};
pub use routing::TenantDirectory;
pub use seconds::seconds;
pub use threads::worker_threads;
pub use whatsapp_id::{
    Bsuid, IdentityChange, WaUsername, WhatsappIdKind, WhatsappIdentity, WhatsappIds,
};

/// Sets up, once per process, what the first call would otherwise pay for: the phone
/// metadata, the intent model and its word tables. Cheap after the first call; safe
/// from any thread. Servers call it at start so that their first webhook is not the
/// slow one; every binding's constructors of long-lived objects call it too.
///
/// ```
/// arichat_core::warm();
/// assert!(arichat_core::PhoneNumber::from_wa_id("573001234567").is_ok());
/// ```
pub fn warm() {
    static WARM: std::sync::Once = std::sync::Once::new();
    WARM.call_once(|| {
        // Region metadata of the countries arichat's users write from.
        for wa_id in [
            "573001234567",
            "5511987654321",
            "5215512345678",
            "14155550123",
        ] {
            let _ = PhoneNumber::from_wa_id(wa_id);
        }
        if let Ok(region) = "CO".parse::<Region>() {
            let _ = PhoneNumber::parse("3001234567", Some(region));
        }
        let classifier = intent::HybridClassifier::new();
        let _ = intent::IntentClassifier::classify(&classifier, "hola, quiero saber el precio");
    });
}

/// The version of this crate, as every binding reports it.
pub const VERSION: &str = env!("CARGO_PKG_VERSION");

/// Result type used throughout `arichat-core`.
pub type Result<T, E = CoreError> = std::result::Result<T, E>;
