//! Serde types of the WhatsApp Cloud API webhook body, as sent.
//!
//! Only what arichat maps is typed; serde skips every other field without building
//! it. Scalars WhatsApp (or its test doubles) send in two shapes — timestamps as a
//! string or a number, coordinates likewise — go through the lenient types of
//! [`super::lenient`], so a variant never costs the message.

use serde::Deserialize;
use serde_json::value::RawValue;
use serde_json::Value;

use crate::items::{capped, capped_opt};

use crate::lenient::{Coord, UnixSeconds};

/// The envelope: `{"object": "whatsapp_business_account", "entry": [...]}`.
#[derive(Deserialize)]
pub(crate) struct Body {
    pub object: Option<String>,
    #[serde(deserialize_with = "capped")]
    pub entry: Vec<Entry>,
}

/// One WhatsApp Business Account.
#[derive(Deserialize)]
pub(crate) struct Entry {
    /// The WABA id.
    pub id: Option<String>,
    /// When Meta sent the entry (account and template updates carry it): the time of
    /// what is kept `unsupported` from it.
    #[serde(default)]
    pub time: UnixSeconds,
    /// Required: an entry without changes takes the slow path and is kept whole.
    #[serde(deserialize_with = "capped")]
    pub changes: Vec<Change>,
}

/// One change. Meta sends `value` before `field`, so `value` is read as a
/// `messages` value whatever the field: other fields' values (account and template
/// updates, calls, ...) share none of its keys, and are re-read as JSON when kept.
#[derive(Deserialize)]
pub(crate) struct Change {
    pub field: Option<String>,
    pub value: Option<ChangeValue>,
}

/// The `value` of a `messages` (or `smb_message_echoes`) change.
#[derive(Deserialize, Default)]
pub(crate) struct ChangeValue {
    pub metadata: Option<Metadata>,
    #[serde(default, deserialize_with = "capped")]
    pub contacts: Vec<Contact>,
    #[serde(default, deserialize_with = "capped")]
    pub messages: Vec<Message>,
    #[serde(default, deserialize_with = "capped")]
    pub message_echoes: Vec<Message>,
    #[serde(default, deserialize_with = "capped")]
    pub statuses: Vec<Status>,
    /// The items of a `user_id_update` change.
    #[serde(default, deserialize_with = "capped")]
    pub user_id_update: Vec<UserIdUpdate>,
    /// `calls` changes: one item per call event (connect, terminate).
    #[serde(default, deserialize_with = "capped")]
    pub calls: Vec<Call>,
    /// `user_preferences` changes: marketing-message stops, resumes and sign-ups.
    #[serde(default, deserialize_with = "capped")]
    pub user_preferences: Vec<UserPreference>,
    /// Errors about the webhook itself (not about one message).
    pub errors: Option<Vec<Value>>,
}

/// One `calls[]` item: only who and when are read; the item is kept whole.
#[derive(Deserialize, Default)]
pub(crate) struct Call {
    pub from: Option<String>,
    pub from_user_id: Option<String>,
    pub to: Option<String>,
    pub to_user_id: Option<String>,
    /// `USER_INITIATED` or `BUSINESS_INITIATED`: which side is the contact.
    pub direction: Option<String>,
    #[serde(default)]
    pub timestamp: UnixSeconds,
}

/// One `user_preferences[]` item.
#[derive(Deserialize, Default)]
pub(crate) struct UserPreference {
    pub wa_id: Option<String>,
    pub user_id: Option<String>,
    /// `marketing_messages`.
    pub category: Option<String>,
    /// `stop`, `resume` or `signup`.
    pub value: Option<String>,
    #[serde(default)]
    pub timestamp: UnixSeconds,
}

/// The body with entries kept raw (the lenient path).
#[derive(Deserialize)]
pub(crate) struct RawBody<'a> {
    pub object: Option<Value>,
    #[serde(borrow, default, deserialize_with = "capped_opt")]
    pub entry: Option<Vec<&'a RawValue>>,
}

/// An entry with its changes kept raw (lenient path).
#[derive(Deserialize)]
pub(crate) struct RawEntry<'a> {
    pub id: Option<Value>,
    #[serde(default)]
    pub time: UnixSeconds,
    #[serde(borrow, default, deserialize_with = "capped_opt")]
    pub changes: Option<Vec<&'a RawValue>>,
}

