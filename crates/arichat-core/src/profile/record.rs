//! A profile's fields as a [`LeadRecord`], so scorecard and campaign rules read them.

use chrono::{DateTime, Utc};

use super::{Profile, ProfileConfig, RfmCuts};
use crate::scoring::LeadRecord;

impl Profile {
    /// Writes this profile's fields into `record` as of `now`, each named
    /// `profile_<name>`: `days_since_seen`, `days_since_inbound`, `messages_in`,
    /// `messages_out`, `inbound_recent` (decayed), `preferred_channel`, `active_hour`,
    /// `language`, `last_intent`, `interests` (space-separated, strongest first),
    /// `currency`, `paid_minor`, `mentioned_minor` (in that currency),
    /// `response_mean_secs`, `waiting_secs`, `consent`, `identities`, and with `cuts`
    /// `rfm_recency`, `rfm_frequency`, `rfm_monetary`, `rfm` (e.g. `"545"`). A field
    /// the profile has no value for is left missing.
    ///
    /// ```
    /// use arichat_core::profile::{Profile, ProfileConfig};
    /// use arichat_core::scoring::LeadRecord;
    /// let mut record = LeadRecord::new();
    /// Profile::default().fill_record(&mut record, chrono::Utc::now(), &ProfileConfig::default(), None);
    /// assert_eq!(record.get("profile_messages_in").as_f64(), Some(0.0));
    /// assert!(record.get("profile_language").is_null());
    /// ```
    pub fn fill_record(
        &self,
        record: &mut LeadRecord,
        now: DateTime<Utc>,
        config: &ProfileConfig,
        cuts: Option<&RfmCuts>,
    ) {
        let days = |t: DateTime<Utc>| (now - t).num_seconds().max(0) as f64 / 86_400.0;
        if let Some(t) = self.last_seen {
            record.set("profile_days_since_seen", days(t));
        }
        if let Some(d) = self.days_since_inbound(now) {
            record.set("profile_days_since_inbound", d);
        }
        record.set("profile_messages_in", self.messages_in as f64);
        record.set("profile_messages_out", self.messages_out as f64);
        record.set("profile_inbound_recent", self.inbound_weight(now, config));
        if let Some(c) = self.preferred_channel(now, config) {
            record.set("profile_preferred_channel", c.as_str());
        }
        if let Some(h) = self.active_hour() {
            record.set("profile_active_hour", f64::from(h));
        }
        if let Some(l) = self.language() {
            record.set("profile_language", l.as_str());
        }
        if let Some(i) = self.recent_intents.back() {
            record.set("profile_last_intent", i.intent.as_str());
        }
        if !self.interests.is_empty() {
            record.set("profile_interests", self.interest_terms().join(" "));
        }
        if let Some(currency) = self.main_currency() {
            let totals = &self.money[currency];
            record.set("profile_currency", currency);
            record.set("profile_paid_minor", totals.paid_minor as f64);
            record.set("profile_mentioned_minor", totals.mentioned_minor as f64);
        }
        if let Some(mean) = self.response.mean_secs() {
            record.set("profile_response_mean_secs", mean as f64);
        }
        if let Some(since) = self.waiting_since {
            record.set(
                "profile_waiting_secs",
                (now - since).num_seconds().max(0) as f64,
            );
        }
        if let Some(c) = self.consent {
            record.set("profile_consent", c.signal.as_str());
        }
        record.set("profile_identities", self.identities.len() as f64);
        if let Some(cuts) = cuts {
            let rfm = cuts.score(self, now, config);
            record.set("profile_rfm_recency", f64::from(rfm.recency));
            record.set("profile_rfm_frequency", f64::from(rfm.frequency));
            record.set("profile_rfm_monetary", f64::from(rfm.monetary));
            record.set("profile_rfm", rfm.code());
        }
    }
}
