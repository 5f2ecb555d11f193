//! Typed WhatsApp items -> [`Event`]s.

use arichat_core::{
    AuthorKind, Bsuid, Channel, ChannelAccountId, ChannelIdentity, ConsentSignal, ContactRef,
    DeliveryStatus, Direction, Event, EventKind, GroupId, IdentityChange, MessageContent,
    MessageId, PhoneNumber, RawJson, Referral, WaUsername, WhatsappIdentity,
};
use chrono::{DateTime, TimeZone, Utc};
use serde_json::Value;

use super::contacts::ContactList;
use super::content::{content, text};
use super::wire;
use crate::borrowed::Str;
use crate::key::KeyBuilder;
use crate::lenient::UnixSeconds;
use crate::NormalizeOptions;

/// What every item of one change shares.
pub(crate) struct Scope<'a> {
    /// `metadata.phone_number_id` (or the WABA id).
    pub account: ChannelAccountId,
    /// The change's `contacts[]`.
    pub contacts: ContactList<'a>,
    /// The entry's `time`, when sent.
    pub entry_time: Option<DateTime<Utc>>,
    pub options: &'a NormalizeOptions,
}

fn at(stamp: UnixSeconds, options: &NormalizeOptions) -> DateTime<Utc> {
    time(stamp).unwrap_or(options.received_at)
}

/// Unix seconds to UTC, `None` when absent or out of range.
pub(crate) fn time(stamp: UnixSeconds) -> Option<DateTime<Utc>> {
    stamp.0.and_then(|s| Utc.timestamp_opt(s, 0).single())
}

/// `whatsapp:<account>:<what>:<id>[:<id>...]`.
fn key(scope: &Scope<'_>, what: &str, ids: &[&str]) -> String {
    let more = 1 + what.len() + ids.iter().map(|id| id.len() + 1).sum::<usize>();
    let key = KeyBuilder::new(Channel::Whatsapp, scope.account.as_str(), more).part(what);
    ids.iter().fold(key, |key, id| key.part(id)).finish()
}

/// The contact for a user addressed by `wa_id` and/or business-scoped `user_id`,
/// with the profile (name, username) and any ids the matching `contacts[]` entry adds.
/// When the item names nobody and the change lists exactly one contact, that contact.
///
/// Each id goes to its own field of [`WhatsappIdentity`]: a BSUID never becomes a
/// `wa_id`. An id that does not validate is left out; a user with no valid id at all
/// has no contact.
fn contact(scope: &Scope<'_>, ids: Ids<'_>) -> Option<ContactRef> {
    let Ids {
        wa_id,
        user_id,
        parent_user_id,
    } = ids;
    let profile = scope.contacts.find(wa_id, user_id).or_else(|| {
        (wa_id.is_none() && user_id.is_none())
            .then(|| scope.contacts.only())
            .flatten()
    });
    let wa_id = wa_id.or_else(|| profile.and_then(|p| p.wa_id.as_deref()));
    let user_id = user_id.or_else(|| profile.and_then(|p| p.user_id.as_deref()));
    let parent_user_id =
        parent_user_id.or_else(|| profile.and_then(|p| p.parent_user_id.as_deref()));
    let username = profile.and_then(|p| p.profile.as_ref()?.username.as_deref());
    let identity = whatsapp_identity(wa_id, user_id, parent_user_id, username)?;
    let phone = identity
        .wa_id()
        .and_then(|w| PhoneNumber::from_wa_id(w).ok());
    Some(ContactRef {
        identity: ChannelIdentity::Whatsapp(identity),
        display_name: text(profile.and_then(|p| p.profile.as_ref()?.name.as_deref())),
        phone,
    })
}

/// The ids of one user as an item names them.
#[derive(Clone, Copy, Default)]
pub(crate) struct Ids<'a> {
    pub wa_id: Option<&'a str>,
    pub user_id: Option<&'a str>,
    pub parent_user_id: Option<&'a str>,
}

/// The identity from the ids a payload carries, each kept only when it validates
/// (a placeholder `wa_id` in vendor examples is kept; a BSUID sent as `from` moves
/// to `user_id`).
pub(crate) fn whatsapp_identity(
    wa_id: Option<&str>,
    user_id: Option<&str>,
    parent_user_id: Option<&str>,
    username: Option<&str>,
) -> Option<WhatsappIdentity> {
    // Every id valid (nearly every item): the identity they make, each id read once.
    // `new` refuses a BSUID as `wa_id`, so this is never the case the swap below serves;
    // validating each id first, then building, read every id twice (the identity was
    // 4 % of WhatsApp normalize time, perf).
    if let Ok(identity) = WhatsappIdentity::new(wa_id, user_id, parent_user_id, username) {
        return Some(identity);
    }
    let (wa_id, user_id) = match (wa_id, user_id) {
        (Some(w), None) if Bsuid::looks_like(w) => (None, Some(w)),
        other => other,
    };
    let wa_id = wa_id.filter(|w| WhatsappIdentity::from_wa_id(w).is_ok());
    let user_id = user_id.filter(|b| Bsuid::parse(b).is_ok_and(|b| !b.is_parent()));
    let parent_user_id = parent_user_id.filter(|b| Bsuid::looks_like(b));
    let username = username.filter(|u| WaUsername::parse(u).is_ok());
    WhatsappIdentity::new(wa_id, user_id, parent_user_id, username).ok()
}

