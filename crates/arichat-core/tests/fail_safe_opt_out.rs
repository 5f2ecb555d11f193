//! Issue 12, point 5: an explicit opt-out revokes consent and closes the lead; a
//! possible one (implicit or uncertain) suspends marketing and flags the conversation
//! for an agent, and the queue shows the flag, until the agent decides.

use arichat_core::automation::{DecisionOutcome, StatusPolicy};
use arichat_core::consent::{ClassifiedConsent, ConsentLedger, ConsentStatus, ReviewDecision};
use arichat_core::intent::{
    Classification, HybridClassifier, Intent, IntentClassifier, IntentMatch, Language, OptOutSignal,
};
use arichat_core::queue::{PriorityQueue, QueueConfig, QueueEntry};
use arichat_core::review::{ReviewFlag, ReviewReason};
use arichat_core::{
    Channel, ChannelAccountId, ContactId, Conversation, Lead, LeadId, LeadStatus, TenantId,
};
use chrono::{DateTime, Duration, TimeZone, Utc};

fn t0() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 7, 1, 8, 0, 0).unwrap()
}

struct Crm {
    lead: Lead,
    ledger: ConsentLedger,
    conversation: Conversation,
    queue: PriorityQueue,
    contact: ContactId,
}

impl Crm {
    fn new() -> Self {
        let contact = ContactId::new("c-1");
        let mut lead = Lead::new(
            LeadId::new("l-1"),
            TenantId::new("bank"),
            contact.clone(),
            Channel::Whatsapp,
            t0(),
        );
        let policy = StatusPolicy::default();
        policy.apply(
            &mut lead,
            &[Intent::Negotiation],
            "me hacen descuento?",
            t0(),
        );
        let mut ledger = ConsentLedger::default();
        ledger.record_message(&contact, Channel::Whatsapp, "START", &[], None, t0());
        Crm {
            lead,
            ledger,
            conversation: Conversation::new(
                TenantId::new("bank"),
                Channel::Whatsapp,
                ChannelAccountId::new("1065"),
                contact.clone(),
            ),
            queue: PriorityQueue::new(QueueConfig::default()).unwrap(),
            contact,
        }
    }

    /// What a host does with each inbound message.
    fn receive(&mut self, text: &str, c: &Classification, at: DateTime<Utc>) -> DecisionOutcome {
        let decision = StatusPolicy::default().apply_classification(&mut self.lead, c, text, at);
        self.ledger
            .record_classification(&self.contact, Channel::Whatsapp, text, c, None, at);
        if let Some(flag) = ReviewFlag::for_classification(c, text, at) {
            self.conversation.review = Some(flag);
        }
        self.conversation.record_inbound(at);
        self.queue
            .upsert(QueueEntry::from_conversation(&self.conversation, 50.0), at);
        decision.outcome
    }

    fn may_market(&self, at: DateTime<Utc>) -> bool {
        self.ledger
            .may_send_marketing(&self.contact, Channel::Whatsapp, at)
            .allowed
    }
}

fn implicit(text: &str, confidence: f32) -> Classification {
    Classification::from_matches(
        vec![IntentMatch::whole(Intent::OptOut, confidence, text)],
        0.5,
    )
}

#[test]
fn explicit_opt_out_revokes_consent_and_closes_the_lead() {
    let mut crm = Crm::new();
    assert!(crm.may_market(t0()));
    let text = "no me escriban más, no me interesa";
    let c = HybridClassifier::new().classify(text);
    assert!(c.is_explicit_opt_out(), "{c:?}");
    let outcome = crm.receive(text, &c, t0() + Duration::hours(1));
    assert_eq!(outcome, DecisionOutcome::Changed);
    assert_eq!(crm.lead.status(), LeadStatus::Lost);
    let record = crm.ledger.get(&crm.contact, Channel::Whatsapp).unwrap();
    assert_eq!(record.status, ConsentStatus::OptedOut);
    assert!(crm.conversation.review.is_none());
}

