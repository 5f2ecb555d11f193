//! Any bytes, as a body of any channel: typed errors only, never a panic.
#![no_main]

use arichat_channels::{normalize, NormalizeOptions};
use arichat_core::Channel;
use chrono::TimeZone;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Some((&selector, body)) = data.split_first() else { return };
    let channel = Channel::ALL[usize::from(selector) % Channel::ALL.len()];
    let opts = NormalizeOptions::new(chrono::Utc.timestamp_opt(1_700_000_000, 0).unwrap()).with_account("fuzz");
    if let Ok(events) = normalize(channel, body, &opts) {
        for event in events {
            std::hint::black_box(format!("{event:?}"));
        }
    }
});
