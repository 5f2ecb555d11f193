//! The audit trail of a lead.

use chrono::{DateTime, Utc};

use super::{LeadStatus, LifecycleStage};
use crate::named_enum::named_enum;

named_enum!(
    /// Who or what caused a change.
    #[cfg_attr(feature = "uniffi", derive(uniffi::Enum))]
    ChangeCause, "change cause", "rule, intent, agent, import", {
        /// An automation rule (for example a scorecard threshold).
        Rule => "rule",
        /// A detected intent in the contact's message.
        Intent => "intent",
        /// A human agent.
        Agent => "agent",
        /// An import from another system.
        Import => "import",
    }
);

/// What changed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(tag = "field", rename_all = "snake_case")]
#[cfg_attr(feature = "uniffi", derive(uniffi::Enum))]
pub enum Transition {
    /// The status moved.
    Status {
        /// Before.
        from: LeadStatus,
        /// After.
        to: LeadStatus,
    },
    /// The lifecycle stage moved.
    Stage {
        /// Before.
        from: LifecycleStage,
        /// After.
        to: LifecycleStage,
    },
}

/// One recorded change: what, when, by what cause and why.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct LeadChange {
    /// The move.
    #[serde(flatten)]
    pub transition: Transition,
    /// When it happened (UTC).
    pub at: DateTime<Utc>,
    /// What caused it.
    pub cause: ChangeCause,
    /// A human-readable reason.
    pub reason: String,
}
