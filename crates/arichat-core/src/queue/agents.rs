//! Agents: who serves which channels, how much they hold, whose turn it is.

use std::collections::HashMap;
use std::fmt;

use super::{channel_index, AssignmentStrategy, CHANNELS};
use crate::Channel;

/// An agent's identifier, as the host names its users.
#[derive(
    Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize, serde::Deserialize,
)]
#[serde(transparent)]
pub struct AgentId(String);

impl AgentId {
    /// Wraps an identifier.
    pub fn new(id: impl Into<String>) -> Self {
        AgentId(id.into())
    }

    /// The identifier as a string slice.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for AgentId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl From<&str> for AgentId {
    fn from(s: &str) -> Self {
        AgentId(s.to_owned())
    }
}

impl From<String> for AgentId {
    fn from(s: String) -> Self {
        AgentId(s)
    }
}

/// An agent who answers conversations on some channels.
///
/// ```
/// use arichat_core::queue::Agent;
/// use arichat_core::Channel;
/// let a = Agent::new("ana", [Channel::Whatsapp, Channel::Telegram]).with_max_load(5);
/// assert!(a.serves(Channel::Telegram) && !a.serves(Channel::Instagram));
/// let json = serde_json::to_string(&a).unwrap();
/// assert_eq!(json, r#"{"id":"ana","channels":["whatsapp","telegram"],"max_load":5}"#);
/// ```
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Agent {
    /// Who.
    pub id: AgentId,
    /// The channels they serve (an empty list serves none).
    pub channels: Vec<Channel>,
    /// At most this many conversations at once; `None` for no limit.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_load: Option<u32>,
}

impl Agent {
    /// An agent serving `channels`, without a load limit.
    pub fn new(id: impl Into<AgentId>, channels: impl IntoIterator<Item = Channel>) -> Self {
        Agent {
            id: id.into(),
            channels: channels.into_iter().collect(),
            max_load: None,
        }
    }

    /// Sets the load limit.
    #[must_use]
    pub fn with_max_load(mut self, max_load: u32) -> Self {
        self.max_load = Some(max_load);
        self
    }

    /// Whether they serve `channel`.
    pub fn serves(&self, channel: Channel) -> bool {
        self.channels.contains(&channel)
    }
}

#[derive(Debug, Clone)]
struct State {
    agent: Agent,
    load: u32,
    /// Tick of the last assignment (0: never).
    last_assigned: u64,
}

impl State {
    fn has_room(&self) -> bool {
        self.agent.max_load.is_none_or(|m| self.load < m)
    }

    fn mask(&self) -> [bool; CHANNELS] {
        let mut m = [false; CHANNELS];
        for c in &self.agent.channels {
            m[channel_index(*c)] = true;
        }
        m
    }
}

/// The agent roster of a queue.
#[derive(Debug, Clone, Default)]
pub(crate) struct Agents {
    order: Vec<AgentId>,
    states: HashMap<AgentId, State>,
    cursor: usize,
    tick: u64,
}

impl Agents {
    pub(crate) fn upsert(&mut self, agent: Agent) {
        match self.states.get_mut(&agent.id) {
            Some(s) => s.agent = agent,
            None => {
                self.order.push(agent.id.clone());
                self.states.insert(
                    agent.id.clone(),
                    State {
                        agent,
                        load: 0,
                        last_assigned: 0,
                    },
                );
            }
        }
    }

    pub(crate) fn remove(&mut self, id: &AgentId) -> bool {
        if self.states.remove(id).is_none() {
            return false;
        }
        if let Some(pos) = self.order.iter().position(|a| a == id) {
            self.order.remove(pos);
            if pos < self.cursor {
                self.cursor -= 1;
            }
        }
        true
    }

    pub(crate) fn load(&self, id: &AgentId) -> Option<u32> {
        self.states.get(id).map(|s| s.load)
    }

    pub(crate) fn iter(&self) -> impl Iterator<Item = &Agent> {
        self.order.iter().map(|id| &self.states[id].agent)
    }

    /// The channels `id` serves, if they are known and have room.
    pub(crate) fn available_channels_of(&self, id: &AgentId) -> Option<[bool; CHANNELS]> {
        let s = self.states.get(id)?;
        s.has_room().then(|| s.mask())
    }

    /// The channels some agent with room serves.
    pub(crate) fn covered_channels(&self) -> [bool; CHANNELS] {
        let mut m = [false; CHANNELS];
        for s in self.states.values().filter(|s| s.has_room()) {
            for (i, on) in s.mask().into_iter().enumerate() {
                m[i] |= on;
            }
        }
        m
    }

    /// Chooses the agent for a conversation on `channel`.
    pub(crate) fn pick(
        &mut self,
        channel: Channel,
        strategy: AssignmentStrategy,
    ) -> Option<AgentId> {
        let eligible = |s: &State| s.has_room() && s.agent.serves(channel);
        match strategy {
            AssignmentStrategy::RoundRobin => {
                let n = self.order.len();
                (0..n).find_map(|step| {
                    let i = (self.cursor + step) % n;
                    let id = &self.order[i];
                    eligible(&self.states[id]).then(|| {
                        self.cursor = (i + 1) % n;
                        id.clone()
                    })
                })
            }
            AssignmentStrategy::LeastLoaded => self
                .order
                .iter()
                .enumerate()
                .filter(|(_, id)| eligible(&self.states[*id]))
                .min_by_key(|(i, id)| {
                    let s = &self.states[*id];
                    (s.load, s.last_assigned, *i)
                })
                .map(|(_, id)| id.clone()),
        }
    }

    pub(crate) fn load_one(&mut self, id: &AgentId) {
        self.tick += 1;
        if let Some(s) = self.states.get_mut(id) {
            s.load = s.load.saturating_add(1);
            s.last_assigned = self.tick;
        }
    }

    pub(crate) fn unload(&mut self, id: &AgentId) {
        if let Some(s) = self.states.get_mut(id) {
            s.load = s.load.saturating_sub(1);
        }
    }
}
