//! [`ProfileSet`]: every contact's profile, found by any of its identity keys.

use std::collections::HashMap;

use super::{Observation, Profile, ProfileBuilder};
use crate::event::Event;

/// Profiles keyed by identity: an event whose contact carries identities of two
/// profiles (a WhatsApp id change, a phone learnt on another channel) merges them.
///
/// Applying the same events in the same order gives the same profiles, whatever
/// process or runtime does it.
#[derive(Debug, Clone, Default)]
pub struct ProfileSet {
    builder: ProfileBuilder,
    profiles: Vec<Option<Profile>>,
    by_key: HashMap<String, usize>,
    live: usize,
}

impl ProfileSet {
    /// An empty set kept with `builder`'s config and classifier.
    pub fn new(builder: ProfileBuilder) -> Self {
        ProfileSet {
            builder,
            profiles: Vec::new(),
            by_key: HashMap::new(),
            live: 0,
        }
    }

    /// The builder.
    pub fn builder(&self) -> &ProfileBuilder {
        &self.builder
    }

    /// How many profiles.
    pub fn len(&self) -> usize {
        self.live
    }

    /// Whether there are none.
    pub fn is_empty(&self) -> bool {
        self.live == 0
    }

    /// Applies one event; returns its contact's profile (`None` for an event without
    /// a contact).
    pub fn apply(&mut self, event: &Event) -> Option<&Profile> {
        let obs = self.builder.observe(event);
        self.apply_observation(&obs)
    }

    /// Applies an observation (from [`ProfileBuilder::observe`] or the host's own).
    pub fn apply_observation(&mut self, obs: &Observation) -> Option<&Profile> {
        if obs.identities.is_empty() {
            return None;
        }
        let mut slots: Vec<usize> = obs
            .identities
            .iter()
            .filter_map(|k| self.by_key.get(k).copied())
            .collect();
        slots.sort_unstable();
        slots.dedup();
        let slot = match slots.split_first() {
            None => {
                self.profiles.push(Some(Profile::default()));
                self.live += 1;
                self.profiles.len() - 1
            }
            Some((&first, rest)) => {
                for &other in rest {
                    self.fold_into(first, other);
                }
                first
            }
        };
        for key in &obs.identities {
            self.by_key.insert(key.clone(), slot);
        }
        let config = self.builder.config().clone();
        let profile = self.profiles[slot].as_mut()?;
        profile.apply(obs, &config);
        Some(profile)
    }

    /// Moves profile `from` into `into`, re-pointing its keys.
    fn fold_into(&mut self, into: usize, from: usize) {
        let Some(moved) = self.profiles[from].take() else {
            return;
        };
        for key in &moved.identities {
            self.by_key.insert(key.clone(), into);
        }
        let config = self.builder.config().clone();
        if let Some(target) = self.profiles[into].as_mut() {
            target.merge(&moved, &config);
        }
        self.live -= 1;
    }

    /// Declares two identity keys one person: their profiles merge. Returns whether
    /// both were known.
    pub fn link(&mut self, a: &str, b: &str) -> bool {
        match (self.by_key.get(a).copied(), self.by_key.get(b).copied()) {
            (Some(x), Some(y)) => {
                if x != y {
                    self.fold_into(x.min(y), x.max(y));
                }
                true
            }
            _ => false,
        }
    }

    /// The profile an identity key belongs to.
    pub fn get(&self, key: &str) -> Option<&Profile> {
        self.by_key
            .get(key)
            .and_then(|&i| self.profiles[i].as_ref())
    }

    /// Every profile, in the order they were first seen.
    pub fn iter(&self) -> impl Iterator<Item = &Profile> {
        self.profiles.iter().flatten()
    }
}
