//! Contacts and their identities on each channel.

use std::fmt;

use crate::{
    Channel, ContactId, CoreError, Email, PhoneNumber, Region, TenantId, WhatsappIdentity,
};

/// How a channel knows a contact. One per channel and contact.
///
/// Serialized with a `channel` tag: `{"channel":"whatsapp","wa_id":"573001234567"}`,
/// `{"channel":"whatsapp","user_id":"US.1349…","username":"ana"}`.
/// `Debug` masks the ids (a wa_id is a phone number).
#[derive(Clone, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
#[serde(tag = "channel", rename_all = "snake_case")]
#[non_exhaustive]
pub enum ChannelIdentity {
    /// A WhatsApp user: `wa_id` (the phone's digits), BSUID, parent BSUID, username.
    Whatsapp(WhatsappIdentity),
    /// Messenger page-scoped id.
    Messenger {
        /// Page-scoped id (PSID).
        psid: String,
    },
    /// Instagram-scoped id.
    Instagram {
        /// Instagram-scoped id (IGSID).
        igsid: String,
    },
    /// Telegram user id (a 64-bit integer, kept as its decimal string).
    Telegram {
        /// Telegram `from.id`.
        user_id: String,
    },
    /// Mattermost user id (26 characters, unique on the server).
    Mattermost {
        /// Mattermost `user_id`.
        user_id: String,
    },
}

impl ChannelIdentity {
    /// The channel of this identity.
    pub fn channel(&self) -> Channel {
        match self {
            ChannelIdentity::Whatsapp(_) => Channel::Whatsapp,
            ChannelIdentity::Messenger { .. } => Channel::Messenger,
            ChannelIdentity::Instagram { .. } => Channel::Instagram,
            ChannelIdentity::Telegram { .. } => Channel::Telegram,
            ChannelIdentity::Mattermost { .. } => Channel::Mattermost,
        }
    }

    /// The vendor id string (for WhatsApp the BSUID first, else the `wa_id`; see
    /// [`WhatsappIdentity::key`]).
    pub fn id(&self) -> &str {
        match self {
            ChannelIdentity::Whatsapp(w) => w.key(),
            ChannelIdentity::Messenger { psid } => psid,
            ChannelIdentity::Instagram { igsid } => igsid,
            ChannelIdentity::Telegram { user_id } | ChannelIdentity::Mattermost { user_id } => {
                user_id
            }
        }
    }
}

impl ChannelIdentity {
    /// A WhatsApp identity known by its `wa_id` only.
    ///
    /// # Errors
    /// As [`WhatsappIdentity::from_wa_id`].
    pub fn whatsapp(wa_id: &str) -> Result<Self, CoreError> {
        WhatsappIdentity::from_wa_id(wa_id).map(ChannelIdentity::Whatsapp)
    }

    /// The WhatsApp identity, if this is one.
    pub fn as_whatsapp(&self) -> Option<&WhatsappIdentity> {
        match self {
            ChannelIdentity::Whatsapp(w) => Some(w),
            _ => None,
        }
    }
}

impl fmt::Debug for ChannelIdentity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (name, field) = match self {
            ChannelIdentity::Whatsapp(w) => return f.debug_tuple("Whatsapp").field(w).finish(),
            ChannelIdentity::Messenger { .. } => ("Messenger", "psid"),
            ChannelIdentity::Instagram { .. } => ("Instagram", "igsid"),
            ChannelIdentity::Telegram { .. } => ("Telegram", "user_id"),
            ChannelIdentity::Mattermost { .. } => ("Mattermost", "user_id"),
        };
        f.debug_struct(name)
            .field(field, &crate::pii::Id(self.id()))
            .finish()
    }
}

/// A person writing to a tenant, on one or more channels.
///
/// `Debug` masks phone and email.
///
/// ```
/// use arichat_core::{ChannelIdentity, Contact, ContactId, TenantId};
/// let mut c = Contact::new(ContactId::new("c-1"), TenantId::new("acme"));
/// c.add_identity(ChannelIdentity::whatsapp("573001234567").unwrap()).unwrap();
/// assert_eq!(c.phone().unwrap().as_str(), "+573001234567");
/// c.set_phone("300 765 4321", Some("CO".parse().unwrap())).unwrap();
/// assert_eq!(c.phone().unwrap().as_str(), "+573007654321");
/// ```
#[derive(Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Contact {
    id: ContactId,
    tenant_id: TenantId,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    display_name: Option<String>,
    #[serde(default)]
    identities: Vec<ChannelIdentity>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    phone: Option<PhoneNumber>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    email: Option<Email>,
}

impl Contact {
    /// A contact with no identities yet.
    pub fn new(id: ContactId, tenant_id: TenantId) -> Self {
        Contact {
            id,
            tenant_id,
            display_name: None,
            identities: Vec::new(),
            phone: None,
            email: None,
        }
    }

    /// The contact id.
    pub fn id(&self) -> &ContactId {
        &self.id
    }

    /// The owning tenant.
    pub fn tenant_id(&self) -> &TenantId {
        &self.tenant_id
    }

    /// The name the contact goes by (a channel profile name, or one an agent set).
    pub fn display_name(&self) -> Option<&str> {
        self.display_name.as_deref()
    }

    /// Sets the display name.
    pub fn set_display_name(&mut self, name: impl Into<String>) {
        self.display_name = Some(name.into());
    }

