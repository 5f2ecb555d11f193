//! Which contact an event is about: one tenant's contacts, looked up by identity.
//!
//! Rules, in order (Meta's guidance for WhatsApp since BSUIDs: match by BSUID first,
//! phone second):
//! 1. a WhatsApp identity matches a contact holding the same BSUID, then the same
//!    parent BSUID, then the same `wa_id`, then a contact whose phone is the `wa_id`'s
//!    number (a contact an agent entered by phone);
//! 2. any other identity matches the contact holding it exactly;
//! 3. a match learns what the event adds (a BSUID seen for the first time on a
//!    phone-keyed contact, a username): never a second contact for the same person;
//! 4. no match creates a contact with the id the caller gives (the core draws no ids).
//!
//! An [`EventKind::IdentityChanged`] re-keys the contact in place: its
//! [`ContactId`] stays, so its leads and its consent records (keyed by `ContactId`)
//! follow it without being copied.

use crate::{
    Channel, ChannelIdentity, Contact, ContactId, ContactRef, CoreError, Event, EventKind,
    IdentityChange, PhoneNumber, TenantId, WhatsappIdentity,
};

/// One tenant's contacts with identity resolution.
///
/// ```
/// use arichat_core::{ChannelIdentity, ContactBook, ContactId, ContactRef, TenantId, WhatsappIdentity};
/// let mut book = ContactBook::new(TenantId::new("acme"));
/// let by_phone = ContactRef { identity: ChannelIdentity::whatsapp("573001234567").unwrap(), display_name: None, phone: None };
/// let first = book.resolve(&by_phone, || ContactId::new("c-1")).unwrap().id().clone();
/// // Later the same person arrives with a BSUID beside the phone: same contact, BSUID attached.
/// let both = WhatsappIdentity::new(Some("573001234567"), Some("CO.1349120865530274"), None, None).unwrap();
/// let with_bsuid = ContactRef { identity: ChannelIdentity::Whatsapp(both), display_name: None, phone: None };
/// assert_eq!(book.resolve(&with_bsuid, || ContactId::new("c-2")).unwrap().id(), &first);
/// assert_eq!(book.len(), 1);
/// ```
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct ContactBook {
    tenant_id: TenantId,
    #[serde(default)]
    contacts: Vec<Contact>,
}

impl ContactBook {
    /// An empty book for `tenant_id`.
    pub fn new(tenant_id: TenantId) -> Self {
        ContactBook {
            tenant_id,
            contacts: Vec::new(),
        }
    }

    /// The owning tenant.
    pub fn tenant_id(&self) -> &TenantId {
        &self.tenant_id
    }

    /// How many contacts the book holds.
    pub fn len(&self) -> usize {
        self.contacts.len()
    }

    /// Whether the book is empty.
    pub fn is_empty(&self) -> bool {
        self.contacts.is_empty()
    }

    /// The contacts, in the order they were first seen.
    pub fn contacts(&self) -> &[Contact] {
        &self.contacts
    }

    /// The contact with `id`.
    pub fn get(&self, id: &ContactId) -> Option<&Contact> {
        self.contacts.iter().find(|c| c.id() == id)
    }

    /// Adds a contact made elsewhere (an import, an agent's entry).
    ///
    /// # Errors
    /// [`CoreError::InvalidConfig`] when its tenant is not the book's or its id is
    /// taken.
    pub fn insert(&mut self, contact: Contact) -> Result<(), CoreError> {
        let refuse = |reason: &str| CoreError::InvalidConfig {
            what: "contact book",
            reason: reason.to_owned(),
        };
        if contact.tenant_id() != &self.tenant_id {
            return Err(refuse("the contact belongs to another tenant"));
        }
        if self.get(contact.id()).is_some() {
            return Err(refuse("a contact with this id exists"));
        }
        self.contacts.push(contact);
        Ok(())
    }

    /// The book as JSON (`{"tenant_id":…,"contacts":[…]}`, the contacts as
    /// [`Contact`] serializes them), for an app to persist.
    pub fn to_json(&self) -> String {
        serde_json::to_string(self).expect("a contact book always serializes")
    }

    /// Reads a book from the JSON of [`ContactBook::to_json`], holding it to what
    /// [`ContactBook::insert`] holds each contact to.
    ///
    /// # Errors
    /// [`CoreError::InvalidJson`] for malformed JSON or invalid ids;
    /// [`CoreError::InvalidConfig`] for a contact of another tenant or a repeated id.
    pub fn from_json(json: &str) -> Result<Self, CoreError> {
        let read: ContactBook =
            serde_json::from_str(json).map_err(|e| CoreError::json("contact book", &e, json))?;
        let mut book = ContactBook::new(read.tenant_id);
        for contact in read.contacts {
            book.insert(contact)?;
        }
        Ok(book)
    }

    /// The contact `identity` belongs to, by the rules of the module doc.
    pub fn find(&self, identity: &ChannelIdentity) -> Option<&Contact> {
        self.position(identity).map(|i| &self.contacts[i])
    }

