//! Identifier newtypes. Vendor ids are kept as the strings the vendor sent.

macro_rules! string_id {
    ($(#[$doc:meta])* $name:ident) => {
        $(#[$doc])*
        #[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize, serde::Deserialize)]
        #[serde(transparent)]
        pub struct $name(String);

        impl $name {
            /// Wraps an identifier.
            pub fn new(id: impl Into<String>) -> Self {
                Self(id.into())
            }

            /// The identifier as a string slice.
            pub fn as_str(&self) -> &str {
                &self.0
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(&self.0)
            }
        }

        impl From<&str> for $name {
            fn from(s: &str) -> Self {
                Self(s.to_owned())
            }
        }

        impl From<String> for $name {
            fn from(s: String) -> Self {
                Self(s)
            }
        }

        impl AsRef<str> for $name {
            fn as_ref(&self) -> &str {
                &self.0
            }
        }
    };
}

string_id!(
    /// A tenant: one business using arichat (one CRM account).
    TenantId
);
string_id!(
    /// A channel account of a tenant: a WhatsApp `phone_number_id`, a Facebook page id,
    /// an Instagram account id or a Telegram bot id.
    ChannelAccountId
);
string_id!(
    /// A contact (a person writing to the business).
    ContactId
);
string_id!(
    /// A group chat on a channel (a WhatsApp `group_id`): a thread of its own, never
    /// a contact's.
    GroupId
);
string_id!(
    /// A conversation thread between one contact and one channel account.
    ConversationId
);
string_id!(
    /// A message id as the vendor assigned it (for example `wamid.HBgM...`).
    MessageId
);
string_id!(
    /// A lead: a sales opportunity attached to a contact.
    LeadId
);
string_id!(
    /// A campaign of a [`crate::campaign::CampaignBundle`] (unique within the bundle).
    CampaignId
);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_serialize_as_plain_strings() {
        let id = MessageId::new("wamid.ABC");
        assert_eq!(serde_json::to_string(&id).unwrap(), "\"wamid.ABC\"");
        let back: MessageId = serde_json::from_str("\"wamid.ABC\"").unwrap();
        assert_eq!(back, id);
        assert_eq!(back.to_string(), "wamid.ABC");
    }

    #[test]
    fn distinct_id_types_keep_their_value() {
        let t = TenantId::from("acme");
        let c = ContactId::from(String::from("acme"));
        assert_eq!(t.as_str(), c.as_str());
    }
}
