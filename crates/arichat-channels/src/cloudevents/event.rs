//! arichat's events as CloudEvents: a normalized [`Event`] and the derived events the
//! core's rules produce.

use std::collections::BTreeMap;

use arichat_core::{Channel, ChannelAccountId, Event, LeadId, TenantId};
use chrono::{DateTime, Utc};
use serde::Serialize;
use serde_json::Value;

use super::{CloudEvent, SPEC_VERSION};

/// The `type` prefix of every arichat event.
const TYPE_PREFIX: &str = "com.arichat.";

/// arichat's own events, derived from the conversation by the core's rules.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum DerivedKind {
    /// A lead moved to another status (data: the `LeadChange`).
    LeadStatusChanged,
    /// A lead was scored (data: the `ScoreResult`).
    LeadScored,
    /// A contact's consent on a channel changed (data: the ledger's record).
    ConsentChanged,
    /// A conversation was flagged for an agent (data: the `ReviewFlag`).
    ConversationFlagged,
}

impl DerivedKind {
    /// Every kind, in declaration order.
    pub const ALL: [DerivedKind; 4] = [
        DerivedKind::LeadStatusChanged,
        DerivedKind::LeadScored,
        DerivedKind::ConsentChanged,
        DerivedKind::ConversationFlagged,
    ];

    /// Its short name (`lead.status_changed`, `lead.scored`, `consent.changed`,
    /// `conversation.flagged`): the `type` without prefix and version, and the name
    /// bindings take.
    pub fn name(self) -> &'static str {
        match self {
            DerivedKind::LeadStatusChanged => "lead.status_changed",
            DerivedKind::LeadScored => "lead.scored",
            DerivedKind::ConsentChanged => "consent.changed",
            DerivedKind::ConversationFlagged => "conversation.flagged",
        }
    }

    /// Its versioned CloudEvents `type`.
    pub fn type_name(self) -> &'static str {
        match self {
            DerivedKind::LeadStatusChanged => "com.arichat.lead.status_changed.v1",
            DerivedKind::LeadScored => "com.arichat.lead.scored.v1",
            DerivedKind::ConsentChanged => "com.arichat.consent.changed.v1",
            DerivedKind::ConversationFlagged => "com.arichat.conversation.flagged.v1",
        }
    }
}

impl std::str::FromStr for DerivedKind {
    type Err = arichat_core::CoreError;

    /// Reads a short name or a full `type` (`lead.scored`, `com.arichat.lead.scored.v1`).
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        DerivedKind::ALL
            .into_iter()
            .find(|k| k.name() == s || k.type_name() == s)
            .ok_or_else(|| arichat_core::CoreError::UnknownVariant {
                kind: "derived event kind",
                value: s.to_owned(),
                expected: "lead.status_changed, lead.scored, consent.changed, conversation.flagged",
            })
    }
}

impl CloudEvent {
    /// The CloudEvent of a derived event caused by `cause` (the message that moved the
    /// lead, changed consent or raised a flag): [`CloudEvent::derived`] with the cause's
    /// channel, account, tenant, time and contact, and `id`
    /// `<cause's idempotency key>:<kind's name>`, so a redelivered message derives the
    /// same ids and downstream deduplication holds. `lead` sets the `lead` extension.
    ///
    /// ```
    /// # use arichat_channels::{cloudevents::{CloudEvent, DerivedKind}, normalize, NormalizeOptions};
    /// # let body = br#"{"update_id": 7, "message": {"message_id": 5, "date": 1700000000,
    /// #   "chat": {"id": 42, "type": "private"}, "from": {"id": 42, "is_bot": false, "first_name": "A"}, "text": "quiero comprar"}}"#;
    /// # let options = NormalizeOptions::new(chrono::Utc::now()).with_account("70");
    /// # let event = &normalize(arichat_core::Channel::Telegram, body, &options).unwrap()[0];
    /// let scored = CloudEvent::derived_from(
    ///     "lead.scored".parse::<DerivedKind>().unwrap(),
    ///     event,
    ///     &serde_json::json!({"total": 42.0, "grade": "B"}),
    ///     None,
    /// );
    /// assert_eq!(scored.ty, "com.arichat.lead.scored.v1");
    /// assert_eq!(scored.id, format!("{}:lead.scored", event.idempotency_key));
    /// assert_eq!(scored.source, "/telegram/70");
    /// ```
    pub fn derived_from(
        kind: DerivedKind,
        cause: &Event,
        data: &impl Serialize,
        lead: Option<&LeadId>,
    ) -> CloudEvent {
        let ce = CloudEvent::derived(
            kind,
            cause.channel,
            &cause.channel_account_id,
            cause.tenant_id.as_ref(),
            format!("{}:{}", cause.idempotency_key, kind.name()),
            cause.occurred_at,
            cause.contact.as_ref().map(|c| c.identity.id().to_owned()),
            data,
        );
        match lead {
            Some(lead) => ce.for_lead(lead),
            None => ce,
        }
    }

    /// The CloudEvent of a normalized event: `id` its idempotency key, `source`
    /// `/<channel>/<account>`, `type` `com.arichat.<kind>.v1`, `time` when it happened,
    /// `subject` the contact's id on the channel, `data` the event's JSON, extensions
    /// `channel`, `tenant` (once routed) and `partitionkey`
    /// (`<channel>:<account>:<contact>`, so one contact's events keep their order).
    pub fn from_event(event: &Event) -> CloudEvent {
        let subject = event.contact.as_ref().map(|c| c.identity.id().to_owned());
        let mut ce = base(
            format!("{TYPE_PREFIX}{}.v1", event.kind.name()),
            event.channel,
            &event.channel_account_id,
            event.tenant_id.as_ref(),
            event.idempotency_key.clone(),
            event.occurred_at,
            subject,
            serde_json::to_value(event).unwrap_or(Value::Null),
        );
        ce.extensions
            .insert("partitionkey".into(), partition_key(event).into());
        ce
    }

