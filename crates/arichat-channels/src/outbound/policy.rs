//! The checks before a send: channel support, consent, and the 24-hour window.

use arichat_core::consent::ConsentLedger;
use arichat_core::window::ServiceWindow;
use arichat_core::{Channel, ContactId, Conversation};
use chrono::{DateTime, Duration, Utc};
use serde::{Deserialize, Serialize};

use super::{Outbound, TemplateCategory};

/// How long after the contact's last message Messenger and Instagram accept a reply
/// tagged `HUMAN_AGENT` (7 days).
pub const HUMAN_AGENT_WINDOW: Duration = Duration::days(7);

/// Messenger/Instagram message tags for sends outside the 24-hour window.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
#[non_exhaustive]
pub enum MessageTag {
    /// A human agent answers within 7 days of the contact's message (Messenger, Instagram).
    HumanAgent,
    /// A non-recurring update to the contact's account (Messenger).
    AccountUpdate,
    /// A reminder or update about an event the contact registered for (Messenger).
    ConfirmedEventUpdate,
    /// An update about a recent purchase (Messenger).
    PostPurchaseUpdate,
}

impl MessageTag {
    /// Every tag, in order.
    pub const ALL: &'static [MessageTag] = &[
        MessageTag::HumanAgent,
        MessageTag::AccountUpdate,
        MessageTag::ConfirmedEventUpdate,
        MessageTag::PostPurchaseUpdate,
    ];

    /// The tag as the Send API spells it (and as serde, `Display` and `FromStr` do).
    pub fn as_str(self) -> &'static str {
        match self {
            MessageTag::HumanAgent => "HUMAN_AGENT",
            MessageTag::AccountUpdate => "ACCOUNT_UPDATE",
            MessageTag::ConfirmedEventUpdate => "CONFIRMED_EVENT_UPDATE",
            MessageTag::PostPurchaseUpdate => "POST_PURCHASE_UPDATE",
        }
    }
}

impl std::fmt::Display for MessageTag {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The Send API spelling, exactly; anything else is `unknown_variant` naming the value
/// and the accepted tags.
///
/// ```
/// use arichat_channels::outbound::MessageTag;
/// assert_eq!("HUMAN_AGENT".parse::<MessageTag>().unwrap(), MessageTag::HumanAgent);
/// let err = "human".parse::<MessageTag>().unwrap_err();
/// assert_eq!(err.code(), "unknown_variant");
/// assert!(err.to_string().contains("\"human\""));
/// ```
impl std::str::FromStr for MessageTag {
    type Err = arichat_core::CoreError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        MessageTag::ALL
            .iter()
            .copied()
            .find(|t| t.as_str() == s)
            .ok_or_else(|| arichat_core::CoreError::UnknownVariant {
                kind: "message tag",
                value: s.to_owned(),
                expected:
                    "HUMAN_AGENT, ACCOUNT_UPDATE, CONFIRMED_EVENT_UPDATE, POST_PURCHASE_UPDATE",
            })
    }
}

/// How a message that passed [`preflight`] goes out.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "kind", content = "tag")]
pub enum Delivery {
    /// A reply inside the window (Messenger `messaging_type: RESPONSE`).
    Response,
    /// A proactive message inside the window (Messenger `UPDATE`).
    Update,
    /// Outside the window with a message tag (Messenger `MESSAGE_TAG`).
    Tagged(MessageTag),
    /// A WhatsApp template (allowed whatever the window).
    Template,
    /// A channel without a window (Telegram).
    Unrestricted,
}

impl Delivery {
    /// How a send that skips [`preflight`] goes out on `channel`: without a window
    /// (Telegram) unrestricted; else tagged when a tag is given, `UPDATE` when
    /// proactive, a `RESPONSE` otherwise.
    ///
    /// ```
    /// use arichat_channels::outbound::{Delivery, MessageTag};
    /// use arichat_core::Channel;
    /// assert_eq!(Delivery::direct(Channel::Messenger, None, true), Delivery::Update);
    /// let tagged = Delivery::direct(Channel::Instagram, Some(MessageTag::HumanAgent), true);
    /// assert_eq!(tagged, Delivery::Tagged(MessageTag::HumanAgent));
    /// assert_eq!(Delivery::direct(Channel::Telegram, Some(MessageTag::HumanAgent), false), Delivery::Unrestricted);
    /// ```
    pub fn direct(channel: Channel, tag: Option<MessageTag>, proactive: bool) -> Delivery {
        match tag {
            _ if !channel.has_service_window() => Delivery::Unrestricted,
            Some(tag) => Delivery::Tagged(tag),
            None if proactive => Delivery::Update,
            None => Delivery::Response,
        }
    }

