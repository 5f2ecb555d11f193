//! Status automation: moving a lead's status from the intents of its messages.
//!
//! A [`StatusPolicy`] maps intents to target statuses. The default:
//!
//! | intent                          | status        |
//! |---------------------------------|---------------|
//! | `price_inquiry`, `scheduling`   | `interested`  |
//! | `negotiation`, `purchase_intent`| `negotiating` |
//! | `opt_out`                       | `lost`        |
//!
//! [`StatusPolicy::apply`] moves the lead with [`ChangeCause::Intent`] through
//! [`Lead::set_status`] (so the transition table and its audit trail apply) and never:
//!
//! - moves a won or lost lead — reopening needs an agent;
//! - moves a lead backwards (a `negotiating` lead stays there on a later price question);
//! - fails: a target it may not reach is "no change", with the reason.
//!
//! Every [`Decision`] carries an explanation naming the intent and the evidence, and a
//! change's [`LeadChange::reason`] does too.
//!
//! ```
//! use arichat_core::automation::{DecisionOutcome, StatusPolicy};
//! use arichat_core::intent::Intent;
//! use arichat_core::{Channel, ContactId, Lead, LeadId, LeadStatus, TenantId};
//! use chrono::{TimeZone, Utc};
//!
//! let at = Utc.with_ymd_and_hms(2026, 2, 3, 10, 0, 0).unwrap();
//! let mut lead = Lead::new(LeadId::new("l"), TenantId::new("t"), ContactId::new("c"), Channel::Whatsapp, at);
//! let policy = StatusPolicy::default();
//!
//! let d = policy.apply(&mut lead, &[Intent::Greeting, Intent::PriceInquiry], "hola q precio tiene", at);
//! assert_eq!(lead.status(), LeadStatus::Interested);
//! assert_eq!(d.changed.unwrap().reason, "intent price_inquiry: \"hola q precio tiene\"");
//!
//! let d = policy.apply(&mut lead, &[Intent::Negotiation], "me haces descuento?", at);
//! assert_eq!(lead.status(), LeadStatus::Negotiating);
//!
//! let d = policy.apply(&mut lead, &[Intent::PriceInquiry], "y el envio cuanto?", at);
//! assert_eq!(d.outcome, DecisionOutcome::Backwards);
//! assert_eq!(lead.status(), LeadStatus::Negotiating);
//! ```

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};

use crate::intent::{Classification, Intent};
use crate::named_enum::named_enum;
use crate::{ChangeCause, CoreError, Lead, LeadChange, LeadStatus};

/// A configurable map from intents to the status they move a lead to.
///
/// Serialized as `{"targets": {"price_inquiry": "interested", ...}, "evidence_max_chars": 160}`;
/// a missing field takes its default, and `targets`, when given, replaces the default
/// map whole.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct StatusPolicy {
    /// Intent → target status. Intents not listed move nothing.
    pub targets: BTreeMap<Intent, LeadStatus>,
    /// Evidence longer than this (in characters) is cut, with `…`, in reasons.
    pub evidence_max_chars: usize,
}

impl Default for StatusPolicy {
    fn default() -> Self {
        StatusPolicy {
            targets: BTreeMap::from([
                (Intent::PriceInquiry, LeadStatus::Interested),
                (Intent::Scheduling, LeadStatus::Interested),
                (Intent::Negotiation, LeadStatus::Negotiating),
                (Intent::PurchaseIntent, LeadStatus::Negotiating),
                (Intent::OptOut, LeadStatus::Lost),
            ]),
            evidence_max_chars: 160,
        }
    }
}

