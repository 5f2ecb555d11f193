//! The one error type of `arichat-core`.

use crate::lead::{LeadStatus, LifecycleStage};
use crate::named_enum::named_enum;

named_enum!(
    /// The kinds of [`CoreError`], one per variant: the one source of the stable
    /// snake_case codes every binding shows (Python `code`, Node `error.code`, the
    /// `code` of Kotlin's `ArichatException.Core` and Swift's `ArichatError.core`).
    #[cfg_attr(feature = "uniffi", derive(uniffi::Enum))]
    ErrorCode, "error code", "invalid_phone, unknown_region, invalid_email, illegal_status_transition, illegal_stage_transition, agent_required, unknown_variant, invalid_json, empty_id, invalid_lexicon, invalid_model, invalid_corpus, invalid_config, unknown_account, store_unavailable, store_history_lost, invalid_scorecard, invalid_scoring_data, invalid_whatsapp_id, invalid_campaign, time_out_of_range", {
        /// [`CoreError::InvalidPhone`].
        InvalidPhone => "invalid_phone",
        /// [`CoreError::UnknownRegion`].
        UnknownRegion => "unknown_region",
        /// [`CoreError::InvalidEmail`].
        InvalidEmail => "invalid_email",
        /// [`CoreError::IllegalStatusTransition`].
        IllegalStatusTransition => "illegal_status_transition",
        /// [`CoreError::IllegalStageTransition`].
        IllegalStageTransition => "illegal_stage_transition",
        /// [`CoreError::AgentRequired`].
        AgentRequired => "agent_required",
        /// [`CoreError::UnknownVariant`].
        UnknownVariant => "unknown_variant",
        /// [`CoreError::InvalidJson`].
        InvalidJson => "invalid_json",
        /// [`CoreError::EmptyId`].
        EmptyId => "empty_id",
        /// [`CoreError::InvalidLexicon`].
        InvalidLexicon => "invalid_lexicon",
        /// [`CoreError::InvalidModel`].
        InvalidModel => "invalid_model",
        /// [`CoreError::InvalidCorpus`].
        InvalidCorpus => "invalid_corpus",
        /// [`CoreError::InvalidConfig`].
        InvalidConfig => "invalid_config",
        /// [`CoreError::UnknownAccount`].
        UnknownAccount => "unknown_account",
        /// [`CoreError::StoreUnavailable`].
        StoreUnavailable => "store_unavailable",
        /// [`CoreError::StoreHistoryLost`].
        StoreHistoryLost => "store_history_lost",
        /// [`CoreError::InvalidScorecard`].
        InvalidScorecard => "invalid_scorecard",
        /// [`CoreError::InvalidScoringData`].
        InvalidScoringData => "invalid_scoring_data",
        /// [`CoreError::InvalidWhatsappId`].
        InvalidWhatsappId => "invalid_whatsapp_id",
        /// [`CoreError::InvalidCampaign`].
        InvalidCampaign => "invalid_campaign",
        /// [`CoreError::TimeOutOfRange`].
        TimeOutOfRange => "time_out_of_range",
    }
);

