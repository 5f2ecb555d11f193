//! The priority queue of open conversations: who to answer next, and why.
//!
//! # The formula
//!
//! For a conversation `i` at time `t` (in hours):
//!
//! ```text
//! priority_i(t) = w_score · score_norm_i  +  w_wait · wait_i(t)  +  w_window · urgency_i(t)
//!
//! score_norm_i = clamp(score_i / score_scale, 0, 1)
//! wait_i(t)    = t − waiting_since_i         while the client waits for an answer, else 0
//! urgency_i(t) = (t − (closes_i − H)) / H     while the client waits and closes_i − H ≤ t < closes_i,
//!                0                            otherwise (far from closing, or already closed)
//! ```
//!
//! `closes_i` is the end of the 24-hour customer-service window
//! ([`ServiceWindow`](crate::window::ServiceWindow)); Telegram has none, so its urgency
//! stays 0. `H` is [`QueueConfig::window_horizon_minutes`]. Defaults: `w_score = 10`,
//! `score_scale = 100`, `w_wait = 1` per hour, `w_window = 12`, `H = 4 h` — a lead
//! scored 100 is worth ten hours of waiting, and a window about to close is worth twelve.
//! Every ranked item carries its [`PriorityTerms`], so a screen can show why it is where
//! it is.
//!
//! # Why updates stay O(log n) although priority depends on `now`
//!
//! `priority_i(t)` is piecewise linear in `t`, with at most three breakpoints:
//! `waiting_since_i`, `closes_i − H` and `closes_i`. Between breakpoints it is
//! `a_k · t + b_i`, where the slope `a_k` depends only on the *phase* `k`:
//!
//! | phase   | slope `a_k`             | intercept `b_i`                                          |
//! |---------|-------------------------|----------------------------------------------------------|
//! | idle    | `0`                     | `w_score·s_i`                                            |
//! | waiting | `w_wait`                | `w_score·s_i − w_wait·waiting_since_i`                   |
//! | closing | `w_wait + w_window / H` | `w_score·s_i − w_wait·waiting_since_i − w_window·(closes_i − H)/H` |
//!
//! Two conversations in the same phase have the same slope, so their order — by `b_i` —
//! is the same at every `t`: time passing never reorders them. The queue therefore
//! keeps one heap per (channel, phase), keyed by the time-independent `(b_i, insertion
//! sequence)`, plus a heap of each conversation's next breakpoint. Answering a query at
//! `now`:
//!
//! 1. conversations whose breakpoint is `≤ now` move to their new phase's heap
//!    (`O(log n)` each);
//! 2. the best conversation is the maximum of `a_k · now + b` over the top of each
//!    eligible heap — at most 5 channels × 3 phases = 15 candidates.
//!
//! # Time-driven work is bounded per call
//!
//! Step 1 is the only work time causes, and it is not spread evenly: leads imported
//! together cross their breakpoints together (one call once re-keyed 5,000 of them and
//! took 10 ms). So a call re-keys at most [`PriorityQueue::REKEY_PER_CALL`] (16)
//! conversations, earliest breakpoint first, and the host schedules
//! [`tick`](PriorityQueue::tick) (every second or so) to re-key the rest. A
//! conversation whose breakpoint passed and that is not re-keyed yet is ranked on its
//! previous phase's line until it is — at most one tick late; with fewer than 16 overdue
//! conversations, which is every call of a queue that ticks, answers are exact.
//! [`overdue`](PriorityQueue::overdue) tells whether some are waiting.
//!
//! # The layout: an update reads two places one after the other
//!
//! With a million open conversations nothing but the heaps' tails stays in cache, and an
//! update costs what it reads at random (issue 20 asked for at most 3× from 1 k to 1 M).
//! The layout keeps that to two dependent reads, on huge pages:
//!
//! - **The id index** is an open-addressing table of 8-byte cells (a 32-bit hash of the
//!   id and a slot number, `index.rs`); a 32-bit hash matching a wrong id is 1 in 4
//!   billion per probed cell, so a probe reads the wrong slot almost never. An upsert
//!   hashes the id and starts loading its cell before anything else, so the miss
//!   overlaps the clock's work. A hit reads one cell, then the slot.
//! - **A slot** is 192 bytes aligned to 64 (three cache lines, loaded in parallel):
//!   the id's bytes when it has at most 63 of them (`key.rs`; the held `String` is read
//!   only for longer ids), which confirm the match without a third miss; the entry, its
//!   insertion sequence and where it is (pool or agent). The formula's shape is
//!   recomputed from the entry when needed rather than kept.
//! - **Lazy deletion.** Every heap entry carries its slot's *stamp* at the time it was
//!   pushed; a slot's stamp (a dense array beside the slots, 4 bytes each) changes
//!   whenever it leaves or enters the pool, so its older entries are *stale*. An update
//!   pushes the new rank and breakpoint and leaves the old ones where they are: the
//!   removal at a random place of a million-entry tree is gone, and a push lands at
//!   the heap's tail, in cache. A message arriving now has the latest `waiting_since`,
//!   so the smallest intercept of its phase, and the latest breakpoint, so most pushes
//!   stop after a comparison or two (`heap.rs`, 4 children per node).
//! - **Stale entries are dropped** when a query meets them on top of a heap, and by a
//!   sweep that walks the heaps in array order (sequential reads, one 4-byte stamp
//!   each): every entry made stale owes it 4 examinations, paid at most 72 per call
//!   (the debt of an upsert that re-keyed 16) and all at once by `tick`. A pass removes
//!   everything stale when it began, so stale entries stay below about a third of the
//!   live ones (measured ≤ 0.25 with no pop and no tick).
//! - **Storage grows by pages** (`paged.rs`): a `Vec` that doubles copies everything
//!   inside the upsert that crosses the boundary (3–43 ms of CPU at a million leads in
//!   `pipeline_latency`, where the B-trees' worst was 0.5 ms). The id index doubles
//!   a little per insert (`index.rs`: the new table zeroed 64 KiB at a time, the old
//!   one walked 8 cells at a time; one upsert paid 76 ms for a doubling at 1.57 M).
//! - **Memory is readied by `tick`**: on this project's VM a fresh huge page's first
//!   write costs 2–7 ms (the kernel zeroes 2 MiB, the hypervisor backs it). `tick`
//!   allocates and faults in each paged array's next block before a push needs it, and
//!   zeroes the index's next table from 5/8 full, so with a host that ticks those costs
//!   land in `tick`, not in an upsert (`pipeline_latency` at 1 M: the slowest queue
//!   update 4.5–8.3 ms → 0.17–1.1 ms).
//! - **Huge pages** (`huge.rs`): pages are 64 KiB for an array's first 2 MiB, then
//!   2 MiB blocks aligned to 2 MiB and advised `MADV_HUGEPAGE` on Linux and Android
//!   (the index table too, from 2 MiB), so that at a million leads a random read is a
//!   cache miss without a page walk; a small queue never allocates 2 MiB.
//!
//! Growth bench (`cargo bench -p arichat-core --bench queue -- queue_growth`), ns per
//! upsert at 1 k / 1 M, three paired runs on a loaded 2-core machine: B-trees and a
//! `HashMap` 246–250 / 1,380–1,510 (5.5–6.1×); this layout 147–151 / 761–802
//! (5.1–5.5×), left with three dependent reads at 1 M (cell, slot, id bytes). With the
//! ids inline, the early cell load and huge pages (BENCHMARKS.md, "Priority queue";
//! the machine's load was 4.0–4.6, so absolute times are noisy): the fastest batches
//! of `--example queue_growth_batches` 147–151 / 393–539 ns (2.7–3.6×) against
//! 149–152 / 616–813 (4.1–5.5×) for the 128-byte slots, in six paired runs; criterion's
//! means 2.8–4.8× against 4.0–9.2× (nine pairs, load 2.4–5.0). The 3× is close, not
//! reliably met. In `pipeline_latency` (before these three) the queue stage's p50
//! went 0.4 → 1.3 µs from 1 k to 1 M leads (3.3×; B-trees 0.7 → 3.2 µs, 4.6×).
//!
//! Costs: upsert and remove are `O(1)` expected for the id and `O(log n)` for a push
//! (usually a comparison or two), plus at most 16 re-keys and 72 swept entries. Pop,
//! peek and assignment are `O(log n)` per stale entry they drop from a heap's top —
//! amortized `O(log n)`, as each stale entry is dropped once. Listing the top `k` is a
//! best-first walk of the heaps, `O((k + s) log n)` where `s` counts the stale entries
//! ranked above the `k`-th. Agent selection scans the agents (`O(agents)`), which are
//! few. Memory: 308 bytes per open lead after filling a million, 320 after a million
//! updates (128-byte slots without inline ids: 239 and 254, 245 and 258 with the 2 MiB
//! blocks; B-trees and
//! `HashMap`: 425 and 436), ids of 37 bytes included
//! (`cargo run --release -p arichat-core --example queue_memory`).
//!
//! `wait` is linear on purpose: a concave `f(wait)` would make the slope differ per
//! conversation and force a re-sort as time passes. The queue's clock only moves
//! forward: a `now` earlier than one already seen is treated as the latest seen.
//!
//! # Example
//!
//! ```
//! use arichat_core::queue::{Agent, AgentId, PriorityQueue, QueueConfig, QueueEntry};
//! use arichat_core::{Channel, ConversationId};
//! use chrono::{Duration, TimeZone, Utc};
//!
//! let now = Utc.with_ymd_and_hms(2026, 3, 2, 15, 0, 0).unwrap();
//! let mut q = PriorityQueue::new(QueueConfig::default()).unwrap();
//! // A hot lead that wrote 10 minutes ago, and a cold one waiting for 21 hours whose
//! // WhatsApp window closes in 3 hours.
//! q.upsert(QueueEntry::waiting("hot", Channel::Instagram, 90.0, now - Duration::minutes(10)), now);
//! q.upsert(QueueEntry::waiting("cold", Channel::Whatsapp, 10.0, now - Duration::hours(21)), now);
//!
//! let top = q.top(2, now);
//! assert_eq!(top[0].conversation_id.as_str(), "cold");
//! assert_eq!(top[0].terms.to_string(), "score 10 -> 1.00 + waited 21h00m -> 21.00 + window closes in 3h00m -> 3.00");
//! assert!((top[0].priority - 25.0).abs() < 1e-9);
//!
//! q.add_agent(Agent::new("ana", [Channel::Instagram]));
//! let got = q.next_for(&AgentId::new("ana"), now).unwrap();
//! assert_eq!(got.item.conversation_id.as_str(), "hot"); // Ana does not serve WhatsApp
//! assert_eq!(q.load(&AgentId::new("ana")), Some(1));
//! ```