/// A change with its value kept raw (lenient path).
#[derive(Deserialize)]
pub(crate) struct RawChange<'a> {
    pub field: Option<Value>,
    #[serde(borrow)]
    pub value: Option<&'a RawValue>,
}

/// A `messages` value with its items kept raw (lenient path).
#[derive(Deserialize)]
pub(crate) struct RawChangeValue<'a> {
    #[serde(borrow)]
    pub metadata: Option<&'a RawValue>,
    #[serde(borrow, default, deserialize_with = "capped_opt")]
    pub contacts: Option<Vec<&'a RawValue>>,
    #[serde(borrow, default, deserialize_with = "capped_opt")]
    pub messages: Option<Vec<&'a RawValue>>,
    #[serde(borrow, default, deserialize_with = "capped_opt")]
    pub message_echoes: Option<Vec<&'a RawValue>>,
    #[serde(borrow, default, deserialize_with = "capped_opt")]
    pub statuses: Option<Vec<&'a RawValue>>,
    #[serde(borrow, default, deserialize_with = "capped_opt")]
    pub calls: Option<Vec<&'a RawValue>>,
    #[serde(borrow, default, deserialize_with = "capped_opt")]
    pub user_preferences: Option<Vec<&'a RawValue>>,
    pub errors: Option<Value>,
}

/// Just the metadata of any change value (lenient path, for its account).
#[derive(Deserialize)]
pub(crate) struct RawMetadataOf {
    pub metadata: Option<Metadata>,
}

/// The business phone number the change concerns.
#[derive(Deserialize, Default)]
pub(crate) struct Metadata {
    pub phone_number_id: Option<String>,
}

/// `contacts[]`: the sender's profile.
#[derive(Deserialize, Default)]
pub(crate) struct Contact {
    pub wa_id: Option<String>,
    /// Business-scoped user id (BSUID), sent alongside or instead of `wa_id`.
    pub user_id: Option<String>,
    /// Parent BSUID (`XX.ENT.…`), for managed businesses with linked portfolios.
    pub parent_user_id: Option<String>,
    pub profile: Option<Profile>,
}

/// `contacts[].profile`.
#[derive(Deserialize, Default)]
pub(crate) struct Profile {
    pub name: Option<String>,
    /// The user's username, when they adopted one.
    pub username: Option<String>,
}

/// One message (inbound, an echo of the business's own, or the inner message of an
/// edit).
#[derive(Deserialize, Default)]
pub(crate) struct Message {
    pub id: Option<String>,
    pub from: Option<String>,
    pub from_user_id: Option<String>,
    pub from_parent_user_id: Option<String>,
    /// Echoes: the contact the business wrote to.
    pub to: Option<String>,
    pub to_user_id: Option<String>,
    pub to_parent_user_id: Option<String>,
    /// Set on a message written in a group (`from` is the participant).
    pub group_id: Option<String>,
    #[serde(default)]
    pub timestamp: UnixSeconds,
    #[serde(rename = "type")]
    pub kind: Option<String>,
    pub context: Option<Context>,
    // The payloads a message carries at most one of are boxed: unboxed they made a
    // `Message` 1,600 bytes, copied on every move (into the list, out of it, into the
    // mapping); boxed it is 576.
    pub referral: Option<Box<Referral>>,
    pub text: Option<Text>,
    pub image: Option<Box<Media>>,
    pub audio: Option<Box<Media>>,
    pub video: Option<Box<Media>>,
    pub document: Option<Box<Media>>,
    pub sticker: Option<Box<Media>>,
    pub location: Option<Box<Location>>,
    pub contacts: Option<Vec<Value>>,
    pub interactive: Option<Box<Interactive>>,
    pub button: Option<Button>,
    pub reaction: Option<Reaction>,
    pub order: Option<Order>,
    pub system: Option<System>,
    pub revoke: Option<Revoke>,
    pub edit: Option<Box<Edit>>,
}

/// `context`: what the message replies to or where it came from.
#[derive(Deserialize, Default)]
pub(crate) struct Context {
    /// The replied-to message.
    pub id: Option<String>,
    #[serde(default)]
    pub forwarded: bool,
    #[serde(default)]
    pub frequently_forwarded: bool,
    pub referred_product: Option<ReferredProduct>,
}

/// A product the contact asked about ("Message business" on a catalog item).
#[derive(Deserialize, Default)]
pub(crate) struct ReferredProduct {
    pub catalog_id: Option<String>,
    pub product_retailer_id: Option<String>,
}

