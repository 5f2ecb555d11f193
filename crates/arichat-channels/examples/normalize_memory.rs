//! Peak heap bytes of one `normalize` call per body byte, for worst-case bodies
//! (BENCHMARKS.md, "Memory per body byte").
//!
//! `cargo run --release -p arichat-channels --example normalize_memory`
//!
//! A counting global allocator records the peak of live heap bytes during the call
//! (the body itself is allocated before and not counted); the events returned are
//! included, since the caller holds them.
// A `GlobalAlloc` impl is `unsafe` by definition; it only forwards to `System`.
#![allow(unsafe_code)]

use std::alloc::{GlobalAlloc, Layout, System};
use std::sync::atomic::{AtomicUsize, Ordering::Relaxed};

use arichat_channels::{normalize, NormalizeOptions};
use arichat_core::Channel;

struct Counting;

static LIVE: AtomicUsize = AtomicUsize::new(0);
static PEAK: AtomicUsize = AtomicUsize::new(0);

unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        let live = LIVE.fetch_add(layout.size(), Relaxed) + layout.size();
        PEAK.fetch_max(live, Relaxed);
        unsafe { System.alloc(layout) }
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        LIVE.fetch_sub(layout.size(), Relaxed);
        unsafe { System.dealloc(ptr, layout) }
    }
}

#[global_allocator]
static ALLOC: Counting = Counting;

fn wa(messages: &str) -> Vec<u8> {
    format!(
        r#"{{"object":"whatsapp_business_account","entry":[{{"id":"1","changes":[{{"field":"messages","value":{{"metadata":{{"phone_number_id":"106540352242922"}},"contacts":[{{"profile":{{"name":"Ana"}},"wa_id":"573001234567"}}],"messages":[{messages}]}}}}]}}]}}"#
    )
    .into_bytes()
}

fn meta(items: &str) -> Vec<u8> {
    format!(r#"{{"object":"page","entry":[{{"id":"PAGE","time":1,"messaging":[{items}]}}]}}"#)
        .into_bytes()
}

fn tg(items: &str) -> Vec<u8> {
    format!(r#"{{"ok":true,"result":[{items}]}}"#).into_bytes()
}

fn repeat(item: &str, n: usize) -> String {
    vec![item; n].join(",")
}

fn measure(name: &str, channel: Channel, body: &[u8], options: &NormalizeOptions) {
    let before = LIVE.load(Relaxed);
    PEAK.store(before, Relaxed);
    let result = normalize(channel, body, options);
    let peak = PEAK.load(Relaxed) - before;
    let outcome = match &result {
        Ok(events) => format!("{} events", events.len()),
        Err(e) => e.code().to_owned(),
    };
    drop(result);
    println!(
        "| {name} | {} | {outcome} | {:.1} MB | {:.0} |",
        body.len(),
        peak as f64 / 1e6,
        peak as f64 / body.len() as f64
    );
}

fn main() {
    let options = NormalizeOptions::new(chrono::Utc::now()).with_account("bot1");
    let uncapped = options.clone().with_max_items(usize::MAX);
    let text = r#"{"from":"573001234567","id":"wamid.HBgMNTczMDAxMjM0NTY3FQIAEhggQTVFNzY5","timestamp":"1700000000","type":"text","text":{"body":"Hola, quiero saber el precio del plan"}}"#;
    let meta_text = r#"{"sender":{"id":"6783214522"},"recipient":{"id":"PAGE"},"timestamp":1700000000000,"message":{"mid":"m_AbCdEfGh","text":"Hola, quiero saber el precio del plan"}}"#;
    let tg_text = r#"{"update_id":1,"message":{"message_id":5,"date":1700000000,"chat":{"id":42,"type":"private"},"from":{"id":42,"is_bot":false,"first_name":"Ana"},"text":"Hola, quiero saber el precio del plan"}}"#;
    let big_field = format!(
        r#"{{"from":"573001234567","id":"wamid.X","timestamp":"1","type":"text","text":{{"body":"{}"}}}}"#,
        "a".repeat(900_000)
    );
    println!("| body | bytes | result | peak heap | peak / body byte |");
    println!("|---|---|---|---|---|");
    let cases: Vec<(&str, Channel, Vec<u8>)> = vec![
        (
            "WhatsApp, 1,000 text messages",
            Channel::Whatsapp,
            wa(&repeat(text, 1000)),
        ),
        (
            "Messenger, 1,000 text messages",
            Channel::Messenger,
            meta(&repeat(meta_text, 1000)),
        ),
        (
            "Telegram getUpdates, 100 updates",
            Channel::Telegram,
            tg(&repeat(tg_text, 100)),
        ),
        (
            "WhatsApp, one 900 KB text",
            Channel::Whatsapp,
            wa(&big_field),
        ),
        (
            "WhatsApp, 9,997 `{}` messages (at the cap)",
            Channel::Whatsapp,
            wa(&repeat("{}", 9_997)),
        ),
        (
            "Messenger, 9,999 `{}` items (at the cap)",
            Channel::Messenger,
            meta(&repeat("{}", 9_999)),
        ),
        (
            "Telegram, 10,000 `{}` results (at the cap)",
            Channel::Telegram,
            tg(&repeat("{}", 10_000)),
        ),
        (
            "WhatsApp, 9,997 `7` messages (lenient path)",
            Channel::Whatsapp,
            wa(&repeat("7", 9_997)),
        ),
        (
            "WhatsApp, 300,000 `{}` messages (900 KB)",
            Channel::Whatsapp,
            wa(&repeat("{}", 300_000)),
        ),
        (
            "Messenger, 300,000 `{}` items (900 KB)",
            Channel::Messenger,
            meta(&repeat("{}", 300_000)),
        ),
        (
            "Telegram, 300,000 `{}` results (900 KB)",
            Channel::Telegram,
            tg(&repeat("{}", 300_000)),
        ),
    ];
    for (name, channel, body) in &cases {
        measure(name, *channel, body, &options);
    }
    println!();
    println!("Without the cap (`max_items = usize::MAX`):");
    println!();
    println!("| body | bytes | result | peak heap | peak / body byte |");
    println!("|---|---|---|---|---|");
    for (name, channel, body) in &cases[8..] {
        measure(name, *channel, body, &uncapped);
    }
}
