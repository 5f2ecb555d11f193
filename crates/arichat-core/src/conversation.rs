//! Conversations: one thread per (tenant, channel account, contact), and one per group.

use chrono::{DateTime, Utc};

use crate::review::ReviewFlag;
use crate::{Channel, ChannelAccountId, ContactId, ConversationId, Event, GroupId, TenantId};

/// A conversation thread between a contact and one of the tenant's channel accounts.
///
/// ```
/// use arichat_core::{Channel, ChannelAccountId, ContactId, Conversation, TenantId};
/// let id = Conversation::key(&TenantId::new("acme"), Channel::Whatsapp, &ChannelAccountId::new("1065"), &ContactId::new("c-9"));
/// assert_eq!(id.as_str(), "acme:whatsapp:1065:c-9");
/// ```
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Conversation {
    /// Stable key, see [`Conversation::key`].
    pub id: ConversationId,
    /// Owning tenant.
    pub tenant_id: TenantId,
    /// Channel.
    pub channel: Channel,
    /// The tenant's account on that channel.
    pub channel_account_id: ChannelAccountId,
    /// The contact; in a group conversation, the group's id stands in its place (see
    /// [`Conversation::for_group`]).
    pub contact_id: ContactId,
    /// The group, for a group conversation: participants write in it, and it is
    /// nobody's lead.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub group_id: Option<GroupId>,
    /// When the contact last wrote (opens the customer-service window).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_inbound_at: Option<DateTime<Utc>>,
    /// When the business last answered.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_outbound_at: Option<DateTime<Utc>>,
    /// Set when automation asks an agent to decide (a possible opt-out); cleared by
    /// the agent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub review: Option<ReviewFlag>,
}

impl Conversation {
    /// The one conversation key per (tenant, channel, channel account, contact).
    pub fn key(
        tenant: &TenantId,
        channel: Channel,
        account: &ChannelAccountId,
        contact: &ContactId,
    ) -> ConversationId {
        ConversationId::new(format!("{tenant}:{channel}:{account}:{contact}"))
    }

    /// A new, empty conversation with its key derived from the parts.
    pub fn new(
        tenant_id: TenantId,
        channel: Channel,
        channel_account_id: ChannelAccountId,
        contact_id: ContactId,
    ) -> Self {
        Conversation {
            id: Self::key(&tenant_id, channel, &channel_account_id, &contact_id),
            tenant_id,
            channel,
            channel_account_id,
            contact_id,
            group_id: None,
            last_inbound_at: None,
            last_outbound_at: None,
            review: None,
        }
    }

    /// The key of a group's conversation: `tenant:channel:account:group:<group id>`
    /// (a one-to-one key ends in the contact id instead).
    pub fn group_key(
        tenant: &TenantId,
        channel: Channel,
        account: &ChannelAccountId,
        group: &GroupId,
    ) -> ConversationId {
        ConversationId::new(format!("{tenant}:{channel}:{account}:group:{group}"))
    }

    /// A new, empty group conversation. Its `contact_id` is the group id (the group is
    /// the other side of the thread), `group_id` is set, and its key is
    /// [`Conversation::group_key`].
    ///
    /// ```
    /// use arichat_core::{Channel, ChannelAccountId, Conversation, GroupId, TenantId};
    /// let g = Conversation::for_group(TenantId::new("acme"), Channel::Whatsapp,
    ///     ChannelAccountId::new("1065"), GroupId::new("120363"));
    /// assert_eq!(g.id.as_str(), "acme:whatsapp:1065:group:120363");
    /// ```
    pub fn for_group(
        tenant_id: TenantId,
        channel: Channel,
        channel_account_id: ChannelAccountId,
        group_id: GroupId,
    ) -> Self {
        let mut c = Conversation::new(
            tenant_id,
            channel,
            channel_account_id,
            ContactId::new(group_id.as_str()),
        );
        c.id = Self::group_key(&c.tenant_id, channel, &c.channel_account_id, &group_id);
        c.group_id = Some(group_id);
        c
    }

    /// The key of the conversation an event belongs to, given the tenant and the
    /// contact the host resolved its contact to: the group's conversation for a group
    /// event, else the contact's one-to-one conversation.
    pub fn key_for_event(tenant: &TenantId, event: &Event, contact: &ContactId) -> ConversationId {
        match &event.group_id {
            Some(group) => Self::group_key(tenant, event.channel, &event.channel_account_id, group),
            None => Self::key(tenant, event.channel, &event.channel_account_id, contact),
        }
    }

    /// Records an inbound message time (keeps the latest).
    pub fn record_inbound(&mut self, at: DateTime<Utc>) {
        self.last_inbound_at = Some(self.last_inbound_at.map_or(at, |t| t.max(at)));
    }

    /// Records an outbound message time (keeps the latest).
    pub fn record_outbound(&mut self, at: DateTime<Utc>) {
        self.last_outbound_at = Some(self.last_outbound_at.map_or(at, |t| t.max(at)));
    }

    /// Whether the contact is waiting for an answer.
    pub fn awaiting_reply(&self) -> bool {
        match (self.last_inbound_at, self.last_outbound_at) {
            (Some(i), Some(o)) => i > o,
            (Some(_), None) => true,
            _ => false,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    #[test]
    fn times_only_move_forward_and_awaiting_follows() {
        let t = |h| Utc.with_ymd_and_hms(2026, 1, 1, h, 0, 0).unwrap();
        let mut c = Conversation::new("t".into(), Channel::Messenger, "page".into(), "c".into());
        assert!(!c.awaiting_reply());
        c.record_inbound(t(5));
        c.record_inbound(t(3));
        assert_eq!(c.last_inbound_at, Some(t(5)));
        assert!(c.awaiting_reply());
        c.record_outbound(t(6));
        assert!(!c.awaiting_reply());
        assert_eq!(c.id.as_str(), "t:messenger:page:c");
    }
}
