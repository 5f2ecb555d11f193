//! Backend answers kept for messages seen before.
//!
//! Keyed by (model, normalized masked text): NFC, lowercase, whitespace runs folded to
//! one space, trimmed — so "Hola  " and "hola" share an answer, and two messages that
//! differ only in a masked phone number too, since the backend saw the same text.
//! Bounded: past `capacity` entries the oldest inserted is dropped (FIFO; cheaper than
//! LRU and as good when repeats cluster in time, as campaign replies do).

use std::collections::{HashMap, VecDeque};
use std::sync::Mutex;

use arichat_core::text::normalize_text;

use super::backend::BackendAnswer;

#[derive(Debug, Clone, PartialEq, Eq, Hash)]
struct Key {
    model: String,
    text: String,
}

#[derive(Debug, Default)]
struct Entries {
    map: HashMap<Key, BackendAnswer>,
    order: VecDeque<Key>,
}

/// A bounded map of answers.
#[derive(Debug)]
pub(crate) struct AnswerCache {
    capacity: usize,
    entries: Mutex<Entries>,
}

/// The cache form of a (masked) message.
pub(crate) fn cache_text(masked: &str) -> String {
    normalize_text(masked)
        .to_lowercase()
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

impl AnswerCache {
    pub(crate) fn new(capacity: usize) -> Self {
        AnswerCache {
            capacity,
            entries: Mutex::new(Entries::default()),
        }
    }

    fn key(model: &str, text: &str) -> Key {
        Key {
            model: model.to_owned(),
            text: text.to_owned(),
        }
    }

    pub(crate) fn get(&self, model: &str, text: &str) -> Option<BackendAnswer> {
        let entries = self.entries.lock().unwrap_or_else(|p| p.into_inner());
        entries.map.get(&Self::key(model, text)).copied()
    }

    pub(crate) fn put(&self, model: &str, text: &str, answer: BackendAnswer) {
        if self.capacity == 0 {
            return;
        }
        let mut entries = self.entries.lock().unwrap_or_else(|p| p.into_inner());
        let key = Self::key(model, text);
        if entries.map.insert(key.clone(), answer).is_none() {
            entries.order.push_back(key);
        }
        while entries.map.len() > self.capacity {
            let Some(oldest) = entries.order.pop_front() else {
                break;
            };
            entries.map.remove(&oldest);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use arichat_core::intent::Intent;

    fn answer(intent: Intent) -> BackendAnswer {
        BackendAnswer {
            intent,
            confidence: 0.9,
        }
    }

    #[test]
    fn normalizes_keys_by_model_and_text() {
        assert_eq!(cache_text("  Hola\n  QUÉ tal "), "hola qué tal");
        let cache = AnswerCache::new(4);
        cache.put("m1", "hola", answer(Intent::Greeting));
        assert_eq!(cache.get("m1", "hola"), Some(answer(Intent::Greeting)));
        assert_eq!(cache.get("m2", "hola"), None);
    }

    #[test]
    fn drops_the_oldest_past_capacity() {
        let cache = AnswerCache::new(2);
        for (text, intent) in [
            ("a", Intent::Greeting),
            ("b", Intent::Other),
            ("c", Intent::Support),
        ] {
            cache.put("m", text, answer(intent));
        }
        assert_eq!(cache.get("m", "a"), None);
        assert_eq!(cache.get("m", "b"), Some(answer(Intent::Other)));
        assert_eq!(cache.get("m", "c"), Some(answer(Intent::Support)));
        let off = AnswerCache::new(0);
        off.put("m", "a", answer(Intent::Greeting));
        assert_eq!(off.get("m", "a"), None);
    }
}
