//! Mapping tests on small payloads written for them (shapes from the Messenger
//! Platform webhook reference).

use arichat_core::{Media, PhoneNumber};
use chrono::TimeZone;

use super::*;
use crate::ChannelError;

fn received() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2030, 1, 1, 0, 0, 0).unwrap()
}

fn run(channel: Channel, body: &str) -> Result<Vec<Event>, ChannelError> {
    crate::normalize(channel, body.as_bytes(), &NormalizeOptions::new(received()))
}

/// A Messenger body for page `PAGE` with `items` in `messaging`.
fn page(items: &str) -> String {
    format!(
        r#"{{"object":"page","entry":[{{"id":"PAGE","time":1700000000999,"messaging":[{items}]}}]}}"#
    )
}

fn events(items: &str) -> Vec<Event> {
    run(Channel::Messenger, &page(items)).unwrap()
}

fn one(items: &str) -> Event {
    let mut e = events(items);
    assert_eq!(e.len(), 1, "{e:#?}");
    e.remove(0)
}

const FROM_USER: &str =
    r#""sender":{"id":"USER"},"recipient":{"id":"PAGE"},"timestamp":1700000000000"#;

fn ms(ms: i64) -> DateTime<Utc> {
    Utc.timestamp_millis_opt(ms).unwrap()
}

fn psid(id: &str) -> Option<ContactRef> {
    Some(ContactRef {
        identity: ChannelIdentity::Messenger { psid: id.into() },
        display_name: None,
        phone: None::<PhoneNumber>,
    })
}

fn content(e: &Event) -> &MessageContent {
    match &e.kind {
        EventKind::Message { content, .. } => content,
        other => panic!("not a message: {other:?}"),
    }
}

#[test]
fn inbound_text() {
    let e = one(&format!(
        r#"{{{FROM_USER},"message":{{"mid":"m_1","text":"cafe\u0301\u0007 ok"}}}}"#
    ));
    assert_eq!(e.idempotency_key, "messenger:PAGE:msg:m_1");
    assert_eq!(e.channel, Channel::Messenger);
    assert_eq!(e.channel_account_id.as_str(), "PAGE");
    assert_eq!(e.contact, psid("USER"));
    assert_eq!(e.occurred_at, ms(1_700_000_000_000));
    assert_eq!(
        e.kind,
        EventKind::Message {
            message_id: "m_1".into(),
            direction: Direction::Inbound,
            author: AuthorKind::Client,
            content: MessageContent::Text {
                body: "café ok".into()
            },
            reply_to: None,
            forwarded: false,
            referral: None,
        }
    );
    assert!(e.is_inbound_message());
}

#[test]
fn echo_is_outbound_agent_to_the_recipient() {
    let body = r#"{"object":"instagram","entry":[{"id":"IGACC","time":1,"messaging":[
        {"sender":{"id":"IGACC"},"recipient":{"id":"IGSID9"},"timestamp":1700000000000,
         "message":{"mid":"m_e","text":"hi","is_echo":true,"app_id":123}}]}]}"#;
    let e = &run(Channel::Instagram, body).unwrap()[0];
    assert_eq!(e.idempotency_key, "instagram:IGACC:msg:m_e");
    assert_eq!(
        e.contact.as_ref().unwrap().identity,
        ChannelIdentity::Instagram {
            igsid: "IGSID9".into()
        }
    );
    match &e.kind {
        EventKind::Message {
            direction, author, ..
        } => {
            assert_eq!(*direction, Direction::Outbound);
            assert_eq!(*author, AuthorKind::Agent);
        }
        other => panic!("{other:?}"),
    }
    assert!(!e.is_inbound_message());
}

