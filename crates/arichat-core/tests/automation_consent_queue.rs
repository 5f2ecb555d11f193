//! Status automation, consent ledger and priority queue working together, and the
//! queue at the scale of a tenant (100,000 open conversations).

use arichat_core::automation::{DecisionOutcome, StatusPolicy};
use arichat_core::consent::{ConsentEvidence, ConsentLedger, ConsentStatus, Recorded};
use arichat_core::intent::Intent;
use arichat_core::queue::{
    Agent, AgentId, AssignmentStrategy, PriorityQueue, QueueConfig, QueueEntry,
};
use arichat_core::{
    AuthorKind, Channel, ChannelIdentity, ConsentSignal, ContactId, ContactRef, Conversation,
    ConversationId, Direction, Event, EventKind, Lead, LeadId, LeadStatus, MessageContent,
    TenantId,
};
use chrono::{DateTime, Duration, TimeZone, Utc};

fn t0() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 7, 1, 8, 0, 0).unwrap()
}

fn inbound(channel: Channel, body: &str, at: DateTime<Utc>) -> Event {
    Event {
        idempotency_key: format!("{channel}:{at}"),
        channel,
        channel_account_id: "acc".into(),
        tenant_id: Some(TenantId::new("acme")),
        contact: Some(ContactRef {
            identity: ChannelIdentity::whatsapp("573001234567").unwrap(),
            display_name: None,
            phone: None,
        }),
        occurred_at: at,
        business_connection_id: None,
        group_id: None,
        kind: EventKind::Message {
            message_id: format!("m-{}", at.timestamp()).into(),
            direction: Direction::Inbound,
            author: AuthorKind::Client,
            content: MessageContent::Text { body: body.into() },
            reply_to: None,
            forwarded: false,
            referral: None,
        },
    }
}

/// A conversation from first price question to opt-out: the lead moves forward only,
/// consent follows the messages, and the queue drops the conversation's priority once
/// answered.
#[test]
fn a_conversation_end_to_end() {
    let contact = ContactId::new("c-1");
    let mut lead = Lead::new(
        LeadId::new("l-1"),
        TenantId::new("acme"),
        contact.clone(),
        Channel::Whatsapp,
        t0(),
    );
    let mut conv = Conversation::new(
        "acme".into(),
        Channel::Whatsapp,
        "acc".into(),
        contact.clone(),
    );
    let policy = StatusPolicy::default();
    let mut ledger = ConsentLedger::default();
    let mut queue = PriorityQueue::new(QueueConfig::default()).unwrap();
    queue.add_agent(Agent::new("ana", [Channel::Whatsapp]));

    // The contact opted in to promotions through an import last month.
    ledger.record_manual(
        &contact,
        Channel::Whatsapp,
        ConsentStatus::OptedIn,
        ConsentEvidence::Import {
            source: "crm".into(),
        },
        t0() - Duration::days(30),
    );

    // The classifier's output is given here; the intent module produces it in a host.
    let script: [(i64, &str, &[Intent], LeadStatus, DecisionOutcome); 4] = [
        (
            0,
            "hola cuanto cuesta el plan?",
            &[Intent::Greeting, Intent::PriceInquiry],
            LeadStatus::Interested,
            DecisionOutcome::Changed,
        ),
        (
            1,
            "me das 2 cuotas sin interes?",
            &[Intent::Negotiation],
            LeadStatus::Negotiating,
            DecisionOutcome::Changed,
        ),
        (
            2,
            "y a q hora abren?",
            &[Intent::Scheduling],
            LeadStatus::Negotiating,
            DecisionOutcome::Backwards,
        ),
        (
            3,
            "no me interesa, no me escriban mas",
            &[Intent::OptOut],
            LeadStatus::Lost,
            DecisionOutcome::Changed,
        ),
    ];
    for (hour, text, intents, status, outcome) in script {
        let at = t0() + Duration::hours(hour);
        let event = inbound(Channel::Whatsapp, text, at);
        conv.record_inbound(event.occurred_at);
        let d = policy.apply(&mut lead, intents, text, at);
        assert_eq!(
            (d.outcome, lead.status()),
            (outcome, status),
            "{text}: {}",
            d.explanation
        );
        assert!(d.explanation.contains(text), "{}", d.explanation);
        assert_eq!(
            ledger.record_event(&contact, &event),
            None,
            "no keyword in {text}"
        );
        ledger.record_message(&contact, Channel::Whatsapp, text, intents, None, at);
        queue.upsert(QueueEntry::from_conversation(&conv, 70.0), at);
    }
    assert_eq!(lead.history().len(), 3);
    let d = ledger.may_send_marketing(&contact, Channel::Whatsapp, t0() + Duration::hours(4));
    assert!(!d.allowed);
    assert!(d.reason.contains("opt_out"), "{}", d.reason);
    // A later purchase intent cannot reopen a lost lead without an agent.
    let d = policy.apply(
        &mut lead,
        &[Intent::PurchaseIntent],
        "bueno si lo quiero",
        t0() + Duration::hours(5),
    );
    assert_eq!(d.outcome, DecisionOutcome::Closed);

    // The queue: the contact waits since their last message (a lower bound from the
    // conversation), and the priority shows each term.
    let now = t0() + Duration::hours(4);
    let item = queue.rank(&conv.id, now).unwrap();
    assert_eq!(item.terms.waiting_seconds, 3600);
    assert_eq!(item.terms.score_points, 7.0);
    assert_eq!(item.terms.window_remaining_seconds, Some(23 * 3600));
    let a = queue.assign_next(now).unwrap();
    assert_eq!(a.agent_id, AgentId::new("ana"));
    conv.record_outbound(now);
    queue.remove(&conv.id);
    assert_eq!(queue.load(&AgentId::new("ana")), Some(0));
}