mod agents;
mod config;
mod heap;
mod huge;
mod index;
mod key;
mod paged;
mod terms;

use std::cmp::Ordering;
use std::collections::BinaryHeap;

use chrono::{DateTime, Utc};

pub use agents::{Agent, AgentId};
pub use config::{AssignmentStrategy, QueueConfig};
pub use terms::PriorityTerms;

use agents::Agents;
use heap::{Entry, Heap};
use index::Index;
use key::InlineId;
use paged::Paged;
use terms::{hours, Shape, PHASES, PHASE_LIST};

use crate::review::ReviewFlag;
use crate::{Channel, Conversation, ConversationId, CoreError};

/// An open conversation as the queue sees it: what the formula needs.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct QueueEntry {
    /// The conversation.
    pub conversation_id: ConversationId,
    /// Its channel (agents serve channels; the window depends on it).
    pub channel: Channel,
    /// The lead score (any scale; see [`QueueConfig::score_scale`]). NaN counts as 0.
    pub score: f64,
    /// The first inbound message still without an answer; `None` when nobody waits.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub waiting_since: Option<DateTime<Utc>>,
    /// The contact's last inbound message: opens the 24-hour window.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_inbound_at: Option<DateTime<Utc>>,
    /// An agent's decision is awaited (shown on the ranked item; the priority is
    /// unchanged).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub review: Option<ReviewFlag>,
}

