//! Normalization (parse, map, dedup) against a generic `serde_json::Value` parse of the
//! same bytes and a tokenize-only pass (`IgnoredAny`), in one run. Inputs: every WhatsApp, Telegram, Messenger and Instagram
//! fixture under `../shared/fixtures` that normalizes.
//!
//! `cargo bench -p arichat-channels --bench normalize`

use arichat_channels::{normalize, NormalizeOptions};
use arichat_core::dedup::{IdempotencyStore, MemoryIdempotencyStore};
use arichat_core::Channel;
use criterion::{criterion_main, Criterion, Throughput};

#[path = "../examples/common/fixture_bodies.rs"]
mod fixture_bodies;

use fixture_bodies::{bodies, fixtures_dir};

fn bench_channel(c: &mut Criterion, channel: Channel, sub: &str) {
    let opts = NormalizeOptions::new(chrono::Utc::now()).with_account("bench");
    let bodies = bodies(channel, sub, &opts);
    if bodies.is_empty() {
        eprintln!(
            "no {channel} fixtures found under {}",
            fixtures_dir().display()
        );
        return;
    }
    let bytes: usize = bodies.iter().map(Vec::len).sum();
    let mut group = c.benchmark_group(format!("{channel}/{}_bodies", bodies.len()));
    group.throughput(Throughput::Bytes(bytes as u64));
    group.bench_function("serde_json::Value", |b| {
        b.iter(|| {
            for body in &bodies {
                std::hint::black_box(serde_json::from_slice::<serde_json::Value>(body).unwrap());
            }
        })
    });
    // The floor of any parser of these bytes: tokenize and validate, build nothing.
    group.bench_function("tokenize only (IgnoredAny)", |b| {
        b.iter(|| {
            for body in &bodies {
                std::hint::black_box(
                    serde_json::from_slice::<serde::de::IgnoredAny>(body).unwrap(),
                );
            }
        })
    });
    // Sized for the run (twice the events of one pass): the default store reserves room
    // for a million keys, and even 65,536 slots cost more to allocate than 20 bodies
    // take to normalize.
    let events: usize = bodies
        .iter()
        .map(|b| normalize(channel, b, &opts).map_or(0, |e| e.len()))
        .sum();
    group.bench_function("arichat normalize", |b| {
        b.iter(|| {
            for body in &bodies {
                std::hint::black_box(normalize(channel, body, &opts).unwrap());
            }
        })
    });
    group.bench_function("arichat normalize+dedup", |b| {
        b.iter(|| {
            let mut store = MemoryIdempotencyStore::new(
                (2 * events).max(16),
                MemoryIdempotencyStore::DEFAULT_TTL,
            );
            for body in &bodies {
                for event in normalize(channel, body, &opts).unwrap() {
                    std::hint::black_box(
                        store
                            .check_and_insert(&event.idempotency_key, opts.received_at)
                            .unwrap(),
                    );
                }
            }
        })
    });
    group.finish();
}

/// One WhatsApp body carrying `n` text messages, each from its own sender (`contacts[]`
/// lists all `n`): the shape of a busy number's batched delivery.
fn many_senders_body(n: usize) -> Vec<u8> {
    let contacts: Vec<serde_json::Value> = (0..n)
        .map(|i| {
            serde_json::json!({
                "profile": { "name": format!("Cliente {i}") },
                "wa_id": format!("57300{:07}", 1_000_000 + i),
            })
        })
        .collect();
    let messages: Vec<serde_json::Value> = (0..n)
        .map(|i| {
            serde_json::json!({
                "from": format!("57300{:07}", 1_000_000 + i),
                "id": format!("wamid.SENDERS{i}"),
                "timestamp": "1764748800",
                "type": "text",
                "text": { "body": "hola, cuánto cuesta?" },
            })
        })
        .collect();
    serde_json::to_vec(&serde_json::json!({
        "object": "whatsapp_business_account",
        "entry": [{ "id": "WABA", "changes": [{ "field": "messages", "value": {
            "messaging_product": "whatsapp",
            "metadata": { "display_phone_number": "15550001111", "phone_number_id": "1065" },
            "contacts": contacts,
            "messages": messages,
        }}]}],
    }))
    .unwrap()
}

/// Cost per message as the number of senders in one body grows: flat when the contact
/// lookup does not scan the list.
fn bench_senders(c: &mut Criterion) {
    let opts = NormalizeOptions::new(chrono::Utc::now());
    let mut group = c.benchmark_group("whatsapp/senders_per_body");
    for n in [10, 100, 1000] {
        let body = many_senders_body(n);
        assert_eq!(normalize(Channel::Whatsapp, &body, &opts).unwrap().len(), n);
        group.throughput(Throughput::Elements(n as u64));
        group.bench_function(format!("{n}"), |b| {
            b.iter(|| std::hint::black_box(normalize(Channel::Whatsapp, &body, &opts).unwrap()))
        });
    }
    group.finish();
}

fn benches(c: &mut Criterion) {
    bench_senders(c);
    bench_channel(c, Channel::Whatsapp, "whatsapp");
    bench_channel(c, Channel::Telegram, "telegram");
    bench_channel(c, Channel::Messenger, "messenger");
    bench_channel(c, Channel::Instagram, "instagram");
}

#[allow(missing_docs)] // generated by the macro
mod group {
    criterion::criterion_group!(normalize_benches, super::benches);
}
use group::normalize_benches;
criterion_main!(normalize_benches);