    /// The snake_case name of the kind (`"response"`, `"update"`, `"tagged"`,
    /// `"template"`, `"unrestricted"`), as serde writes `kind`.
    pub fn kind(self) -> &'static str {
        match self {
            Delivery::Response => "response",
            Delivery::Update => "update",
            Delivery::Tagged(_) => "tagged",
            Delivery::Template => "template",
            Delivery::Unrestricted => "unrestricted",
        }
    }

    /// The message tag of a tagged delivery.
    pub fn tag(self) -> Option<MessageTag> {
        match self {
            Delivery::Tagged(tag) => Some(tag),
            _ => None,
        }
    }
}

/// What the checks need besides the message: the time, and the optional consent ledger,
/// tag and intent of the send.
///
/// ```
/// use arichat_channels::outbound::{preflight, Delivery, Outbound, SendContext, PolicyError};
/// use arichat_core::{Channel, ChannelAccountId, ContactId, Conversation, TenantId};
/// let now = chrono::Utc::now();
/// let mut conv = Conversation::new(TenantId::new("acme"), Channel::Whatsapp,
///     ChannelAccountId::new("1065"), ContactId::new("c-1"));
/// // Nobody wrote yet: a free-form message needs a template.
/// let err = preflight(&conv, &Outbound::text("hola"), &SendContext::new(now)).unwrap_err();
/// assert_eq!(err.code(), "outside_window");
/// conv.record_inbound(now - chrono::Duration::hours(1));
/// assert_eq!(preflight(&conv, &Outbound::text("hola"), &SendContext::new(now)), Ok(Delivery::Response));
/// ```
#[derive(Debug, Clone, Copy)]
pub struct SendContext<'a> {
    now: DateTime<Utc>,
    consent: Option<&'a ConsentLedger>,
    tag: Option<MessageTag>,
    marketing: bool,
    proactive: bool,
    no_phone: bool,
}

impl<'a> SendContext<'a> {
    /// Checks as of `now`, no ledger, no tag, not marketing.
    pub fn new(now: DateTime<Utc>) -> Self {
        SendContext {
            now,
            consent: None,
            tag: None,
            marketing: false,
            proactive: false,
            no_phone: false,
        }
    }

    /// The recipient is known without a phone number (a WhatsApp username user reached
    /// by BSUID): authentication templates are refused with `phone_required`.
    pub fn without_phone(mut self) -> Self {
        self.no_phone = true;
        self
    }

    /// Consult `ledger` for marketing sends (without one, marketing is refused).
    pub fn with_consent(mut self, ledger: &'a ConsentLedger) -> Self {
        self.consent = Some(ledger);
        self
    }

    /// Send with a Messenger/Instagram message tag when the window is closed.
    pub fn with_tag(mut self, tag: MessageTag) -> Self {
        self.tag = Some(tag);
        self
    }

    /// Mark the send as marketing (a promotion), whatever its form.
    pub fn marketing(mut self) -> Self {
        self.marketing = true;
        self
    }

    /// Mark the send as proactive (not an answer): Messenger `UPDATE`.
    pub fn proactive(mut self) -> Self {
        self.proactive = true;
        self
    }

    /// The time the checks use.
    pub fn now(&self) -> DateTime<Utc> {
        self.now
    }
}

/// The owned form of a [`SendContext`]: what a binding or a queue keeps across an
/// `await` (the ledger by value), turned into the borrowed context with
/// [`SendPolicy::context`].
///
/// ```
/// use arichat_channels::outbound::{MessageTag, SendPolicy};
/// let policy = SendPolicy { tag: Some(MessageTag::HumanAgent), ..SendPolicy::new(chrono::Utc::now()) };
/// let ctx = policy.context();
/// assert_eq!(ctx.now(), policy.now);
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SendPolicy {
    /// The time of the checks.
    pub now: DateTime<Utc>,
    /// The consent ledger for marketing sends (without one, marketing is refused).
    pub consent: Option<ConsentLedger>,
    /// Messenger/Instagram message tag for a closed window.
    pub tag: Option<MessageTag>,
    /// The send is marketing, whatever its form.
    pub marketing: bool,
    /// A proactive message (Messenger `UPDATE`) rather than an answer.
    pub proactive: bool,
}