impl QueueEntry {
    /// A conversation whose client wrote at `since` and got no answer (the window
    /// opens at `since` too).
    pub fn waiting(
        conversation_id: impl Into<ConversationId>,
        channel: Channel,
        score: f64,
        since: DateTime<Utc>,
    ) -> Self {
        QueueEntry {
            conversation_id: conversation_id.into(),
            channel,
            score,
            waiting_since: Some(since),
            last_inbound_at: Some(since),
            review: None,
        }
    }

    /// The entry for a conversation. A [`Conversation`] only knows its *last* inbound
    /// time, so `waiting_since` is that time when the client awaits a reply — a lower
    /// bound of the wait; set it to the first unanswered message when the host knows it.
    pub fn from_conversation(conversation: &Conversation, score: f64) -> Self {
        QueueEntry {
            conversation_id: conversation.id.clone(),
            channel: conversation.channel,
            score,
            waiting_since: conversation
                .awaiting_reply()
                .then_some(conversation.last_inbound_at)
                .flatten(),
            last_inbound_at: conversation.last_inbound_at,
            review: conversation.review.clone(),
        }
    }
}

/// A conversation with its priority at a given time and the terms that make it up.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct RankedItem {
    /// The conversation.
    pub conversation_id: ConversationId,
    /// Its channel.
    pub channel: Channel,
    /// The priority (higher goes first); equals `terms.priority()`.
    pub priority: f64,
    /// What each input contributed.
    pub terms: PriorityTerms,
    /// The agent it is assigned to, if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub assigned_to: Option<AgentId>,
    /// The conversation's review flag, when an agent must decide something.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub review: Option<ReviewFlag>,
}

/// A conversation handed to an agent.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Assignment {
    /// Who gets it.
    pub agent_id: AgentId,
    /// What they get, ranked at the time of assignment.
    pub item: RankedItem,
}

/// The key of a conversation inside a (channel, phase) set: intercept descending,
/// then insertion order.
#[derive(Debug, Clone, Copy)]
struct Rank {
    intercept: f64,
    seq: u64,
}