/// A click-to-WhatsApp ad or post.
#[derive(Deserialize, Default)]
pub(crate) struct Referral {
    pub source_url: Option<String>,
    pub source_id: Option<String>,
    pub source_type: Option<String>,
    pub headline: Option<String>,
    pub ctwa_clid: Option<String>,
}

#[derive(Deserialize, Default)]
pub(crate) struct Text {
    pub body: String,
}

/// image, audio, video, document, sticker.
#[derive(Deserialize, Default)]
pub(crate) struct Media {
    pub id: Option<String>,
    pub url: Option<String>,
    pub mime_type: Option<String>,
    pub caption: Option<String>,
    pub filename: Option<String>,
    pub sha256: Option<String>,
}

#[derive(Deserialize, Default)]
pub(crate) struct Location {
    #[serde(default)]
    pub latitude: Coord,
    #[serde(default)]
    pub longitude: Coord,
    pub name: Option<String>,
    pub address: Option<String>,
}

/// `interactive`: a reply to buttons, a list or a Flow.
#[derive(Deserialize, Default)]
pub(crate) struct Interactive {
    #[serde(rename = "type")]
    pub kind: Option<String>,
    pub button_reply: Option<Reply>,
    pub list_reply: Option<Reply>,
    pub nfm_reply: Option<NfmReply>,
}

#[derive(Deserialize, Default)]
pub(crate) struct Reply {
    pub id: String,
    #[serde(default)]
    pub title: String,
}

/// A Flow's submission.
#[derive(Deserialize, Default)]
pub(crate) struct NfmReply {
    /// `flow` for a Flow, `address_message` for an address form.
    pub name: Option<String>,
    pub response_json: Option<String>,
    pub body: Option<String>,
}

/// A template's quick-reply button.
#[derive(Deserialize, Default)]
pub(crate) struct Button {
    pub payload: Option<String>,
    pub text: Option<String>,
}

#[derive(Deserialize, Default)]
pub(crate) struct Reaction {
    pub message_id: String,
    pub emoji: Option<String>,
}

#[derive(Deserialize, Default)]
pub(crate) struct Order {
    pub catalog_id: Option<String>,
    #[serde(default)]
    pub product_items: Vec<Value>,
    pub text: Option<String>,
}

/// A platform notice (number changed, identity changed). For `user_changed_number`
/// and `user_changed_user_id` the new ids ride here and the old ones in the message's
/// `from` / `from_user_id`.
#[derive(Deserialize, Default)]
pub(crate) struct System {
    pub body: Option<String>,
    #[serde(rename = "type")]
    pub kind: Option<String>,
    pub wa_id: Option<String>,
    pub user_id: Option<String>,
    pub parent_user_id: Option<String>,
}

/// One `user_id_update[]` item: a user's BSUID (and parent BSUID) changed.
#[derive(Deserialize, Default)]
pub(crate) struct UserIdUpdate {
    pub wa_id: Option<String>,
    #[serde(default)]
    pub timestamp: UnixSeconds,
    pub user_id: Option<Transition>,
    pub parent_user_id: Option<Transition>,
}

/// `{"previous", "current"}` of a changed id.
#[derive(Deserialize, Default)]
pub(crate) struct Transition {
    pub previous: Option<String>,
    pub current: Option<String>,
}

#[derive(Deserialize, Default)]
pub(crate) struct Revoke {
    pub original_message_id: String,
}

#[derive(Deserialize, Default)]
pub(crate) struct Edit {
    pub original_message_id: String,
    #[serde(default)]
    pub message: Message,
}

/// `statuses[]`: what happened to a message the business sent.
#[derive(Deserialize, Default)]
pub(crate) struct Status {
    pub id: String,
    pub status: String,
    #[serde(default)]
    pub timestamp: UnixSeconds,
    pub recipient_id: Option<String>,
    pub recipient_type: Option<String>,
    pub recipient_user_id: Option<String>,
    pub recipient_parent_user_id: Option<String>,
    pub recipient_participant_id: Option<String>,
    pub recipient_participant_user_id: Option<String>,
    pub recipient_participant_parent_user_id: Option<String>,
    pub conversation: Option<Value>,
    pub pricing: Option<Value>,
    pub errors: Option<Vec<Value>>,
}
