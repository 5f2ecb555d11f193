//! Messenger (`object: page`) and Instagram (`object: instagram`) webhooks.

use arichat_core::{Channel, Event};

use crate::{ChannelError, NormalizeOptions};

pub(crate) fn normalize(
    channel: Channel,
    body: &[u8],
    options: &NormalizeOptions,
) -> Result<Vec<Event>, ChannelError> {
    crate::unsupported::whole_body(channel, body, options)
}
