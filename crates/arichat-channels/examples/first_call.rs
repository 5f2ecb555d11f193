//! The cost of the first call of a process: `arichat_core::warm()` (when asked), then
//! the first `normalize` of a WhatsApp body and the first classification, each timed.
//!
//! ```text
//! cargo run --release -p arichat-channels --example first_call            # cold
//! cargo run --release -p arichat-channels --example first_call -- --warm  # warmed first
//! ```

use std::time::Instant;

use arichat_channels::{normalize, NormalizeOptions};
use arichat_core::intent::{HybridClassifier, IntentClassifier};
use arichat_core::Channel;

fn main() {
    let warm = std::env::args().any(|a| a == "--warm");
    if warm {
        let t = Instant::now();
        arichat_core::warm();
        println!("warm(): {:.1} ms", t.elapsed().as_secs_f64() * 1e3);
    }
    let body = std::fs::read(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../examples/data/demo/wa-01-ad-click.json"
    ))
    .unwrap();
    let options = NormalizeOptions::new(chrono::Utc::now());
    for i in 1..=3 {
        let t = Instant::now();
        let events = normalize(Channel::Whatsapp, &body, &options).unwrap();
        let normalize_us = t.elapsed().as_secs_f64() * 1e6;
        let t = Instant::now();
        let c = HybridClassifier::new().classify("hola, cuánto cuesta el plan?");
        let classify_us = t.elapsed().as_secs_f64() * 1e6;
        println!(
            "call {i}: normalize {normalize_us:.0} µs ({} events), classify {classify_us:.0} µs ({})",
            events.len(),
            c.primary
        );
    }
}
