//! Serde wire types: the parts of the Telegram Bot API objects arichat reads.
//!
//! Unknown fields are skipped by serde (new Bot API fields never break parsing); a
//! field arichat reads that has the wrong type makes that one update fail to parse,
//! and the caller turns it into an `invalid_item` event.

use std::fmt;
use std::marker::PhantomData;

use serde::de::{IgnoredAny, MapAccess, Visitor};
use serde::{Deserialize, Deserializer};
use serde_json::value::RawValue;
use serde_json::Value;

pub(crate) use crate::borrowed::Str;

/// A webhook body: one `Update`, or a `getUpdates` response
/// `{"ok": true, "result": [Update, ...]}`. Both shapes share this struct so a body is
/// parsed once; `ok`, `result` and `description` are only set for the envelope, the
/// other fields only for an update. Fields of kinds arichat does not map are kept as
/// JSON in `others`, so an unknown update kind needs no second parse for its raw JSON.
#[derive(Debug, Default)]
pub(crate) struct Update<'a> {
    /// `getUpdates` envelope: whether the call succeeded.
    pub ok: Option<bool>,
    /// `getUpdates` envelope: the updates, kept raw so one bad item stays one item.
    pub result: Option<Vec<&'a RawValue>>,
    /// `getUpdates` envelope: the error text when `ok` is false.
    pub description: Option<String>,
    pub update_id: Option<i64>,
    pub message: Option<Box<Message<'a>>>,
    pub edited_message: Option<Box<Message<'a>>>,
    pub channel_post: Option<Box<Message<'a>>>,
    pub edited_channel_post: Option<Box<Message<'a>>>,
    // The kinds other than messages are boxed like them: inline they made an `Update`
    // 752 bytes, copied on each of its three moves (out of the visitor, out of
    // `from_str`, into the mapping) for every body, where few bodies carry one.
    pub callback_query: Option<Box<CallbackQuery<'a>>>,
    pub my_chat_member: Option<Box<ChatMemberUpdated<'a>>>,
    /// Telegram Business: a message in a chat of a business account the bot manages.
    pub business_message: Option<Box<Message<'a>>>,
    pub edited_business_message: Option<Box<Message<'a>>>,
    pub deleted_business_messages: Option<Box<BusinessMessagesDeleted<'a>>>,
    pub business_connection: Option<Box<BusinessConnection<'a>>>,
    /// Every other field, as its JSON text.
    pub others: Vec<(Str<'a>, &'a RawValue)>,
}

impl<'de: 'a, 'a> Deserialize<'de> for Update<'a> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_map(UpdateVisitor(PhantomData))
    }
}

struct UpdateVisitor<'a>(PhantomData<&'a ()>);

impl<'de: 'a, 'a> Visitor<'de> for UpdateVisitor<'a> {
    type Value = Update<'a>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a Telegram Update object")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Update<'a>, A::Error> {
        let mut u = Update::default();
        while let Some(key) = map.next_key::<Str<'de>>()? {
            match key.as_str() {
                "ok" => u.ok = map.next_value()?,
                "result" => {
                    u.result = map
                        .next_value::<Option<crate::items::Capped<_>>>()?
                        .map(|c| c.0)
                }
                "description" => u.description = map.next_value()?,
                "update_id" => u.update_id = map.next_value()?,
                "message" => u.message = map.next_value()?,
                "edited_message" => u.edited_message = map.next_value()?,
                "channel_post" => u.channel_post = map.next_value()?,
                "edited_channel_post" => u.edited_channel_post = map.next_value()?,
                "callback_query" => u.callback_query = map.next_value()?,
                "my_chat_member" => u.my_chat_member = map.next_value()?,
                "business_message" => u.business_message = map.next_value()?,
                "edited_business_message" => u.edited_business_message = map.next_value()?,
                "deleted_business_messages" => u.deleted_business_messages = map.next_value()?,
                "business_connection" => u.business_connection = map.next_value()?,
                _ => u.others.push((key, map.next_value()?)),
            }
        }
        Ok(u)
    }
}

/// A `User`.
#[derive(Debug, Clone, Deserialize)]
pub(crate) struct User<'a> {
    pub id: i64,
    #[serde(default)]
    pub is_bot: bool,
    #[serde(default, borrow)]
    pub first_name: Str<'a>,
    #[serde(borrow)]
    pub last_name: Option<Str<'a>>,
}

/// A `Chat` (private, group, supergroup or channel).
#[derive(Debug, Clone, Deserialize)]
pub(crate) struct Chat<'a> {
    pub id: i64,
    #[serde(rename = "type", borrow)]
    pub kind: Option<Str<'a>>,
    #[serde(borrow)]
    pub title: Option<Str<'a>>,
    #[serde(borrow)]
    pub first_name: Option<Str<'a>>,
    #[serde(borrow)]
    pub last_name: Option<Str<'a>>,
}

/// `BusinessConnection`: the bot was connected to (or disconnected from) a business
/// account.
#[derive(Debug, Deserialize)]
pub(crate) struct BusinessConnection<'a> {
    #[serde(borrow)]
    pub id: Str<'a>,
    #[serde(borrow)]
    pub user: User<'a>,
    pub date: Option<i64>,
    #[serde(default)]
    pub is_enabled: bool,
}

/// `BusinessMessagesDeleted`.
#[derive(Debug, Deserialize)]
pub(crate) struct BusinessMessagesDeleted<'a> {
    #[serde(borrow)]
    pub business_connection_id: Str<'a>,
    #[serde(borrow)]
    pub chat: Chat<'a>,
    #[serde(default)]
    pub message_ids: Vec<i64>,
}

