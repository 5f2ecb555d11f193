//! What the lexicon read in a word, remembered per thread.
//!
//! Reading a word (fold, squeezed form, phonetic key, abbreviations) and asking the
//! lexicon which phrases may start at it (a trie walk per form, and for an unknown
//! word one map lookup per deleted char) is a third of a classification, and chat
//! repeats its words: the same few thousand make up most of any traffic. A
//! direct-mapped table of recent words keeps each word's reading and its candidate
//! phrases; a word found there is copied instead of read again. The answers depend
//! only on the word and the classifier (its lexicon and abbreviations), so each entry
//! names the classifier it came from ([`next_owner`]); classifiers in one thread share
//! the table without mixing answers.

use std::cell::RefCell;
use std::sync::atomic::{AtomicU64, Ordering};

use super::fold::Token;

/// Entries per thread (a power of two). On the corpus's messages, shuffled, 4,096
/// direct-mapped entries find 73 % of words (2,048: 64 %, 8,192: 82 %; the speed
/// measured the same from 2,048 to 8,192). An entry is 192 bytes and its strings: about
/// 1 MB for each thread that classifies, allocated at its first message.
const SLOTS: usize = 4096;

/// Longer words are read each time: an entry keeps its buffers, and one long word
/// must not hold a large one for the life of the thread.
const MAX_WORD_BYTES: usize = 32;

/// A fresh owner id for a classifier whose answers differ from every earlier one's.
pub(crate) fn next_owner() -> u64 {
    static NEXT: AtomicU64 = AtomicU64::new(1);
    NEXT.fetch_add(1, Ordering::Relaxed)
}

struct Entry {
    /// 0 for an empty entry (ids start at 1).
    owner: u64,
    hash: u64,
    word: String,
    token: Token,
    /// The phrases that may start at the word, ascending, without repeats.
    rules: Vec<usize>,
}

/// The table of one thread.
pub(crate) struct WordCache {
    entries: Vec<Entry>,
}

impl WordCache {
    fn new() -> Self {
        WordCache {
            entries: (0..SLOTS)
                .map(|_| Entry {
                    owner: 0,
                    hash: 0,
                    word: String::new(),
                    token: Token::blank(),
                    rules: Vec::new(),
                })
                .collect(),
        }
    }

    fn slot(hash: u64) -> usize {
        // The high bits: FNV's low bits are weak.
        (hash >> 52) as usize & (SLOTS - 1)
    }

    /// The reading and candidate phrases of `word` (hashed to `hash`) by `owner`, if
    /// remembered.
    pub fn get(&self, owner: u64, hash: u64, word: &str) -> Option<(&Token, &[usize])> {
        let e = &self.entries[Self::slot(hash)];
        (e.owner == owner && e.hash == hash && e.word == word).then(|| (&e.token, &e.rules[..]))
    }

    /// Remembers `owner`'s reading of `word` (hashed to `hash`) and its candidates,
    /// in place of whatever shared its entry.
    pub fn put(&mut self, owner: u64, hash: u64, word: &str, token: &Token, rules: &[usize]) {
        if word.len() > MAX_WORD_BYTES {
            return;
        }
        let e = &mut self.entries[Self::slot(hash)];
        e.owner = owner;
        e.hash = hash;
        e.word.clear();
        e.word.push_str(word);
        e.token.read_as(token);
        e.rules.clear();
        e.rules.extend_from_slice(rules);
    }
}

thread_local! {
    static CACHE: RefCell<WordCache> = RefCell::new(WordCache::new());
}

/// Runs `f` with this thread's table.
pub(crate) fn with<R>(f: impl FnOnce(&mut WordCache) -> R) -> R {
    CACHE.with_borrow_mut(f)
}