/// An unsupported event for one raw item of the change, dated by the item's
/// `timestamp` (`stamp`), else the entry's `time`.
pub(crate) fn unsupported(
    scope: &Scope<'_>,
    kind: &str,
    raw: RawJson,
    stamp: UnixSeconds,
) -> Event {
    crate::unsupported::event(
        Channel::Whatsapp,
        scope.account.clone(),
        kind,
        raw,
        time(stamp).or(scope.entry_time),
        scope.options,
    )
}

/// Value-level `errors` (a webhook WhatsApp could not deliver in full), dated like
/// `sibling`, the first event of the same change, when there is one: the errors carry
/// no time of their own.
pub(crate) fn value_errors(
    scope: &Scope<'_>,
    errors: Vec<Value>,
    sibling: Option<&Event>,
) -> Event {
    let raw = RawJson::of(&serde_json::json!({ "errors": errors }));
    let mut e = unsupported(scope, "errors", raw, UnixSeconds::default());
    if let Some(s) = sibling {
        e.occurred_at = s.occurred_at;
    }
    e
}

/// One `calls[]` item: kept whole as `unsupported` (kind `call`), with the contact
/// (the caller, or the callee of a business-initiated call) and the item's time.
pub(crate) fn call(scope: &Scope<'_>, c: wire::Call, raw: RawJson) -> Event {
    let contact = if c.direction.as_deref() == Some("BUSINESS_INITIATED") {
        contact(
            scope,
            Ids {
                wa_id: c.to.as_deref(),
                user_id: c.to_user_id.as_deref(),
                parent_user_id: None,
            },
        )
    } else {
        contact(
            scope,
            Ids {
                wa_id: c.from.as_deref(),
                user_id: c.from_user_id.as_deref(),
                parent_user_id: None,
            },
        )
    };
    let mut e = unsupported(scope, "call", raw, c.timestamp);
    e.contact = contact;
    e
}

/// One `user_preferences[]` item: a marketing-messages `stop` is an opt-out,
/// `resume` and `signup` an opt-in (detail `marketing_messages:<value>`); any other
/// category or value is kept `unsupported` (kind `user_preferences`).
pub(crate) fn preference(scope: &Scope<'_>, p: wire::UserPreference, raw: RawJson) -> Event {
    let who = contact(
        scope,
        Ids {
            wa_id: p.wa_id.as_deref(),
            user_id: p.user_id.as_deref(),
            parent_user_id: None,
        },
    );
    let signal = match (p.category.as_deref(), p.value.as_deref()) {
        (Some("marketing_messages"), Some("stop")) => Some(ConsentSignal::OptOut),
        (Some("marketing_messages"), Some("resume" | "signup")) => Some(ConsentSignal::OptIn),
        _ => None,
    };
    let (Some(signal), Some(c), Some(at)) = (signal, &who, time(p.timestamp)) else {
        let mut e = unsupported(scope, "user_preferences", raw, p.timestamp);
        e.contact = who;
        return e;
    };
    let category = p.category.as_deref().unwrap_or_default();
    let value = p.value.as_deref().unwrap_or_default();
    let stamp = at.timestamp().to_string();
    Event::new(
        key(scope, "pref", &[c.identity.id(), category, value, &stamp]),
        Channel::Whatsapp,
        scope.account.clone(),
        who,
        at,
        EventKind::Consent {
            signal,
            detail: Some(format!("{category}:{value}")),
        },
    )
}

/// WhatsApp error 131050: the user stopped marketing messages from the business.
const MARKETING_STOPPED: i64 = 131_050;

/// The opt-out a failed status proves: error 131050, read as the send client reads
/// it (`VendorError::consent_change`), with the status's contact and time. Emitted
/// after the status itself.
pub(crate) fn status_opt_out(status: &Event) -> Option<Event> {
    let EventKind::Status {
        status: DeliveryStatus::Failed,
        errors,
        ..
    } = &status.kind
    else {
        return None;
    };
    let stopped = errors
        .iter()
        .any(|e| e.get("code").and_then(Value::as_i64) == Some(MARKETING_STOPPED));
    stopped.then(|| {
        Event::new(
            format!("{}:opt_out", status.idempotency_key),
            Channel::Whatsapp,
            status.channel_account_id.clone(),
            status.contact.clone(),
            status.occurred_at,
            EventKind::Consent {
                signal: ConsentSignal::OptOut,
                detail: Some(format!("whatsapp error {MARKETING_STOPPED}")),
            },
        )
    })
}

fn referral(m: &mut wire::Message) -> Option<Referral> {
    if let Some(r) = m.referral.take() {
        return Some(Referral {
            source_url: r.source_url.map(Str::into_owned),
            source_id: r.source_id.map(Str::into_owned),
            source_type: r.source_type.map(Str::into_owned),
            headline: text(r.headline.as_deref()),
            ctwa_clid: r.ctwa_clid.map(Str::into_owned),
            r#ref: None,
        });
    }
    let p = m.context.as_mut()?.referred_product.take()?;
    Some(Referral {
        source_type: Some("referred_product".into()),
        source_id: p.product_retailer_id.map(Str::into_owned),
        r#ref: p.catalog_id.map(Str::into_owned),
        ..Referral::default()
    })
}