#[test]
fn an_echo_of_our_own_app_is_the_bot_s() {
    let body = r#"{"object":"instagram","entry":[{"id":"IGACC","time":1,"messaging":[
        {"sender":{"id":"IGACC"},"recipient":{"id":"IGSID9"},"timestamp":1700000000000,
         "message":{"mid":"m_e","text":"hi","is_echo":true,"app_id":123}},
        {"sender":{"id":"IGACC"},"recipient":{"id":"IGSID9"},"timestamp":1700000000001,
         "message":{"mid":"m_f","text":"hola","is_echo":true,"app_id":"456"}}]}]}"#;
    let authors = |options: &NormalizeOptions| -> Vec<(Direction, AuthorKind)> {
        crate::normalize(Channel::Instagram, body.as_bytes(), options)
            .unwrap()
            .iter()
            .map(|e| match &e.kind {
                EventKind::Message {
                    direction, author, ..
                } => (*direction, *author),
                other => panic!("{other:?}"),
            })
            .collect()
    };
    let ours = NormalizeOptions::new(received()).with_app_id("123");
    assert_eq!(
        authors(&ours),
        [
            (Direction::Outbound, AuthorKind::Bot),
            (Direction::Outbound, AuthorKind::Agent)
        ]
    );
    // Without the app id every echo is an agent's; none is ever inbound.
    assert_eq!(
        authors(&NormalizeOptions::new(received())),
        [
            (Direction::Outbound, AuthorKind::Agent),
            (Direction::Outbound, AuthorKind::Agent)
        ]
    );
}

#[test]
fn attachments_become_one_part_each() {
    let e = events(&format!(
        r#"{{{FROM_USER},"message":{{"mid":"m_a","text":"look","attachments":[
            {{"type":"image","payload":{{"url":"https://x/i.jpg"}}}},
            {{"type":"video","payload":{{"url":"https://x/v.mp4"}}}},
            {{"type":"audio","payload":{{"url":"https://x/a.mp4"}}}},
            {{"type":"file","payload":{{"url":"https://x/f.pdf"}}}},
            {{"type":"image","payload":{{"url":"https://x/s.png","sticker_id":369239263222822}}}},
            {{"type":"location","title":"Home","payload":{{"coordinates":{{"lat":4.6,"long":-74.08}}}}}},
            {{"type":"fallback","title":"Link","url":"https://x","payload":null}},
            {{"type":"ig_reel","payload":{{"reel_video_id":"1","url":"https://x/r"}}}},
            {{"payload":{{}}}}
        ]}}}}"#
    ));
    let ids: Vec<_> = events_ids(&e);
    assert_eq!(
        ids,
        ["m_a", "m_a#1", "m_a#2", "m_a#3", "m_a#4", "m_a#5", "m_a#6", "m_a#7", "m_a#8", "m_a#9"]
    );
    assert_eq!(e[3].idempotency_key, "messenger:PAGE:msg:m_a#3");
    let url = |u: &str| Media {
        url: Some(u.into()),
        ..Media::default()
    };
    assert_eq!(
        content(&e[0]),
        &MessageContent::Text {
            body: "look".into()
        }
    );
    assert_eq!(
        content(&e[1]),
        &MessageContent::Image(url("https://x/i.jpg"))
    );
    assert_eq!(
        content(&e[2]),
        &MessageContent::Video(url("https://x/v.mp4"))
    );
    assert_eq!(
        content(&e[3]),
        &MessageContent::Audio(url("https://x/a.mp4"))
    );
    assert_eq!(
        content(&e[4]),
        &MessageContent::Document(url("https://x/f.pdf"))
    );
    assert_eq!(
        content(&e[5]),
        &MessageContent::Sticker(Media {
            id: Some("369239263222822".into()),
            url: Some("https://x/s.png".into()),
            ..Media::default()
        })
    );
    assert_eq!(
        content(&e[6]),
        &MessageContent::Location {
            latitude: 4.6,
            longitude: -74.08,
            name: Some("Home".into()),
            address: None
        }
    );
    match content(&e[7]) {
        MessageContent::Unsupported { kind, raw } => {
            assert_eq!(kind, "fallback");
            assert_eq!(raw.to_value()["url"], "https://x");
        }
        other => panic!("{other:?}"),
    }
    match content(&e[8]) {
        MessageContent::Unsupported { kind, raw } => {
            assert_eq!(kind, "ig_reel");
            assert_eq!(raw.to_value()["payload"]["reel_video_id"], "1");
        }
        other => panic!("{other:?}"),
    }
    assert!(
        matches!(content(&e[9]), MessageContent::Unsupported { kind, .. } if kind == "attachment")
    );
}