impl PartialEq for Rank {
    fn eq(&self, other: &Self) -> bool {
        self.cmp(other) == Ordering::Equal
    }
}

impl Eq for Rank {}

impl PartialOrd for Rank {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for Rank {
    fn cmp(&self, other: &Self) -> Ordering {
        other
            .intercept
            .total_cmp(&self.intercept)
            .then(self.seq.cmp(&other.seq))
    }
}

#[derive(Debug, Clone)]
enum Placement {
    /// Waiting in the pool: an entry in `sets[channel][phase]` and, when `timed`, one in
    /// `timers`, both stamped with the slot's current stamp.
    Pool { timed: bool },
    /// Handed to an agent: out of the ranking until released. Boxed so that a slot
    /// stays within 192 bytes (see [`Slot`]).
    Assigned(Box<AgentId>),
    /// Between leaving the pool and its next placement, inside one call.
    Out,
}

/// A held conversation. Aligned to 64 bytes and 192 long, so that a slot is three whole
/// cache lines, read in parallel: an update finds it by its inline id, reads it and
/// rewrites it, and at a million conversations that is one miss, not two or three (the
/// shape the formula needs is recomputed from the entry instead of kept here).
#[derive(Debug, Clone)]
#[repr(align(64))]
struct Slot {
    /// The id's bytes, compared by [`PriorityQueue::find`] (`key.rs`).
    key: InlineId,
    entry: QueueEntry,
    seq: u64,
    placement: Placement,
}

const CHANNELS: usize = Channel::ALL.len();

fn channel_index(channel: Channel) -> usize {
    match channel {
        Channel::Whatsapp => 0,
        Channel::Messenger => 1,
        Channel::Instagram => 2,
        Channel::Telegram => 3,
        Channel::Mattermost => 4,
    }
}

/// The priority queue of one tenant's open conversations, with agent assignment.
///
/// See the [module docs](self) for the formula and why operations are `O(log n)`.
/// Conversations handed to an agent stay in the queue (for load counting) but out of
/// the ranking until [`release`](Self::release)d or [`remove`](Self::remove)d.
#[derive(Debug, Clone)]
pub struct PriorityQueue {
    config: QueueConfig,
    clock: Option<DateTime<Utc>>,
    index: Index,
    slots: Paged<Option<Slot>>,
    /// Per slot, the stamp its heap entries must carry to count; bumped whenever the
    /// slot leaves the pool or enters it, which makes every older entry stale. Apart
    /// from `slots` so that checking an entry reads 4 bytes, not a whole slot. A `u32`
    /// wraps after 2^32 bumps of one slot; every two bumps make at least one entry
    /// stale, which owes the sweep 4 examinations, so passes over all entries have
    /// removed an old stale entry long before its stamp could come back.
    stamps: Paged<u32>,
    free: Vec<u32>,
    sets: [[Heap<Rank>; PHASES]; CHANNELS],
    timers: Heap<DateTime<Utc>>,
    next_seq: u64,
    pooled: usize,
    /// Pooled slots with a breakpoint ahead (live entries in `timers`).
    timed: usize,
    /// Heap entries whose stamp is no longer their slot's.
    stale: usize,
    /// Entries the sweep still owes: [`SWEEP_PER_STALE`] per entry made stale.
    sweep_debt: usize,
    /// Where the sweep resumes: a heap (the sets in order, then the timers) and a
    /// position in it.
    sweep_at: (usize, usize),
    agents: Agents,
}

/// Entries the sweep examines per entry made stale. A pass over all `h` entries then
/// takes as many calls as create `h / 4` stale ones, and removes every entry that was
/// stale when it began, so stale entries stay below about a third of the live ones.
/// Measured at most 0.25 of the live entries (100 conversations updated 100,000 times)
/// and 0.18 (200,000 updated a million times), with no pop and no tick.
const SWEEP_PER_STALE: usize = 4;

/// The most entries a call (other than `tick`) sweeps: the debt of an upsert that
/// re-keyed [`PriorityQueue::REKEY_PER_CALL`] conversations.
const SWEEP_PER_CALL: usize = SWEEP_PER_STALE * (PriorityQueue::REKEY_PER_CALL + 2);

impl PriorityQueue {
    /// An empty queue.
    ///
    /// # Errors
    /// [`CoreError::InvalidConfig`] when the configuration does not
    /// [`validate`](QueueConfig::validate).
    pub fn new(config: QueueConfig) -> Result<Self, CoreError> {
        config.validate()?;
        Ok(PriorityQueue {
            config,
            clock: None,
            index: Index::default(),
            slots: Paged::default(),
            stamps: Paged::default(),
            free: Vec::new(),
            sets: Default::default(),
            timers: Heap::default(),
            next_seq: 0,
            pooled: 0,
            timed: 0,
            stale: 0,
            sweep_debt: 0,
            sweep_at: (0, 0),
            agents: Agents::default(),
        })
    }

