//! Events enveloped per second: every event of the demo's webhook samples turned into
//! a structured-mode CloudEvent and written as JSON, beside the baseline of writing
//! the same event as JSON (`serde_json::to_string`), interleaved over rounds.
//!
//! `cargo run --release -p arichat-channels --example cloudevents_speed -- [rounds]`

use std::time::Instant;

#[path = "common/demo.rs"]
mod demo;
use demo::demo_events;

use arichat_channels::cloudevents::CloudEvent;
use arichat_core::Event;

fn main() {
    let rounds: usize = std::env::args()
        .nth(1)
        .and_then(|r| r.parse().ok())
        .unwrap_or(5);
    let events: Vec<Event> = demo_events();
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