/// A `Message` (also used for edited messages and channel posts).
#[derive(Debug, Deserialize)]
pub(crate) struct Message<'a> {
    pub message_id: i64,
    /// Set on business messages: the connection they came through.
    #[serde(borrow)]
    pub business_connection_id: Option<Str<'a>>,
    pub date: Option<i64>,
    pub edit_date: Option<i64>,
    #[serde(borrow)]
    pub chat: Chat<'a>,
    #[serde(borrow)]
    pub from: Option<User<'a>>,
    #[serde(borrow)]
    pub sender_chat: Option<Chat<'a>>,
    pub reply_to_message: Option<Box<MessageRef>>,
    pub external_reply: Option<ExternalReply>,
    pub forward_origin: Option<IgnoredAny>,
    pub forward_from: Option<IgnoredAny>,
    pub forward_from_chat: Option<IgnoredAny>,
    pub forward_sender_name: Option<IgnoredAny>,
    pub forward_date: Option<IgnoredAny>,
    #[serde(borrow)]
    pub text: Option<Str<'a>>,
    pub entities: Option<Vec<Value>>,
    #[serde(borrow)]
    pub caption: Option<Str<'a>>,
    #[serde(borrow)]
    pub photo: Option<Vec<PhotoSize<'a>>>,
    #[serde(borrow)]
    pub animation: Option<Box<File<'a>>>,
    #[serde(borrow)]
    pub document: Option<Box<File<'a>>>,
    #[serde(borrow)]
    pub audio: Option<Box<File<'a>>>,
    #[serde(borrow)]
    pub voice: Option<Box<File<'a>>>,
    #[serde(borrow)]
    pub video: Option<Box<File<'a>>>,
    #[serde(borrow)]
    pub video_note: Option<Box<File<'a>>>,
    #[serde(borrow)]
    pub sticker: Option<Box<File<'a>>>,
    #[serde(borrow)]
    pub venue: Option<Box<Venue<'a>>>,
    pub location: Option<Location>,
    pub contact: Option<Box<Value>>,
    // Content kinds a person sends that arichat keeps raw (`MessageContent::Unsupported`).
    #[serde(borrow)]
    pub dice: Option<&'a RawValue>,
    #[serde(borrow)]
    pub poll: Option<&'a RawValue>,
    #[serde(borrow)]
    pub game: Option<&'a RawValue>,
    #[serde(borrow)]
    pub invoice: Option<&'a RawValue>,
    #[serde(borrow)]
    pub story: Option<&'a RawValue>,
    #[serde(borrow)]
    pub paid_media: Option<&'a RawValue>,
    #[serde(borrow)]
    pub checklist: Option<&'a RawValue>,
    #[serde(borrow)]
    pub giveaway: Option<&'a RawValue>,
    #[serde(borrow)]
    pub giveaway_winners: Option<&'a RawValue>,
}

/// The parts of a replied-to message that identify it.
#[derive(Debug, Deserialize)]
pub(crate) struct MessageRef {
    pub message_id: i64,
    pub chat: Option<ChatRef>,
}

/// A chat reference: only its id.
#[derive(Debug, Deserialize)]
pub(crate) struct ChatRef {
    pub id: i64,
}

/// `ExternalReplyInfo`: a reply to a message in another chat.
#[derive(Debug, Deserialize)]
pub(crate) struct ExternalReply {
    pub chat: Option<ChatRef>,
    pub message_id: Option<i64>,
}

/// One size of a photo.
#[derive(Debug, Deserialize)]
pub(crate) struct PhotoSize<'a> {
    #[serde(borrow)]
    pub file_id: Str<'a>,
    #[serde(default)]
    pub width: u64,
    #[serde(default)]
    pub height: u64,
    pub file_size: Option<u64>,
}

/// Any file-backed object (`Document`, `Audio`, `Voice`, `Video`, `VideoNote`,
/// `Animation`, `Sticker`).
#[derive(Debug, Deserialize)]
pub(crate) struct File<'a> {
    #[serde(borrow)]
    pub file_id: Str<'a>,
    #[serde(borrow)]
    pub mime_type: Option<Str<'a>>,
    #[serde(borrow)]
    pub file_name: Option<Str<'a>>,
}

/// A `Location`.
#[derive(Debug, Deserialize)]
pub(crate) struct Location {
    pub latitude: f64,
    pub longitude: f64,
}

/// A `Venue`: a location with a name and address.
#[derive(Debug, Deserialize)]
pub(crate) struct Venue<'a> {
    pub location: Location,
    #[serde(borrow)]
    pub title: Option<Str<'a>>,
    #[serde(borrow)]
    pub address: Option<Str<'a>>,
}

/// A `CallbackQuery`: a tap on an inline keyboard button.
#[derive(Debug, Deserialize)]
pub(crate) struct CallbackQuery<'a> {
    #[serde(borrow)]
    pub from: User<'a>,
    /// The message the button was on (may be an inaccessible stub with date 0).
    pub message: Option<MessageRef>,
    #[serde(borrow)]
    pub inline_message_id: Option<Str<'a>>,
    #[serde(borrow)]
    pub data: Option<Str<'a>>,
}

/// `ChatMemberUpdated`: the bot's own membership changed (`my_chat_member`).
#[derive(Debug, Deserialize)]
pub(crate) struct ChatMemberUpdated<'a> {
    #[serde(borrow)]
    pub chat: Chat<'a>,
    #[serde(borrow)]
    pub from: User<'a>,
    pub date: Option<i64>,
    #[serde(borrow)]
    pub new_chat_member: ChatMember<'a>,
}

/// A `ChatMember`: only its status is read.
#[derive(Debug, Deserialize)]
pub(crate) struct ChatMember<'a> {
    #[serde(borrow)]
    pub status: Str<'a>,
}