    /// The identities, at most one per channel.
    pub fn identities(&self) -> &[ChannelIdentity] {
        &self.identities
    }

    /// The identity on `channel`, if the contact has one.
    pub fn identity(&self, channel: Channel) -> Option<&ChannelIdentity> {
        self.identities.iter().find(|i| i.channel() == channel)
    }

    /// Adds or replaces the identity for its channel.
    ///
    /// A WhatsApp `wa_id` is a phone number too: when the contact has no phone yet,
    /// it takes the `wa_id`'s. A WhatsApp identity known only by BSUID leaves the
    /// phone as it is.
    ///
    /// # Errors
    /// [`CoreError::EmptyId`] for an empty vendor id; [`CoreError::InvalidPhone`] for a
    /// `wa_id` that is not a phone number. The contact is unchanged on error.
    pub fn add_identity(&mut self, identity: ChannelIdentity) -> Result<(), CoreError> {
        if identity.id().trim().is_empty() {
            return Err(CoreError::EmptyId("channel identity"));
        }
        if let Some(wa_id) = identity.as_whatsapp().and_then(WhatsappIdentity::wa_id) {
            let phone = PhoneNumber::from_wa_id(wa_id)?;
            self.phone.get_or_insert(phone);
        }
        self.identities
            .retain(|i| i.channel() != identity.channel());
        self.identities.push(identity);
        Ok(())
    }

    /// Replaces the WhatsApp identity as it is (an identity change re-keying the
    /// contact); the phone is left to the caller.
    pub(crate) fn replace_whatsapp(&mut self, identity: WhatsappIdentity) {
        self.identities.retain(|i| i.channel() != Channel::Whatsapp);
        self.identities.push(ChannelIdentity::Whatsapp(identity));
    }

    /// Sets an already validated phone.
    pub(crate) fn replace_phone(&mut self, phone: Option<PhoneNumber>) {
        self.phone = phone;
    }

    /// The phone number in E.164, if known.
    pub fn phone(&self) -> Option<&PhoneNumber> {
        self.phone.as_ref()
    }

    /// Parses and sets the phone, reading national numbers in `default_region`.
    ///
    /// # Errors
    /// [`CoreError::InvalidPhone`]; the contact is unchanged on error.
    pub fn set_phone(
        &mut self,
        raw: &str,
        default_region: Option<Region>,
    ) -> Result<(), CoreError> {
        self.phone = Some(PhoneNumber::parse(raw, default_region)?);
        Ok(())
    }

    /// The normalized email, if known.
    pub fn email(&self) -> Option<&Email> {
        self.email.as_ref()
    }

    /// Parses and sets the email.
    ///
    /// # Errors
    /// [`CoreError::InvalidEmail`]; the contact is unchanged on error.
    pub fn set_email(&mut self, raw: &str) -> Result<(), CoreError> {
        self.email = Some(Email::parse(raw)?);
        Ok(())
    }
}

impl fmt::Debug for Contact {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // PhoneNumber, Email and ChannelIdentity mask themselves.
        f.debug_struct("Contact")
            .field("id", &self.id)
            .field("tenant_id", &self.tenant_id)
            .field(
                "display_name",
                &self.display_name.as_deref().map(crate::pii::Name),
            )
            .field("identities", &self.identities)
            .field("phone", &self.phone)
            .field("email", &self.email)
            .finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn contact() -> Contact {
        Contact::new(ContactId::new("c-1"), TenantId::new("acme"))
    }

    #[test]
    fn one_identity_per_channel() {
        let mut c = contact();
        c.add_identity(ChannelIdentity::Telegram {
            user_id: "1".into(),
        })
        .unwrap();
        c.add_identity(ChannelIdentity::Telegram {
            user_id: "2".into(),
        })
        .unwrap();
        c.add_identity(ChannelIdentity::Messenger { psid: "p".into() })
            .unwrap();
        assert_eq!(c.identities().len(), 2);
        assert_eq!(c.identity(Channel::Telegram).unwrap().id(), "2");
        assert!(c.identity(Channel::Instagram).is_none());
    }

    #[test]
    fn bad_identity_changes_nothing() {
        let mut c = contact();
        assert!(c
            .add_identity(ChannelIdentity::whatsapp("x").unwrap())
            .is_err());
        assert!(c
            .add_identity(ChannelIdentity::Instagram { igsid: " ".into() })
            .is_err());
        assert!(c.identities().is_empty());
        assert!(c.phone().is_none());
    }

    #[test]
    fn debug_masks_pii() {
        let mut c = contact();
        c.add_identity(ChannelIdentity::whatsapp("573001234567").unwrap())
            .unwrap();
        c.set_email("ana@example.com").unwrap();
        let dbg = format!("{c:?}");
        assert!(!dbg.contains("3001234567"), "{dbg}");
        assert!(!dbg.contains("ana@"), "{dbg}");
    }

    #[test]
    fn json_uses_tagged_identities() {
        let mut c = contact();
        c.add_identity(ChannelIdentity::Instagram {
            igsid: "17841".into(),
        })
        .unwrap();
        let v = serde_json::to_value(&c).unwrap();
        assert_eq!(v["identities"][0]["channel"], "instagram");
        assert_eq!(v["identities"][0]["igsid"], "17841");
        let back: Contact = serde_json::from_value(v).unwrap();
        assert_eq!(back, c);
    }
}