named_enum!(
    /// What [`StatusPolicy::apply`] did.
    DecisionOutcome, "decision outcome", "changed, no_rule, already_there, backwards, closed, refused, held_for_agent, uncertain", {
        /// The status moved.
        Changed => "changed",
        /// No intent has a target in the policy.
        NoRule => "no_rule",
        /// The lead already has the target status.
        AlreadyThere => "already_there",
        /// The target is behind the current status: automation never moves backwards.
        Backwards => "backwards",
        /// The lead is won or lost: only an agent moves it.
        Closed => "closed",
        /// The transition table refuses the move (for example a target of `unattended`).
        Refused => "refused",
        /// A possible opt-out (implicit or uncertain): nothing moves until an agent decides.
        HeldForAgent => "held_for_agent",
        /// The classification is uncertain: automation does not act on a guess.
        Uncertain => "uncertain",
    }
);

/// The result of applying a policy: what happened and why.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Decision {
    /// What happened.
    pub outcome: DecisionOutcome,
    /// The intent that decided (the one with the furthest target), if any had a target.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub intent: Option<Intent>,
    /// The status that intent maps to.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub target: Option<LeadStatus>,
    /// The recorded change, when the status moved.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub changed: Option<LeadChange>,
    /// A sentence naming the intent, the evidence and the rule applied.
    pub explanation: String,
}

/// How far along the funnel a status is: open statuses in order, closed ones last.
fn progress(status: LeadStatus) -> u8 {
    match status {
        LeadStatus::Unattended => 0,
        LeadStatus::Interested => 1,
        LeadStatus::Negotiating => 2,
        LeadStatus::Won | LeadStatus::Lost => 3,
    }
}

impl StatusPolicy {
    /// Checks that no intent targets `unattended` (no lead ever moves back there).
    ///
    /// # Errors
    /// [`CoreError::InvalidConfig`] naming the intent.
    pub fn validate(&self) -> Result<(), CoreError> {
        match self
            .targets
            .iter()
            .find(|(_, s)| **s == LeadStatus::Unattended)
        {
            Some((intent, _)) => Err(CoreError::InvalidConfig {
                what: "status policy",
                reason: format!("intent {intent} targets unattended, which no lead moves to"),
            }),
            None => Ok(()),
        }
    }

    /// Reads a policy from JSON and validates it.
    ///
    /// # Errors
    /// [`CoreError::InvalidJson`] or [`CoreError::InvalidConfig`].
    pub fn from_json(json: &str) -> Result<Self, CoreError> {
        let policy: StatusPolicy =
            serde_json::from_str(json).map_err(|e| CoreError::json("status policy", &e, json))?;
        policy.validate()?;
        Ok(policy)
    }

    /// The deciding intent among `intents` and its target: the furthest target along
    /// the funnel (`lost`/`won` > `negotiating` > `interested`), ties broken by
    /// [`Intent::precedence`].
    pub fn target_for(&self, intents: &[Intent]) -> Option<(Intent, LeadStatus)> {
        intents
            .iter()
            .filter_map(|i| self.targets.get(i).map(|s| (*i, *s)))
            .max_by_key(|(i, s)| (progress(*s), i.precedence()))
    }

