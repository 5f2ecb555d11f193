//! The in-process latency of one WhatsApp message through the whole inbound pipeline,
//! one message at a time, with `--leads` open conversations already queued:
//! verify (`X-Hub-Signature-256`, HMAC-SHA256) → normalize → dedup
//! (`MemoryIdempotencyStore`) → classify (`HybridClassifier`) → score (a scorecard with
//! fit and engagement rules) → priority queue update (`PriorityQueue::upsert`).
//!
//! ```text
//! cargo run --release -p arichat-channels --example pipeline_latency -- --leads 100000
//! cargo run --release -p arichat-channels --example pipeline_latency -- --leads 1000000 --messages 300000
//! ```
//!
//! Bodies are built before timing: each from a different sender among the open leads
//! (a few new ones too), with Spanish and Portuguese texts of sales chats, signed with
//! the account's app secret; one in 50 is a redelivery of an earlier body. The clock of
//! the run moves 10 hours over the messages, so leads cross their window breakpoints
//! (the last 4 hours, then the close) while it runs, as they do in production. The
//! host's `PriorityQueue::tick` runs once a simulated second between messages, timed
//! apart (a host runs it on a timer). The first `--warmup` messages are not counted. Per-stage percentiles are printed first;
//! the LAST line is the whole pipeline's `p50`, `p99` and `p99.9` in microseconds
//! (wall clock). The thread's CPU time per message is printed too: on a machine shared
//! with other work, a wall-clock tail far above the CPU tail is time spent waiting for
//! a core, not work.
// One call to clock_gettime(CLOCK_THREAD_CPUTIME_ID) through libc.
#![allow(unsafe_code)]

use std::collections::HashMap;
use std::time::Instant;

use arichat_channels::verify::{SignatureVerifier, WebhookVerifier};
use arichat_channels::NormalizeOptions;
use arichat_core::dedup::{IdempotencyStore, MemoryIdempotencyStore, Seen};
use arichat_core::intent::{HybridClassifier, IntentClassifier};
use arichat_core::message::MessageContent;
use arichat_core::queue::{PriorityQueue, QueueConfig, QueueEntry};
use arichat_core::scoring::{EngagementEvent, LeadRecord, Scorecard};
use arichat_core::{Channel, ConversationId, EventKind};
use chrono::{DateTime, Duration, TimeZone, Utc};

#[path = "common/thread_cpu.rs"]
mod thread_cpu;

use thread_cpu::thread_cpu_ns;

const SECRET: &str = "pipeline-latency-app-secret";
const ACCOUNT: &str = "106540352242922";

const TEXTS: &[&str] = &[
    "Hola! vi el anuncio del crédito, cuánto es la cuota para 10 millones?",
    "buenas tardes, quisiera saber el precio del plan familiar",
    "Me interesa, cómo hago para comprar?",
    "ya les pagué ayer y no me llega la confirmación, me ayudan?",
    "no me escriban más por favor",
    "Olá, quanto custa o plano anual? vocês parcelam no cartão?",
    "quiero hablar con un asesor",
    "tienen envío a Medellín? cuánto demora",
    "gracias, lo pienso y les aviso",
    "el producto llegó dañado, quiero la devolución del dinero",
    "me pasas el link de pago? quiero el de 3 cuotas",
    "Bom dia! queria agendar uma visita para amanhã à tarde",
    "cuál es la tasa de interés mensual?",
    "ok perfecto, lo compro ya mismo",
    "hola",
    "no gracias, ya conseguí en otro lado",
    "¿Aceptan Nequi o solo tarjeta? necesito factura a nombre de la empresa",
    "hace una semana pedí el reembolso y nada, esto es una estafa",
    "quero cancelar minha assinatura",
    "podría enviarme el catálogo con precios al por mayor?",
];

const CARD: &str = r#"
name = "pipeline"
base = 10

[fields]
employees = "number"

[[fit]]
id = "mid_size"
field = "employees"
range = { gte = 50, lt = 500 }
points = 20

[[fit]]
id = "from_colombia"
field = "country"
equals = "CO"
points = 5

[[engagement]]
id = "asked_price"
event = "intent"
intent = "price_inquiry"
points = 30
half_life_hours = 24

[[engagement]]
id = "wants_to_buy"
event = "intent"
intent = "purchase_intent"
points = 40
half_life_hours = 48

[[engagement]]
id = "wrote"
event = "inbound_message"
points = 5
cap = 15

[grades]
a = 75
b = 50
c = 25

[stages]
mql = 40
sql = 80
"#;

/// A small deterministic generator (xorshift64*), so runs are comparable.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
}

fn arg(name: &str, default: usize) -> usize {
    let args: Vec<String> = std::env::args().collect();
    args.iter()
        .position(|a| a == name)
        .and_then(|i| args.get(i + 1))
        .map(|v| v.replace('_', "").parse().expect("a number"))
        .unwrap_or(default)
}

