//! One parsed `Update` -> one [`Event`].

use arichat_core::{AuthorKind, ConsentSignal, ContactRef, Direction, Event, EventKind, MessageId};

use serde_json::value::RawValue;

use super::ctx::{message_id, Ctx, Source};
use super::wire::{CallbackQuery, ChatMemberUpdated, Message, Update};
use super::{business, contact, content};
use crate::fields::Fields;

/// Maps one update whose `update_id` is known into `out`. `raw` is its JSON text.
///
/// Telegram sends one kind per update, but nothing is dropped when an update carries
/// several: each kind gives its event, in the order below, and fields of kinds
/// arichat does not map are kept as one `unsupported` event. The first event is keyed
/// `telegram:<bot>:<update_id>`, each further one gets `:<n>` (its position).
pub(super) fn update(
    ctx: &Ctx<'_>,
    update_id: i64,
    mut u: Update<'_>,
    raw: &[u8],
    out: &mut Vec<Event>,
) {
    let id = update_id;
    let first = out.len();
    if let Some(m) = u.message.take() {
        out.push(message(ctx, id, m, Source::Chat, raw));
    }
    if let Some(m) = u.edited_message.take() {
        out.push(edited(ctx, id, m, Source::Chat, raw));
    }
    if let Some(m) = u.channel_post.take() {
        out.push(message(ctx, id, m, Source::Channel, raw));
    }
    if let Some(m) = u.edited_channel_post.take() {
        out.push(edited(ctx, id, m, Source::Channel, raw));
    }
    if let Some(q) = u.callback_query.take() {
        out.push(callback(ctx, id, *q, raw));
    }
    if let Some(c) = u.my_chat_member.take() {
        out.push(member(ctx, id, *c, raw));
    }
    if let Some(m) = u.business_message.take() {
        out.push(message(ctx, id, m, Source::Business, raw));
    }
    if let Some(m) = u.edited_business_message.take() {
        out.push(edited(ctx, id, m, Source::Business, raw));
    }
    if let Some(d) = u.deleted_business_messages.take() {
        business::deleted(ctx, id, *d, out);
    }
    if let Some(c) = u.business_connection.take() {
        out.push(business::connection(ctx, id, *c));
    }
    if !u.others.is_empty() || out.len() == first {
        // The kinds arichat does not map: `update_id` plus those fields, written from
        // their own text, in the update's order.
        let id_text = RawValue::from_string(id.to_string()).ok();
        let mut fields = Fields(Vec::with_capacity(1 + u.others.len()));
        if let Some(id_text) = &id_text {
            fields.0.push(("update_id".into(), id_text));
        }
        let mut readable = Ok(());
        for (key, value) in &u.others {
            readable = readable.and(crate::fields::check(value));
            fields.0.push((key.clone().into(), value));
        }
        let vendor_kind = u
            .others
            .iter()
            .map(|(k, _)| k.as_ref())
            .min()
            .unwrap_or("update")
            .to_owned();
        match readable {
            Ok(()) => {
                let raw = fields.to_raw_json();
                out.push(ctx.unsupported_raw(Some(id), raw, vendor_kind, None, None));
            }
            // A number past `f64` (or nesting too deep) in a field arichat does not
            // read: the update is one invalid item, as when a read field has one.
            Err(e) => {
                out.truncate(first);
                let body = std::str::from_utf8(raw).unwrap_or_default();
                out.push(ctx.invalid(Some(id), body, crate::json::reason(&e, body)));
            }
        }
    }
    for (n, e) in out[first..].iter_mut().enumerate().skip(1) {
        e.idempotency_key.push_str(&format!(":{n}"));
    }
}

fn contact_of(m: &Message<'_>, source: Source) -> ContactRef {
    match source {
        Source::Business if !business::from_client(m) => contact::chat(&m.chat),
        Source::Chat | Source::Business => contact::sender(m),
        Source::Channel => contact::chat(&m.chat),
    }
}