impl SendPolicy {
    /// Checks as of `now`: no ledger, no tag, not marketing, not proactive.
    pub fn new(now: DateTime<Utc>) -> Self {
        SendPolicy {
            now,
            consent: None,
            tag: None,
            marketing: false,
            proactive: false,
        }
    }

    /// The borrowed context [`preflight`] and
    /// [`ChannelClient::reply`](crate::client::ChannelClient::reply) take.
    pub fn context(&self) -> SendContext<'_> {
        SendContext {
            now: self.now,
            consent: self.consent.as_ref(),
            tag: self.tag,
            marketing: self.marketing,
            proactive: self.proactive,
            no_phone: false,
        }
    }
}

/// A send refused before any request left.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum PolicyError {
    /// The 24-hour window is closed and the message is free-form.
    #[error("the {channel} customer-service window is {state}; {needs}")]
    OutsideWindow {
        /// The channel.
        channel: Channel,
        /// "closed since `<time>`" or "not open (the contact never wrote)".
        state: String,
        /// What would be allowed instead.
        needs: &'static str,
    },
    /// A marketing send to a contact without consent.
    #[error("marketing to {contact} on {channel} refused: {reason}")]
    ConsentRefused {
        /// The contact.
        contact: ContactId,
        /// The channel.
        channel: Channel,
        /// The ledger's reason.
        reason: String,
    },
    /// The channel has no such message (a template outside WhatsApp, say).
    #[error("{channel} cannot send a {kind} message")]
    Unsupported {
        /// The channel.
        channel: Channel,
        /// The message's `type`.
        kind: &'static str,
    },
    /// An authentication template to a recipient without a phone number: WhatsApp
    /// delivers one-time passcodes to phones only (it answers error 131062).
    #[error("an authentication template needs the contact's phone number; ask for it with the interactive request for contact info")]
    PhoneRequired,
}

impl PolicyError {
    /// A stable snake_case code, the same in every binding.
    pub fn code(&self) -> &'static str {
        match self {
            PolicyError::OutsideWindow { .. } => "outside_window",
            PolicyError::ConsentRefused { .. } => "consent_refused",
            PolicyError::Unsupported { .. } => "unsupported_message",
            PolicyError::PhoneRequired => "phone_required",
        }
    }
}

/// Decides whether `message` may go to the contact of `conversation` now, and how.
///
/// In order: the channel must support the message; an authentication template needs
/// a phone ([`SendContext::without_phone`] refuses it with `phone_required`); a marketing send (a marketing
/// template, or [`SendContext::marketing`]) needs the ledger's consent; on a channel with
/// a 24-hour window that is closed, WhatsApp accepts only a template and
/// Messenger/Instagram only a tagged message (`HUMAN_AGENT` within 7 days of the
/// contact's last message). Nothing here touches the network.
pub fn preflight(
    conversation: &Conversation,
    message: &Outbound,
    ctx: &SendContext<'_>,
) -> Result<Delivery, PolicyError> {
    preflight_thread(&Thread::of(conversation), message, ctx)
}

/// What [`preflight`] reads of a conversation: its channel, the contact (for consent)
/// and when the contact last wrote (for the window). A binding answering a contact it
/// has no stored [`Conversation`] for builds this instead of a placeholder.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Thread<'a> {
    /// The channel.
    pub channel: Channel,
    /// The contact, as the consent ledger knows it.
    pub contact: &'a ContactId,
    /// When the contact last wrote; `None` if never.
    pub last_inbound_at: Option<DateTime<Utc>>,
}

impl<'a> Thread<'a> {
    /// The thread of a stored conversation.
    pub fn of(conversation: &'a Conversation) -> Self {
        Thread {
            channel: conversation.channel,
            contact: &conversation.contact_id,
            last_inbound_at: conversation.last_inbound_at,
        }
    }
}