    /// Applies the policy to `lead` for a message with `intents`, quoting `evidence`
    /// (usually the message text) in the explanation and in the change's reason.
    /// Never fails: a move it may not make is a [`Decision`] without a change.
    pub fn apply(
        &self,
        lead: &mut Lead,
        intents: &[Intent],
        evidence: &str,
        at: DateTime<Utc>,
    ) -> Decision {
        let current = lead.status();
        let Some((intent, target)) = self.target_for(intents) else {
            let names: Vec<&str> = intents.iter().map(|i| i.as_str()).collect();
            return Decision {
                outcome: DecisionOutcome::NoRule,
                intent: None,
                target: None,
                changed: None,
                explanation: if names.is_empty() {
                    "no intent detected; status stays ".to_owned() + current.as_str()
                } else {
                    format!(
                        "no status rule for intent(s) {}; status stays {current}",
                        names.join(", ")
                    )
                },
            };
        };
        let quoted = self.quote(evidence);
        let unchanged = |outcome, explanation| Decision {
            outcome,
            intent: Some(intent),
            target: Some(target),
            changed: None,
            explanation,
        };
        if current.is_closed() {
            return unchanged(
                DecisionOutcome::Closed,
                format!(
                    "intent {intent} in {quoted} suggests {target}, but the lead is {current}: only an agent can move it"
                ),
            );
        }
        if target == current {
            return unchanged(
                DecisionOutcome::AlreadyThere,
                format!(
                    "intent {intent} in {quoted} maps to {target}; the lead is already {current}"
                ),
            );
        }
        if progress(target) < progress(current) {
            return unchanged(
                DecisionOutcome::Backwards,
                format!(
                    "intent {intent} in {quoted} maps to {target}, behind {current}; automation never moves a lead backwards"
                ),
            );
        }
        let reason = format!("intent {intent}: {quoted}");
        match lead.set_status(target, ChangeCause::Intent, reason, at) {
            Ok(change) => Decision {
                outcome: DecisionOutcome::Changed,
                intent: Some(intent),
                target: Some(target),
                changed: Some(change.clone()),
                explanation: format!(
                    "intent {intent} in {quoted} moved the lead from {current} to {target}"
                ),
            },
            Err(err) => unchanged(
                DecisionOutcome::Refused,
                format!("intent {intent} in {quoted} maps to {target}, but {err}"),
            ),
        }
    }

    /// Applies the policy to a classified message, failing safe:
    ///
    /// - an explicit opt-out ([`Classification::is_explicit_opt_out`]) moves the lead
    ///   to its target (`lost` by default) as [`apply`](Self::apply) does;
    /// - a possible opt-out (implicit or uncertain) moves nothing:
    ///   [`DecisionOutcome::HeldForAgent`] — pair it with
    ///   [`ConsentLedger::record_classification`](crate::consent::ConsentLedger::record_classification),
    ///   which suspends marketing, and flag the conversation
    ///   ([`ReviewFlag::for_classification`](crate::review::ReviewFlag::for_classification));
    /// - any other uncertain result moves nothing: [`DecisionOutcome::Uncertain`];
    /// - otherwise the primary intent decides.
    ///
    /// ```
    /// use arichat_core::automation::{DecisionOutcome, StatusPolicy};
    /// use arichat_core::intent::{Classification, Intent, IntentMatch};
    /// use arichat_core::{Channel, ContactId, Lead, LeadId, LeadStatus, TenantId};
    /// use chrono::Utc;
    ///
    /// let mut lead = Lead::new(LeadId::new("l"), TenantId::new("t"), ContactId::new("c"), Channel::Whatsapp, Utc::now());
    /// let maybe = Classification::from_matches(vec![IntentMatch::whole(Intent::OptOut, 0.4, "ya fue")], 0.5);
    /// let d = StatusPolicy::default().apply_classification(&mut lead, &maybe, "ya fue", Utc::now());
    /// assert_eq!(d.outcome, DecisionOutcome::HeldForAgent);
    /// assert_eq!(lead.status(), LeadStatus::Unattended);
    /// ```
    pub fn apply_classification(
        &self,
        lead: &mut Lead,
        classification: &Classification,
        evidence: &str,
        at: DateTime<Utc>,
    ) -> Decision {
        let current = lead.status();
        let c = classification;
        if c.opt_out.is_some() && !c.is_explicit_opt_out() {
            return Decision {
                outcome: DecisionOutcome::HeldForAgent,
                intent: Some(Intent::OptOut),
                target: None,
                changed: None,
                explanation: format!(
                    "possible opt-out in {} (confidence {:.2}, not explicit): status stays {current}, marketing is suspended and the conversation flagged until an agent decides",
                    self.quote(evidence),
                    c.confidence
                ),
            };
        }
        if c.uncertain {
            return Decision {
                outcome: DecisionOutcome::Uncertain,
                intent: Some(c.primary),
                target: None,
                changed: None,
                explanation: format!(
                    "intent {} in {} is uncertain (confidence {:.2}): status stays {current}",
                    c.primary,
                    self.quote(evidence),
                    c.confidence
                ),
            };
        }
        self.apply(lead, &[c.primary], evidence, at)
    }