fn message(ctx: &Ctx<'_>, id: i64, mut m: Box<Message<'_>>, source: Source, raw: &[u8]) -> Event {
    let mut contact = contact_of(&m, source);
    let occurred_at = ctx.time(m.date);
    if let Some(card) = &m.contact {
        contact.phone = contact::own_phone(card, m.from.as_ref());
    }
    let field = source.field(false);
    let connection = business::connection_of(&m, source);
    let Some(content) = content::take(&mut m) else {
        let mut e = ctx.unsupported(Some(id), raw, Some(contact), Some(occurred_at), Some(field));
        e.business_connection_id = connection;
        return e;
    };
    let (direction, author) = match source {
        Source::Chat if m.sender_chat.is_none() && m.from.as_ref().is_some_and(|u| u.is_bot) => {
            (Direction::Inbound, AuthorKind::Bot)
        }
        Source::Chat => (Direction::Inbound, AuthorKind::Client),
        Source::Business if business::from_client(&m) => (Direction::Inbound, AuthorKind::Client),
        Source::Channel | Source::Business => (Direction::Outbound, AuthorKind::Agent),
    };
    let reply_to = match (&m.reply_to_message, &m.external_reply) {
        (Some(r), _) => Some(message_id(
            r.chat.as_ref().map_or(m.chat.id, |c| c.id),
            r.message_id,
        )),
        (None, Some(x)) => match (&x.chat, x.message_id) {
            (Some(c), Some(mid)) => Some(message_id(c.id, mid)),
            _ => None,
        },
        (None, None) => None,
    };
    let forwarded = m.forward_origin.is_some()
        || m.forward_from.is_some()
        || m.forward_from_chat.is_some()
        || m.forward_sender_name.is_some()
        || m.forward_date.is_some();
    let kind = EventKind::Message {
        message_id: message_id(m.chat.id, m.message_id),
        direction,
        author,
        content,
        reply_to,
        forwarded,
        referral: None,
    };
    let mut e = ctx.event(id, Some(contact), occurred_at, kind);
    e.business_connection_id = connection;
    e
}

fn edited(ctx: &Ctx<'_>, id: i64, mut m: Box<Message<'_>>, source: Source, raw: &[u8]) -> Event {
    let contact = contact_of(&m, source);
    let occurred_at = ctx.time(m.edit_date.or(m.date));
    let field = source.field(true);
    let connection = business::connection_of(&m, source);
    let mut e = match content::take(&mut m) {
        Some(content) => {
            let kind = EventKind::MessageEdited {
                message_id: message_id(m.chat.id, m.message_id),
                content,
            };
            ctx.event(id, Some(contact), occurred_at, kind)
        }
        None => ctx.unsupported(Some(id), raw, Some(contact), Some(occurred_at), Some(field)),
    };
    e.business_connection_id = connection;
    e
}

fn callback(ctx: &Ctx<'_>, id: i64, q: CallbackQuery<'_>, raw: &[u8]) -> Event {
    let contact = contact::user(&q.from);
    let Some(payload) = q.data else {
        // A game button (`game_short_name`) or a query without data.
        return ctx.unsupported(Some(id), raw, Some(contact), None, Some("callback_query"));
    };
    let message_id = match (q.message, q.inline_message_id) {
        (Some(m), _) => m.chat.map(|c| message_id(c.id, m.message_id)),
        (None, Some(inline)) => Some(MessageId::new(format!("inline:{inline}"))),
        (None, None) => None,
    };
    let kind = EventKind::Postback {
        payload: payload.into_owned(),
        title: None,
        message_id,
    };
    // A callback query carries no time of its own.
    ctx.event(id, Some(contact), ctx.options.received_at, kind)
}

fn member(ctx: &Ctx<'_>, id: i64, c: ChatMemberUpdated<'_>, raw: &[u8]) -> Event {
    let contact = contact::user(&c.from);
    let occurred_at = ctx.time(c.date);
    let private = c.chat.kind.as_deref() == Some("private");
    let status = c.new_chat_member.status;
    let signal = match status.as_ref() {
        "kicked" if private => ConsentSignal::Blocked,
        "member" if private => ConsentSignal::OptIn,
        _ => {
            return ctx.unsupported(
                Some(id),
                raw,
                Some(contact),
                Some(occurred_at),
                Some("my_chat_member"),
            )
        }
    };
    let kind = EventKind::Consent {
        signal,
        detail: Some(status.into_owned()),
    };
    ctx.event(id, Some(contact), occurred_at, kind)
}

#[cfg(test)]
mod tests {
    use arichat_core::{Channel, Media, MessageContent, PhoneNumber};
    use chrono::{DateTime, TimeZone, Utc};
    use serde_json::json;

    use super::*;
    use crate::{ChannelError, NormalizeOptions};