    /// The CloudEvent of one of arichat's derived events. `id` must be unique for the
    /// `source` (derive it from the event that caused it, e.g. its idempotency key and
    /// the kind); `subject` is the contact's id; `data` is the core's record of it.
    #[allow(clippy::too_many_arguments)]
    pub fn derived(
        kind: DerivedKind,
        channel: Channel,
        account: &ChannelAccountId,
        tenant: Option<&TenantId>,
        id: impl Into<String>,
        time: DateTime<Utc>,
        subject: Option<String>,
        data: &impl Serialize,
    ) -> CloudEvent {
        let partition = subject.clone().unwrap_or_else(|| "-".to_owned());
        let mut ce = base(
            kind.type_name().to_owned(),
            channel,
            account,
            tenant,
            id.into(),
            time,
            subject,
            serde_json::to_value(data).unwrap_or(Value::Null),
        );
        ce.extensions.insert(
            "partitionkey".into(),
            format!("{channel}:{account}:{partition}").into(),
        );
        ce
    }

    /// Sets the `lead` extension: the lead the event concerns.
    pub fn for_lead(mut self, lead: &LeadId) -> CloudEvent {
        self.extensions
            .insert("lead".into(), lead.as_str().to_owned().into());
        self
    }
}

/// `<channel>:<account>:<contact>` (or `group:<id>` for a group, `-` for nobody): one
/// thread's events share it, so a partitioned bus keeps them in order.
fn partition_key(event: &Event) -> String {
    let who = match (&event.group_id, &event.contact) {
        (Some(group), _) => format!("group:{group}"),
        (None, Some(contact)) => contact.identity.id().to_owned(),
        (None, None) => "-".to_owned(),
    };
    format!("{}:{}:{who}", event.channel, event.channel_account_id)
}

#[allow(clippy::too_many_arguments)]
fn base(
    ty: String,
    channel: Channel,
    account: &ChannelAccountId,
    tenant: Option<&TenantId>,
    id: String,
    time: DateTime<Utc>,
    subject: Option<String>,
    data: Value,
) -> CloudEvent {
    let mut extensions = BTreeMap::new();
    extensions.insert("channel".to_owned(), Value::from(channel.as_str()));
    if let Some(tenant) = tenant {
        extensions.insert("tenant".to_owned(), Value::from(tenant.as_str()));
    }
    CloudEvent {
        id,
        source: format!("/{channel}/{account}"),
        specversion: SPEC_VERSION.to_owned(),
        ty,
        time: Some(time),
        subject,
        datacontenttype: Some("application/json".to_owned()),
        data: Some(data),
        extensions,
    }
}

/// The structured-mode JSON of [`CloudEvent::from_event`], written straight from the
/// event (no intermediate JSON tree): the same text, field for field.
#[derive(Serialize)]
struct Structured<'a> {
    id: &'a str,
    source: String,
    specversion: &'static str,
    #[serde(rename = "type")]
    ty: String,
    time: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    subject: Option<&'a str>,
    datacontenttype: &'static str,
    data: &'a Event,
    // Extensions, in the order a `BTreeMap` keeps them.
    channel: &'static str,
    partitionkey: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    tenant: Option<&'a str>,
}

impl CloudEvent {
    /// `CloudEvent::from_event(event).to_json()`, written without building the
    /// envelope's JSON tree first (2–3× faster): the same JSON value, the data's keys
    /// in the event's own order. What the CLI and the Node binding write.
    ///
    /// ```
    /// # use arichat_channels::{cloudevents::CloudEvent, normalize, NormalizeOptions};
    /// # let body = br#"{"update_id": 7, "message": {"message_id": 5, "date": 1700000000,
    /// #   "chat": {"id": 42, "type": "private"}, "text": "hola"}}"#;
    /// # let options = NormalizeOptions::new(chrono::Utc::now()).with_account("70");
    /// # let event = &normalize(arichat_core::Channel::Telegram, body, &options).unwrap()[0];
    /// let direct: serde_json::Value = serde_json::from_str(&CloudEvent::event_json(event)).unwrap();
    /// let built: serde_json::Value = serde_json::from_str(&CloudEvent::from_event(event).to_json()).unwrap();
    /// assert_eq!(direct, built);
    /// ```
    pub fn event_json(event: &Event) -> String {
        let subject = event.contact.as_ref().map(|c| c.identity.id());
        let structured = Structured {
            id: &event.idempotency_key,
            source: format!("/{}/{}", event.channel, event.channel_account_id),
            specversion: SPEC_VERSION,
            ty: format!("{TYPE_PREFIX}{}.v1", event.kind.name()),
            time: event
                .occurred_at
                .to_rfc3339_opts(chrono::SecondsFormat::AutoSi, true),
            subject,
            datacontenttype: "application/json",
            data: event,
            channel: event.channel.as_str(),
            partitionkey: partition_key(event),
            tenant: event.tenant_id.as_ref().map(TenantId::as_str),
        };
        serde_json::to_string(&structured).unwrap_or_default()
    }
}
