//! Wire types of the Messenger Platform webhook (shared by Messenger and Instagram).
//!
//! Everything borrows from the body. Collections of items are kept as raw JSON
//! (`&RawValue`) and parsed one by one, so one malformed item becomes an unsupported
//! event instead of failing the body. Fields arichat does not use are not declared
//! (serde skips them).

use std::borrow::Cow;

use serde::Deserialize;
use serde_json::value::RawValue;

use crate::items::capped_opt;

pub(super) use crate::lenient::{Id, Timestamp};

/// One item of `entry[].changes` (only its field name is read).
#[derive(Deserialize)]
pub(super) struct Change<'a> {
    #[serde(borrow, default)]
    pub field: Option<Cow<'a, str>>,
}

/// `sender` / `recipient`: a PSID / IGSID (or page id), or a plugin `user_ref`.
#[derive(Deserialize)]
pub(super) struct Party<'a> {
    #[serde(borrow, default)]
    pub id: Option<Id<'a>>,
    #[serde(borrow, default)]
    pub user_ref: Option<Id<'a>>,
}

/// `message` (also echoes and unsends).
#[derive(Deserialize)]
pub(super) struct Message<'a> {
    #[serde(borrow, default)]
    pub mid: Option<Cow<'a, str>>,
    #[serde(borrow, default)]
    pub text: Option<Cow<'a, str>>,
    #[serde(borrow, default, deserialize_with = "capped_opt")]
    pub attachments: Option<Vec<&'a RawValue>>,
    #[serde(borrow, default)]
    pub quick_reply: Option<QuickReply<'a>>,
    #[serde(borrow, default)]
    pub reply_to: Option<Box<ReplyTo<'a>>>,
    #[serde(default)]
    pub is_echo: Option<bool>,
    /// On an echo: the Meta app that sent the message.
    #[serde(borrow, default)]
    pub app_id: Option<Id<'a>>,
    #[serde(default)]
    pub is_deleted: Option<bool>,
    #[serde(default)]
    pub is_unsupported: Option<bool>,
    #[serde(borrow, default)]
    pub sticker_id: Option<Id<'a>>,
    #[serde(borrow, default)]
    pub referral: Option<Box<Referral<'a>>>,
}

/// `message.quick_reply`.
#[derive(Deserialize)]
pub(super) struct QuickReply<'a> {
    #[serde(borrow, default)]
    pub payload: Option<Cow<'a, str>>,
}

/// `message.reply_to`: a message, or an Instagram story.
#[derive(Deserialize)]
pub(super) struct ReplyTo<'a> {
    #[serde(borrow, default)]
    pub mid: Option<Cow<'a, str>>,
    #[serde(borrow, default)]
    pub story: Option<Story<'a>>,
}

/// `message.reply_to.story`.
#[derive(Deserialize)]
pub(super) struct Story<'a> {
    #[serde(borrow, default)]
    pub id: Option<Id<'a>>,
    #[serde(borrow, default)]
    pub url: Option<Cow<'a, str>>,
}

/// One of `message.attachments`.
#[derive(Deserialize)]
pub(super) struct Attachment<'a> {
    #[serde(rename = "type", borrow)]
    pub kind: Cow<'a, str>,
    #[serde(borrow, default)]
    pub payload: Option<&'a RawValue>,
    #[serde(borrow, default)]
    pub title: Option<Cow<'a, str>>,
}

/// The payload of an image, audio, video or file attachment.
#[derive(Deserialize)]
pub(super) struct MediaPayload<'a> {
    #[serde(borrow, default)]
    pub url: Option<Cow<'a, str>>,
    #[serde(borrow, default)]
    pub sticker_id: Option<Id<'a>>,
}

/// The payload of a location attachment.
#[derive(Deserialize)]
pub(super) struct LocationPayload {
    pub coordinates: Coordinates,
}

/// `payload.coordinates`.
#[derive(Deserialize)]
pub(super) struct Coordinates {
    pub lat: f64,
    pub long: f64,
}

/// `message_edit`.
#[derive(Deserialize)]
pub(super) struct MessageEdit<'a> {
    #[serde(borrow, default)]
    pub mid: Option<Cow<'a, str>>,
    #[serde(borrow, default)]
    pub text: Option<Cow<'a, str>>,
    #[serde(borrow, default)]
    pub num_edit: Option<Id<'a>>,
}

/// `reaction`.
#[derive(Deserialize)]
pub(super) struct Reaction<'a> {
    #[serde(borrow, default)]
    pub mid: Option<Cow<'a, str>>,
    #[serde(borrow, default)]
    pub action: Option<Cow<'a, str>>,
    #[serde(borrow, default)]
    pub emoji: Option<Cow<'a, str>>,
    #[serde(borrow, default)]
    pub reaction: Option<Cow<'a, str>>,
}

/// `read`: a watermark (Messenger) or a message id (Instagram).
#[derive(Deserialize)]
pub(super) struct Read<'a> {
    #[serde(default)]
    pub watermark: Timestamp,
    #[serde(borrow, default)]
    pub mid: Option<Cow<'a, str>>,
}

/// `delivery`.
#[derive(Deserialize)]
pub(super) struct Delivery<'a> {
    #[serde(default)]
    pub watermark: Timestamp,
    #[serde(borrow, default)]
    pub mids: Option<Vec<Cow<'a, str>>>,
}

/// `postback`.
#[derive(Deserialize)]
pub(super) struct Postback<'a> {
    #[serde(borrow, default)]
    pub payload: Option<Cow<'a, str>>,
    #[serde(borrow, default)]
    pub title: Option<Cow<'a, str>>,
    #[serde(borrow, default)]
    pub mid: Option<Cow<'a, str>>,
    #[serde(borrow, default)]
    pub referral: Option<Referral<'a>>,
}

/// `referral` (item, `message.referral` or `postback.referral`).
#[derive(Deserialize)]
pub(super) struct Referral<'a> {
    #[serde(rename = "ref", borrow, default)]
    pub r#ref: Option<Cow<'a, str>>,
    #[serde(borrow, default)]
    pub source: Option<Cow<'a, str>>,
    #[serde(borrow, default)]
    pub ad_id: Option<Id<'a>>,
    #[serde(borrow, default)]
    pub referer_uri: Option<Cow<'a, str>>,
    #[serde(borrow, default)]
    pub ads_context_data: Option<AdsContext<'a>>,
    #[serde(borrow, default)]
    pub product: Option<Product<'a>>,
}

/// `referral.ads_context_data`.
#[derive(Deserialize)]
pub(super) struct AdsContext<'a> {
    #[serde(borrow, default)]
    pub ad_title: Option<Cow<'a, str>>,
    #[serde(borrow, default)]
    pub post_id: Option<Id<'a>>,
}

/// `referral.product` (a shop product the contact asked about).
#[derive(Deserialize)]
pub(super) struct Product<'a> {
    #[serde(borrow, default)]
    pub id: Option<Id<'a>>,
}

/// `optin`: a plugin opt-in or a marketing-messages (`notification_messages`) change.
#[derive(Deserialize)]
pub(super) struct Optin<'a> {
    #[serde(rename = "ref", borrow, default)]
    pub r#ref: Option<Cow<'a, str>>,
    #[serde(borrow, default)]
    pub user_ref: Option<Id<'a>>,
    #[serde(borrow, default)]
    pub payload: Option<Cow<'a, str>>,
    #[serde(borrow, default)]
    pub notification_messages_token: Option<Cow<'a, str>>,
    #[serde(borrow, default)]
    pub notification_messages_status: Option<Cow<'a, str>>,
}
