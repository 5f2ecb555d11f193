//! The channels a campaign reaches customers on.

use crate::named_enum::named_enum;
use crate::Channel;

named_enum!(
    /// Where a campaign's offer is shown or sent: the messaging channels arichat
    /// speaks ([`Channel`]) and the other channels of a bank's or shop's marketing.
    /// A closed set, so that a misspelt channel in a bundle is a load error.
    ///
    /// ```
    /// use arichat_core::campaign::CampaignChannel;
    /// use arichat_core::Channel;
    /// assert_eq!("app".parse::<CampaignChannel>().unwrap(), CampaignChannel::App);
    /// assert_eq!(CampaignChannel::from(Channel::Whatsapp).messaging(), Some(Channel::Whatsapp));
    /// assert_eq!(CampaignChannel::Phone.messaging(), None);
    /// ```
    #[cfg_attr(feature = "uniffi", derive(uniffi::Enum))]
    CampaignChannel, "campaign channel", "whatsapp, messenger, instagram, telegram, sms, email, push, app, web, phone, video, social, branch, atm, mattermost", {
        /// WhatsApp (template or service message).
        Whatsapp => "whatsapp",
        /// Facebook Messenger.
        Messenger => "messenger",
        /// Instagram direct messages.
        Instagram => "instagram",
        /// Telegram.
        Telegram => "telegram",
        /// SMS.
        Sms => "sms",
        /// Email.
        Email => "email",
        /// A push notification of the mobile app.
        Push => "push",
        /// Inside the mobile app (a banner or an offers screen).
        App => "app",
        /// The web site or online banking.
        Web => "web",
        /// An outbound call (call centre, telemarketing).
        Phone => "phone",
        /// A video (pre-roll, a personalised video).
        Video => "video",
        /// Paid or organic social media (audiences built from the assignments).
        Social => "social",
        /// At a branch, through staff (the sales view).
        Branch => "branch",
        /// On an ATM screen.
        Atm => "atm",
        /// Mattermost (appended: the indices of the others stay put).
        Mattermost => "mattermost",
    }
);

impl CampaignChannel {
    /// The messaging channel, for the ones arichat sends on.
    pub fn messaging(self) -> Option<Channel> {
        match self {
            CampaignChannel::Whatsapp => Some(Channel::Whatsapp),
            CampaignChannel::Messenger => Some(Channel::Messenger),
            CampaignChannel::Instagram => Some(Channel::Instagram),
            CampaignChannel::Telegram => Some(Channel::Telegram),
            CampaignChannel::Mattermost => Some(Channel::Mattermost),
            _ => None,
        }
    }
}

impl From<Channel> for CampaignChannel {
    fn from(c: Channel) -> Self {
        match c {
            Channel::Whatsapp => CampaignChannel::Whatsapp,
            Channel::Messenger => CampaignChannel::Messenger,
            Channel::Instagram => CampaignChannel::Instagram,
            Channel::Telegram => CampaignChannel::Telegram,
            Channel::Mattermost => CampaignChannel::Mattermost,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_messaging_channel_maps_both_ways() {
        for c in Channel::ALL {
            assert_eq!(CampaignChannel::from(c).messaging(), Some(c));
            assert_eq!(CampaignChannel::from(c).as_str(), c.as_str());
        }
        let messaging = CampaignChannel::ALL
            .iter()
            .filter(|c| c.messaging().is_some());
        assert_eq!(messaging.count(), Channel::ALL.len());
    }
}