/// [`preflight`] on a [`Thread`].
pub fn preflight_thread(
    conversation: &Thread<'_>,
    message: &Outbound,
    ctx: &SendContext<'_>,
) -> Result<Delivery, PolicyError> {
    let channel = conversation.channel;
    check_supported(channel, message)?;
    if ctx.no_phone
        && matches!(message, Outbound::Template(t) if t.category == TemplateCategory::Authentication)
    {
        return Err(PolicyError::PhoneRequired);
    }
    if ctx.marketing || message.is_marketing() {
        check_consent(conversation.contact, channel, ctx)?;
    }
    if !channel.has_service_window() {
        return Ok(Delivery::Unrestricted);
    }
    if matches!(message, Outbound::Template(_)) {
        return Ok(Delivery::Template);
    }
    let window = ServiceWindow::new(channel, conversation.last_inbound_at);
    if window.is_open(ctx.now) {
        return Ok(if ctx.proactive {
            Delivery::Update
        } else {
            Delivery::Response
        });
    }
    let state = match window.closes_at() {
        Some(at) => format!(
            "closed since {}",
            at.to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
        ),
        None => "not open (the contact never wrote)".to_owned(),
    };
    let outside = |needs| PolicyError::OutsideWindow {
        channel,
        state: state.clone(),
        needs,
    };
    match channel {
        Channel::Whatsapp => Err(outside(
            "only an approved message template may be sent until the contact writes again",
        )),
        _ => match ctx.tag {
            None => Err(outside(
                "send with the HUMAN_AGENT message tag (within 7 days of the contact's last message)",
            )),
            Some(MessageTag::HumanAgent) => {
                let within = conversation
                    .last_inbound_at
                    .is_some_and(|at| ctx.now - at <= HUMAN_AGENT_WINDOW);
                if within {
                    Ok(Delivery::Tagged(MessageTag::HumanAgent))
                } else {
                    Err(outside(
                        "the HUMAN_AGENT tag is only accepted within 7 days of the contact's last message",
                    ))
                }
            }
            Some(_) if channel == Channel::Instagram => Err(outside(
                "Instagram accepts only the HUMAN_AGENT tag outside the window",
            )),
            Some(tag) => Ok(Delivery::Tagged(tag)),
        },
    }
}

fn check_supported(channel: Channel, message: &Outbound) -> Result<(), PolicyError> {
    let supported = match message {
        Outbound::Template(_) => channel == Channel::Whatsapp,
        Outbound::Reaction { .. } => channel == Channel::Whatsapp,
        _ => true,
    };
    if supported {
        Ok(())
    } else {
        Err(PolicyError::Unsupported {
            channel,
            kind: message.kind(),
        })
    }
}

