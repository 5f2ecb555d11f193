//! Wire items → [`Event`]s (see the module docs of `meta` for the rules).

use arichat_core::text::normalize_text;
use arichat_core::{
    AuthorKind, Channel, ChannelAccountId, ChannelIdentity, ConsentSignal, ContactRef,
    DeliveryStatus, Direction, Event, EventKind, MessageContent, MessageId, RawJson,
};
use chrono::{DateTime, Utc};
use serde_json::value::RawValue;
use sha2::{Digest, Sha256};

use super::content;
use super::item::Item;
use super::raw::{NeedRaw, Raw};
use super::wire::{self, Party};
use crate::key::KeyBuilder;
use crate::NormalizeOptions;

/// What every event of one entry shares.
pub(super) struct EntryCtx<'o> {
    pub channel: Channel,
    pub account: ChannelAccountId,
    pub entry_time: Option<DateTime<Utc>>,
    pub options: &'o NormalizeOptions,
}

impl EntryCtx<'_> {
    fn key(&self, tail: std::fmt::Arguments<'_>) -> String {
        KeyBuilder::new(self.channel, self.account.as_str(), 48)
            .part_fmt(tail)
            .finish()
    }

    /// `raw` kept whole: an `invalid_item` event with `typed_error` (why it did not
    /// read as what it should be) or, when it is not JSON arichat can hold, its
    /// parse error; else an `unsupported` event with its JSON.
    pub(super) fn keep(&self, kind: &str, raw: &RawValue, typed_error: Option<String>) -> Event {
        let account = self.account.clone();
        let (channel, at, options) = (self.channel, self.entry_time, self.options);
        match typed_error {
            None => crate::unsupported::kept(channel, account, kind, raw, at, options),
            Some(reason) => {
                crate::unsupported::invalid(channel, account, kind, reason, raw.get(), at, options)
            }
        }
    }

    /// An unsupported event for `raw`, dated by the entry when it has a time.
    pub(super) fn unsupported(
        &self,
        vendor_kind: &str,
        raw: RawJson,
        contact: Option<ContactRef>,
        occurred_at: Option<DateTime<Utc>>,
    ) -> Event {
        let mut e = crate::unsupported::event(
            self.channel,
            self.account.clone(),
            vendor_kind,
            raw,
            occurred_at.or(self.entry_time),
            self.options,
        );
        e.contact = contact;
        e
    }
}

/// What the events of one item share.
struct ItemCtx<'e, 'o, 'i> {
    entry: &'e EntryCtx<'o>,
    occurred_at: DateTime<Utc>,
    contact: Option<ContactRef>,
    /// The contact's vendor id, `user_ref=<ref>` for a plugin user, or `-`.
    who: Who<'i>,
    /// Sent by the business (an echo, or the sender is the account itself).
    from_business: bool,
    /// An echo of a message this integration sent (its `app_id` is
    /// [`NormalizeOptions::app_id`]), not one a person sent from Meta's inbox.
    by_this_app: bool,
    /// The item's time in epoch ms for keys, or a hash of the item when it has none.
    stamp: StampKey,
}

/// Who an item is about, for keys.
enum Who<'i> {
    Id(&'i str),
    UserRef(&'i str),
    Nobody,
}

impl std::fmt::Display for Who<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Who::Id(id) => f.write_str(id),
            Who::UserRef(r) => write!(f, "user_ref={r}"),
            Who::Nobody => f.write_str("-"),
        }
    }
}

/// An item's time for keys.
enum StampKey {
    Millis(i64),
    Hash([u8; 8]),
}

impl std::fmt::Display for StampKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            StampKey::Millis(ms) => write!(f, "{ms}"),
            StampKey::Hash(h) => write!(f, "h{}", hex::encode(h)),
        }
    }
}

impl ItemCtx<'_, '_, '_> {
    fn event(&self, key: String, kind: EventKind) -> Event {
        Event::new(
            key,
            self.entry.channel,
            self.entry.account.clone(),
            self.contact.clone(),
            self.occurred_at,
            kind,
        )
    }

    fn key(&self, tail: std::fmt::Arguments<'_>) -> String {
        self.entry.key(tail)
    }

    fn direction(&self) -> (Direction, AuthorKind) {
        if self.by_this_app {
            (Direction::Outbound, AuthorKind::Bot)
        } else if self.from_business {
            (Direction::Outbound, AuthorKind::Agent)
        } else {
            (Direction::Inbound, AuthorKind::Client)
        }
    }
}