/// Everything that can go wrong in the pure domain.
///
/// Messages never contain a phone number or an email: those are PII and error
/// strings end up in logs.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum CoreError {
    /// A phone number could not be parsed or is not valid for its region.
    #[error("invalid phone number: {reason}")]
    InvalidPhone {
        /// Why it was rejected (never the number itself).
        reason: String,
    },
    /// A region code is not an ISO 3166-1 alpha-2 code known to the phone metadata.
    #[error("unknown region {0:?}: expected an ISO 3166-1 alpha-2 code such as \"CO\"")]
    UnknownRegion(String),
    /// An email address is not of the form `local@domain`.
    #[error("invalid email address: {reason}")]
    InvalidEmail {
        /// Why it was rejected (never the address itself).
        reason: String,
    },
    /// A lead status change that the transition table does not allow.
    #[error("illegal lead status transition from {from} to {to}")]
    IllegalStatusTransition {
        /// Current status.
        from: LeadStatus,
        /// Requested status.
        to: LeadStatus,
    },
    /// A lifecycle stage change that the transition table does not allow.
    #[error("illegal lifecycle stage transition from {from} to {to}")]
    IllegalStageTransition {
        /// Current stage.
        from: LifecycleStage,
        /// Requested stage.
        to: LifecycleStage,
    },
    /// Reopening a won or lost lead needs an agent's decision.
    #[error("lead is {from}: only an agent can move it to {to}")]
    AgentRequired {
        /// Current (closed) status.
        from: LeadStatus,
        /// Requested status.
        to: LeadStatus,
    },
    /// A value was not one of the names of a closed set.
    #[error("unknown {kind} {value:?}; expected one of: {expected}")]
    UnknownVariant {
        /// What was being parsed (for example `lead status`).
        kind: &'static str,
        /// The rejected input.
        value: String,
        /// The accepted names, comma separated.
        expected: &'static str,
    },
    /// A JSON document could not be read as the expected type.
    #[error("invalid {what} JSON: {reason}")]
    InvalidJson {
        /// The type that was expected.
        what: &'static str,
        /// What was wrong, with the field's path, line and column (never a value).
        reason: String,
    },
    /// An event was addressed to a channel account no tenant owns.
    #[error("no tenant owns {channel} account {account:?}")]
    UnknownAccount {
        /// The channel.
        channel: crate::Channel,
        /// The account id (phone_number_id, page id, Instagram id, bot id).
        account: String,
    },
    /// An idempotency store could not answer.
    #[error("idempotency store unavailable: {0}")]
    StoreUnavailable(String),
    /// An idempotency store lost the keys it held (a Redis restarted without
    /// persistence, flushed or evicting): redeliveries could be applied twice.
    #[error("idempotency store lost its history: {0}")]
    StoreHistoryLost(String),
    /// An identifier was empty.
    #[error("{0} must not be empty")]
    EmptyId(&'static str),
    /// An intent lexicon (phrases, abbreviations, weights) is not valid.
    #[error("invalid intent lexicon: {reason}")]
    InvalidLexicon {
        /// What is wrong, with the offending phrase or line.
        reason: String,
    },
    /// An intent model's bytes are not a model this version reads.
    #[error("invalid intent model: {reason}")]
    InvalidModel {
        /// What is wrong.
        reason: String,
    },
    /// A labelled corpus file is not valid (header, columns, label, language).
    #[error("invalid intent corpus: {reason}")]
    InvalidCorpus {
        /// The file and line, and what is wrong.
        reason: String,
    },
    /// A configuration (queue weights, policy, ...) has a value outside its domain.
    #[error("invalid {what}: {reason}")]
    InvalidConfig {
        /// Which configuration.
        what: &'static str,
        /// The offending field and why.
        reason: String,
    },
    /// A scorecard file or value was rejected (see [`crate::scoring::ScorecardError`]).
    #[error("invalid scorecard: {0}")]
    InvalidScorecard(#[from] crate::scoring::ScorecardError),
    /// Data given to scoring or fitting does not have the expected shape (columns of
    /// different lengths, labels not matching rows, a single class, ...).
    #[error("invalid scoring data: {reason}")]
    InvalidScoringData {
        /// What is wrong.
        reason: String,
    },
    /// A WhatsApp id (BSUID, username, `wa_id`) is malformed or in the wrong field.
    #[error("invalid WhatsApp {what}: {reason}")]
    InvalidWhatsappId {
        /// Which id (`bsuid`, `username`, `wa_id`, `identity`).
        what: &'static str,
        /// Why it was rejected (never the id itself).
        reason: String,
    },
    /// A campaign bundle, or the data given to it, was rejected (see
    /// [`crate::campaign::CampaignError`], whose `code()` and `path()` say which check
    /// failed where).
    #[error("invalid campaign bundle: {0}")]
    InvalidCampaign(#[from] crate::campaign::CampaignError),
    /// A point in time outside the years the core represents (-262143 to 262142): a
    /// binding's time type (`java.time.Instant`, Swift `Date`, a JS `Date`) reaches
    /// further (see `utc_from_system_time`, behind the `uniffi` feature).
    #[error("timestamp out of range")]
    TimeOutOfRange,
}

impl CoreError {
    /// A stable snake_case code for this kind of error, the same in every binding
    /// (Python exception class, Node `error.code`, Kotlin exception subclass).
    ///
    /// ```
    /// use arichat_core::{CoreError, PhoneNumber};
    /// let err = PhoneNumber::parse("12", None).unwrap_err();
    /// assert_eq!(err.code(), "invalid_phone");
    /// ```
    pub fn code(&self) -> &'static str {
        self.error_code().as_str()
    }

    /// The kind of this error as a closed set: what bindings match on to pick an
    /// exception class, so that a misspelt code does not compile.
    pub fn error_code(&self) -> ErrorCode {
        match self {
            CoreError::InvalidPhone { .. } => ErrorCode::InvalidPhone,
            CoreError::UnknownRegion(_) => ErrorCode::UnknownRegion,
            CoreError::InvalidEmail { .. } => ErrorCode::InvalidEmail,
            CoreError::IllegalStatusTransition { .. } => ErrorCode::IllegalStatusTransition,
            CoreError::IllegalStageTransition { .. } => ErrorCode::IllegalStageTransition,
            CoreError::AgentRequired { .. } => ErrorCode::AgentRequired,
            CoreError::UnknownVariant { .. } => ErrorCode::UnknownVariant,
            CoreError::InvalidJson { .. } => ErrorCode::InvalidJson,
            CoreError::EmptyId(_) => ErrorCode::EmptyId,
            CoreError::InvalidLexicon { .. } => ErrorCode::InvalidLexicon,
            CoreError::InvalidModel { .. } => ErrorCode::InvalidModel,
            CoreError::InvalidCorpus { .. } => ErrorCode::InvalidCorpus,
            CoreError::InvalidConfig { .. } => ErrorCode::InvalidConfig,
            CoreError::UnknownAccount { .. } => ErrorCode::UnknownAccount,
            CoreError::StoreUnavailable(_) => ErrorCode::StoreUnavailable,
            CoreError::StoreHistoryLost(_) => ErrorCode::StoreHistoryLost,
            CoreError::InvalidScorecard(_) => ErrorCode::InvalidScorecard,
            CoreError::InvalidScoringData { .. } => ErrorCode::InvalidScoringData,
            CoreError::InvalidWhatsappId { .. } => ErrorCode::InvalidWhatsappId,
            CoreError::InvalidCampaign(_) => ErrorCode::InvalidCampaign,
            CoreError::TimeOutOfRange => ErrorCode::TimeOutOfRange,
        }
    }

    /// The exception class every binding raises this error as (see
    /// [`ErrorClass`](crate::ErrorClass)).
    pub fn class(&self) -> crate::ErrorClass {
        self.error_code().class()
    }

    /// An [`CoreError::InvalidJson`] whose reason names the field and position in
    /// `text`, never a value from it (see [`crate::json_error::describe`]).
    pub(crate) fn json(what: &'static str, err: &serde_json::Error, text: &str) -> Self {
        CoreError::InvalidJson {
            what,
            reason: crate::json_error::describe(err, text),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_code_is_distinct_listed_and_parses_back() {
        crate::assert_closed_set(ErrorCode::ALL);
    }
}
