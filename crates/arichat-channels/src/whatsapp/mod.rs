//! WhatsApp Cloud API webhooks (`object: whatsapp_business_account`).

use arichat_core::Event;

use crate::{ChannelError, NormalizeOptions};

pub(crate) fn normalize(
    body: &[u8],
    options: &NormalizeOptions,
) -> Result<Vec<Event>, ChannelError> {
    crate::unsupported::whole_body(arichat_core::Channel::Whatsapp, body, options)
}