fn events_ids(e: &[Event]) -> Vec<String> {
    e.iter()
        .map(|e| match &e.kind {
            EventKind::Message { message_id, .. } => message_id.to_string(),
            other => panic!("{other:?}"),
        })
        .collect()
}

#[test]
fn quick_reply_reply_to_and_ad_referral() {
    let e = one(&format!(
        r#"{{{FROM_USER},"message":{{"mid":"m_q","text":"Yes","quick_reply":{{"payload":"YES_1"}},
            "reply_to":{{"mid":"m_0"}},
            "referral":{{"ref":"r1","ad_id":"6045","source":"ADS","type":"OPEN_THREAD",
              "ads_context_data":{{"ad_title":"Sale","photo_url":"https://x/p","post_id":"99"}}}}}}}}"#
    ));
    match e.kind {
        EventKind::Message {
            content,
            reply_to,
            referral,
            ..
        } => {
            assert_eq!(
                content,
                MessageContent::InteractiveReply {
                    id: "YES_1".into(),
                    title: "Yes".into(),
                    flow_name: None,
                }
            );
            assert_eq!(reply_to, Some("m_0".into()));
            assert_eq!(
                referral,
                Some(arichat_core::Referral {
                    source_url: None,
                    source_id: Some("6045".into()),
                    source_type: Some("ADS".into()),
                    headline: Some("Sale".into()),
                    ctwa_clid: None,
                    r#ref: Some("r1".into()),
                })
            );
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn story_reply_keeps_the_story() {
    let e = one(&format!(
        r#"{{{FROM_USER},"message":{{"mid":"m_s","text":"nice","reply_to":{{"story":{{"url":"https://cdn/x","id":"1789"}}}}}}}}"#
    ));
    assert!(
        matches!(e.kind, EventKind::Message { reply_to: Some(r), .. } if r.as_str() == "story:1789")
    );
}

#[test]
fn reactions() {
    let e = events(&format!(
        r#"{{{FROM_USER},"reaction":{{"mid":"m_t","action":"react","emoji":"\u2764\ufe0f","reaction":"love"}}}},
           {{"sender":{{"id":"USER"}},"recipient":{{"id":"PAGE"}},"timestamp":1700000000500,
             "reaction":{{"mid":"m_t","action":"unreact"}}}}"#
    ));
    assert_eq!(e.len(), 2);
    assert_eq!(
        e[0].idempotency_key,
        "messenger:PAGE:reaction:USER:m_t:1700000000000:react"
    );
    assert_eq!(
        content(&e[0]),
        &MessageContent::Reaction {
            message_id: "m_t".into(),
            emoji: "❤️".into()
        }
    );
    assert_eq!(
        e[1].idempotency_key,
        "messenger:PAGE:reaction:USER:m_t:1700000000500:unreact"
    );
    assert_eq!(
        content(&e[1]),
        &MessageContent::Reaction {
            message_id: "m_t".into(),
            emoji: String::new()
        }
    );
    assert_ne!(events_ids(&e)[0], events_ids(&e)[1]);
}

#[test]
fn reads_and_deliveries() {
    let e = events(&format!(
        r#"{{{FROM_USER},"read":{{"watermark":1699999999000}}}},
           {{"sender":{{"id":"USER"}},"recipient":{{"id":"PAGE"}},"delivery":{{"mids":["m_1","m_2"],"watermark":1699999998000}}}}"#
    ));
    assert_eq!(
        e[0].idempotency_key,
        "messenger:PAGE:read:USER:1699999999000"
    );
    assert_eq!(
        e[0].kind,
        EventKind::Read {
            watermark: ms(1_699_999_999_000)
        }
    );
    assert_eq!(
        e[1].idempotency_key,
        "messenger:PAGE:delivery:USER:1699999998000"
    );
    // No item timestamp: the entry's time.
    assert_eq!(e[1].occurred_at, ms(1_700_000_000_999));
    assert_eq!(
        e[1].kind,
        EventKind::Delivered {
            watermark: ms(1_699_999_998_000),
            message_ids: vec!["m_1".into(), "m_2".into()],
        }
    );
    let ig = r#"{"object":"instagram","entry":[{"id":"IG","time":1,"messaging":[
        {"sender":{"id":"S"},"recipient":{"id":"IG"},"timestamp":1700000000000,"read":{"mid":"m_r"}}]}]}"#;
    let e = run(Channel::Instagram, ig).unwrap();
    assert_eq!(e[0].idempotency_key, "instagram:IG:read:S:m_r");
    assert_eq!(
        e[0].kind,
        EventKind::Status {
            message_id: "m_r".into(),
            status: DeliveryStatus::Read,
            errors: vec![],
            billing: None
        }
    );
}