#[test]
fn telegram_block_and_unblock_events() {
    let contact = ContactId::new("c-2");
    let mut ledger = ConsentLedger::default();
    let ev = |signal, at| Event {
        idempotency_key: "k".into(),
        channel: Channel::Telegram,
        channel_account_id: "bot".into(),
        tenant_id: None,
        contact: None,
        occurred_at: at,
        business_connection_id: None,
        group_id: None,
        kind: EventKind::Consent {
            signal,
            detail: None,
        },
    };
    // Delivered out of order: the unblock (later) arrives first.
    assert_eq!(
        ledger.record_event(
            &contact,
            &ev(ConsentSignal::OptIn, t0() + Duration::hours(2))
        ),
        Some(Recorded::Applied)
    );
    assert_eq!(
        ledger.record_event(&contact, &ev(ConsentSignal::Blocked, t0())),
        Some(Recorded::Stale)
    );
    let d = ledger.may_send_marketing(&contact, Channel::Telegram, t0() + Duration::hours(3));
    assert!(d.allowed, "{}", d.reason);
    assert_eq!(d.record.unwrap().evidence, ConsentEvidence::TelegramUnblock);
    let json = ledger.to_json();
    assert_eq!(ConsentLedger::from_json(&json).unwrap(), ledger);
}

/// A deterministic pseudo-random stream (xorshift), so the test needs no dependency.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
}

fn entry(i: u64, rng: &mut Rng, now: DateTime<Utc>) -> QueueEntry {
    let channel = Channel::ALL[(rng.next() % 4) as usize];
    let minutes_ago = (rng.next() % (30 * 60)) as i64;
    let since = now - Duration::minutes(minutes_ago);
    let mut e = QueueEntry::waiting(
        ConversationId::new(format!("conv-{i}")),
        channel,
        (rng.next() % 101) as f64,
        since,
    );
    // One in five has been answered; one in four wrote again later (window extended).
    match rng.next() % 20 {
        0..=3 => e.waiting_since = None,
        4..=8 => e.last_inbound_at = Some(since + Duration::minutes((rng.next() % 120) as i64)),
        _ => {}
    }
    e
}

