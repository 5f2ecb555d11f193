//! The events of the demo's webhook samples (`examples/data/demo`), for the speed
//! examples.

use arichat_channels::{normalize, NormalizeOptions};
use arichat_core::{Channel, Event};

/// Every event of every sample body, normalized as of now for account `7012345678`.
pub fn demo_events() -> Vec<Event> {
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
    events
}