    fn quote(&self, evidence: &str) -> String {
        let text = evidence.trim();
        let mut out: String = text.chars().take(self.evidence_max_chars).collect();
        if out.len() < text.len() {
            out.push('…');
        }
        format!("{out:?}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lead::transition::STATUS_TRANSITIONS;
    use crate::{Channel, ContactId, LeadId, TenantId, Transition};
    use chrono::TimeZone;
    use proptest::prelude::*;

    fn at() -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 2, 3, 10, 0, 0).unwrap()
    }

    fn lead_in(status: LeadStatus) -> Lead {
        let mut l = Lead::new(
            LeadId::new("l"),
            TenantId::new("t"),
            ContactId::new("c"),
            Channel::Telegram,
            at(),
        );
        if status != LeadStatus::Unattended {
            l.set_status(status, ChangeCause::Agent, "setup", at())
                .unwrap();
        }
        l
    }

    #[test]
    fn default_table() {
        let p = StatusPolicy::default();
        use Intent::*;
        use LeadStatus::*;
        for (intents, expected) in [
            (vec![PriceInquiry], Some(Interested)),
            (vec![Scheduling], Some(Interested)),
            (vec![Negotiation], Some(Negotiating)),
            (vec![PurchaseIntent], Some(Negotiating)),
            (vec![OptOut], Some(Lost)),
            (vec![Greeting, Other, Support, Objection], None),
            (vec![], None),
            (vec![PriceInquiry, PurchaseIntent], Some(Negotiating)),
            (vec![PurchaseIntent, OptOut, PriceInquiry], Some(Lost)),
        ] {
            let mut l = lead_in(Unattended);
            let d = p.apply(&mut l, &intents, "msg", at());
            assert_eq!(d.target, expected, "{intents:?}");
            assert_eq!(l.status(), expected.unwrap_or(Unattended));
            assert_eq!(d.changed.is_some(), expected.is_some());
        }
    }

    #[test]
    fn closed_leads_are_left_to_agents() {
        let p = StatusPolicy::default();
        for closed in [LeadStatus::Won, LeadStatus::Lost] {
            let mut l = lead_in(closed);
            let before = l.clone();
            let d = p.apply(&mut l, &[Intent::PurchaseIntent], "quiero comprar", at());
            assert_eq!(d.outcome, DecisionOutcome::Closed);
            assert_eq!(l, before);
            assert!(d.explanation.contains("only an agent"), "{}", d.explanation);
            assert!(d.explanation.contains("purchase_intent"));
            assert!(d.explanation.contains("\"quiero comprar\""));
        }
    }

    #[test]
    fn never_backwards_and_idempotent() {
        let p = StatusPolicy::default();
        let mut l = lead_in(LeadStatus::Negotiating);
        let d = p.apply(&mut l, &[Intent::Scheduling], "a q hora abren", at());
        assert_eq!(d.outcome, DecisionOutcome::Backwards);
        let d = p.apply(&mut l, &[Intent::Negotiation], "otro descuento", at());
        assert_eq!(d.outcome, DecisionOutcome::AlreadyThere);
        assert_eq!(l.history().len(), 1);
        let d = p.apply(&mut l, &[Intent::OptOut], "no me interesa", at());
        assert_eq!(d.outcome, DecisionOutcome::Changed);
        let change = d.changed.unwrap();
        assert_eq!(
            change.transition,
            Transition::Status {
                from: LeadStatus::Negotiating,
                to: LeadStatus::Lost
            }
        );
        assert_eq!(change.cause, ChangeCause::Intent);
        assert_eq!(change.reason, "intent opt_out: \"no me interesa\"");
        assert_eq!(
            d.explanation,
            "intent opt_out in \"no me interesa\" moved the lead from negotiating to lost"
        );
    }

