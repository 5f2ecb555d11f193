//! One `entry[].messaging[]` / `entry[].standby[]` item.
//!
//! Deserialized by hand (not derived) so the names of keys arichat does not map
//! (`account_linking`, `policy-enforcement`, `pass_thread_control`, `prior_message`,
//! ...) are kept: an item carrying one becomes (also) an unsupported event, never
//! silently dropped.

use std::borrow::Cow;
use std::fmt;

use serde::de::{self, Deserializer, IgnoredAny, MapAccess, Visitor};

use super::wire::{
    Delivery, Message, MessageEdit, Optin, Party, Postback, Reaction, Read, Referral, Timestamp,
};

/// A messaging item: who, when, and one (rarely more) of the event fields (boxed
/// but the common `message`, to keep the struct small to move).
#[derive(Default)]
pub(super) struct Item<'a> {
    pub sender: Option<Party<'a>>,
    pub recipient: Option<Party<'a>>,
    pub timestamp: Timestamp,
    pub message: Option<Message<'a>>,
    pub message_edit: Option<Box<MessageEdit<'a>>>,
    pub reaction: Option<Box<Reaction<'a>>>,
    pub read: Option<Box<Read<'a>>>,
    pub delivery: Option<Box<Delivery<'a>>>,
    pub postback: Option<Box<Postback<'a>>>,
    pub referral: Option<Box<Referral<'a>>>,
    pub optin: Option<Box<Optin<'a>>>,
    /// Keys not listed above, in body order.
    pub other: Vec<Cow<'a, str>>,
}

/// A map key, borrowed when it has no escapes.
struct Key<'a>(Cow<'a, str>);

impl<'de> serde::Deserialize<'de> for Key<'de> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = Key<'de>;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a key")
            }
            fn visit_borrowed_str<E: de::Error>(self, v: &'de str) -> Result<Key<'de>, E> {
                Ok(Key(Cow::Borrowed(v)))
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Key<'de>, E> {
                Ok(Key(Cow::Owned(v.to_owned())))
            }
        }
        d.deserialize_str(V)
    }
}

impl<'de: 'a, 'a> serde::Deserialize<'de> for Item<'a> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = Item<'de>;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a messaging item object")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Item<'de>, A::Error> {
                let mut item = Item::default();
                while let Some(Key(key)) = map.next_key()? {
                    match key.as_ref() {
                        "sender" => item.sender = map.next_value()?,
                        "recipient" => item.recipient = map.next_value()?,
                        "timestamp" => item.timestamp = map.next_value()?,
                        "message" => item.message = map.next_value()?,
                        "message_edit" => item.message_edit = map.next_value()?,
                        "reaction" => item.reaction = map.next_value()?,
                        "read" => item.read = map.next_value()?,
                        "delivery" => item.delivery = map.next_value()?,
                        "postback" => item.postback = map.next_value()?,
                        "referral" => item.referral = map.next_value()?,
                        "optin" => item.optin = map.next_value()?,
                        _ => {
                            map.next_value::<IgnoredAny>()?;
                            item.other.push(key);
                        }
                    }
                }
                Ok(item)
            }
        }
        d.deserialize_map(V)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keeps_unknown_key_names() {
        let item: Item = serde_json::from_str(
            r#"{"sender":{"id":1},"timestamp":5,"account_linking":{"status":"linked"},"x\"y":2}"#,
        )
        .unwrap();
        assert_eq!(item.sender.unwrap().id.unwrap().as_str(), "1");
        assert_eq!(item.other, vec!["account_linking", "x\"y"]);
        assert!(serde_json::from_str::<Item>("[1]").is_err());
        assert!(serde_json::from_str::<Item>(r#"{"message":5}"#).is_err());
    }
}