    /// The most conversations one call (other than [`tick`](Self::tick)) moves to
    /// their next phase when time has carried them past a breakpoint; the rest wait
    /// for the next calls or the next tick (see the [module docs](self)).
    pub const REKEY_PER_CALL: usize = 16;

    /// Moves the clock to `now` and re-keys every conversation whose breakpoint has
    /// passed, so the ranking is exact again. Returns how many were re-keyed. A host
    /// calls it on a timer (every second or so): then a burst of conversations crossing
    /// a breakpoint together is paid here, not by the next message's upsert.
    /// `O(m log n)` for `m` overdue conversations, plus the sweep's remaining debt (see
    /// the [module docs](self)).
    pub fn tick(&mut self, now: DateTime<Utc>) -> usize {
        let done = self.advance_by(now, usize::MAX).1;
        self.sweep(usize::MAX);
        self.prepare();
        done
    }

    /// Whether some conversation's breakpoint has passed (at the queue's clock) and it
    /// is not re-keyed yet: [`tick`](Self::tick) would do work. A due timer left by an
    /// update counts too, until a call drops it.
    pub fn overdue(&self) -> bool {
        match (self.timers.first(), self.clock) {
            (Some(e), Some(clock)) => e.key <= clock,
            _ => false,
        }
    }

    /// The configuration.
    pub fn config(&self) -> &QueueConfig {
        &self.config
    }

    /// Number of conversations held (ranked and assigned).
    pub fn len(&self) -> usize {
        self.index.len()
    }

    /// Whether the queue holds no conversation.
    pub fn is_empty(&self) -> bool {
        self.index.len() == 0
    }

    /// Number of conversations waiting in the ranking (not assigned).
    pub fn unassigned_len(&self) -> usize {
        self.pooled
    }

    /// The entry of a conversation.
    pub fn get(&self, id: &ConversationId) -> Option<&QueueEntry> {
        self.slot(id).map(|s| &s.entry)
    }

    /// Inserts a conversation or updates it (new score, new message, answer sent).
    /// An assigned conversation stays with its agent. Returns whether it was new.
    /// `O(log n)`.
    pub fn upsert(&mut self, mut entry: QueueEntry, now: DateTime<Utc>) -> bool {
        let hash = self.index.hash(entry.conversation_id.as_str());
        // Start loading the id's index cell now: with a million conversations it is a
        // cache miss, paid while `advance` works instead of after it. (Loading the slot
        // and stamp it names as well, or a `prefetcht0` instead of a load, measured no
        // better at 1 M and 2–4 % slower at 1 k.)
        self.index.touch(hash);
        let now = self.advance(now);
        if let Some(slot) = self.find(hash, &entry.conversation_id) {
            let assigned = self.unplace(slot);
            let s = self.slots[slot as usize].as_mut().expect("indexed slot");
            // Equal ids: keep the held one and free the caller's, still in cache (with
            // a million conversations, freeing the old one is a cache miss).
            std::mem::swap(&mut entry.conversation_id, &mut s.entry.conversation_id);
            s.entry = entry;
            match assigned {
                Some(agent) => s.placement = Placement::Assigned(Box::new(agent)),
                None => self.place(slot, now),
            }
            false
        } else {
            let seq = self.next_seq;
            self.next_seq += 1;
            let new = Slot {
                key: InlineId::of(entry.conversation_id.as_str()),
                entry,
                seq,
                placement: Placement::Out,
            };
            let slot = match self.free.pop() {
                Some(i) => {
                    self.slots[i as usize] = Some(new);
                    i
                }
                None => {
                    let i = u32::try_from(self.slots.len()).expect("fewer than 2^32 slots");
                    self.slots.push(Some(new));
                    self.stamps.push(0);
                    i
                }
            };
            self.index.insert(hash, slot);
            self.place(slot, now);
            true
        }
    }

    /// Removes a conversation (closed, or answered and no longer open), releasing its
    /// agent's load. `O(1)` expected: its heap entries are left stale.
    pub fn remove(&mut self, id: &ConversationId) -> Option<QueueEntry> {
        let hash = self.index.hash(id.as_str());
        let slot = self.find(hash, id)?;
        self.index.remove(hash, slot);
        if let Some(agent) = self.unplace(slot) {
            self.agents.unload(&agent);
        }
        self.free.push(slot);
        self.slots[slot as usize].take().map(|s| s.entry)
    }

    /// The conversation's priority and terms at `now`.
    pub fn rank(&mut self, id: &ConversationId, now: DateTime<Utc>) -> Option<RankedItem> {
        let now = self.advance(now);
        let slot = self.find(self.index.hash(id.as_str()), id)?;
        Some(self.item(slot, now))
    }

