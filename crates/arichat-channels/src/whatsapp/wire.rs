//! Serde types of the WhatsApp Cloud API webhook body, as sent.
//!
//! Only what arichat maps is typed; serde skips every other field without building
//! it. Strings are [`Str`]s borrowed from the body: only those an event keeps are
//! copied, once, when mapped. Scalars WhatsApp (or its test doubles) send in two
//! shapes — timestamps as a string or a number, coordinates likewise — go through the
//! lenient types of [`super::lenient`], so a variant never costs the message.

use serde::Deserialize;
use serde_json::value::RawValue;
use serde_json::Value;

use crate::borrowed::Str;
use crate::items::{capped, capped_opt};
use crate::span::At;

use crate::lenient::{Coord, UnixSeconds};

/// The envelope: `{"object": "whatsapp_business_account", "entry": [...]}`.
#[derive(Deserialize)]
pub(crate) struct Body<'a> {
    #[serde(borrow)]
    pub object: Option<Str<'a>>,
    #[serde(borrow, deserialize_with = "capped")]
    pub entry: Vec<Entry<'a>>,
}

/// One WhatsApp Business Account.
#[derive(Deserialize)]
pub(crate) struct Entry<'a> {
    /// The WABA id.
    #[serde(borrow)]
    pub id: Option<Str<'a>>,
    /// When Meta sent the entry (account and template updates carry it): the time of
    /// what is kept `unsupported` from it.
    #[serde(default)]
    pub time: UnixSeconds,
    /// Required: an entry without changes takes the slow path and is kept whole.
    #[serde(borrow, deserialize_with = "capped")]
    pub changes: Vec<At<'a, Change<'a>>>,
}

/// One change. Meta sends `value` before `field`, so `value` is read as a
/// `messages` value whatever the field: other fields' values (account and template
/// updates, calls, ...) share none of its keys, and are re-read as JSON when kept.
#[derive(Deserialize)]
pub(crate) struct Change<'a> {
    #[serde(borrow)]
    pub field: Option<Str<'a>>,
    #[serde(borrow)]
    pub value: Option<ChangeValue<'a>>,
}

/// The `value` of a `messages` (or `smb_message_echoes`) change.
#[derive(Deserialize, Default)]
pub(crate) struct ChangeValue<'a> {
    #[serde(borrow)]
    pub metadata: Option<Metadata<'a>>,
    #[serde(borrow, default, deserialize_with = "capped")]
    pub contacts: Vec<Contact<'a>>,
    #[serde(borrow, default, deserialize_with = "capped")]
    pub messages: Vec<At<'a, Message<'a>>>,
    #[serde(borrow, default, deserialize_with = "capped")]
    pub message_echoes: Vec<At<'a, Message<'a>>>,
    #[serde(borrow, default, deserialize_with = "capped")]
    pub statuses: Vec<At<'a, Status<'a>>>,
    /// The items of a `user_id_update` change.
    #[serde(borrow, default, deserialize_with = "capped")]
    pub user_id_update: Vec<UserIdUpdate<'a>>,
    /// `calls` changes: one item per call event (connect, terminate).
    #[serde(borrow, default, deserialize_with = "capped")]
    pub calls: Vec<At<'a, Call<'a>>>,
    /// `user_preferences` changes: marketing-message stops, resumes and sign-ups.
    #[serde(borrow, default, deserialize_with = "capped")]
    pub user_preferences: Vec<At<'a, UserPreference<'a>>>,
    /// Errors about the webhook itself (not about one message).
    pub errors: Option<Vec<Value>>,
}

/// One `calls[]` item: only who and when are read; the item is kept whole.
#[derive(Deserialize, Default)]
pub(crate) struct Call<'a> {
    #[serde(borrow)]
    pub from: Option<Str<'a>>,
    #[serde(borrow)]
    pub from_user_id: Option<Str<'a>>,
    #[serde(borrow)]
    pub to: Option<Str<'a>>,
    #[serde(borrow)]
    pub to_user_id: Option<Str<'a>>,
    /// `USER_INITIATED` or `BUSINESS_INITIATED`: which side is the contact.
    #[serde(borrow)]
    pub direction: Option<Str<'a>>,
    #[serde(default)]
    pub timestamp: UnixSeconds,
}

