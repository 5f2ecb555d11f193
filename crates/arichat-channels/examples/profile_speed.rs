//! Profile updates per second: the events of the demo's webhook samples, each given one
//! of 10,000 contacts, applied to a `ProfileSet` (observation with classification, then
//! the constant-time update), the update alone from prepared observations, and the
//! baseline of writing the same events as JSON (`serde_json::to_string`), interleaved.
//!
//! `cargo run --release -p arichat-channels --example profile_speed -- [rounds]`

use std::time::Instant;

#[path = "common/demo.rs"]
mod demo;
use demo::demo_events;

use arichat_core::profile::{Observation, ProfileBuilder, ProfileConfig, ProfileSet};
use arichat_core::{ChannelIdentity, Event};

fn main() {
    let rounds: usize = std::env::args()
        .nth(1)
        .and_then(|r| r.parse().ok())
        .unwrap_or(3);
    let samples: Vec<Event> = demo_events()
        .into_iter()
        .filter(|e| e.contact.is_some())
        .collect();
    let n = 100_000;
    let events: Vec<Event> = (0..n)
        .map(|i| {
            let mut e = samples[i % samples.len()].clone();
            if let Some(c) = e.contact.as_mut() {
                c.identity = ChannelIdentity::Telegram {
                    user_id: format!("{}", i % 10_000),
                };
                c.phone = None;
            }
            e.occurred_at += chrono::Duration::seconds(i as i64);
            e
        })
        .collect();
    let config = ProfileConfig::default().with_interests(["plan", "tubo", "credito", "zapato"]);
    let builder = ProfileBuilder::new(config.clone());
    let observations: Vec<Observation> = events.iter().map(|e| builder.observe(e)).collect();
    println!(
        "{} sample events, {n} per pass, 10,000 contacts",
        samples.len()
    );
    for round in 1..=rounds {
        let t = Instant::now();
        let mut bytes = 0;
        for e in &events {
            bytes += serde_json::to_string(e).unwrap().len();
        }
        let baseline = n as f64 / t.elapsed().as_secs_f64();
        let mut set = ProfileSet::new(builder.clone());
        let t = Instant::now();
        for e in &events {
            set.apply(e);
        }
        let full = n as f64 / t.elapsed().as_secs_f64();
        let mut set = ProfileSet::new(builder.clone());
        let t = Instant::now();
        for o in &observations {
            set.apply_observation(o);
        }
        let update = n as f64 / t.elapsed().as_secs_f64();
        println!(
            "round {round}: observe+update {:.0} k/s, update alone {:.0} k/s, event JSON (baseline) {:.0} k/s; ratios {:.2} / {:.2} ({} profiles, {} bytes)",
            full / 1e3,
            update / 1e3,
            baseline / 1e3,
            full / baseline,
            update / baseline,
            set.len(),
            bytes / n
        );
    }
}