    /// The highest-priority unassigned conversation at `now`, left in place.
    pub fn peek(&mut self, now: DateTime<Utc>) -> Option<RankedItem> {
        let now = self.advance(now);
        let (slot, _) = self.best(now, |_| true)?;
        Some(self.item(slot, now))
    }

    /// Removes and returns the highest-priority unassigned conversation at `now`.
    pub fn pop(&mut self, now: DateTime<Utc>) -> Option<RankedItem> {
        let item = self.peek(now)?;
        self.remove(&item.conversation_id);
        Some(item)
    }

    /// The `k` highest-priority unassigned conversations at `now`, best first.
    /// `O((k + s) log n)`, `s` the stale entries ranked above the `k`-th.
    pub fn top(&mut self, k: usize, now: DateTime<Utc>) -> Vec<RankedItem> {
        let now = self.advance(now);
        let t = hours(now);
        let sets: Vec<&Heap<Rank>> = self.sets.iter().flatten().collect();
        // A best-first walk of the heaps: a node's children are never better than it,
        // so the frontier's best is the next item (or a stale entry, skipped).
        let candidate = |set: usize, pos: usize| {
            let e = sets[set].get(pos).expect("in the heap");
            Candidate {
                priority: self.slope(set % PHASES) * t + e.key.intercept,
                rank: e.key,
                set,
                pos,
            }
        };
        let mut frontier: BinaryHeap<Candidate> = (0..sets.len())
            .filter(|&s| sets[s].len() > 0)
            .map(|s| candidate(s, 0))
            .collect();
        let mut out = Vec::with_capacity(k.min(self.pooled));
        while out.len() < k {
            let Some(c) = frontier.pop() else { break };
            frontier.extend(sets[c.set].children(c.pos).map(|p| candidate(c.set, p)));
            let e = sets[c.set].get(c.pos).expect("in the heap");
            if self.stamps[e.slot as usize] == e.stamp {
                out.push(self.item(e.slot, now));
            }
        }
        out
    }

    /// Adds an agent, or updates one already known (channels, capacity) keeping their
    /// load.
    pub fn add_agent(&mut self, agent: Agent) {
        self.agents.upsert(agent);
    }

    /// Removes an agent; their conversations go back to the ranking. Returns whether
    /// the agent was known.
    pub fn remove_agent(&mut self, id: &AgentId, now: DateTime<Utc>) -> bool {
        let now = self.advance(now);
        if !self.agents.remove(id) {
            return false;
        }
        let theirs: Vec<u32> = self
            .slots
            .iter()
            .enumerate()
            .filter_map(|(i, s)| match s {
                Some(Slot {
                    placement: Placement::Assigned(a),
                    ..
                }) if **a == *id => Some(i as u32),
                _ => None,
            })
            .collect();
        for slot in theirs {
            self.place(slot, now);
        }
        true
    }

    /// How many conversations an agent holds; `None` for an unknown agent.
    pub fn load(&self, id: &AgentId) -> Option<u32> {
        self.agents.load(id)
    }

    /// The agents, in the order they were added.
    pub fn agents(&self) -> impl Iterator<Item = &Agent> {
        self.agents.iter()
    }

    /// Hands `agent` the highest-priority unassigned conversation on a channel they
    /// serve. `None` when the agent is unknown, at capacity, or nothing fits.
    pub fn next_for(&mut self, agent: &AgentId, now: DateTime<Utc>) -> Option<Assignment> {
        let now = self.advance(now);
        let channels = self.agents.available_channels_of(agent)?;
        let (slot, _) = self.best(now, |c| channels[c])?;
        Some(self.assign(slot, agent.clone(), now))
    }

    /// Hands the highest-priority conversation that some available agent can take to
    /// an agent chosen by the configured [`AssignmentStrategy`] among those serving its
    /// channel with room left. `None` when nothing can be assigned.
    pub fn assign_next(&mut self, now: DateTime<Utc>) -> Option<Assignment> {
        let now = self.advance(now);
        let channels = self.agents.covered_channels();
        let (slot, channel) = self.best(now, |c| channels[c])?;
        let agent = self
            .agents
            .pick(Channel::ALL[channel], self.config.strategy)?;
        Some(self.assign(slot, agent, now))
    }

    /// Puts an assigned conversation back in the ranking (the agent could not take
    /// it), releasing the agent's load. Returns whether it was assigned.
    pub fn release(&mut self, id: &ConversationId, now: DateTime<Utc>) -> bool {
        let now = self.advance(now);
        let Some(slot) = self.find(self.index.hash(id.as_str()), id) else {
            return false;
        };
        let agent = match &self.slots[slot as usize].as_ref().expect("slot").placement {
            Placement::Assigned(a) => AgentId::clone(a),
            Placement::Pool { .. } | Placement::Out => return false,
        };
        self.agents.unload(&agent);
        self.place(slot, now);
        true
    }