/// Maps one raw messaging/standby item into `out` (at least one event).
pub(super) fn raw_item(entry: &EntryCtx<'_>, raw: &RawValue, out: &mut Vec<Event>) {
    match serde_json::from_str::<Item>(raw.get()) {
        // With raw at hand, mapping never needs more.
        Ok(parsed) => item(entry, &parsed, Raw(Some(raw)), out).unwrap_or_default(),
        Err(e) => {
            let value = serde_json::from_str(raw.get()).unwrap_or_default();
            let kind = first_event_key(&value).unwrap_or("messaging").to_owned();
            let reason = crate::json::reason(&e, raw.get());
            out.push(entry.keep(&kind, raw, Some(reason)));
        }
    }
}

/// Maps one parsed item into `out` (at least one event).
///
/// # Errors
/// [`NeedRaw`] when `raw` is `None` and the item needs it; `out` may then hold
/// some of the item's events.
pub(super) fn item(
    entry: &EntryCtx<'_>,
    item: &Item<'_>,
    raw: Raw<'_>,
    out: &mut Vec<Event>,
) -> Result<(), NeedRaw> {
    let ctx = item_ctx(entry, item, raw)?;
    let before = out.len();
    let mut unmapped: Option<&str> = None;
    if let Some(m) = &item.message {
        if !message(&ctx, m, || raw.field("message"), out)? {
            unmapped = unmapped.or(Some("message"));
        }
    }
    if let Some(e) = &item.message_edit {
        if !message_edit(&ctx, e, || raw.field("message_edit"), out)? {
            unmapped = unmapped.or(Some("message_edit"));
        }
    }
    if let Some(r) = &item.reaction {
        if !reaction(&ctx, r, out) {
            unmapped = unmapped.or(Some("reaction"));
        }
    }
    if let Some(r) = &item.read {
        out.push(read(&ctx, r));
    }
    if let Some(d) = &item.delivery {
        out.push(delivery(&ctx, d));
    }
    if let Some(p) = &item.postback {
        postback(&ctx, p, out);
    }
    if let Some(r) = &item.referral {
        let key = ctx.key(format_args!("referral:{}:{}", ctx.who, ctx.stamp));
        out.push(ctx.event(
            key,
            EventKind::Referral {
                referral: referral(r),
            },
        ));
    }
    if let Some(o) = &item.optin {
        out.push(optin(&ctx, o));
    }
    if unmapped.is_some() || !item.other.is_empty() || out.len() == before {
        let kind = unmapped
            .or(item.other.first().map(|k| k.as_ref()))
            .unwrap_or("messaging");
        out.push(entry.unsupported(
            kind,
            raw.value()?,
            ctx.contact.clone(),
            Some(ctx.occurred_at),
        ));
    }
    Ok(())
}

/// The first key of an item that is not `sender`/`recipient`/`timestamp`.
fn first_event_key(value: &serde_json::Value) -> Option<&str> {
    value
        .as_object()?
        .keys()
        .map(String::as_str)
        .find(|k| !matches!(*k, "sender" | "recipient" | "timestamp"))
}

fn item_ctx<'e, 'o, 'i>(
    entry: &'e EntryCtx<'o>,
    item: &'i Item<'_>,
    raw: Raw<'_>,
) -> Result<ItemCtx<'e, 'o, 'i>, NeedRaw> {
    fn id_of<'i>(p: &'i Option<Party<'_>>) -> Option<&'i str> {
        p.as_ref()
            .and_then(|p| p.id.as_ref())
            .map(|id| id.as_str().trim())
            .filter(|id| !id.is_empty())
    }
    let account = Some(entry.account.as_str());
    let sender_is_account = id_of(&item.sender) == account;
    let recipient_is_account = id_of(&item.recipient) == account;
    let echo = item.message.as_ref().and_then(|m| m.is_echo) == Some(true);
    let by_this_app = echo
        && entry.options.app_id.as_deref().is_some_and(|ours| {
            item.message
                .as_ref()
                .and_then(|m| m.app_id.as_ref())
                .is_some_and(|app| app.as_str() == ours)
        });
    let from_business = echo || sender_is_account;
    // The contact is the party that is not the account; when ids do not tell (test
    // payloads), the recipient of an echo and the sender of anything else.
    let party = if recipient_is_account && !sender_is_account {
        &item.sender
    } else if from_business {
        &item.recipient
    } else {
        &item.sender
    };
    let contact_id = id_of(party);
    let who = match (contact_id, party.as_ref().and_then(|p| p.user_ref.as_ref())) {
        (Some(id), _) => Who::Id(id),
        (None, Some(user_ref)) => Who::UserRef(user_ref.as_str()),
        (None, None) => Who::Nobody,
    };
    let contact = contact_id.map(|id| ContactRef {
        identity: match entry.channel {
            Channel::Instagram => ChannelIdentity::Instagram { igsid: id.into() },
            _ => ChannelIdentity::Messenger { psid: id.into() },
        },
        display_name: None,
        phone: None,
    });
    let stamp = match item.timestamp.0 {
        Some(t) => StampKey::Millis(t.timestamp_millis()),
        None => {
            let digest = Sha256::digest(raw.get()?.get().as_bytes());
            let mut h = [0u8; 8];
            h.copy_from_slice(&digest[..8]);
            StampKey::Hash(h)
        }
    };
    Ok(ItemCtx {
        entry,
        occurred_at: item
            .timestamp
            .0
            .or(entry.entry_time)
            .unwrap_or(entry.options.received_at),
        contact,
        who,
        from_business,
        by_this_app,
        stamp,
    })
}

