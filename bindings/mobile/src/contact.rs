//! [`ContactBook`]: one tenant's contacts, resolved by WhatsApp identity as the core
//! resolves them (BSUID first, then phone; identity changes re-key in place). The
//! identity record `WhatsappIds` and the enum `WhatsappIdKind` are the core's.

use std::sync::{Arc, Mutex, MutexGuard};

use arichat_core::{
    Channel, ChannelIdentity, ContactId, ContactRef, IdentityChange, TenantId, WhatsappIdKind,
    WhatsappIdentity, WhatsappIds,
};

use crate::error::Result;

/// A contact as the app sees it (`arichat_core::Contact` keeps its fields private and
/// validated, so it crosses as this view).
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct Contact {
    /// The contact id (the `newId` it was created with).
    pub id: String,
    /// The name it goes by, when known.
    pub display_name: Option<String>,
    /// The validated E.164 phone, when known.
    pub phone: Option<String>,
    /// The normalized email, when known.
    pub email: Option<String>,
    /// Its WhatsApp ids, when it has written on WhatsApp.
    pub whatsapp: Option<WhatsappIds>,
}

impl From<&arichat_core::Contact> for Contact {
    fn from(c: &arichat_core::Contact) -> Self {
        Contact {
            id: c.id().as_str().to_owned(),
            display_name: c.display_name().map(str::to_owned),
            phone: c.phone().map(|p| p.as_str().to_owned()),
            email: c.email().map(|e| e.as_str().to_owned()),
            whatsapp: c
                .identity(Channel::Whatsapp)
                .and_then(ChannelIdentity::as_whatsapp)
                .map(|w| w.clone().into()),
        }
    }
}

/// A WhatsApp identity from its ids, validated by the core.
fn contact_ref(ids: WhatsappIds) -> Result<ContactRef> {
    Ok(ContactRef {
        identity: ChannelIdentity::Whatsapp(WhatsappIdentity::try_from(ids)?),
        display_name: None,
        phone: None,
    })
}

/// One tenant's contacts with identity resolution (`arichat_core::ContactBook`).
///
/// Thread-safe: the book sits behind a mutex, so one `ContactBook` may be shared across
/// threads.
#[derive(Debug, uniffi::Object)]
pub struct ContactBook {
    inner: Mutex<arichat_core::ContactBook>,
}

impl ContactBook {
    fn wrap(book: arichat_core::ContactBook) -> Arc<Self> {
        Arc::new(ContactBook {
            inner: Mutex::new(book),
        })
    }

    /// The core book. The core changes nothing on error, so a lock poisoned by a panic
    /// still guards a whole book.
    fn lock(&self) -> MutexGuard<'_, arichat_core::ContactBook> {
        self.inner.lock().unwrap_or_else(|e| e.into_inner())
    }
}

#[uniffi::export]
impl ContactBook {
    /// An empty book for `tenant_id`.
    #[uniffi::constructor]
    pub fn new(tenant_id: String) -> Arc<Self> {
        ContactBook::wrap(arichat_core::ContactBook::new(TenantId::new(tenant_id)))
    }

    /// Reads a book from the JSON of [`ContactBook::to_json`].
    ///
    /// # Errors
    /// `invalid_json` for malformed JSON or invalid ids, `invalid_config` for a contact
    /// of another tenant or a repeated id.
    #[uniffi::constructor]
    pub fn from_json(json: String) -> Result<Arc<Self>> {
        Ok(ContactBook::wrap(arichat_core::ContactBook::from_json(
            &json,
        )?))
    }

    /// The owning tenant.
    pub fn tenant_id(&self) -> String {
        self.lock().tenant_id().as_str().to_owned()
    }

    /// The contact `identity` belongs to (BSUID first, then parent BSUID, then
    /// `wa_id`, then phone), created as `new_id` when nobody matches; a match learns
    /// the ids it lacked.
    ///
    /// # Errors
    /// `invalid_whatsapp_id` for a malformed id, `empty_id` for a blank `wa_id`,
    /// `invalid_phone` for a new `wa_id` that is not a valid number; the book is
    /// unchanged on error.
    pub fn resolve(&self, identity: WhatsappIds, new_id: String) -> Result<Contact> {
        let r = contact_ref(identity)?;
        let mut book = self.lock();
        Ok(book.resolve(&r, || ContactId::new(new_id))?.into())
    }

    /// Applies a change of the id `kind` from `old` to `new` (a `user_changed_number`,
    /// `user_changed_user_id` or `user_id_update`) to the contact it concerns: the one
    /// `contact` (the identity the event carries) resolves to, else the one holding
    /// `old`. Returns that contact's id; `null`/`nil` when nobody known holds it.
    ///
    /// # Errors
    /// `invalid_whatsapp_id` or `empty_id` for a malformed id; the book is unchanged on
    /// error.
    #[uniffi::method(default(contact = None))]
    pub fn apply_change(
        &self,
        kind: WhatsappIdKind,
        old: Option<String>,
        new: String,
        contact: Option<WhatsappIds>,
    ) -> Result<Option<String>> {
        let change = IdentityChange::new(kind, old.as_deref(), &new)?;
        let contact = contact.map(contact_ref).transpose()?;
        let mut book = self.lock();
        let id = book.apply(contact.as_ref(), &[change])?;
        Ok(id.map(|id| id.as_str().to_owned()))
    }

    /// The contacts, in the order they were first seen.
    pub fn contacts(&self) -> Vec<Contact> {
        self.lock().contacts().iter().map(Contact::from).collect()
    }

    /// The contact with `id`, if any.
    pub fn get(&self, id: String) -> Option<Contact> {
        self.lock().get(&ContactId::new(id)).map(Contact::from)
    }

    /// The book as JSON (the same JSON in every runtime), for the app to persist.
    pub fn to_json(&self) -> String {
        self.lock().to_json()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ArichatError;
    use arichat_core::ErrorCode;

    fn ids(wa_id: Option<&str>, user_id: Option<&str>) -> WhatsappIds {
        WhatsappIds {
            wa_id: wa_id.map(str::to_owned),
            user_id: user_id.map(str::to_owned),
            ..WhatsappIds::default()
        }
    }

    #[test]
    fn resolves_changes_and_fails_like_the_core() {
        let book = ContactBook::new("acme".into());
        let first = book
            .resolve(ids(Some("16505551234"), None), "c-1".into())
            .unwrap();
        assert_eq!(first.phone.as_deref(), Some("+16505551234"));
        let same = book
            .resolve(
                ids(Some("16505551234"), Some("US.13491208655302741918")),
                "c-2".into(),
            )
            .unwrap();
        assert_eq!(same.id, "c-1");
        let moved = book
            .apply_change(
                WhatsappIdKind::WaId,
                Some("16505551234".into()),
                "16505559876".into(),
                None,
            )
            .unwrap();
        assert_eq!(moved.as_deref(), Some("c-1"));
        assert_eq!(
            book.get("c-1".into()).unwrap().phone.as_deref(),
            Some("+16505559876")
        );
        let err = book
            .resolve(ids(None, Some("US.1349-1208")), "c-3".into())
            .unwrap_err();
        assert!(matches!(
            err,
            ArichatError::Core {
                code: ErrorCode::InvalidWhatsappId,
                ..
            }
        ));
        assert_eq!(book.contacts().len(), 1);
        let copy = ContactBook::from_json(book.to_json()).unwrap();
        assert_eq!(copy.contacts(), book.contacts());
        assert_eq!(copy.tenant_id(), "acme");
    }
}
