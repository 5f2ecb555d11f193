//! Marketing suspended while an agent decides whether a message was an opt-out.
//!
//! An explicit opt-out revokes consent at once; a *possible* one (implicit, or an
//! uncertain classification) must not — a false opt-out loses an interested customer —
//! and must not be ignored either. The ledger suspends marketing to that contact on
//! that channel until an agent resolves it ([`ConsentLedger::resolve_review`]), or the
//! contact opts in again with a START keyword.

use std::fmt;

use chrono::{DateTime, Utc};

use super::{ConsentEvidence, ConsentLedger, ConsentStatus, Recorded};
use crate::intent::{Classification, Intent};
use crate::named_enum::named_enum;
use crate::review::ReviewFlag;
use crate::{Channel, ContactId, MessageId};

/// Marketing to one contact on one channel held for an agent's decision.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Suspension {
    /// The contact.
    pub contact_id: ContactId,
    /// The channel.
    pub channel: Channel,
    /// What the agent must look at.
    pub flag: ReviewFlag,
}

impl fmt::Display for Suspension {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "marketing suspended since {} until an agent decides: possible opt-out {:?} (confidence {:.2})",
            self.flag.at.to_rfc3339_opts(chrono::SecondsFormat::AutoSi, true),
            self.flag.evidence,
            self.flag.confidence
        )
    }
}

named_enum!(
    /// An agent's answer to a possible opt-out.
    ReviewDecision, "review decision", "opt_out, keep", {
        /// It was an opt-out: record it (consent revoked).
        OptOut => "opt_out",
        /// It was not: lift the suspension, consent as before.
        Keep => "keep",
    }
);

named_enum!(
    /// What [`ConsentLedger::record_classification`] did.
    ClassifiedConsent, "classified consent", "applied, stale, suspended", {
        /// An opt-out or opt-in was recorded and decides now.
        Applied => "applied",
        /// A signal was recorded but a later record still decides.
        Stale => "stale",
        /// A possible opt-out: marketing suspended until an agent decides.
        Suspended => "suspended",
    }
);

impl From<Recorded> for ClassifiedConsent {
    fn from(r: Recorded) -> Self {
        match r {
            Recorded::Applied => ClassifiedConsent::Applied,
            Recorded::Stale => ClassifiedConsent::Stale,
        }
    }
}

impl ConsentLedger {
    /// Records what a classified message says about consent, failing safe:
    ///
    /// - a whole-message STOP/START keyword, or an explicit opt-out
    ///   ([`Classification::is_explicit_opt_out`]) → recorded as today;
    /// - a possible opt-out (implicit or uncertain) → consent untouched, marketing
    ///   suspended for this contact and channel until an agent decides;
    /// - anything else → `None`.
    ///
    /// ```
    /// use arichat_core::consent::{ClassifiedConsent, ConsentLedger, ReviewDecision};
    /// use arichat_core::intent::{Classification, Intent, IntentMatch, OptOutSignal};
    /// use arichat_core::{Channel, ContactId};
    /// use chrono::{TimeZone, Utc};
    ///
    /// let t = Utc.with_ymd_and_hms(2026, 6, 1, 9, 0, 0).unwrap();
    /// let ana = ContactId::new("ana");
    /// let mut ledger = ConsentLedger::default();
    /// let mut maybe = Classification::from_matches(vec![IntentMatch::whole(Intent::OptOut, 0.4, "ya fue")], 0.5);
    /// assert_eq!(maybe.opt_out, Some(OptOutSignal::Implicit));
    /// let done = ledger.record_classification(&ana, Channel::Whatsapp, "ya fue", &maybe, None, t);
    /// assert_eq!(done, Some(ClassifiedConsent::Suspended));
    /// assert!(ledger.get(&ana, Channel::Whatsapp).is_none()); // consent not revoked
    /// assert!(!ledger.may_send_marketing(&ana, Channel::Whatsapp, t).allowed);
    ///
    /// ledger.resolve_review(&ana, Channel::Whatsapp, ReviewDecision::Keep, "agent-7", t);
    /// assert!(ledger.suspension(&ana, Channel::Whatsapp).is_none());
    /// ```
    pub fn record_classification(
        &mut self,
        contact: &ContactId,
        channel: Channel,
        text: &str,
        classification: &Classification,
        message_id: Option<MessageId>,
        at: DateTime<Utc>,
    ) -> Option<ClassifiedConsent> {
        let explicit: &[Intent] = if classification.is_explicit_opt_out() {
            &[Intent::OptOut]
        } else {
            &[]
        };
        if let Some(recorded) =
            self.record_message(contact, channel, text, explicit, message_id, at)
        {
            return Some(recorded.into());
        }
        let flag = ReviewFlag::for_classification(classification, text, at)?;
        self.suspend_marketing(contact, channel, flag);
        Some(ClassifiedConsent::Suspended)
    }

    /// Suspends marketing to `contact` on `channel` until an agent decides (a later
    /// flag replaces an earlier one).
    pub fn suspend_marketing(&mut self, contact: &ContactId, channel: Channel, flag: ReviewFlag) {
        self.lift_suspension(contact, channel);
        self.suspensions.push(Suspension {
            contact_id: contact.clone(),
            channel,
            flag,
        });
    }

    /// The suspension in force for `contact` on `channel`, if any.
    pub fn suspension(&self, contact: &ContactId, channel: Channel) -> Option<&Suspension> {
        self.suspensions
            .iter()
            .find(|s| s.channel == channel && &s.contact_id == contact)
    }

    /// Every suspension awaiting an agent.
    pub fn suspensions(&self) -> impl Iterator<Item = &Suspension> {
        self.suspensions.iter()
    }

    /// An agent's decision on a suspension: `opt_out` records the opt-out with the
    /// agent as evidence, `keep` only lifts the suspension. Returns what was recorded
    /// (`None` for `keep` or when nothing was suspended).
    pub fn resolve_review(
        &mut self,
        contact: &ContactId,
        channel: Channel,
        decision: ReviewDecision,
        agent: &str,
        at: DateTime<Utc>,
    ) -> Option<Recorded> {
        let suspension = self.lift_suspension(contact, channel)?;
        match decision {
            ReviewDecision::Keep => None,
            ReviewDecision::OptOut => Some(self.record_manual(
                contact,
                channel,
                ConsentStatus::OptedOut,
                ConsentEvidence::Agent {
                    agent: agent.to_owned(),
                    note: format!("confirmed opt-out: {}", suspension.flag.evidence),
                },
                at,
            )),
        }
    }

    pub(super) fn lift_suspension(
        &mut self,
        contact: &ContactId,
        channel: Channel,
    ) -> Option<Suspension> {
        let at = self
            .suspensions
            .iter()
            .position(|s| s.channel == channel && &s.contact_id == contact)?;
        Some(self.suspensions.remove(at))
    }
}