/// A message, an echo or an unsend. False when it has no `mid`.
fn message(
    ctx: &ItemCtx<'_, '_, '_>,
    m: &wire::Message<'_>,
    raw_message: impl Fn() -> Result<RawJson, NeedRaw>,
    out: &mut Vec<Event>,
) -> Result<bool, NeedRaw> {
    let Some(mid) = m.mid.as_deref().filter(|mid| !mid.is_empty()) else {
        return Ok(false);
    };
    if m.is_deleted == Some(true) {
        let key = ctx.key(format_args!("deleted:{mid}"));
        out.push(ctx.event(
            key,
            EventKind::MessageDeleted {
                message_id: mid.into(),
            },
        ));
        return Ok(true);
    }
    let (direction, author) = ctx.direction();
    let reply_to = m.reply_to.as_ref().and_then(|r| match (&r.mid, &r.story) {
        (Some(mid), _) => Some(MessageId::new(mid.as_ref())),
        (None, Some(story)) => story
            .id
            .as_ref()
            .map(|id| id.as_str())
            .or(story.url.as_deref())
            .map(|s| MessageId::new(format!("story:{s}"))),
        (None, None) => None,
    });
    let mut referral = m.referral.as_deref().map(referral);
    for (i, content) in content::parts(m, raw_message)?.into_iter().enumerate() {
        let id = if i == 0 {
            mid.to_owned()
        } else {
            format!("{mid}#{i}")
        };
        let key = ctx.key(format_args!("msg:{id}"));
        out.push(ctx.event(
            key,
            EventKind::Message {
                message_id: id.into(),
                direction,
                author,
                content,
                reply_to: reply_to.clone(),
                forwarded: false,
                referral: referral.take(),
            },
        ));
    }
    Ok(true)
}

/// An edit. False when it has no `mid`.
fn message_edit(
    ctx: &ItemCtx<'_, '_, '_>,
    e: &wire::MessageEdit<'_>,
    raw_edit: impl Fn() -> Result<RawJson, NeedRaw>,
    out: &mut Vec<Event>,
) -> Result<bool, NeedRaw> {
    let Some(mid) = e.mid.as_deref().filter(|mid| !mid.is_empty()) else {
        return Ok(false);
    };
    let content = match &e.text {
        Some(text) => MessageContent::Text {
            body: normalize_text(text),
        },
        None => MessageContent::Unsupported {
            kind: "message_edit".into(),
            raw: raw_edit()?,
        },
    };
    let key = match &e.num_edit {
        Some(n) => ctx.key(format_args!("edit:{mid}:{}", n.as_str())),
        None => ctx.key(format_args!("edit:{mid}:{}", ctx.stamp)),
    };
    out.push(ctx.event(
        key,
        EventKind::MessageEdited {
            message_id: mid.into(),
            content,
        },
    ));
    Ok(true)
}

/// A reaction or its removal, as a message with reaction content. False when it
/// names no message.
fn reaction(ctx: &ItemCtx<'_, '_, '_>, r: &wire::Reaction<'_>, out: &mut Vec<Event>) -> bool {
    let Some(target) = r.mid.as_deref().filter(|mid| !mid.is_empty()) else {
        return false;
    };
    let action = r.action.as_deref().unwrap_or("react");
    let emoji = if action == "unreact" {
        String::new()
    } else {
        r.emoji
            .as_deref()
            .or(r.reaction.as_deref())
            .unwrap_or_default()
            .to_owned()
    };
    let (direction, author) = ctx.direction();
    let id = format!("reaction:{}:{target}:{}", ctx.who, ctx.stamp);
    let key = ctx.key(format_args!("{id}:{action}"));
    out.push(ctx.event(
        key,
        EventKind::Message {
            message_id: id.into(),
            direction,
            author,
            content: MessageContent::Reaction {
                message_id: target.into(),
                emoji,
            },
            reply_to: None,
            forwarded: false,
            referral: None,
        },
    ));
    true
}

