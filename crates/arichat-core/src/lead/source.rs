//! Where a lead came from.

use crate::Channel;

/// Source attribution of a lead: the channel it arrived on and, for ad clicks, the
/// campaign or ad and the referral URL (for example a click-to-WhatsApp ad).
#[derive(Debug, Clone, PartialEq, Eq, Default, serde::Serialize, serde::Deserialize)]
pub struct LeadSource {
    /// Channel of first contact.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub channel: Option<Channel>,
    /// Campaign id, when known.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub campaign_id: Option<String>,
    /// Ad or post id (WhatsApp `referral.source_id`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ad_id: Option<String>,
    /// The URL the contact clicked (WhatsApp `referral.source_url`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub referral_url: Option<String>,
    /// Click-to-WhatsApp click id, used for conversion reporting.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ctwa_clid: Option<String>,
}