    fn received() -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 1, 2, 3, 4, 5).unwrap()
    }

    fn run(v: serde_json::Value) -> Vec<Event> {
        let options = NormalizeOptions::new(received()).with_account("bot7");
        crate::normalize(Channel::Telegram, v.to_string().as_bytes(), &options).unwrap()
    }

    fn one(v: serde_json::Value) -> Event {
        let mut events = run(v);
        assert_eq!(events.len(), 1);
        events.remove(0)
    }

    fn user() -> serde_json::Value {
        json!({"id": 42, "is_bot": false, "first_name": "Ana", "last_name": "Gómez"})
    }

    fn msg(extra: serde_json::Value) -> serde_json::Value {
        let mut m = json!({"message_id": 5, "date": 1_700_000_000,
            "chat": {"id": 42, "type": "private", "first_name": "Ana"}, "from": user()});
        for (k, v) in extra.as_object().unwrap() {
            m[k] = v.clone();
        }
        m
    }

    #[test]
    fn text_message_maps_ids_contact_time_and_author() {
        let e =
            one(json!({"update_id": 900, "message": msg(json!({"text": "hola\r\n¿qué tal?"}))}));
        assert_eq!(e.idempotency_key, "telegram:bot7:900");
        assert_eq!(e.channel, Channel::Telegram);
        assert_eq!(e.channel_account_id.as_str(), "bot7");
        assert_eq!(e.occurred_at, Utc.timestamp_opt(1_700_000_000, 0).unwrap());
        let c = e.contact.unwrap();
        assert_eq!(c.identity.id(), "42");
        assert_eq!(c.display_name.as_deref(), Some("Ana Gómez"));
        assert_eq!(c.phone, None);
        match e.kind {
            EventKind::Message {
                message_id,
                direction,
                author,
                content,
                reply_to,
                forwarded,
                referral,
            } => {
                assert_eq!(message_id.as_str(), "42:5");
                assert_eq!(direction, Direction::Inbound);
                assert_eq!(author, AuthorKind::Client);
                assert_eq!(
                    content,
                    MessageContent::Text {
                        body: "hola\n¿qué tal?".into()
                    }
                );
                assert_eq!(reply_to, None);
                assert!(!forwarded);
                assert_eq!(referral, None);
            }
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn the_bot_must_be_named() {
        // Two bots' update 1 must not share a key: without the bot id there is none.
        let body = json!({"update_id": 1, "message": msg(json!({"text": "x"}))}).to_string();
        let err = crate::normalize(
            Channel::Telegram,
            body.as_bytes(),
            &NormalizeOptions::new(received()),
        )
        .unwrap_err();
        assert_eq!(err.code(), "account_required");
        assert_eq!(
            err,
            ChannelError::AccountRequired {
                channel: Channel::Telegram
            }
        );
    }

    #[test]
    fn entities_reply_and_forward() {
        let e = one(json!({"update_id": 2, "message": msg(json!({
            "text": "/start abc",
            "entities": [{"type": "bot_command", "offset": 0, "length": 6}],
            "reply_to_message": {"message_id": 4, "date": 1, "chat": {"id": 42, "type": "private"}},
            "forward_origin": {"type": "hidden_user", "sender_user_name": "X", "date": 1}
        }))}));
        let EventKind::Message {
            content,
            reply_to,
            forwarded,
            ..
        } = e.kind
        else {
            panic!()
        };
        assert_eq!(
            content,
            MessageContent::FormattedText {
                body: "/start abc".into(),
                entities: vec![json!({"type": "bot_command", "offset": 0, "length": 6})],
            }
        );
        assert_eq!(reply_to.unwrap().as_str(), "42:4");
        assert!(forwarded);
    }

    #[test]
    fn media_kinds() {
        let cases = [
            (
                json!({"photo": [
                    {"file_id": "small", "width": 90, "height": 90, "file_size": 10},
                    {"file_id": "big", "width": 800, "height": 600, "file_size": 999},
                    {"file_id": "mid", "width": 320, "height": 240}],
                    "caption": "mira\u{0}"}),
                MessageContent::Image(Media {
                    id: Some("big".into()),
                    caption: Some("mira".into()),
                    ..Media::default()
                }),
            ),
            (
                json!({"document": {"file_id": "d1", "file_unique_id": "u", "file_name": "a.pdf",
                    "mime_type": "application/pdf"}}),
                MessageContent::Document(Media {
                    id: Some("d1".into()),
                    mime_type: Some("application/pdf".into()),
                    filename: Some("a.pdf".into()),
                    ..Media::default()
                }),
            ),
            (
                json!({"voice": {"file_id": "v1", "duration": 3, "mime_type": "audio/ogg"}}),
                MessageContent::Audio(Media {
                    id: Some("v1".into()),
                    mime_type: Some("audio/ogg".into()),
                    ..Media::default()
                }),
            ),
            (
                json!({"video_note": {"file_id": "vn", "length": 240, "duration": 2}}),
                MessageContent::Video(Media {
                    id: Some("vn".into()),
                    ..Media::default()
                }),
            ),
            (
                json!({"sticker": {"file_id": "s1", "type": "regular", "width": 1, "height": 1}}),
                MessageContent::Sticker(Media {
                    id: Some("s1".into()),
                    ..Media::default()
                }),
            ),
            (
                json!({"location": {"latitude": 4.6, "longitude": -74.08},
                    "venue": {"location": {"latitude": 4.6, "longitude": -74.08},
                        "title": "Café", "address": "Cra 7"}}),
                MessageContent::Location {
                    latitude: 4.6,
                    longitude: -74.08,
                    name: Some("Café".into()),
                    address: Some("Cra 7".into()),
                },
            ),
            (
                json!({"dice": {"emoji": "🎲", "value": 3}}),
                MessageContent::Unsupported {
                    kind: "dice".into(),
                    raw: json!({"emoji": "🎲", "value": 3}).into(),
                },
            ),
        ];
        for (extra, expected) in cases {
            let e = one(json!({"update_id": 3, "message": msg(extra)}));
            let EventKind::Message { content, .. } = e.kind else {
                panic!("{e:?}")
            };
            assert_eq!(content, expected);
        }
    }

    #[test]
    fn own_contact_card_gives_the_phone() {
        let card = json!({"phone_number": "573001234567", "first_name": "Ana", "user_id": 42});
        let e = one(json!({"update_id": 4, "message": msg(json!({"contact": card}))}));
        assert_eq!(
            e.contact.unwrap().phone,
            Some(PhoneNumber::from_wa_id("573001234567").unwrap())
        );
        let EventKind::Message { content, .. } = e.kind else {
            panic!()
        };
        assert_eq!(
            content,
            MessageContent::Contacts {
                contacts: vec![card]
            }
        );
        // Someone else's card, or a bad number: no phone, still a message.
        let other = json!({"phone_number": "+573001234567", "first_name": "B", "user_id": 7});
        let e = one(json!({"update_id": 5, "message": msg(json!({"contact": other}))}));
        assert_eq!(e.contact.unwrap().phone, None);
        let bad = json!({"phone_number": "12", "first_name": "B", "user_id": 42});
        let e = one(json!({"update_id": 6, "message": msg(json!({"contact": bad}))}));
        assert_eq!(e.contact.unwrap().phone, None);
    }

    #[test]
    fn edits_channel_posts_and_callbacks() {
        let e = one(json!({"update_id": 7, "edited_message":
            msg(json!({"text": "nuevo", "edit_date": 1_700_000_100}))}));
        assert_eq!(e.occurred_at, Utc.timestamp_opt(1_700_000_100, 0).unwrap());
        assert_eq!(
            e.kind,
            EventKind::MessageEdited {
                message_id: "42:5".into(),
                content: MessageContent::Text {
                    body: "nuevo".into()
                }
            }
        );

        let post = json!({"message_id": 9, "date": 1_700_000_000, "text": "oferta",
            "chat": {"id": -100123, "type": "channel", "title": "Tienda"}});
        let e = one(json!({"update_id": 8, "channel_post": post}));
        let c = e.contact.unwrap();
        assert_eq!(c.identity.id(), "-100123");
        assert_eq!(c.display_name.as_deref(), Some("Tienda"));
        let EventKind::Message {
            message_id,
            direction,
            author,
            ..
        } = e.kind
        else {
            panic!()
        };
        assert_eq!(message_id.as_str(), "-100123:9");
        assert_eq!(
            (direction, author),
            (Direction::Outbound, AuthorKind::Agent)
        );

        let e = one(
            json!({"update_id": 9, "callback_query": {"id": "q", "from": user(),
            "chat_instance": "1", "data": "buy:7",
            "message": {"message_id": 5, "date": 0, "chat": {"id": 42, "type": "private"}}}}),
        );
        assert_eq!(e.occurred_at, received());
        assert_eq!(e.contact.unwrap().identity.id(), "42");
        assert_eq!(
            e.kind,
            EventKind::Postback {
                payload: "buy:7".into(),
                title: None,
                message_id: Some("42:5".into())
            }
        );
    }

    #[test]
    fn block_and_unblock_are_consent() {
        let change = |chat_type: &str, old: &str, new: &str| {
            json!({"update_id": 10, "my_chat_member": {
                "chat": {"id": 42, "type": chat_type}, "from": user(), "date": 1_700_000_000,
                "old_chat_member": {"status": old, "user": {"id": 1, "is_bot": true, "first_name": "b"}},
                "new_chat_member": {"status": new, "user": {"id": 1, "is_bot": true, "first_name": "b"}}}})
        };
        let e = one(change("private", "member", "kicked"));
        assert_eq!(
            e.kind,
            EventKind::Consent {
                signal: ConsentSignal::Blocked,
                detail: Some("kicked".into())
            }
        );
        assert_eq!(e.contact.unwrap().identity.id(), "42");
        let e = one(change("private", "kicked", "member"));
        assert!(matches!(
            e.kind,
            EventKind::Consent {
                signal: ConsentSignal::OptIn,
                ..
            }
        ));
        let e = one(change("group", "member", "kicked"));
        assert_eq!(e.kind.name(), "unsupported");
        assert_eq!(e.idempotency_key, "telegram:bot7:10");
    }

    #[test]
    fn unknown_and_service_updates_are_unsupported_with_raw() {
        let inline = json!({"update_id": 11, "inline_query": {"id": "1", "from": user(), "query": "q", "offset": ""}});
        let e = one(inline.clone());
        assert_eq!(e.idempotency_key, "telegram:bot7:11");
        assert_eq!(
            e.kind,
            EventKind::Unsupported {
                vendor_kind: "inline_query".into(),
                raw: inline.into()
            }
        );
        let service =
            json!({"update_id": 12, "message": msg(json!({"new_chat_members": [user()]}))});
        let e = one(service);
        assert_eq!(e.contact.unwrap().identity.id(), "42");
        assert_eq!(e.occurred_at, Utc.timestamp_opt(1_700_000_000, 0).unwrap());
        let EventKind::Unsupported { vendor_kind, raw } = e.kind else {
            panic!()
        };
        assert_eq!(vendor_kind, "message.new_chat_members");
        assert_eq!(raw.to_value()["message"]["new_chat_members"][0]["id"], 42);
        // A known kind with a malformed field: an invalid item, not an error.
        let bad = json!({"update_id": 13, "message": {"message_id": "x", "chat": 1}});
        let e = one(bad.clone());
        assert_eq!(e.idempotency_key, "telegram:bot7:13");
        assert_eq!(
            e.kind,
            EventKind::InvalidItem {
                vendor_kind: "message".into(),
                reason: "invalid type: integer, expected struct Chat at message.chat \
                         (line 1, column 20)"
                    .into(),
                raw: bad.to_string(),
            }
        );
    }

    #[test]
    fn get_updates_envelope() {
        let events = run(json!({"ok": true, "result": [
            {"update_id": 20, "message": msg(json!({"text": "a"}))},
            {"update_id": 21, "message": {"message_id": []}},
            "garbage",
            {"update_id": 22, "poll": {"id": "p"}}
        ]}));
        let kinds: Vec<_> = events.iter().map(|e| e.kind.name()).collect();
        assert_eq!(
            kinds,
            ["message", "invalid_item", "invalid_item", "unsupported"]
        );
        assert_eq!(events[1].idempotency_key, "telegram:bot7:21");
        assert!(events[2]
            .idempotency_key
            .starts_with("telegram:bot7:invalid:"));
        assert_eq!(events[3].idempotency_key, "telegram:bot7:22");
        assert!(run(json!({"ok": true, "result": []})).is_empty());
    }

    #[test]
    fn whole_body_errors() {
        let options = NormalizeOptions::new(received()).with_account("bot7");
        let err = |b: &[u8]| {
            crate::normalize(Channel::Telegram, b, &options)
                .unwrap_err()
                .code()
        };
        assert_eq!(err(b"{not json"), "invalid_json");
        assert_eq!(err(b"{\"update_id\": 1} trailing"), "invalid_json");
        assert_eq!(err(b"[]"), "unexpected_shape");
        assert_eq!(
            err(b"{\"object\": \"page\", \"entry\": []}"),
            "unexpected_shape"
        );
        assert_eq!(err(b"{\"update_id\": \"1\"}"), "unexpected_shape");
        assert_eq!(
            err(b"{\"ok\": false, \"error_code\": 401, \"description\": \"Unauthorized\"}"),
            "unexpected_shape"
        );
        assert_eq!(
            err(b"{\"ok\": true, \"result\": {\"id\": 1}}"),
            "unexpected_shape"
        );
    }
}