#[test]
fn postback_with_referral_and_plain_referral() {
    let e = events(&format!(
        r#"{{{FROM_USER},"postback":{{"mid":"m_p","title":"Get Started","payload":"GO",
             "referral":{{"ref":"promo","source":"SHORTLINK","type":"OPEN_THREAD"}}}}}},
           {{{FROM_USER},"referral":{{"ref":"again","source":"CUSTOMER_CHAT_PLUGIN","referer_uri":"https://shop/x","type":"OPEN_THREAD"}}}}"#
    ));
    assert_eq!(e.len(), 3);
    assert_eq!(e[0].idempotency_key, "messenger:PAGE:postback:m_p");
    assert_eq!(
        e[0].kind,
        EventKind::Postback {
            payload: "GO".into(),
            title: Some("Get Started".into()),
            message_id: None
        }
    );
    assert_eq!(e[1].idempotency_key, "messenger:PAGE:postback:m_p:referral");
    assert!(
        matches!(&e[1].kind, EventKind::Referral { referral } if referral.r#ref.as_deref() == Some("promo")
        && referral.source_type.as_deref() == Some("SHORTLINK"))
    );
    assert_eq!(
        e[2].idempotency_key,
        "messenger:PAGE:referral:USER:1700000000000"
    );
    assert!(matches!(&e[2].kind, EventKind::Referral { referral }
        if referral.source_url.as_deref() == Some("https://shop/x") && referral.r#ref.as_deref() == Some("again")));
}

#[test]
fn plugin_user_ref_is_no_contact() {
    let e = one(
        r#"{"sender":{"user_ref":"UREF"},"recipient":{"id":"PAGE"},"timestamp":1700000000000,"postback":{"payload":"P","title":""}}"#,
    );
    assert_eq!(e.contact, None);
    assert_eq!(
        e.idempotency_key,
        "messenger:PAGE:postback:user_ref=UREF:1700000000000"
    );
    assert!(matches!(e.kind, EventKind::Postback { title: None, .. }));
}

#[test]
fn optins_and_marketing_stop() {
    let e = events(&format!(
        r#"{{{FROM_USER},"optin":{{"ref":"checkout"}}}},
           {{"sender":{{"id":"USER"}},"recipient":{{"id":"PAGE"}},"timestamp":"1700000001",
             "optin":{{"type":"notification_messages","notification_messages_token":"TOK","notification_messages_status":"STOP_NOTIFICATIONS"}}}},
           {{"sender":{{"id":"USER"}},"recipient":{{"id":"PAGE"}},"timestamp":"1700000002",
             "optin":{{"type":"notification_messages","notification_messages_token":"TOK","notification_messages_status":"RESUME_NOTIFICATIONS"}}}}"#
    ));
    assert_eq!(
        e[0].kind,
        EventKind::Consent {
            signal: ConsentSignal::OptIn,
            detail: Some("checkout".into())
        }
    );
    assert_eq!(
        e[0].idempotency_key,
        "messenger:PAGE:optin:USER:1700000000000"
    );
    assert_eq!(
        e[1].kind,
        EventKind::Consent {
            signal: ConsentSignal::OptOut,
            detail: Some("TOK".into())
        }
    );
    // A digit string in seconds, as the current reference shows.
    assert_eq!(e[1].occurred_at, ms(1_700_000_001_000));
    assert_eq!(
        e[1].idempotency_key,
        "messenger:PAGE:optin:USER:1700000001000:STOP_NOTIFICATIONS"
    );
    assert!(matches!(
        e[2].kind,
        EventKind::Consent {
            signal: ConsentSignal::OptIn,
            ..
        }
    ));
}

#[test]
fn edits_and_unsends() {
    let e = events(&format!(
        r#"{{{FROM_USER},"message_edit":{{"mid":"m_1","text":"fixed\r\ntext","num_edit":2}}}},
           {{{FROM_USER},"message":{{"mid":"m_1","is_deleted":true}}}}"#
    ));
    assert_eq!(e[0].idempotency_key, "messenger:PAGE:edit:m_1:2");
    assert_eq!(
        e[0].kind,
        EventKind::MessageEdited {
            message_id: "m_1".into(),
            content: MessageContent::Text {
                body: "fixed\ntext".into()
            }
        }
    );
    assert_eq!(e[1].idempotency_key, "messenger:PAGE:deleted:m_1");
    assert_eq!(
        e[1].kind,
        EventKind::MessageDeleted {
            message_id: "m_1".into()
        }
    );
}

fn unsupported_kind(e: &Event) -> &str {
    match &e.kind {
        EventKind::Unsupported { vendor_kind, .. } => vendor_kind,
        other => panic!("{other:?}"),
    }
}

/// The vendor kind and reason of an `invalid_item` event.
fn invalid_kind(e: &Event) -> (&str, &str) {
    match &e.kind {
        EventKind::InvalidItem {
            vendor_kind,
            reason,
            ..
        } => (vendor_kind, reason),
        other => panic!("{other:?}"),
    }
}

#[test]
fn unknown_keys_and_bad_items_are_kept() {
    let e = events(&format!(
        r#"{{{FROM_USER},"message":{{"mid":"m_1","text":"hi"}},"prior_message":{{"source":"checkbox_plugin","identifier":"U"}}}},
           {{{FROM_USER},"pass_thread_control":{{"new_owner_app_id":"1"}}}},
           {{{FROM_USER},"message":"not an object"}},
           {{{FROM_USER},"message":{{"mid":"m_u","is_unsupported":true}}}},
           {{{FROM_USER}}},
           7"#
    ));
    assert_eq!(e.len(), 7, "{e:#?}");
    assert!(matches!(content(&e[0]), MessageContent::Text { .. }));
    assert_eq!(unsupported_kind(&e[1]), "prior_message");
    assert_eq!(e[1].contact, psid("USER"));
    assert_eq!(unsupported_kind(&e[2]), "pass_thread_control");
    assert_eq!(
        invalid_kind(&e[3]),
        (
            "message",
            "invalid type: string, expected struct Message at message (line 1, column 101)"
        )
    );
    match content(&e[4]) {
        MessageContent::Unsupported { kind, raw } => {
            assert_eq!(kind, "unsupported");
            assert_eq!(raw.to_value()["mid"], "m_u");
        }
        other => panic!("{other:?}"),
    }
    assert_eq!(unsupported_kind(&e[5]), "messaging");
    assert_eq!(invalid_kind(&e[6]).0, "messaging");
    let EventKind::InvalidItem { raw, .. } = &e[3].kind else {
        panic!("{:?}", e[3]);
    };
    assert!(raw.ends_with(r#""message":"not an object"}"#), "{raw}");
    // Keys are unique and stable.
    let keys: std::collections::HashSet<_> = e.iter().map(|e| &e.idempotency_key).collect();
    assert_eq!(keys.len(), e.len());
    assert_eq!(
        events(&format!(r#"{{{FROM_USER}}}"#))[0].idempotency_key,
        e[5].idempotency_key
    );
}

#[test]
fn fast_and_lenient_paths_agree() {
    let good = format!(
        r#"{{{FROM_USER},"message":{{"mid":"m_1","text":"hi","attachments":[{{"type":"image","payload":{{"url":"u"}}}}]}}}}"#
    );
    let odd = format!(r#"{{{FROM_USER},"app_roles":{{"1":["primary_receiver"]}}}}"#);
    let both = events(&format!("{good},{odd}"));
    let mut apart = events(&good);
    apart.extend(events(&odd));
    assert_eq!(both, apart);
    assert_eq!(both.len(), 3);
}

#[test]
fn times_fall_back() {
    let body = r#"{"object":"page","entry":[{"id":"PAGE","messaging":[
        {"sender":{"id":"USER"},"recipient":{"id":"PAGE"},"message":{"mid":"m_1","text":"x"}}]}]}"#;
    let e = &run(Channel::Messenger, body).unwrap()[0];
    assert_eq!(e.occurred_at, received());
    let iso = r#"{"entry":[{"id":"IG","time":"2021-09-08T06:34:04+0000","standby":[
        {"sender":{"id":"S"},"recipient":{"id":"IG"},"timestamp":"2021-09-08T06:35:04+0000","read":{"watermark":"nonsense"}}]}]}"#;
    let e = &run(Channel::Instagram, iso).unwrap()[0];
    let t = Utc.with_ymd_and_hms(2021, 9, 8, 6, 35, 4).unwrap();
    assert_eq!(e.occurred_at, t);
    assert_eq!(e.kind, EventKind::Read { watermark: t });
    // Without an item time, the key hashes the item (stable across redeliveries).
    let no_time = r#"{"object":"page","entry":[{"id":"PAGE","messaging":[
        {"sender":{"id":"USER"},"recipient":{"id":"PAGE"},"postback":{"payload":"P"}}]}]}"#;
    let a = run(Channel::Messenger, no_time).unwrap();
    assert!(a[0]
        .idempotency_key
        .starts_with("messenger:PAGE:postback:USER:h"));
    assert_eq!(a, run(Channel::Messenger, no_time).unwrap());
}