    #[test]
    fn custom_policy_from_json() {
        let p = StatusPolicy::from_json(
            r#"{"targets": {"purchase_intent": "won", "greeting": "interested"}, "evidence_max_chars": 5}"#,
        )
        .unwrap();
        let mut l = lead_in(LeadStatus::Unattended);
        let d = p.apply(&mut l, &[Intent::Greeting], "hola buenas tardes", at());
        assert_eq!(l.status(), LeadStatus::Interested);
        assert_eq!(d.changed.unwrap().reason, "intent greeting: \"hola …\"");
        assert_eq!(
            p.apply(&mut l, &[Intent::PriceInquiry], "x", at()).outcome,
            DecisionOutcome::NoRule
        );
        p.apply(&mut l, &[Intent::PurchaseIntent], "ya pague", at());
        assert_eq!(l.status(), LeadStatus::Won);

        let err =
            StatusPolicy::from_json(r#"{"targets": {"greeting": "unattended"}}"#).unwrap_err();
        assert_eq!(err.code(), "invalid_config");
        let err = StatusPolicy::from_json(r#"{"targets": {"hello": "won"}}"#).unwrap_err();
        assert_eq!(err.code(), "invalid_json");
        let json = serde_json::to_value(StatusPolicy::default()).unwrap();
        assert_eq!(json["targets"]["opt_out"], "lost");
        assert_eq!(json["targets"]["scheduling"], "interested");
    }

    #[test]
    fn unvalidated_unattended_target_is_refused_not_panicking() {
        let p = StatusPolicy {
            targets: BTreeMap::from([(Intent::Greeting, LeadStatus::Unattended)]),
            ..StatusPolicy::default()
        };
        let mut l = lead_in(LeadStatus::Unattended);
        let d = p.apply(&mut l, &[Intent::Greeting], "hola", at());
        assert_eq!(d.outcome, DecisionOutcome::AlreadyThere);
        let mut l = lead_in(LeadStatus::Interested);
        let d = p.apply(&mut l, &[Intent::Greeting], "hola", at());
        assert_eq!(d.outcome, DecisionOutcome::Backwards);
    }

    fn any_status() -> impl Strategy<Value = LeadStatus> {
        proptest::sample::select(LeadStatus::ALL.to_vec())
    }

    fn any_intents() -> impl Strategy<Value = Vec<Intent>> {
        proptest::collection::vec(proptest::sample::select(Intent::ALL.to_vec()), 0..5)
    }

    proptest! {
        /// Whatever the policy and the message, a change is a legal, forward move of an
        /// open lead caused by an intent, and anything else leaves the lead untouched.
        #[test]
        fn only_legal_forward_moves(
            start in any_status(),
            intents in any_intents(),
            targets in proptest::collection::btree_map(proptest::sample::select(Intent::ALL.to_vec()), any_status(), 0..9),
            evidence in ".{0,300}",
        ) {
            let p = StatusPolicy { targets, evidence_max_chars: 50 };
            let mut l = lead_in(start);
            let before = l.clone();
            let d = p.apply(&mut l, &intents, &evidence, at());
            match d.changed {
                Some(change) => {
                    prop_assert_eq!(d.outcome, DecisionOutcome::Changed);
                    prop_assert!(!start.is_closed());
                    prop_assert!(STATUS_TRANSITIONS.contains(&(start, l.status())));
                    prop_assert!(progress(l.status()) > progress(start));
                    prop_assert_eq!(change.cause, ChangeCause::Intent);
                    prop_assert!(intents.contains(&d.intent.unwrap()));
                    prop_assert!(change.reason.contains(d.intent.unwrap().as_str()));
                }
                None => prop_assert_eq!(l, before),
            }
            prop_assert!(!d.explanation.is_empty());
        }
    }
}