const N: u64 = 100_000;

/// 100,000 conversations: insert, update a tenth, let four hours pass (many windows
/// enter their last hours or close), then pop everything: priorities come out in
/// non-increasing order and every conversation exactly once.
#[test]
fn one_hundred_thousand_conversations_pop_in_order() {
    let now = t0();
    let mut rng = Rng(0x9E37_79B9_7F4A_7C15);
    let mut q = PriorityQueue::new(QueueConfig::default()).unwrap();
    for i in 0..N {
        assert!(q.upsert(entry(i, &mut rng, now), now));
    }
    for _ in 0..N / 10 {
        let i = rng.next() % N;
        assert!(!q.upsert(entry(i, &mut rng, now), now));
    }
    assert_eq!(q.len(), N as usize);

    let later = now + Duration::hours(4);
    // Thousands crossed a breakpoint in those 4 hours: the host's tick re-keys them.
    assert!(q.tick(later) > usize::try_from(N / 100).unwrap());
    let top = q.top(50, later);
    // Order is exact; displayed priorities are the terms' sum, equal up to rounding.
    for w in top.windows(2) {
        assert!(
            w[0].priority >= w[1].priority - 1e-9,
            "{:?} {:?}",
            w[0],
            w[1]
        );
    }

    let mut last = f64::INFINITY;
    let mut popped = 0u64;
    let mut seen = std::collections::HashSet::new();
    while let Some(item) = q.pop(later) {
        assert!(
            item.priority <= last + 1e-9,
            "{} after {last}",
            item.priority
        );
        assert!((item.priority - item.terms.priority()).abs() < 1e-12);
        assert!(seen.insert(item.conversation_id));
        last = item.priority;
        popped += 1;
    }
    assert_eq!(popped, N);
    assert!(q.is_empty());
}

/// At scale, assignment respects channels and balances load.
#[test]
fn assignment_at_scale_respects_channels_and_balances() {
    let now = t0();
    let mut rng = Rng(42);
    for strategy in [
        AssignmentStrategy::LeastLoaded,
        AssignmentStrategy::RoundRobin,
    ] {
        let mut q = PriorityQueue::new(QueueConfig {
            strategy,
            ..QueueConfig::default()
        })
        .unwrap();
        for i in 0..10_000 {
            q.upsert(entry(i, &mut rng, now), now);
        }
        let agents = [
            Agent::new("wa-1", [Channel::Whatsapp]),
            Agent::new("wa-2", [Channel::Whatsapp]),
            Agent::new("social", [Channel::Messenger, Channel::Instagram]),
            Agent::new("tg", [Channel::Telegram]),
            Agent::new("all", Channel::ALL).with_max_load(500),
        ];
        for a in &agents {
            q.add_agent(a.clone());
        }
        let mut last = f64::INFINITY;
        while let Some(a) = q.assign_next(now) {
            let agent = agents.iter().find(|x| x.id == a.agent_id).unwrap();
            assert!(agent.serves(a.item.channel), "{strategy}: {a:?}");
            assert!(a.item.priority <= last + 1e-9);
            last = a.item.priority;
        }
        assert_eq!(q.unassigned_len(), 0, "every channel is served");
        let load = |id: &str| q.load(&AgentId::new(id)).unwrap();
        assert_eq!(load("all"), 500);
        for a in &agents {
            assert!(load(a.id.as_str()) > 0, "{strategy}: {} got nothing", a.id);
        }
        if strategy == AssignmentStrategy::LeastLoaded {
            // The two WhatsApp agents share WhatsApp evenly (within one conversation).
            assert!(load("wa-1").abs_diff(load("wa-2")) <= 1);
        }
        let total: u32 = agents.iter().map(|a| load(a.id.as_str())).sum();
        assert_eq!(total, 10_000);
    }
}