    // --- internals -------------------------------------------------------------

    /// Memory work ahead of the updates, done by [`tick`](Self::tick): the next big
    /// block of each paged array is allocated and faulted in before a push needs it,
    /// and the id index's next table is zeroed from 5/8 full, 2 MiB a tick. A fresh huge
    /// page's first write is a kernel zeroing of 2 MiB (2–7 ms on this project's VM):
    /// with a host that ticks, it lands here instead of in an upsert.
    fn prepare(&mut self) {
        self.index.prepare();
        self.slots.prepare();
        self.stamps.prepare();
        self.timers.prepare();
        for heap in self.sets.iter_mut().flatten() {
            heap.prepare();
        }
    }

    fn slot(&self, id: &ConversationId) -> Option<&Slot> {
        let i = self.find(self.index.hash(id.as_str()), id)?;
        self.slots[i as usize].as_ref()
    }

    /// The slot holding `id`, which hashes to `hash`.
    fn find(&self, hash: u32, id: &ConversationId) -> Option<u32> {
        self.index.find(hash, |slot| {
            self.slots[slot as usize]
                .as_ref()
                .is_some_and(|s| s.key.matches(id.as_str(), s.entry.conversation_id.as_str()))
        })
    }

    fn slope(&self, phase: usize) -> f64 {
        terms::slope(PHASE_LIST[phase], &self.config)
    }

    /// Moves the clock to `now` (never backwards) and re-phases at most
    /// [`REKEY_PER_CALL`](Self::REKEY_PER_CALL) conversations whose breakpoint has
    /// passed. Returns the effective now.
    fn advance(&mut self, now: DateTime<Utc>) -> DateTime<Utc> {
        self.advance_by(now, Self::REKEY_PER_CALL).0
    }

    /// Moves the clock to `now` (never backwards) and re-phases up to `max`
    /// conversations whose breakpoint has passed, earliest first. Returns the effective
    /// now and how many were re-phased.
    fn advance_by(&mut self, now: DateTime<Utc>, max: usize) -> (DateTime<Utc>, usize) {
        let now = self.clock.map_or(now, |c| c.max(now));
        self.clock = Some(now);
        self.sweep(SWEEP_PER_CALL);
        let mut done = 0;
        while done < max {
            let Some(&Entry {
                key: at,
                slot,
                stamp,
            }) = self.timers.first()
            else {
                break;
            };
            if at > now {
                break;
            }
            self.timers.pop_first();
            done += 1;
            // Timers are not removed when their conversation moves (see `unplace`):
            // this one counts only if it is still the conversation's.
            if self.stamps[slot as usize] != stamp {
                self.stale -= 1;
                continue;
            }
            self.timed -= 1;
            let s = self.slots[slot as usize].as_mut().expect("stamped slot");
            s.placement = Placement::Pool { timed: false };
            self.unplace(slot);
            self.place(slot, now);
        }
        (now, done)
    }

    /// Examines up to `budget` heap entries, and no more than the sweep owes, from where
    /// the last sweep stopped, dropping the stale ones.
    fn sweep(&mut self, budget: usize) {
        let mut budget = budget.min(self.sweep_debt);
        self.sweep_debt -= budget;
        let heaps = CHANNELS * PHASES + 1;
        // Every heap is visited at most twice per call, so an empty tail ends the loop.
        let mut visits = 2 * heaps;
        while budget > 0 && self.stale > 0 && visits > 0 {
            let (h, pos) = &mut self.sweep_at;
            let stamps = &self.stamps;
            let stale = |slot: u32, stamp: u32| stamps[slot as usize] != stamp;
            let removed = if *h < CHANNELS * PHASES {
                self.sets[*h / PHASES][*h % PHASES]
                    .sweep(pos, &mut budget, |e| stale(e.slot, e.stamp))
            } else {
                self.timers
                    .sweep(pos, &mut budget, |e| stale(e.slot, e.stamp))
            };
            self.stale -= removed;
            if budget > 0 {
                *h = (*h + 1) % heaps;
                *pos = 0;
                visits -= 1;
            }
        }
    }

    /// Takes a slot out of the pool; returns the agent if it was assigned. Its heap
    /// entries stay where they are, stale: an update then costs one push, near the
    /// heaps' recent tails, instead of a removal at a random place too. They are
    /// dropped when they reach the top or when the sweep meets them.
    fn unplace(&mut self, slot: u32) -> Option<AgentId> {
        let s = self.slots[slot as usize].as_mut().expect("slot");
        match std::mem::replace(&mut s.placement, Placement::Out) {
            Placement::Pool { timed } => {
                let stamp = &mut self.stamps[slot as usize];
                *stamp = stamp.wrapping_add(1);
                let made_stale = 1 + usize::from(timed);
                self.stale += made_stale;
                self.sweep_debt += SWEEP_PER_STALE * made_stale;
                self.timed -= usize::from(timed);
                self.pooled -= 1;
                None
            }
            Placement::Assigned(agent) => Some(*agent),
            Placement::Out => None,
        }
    }