/// One `user_preferences[]` item.
#[derive(Deserialize, Default)]
pub(crate) struct UserPreference<'a> {
    #[serde(borrow)]
    pub wa_id: Option<Str<'a>>,
    #[serde(borrow)]
    pub user_id: Option<Str<'a>>,
    /// `marketing_messages`.
    #[serde(borrow)]
    pub category: Option<Str<'a>>,
    /// `stop`, `resume` or `signup`.
    #[serde(borrow)]
    pub value: Option<Str<'a>>,
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
pub(crate) struct RawMetadataOf<'a> {
    #[serde(borrow)]
    pub metadata: Option<Metadata<'a>>,
}

/// The business phone number the change concerns.
#[derive(Deserialize, Default)]
pub(crate) struct Metadata<'a> {
    #[serde(borrow)]
    pub phone_number_id: Option<Str<'a>>,
}

/// `contacts[]`: the sender's profile.
#[derive(Deserialize, Default)]
pub(crate) struct Contact<'a> {
    #[serde(borrow)]
    pub wa_id: Option<Str<'a>>,
    /// Business-scoped user id (BSUID), sent alongside or instead of `wa_id`.
    #[serde(borrow)]
    pub user_id: Option<Str<'a>>,
    /// Parent BSUID (`XX.ENT.…`), for managed businesses with linked portfolios.
    #[serde(borrow)]
    pub parent_user_id: Option<Str<'a>>,
    #[serde(borrow)]
    pub profile: Option<Profile<'a>>,
}

/// `contacts[].profile`.
#[derive(Deserialize, Default)]
pub(crate) struct Profile<'a> {
    #[serde(borrow)]
    pub name: Option<Str<'a>>,
    /// The user's username, when they adopted one.
    #[serde(borrow)]
    pub username: Option<Str<'a>>,
}

/// One message (inbound, an echo of the business's own, or the inner message of an
/// edit).
#[derive(Deserialize, Default)]
pub(crate) struct Message<'a> {
    #[serde(borrow)]
    pub id: Option<Str<'a>>,
    #[serde(borrow)]
    pub from: Option<Str<'a>>,
    #[serde(borrow)]
    pub from_user_id: Option<Str<'a>>,
    #[serde(borrow)]
    pub from_parent_user_id: Option<Str<'a>>,
    /// Echoes: the contact the business wrote to.
    #[serde(borrow)]
    pub to: Option<Str<'a>>,
    #[serde(borrow)]
    pub to_user_id: Option<Str<'a>>,
    #[serde(borrow)]
    pub to_parent_user_id: Option<Str<'a>>,
    /// Set on a message written in a group (`from` is the participant).
    #[serde(borrow)]
    pub group_id: Option<Str<'a>>,
    #[serde(default)]
    pub timestamp: UnixSeconds,
    #[serde(borrow, rename = "type")]
    pub kind: Option<Str<'a>>,
    #[serde(borrow)]
    pub context: Option<Box<Context<'a>>>,
    // The payloads a message carries at most one of, and its context, are boxed:
    // unboxed they made a `Message` 1,600 bytes, copied on every move (into the list,
    // out of it, into the mapping); boxed it is 416 bytes (744 with context, button,
    // reaction, order and system inline; `memmove` was 7.8 % of WhatsApp normalize
    // time in perf, a third of it moving items into their lists).
    #[serde(borrow)]
    pub referral: Option<Box<Referral<'a>>>,
    #[serde(borrow)]
    pub text: Option<Text<'a>>,
    #[serde(borrow)]
    pub image: Option<Box<Media<'a>>>,
    #[serde(borrow)]
    pub audio: Option<Box<Media<'a>>>,
    #[serde(borrow)]
    pub video: Option<Box<Media<'a>>>,
    #[serde(borrow)]
    pub document: Option<Box<Media<'a>>>,
    #[serde(borrow)]
    pub sticker: Option<Box<Media<'a>>>,
    #[serde(borrow)]
    pub location: Option<Box<Location<'a>>>,
    pub contacts: Option<Vec<Value>>,
    #[serde(borrow)]
    pub interactive: Option<Box<Interactive<'a>>>,
    #[serde(borrow)]
    pub button: Option<Box<Button<'a>>>,
    #[serde(borrow)]
    pub reaction: Option<Box<Reaction<'a>>>,
    #[serde(borrow)]
    pub order: Option<Box<Order<'a>>>,
    #[serde(borrow)]
    pub system: Option<Box<System<'a>>>,
    #[serde(borrow)]
    pub revoke: Option<Revoke<'a>>,
    #[serde(borrow)]
    pub edit: Option<Box<Edit<'a>>>,
}