/// A read: a watermark (Messenger) or a read status of one message (Instagram).
fn read(ctx: &ItemCtx<'_, '_, '_>, r: &wire::Read<'_>) -> Event {
    match (r.watermark.0, r.mid.as_deref()) {
        (None, Some(mid)) => ctx.event(
            ctx.key(format_args!("read:{}:{mid}", ctx.who)),
            EventKind::Status {
                message_id: mid.into(),
                status: DeliveryStatus::Read,
                errors: Vec::new(),
                billing: None,
            },
        ),
        (watermark, _) => {
            let key = match watermark {
                Some(w) => ctx.key(format_args!("read:{}:{}", ctx.who, w.timestamp_millis())),
                None => ctx.key(format_args!("read:{}:{}", ctx.who, ctx.stamp)),
            };
            ctx.event(
                key,
                EventKind::Read {
                    watermark: watermark.unwrap_or(ctx.occurred_at),
                },
            )
        }
    }
}

fn delivery(ctx: &ItemCtx<'_, '_, '_>, d: &wire::Delivery<'_>) -> Event {
    let key = match d.watermark.0 {
        Some(w) => ctx.key(format_args!(
            "delivery:{}:{}",
            ctx.who,
            w.timestamp_millis()
        )),
        None => ctx.key(format_args!("delivery:{}:{}", ctx.who, ctx.stamp)),
    };
    ctx.event(
        key,
        EventKind::Delivered {
            watermark: d.watermark.0.unwrap_or(ctx.occurred_at),
            message_ids: d
                .mids
                .iter()
                .flatten()
                .map(|m| MessageId::new(m.as_ref()))
                .collect(),
        },
    )
}

/// A postback, and a referral event when it carries one (m.me link or ad that led to
/// a Get Started tap).
fn postback(ctx: &ItemCtx<'_, '_, '_>, p: &wire::Postback<'_>, out: &mut Vec<Event>) {
    let key = match p.mid.as_deref().filter(|m| !m.is_empty()) {
        Some(mid) => ctx.key(format_args!("postback:{mid}")),
        None => ctx.key(format_args!("postback:{}:{}", ctx.who, ctx.stamp)),
    };
    let referral_event = p.referral.as_ref().map(|r| {
        ctx.event(
            format!("{key}:referral"),
            EventKind::Referral {
                referral: referral(r),
            },
        )
    });
    out.push(
        ctx.event(
            key,
            EventKind::Postback {
                payload: p.payload.as_deref().unwrap_or_default().to_owned(),
                title: p
                    .title
                    .as_deref()
                    .filter(|t| !t.is_empty())
                    .map(normalize_text),
                message_id: None,
            },
        ),
    );
    out.extend(referral_event);
}

fn referral(r: &wire::Referral<'_>) -> arichat_core::Referral {
    let owned = |s: &Option<std::borrow::Cow<'_, str>>| s.as_deref().map(str::to_owned);
    let ads = r.ads_context_data.as_ref();
    arichat_core::Referral {
        source_url: owned(&r.referer_uri),
        source_id: r
            .ad_id
            .as_ref()
            .or(ads.and_then(|a| a.post_id.as_ref()))
            .or(r.product.as_ref().and_then(|p| p.id.as_ref()))
            .map(|id| id.as_str().to_owned()),
        source_type: owned(&r.source),
        headline: ads.and_then(|a| owned(&a.ad_title)),
        ctwa_clid: None,
        r#ref: owned(&r.r#ref),
    }
}

/// An opt-in; a marketing-messages `STOP_NOTIFICATIONS` is an opt-out.
fn optin(ctx: &ItemCtx<'_, '_, '_>, o: &wire::Optin<'_>) -> Event {
    let signal = match o.notification_messages_status.as_deref() {
        Some("STOP_NOTIFICATIONS") => ConsentSignal::OptOut,
        _ => ConsentSignal::OptIn,
    };
    let who = match (&ctx.who, &o.user_ref) {
        (Who::Nobody, Some(user_ref)) => Who::UserRef(user_ref.as_str()),
        (Who::Id(id), _) => Who::Id(id),
        (Who::UserRef(r), _) => Who::UserRef(r),
        (Who::Nobody, None) => Who::Nobody,
    };
    let key = match o.notification_messages_status.as_deref() {
        Some(status) => ctx.key(format_args!("optin:{who}:{}:{status}", ctx.stamp)),
        None => ctx.key(format_args!("optin:{who}:{}", ctx.stamp)),
    };
    let detail = o
        .r#ref
        .as_deref()
        .or(o.notification_messages_token.as_deref())
        .or(o.payload.as_deref())
        .map(str::to_owned);
    ctx.event(key, EventKind::Consent { signal, detail })
}

#[cfg(test)]
mod tests;
