//! Customer profiles on the phone: [`ProfileSet`] applies events (the core's `Event`
//! JSON, as the server's bus carries them) to profiles held on the device, merges two
//! identities declared one person, and gives each profile as the core's serde JSON —
//! the same text Python and Node give for the same events (`tests/vectors/profiles.json`).
//! [`fit_rfm`] and [`rfm_score`] are the core's RFM cut points and scores. Profiles and
//! cuts travel as JSON text because their shape is the server's storage format; the
//! score is a record (`Rfm`, from the core).

use std::sync::{Arc, Mutex};
use std::time::SystemTime;

use arichat_core::profile::{self, Profile, ProfileBuilder, ProfileOptions, Rfm, RfmCuts};
use arichat_core::{CoreError, Event};

use crate::error::{to_utc, Result};

/// Parses JSON text as `T`, a typed `invalid_json` error naming `what` otherwise.
fn parse<T: serde::de::DeserializeOwned>(text: &str, what: &'static str) -> Result<T> {
    serde_json::from_str(text).map_err(|e| {
        CoreError::InvalidJson {
            what,
            reason: arichat_core::json_error::describe(&e, text),
        }
        .into()
    })
}

fn to_json<T: serde::Serialize>(value: &T) -> String {
    // The core's profile and cut types serialize without fallible parts (plain
    // strings, numbers and maps with string keys).
    serde_json::to_string(value).unwrap_or_default()
}

/// Every contact's profile, updated event by event; an event whose contact carries
/// identities of two profiles merges them. Thread-safe (one lock).
#[derive(uniffi::Object)]
pub struct ProfileSet {
    inner: Mutex<profile::ProfileSet>,
}

#[uniffi::export]
impl ProfileSet {
    /// A set with `options_json` (`{"interests": [...], "half_life_days": 30,
    /// "utc_offset_minutes": 0, "max_interests": 20}`, every key optional; null for the
    /// core's defaults). Throws `invalid_json` for an unknown key or a wrong type.
    #[uniffi::constructor(default(options_json = None))]
    pub fn new(options_json: Option<String>) -> Result<Arc<Self>> {
        let options: ProfileOptions = match options_json {
            Some(text) => parse(&text, "profile options")?,
            None => ProfileOptions::default(),
        };
        Ok(Arc::new(ProfileSet {
            inner: Mutex::new(profile::ProfileSet::new(ProfileBuilder::new(
                options.into_config(),
            ))),
        }))
    }

    /// Applies one event (its JSON); returns its contact's profile as JSON, or null for
    /// an event without a contact. Throws `invalid_json` when it is not an event.
    pub fn apply(&self, event_json: String) -> Result<Option<String>> {
        let event: Event = parse(&event_json, "event")?;
        Ok(self.lock().apply(&event).map(to_json))
    }

    /// The profile (JSON) of an identity key (`whatsapp:wa_id:…`, `telegram:user:…`).
    pub fn get(&self, key: String) -> Option<String> {
        self.lock().get(&key).map(to_json)
    }

    /// Declares two identity keys one person; returns whether both were known.
    pub fn link(&self, a: String, b: String) -> bool {
        self.lock().link(&a, &b)
    }

    /// Every profile (JSON), in the order first seen.
    pub fn profiles(&self) -> Vec<String> {
        self.lock().iter().map(to_json).collect()
    }

    /// How many profiles.
    pub fn size(&self) -> u64 {
        self.lock().len() as u64
    }
}

impl ProfileSet {
    fn lock(&self) -> std::sync::MutexGuard<'_, profile::ProfileSet> {
        // A panic inside the core while holding the lock leaves a set that is still
        // consistent per event; keep serving it.
        self.inner.lock().unwrap_or_else(|e| e.into_inner())
    }
}

/// The identity keys of an event's contact (its JSON): what profiles are found by.
#[uniffi::export]
pub fn profile_keys(event_json: String) -> Result<Vec<String>> {
    let event: Event = parse(&event_json, "event")?;
    Ok(profile::event_identity_keys(&event))
}

/// RFM cut points (quintiles, as JSON) fitted on `profiles` (JSON each) as of `now`;
/// monetary in `currency` (default: the most common one).
#[uniffi::export(default(currency = None))]
pub fn fit_rfm(profiles: Vec<String>, now: SystemTime, currency: Option<String>) -> Result<String> {
    let profiles = profiles
        .iter()
        .map(|p| parse::<Profile>(p, "profile"))
        .collect::<Result<Vec<_>>>()?;
    let config = ProfileOptions::default().into_config();
    let cuts = RfmCuts::fit(&profiles, to_utc(now)?, &config, currency.as_deref());
    Ok(to_json(&cuts))
}

/// The RFM scores (1 to 5) of one profile (JSON) with fitted cuts (JSON).
#[uniffi::export]
pub fn rfm_score(profile_json: String, cuts_json: String, now: SystemTime) -> Result<Rfm> {
    let profile: Profile = parse(&profile_json, "profile")?;
    let cuts: RfmCuts = parse(&cuts_json, "rfm cuts")?;
    let config = ProfileOptions::default().into_config();
    Ok(cuts.score(&profile, to_utc(now)?, &config))
}