/// One message (`outbound` for an `smb_message_echoes` echo). `raw` gives the item's
/// JSON, fetched only for content arichat does not model.
pub(crate) fn message(
    scope: &Scope<'_>,
    m: &mut wire::Message,
    outbound: bool,
    raw: impl FnOnce() -> RawJson,
) -> Event {
    let Some(id) = m.id.take() else {
        return unsupported(scope, "message", raw(), m.timestamp);
    };
    let ids = if outbound {
        Ids {
            wa_id: m.to.as_deref(),
            user_id: m.to_user_id.as_deref(),
            parent_user_id: m.to_parent_user_id.as_deref(),
        }
    } else {
        Ids {
            wa_id: m.from.as_deref(),
            user_id: m.from_user_id.as_deref(),
            parent_user_id: m.from_parent_user_id.as_deref(),
        }
    };
    let contact = contact(scope, ids);
    let group = m
        .group_id
        .take()
        .filter(|g| !g.is_empty())
        .map(GroupId::new);
    let occurred_at = at(m.timestamp, scope.options);
    let idempotency_key = key(scope, "msg", &[&id]);
    let edit = m.edit.take().filter(|_| m.kind.as_deref() == Some("edit"));
    let revoke = m
        .revoke
        .take()
        .filter(|_| m.kind.as_deref() == Some("revoke"));
    let changes = if outbound {
        Vec::new()
    } else {
        identity_changes(m)
    };
    let kind = match (edit, revoke) {
        (Some(mut edit), _) => EventKind::MessageEdited {
            message_id: MessageId::new(edit.original_message_id),
            content: content(&mut edit.message).unwrap_or_else(|kind| {
                MessageContent::Unsupported {
                    kind,
                    raw: crate::fields::readable(raw()),
                }
            }),
        },
        (None, Some(revoke)) => EventKind::MessageDeleted {
            message_id: MessageId::new(revoke.original_message_id),
        },
        (None, None) if !changes.is_empty() => EventKind::IdentityChanged { changes },
        (None, None) => {
            let system = m.kind.as_deref() == Some("system");
            let referral = referral(m);
            let (reply_to, forwarded) = match m.context.as_mut() {
                Some(c) => (
                    c.id.take().map(MessageId::new),
                    c.forwarded || c.frequently_forwarded,
                ),
                None => (None, false),
            };
            let content = content(m).unwrap_or_else(|kind| MessageContent::Unsupported {
                kind,
                raw: crate::fields::readable(raw()),
            });
            let (direction, author) = match (outbound, system) {
                (true, _) => (Direction::Outbound, AuthorKind::Agent),
                (false, true) => (Direction::Inbound, AuthorKind::System),
                (false, false) => (Direction::Inbound, AuthorKind::Client),
            };
            EventKind::Message {
                message_id: MessageId::new(id),
                direction,
                author,
                content,
                reply_to,
                forwarded,
                referral,
            }
        }
    };
    Event::new(
        idempotency_key,
        Channel::Whatsapp,
        scope.account.clone(),
        contact,
        occurred_at,
        kind,
    )
    .in_group(group)
}

/// The changes a `user_changed_user_id` / `user_changed_number` system message
/// announces, when its ids validate (else the notice stays a system text message).
fn identity_changes(m: &wire::Message) -> Vec<IdentityChange> {
    let mut changes = Vec::new();
    let Some(system) = m
        .system
        .as_ref()
        .filter(|_| m.kind.as_deref() == Some("system"))
    else {
        return changes;
    };
    let bsuid = |b: Option<&str>| b.and_then(|b| b.parse::<Bsuid>().ok());
    match system.kind.as_deref() {
        Some("user_changed_user_id") => {
            if let Some(new) = bsuid(system.user_id.as_deref()).filter(|b| !b.is_parent()) {
                changes.push(IdentityChange::UserId {
                    old: bsuid(m.from_user_id.as_deref()),
                    new,
                });
            }
            if let Some(new) = bsuid(system.parent_user_id.as_deref()) {
                changes.push(IdentityChange::ParentUserId {
                    old: bsuid(m.from_parent_user_id.as_deref()),
                    new,
                });
            }
        }
        Some("user_changed_number") => {
            let new = system
                .wa_id
                .as_deref()
                .filter(|w| WhatsappIdentity::from_wa_id(w).is_ok());
            if let Some(new) = new {
                let old = m.from.as_deref().filter(|w| !Bsuid::looks_like(w));
                changes.push(IdentityChange::WaId {
                    old: old.map(str::to_owned),
                    new: new.to_owned(),
                });
            }
        }
        _ => {}
    }
    changes
}