#[test]
fn changes_and_odd_entries_are_unsupported() {
    let body = r#"{"object":"instagram","entry":[
        {"id":"IG","time":1519399307,"changes":[{"field":"comments","value":{"id":"1","text":"hey"}},{"value":1}]},
        {"id":"IG2","time":1519399307},
        5]}"#;
    let e = run(Channel::Instagram, body).unwrap();
    assert_eq!(e.len(), 4);
    assert_eq!(unsupported_kind(&e[0]), "comments");
    assert_eq!(
        e[0].occurred_at,
        Utc.timestamp_opt(1_519_399_307, 0).unwrap()
    );
    assert_eq!(e[0].channel_account_id.as_str(), "IG");
    assert_eq!(unsupported_kind(&e[1]), "changes");
    assert_eq!(unsupported_kind(&e[2]), "entry");
    assert_eq!(e[2].channel_account_id.as_str(), "IG2");
    assert_eq!(
        invalid_kind(&e[3]),
        (
            "entry",
            "invalid type: integer, expected struct Entry at the top (line 1, column 1)"
        )
    );
    assert_eq!(e[3].channel_account_id.as_str(), "unknown");
}

#[test]
fn envelope_errors() {
    let shape = |ch, b: &str| {
        assert!(
            matches!(run(ch, b), Err(ChannelError::UnexpectedShape { channel, .. }) if channel == ch),
            "{b}: {:?}",
            run(ch, b)
        )
    };
    let invalid = |ch, b: &str| {
        assert!(
            matches!(run(ch, b), Err(ChannelError::InvalidJson { .. })),
            "{b}: {:?}",
            run(ch, b)
        )
    };
    shape(Channel::Instagram, &page(""));
    shape(Channel::Messenger, r#"{"object":"instagram","entry":[]}"#);
    shape(
        Channel::Messenger,
        r#"{"object":"whatsapp_business_account","entry":[]}"#,
    );
    shape(Channel::Messenger, "[]");
    shape(Channel::Messenger, r#"{"object":"page"}"#);
    shape(Channel::Messenger, r#"{"object":5,"entry":[]}"#);
    shape(Channel::Messenger, r#"{"entry":{}}"#);
    shape(Channel::Messenger, "null");
    invalid(Channel::Messenger, "");
    invalid(Channel::Messenger, r#"{"object":"page","entry":[]} x"#);
    invalid(Channel::Messenger, r#"{"object":5,"entry":[}"#);
    invalid(Channel::Messenger, "{\"object\":\"pa\u{0}ge\"}");
    assert_eq!(
        run(Channel::Messenger, r#"{"object":"page","entry":[]}"#).unwrap(),
        vec![]
    );
    // No `object` at all is accepted for both channels.
    assert_eq!(run(Channel::Messenger, r#"{"entry":[]}"#).unwrap(), vec![]);
    assert_eq!(run(Channel::Instagram, r#"{"entry":[]}"#).unwrap(), vec![]);
}