#[test]
fn possible_opt_out_suspends_flags_and_waits_for_an_agent() {
    let mut crm = Crm::new();
    let at = t0() + Duration::hours(2);
    let c = implicit("ya fue, chau", 0.41);
    assert_eq!(c.opt_out, Some(OptOutSignal::Implicit));
    assert_eq!(
        crm.receive("ya fue, chau", &c, at),
        DecisionOutcome::HeldForAgent
    );
    // The lead keeps its status and its consent record; marketing is suspended.
    assert_eq!(crm.lead.status(), LeadStatus::Negotiating);
    let record = crm.ledger.get(&crm.contact, Channel::Whatsapp).unwrap();
    assert_eq!(record.status, ConsentStatus::OptedIn);
    let decision = crm
        .ledger
        .may_send_marketing(&crm.contact, Channel::Whatsapp, at);
    assert!(!decision.allowed);
    assert!(
        decision.reason.contains("until an agent decides"),
        "{}",
        decision.reason
    );
    assert!(decision.reason.contains("ya fue, chau"));
    // The queue shows the flag with the evidence.
    let top = crm.queue.top(1, at);
    let flag = top[0].review.as_ref().expect("flag on the ranked item");
    assert_eq!(flag.reason, ReviewReason::PossibleOptOut);
    assert_eq!(flag.evidence, "ya fue, chau");
    // The ledger survives a round trip with its suspension.
    let restored = ConsentLedger::from_json(&crm.ledger.to_json()).unwrap();
    assert!(restored
        .suspension(&crm.contact, Channel::Whatsapp)
        .is_some());

    // The agent decides it was not an opt-out: marketing resumes, consent unchanged.
    crm.ledger.resolve_review(
        &crm.contact,
        Channel::Whatsapp,
        ReviewDecision::Keep,
        "ana",
        at,
    );
    assert!(crm.may_market(at + Duration::minutes(1)));
}

#[test]
fn agent_confirms_a_possible_opt_out() {
    let mut crm = Crm::new();
    let at = t0() + Duration::hours(3);
    crm.receive("ya fue", &implicit("ya fue", 0.45), at);
    let recorded = crm.ledger.resolve_review(
        &crm.contact,
        Channel::Whatsapp,
        ReviewDecision::OptOut,
        "ana",
        at + Duration::minutes(5),
    );
    assert!(recorded.is_some());
    let record = crm.ledger.get(&crm.contact, Channel::Whatsapp).unwrap();
    assert_eq!(record.status, ConsentStatus::OptedOut);
    assert!(record
        .evidence
        .to_string()
        .contains("confirmed opt-out: ya fue"));
}

#[test]
fn uncertain_results_move_nothing_and_start_lifts_a_suspension() {
    let mut crm = Crm::new();
    let guess = Classification {
        intents: vec![IntentMatch::whole(Intent::PurchaseIntent, 0.3, "mmm")],
        primary: Intent::PurchaseIntent,
        confidence: 0.3,
        language: Language::Unknown,
        uncertain: true,
        opt_out: None,
    };
    assert_eq!(crm.receive("mmm", &guess, t0()), DecisionOutcome::Uncertain);
    assert_eq!(crm.lead.status(), LeadStatus::Negotiating);

    let at = t0() + Duration::hours(1);
    let done = crm.ledger.record_classification(
        &crm.contact,
        Channel::Whatsapp,
        "basta",
        &implicit("basta", 0.3),
        None,
        at,
    );
    assert_eq!(done, Some(ClassifiedConsent::Suspended));
    crm.ledger.record_message(
        &crm.contact,
        Channel::Whatsapp,
        "START",
        &[],
        None,
        at + Duration::hours(1),
    );
    assert!(crm
        .ledger
        .suspension(&crm.contact, Channel::Whatsapp)
        .is_none());
}