/// One `user_id_update[]` item: an `identity_changed` event whose contact carries the
/// previous ids, with one change per id that changed. `None` when no change validates.
pub(crate) fn user_id_update(scope: &Scope<'_>, u: wire::UserIdUpdate) -> Option<Event> {
    fn change(t: Option<&wire::Transition>) -> Option<(Option<Bsuid>, Bsuid)> {
        let t = t?;
        let new = t.current.as_deref()?.parse().ok()?;
        Some((t.previous.as_deref().and_then(|b| b.parse().ok()), new))
    }
    let user = change(u.user_id.as_ref());
    let parent = change(u.parent_user_id.as_ref());
    let mut changes = Vec::new();
    if let Some((old, new)) = user.clone() {
        changes.push(IdentityChange::UserId { old, new });
    }
    if let Some((old, new)) = parent.clone() {
        changes.push(IdentityChange::ParentUserId { old, new });
    }
    if changes.is_empty() {
        return None;
    }
    let old_user = user
        .as_ref()
        .and_then(|(old, _)| old.as_ref())
        .map(Bsuid::as_str);
    let old_parent = parent
        .as_ref()
        .and_then(|(old, _)| old.as_ref())
        .map(Bsuid::as_str);
    let contact = contact(
        scope,
        Ids {
            wa_id: u.wa_id.as_deref(),
            user_id: old_user,
            parent_user_id: old_parent,
        },
    );
    let new_ids: Vec<&str> = [&user, &parent]
        .into_iter()
        .flatten()
        .map(|(_, new)| new.as_str())
        .collect();
    Some(Event::new(
        key(scope, "user_id_update", &new_ids),
        Channel::Whatsapp,
        scope.account.clone(),
        contact,
        at(u.timestamp, scope.options),
        EventKind::IdentityChanged { changes },
    ))
}

