//! Events enveloped per second: every event of the demo's webhook samples turned into
//! a structured-mode CloudEvent and written as JSON, beside the baseline of writing
//! the same event as JSON (`serde_json::to_string`), interleaved over rounds.
//!
//! `cargo run --release -p arichat-channels --example cloudevents_speed -- [rounds]`

use std::time::Instant;

use arichat_channels::cloudevents::CloudEvent;
use arichat_channels::{normalize, NormalizeOptions};
use arichat_core::{Channel, Event};

fn main() {
    let rounds: usize = std::env::args()
        .nth(1)
        .and_then(|r| r.parse().ok())
        .unwrap_or(5);
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/../../examples/data/demo");
    let mut events: Vec<Event> = Vec::new();
    for entry in std::fs::read_dir(dir).expect("examples/data/demo") {
        let path = entry.unwrap().path();
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        let channel = match &name[..2] {
            "wa" => Channel::Whatsapp,
            "fb" => Channel::Messenger,
            "ig" => Channel::Instagram,
            "tg" => Channel::Telegram,
            _ => continue,
        };
        let body = std::fs::read(&path).unwrap();
        let options = NormalizeOptions::new(chrono::Utc::now()).with_account("7012345678");
        if let Ok(e) = normalize(channel, &body, &options) {
            events.extend(e);
        }
    }
    let n = 200_000;
    println!("{} distinct events, {n} per pass", events.len());
    for round in 1..=rounds {
        let t = Instant::now();
        let mut bytes = 0;
        for i in 0..n {
            bytes += serde_json::to_string(&events[i % events.len()])
                .unwrap()
                .len();
        }
        let baseline = n as f64 / t.elapsed().as_secs_f64();
        let t = Instant::now();
        let mut enveloped = 0;
        for i in 0..n {
            enveloped += CloudEvent::event_json(&events[i % events.len()]).len();
        }
        let ours = n as f64 / t.elapsed().as_secs_f64();
        println!(
            "round {round}: CloudEvent JSON {:.0} k/s, event JSON (baseline) {:.0} k/s, ratio {:.2} ({} / {} bytes)",
            ours / 1e3,
            baseline / 1e3,
            ours / baseline,
            enveloped / n,
            bytes / n
        );
    }
}