/// `context`: what the message replies to or where it came from.
#[derive(Deserialize, Default)]
pub(crate) struct Context<'a> {
    /// The replied-to message.
    #[serde(borrow)]
    pub id: Option<Str<'a>>,
    #[serde(default)]
    pub forwarded: bool,
    #[serde(default)]
    pub frequently_forwarded: bool,
    #[serde(borrow)]
    pub referred_product: Option<ReferredProduct<'a>>,
}

/// A product the contact asked about ("Message business" on a catalog item).
#[derive(Deserialize, Default)]
pub(crate) struct ReferredProduct<'a> {
    #[serde(borrow)]
    pub catalog_id: Option<Str<'a>>,
    #[serde(borrow)]
    pub product_retailer_id: Option<Str<'a>>,
}

/// A click-to-WhatsApp ad or post.
#[derive(Deserialize, Default)]
pub(crate) struct Referral<'a> {
    #[serde(borrow)]
    pub source_url: Option<Str<'a>>,
    #[serde(borrow)]
    pub source_id: Option<Str<'a>>,
    #[serde(borrow)]
    pub source_type: Option<Str<'a>>,
    #[serde(borrow)]
    pub headline: Option<Str<'a>>,
    #[serde(borrow)]
    pub ctwa_clid: Option<Str<'a>>,
}

#[derive(Deserialize, Default)]
pub(crate) struct Text<'a> {
    #[serde(borrow)]
    pub body: Str<'a>,
}

/// image, audio, video, document, sticker.
#[derive(Deserialize, Default)]
pub(crate) struct Media<'a> {
    #[serde(borrow)]
    pub id: Option<Str<'a>>,
    #[serde(borrow)]
    pub url: Option<Str<'a>>,
    #[serde(borrow)]
    pub mime_type: Option<Str<'a>>,
    #[serde(borrow)]
    pub caption: Option<Str<'a>>,
    #[serde(borrow)]
    pub filename: Option<Str<'a>>,
    #[serde(borrow)]
    pub sha256: Option<Str<'a>>,
}

#[derive(Deserialize, Default)]
pub(crate) struct Location<'a> {
    #[serde(default)]
    pub latitude: Coord,
    #[serde(default)]
    pub longitude: Coord,
    #[serde(borrow)]
    pub name: Option<Str<'a>>,
    #[serde(borrow)]
    pub address: Option<Str<'a>>,
}

/// `interactive`: a reply to buttons, a list or a Flow.
#[derive(Deserialize, Default)]
pub(crate) struct Interactive<'a> {
    #[serde(borrow, rename = "type")]
    pub kind: Option<Str<'a>>,
    #[serde(borrow)]
    pub button_reply: Option<Reply<'a>>,
    #[serde(borrow)]
    pub list_reply: Option<Reply<'a>>,
    #[serde(borrow)]
    pub nfm_reply: Option<NfmReply<'a>>,
}

#[derive(Deserialize, Default)]
pub(crate) struct Reply<'a> {
    #[serde(borrow)]
    pub id: Str<'a>,
    #[serde(borrow, default)]
    pub title: Str<'a>,
}

