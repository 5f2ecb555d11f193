//! Mattermost outgoing webhooks and slash commands.
//!
//! # Bodies
//! Mattermost posts the same fields as a form (`application/x-www-form-urlencoded`,
//! the default) or as JSON, as the integration is configured: `token`, `team_id`,
//! `team_domain`, `channel_id`, `channel_name`, `timestamp`, `user_id`, `user_name`,
//! `post_id`, `text`, `trigger_word`, `file_ids`. Slash commands add `command`,
//! `trigger_id` and `response_url` (and carry their token in an
//! `Authorization: Token …` header too). [`Hook::parse`] reads either encoding into one
//! [`Hook`]; without a content type a body starting with `{` is JSON, anything else a
//! form.
//!
//! Outgoing webhooks fire in public channels only; slash commands work in private
//! channels and direct messages as well.
//!
//! # Mapping (one event per post, plus one per further attached file)
//! | hook | event |
//! |---|---|
//! | text without files | `Message`, inbound, author `Client`, `Text` |
//! | with `file_ids` | `Message`, `Document` (id = the first file id, caption = the text); each further file one more `Document` event |
//! | slash command | `Message`, `Text` = the line as typed (`/venta monto=1500 …`) |
//!
//! # Identifiers
//! - `idempotency_key`: `mattermost:<team_id>:post:<post_id>` (a redelivered hook
//!   records nothing twice); a second and later attached file appends `:<n>`. A slash
//!   command creates no post: `mattermost:<team_id>:command:<trigger_id>`.
//! - `channel_account_id`: the `team_id` (the body names it; no account hint needed).
//! - `MessageId`: the `post_id`; for a slash command `command:<trigger_id>`.
//! - `group_id`: the `channel_id`: a Mattermost channel is a room of several people.
//! - Contact: `ChannelIdentity::Mattermost { user_id }` with `user_name` as display name.
//!
//! # Times
//! `timestamp` is epoch milliseconds in JSON and epoch seconds in the form; both are
//! read by the shared lenient timestamp (numbers or strings of digits; milliseconds
//! above its threshold). Missing (slash commands send none): `received_at`.
//!
//! # Replies
//! A hook may be answered in the HTTP response: [`HookReply`] (`{"text": …,
//! "response_type": "comment"}` puts the answer in the post's thread).

mod hook;
mod map;
mod reply;

pub use hook::{Hook, HookKind};
pub use reply::{HookReply, ResponseType};

use arichat_core::Event;

use crate::{ChannelError, NormalizeOptions};

pub(crate) fn normalize(
    body: &[u8],
    options: &NormalizeOptions,
) -> Result<Vec<Event>, ChannelError> {
    Ok(Hook::parse(body, None)?.events(options))
}