fn phone(lead: usize) -> String {
    format!("57300{lead:07}")
}

fn body(from: &str, name: &str, id: u64, at: DateTime<Utc>, text: &str) -> Vec<u8> {
    serde_json::json!({
        "object": "whatsapp_business_account",
        "entry": [{
            "id": "102290129340398",
            "changes": [{
                "field": "messages",
                "value": {
                    "messaging_product": "whatsapp",
                    "metadata": {"display_phone_number": "15550783881", "phone_number_id": ACCOUNT},
                    "contacts": [{"profile": {"name": name}, "wa_id": from}],
                    "messages": [{
                        "from": from,
                        "id": format!("wamid.HBgMNTczMDAxMjM0NTY3FQIAEhgg{id:016X}"),
                        "timestamp": at.timestamp().to_string(),
                        "type": "text",
                        "text": {"body": text}
                    }]
                }
            }]
        }]
    })
    .to_string()
    .into_bytes()
}

/// What the host keeps per lead to score it.
struct LeadState {
    record: LeadRecord,
    engagement: Vec<EngagementEvent>,
}

/// Nanosecond samples of one stage.
#[derive(Default)]
struct Samples(Vec<u64>);

impl Samples {
    fn percentiles(&mut self) -> (f64, f64, f64, f64) {
        self.0.sort_unstable();
        let at = |q: f64| {
            let i = ((self.0.len() as f64 * q).ceil() as usize).clamp(1, self.0.len()) - 1;
            self.0[i] as f64 / 1e3
        };
        (at(0.5), at(0.99), at(0.999), at(1.0))
    }
}