    fn position(&self, identity: &ChannelIdentity) -> Option<usize> {
        let Some(wa) = identity.as_whatsapp() else {
            return self
                .contacts
                .iter()
                .position(|c| c.identity(identity.channel()) == Some(identity));
        };
        let held = |c: &Contact| {
            c.identity(Channel::Whatsapp)
                .and_then(ChannelIdentity::as_whatsapp)
                .cloned()
        };
        let by = |same: &dyn Fn(&WhatsappIdentity) -> bool| {
            self.contacts
                .iter()
                .position(|c| held(c).is_some_and(|h| same(&h)))
        };
        let phone = wa.wa_id().and_then(|w| PhoneNumber::from_wa_id(w).ok());
        wa.user_id()
            .and_then(|b| by(&|h| h.user_id() == Some(b)))
            .or_else(|| {
                wa.parent_user_id()
                    .and_then(|b| by(&|h| h.parent_user_id() == Some(b)))
            })
            .or_else(|| wa.wa_id().and_then(|w| by(&|h| h.wa_id() == Some(w))))
            .or_else(|| {
                let phone = phone.as_ref()?;
                self.contacts.iter().position(|c| c.phone() == Some(phone))
            })
    }

    /// The contact an event's contact is, created with `new_id` when nobody matches;
    /// a match learns the ids and name the reference adds.
    ///
    /// # Errors
    /// [`CoreError::InvalidPhone`] when a new `wa_id` is not a phone number (see
    /// [`Contact::add_identity`]); the book is unchanged on error.
    pub fn resolve(
        &mut self,
        r: &ContactRef,
        new_id: impl FnOnce() -> ContactId,
    ) -> Result<&Contact, CoreError> {
        let at = match self.position(&r.identity) {
            Some(at) => {
                let mut contact = self.contacts[at].clone();
                learn(&mut contact, r)?;
                self.contacts[at] = contact;
                at
            }
            None => {
                let mut contact = Contact::new(new_id(), self.tenant_id.clone());
                learn(&mut contact, r)?;
                self.contacts.push(contact);
                self.contacts.len() - 1
            }
        };
        Ok(&self.contacts[at])
    }

    /// Applies an identity change to the contact it concerns (found by the event's
    /// contact, as the ids were, else by the changes' old ids) and returns its id.
    /// `None` when no contact holds the old ids.
    ///
    /// # Errors
    /// As [`IdentityChange::apply`]; the book is unchanged on error.
    pub fn apply(
        &mut self,
        contact: Option<&ContactRef>,
        changes: &[IdentityChange],
    ) -> Result<Option<ContactId>, CoreError> {
        let at = contact
            .and_then(|r| self.position(&r.identity))
            .or_else(|| {
                self.contacts.iter().position(|c| {
                    c.identity(Channel::Whatsapp)
                        .and_then(ChannelIdentity::as_whatsapp)
                        .is_some_and(|w| changes.iter().any(|ch| ch.concerns(w)))
                })
            });
        let Some(at) = at else {
            return Ok(None);
        };
        let mut updated = self.contacts[at].clone();
        let mut identity = updated
            .identity(Channel::Whatsapp)
            .and_then(ChannelIdentity::as_whatsapp)
            .cloned();
        if let Some(identity) = identity.as_mut() {
            for change in changes {
                change.apply(identity)?;
            }
        }
        if let Some(identity) = identity {
            updated.replace_whatsapp(identity);
        }
        for change in changes {
            if let IdentityChange::WaId { old, new } = change {
                // The phone follows the number when it was the number's (or unknown); a
                // new id that is no valid number leaves no phone rather than the old one,
                // which would keep matching the contact by a number no longer theirs.
                let was_old_number = match (updated.phone(), old) {
                    (None, _) => true,
                    (Some(phone), Some(old)) => {
                        PhoneNumber::from_wa_id(old).is_ok_and(|o| &o == phone)
                    }
                    (Some(_), None) => false,
                };
                if was_old_number {
                    updated.replace_phone(PhoneNumber::from_wa_id(new).ok());
                }
            }
        }
        self.contacts[at] = updated;
        Ok(Some(self.contacts[at].id().clone()))
    }

    /// Routes an event: an `identity_changed` is applied, any other event with a
    /// contact is resolved (creating one with `new_id` if needed). Returns the
    /// contact's id, `None` for an event about nobody (or a change about nobody known).
    ///
    /// # Errors
    /// As [`ContactBook::resolve`] and [`ContactBook::apply`].
    pub fn record_event(
        &mut self,
        event: &Event,
        new_id: impl FnOnce() -> ContactId,
    ) -> Result<Option<ContactId>, CoreError> {
        if let EventKind::IdentityChanged { changes } = &event.kind {
            return self.apply(event.contact.as_ref(), changes);
        }
        match &event.contact {
            Some(r) => Ok(Some(self.resolve(r, new_id)?.id().clone())),
            None => Ok(None),
        }
    }
}

/// Merges what `r` tells into `contact`: WhatsApp ids into its WhatsApp identity,
/// other identities as they are, the name when it has none, the phone when it has none.
fn learn(contact: &mut Contact, r: &ContactRef) -> Result<(), CoreError> {
    let identity = match (&r.identity, contact.identity(r.identity.channel())) {
        (ChannelIdentity::Whatsapp(new), Some(ChannelIdentity::Whatsapp(held))) => {
            let mut merged = held.clone();
            merged.absorb(new);
            ChannelIdentity::Whatsapp(merged)
        }
        (other, _) => other.clone(),
    };
    contact.add_identity(identity)?;
    if contact.display_name().is_none() {
        if let Some(name) = &r.display_name {
            contact.set_display_name(name.clone());
        }
    }
    if contact.phone().is_none() {
        if let Some(phone) = &r.phone {
            contact.replace_phone(Some(phone.clone()));
        }
    }
    Ok(())
}