/// A Flow's submission.
#[derive(Deserialize, Default)]
pub(crate) struct NfmReply<'a> {
    /// `flow` for a Flow, `address_message` for an address form.
    #[serde(borrow)]
    pub name: Option<Str<'a>>,
    #[serde(borrow)]
    pub response_json: Option<Str<'a>>,
    #[serde(borrow)]
    pub body: Option<Str<'a>>,
}

/// A template's quick-reply button.
#[derive(Deserialize, Default)]
pub(crate) struct Button<'a> {
    #[serde(borrow)]
    pub payload: Option<Str<'a>>,
    #[serde(borrow)]
    pub text: Option<Str<'a>>,
}

#[derive(Deserialize, Default)]
pub(crate) struct Reaction<'a> {
    #[serde(borrow)]
    pub message_id: Str<'a>,
    #[serde(borrow)]
    pub emoji: Option<Str<'a>>,
}

#[derive(Deserialize, Default)]
pub(crate) struct Order<'a> {
    #[serde(borrow)]
    pub catalog_id: Option<Str<'a>>,
    #[serde(default)]
    pub product_items: Vec<Value>,
    #[serde(borrow)]
    pub text: Option<Str<'a>>,
}

/// A platform notice (number changed, identity changed). For `user_changed_number`
/// and `user_changed_user_id` the new ids ride here and the old ones in the message's
/// `from` / `from_user_id`.
#[derive(Deserialize, Default)]
pub(crate) struct System<'a> {
    #[serde(borrow)]
    pub body: Option<Str<'a>>,
    #[serde(borrow, rename = "type")]
    pub kind: Option<Str<'a>>,
    #[serde(borrow)]
    pub wa_id: Option<Str<'a>>,
    #[serde(borrow)]
    pub user_id: Option<Str<'a>>,
    #[serde(borrow)]
    pub parent_user_id: Option<Str<'a>>,
}

/// One `user_id_update[]` item: a user's BSUID (and parent BSUID) changed.
#[derive(Deserialize, Default)]
pub(crate) struct UserIdUpdate<'a> {
    #[serde(borrow)]
    pub wa_id: Option<Str<'a>>,
    #[serde(default)]
    pub timestamp: UnixSeconds,
    #[serde(borrow)]
    pub user_id: Option<Transition<'a>>,
    #[serde(borrow)]
    pub parent_user_id: Option<Transition<'a>>,
}

/// `{"previous", "current"}` of a changed id.
#[derive(Deserialize, Default)]
pub(crate) struct Transition<'a> {
    #[serde(borrow)]
    pub previous: Option<Str<'a>>,
    #[serde(borrow)]
    pub current: Option<Str<'a>>,
}

#[derive(Deserialize, Default)]
pub(crate) struct Revoke<'a> {
    #[serde(borrow)]
    pub original_message_id: Str<'a>,
}

#[derive(Deserialize, Default)]
pub(crate) struct Edit<'a> {
    #[serde(borrow)]
    pub original_message_id: Str<'a>,
    #[serde(borrow, default)]
    pub message: Message<'a>,
}

/// `statuses[]`: what happened to a message the business sent.
#[derive(Deserialize, Default)]
pub(crate) struct Status<'a> {
    #[serde(borrow)]
    pub id: Str<'a>,
    #[serde(borrow)]
    pub status: Str<'a>,
    #[serde(default)]
    pub timestamp: UnixSeconds,
    #[serde(borrow)]
    pub recipient_id: Option<Str<'a>>,
    #[serde(borrow)]
    pub recipient_type: Option<Str<'a>>,
    #[serde(borrow)]
    pub recipient_user_id: Option<Str<'a>>,
    #[serde(borrow)]
    pub recipient_parent_user_id: Option<Str<'a>>,
    #[serde(borrow)]
    pub recipient_participant_id: Option<Str<'a>>,
    #[serde(borrow)]
    pub recipient_participant_user_id: Option<Str<'a>>,
    #[serde(borrow)]
    pub recipient_participant_parent_user_id: Option<Str<'a>>,
    pub conversation: Option<Value>,
    pub pricing: Option<Value>,
    pub errors: Option<Vec<Value>>,
}
