//! Tenant routing: which tenant owns the channel account an event was addressed to.

use std::collections::HashMap;

use crate::{Channel, ChannelAccountId, CoreError, Event, TenantId};

/// A directory from channel account (WhatsApp phone_number_id, page id, Instagram
/// account id, Telegram bot id) to tenant.
///
/// An event for an account not in the directory is rejected: no tenant ever sees
/// another's traffic.
///
/// ```
/// use arichat_core::{Channel, TenantDirectory};
/// let mut dir = TenantDirectory::new();
/// dir.insert(Channel::Whatsapp, "106540352242922", "acme");
/// assert_eq!(dir.tenant_for(Channel::Whatsapp, &"106540352242922".into()).unwrap().as_str(), "acme");
/// assert!(dir.tenant_for(Channel::Whatsapp, &"999".into()).is_err());
/// ```
#[derive(Debug, Clone, Default, serde::Serialize, serde::Deserialize)]
pub struct TenantDirectory {
    accounts: HashMap<Channel, HashMap<ChannelAccountId, TenantId>>,
}

impl TenantDirectory {
    /// An empty directory.
    pub fn new() -> Self {
        Self::default()
    }

    /// Registers `account` on `channel` as belonging to `tenant` (replacing any owner).
    pub fn insert(
        &mut self,
        channel: Channel,
        account: impl Into<ChannelAccountId>,
        tenant: impl Into<TenantId>,
    ) {
        self.accounts
            .entry(channel)
            .or_default()
            .insert(account.into(), tenant.into());
    }

    /// The tenant owning `account`.
    ///
    /// # Errors
    /// [`CoreError::UnknownAccount`].
    pub fn tenant_for(
        &self,
        channel: Channel,
        account: &ChannelAccountId,
    ) -> Result<&TenantId, CoreError> {
        self.accounts
            .get(&channel)
            .and_then(|m| m.get(account))
            .ok_or_else(|| CoreError::UnknownAccount {
                channel,
                account: account.to_string(),
            })
    }

    /// Sets `event.tenant_id` from the directory.
    ///
    /// # Errors
    /// [`CoreError::UnknownAccount`]; the event is unchanged.
    pub fn route(&self, event: &mut Event) -> Result<(), CoreError> {
        let tenant = self.tenant_for(event.channel, &event.channel_account_id)?;
        event.tenant_id = Some(tenant.clone());
        Ok(())
    }
}