    /// Puts a slot (currently out of the pool) into the pool at `now`.
    fn place(&mut self, slot: u32, now: DateTime<Utc>) {
        let s = self.slots[slot as usize].as_mut().expect("slot");
        let shape = Shape::of(&s.entry, &self.config);
        let phase = shape.phase_at(now);
        let intercept = shape.intercept(phase, &self.config);
        let rank = Rank {
            intercept,
            seq: s.seq,
        };
        let timer = shape.next_breakpoint(now);
        s.placement = Placement::Pool {
            timed: timer.is_some(),
        };
        let stamp = &mut self.stamps[slot as usize];
        *stamp = stamp.wrapping_add(1);
        let stamp = *stamp;
        let c = channel_index(s.entry.channel);
        self.sets[c][phase as usize].push(Entry {
            key: rank,
            slot,
            stamp,
        });
        if let Some(at) = timer {
            self.timers.push(Entry {
                key: at,
                slot,
                stamp,
            });
            self.timed += 1;
        }
        self.pooled += 1;
    }

    /// The best pooled slot at `now` among channels accepted by `allow`, with its
    /// channel index. Drops the stale entries it finds on top of the sets it reads.
    fn best(&mut self, now: DateTime<Utc>, allow: impl Fn(usize) -> bool) -> Option<(u32, usize)> {
        let t = hours(now);
        let mut best: Option<(u32, usize, f64, Rank)> = None;
        for (c, phases) in self.sets.iter_mut().enumerate() {
            if !allow(c) {
                continue;
            }
            for (phase, set) in PHASE_LIST.into_iter().zip(phases) {
                let slope = terms::slope(phase, &self.config);
                while let Some(e) = set.first() {
                    if self.stamps[e.slot as usize] == e.stamp {
                        break;
                    }
                    set.pop_first();
                    self.stale -= 1;
                }
                if let Some(&Entry {
                    key: rank, slot, ..
                }) = set.first()
                {
                    let p = slope * t + rank.intercept;
                    if best.is_none_or(|(_, _, bp, br)| better(p, &rank, bp, &br)) {
                        best = Some((slot, c, p, rank));
                    }
                }
            }
        }
        best.map(|(slot, c, _, _)| (slot, c))
    }

    fn assign(&mut self, slot: u32, agent: AgentId, now: DateTime<Utc>) -> Assignment {
        self.unplace(slot);
        self.agents.load_one(&agent);
        self.slots[slot as usize].as_mut().expect("slot").placement =
            Placement::Assigned(Box::new(agent.clone()));
        Assignment {
            agent_id: agent,
            item: self.item(slot, now),
        }
    }

    fn item(&self, slot: u32, now: DateTime<Utc>) -> RankedItem {
        let s = self.slots[slot as usize].as_ref().expect("slot");
        let shape = Shape::of(&s.entry, &self.config);
        let terms = PriorityTerms::compute(&s.entry, &shape, &self.config, now);
        RankedItem {
            conversation_id: s.entry.conversation_id.clone(),
            channel: s.entry.channel,
            priority: terms.priority(),
            terms,
            assigned_to: match &s.placement {
                Placement::Assigned(a) => Some(AgentId::clone(a)),
                Placement::Pool { .. } | Placement::Out => None,
            },
            review: s.entry.review.clone(),
        }
    }
}

/// A heap entry met by [`PriorityQueue::top`]'s walk, ordered best first.
struct Candidate {
    priority: f64,
    rank: Rank,
    set: usize,
    pos: usize,
}

impl PartialEq for Candidate {
    fn eq(&self, other: &Self) -> bool {
        self.cmp(other) == Ordering::Equal
    }
}

impl Eq for Candidate {}

impl PartialOrd for Candidate {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for Candidate {
    /// Greater is better (`BinaryHeap` pops the greatest).
    fn cmp(&self, other: &Self) -> Ordering {
        self.priority
            .total_cmp(&other.priority)
            .then(other.rank.seq.cmp(&self.rank.seq))
    }
}

/// Whether `(p, rank)` goes before `(bp, br)`: higher priority, then earlier insertion.
fn better(p: f64, rank: &Rank, bp: f64, br: &Rank) -> bool {
    match p.total_cmp(&bp) {
        Ordering::Greater => true,
        Ordering::Less => false,
        Ordering::Equal => rank.seq < br.seq,
    }
}

#[cfg(test)]
mod tests;
