//! Flags that ask an agent to look at a conversation before automation acts.
//!
//! Today one reason exists: a message that *may* be an opt-out (implicit, or an
//! uncertain classification). Automation then neither closes the lead nor revokes
//! consent; it suspends marketing for the contact (see
//! [`ConsentLedger::suspend_marketing`](crate::consent::ConsentLedger::suspend_marketing))
//! and flags the conversation with the evidence, and the queue shows the flag.

use chrono::{DateTime, Utc};

use crate::intent::Classification;
use crate::named_enum::named_enum;

named_enum!(
    /// Why a conversation waits for an agent's decision.
    ReviewReason, "review reason", "possible_opt_out", {
        /// A message may be a request to stop contact, but not clearly enough to act on.
        PossibleOptOut => "possible_opt_out",
    }
);

/// An agent's attention asked for, with the evidence.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct ReviewFlag {
    /// Why.
    pub reason: ReviewReason,
    /// The message text (cut to 500 chars).
    pub evidence: String,
    /// The classifier's confidence in its reading, in [0, 1].
    pub confidence: f32,
    /// When the message was received.
    pub at: DateTime<Utc>,
}

// `confidence` is a classifier's probability, never NaN.
impl Eq for ReviewFlag {}

impl ReviewFlag {
    /// The flag a classification calls for, if any: a possible opt-out that is not an
    /// explicit one.
    ///
    /// ```
    /// use arichat_core::intent::{HybridClassifier, IntentClassifier};
    /// use arichat_core::review::{ReviewFlag, ReviewReason};
    /// use chrono::Utc;
    /// let c = HybridClassifier::new();
    /// assert!(ReviewFlag::for_classification(&c.classify("hola, cuánto cuesta?"), "hola, cuánto cuesta?", Utc::now()).is_none());
    /// ```
    pub fn for_classification(
        c: &Classification,
        text: &str,
        at: DateTime<Utc>,
    ) -> Option<ReviewFlag> {
        (c.opt_out.is_some() && !c.is_explicit_opt_out()).then(|| ReviewFlag {
            reason: ReviewReason::PossibleOptOut,
            evidence: crate::consent::evidence_text(text),
            confidence: c.confidence,
            at,
        })
    }
}
