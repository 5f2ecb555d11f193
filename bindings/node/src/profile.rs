//! `ProfileSet`, `profileKeys`, `fitRfm` and `rfmScore`: the customer profiles of
//! [`arichat_core::profile`]. Profiles reach JS as the core's serde JSON (snake_case
//! keys, the same objects Python returns).

use arichat_core::profile::{Profile, ProfileBuilder, ProfileOptions, RfmCuts};
use arichat_core::Event;
use napi::bindgen_prelude::Date;
use napi_derive::napi;
use serde_json::Value as Json;

use crate::serde_js::{parse, to_js};
use crate::{to_utc, Result};

/// Every contact's profile, updated event by event; an event whose contact carries
/// identities of two profiles merges them.
///
/// Options (all optional, the core's defaults otherwise): `interests` (product words),
/// `half_life_days` (30), `utc_offset_minutes` (0), `max_interests` (20).
#[napi]
pub struct ProfileSet {
    inner: arichat_core::profile::ProfileSet,
}

#[napi]
impl ProfileSet {
    /// Throws `invalid_json` for an unknown option or a value of the wrong type.
    #[napi(
        constructor,
        ts_args_type = "options?: { interests?: string[], half_life_days?: number, utc_offset_minutes?: number, max_interests?: number }"
    )]
    pub fn new(options: Option<Json>) -> Result<Self> {
        let options: ProfileOptions = match options {
            Some(o) => parse(o, "profile options")?,
            None => ProfileOptions::default(),
        };
        Ok(ProfileSet {
            inner: arichat_core::profile::ProfileSet::new(ProfileBuilder::new(
                options.into_config(),
            )),
        })
    }

    /// Applies one event (an object as `normalize` gives it, or its JSON); returns its
    /// contact's profile, or `null` for an event without a contact.
    ///
    /// Throws `invalid_json` when it is not an event.
    #[napi(
        ts_args_type = "event: Record<string, any> | string",
        ts_return_type = "Record<string, any> | null"
    )]
    pub fn apply(&mut self, event: Json) -> Result<Json> {
        let event: Event = parse(event, "event")?;
        Ok(self.inner.apply(&event).map_or(Json::Null, to_js))
    }

    /// The profile of an identity key (`whatsapp:wa_id:…`, `telegram:user:…`).
    #[napi(ts_return_type = "Record<string, any> | null")]
    pub fn get(&self, key: String) -> Json {
        self.inner.get(&key).map_or(Json::Null, to_js)
    }

    /// Declares two identity keys one person; returns whether both were known.
    #[napi]
    pub fn link(&mut self, a: String, b: String) -> bool {
        self.inner.link(&a, &b)
    }

    /// Every profile, in the order first seen.
    #[napi(ts_return_type = "Array<Record<string, any>>")]
    pub fn profiles(&self) -> Json {
        Json::Array(self.inner.iter().map(to_js).collect())
    }

    /// How many profiles.
    #[napi(getter)]
    pub fn size(&self) -> u32 {
        u32::try_from(self.inner.len()).unwrap_or(u32::MAX)
    }
}

/// The identity keys of an event's contact: what profiles are found by.
///
/// Throws `invalid_json` when it is not an event.
#[napi(ts_args_type = "event: Record<string, any> | string")]
pub fn profile_keys(event: Json) -> Result<Vec<String>> {
    let event: Event = parse(event, "event")?;
    Ok(arichat_core::profile::event_identity_keys(&event))
}

/// RFM cut points (quintiles) fitted on `profiles` as of `now`; monetary in
/// `currency` (default: the most common one).
#[napi(
    ts_args_type = "profiles: Array<Record<string, any> | string>, now: Date, currency?: string",
    ts_return_type = "Record<string, any>"
)]
pub fn fit_rfm(profiles: Vec<Json>, now: Date, currency: Option<String>) -> Result<Json> {
    let profiles = profiles
        .into_iter()
        .map(|p| parse::<Profile>(p, "profile"))
        .collect::<Result<Vec<_>>>()?;
    let config = ProfileOptions::default().into_config();
    let cuts = RfmCuts::fit(&profiles, to_utc(now, "now")?, &config, currency.as_deref());
    Ok(to_js(&cuts))
}

/// The RFM scores (1 to 5) of one profile with fitted cuts.
#[napi(
    ts_args_type = "profile: Record<string, any> | string, cuts: Record<string, any>, now: Date",
    ts_return_type = "{ recency: number, frequency: number, monetary: number }"
)]
pub fn rfm_score(profile: Json, cuts: Json, now: Date) -> Result<Json> {
    let profile: Profile = parse(profile, "profile")?;
    let cuts: RfmCuts = parse(cuts, "rfm cuts")?;
    let config = ProfileOptions::default().into_config();
    Ok(to_js(&cuts.score(&profile, to_utc(now, "now")?, &config)))
}