/// One `statuses[]` item.
pub(crate) fn status(scope: &Scope<'_>, s: wire::Status, raw: impl FnOnce() -> RawJson) -> Event {
    let delivery = match s.status.as_str() {
        "sent" => DeliveryStatus::Sent,
        "delivered" => DeliveryStatus::Delivered,
        // A voice note played has been read.
        "read" | "played" => DeliveryStatus::Read,
        "failed" => DeliveryStatus::Failed,
        other => return unsupported(scope, &format!("status:{other}"), raw(), s.timestamp),
    };
    // A status of a message sent to a group names the group as its recipient and the
    // participant it concerns beside it.
    let group = (s.recipient_type.as_deref() == Some("group"))
        .then(|| s.recipient_id.clone().map(GroupId::new))
        .flatten();
    let ids = if s.recipient_type.as_deref() == Some("group") {
        Ids {
            wa_id: s.recipient_participant_id.as_deref(),
            user_id: s.recipient_participant_user_id.as_deref(),
            parent_user_id: s.recipient_participant_parent_user_id.as_deref(),
        }
    } else {
        Ids {
            wa_id: s.recipient_id.as_deref(),
            user_id: s.recipient_user_id.as_deref(),
            parent_user_id: s.recipient_parent_user_id.as_deref(),
        }
    };
    let contact = contact(scope, ids);
    let billing = match (s.conversation, s.pricing) {
        (None, None) => None,
        (conversation, pricing) => {
            let mut b = serde_json::Map::new();
            if let Some(c) = conversation {
                b.insert("conversation".into(), c);
            }
            if let Some(p) = pricing {
                b.insert("pricing".into(), p);
            }
            Some(Value::Object(b))
        }
    };
    Event::new(
        key(scope, "status", &[&s.id, &s.status]),
        Channel::Whatsapp,
        scope.account.clone(),
        contact,
        at(s.timestamp, scope.options),
        EventKind::Status {
            message_id: MessageId::new(s.id),
            status: delivery,
            errors: s.errors.unwrap_or_default(),
            billing,
        },
    )
    .in_group(group)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ChannelError;
    use serde_json::json;

    fn opts() -> NormalizeOptions {
        NormalizeOptions::new(Utc.with_ymd_and_hms(2030, 1, 1, 0, 0, 0).unwrap())
    }

    fn run(body: &Value) -> Vec<Event> {
        crate::normalize(Channel::Whatsapp, body.to_string().as_bytes(), &opts()).unwrap()
    }

    /// One `messages` change with `value` (metadata added).
    fn body(mut value: Value) -> Value {
        value["metadata"] =
            json!({"display_phone_number": "15550001111", "phone_number_id": "PN1"});
        json!({"object": "whatsapp_business_account", "entry": [{"id": "WABA1", "changes": [
            {"field": "messages", "value": value}]}]})
    }

    fn inbound(message: Value) -> Event {
        let b = body(json!({
            "contacts": [{"profile": {"name": "Ana\u{7} Pe\u{301}rez"}, "wa_id": "573001234567"}],
            "messages": [message]
        }));
        let mut events = run(&b);
        assert_eq!(events.len(), 1, "{events:?}");
        events.remove(0)
    }

    fn msg(kind: &str, payload: Value) -> Value {
        let mut m = json!({"from": "573001234567", "id": "wamid.A", "timestamp": "1700000000", "type": kind});
        if !payload.is_null() {
            m[kind] = payload;
        }
        m
    }

    fn content_of(e: &Event) -> &MessageContent {
        match &e.kind {
            EventKind::Message { content, .. } => content,
            other => panic!("not a message: {other:?}"),
        }
    }

    #[test]
    fn text_message_maps_contact_key_time_and_context() {
        let mut m = msg("text", json!({"body": "hola\r\nqué tal\u{0}"}));
        m["context"] =
            json!({"from": "15550001111", "id": "wamid.PREV", "frequently_forwarded": true});
        let e = inbound(m);
        assert_eq!(e.idempotency_key, "whatsapp:PN1:msg:wamid.A");
        assert_eq!(e.channel, Channel::Whatsapp);
        assert_eq!(e.channel_account_id.as_str(), "PN1");
        assert_eq!(e.occurred_at, Utc.timestamp_opt(1_700_000_000, 0).unwrap());
        let c = e.contact.as_ref().unwrap();
        assert_eq!(c.identity.id(), "573001234567");
        assert_eq!(c.display_name.as_deref(), Some("Ana Pérez"));
        assert_eq!(c.phone.as_ref().unwrap().as_str(), "+573001234567");
        assert!(e.is_inbound_message());
        let EventKind::Message {
            message_id,
            author,
            content,
            reply_to,
            forwarded,
            referral,
            ..
        } = &e.kind
        else {
            panic!()
        };
        assert_eq!(message_id.as_str(), "wamid.A");
        assert_eq!(*author, AuthorKind::Client);
        assert_eq!(
            *content,
            MessageContent::Text {
                body: "hola\nqué tal".into()
            }
        );
        assert_eq!(reply_to.as_ref().unwrap().as_str(), "wamid.PREV");
        assert!(*forwarded);
        assert!(referral.is_none());
    }

    #[test]
    fn ad_referral_and_referred_product() {
        let mut m = msg("text", json!({"body": "info"}));
        m["referral"] = json!({"source_url": "https://fb.me/x", "source_id": "AD1", "source_type": "ad",
            "headline": "Promo", "body": "b", "media_type": "image", "ctwa_clid": "CLID"});
        let EventKind::Message { referral, .. } = inbound(m).kind else {
            panic!()
        };
        assert_eq!(
            referral.unwrap(),
            Referral {
                source_url: Some("https://fb.me/x".into()),
                source_id: Some("AD1".into()),
                source_type: Some("ad".into()),
                headline: Some("Promo".into()),
                ctwa_clid: Some("CLID".into()),
                r#ref: None
            }
        );
        let mut m = msg("text", json!({"body": "is it in stock?"}));
        m["context"] = json!({"from": "15550001111", "id": "wamid.P",
            "referred_product": {"catalog_id": "CAT", "product_retailer_id": "SKU-9"}});
        let EventKind::Message {
            referral, reply_to, ..
        } = inbound(m).kind
        else {
            panic!()
        };
        let r = referral.unwrap();
        assert_eq!(r.source_type.as_deref(), Some("referred_product"));
        assert_eq!(r.source_id.as_deref(), Some("SKU-9"));
        assert_eq!(r.r#ref.as_deref(), Some("CAT"));
        assert_eq!(reply_to.unwrap().as_str(), "wamid.P");
    }

    #[test]
    fn media_location_contacts_order_reaction() {
        let e = inbound(msg(
            "image",
            json!({"caption": "cafe\u{301}", "mime_type": "image/jpeg",
            "sha256": "h", "id": "M1", "url": "https://x/y"}),
        ));
        let MessageContent::Image(media) = content_of(&e) else {
            panic!()
        };
        assert_eq!(media.id.as_deref(), Some("M1"));
        assert_eq!(media.caption.as_deref(), Some("café"));
        assert_eq!(media.url.as_deref(), Some("https://x/y"));
        let e = inbound(msg(
            "document",
            json!({"filename": "a.pdf", "mime_type": "application/pdf", "id": "D"}),
        ));
        let MessageContent::Document(media) = content_of(&e) else {
            panic!()
        };
        assert_eq!(media.filename.as_deref(), Some("a.pdf"));
        for kind in ["audio", "video", "sticker"] {
            let e = inbound(msg(kind, json!({"id": "X", "mime_type": "m"})));
            let got = serde_json::to_value(content_of(&e)).unwrap();
            assert_eq!(got, json!({"type": kind, "id": "X", "mime_type": "m"}));
        }
        let e = inbound(msg(
            "location",
            json!({"latitude": "4.6", "longitude": -74.08, "name": "Bogotá"}),
        ));
        assert_eq!(
            *content_of(&e),
            MessageContent::Location {
                latitude: 4.6,
                longitude: -74.08,
                name: Some("Bogotá".into()),
                address: None
            }
        );
        let cards = json!([{"name": {"formatted_name": "Bo"}, "phones": [{"phone": "+1 555"}]}]);
        let e = inbound(msg("contacts", cards.clone()));
        assert_eq!(
            *content_of(&e),
            MessageContent::Contacts {
                contacts: cards.as_array().unwrap().clone()
            }
        );
        let e = inbound(msg(
            "order",
            json!({"catalog_id": "C", "text": "", "product_items": [{"product_retailer_id": "P", "quantity": 2}]}),
        ));
        assert_eq!(
            *content_of(&e),
            MessageContent::Order {
                catalog_id: "C".into(),
                items: vec![json!({"product_retailer_id": "P", "quantity": 2})],
                text: None
            }
        );
        let e = inbound(msg(
            "reaction",
            json!({"message_id": "wamid.R", "emoji": "👍"}),
        ));
        assert_eq!(
            *content_of(&e),
            MessageContent::Reaction {
                message_id: "wamid.R".into(),
                emoji: "👍".into()
            }
        );
        let e = inbound(msg("reaction", json!({"message_id": "wamid.R"})));
        assert_eq!(
            *content_of(&e),
            MessageContent::Reaction {
                message_id: "wamid.R".into(),
                emoji: String::new()
            }
        );
    }

    #[test]
    fn replies_to_buttons_lists_flows_and_templates() {
        let reply = |id: &str, title: &str| MessageContent::InteractiveReply {
            id: id.into(),
            title: title.into(),
            flow_name: None,
        };
        let e = inbound(msg(
            "interactive",
            json!({"type": "button_reply", "button_reply": {"id": "b1", "title": "Sí"}}),
        ));
        assert_eq!(*content_of(&e), reply("b1", "Sí"));
        let e = inbound(msg(
            "interactive",
            json!({"type": "list_reply", "list_reply": {"id": "r2", "title": "Row", "description": "d"}}),
        ));
        assert_eq!(*content_of(&e), reply("r2", "Row"));
        let e = inbound(msg(
            "interactive",
            json!({"type": "nfm_reply", "nfm_reply": {"response_json": "{\"flow_token\":\"T\"}", "body": "Sent", "name": "flow"}}),
        ));
        assert_eq!(
            *content_of(&e),
            MessageContent::InteractiveReply {
                id: "{\"flow_token\":\"T\"}".into(),
                title: "Sent".into(),
                flow_name: Some("flow".into()),
            }
        );
        let e = inbound(msg(
            "button",
            json!({"payload": "YES_PAYLOAD", "text": "Yes"}),
        ));
        assert_eq!(*content_of(&e), reply("YES_PAYLOAD", "Yes"));
        let m = msg(
            "interactive",
            json!({"type": "call_permission_reply", "call_permission_reply": {"response": "accept"}}),
        );
        let e = inbound(m.clone());
        assert_eq!(
            *content_of(&e),
            MessageContent::Unsupported {
                kind: "call_permission_reply".into(),
                raw: m.into()
            }
        );
    }

    #[test]
    fn system_unsupported_and_request_welcome() {
        // A number change is an identity change (old number from `from`)...
        let e = inbound(msg(
            "system",
            json!({"body": "User changed number", "wa_id": "573009999999", "type": "user_changed_number"}),
        ));
        assert_eq!(
            e.kind,
            EventKind::IdentityChanged {
                changes: vec![IdentityChange::WaId {
                    old: Some("573001234567".into()),
                    new: "573009999999".into()
                }]
            }
        );
        // ...unless its new id is not one (a BSUID as `wa_id`): then the notice is text.
        let e = inbound(msg(
            "system",
            json!({"body": "User changed number", "wa_id": "US.1", "type": "user_changed_number"}),
        ));
        let EventKind::Message {
            author, content, ..
        } = &e.kind
        else {
            panic!()
        };
        assert_eq!(*author, AuthorKind::System);
        assert_eq!(
            *content,
            MessageContent::Text {
                body: "User changed number".into()
            }
        );
        let mut m = msg("unsupported", json!({"type": "poll"}));
        m["errors"] = json!([{"code": 131051, "title": "Message type unknown"}]);
        let e = inbound(m.clone());
        assert_eq!(
            *content_of(&e),
            MessageContent::Unsupported {
                kind: "unsupported".into(),
                raw: m.into()
            }
        );
        let m = msg("request_welcome", Value::Null);
        let e = inbound(m.clone());
        assert!(e.is_inbound_message());
        assert_eq!(
            *content_of(&e),
            MessageContent::Unsupported {
                kind: "request_welcome".into(),
                raw: m.into()
            }
        );
        // A location whose coordinates are not numbers keeps the message, content unsupported.
        let m = msg("location", json!({"latitude": "LAT", "longitude": "LON"}));
        let e = inbound(m.clone());
        assert_eq!(
            *content_of(&e),
            MessageContent::Unsupported {
                kind: "location".into(),
                raw: m.into()
            }
        );
    }

    #[test]
    fn edits_and_revokes() {
        let e = inbound(msg(
            "edit",
            json!({"original_message_id": "wamid.O",
            "message": {"type": "text", "text": {"body": "fixed"}}}),
        ));
        assert_eq!(e.idempotency_key, "whatsapp:PN1:msg:wamid.A");
        assert_eq!(
            e.kind,
            EventKind::MessageEdited {
                message_id: "wamid.O".into(),
                content: MessageContent::Text {
                    body: "fixed".into()
                }
            }
        );
        let e = inbound(msg("revoke", json!({"original_message_id": "wamid.O"})));
        assert_eq!(
            e.kind,
            EventKind::MessageDeleted {
                message_id: "wamid.O".into()
            }
        );
        assert_eq!(e.contact.unwrap().identity.id(), "573001234567");
    }

    #[test]
    fn echoes_are_outbound_agent_messages_to_the_contact() {
        let b = json!({"object": "whatsapp_business_account", "entry": [{"id": "W", "changes": [{"field": "smb_message_echoes", "value": {
            "metadata": {"phone_number_id": "PN1"},
            "contacts": [{"profile": {"name": "Ana"}, "wa_id": "573001234567"}],
            "message_echoes": [{"from": "15550001111", "to": "573001234567", "id": "wamid.E", "timestamp": "1700000001", "type": "text", "text": {"body": "hi"}}]}}]}]});
        let e = run(&b).remove(0);
        let EventKind::Message {
            direction, author, ..
        } = &e.kind
        else {
            panic!()
        };
        assert_eq!(
            (*direction, *author),
            (Direction::Outbound, AuthorKind::Agent)
        );
        assert!(!e.is_inbound_message());
        let c = e.contact.unwrap();
        assert_eq!(
            (c.identity.id(), c.display_name.as_deref()),
            ("573001234567", Some("Ana"))
        );
    }

    #[test]
    fn statuses_with_billing_errors_played_groups_and_unknown() {
        let b = body(json!({"statuses": [
            {"id": "wamid.S", "status": "sent", "timestamp": 1700000002, "recipient_id": "573001234567",
             "conversation": {"id": "C1", "origin": {"type": "service"}}, "pricing": {"billable": true, "category": "service"}},
            {"id": "wamid.S", "status": "failed", "timestamp": "1700000003", "recipient_id": "573001234567",
             "errors": [{"code": 131047, "title": "Re-engagement message"}]},
            {"id": "wamid.V", "status": "played", "timestamp": "1700000004", "recipient_id": "573001234567"},
            {"id": "wamid.G", "status": "read", "timestamp": "1700000005", "recipient_id": "1203@g.us",
             "recipient_type": "group", "recipient_participant_id": "16505551234"},
            {"id": "wamid.D", "status": "deleted", "timestamp": "1700000006", "recipient_id": "573001234567"}
        ]}));
        let ev = run(&b);
        assert_eq!(ev.len(), 5);
        assert_eq!(ev[0].idempotency_key, "whatsapp:PN1:status:wamid.S:sent");
        assert_eq!(
            ev[0].occurred_at,
            Utc.timestamp_opt(1_700_000_002, 0).unwrap()
        );
        assert_eq!(
            ev[0]
                .contact
                .as_ref()
                .unwrap()
                .phone
                .as_ref()
                .unwrap()
                .as_str(),
            "+573001234567"
        );
        let EventKind::Status {
            message_id,
            status,
            errors,
            billing,
        } = &ev[0].kind
        else {
            panic!()
        };
        assert_eq!(
            (message_id.as_str(), *status),
            ("wamid.S", DeliveryStatus::Sent)
        );
        assert!(errors.is_empty());
        assert_eq!(billing.as_ref().unwrap()["conversation"]["id"], "C1");
        assert_eq!(billing.as_ref().unwrap()["pricing"]["category"], "service");
        let EventKind::Status {
            status,
            errors,
            billing,
            ..
        } = &ev[1].kind
        else {
            panic!()
        };
        assert_eq!(*status, DeliveryStatus::Failed);
        assert_eq!(errors[0]["code"], 131047);
        assert!(billing.is_none());
        assert_eq!(ev[2].idempotency_key, "whatsapp:PN1:status:wamid.V:played");
        assert!(matches!(
            ev[2].kind,
            EventKind::Status {
                status: DeliveryStatus::Read,
                ..
            }
        ));
        assert_eq!(ev[3].contact.as_ref().unwrap().identity.id(), "16505551234");
        let EventKind::Unsupported { vendor_kind, raw } = &ev[4].kind else {
            panic!()
        };
        assert_eq!(vendor_kind, "status:deleted");
        assert_eq!(raw.to_value()["id"], "wamid.D");
    }

    #[test]
    fn other_fields_and_value_errors_are_unsupported_with_their_json() {
        let b = json!({"object": "whatsapp_business_account", "entry": [
            {"id": "WABA1", "time": 1, "changes": [{"field": "account_update", "value": {"event": "ACCOUNT_DELETED"}}]},
            {"id": "WABA2", "changes": [{"field": "messages", "value": {"metadata": {"phone_number_id": "PN2"},
                "errors": [{"code": 131000, "title": "Something went wrong"}]}}]}]});
        let ev = run(&b);
        assert_eq!(ev.len(), 2);
        assert_eq!(ev[0].channel_account_id.as_str(), "WABA1");
        // Dated by the entry's `time`; the second entry has none.
        assert_eq!(ev[0].occurred_at, Utc.timestamp_opt(1, 0).unwrap());
        assert_eq!(ev[1].occurred_at, opts().received_at);
        let EventKind::Unsupported { vendor_kind, raw } = &ev[0].kind else {
            panic!()
        };
        assert_eq!(vendor_kind, "account_update");
        assert_eq!(
            *raw,
            json!({"field": "account_update", "value": {"event": "ACCOUNT_DELETED"}})
        );
        assert_eq!(ev[1].channel_account_id.as_str(), "PN2");
        let EventKind::Unsupported { vendor_kind, raw } = &ev[1].kind else {
            panic!()
        };
        assert_eq!(vendor_kind, "errors");
        assert_eq!(raw.to_value()["errors"][0]["code"], 131000);
    }

    #[test]
    fn many_entries_changes_and_messages_keep_order() {
        let one = |id: &str, pn: &str| {
            json!({"field": "messages", "value": {"metadata": {"phone_number_id": pn},
            "messages": [msg("text", json!({"body": id})), {"from": "573001234567", "id": format!("{id}b"), "timestamp": "1", "type": "text", "text": {"body": "b"}}]}})
        };
        let b = json!({"object": "whatsapp_business_account", "entry": [
            {"id": "W1", "changes": [one("x", "P1"), one("y", "P2")]},
            {"id": "W2", "changes": [one("z", "P3")]}]});
        let keys: Vec<String> = run(&b).into_iter().map(|e| e.idempotency_key).collect();
        assert_eq!(
            keys,
            [
                "whatsapp:P1:msg:wamid.A",
                "whatsapp:P1:msg:xb",
                "whatsapp:P2:msg:wamid.A",
                "whatsapp:P2:msg:yb",
                "whatsapp:P3:msg:wamid.A",
                "whatsapp:P3:msg:zb"
            ]
        );
    }

    #[test]
    fn one_malformed_item_does_not_fail_the_others() {
        let b = body(json!({
            "contacts": [{"profile": {"name": "Ana"}, "wa_id": "573001234567"}],
            "messages": [msg("text", json!({"body": "ok"})), {"id": 42, "type": "text"}, "garbage"],
            "statuses": [{"id": "wamid.S", "status": "read", "timestamp": "x"}, {"status": 1}]
        }));
        let ev = run(&b);
        assert_eq!(ev.len(), 5);
        assert_eq!(
            *content_of(&ev[0]),
            MessageContent::Text { body: "ok".into() }
        );
        assert_eq!(
            ev[0].contact.as_ref().unwrap().display_name.as_deref(),
            Some("Ana")
        );
        let EventKind::InvalidItem {
            vendor_kind,
            reason,
            raw,
        } = &ev[1].kind
        else {
            panic!("{:?}", ev[1]);
        };
        assert_eq!(
            (vendor_kind.as_str(), raw.as_str()),
            ("message", r#"{"id":42,"type":"text"}"#)
        );
        assert_eq!(
            reason,
            "invalid type: integer, expected a string at id (line 1, column 8)"
        );
        assert!(matches!(&ev[2].kind, EventKind::InvalidItem { raw, .. } if raw == r#""garbage""#));
        assert!(matches!(
            ev[3].kind,
            EventKind::Status {
                status: DeliveryStatus::Read,
                ..
            }
        ));
        assert_eq!(ev[3].occurred_at, opts().received_at);
        assert!(
            matches!(&ev[4].kind, EventKind::InvalidItem { vendor_kind, .. } if vendor_kind == "status")
        );
    }

    #[test]
    fn business_scoped_ids_without_phone() {
        let b = body(json!({
            "contacts": [{"profile": {"name": "Sheena"}, "user_id": "US.1"}],
            "messages": [{"from_user_id": "US.1", "id": "wamid.B", "timestamp": "1", "type": "text", "text": {"body": "x"}},
                         {"id": "wamid.C", "timestamp": "1", "type": "text", "text": {"body": "y"}}]}));
        for e in run(&b) {
            let c = e.contact.unwrap();
            assert_eq!(
                (c.identity.id(), c.display_name.as_deref()),
                ("US.1", Some("Sheena"))
            );
            assert!(c.phone.is_none());
        }
    }

    #[test]
    fn bad_bodies_fail_whole_with_typed_errors() {
        let n = |b: &[u8]| crate::normalize(Channel::Whatsapp, b, &opts());
        assert!(matches!(n(b"{nope"), Err(ChannelError::InvalidJson { .. })));
        assert!(matches!(
            n(b"[1]"),
            Err(ChannelError::UnexpectedShape { .. })
        ));
        assert!(matches!(
            n(br#"{"object":"page","entry":[]}"#),
            Err(ChannelError::UnexpectedShape { .. })
        ));
        assert!(matches!(
            n(br#"{"entry":[]}"#),
            Err(ChannelError::UnexpectedShape { .. })
        ));
        assert!(matches!(
            n(br#"{"object":"whatsapp_business_account"}"#),
            Err(ChannelError::UnexpectedShape { .. })
        ));
        let ev =
            n(br#"{"object":"whatsapp_business_account","entry":[{"id":"W","x":1}, 7]}"#).unwrap();
        assert_eq!(ev.len(), 2);
        assert_eq!(ev[0].kind.name(), "unsupported");
        assert_eq!(ev[0].channel_account_id.as_str(), "W");
        assert_eq!(ev[1].kind.name(), "invalid_item");
    }
}