fn check_consent(
    contact: &ContactId,
    channel: Channel,
    ctx: &SendContext<'_>,
) -> Result<(), PolicyError> {
    let refused = |reason: String| PolicyError::ConsentRefused {
        contact: contact.clone(),
        channel,
        reason,
    };
    let Some(ledger) = ctx.consent else {
        return Err(refused(
            "no consent ledger was given; marketing sends are checked against one".to_owned(),
        ));
    };
    let decision = ledger.may_send_marketing(contact, channel, ctx.now);
    if decision.allowed {
        Ok(())
    } else {
        Err(refused(decision.reason))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::outbound::Template;
    use arichat_core::consent::{ConsentEvidence, ConsentPolicy};
    use arichat_core::{ChannelAccountId, ConsentStatus, TenantId};
    use chrono::TimeZone;

    fn now() -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 3, 10, 12, 0, 0).unwrap()
    }

    fn conv(channel: Channel, last_inbound_hours_ago: Option<i64>) -> Conversation {
        let mut c = Conversation::new(
            TenantId::new("t"),
            channel,
            ChannelAccountId::new("acc"),
            ContactId::new("c-1"),
        );
        if let Some(h) = last_inbound_hours_ago {
            c.record_inbound(now() - Duration::hours(h));
        }
        c
    }

    fn template(category: TemplateCategory) -> Outbound {
        Outbound::Template(Template {
            name: "promo".into(),
            language: "es_MX".into(),
            category,
            components: vec![],
        })
    }

    #[test]
    fn whatsapp_free_form_needs_the_window_and_templates_do_not() {
        let ctx = SendContext::new(now());
        let open = conv(Channel::Whatsapp, Some(23));
        let closed = conv(Channel::Whatsapp, Some(25));
        assert_eq!(
            preflight(&open, &Outbound::text("hi"), &ctx),
            Ok(Delivery::Response)
        );
        let err = preflight(&closed, &Outbound::text("hi"), &ctx).unwrap_err();
        assert_eq!(err.code(), "outside_window");
        assert!(err.to_string().contains("template"), "{err}");
        assert_eq!(
            preflight(&closed, &template(TemplateCategory::Utility), &ctx),
            Ok(Delivery::Template)
        );
    }

    #[test]
    fn messenger_outside_the_window_needs_human_agent_within_seven_days() {
        let ctx = SendContext::new(now());
        let closed = conv(Channel::Messenger, Some(30));
        let err = preflight(&closed, &Outbound::text("hi"), &ctx).unwrap_err();
        assert!(err.to_string().contains("HUMAN_AGENT"), "{err}");
        let tagged = ctx.with_tag(MessageTag::HumanAgent);
        assert_eq!(
            preflight(&closed, &Outbound::text("hi"), &tagged),
            Ok(Delivery::Tagged(MessageTag::HumanAgent))
        );
        let stale = conv(Channel::Instagram, Some(24 * 8));
        assert_eq!(
            preflight(&stale, &Outbound::text("hi"), &tagged)
                .unwrap_err()
                .code(),
            "outside_window"
        );
        let proactive = SendContext::new(now()).proactive();
        assert_eq!(
            preflight(
                &conv(Channel::Messenger, Some(1)),
                &Outbound::text("hi"),
                &proactive
            ),
            Ok(Delivery::Update)
        );
    }

    #[test]
    fn telegram_has_no_window_but_no_templates() {
        let ctx = SendContext::new(now());
        let never = conv(Channel::Telegram, None);
        assert_eq!(
            preflight(&never, &Outbound::text("hi"), &ctx),
            Ok(Delivery::Unrestricted)
        );
        assert_eq!(
            preflight(&never, &template(TemplateCategory::Utility), &ctx)
                .unwrap_err()
                .code(),
            "unsupported_message"
        );
    }

    #[test]
    fn marketing_templates_need_consent_from_the_ledger() {
        let closed = conv(Channel::Whatsapp, None);
        let promo = template(TemplateCategory::Marketing);
        let mut ledger = ConsentLedger::new(ConsentPolicy::default());
        // No ledger, and an empty one: refused.
        assert_eq!(
            preflight(&closed, &promo, &SendContext::new(now()))
                .unwrap_err()
                .code(),
            "consent_refused"
        );
        assert_eq!(
            preflight(
                &closed,
                &promo,
                &SendContext::new(now()).with_consent(&ledger)
            )
            .unwrap_err()
            .code(),
            "consent_refused"
        );
        let contact = ContactId::new("c-1");
        ledger.record_manual(
            &contact,
            Channel::Whatsapp,
            ConsentStatus::OptedIn,
            ConsentEvidence::Import {
                source: "crm".into(),
            },
            now() - Duration::days(3),
        );
        assert_eq!(
            preflight(
                &closed,
                &promo,
                &SendContext::new(now()).with_consent(&ledger)
            ),
            Ok(Delivery::Template)
        );
        ledger.record_manual(
            &contact,
            Channel::Whatsapp,
            ConsentStatus::OptedOut,
            ConsentEvidence::StopKeyword {
                keyword: "stop".into(),
                message_id: None,
            },
            now() - Duration::days(1),
        );
        let err = preflight(
            &closed,
            &promo,
            &SendContext::new(now()).with_consent(&ledger),
        )
        .unwrap_err();
        assert_eq!(err.code(), "consent_refused");
        assert!(err.to_string().contains("opted out"), "{err}");
        // A utility template needs no marketing consent.
        assert_eq!(
            preflight(
                &closed,
                &template(TemplateCategory::Utility),
                &SendContext::new(now()).with_consent(&ledger)
            ),
            Ok(Delivery::Template)
        );
    }

    #[test]
    fn authentication_template_needs_a_phone() {
        let c = conv(Channel::Whatsapp, None);
        let auth = template(TemplateCategory::Authentication);
        let no_phone = SendContext::new(now()).without_phone();
        let err = preflight(&c, &auth, &no_phone).unwrap_err();
        assert_eq!(err, PolicyError::PhoneRequired);
        assert_eq!(err.code(), "phone_required");
        assert!(err.to_string().contains("request for contact info"));
        // With a phone, or another category, the template goes.
        assert_eq!(
            preflight(&c, &auth, &SendContext::new(now())),
            Ok(Delivery::Template)
        );
        assert_eq!(
            preflight(&c, &template(TemplateCategory::Utility), &no_phone),
            Ok(Delivery::Template)
        );
    }
}