fn main() {
    let leads = arg("--leads", 100_000);
    let messages = arg("--messages", 200_000);
    let warmup = arg("--warmup", 20_000).min(messages / 2);
    let start: DateTime<Utc> = Utc.with_ymd_and_hms(2026, 3, 2, 9, 0, 0).unwrap();
    let span = Duration::hours(10);
    let mut rng = Rng(0x9E37_79B9_7F4A_7C15);

    let t = Instant::now();
    let mut verifier = WebhookVerifier::new(); // warms the process up (phone metadata, model)
    verifier
        .add(Channel::Whatsapp, ACCOUNT, "tenant", [SECRET])
        .unwrap();
    let classifier = HybridClassifier::new();
    let card = Scorecard::from_toml(CARD).unwrap();
    let mut store = MemoryIdempotencyStore::new(
        MemoryIdempotencyStore::DEFAULT_CAPACITY,
        MemoryIdempotencyStore::DEFAULT_TTL,
    );
    let mut queue = PriorityQueue::new(QueueConfig::default()).unwrap();
    // The open leads: clients waiting 0–30 hours, scores 0–100; their windows enter the
    // last 4 hours and close while the run's clock moves.
    for lead in 0..leads {
        let since = start - Duration::seconds(rng.below(30 * 3600) as i64);
        let score = rng.below(101) as f64;
        let id = format!("whatsapp:{ACCOUNT}:{}", phone(lead));
        queue.upsert(
            QueueEntry::waiting(id, Channel::Whatsapp, score, since),
            start,
        );
    }
    let mut state: HashMap<String, LeadState> = HashMap::with_capacity(leads + messages);
    let setup = t.elapsed();

    let step = span / i32::try_from(messages).expect("fewer than 2^31 messages");
    let mut bodies = Vec::with_capacity(messages);
    for i in 0..messages {
        let at = start + step * i32::try_from(i).unwrap();
        if i > 0 && i % 50 == 0 {
            // A redelivery of a recent body (same message id): dedup must catch it.
            let back = 1 + rng.below(i.min(40) as u64) as usize;
            let (old, _, _): &(Vec<u8>, String, DateTime<Utc>) = &bodies[i - back];
            let old = old.clone();
            bodies.push((old.clone(), SignatureVerifier::sign(SECRET, &old), at));
            continue;
        }
        // Mostly open leads, one in 20 a new sender.
        let lead = if rng.below(20) == 0 {
            leads + i
        } else {
            rng.below(leads.max(1) as u64) as usize
        };
        let text = TEXTS[rng.below(TEXTS.len() as u64) as usize];
        let b = body(&phone(lead), "Cliente", i as u64, at, text);
        let sig = SignatureVerifier::sign(SECRET, &b);
        bodies.push((b, sig, at));
    }

    let mut total = Samples::default();
    let mut cpu = Samples::default();
    let mut stages: [Samples; 5] = Default::default();
    let names = ["verify+normalize", "dedup", "classify", "score", "queue"];
    let (mut duplicates, mut applied) = (0usize, 0usize);
    // The host's once-a-second timer, run between messages and timed apart.
    let (mut last_tick, mut ticks, mut rekeyed) = (start, Samples::default(), 0usize);
    for (i, (b, sig, now)) in bodies.iter().enumerate() {
        let now = *now;
        if now - last_tick >= Duration::seconds(1) {
            let t = Instant::now();
            rekeyed += queue.tick(now);
            ticks.0.push(t.elapsed().as_nanos() as u64);
            last_tick = now;
        }
        let counted = i >= warmup;
        let c0 = thread_cpu_ns();
        let t0 = Instant::now();
        let options = NormalizeOptions::new(now);
        let events = verifier
            .normalize(Channel::Whatsapp, b, Some(sig), &options)
            .expect("signed body");
        let t1 = Instant::now();
        let mut lap = [
            t1 - t0,
            Default::default(),
            Default::default(),
            Default::default(),
            Default::default(),
        ];
        for event in events {
            let d = Instant::now();
            let seen = store.check_and_insert(&event.idempotency_key, now).unwrap();
            lap[1] += d.elapsed();
            if seen == Seen::Duplicate {
                duplicates += 1;
                continue;
            }
            applied += 1;
            let EventKind::Message {
                content: MessageContent::Text { body },
                ..
            } = &event.kind
            else {
                continue;
            };
            let c = Instant::now();
            let class = classifier.classify(body);
            lap[2] += c.elapsed();
            let s = Instant::now();
            let contact = event.contact.as_ref().expect("a sender");
            let conversation = format!(
                "whatsapp:{}:{}",
                event.channel_account_id,
                contact.identity.id()
            );
            let lead = state
                .entry(conversation.clone())
                .or_insert_with(|| LeadState {
                    record: LeadRecord::new()
                        .with(
                            "country",
                            contact
                                .phone
                                .as_ref()
                                .and_then(|p| p.main_region())
                                .unwrap_or_else(|| "-".to_owned()),
                        )
                        .with("employees", 10.0),
                    engagement: Vec::new(),
                });
            if lead.engagement.len() >= 16 {
                lead.engagement.drain(..8);
            }
            lead.engagement.extend(EngagementEvent::from_event(&event));
            lead.engagement
                .push(EngagementEvent::intent(class.primary, now));
            let score = card.score(&lead.record, &lead.engagement, now);
            lap[3] += s.elapsed();
            let q = Instant::now();
            let id = ConversationId::new(conversation);
            // The client waits since their first unanswered message.
            let since = queue
                .get(&id)
                .and_then(|e| e.waiting_since)
                .unwrap_or(event.occurred_at);
            let mut entry = QueueEntry::waiting(id, Channel::Whatsapp, score.total, since);
            entry.last_inbound_at = Some(event.occurred_at);
            queue.upsert(entry, now);
            lap[4] += q.elapsed();
        }
        let whole = t0.elapsed();
        let on_cpu = thread_cpu_ns() - c0;
        if counted {
            total.0.push(whole.as_nanos() as u64);
            cpu.0.push(on_cpu);
            for (s, l) in stages.iter_mut().zip(lap) {
                s.0.push(l.as_nanos() as u64);
            }
        }
    }
    let counted = total.0.len();
    println!(
        "{leads} open leads (set up in {:.1} s), {messages} messages ({warmup} warm-up), {applied} applied, {duplicates} redeliveries caught, queue now {}",
        setup.as_secs_f64(),
        queue.len()
    );
    if let Ok(load) = std::fs::read_to_string("/proc/loadavg") {
        println!(
            "load average: {}",
            load.split_whitespace()
                .take(3)
                .collect::<Vec<_>>()
                .join(" ")
        );
    }
    for (name, s) in names.iter().zip(stages.iter_mut()) {
        let (p50, p99, p999, max) = s.percentiles();
        println!("  {name:<17} p50 {p50:>7.1} µs  p99 {p99:>7.1} µs  p99.9 {p999:>7.1} µs  max {max:>8.1} µs");
    }
    let (t50, t99, _, tmax) = ticks.percentiles();
    println!(
        "  tick(now), once a simulated second, between messages: {} ticks re-keyed {rekeyed}; p50 {t50:.1} µs, p99 {t99:.1} µs, max {tmax:.1} µs",
        ticks.0.len()
    );
    let (c50, c99, c999, cmax) = cpu.percentiles();
    println!("  thread CPU time   p50 {c50:>7.1} µs  p99 {c99:>7.1} µs  p99.9 {c999:>7.1} µs  max {cmax:>8.1} µs");
    let (p50, p99, p999, max) = total.percentiles();
    println!("  whole (wall clock; max {max:.1} µs over {counted} messages)");
    println!(
        "pipeline latency at {leads} leads: p50 {p50:.1} µs, p99 {p99:.1} µs, p99.9 {p999:.1} µs"
    );
}
