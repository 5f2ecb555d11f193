//! Strings read borrowed from the body (`src/borrowed.rs`) give the same events when
//! the body escapes them: every key and string of a body rewritten as `\uXXXX` escapes
//! (which serde_json must unescape into a copy) normalizes to the same events as the
//! body written plainly.
//!
//! Bodies: a hand-written WhatsApp body with every string field arichat reads (ids,
//! names, media, referrals, system notices, statuses, calls, preferences, identity
//! updates), a Telegram body likewise, and every WhatsApp and Telegram fixture under
//! `../shared/fixtures` when present.

mod common;

use std::fmt::Write;

use arichat_channels::{normalize, NormalizeOptions};
use arichat_core::{Channel, Event};
use chrono::{TimeZone, Utc};
use serde_json::{json, Value};

fn opts() -> NormalizeOptions {
    NormalizeOptions::new(Utc.with_ymd_and_hms(2030, 1, 1, 0, 0, 0).unwrap())
        .with_account("7000000001")
}

/// `value` as JSON text with every character of every key and string escaped.
fn escaped(value: &Value) -> String {
    fn string(s: &str, out: &mut String) {
        out.push('"');
        for unit in s.encode_utf16() {
            write!(out, "\\u{unit:04x}").unwrap();
        }
        out.push('"');
    }
    fn write(value: &Value, out: &mut String) {
        match value {
            Value::String(s) => string(s, out),
            Value::Array(items) => {
                out.push('[');
                for (i, item) in items.iter().enumerate() {
                    if i > 0 {
                        out.push(',');
                    }
                    write(item, out);
                }
                out.push(']');
            }
            Value::Object(members) => {
                out.push('{');
                for (i, (key, item)) in members.iter().enumerate() {
                    if i > 0 {
                        out.push(',');
                    }
                    string(key, out);
                    out.push(':');
                    write(item, out);
                }
                out.push('}');
            }
            scalar => out.push_str(&scalar.to_string()),
        }
    }
    let mut out = String::new();
    write(value, &mut out);
    out
}

/// The events of `body` written plainly and escaped; `None` when the plain body fails
/// or holds an invalid item (whose reason names a column, which escaping moves).
fn both(channel: Channel, body: &Value) -> Option<(Vec<Event>, Vec<Event>)> {
    let plain = normalize(channel, body.to_string().as_bytes(), &opts()).ok()?;
    if plain.iter().any(|e| e.kind.name() == "invalid_item") {
        return None;
    }
    let escaped = normalize(channel, escaped(body).as_bytes(), &opts())
        .unwrap_or_else(|e| panic!("escaped body failed: {e}\n{body}"));
    Some((plain, escaped))
}

fn assert_same(channel: Channel, body: &Value) -> usize {
    let Some((plain, escaped)) = both(channel, body) else {
        return 0;
    };
    assert_eq!(plain, escaped, "{body}");
    plain.len()
}

#[test]
fn the_escape_writer_writes_the_same_json() {
    let v = json!({"a\"é": ["x\\y", "😀", 1, null, {"k": "\u{1}"}]});
    let text = escaped(&v);
    assert!(text.contains("\\u00e9") && text.contains("\\u0022") && text.contains("\\ud83d"));
    assert_eq!(serde_json::from_str::<Value>(&text).unwrap(), v);
}

const WA: &str = "573001234567";
const BSUID: &str = "US.13491208655302741918";
const PARENT: &str = "US.ENT.11815799212886844830";

fn wa_message(id: &str, kind: &str, payload: Value) -> Value {
    let mut m = json!({"from": WA, "from_user_id": BSUID, "from_parent_user_id": PARENT,
        "id": id, "timestamp": "1700000000", "type": kind});
    if !payload.is_null() {
        m[kind] = payload;
    }
    m
}

/// Every string field of the WhatsApp wire structs, each with an accent, a quote or
/// an emoji where the field allows one.
fn whatsapp_body() -> Value {
    let media = json!({"id": "MEDIA\"1", "url": "https://x.example/é", "mime_type": "image/jpeg",
        "caption": "café \"ok\"", "filename": "é.pdf", "sha256": "abc="});
    let mut text = wa_message("wamid.T\"1", "text", json!({"body": "hola \"qué\" tal 😀"}));
    text["group_id"] = json!("1203é@g.us");
    text["context"] = json!({"id": "wamid.Ré", "forwarded": true,
        "referred_product": {"catalog_id": "CATé", "product_retailer_id": "SKU\"1"}});
    text["referral"] = json!({"source_url": "https://fb.example/é", "source_id": "AD\"1",
        "source_type": "ad", "headline": "Oferta é", "ctwa_clid": "CLIDé"});
    let mut product = wa_message("wamid.P", "text", json!({"body": "precio?"}));
    product["context"] = json!({"id": "wamid.Q",
        "referred_product": {"catalog_id": "CATé", "product_retailer_id": "SKU\"1"}});
    let messages = json!([
        text,
        product,
        wa_message("wamid.I", "image", media.clone()),
        wa_message("wamid.A", "audio", media.clone()),
        wa_message("wamid.V", "video", media.clone()),
        wa_message("wamid.D", "document", media.clone()),
        wa_message("wamid.S", "sticker", media),
        wa_message("wamid.L", "location", json!({"latitude": "4.6", "longitude": -74.1,
            "name": "Café \"Sol\"", "address": "Calle é"})),
        wa_message("wamid.C", "contacts", json!([{"name": {"formatted_name": "Ana é"}}])),
        wa_message("wamid.B", "interactive", json!({"type": "button_reply",
            "button_reply": {"id": "b\"1", "title": "Sí"}})),
        wa_message("wamid.LR", "interactive", json!({"type": "list_reply",
            "list_reply": {"id": "r\"2", "title": "Fila é"}})),
        wa_message("wamid.N", "interactive", json!({"type": "nfm_reply", "nfm_reply":
            {"name": "flow", "response_json": "{\"flow_token\":\"é\"}", "body": "Enviado é"}})),
        wa_message("wamid.CP", "interactive", json!({"type": "call_permission_reply",
            "call_permission_reply": {"response": "accept"}})),
        wa_message("wamid.BT", "button", json!({"payload": "SÍ\"P", "text": "Sí"})),
        wa_message("wamid.BN", "button", json!({"text": "Sólo texto"})),
        wa_message("wamid.RE", "reaction", json!({"message_id": "wamid.T\"1", "emoji": "😀"})),
        wa_message("wamid.O", "order", json!({"catalog_id": "CATé", "text": "pedido é",
            "product_items": [{"product_retailer_id": "SKU\"1", "quantity": 1}]})),
        wa_message("wamid.SY", "system", json!({"body": "Cambió é", "type": "user_changed_number",
            "wa_id": "573009999999"})),
        wa_message("wamid.SU", "system", json!({"body": "Cambió é", "type": "user_changed_user_id",
            "user_id": "US.24817305912873645029", "parent_user_id": "US.ENT.22926800323997955941"})),
        wa_message("wamid.SX", "system", json!({"body": "Aviso \"é\"", "type": "customer_identity_changed"})),
        wa_message("wamid.RV", "revoke", json!({"original_message_id": "wamid.T\"1"})),
        wa_message("wamid.ED", "edit", json!({"original_message_id": "wamid.T\"1",
            "message": {"type": "text", "text": {"body": "corregido é"}}})),
        wa_message("wamid.UN", "unsupported", json!({"type": "poll é"})),
        {"from": WA, "id": "wamid.NT", "timestamp": "1700000000", "image": {"id": "M\"2"}},
    ]);
    let echo = json!({"from": "15550001111", "to": WA, "to_user_id": BSUID,
        "to_parent_user_id": PARENT, "id": "wamid.E\"1", "timestamp": "1700000001",
        "type": "text", "text": {"body": "respuesta é"}});
    let statuses = json!([
        {"id": "wamid.S\"1", "status": "sent", "timestamp": "1700000002", "recipient_id": WA,
         "recipient_user_id": BSUID, "recipient_parent_user_id": PARENT,
         "conversation": {"id": "Cé", "origin": {"type": "service"}},
         "pricing": {"billable": true, "category": "servicé"}},
        {"id": "wamid.S\"2", "status": "failed", "timestamp": "1700000003", "recipient_id": WA,
         "errors": [{"code": 131050, "title": "Detenido é"}]},
        {"id": "wamid.G", "status": "read", "timestamp": "1700000004", "recipient_id": "1203é@g.us",
         "recipient_type": "group", "recipient_participant_id": "16505551234",
         "recipient_participant_user_id": BSUID, "recipient_participant_parent_user_id": PARENT},
        {"id": "wamid.X", "status": "deleted é", "timestamp": "1700000005", "recipient_id": WA},
    ]);
    let contacts = json!([
        {"wa_id": WA, "user_id": BSUID, "parent_user_id": PARENT,
         "profile": {"name": "Ana \"Pé\" Pérez", "username": "ana.perez"}},
        {"wa_id": "15550002222", "profile": {"name": "Otro é"}},
    ]);
    let metadata = json!({"display_phone_number": "15550001111", "phone_number_id": "PN\"1"});
    json!({"object": "whatsapp_business_account", "entry": [
        {"id": "WABA\"1", "time": 1700000000, "changes": [
            {"field": "messages", "value": {"messaging_product": "whatsapp", "metadata": metadata,
                "contacts": contacts, "messages": messages, "statuses": statuses,
                "errors": [{"code": 131000, "title": "Algo é"}]}},
            {"field": "smb_message_echoes", "value": {"metadata": metadata, "contacts": contacts,
                "message_echoes": [echo]}},
            {"field": "calls", "value": {"metadata": metadata, "contacts": contacts, "calls": [
                {"id": "wacid.1", "from": WA, "from_user_id": BSUID, "to": "15550001111",
                 "event": "connect", "direction": "USER_INITIATED", "timestamp": "1700000006"},
                {"id": "wacid.2", "from": "15550001111", "to": WA, "to_user_id": BSUID,
                 "event": "connect", "direction": "BUSINESS_INITIATED", "timestamp": "1700000007"}]}},
            {"field": "user_preferences", "value": {"metadata": metadata, "contacts": contacts,
                "user_preferences": [
                    {"wa_id": WA, "user_id": BSUID, "category": "marketing_messages",
                     "value": "stop", "timestamp": 1700000008},
                    {"wa_id": WA, "category": "marketing_messages é", "value": "resume",
                     "timestamp": 1700000009}]}},
            {"field": "user_id_update", "value": {"metadata": metadata, "user_id_update": [
                {"wa_id": WA, "timestamp": "1700000010",
                 "user_id": {"previous": BSUID, "current": "US.24817305912873645029"},
                 "parent_user_id": {"previous": PARENT, "current": "US.ENT.22926800323997955941"}}]}},
            {"field": "account_update é", "value": {"event": "ACCOUNT_é"}}]},
        {"id": "WABA\"2", "changes": [{"field": "messages", "value": {"messages": [
            {"from_user_id": BSUID, "id": "wamid.BS", "timestamp": "1", "type": "text",
             "text": {"body": "sin teléfono"}}]}}]}]})
}

#[test]
fn whatsapp_every_string_field_escaped_gives_the_same_events() {
    let n = assert_same(Channel::Whatsapp, &whatsapp_body());
    // 37 items, one of them a failed status with its opt-out.
    assert_eq!(n, 38, "the body no longer maps as written");
}

/// Every string field of the Telegram wire structs.
fn telegram_bodies() -> Vec<Value> {
    let user = json!({"id": 42, "is_bot": false, "first_name": "Ana \"é\"", "last_name": "Pérez"});
    let chat = json!({"id": 42, "type": "private", "first_name": "Ana é", "last_name": "Pérez"});
    let group = json!({"id": -100, "type": "supergroup", "title": "Grupo \"é\""});
    let file = json!({"file_id": "F\"1", "file_unique_id": "U", "mime_type": "audio/ogg",
        "file_name": "nota é.ogg"});
    let message = |extra: Value| {
        let mut m = json!({"message_id": 7, "date": 1700000000, "chat": chat, "from": user});
        for (k, v) in extra.as_object().unwrap() {
            m[k] = v.clone();
        }
        json!({"update_id": 1, "message": m})
    };
    vec![
        message(json!({"text": "hola \"qué\" 😀",
            "entities": [{"type": "bold", "offset": 0, "length": 4}]})),
        message(json!({"caption": "foto é", "photo": [
            {"file_id": "P\"1", "file_unique_id": "u", "width": 90, "height": 90},
            {"file_id": "P\"2", "file_unique_id": "v", "width": 800, "height": 800, "file_size": 9}]})),
        message(json!({"document": file, "caption": "doc é"})),
        message(json!({"voice": file})),
        message(json!({"audio": file})),
        message(json!({"video": file})),
        message(json!({"video_note": file})),
        message(json!({"animation": file})),
        message(json!({"sticker": file})),
        message(
            json!({"venue": {"location": {"latitude": 4.6, "longitude": -74.1},
            "title": "Café \"Sol\"", "address": "Calle é"}}),
        ),
        message(
            json!({"contact": {"phone_number": "+573001234567", "first_name": "Ana é",
            "user_id": 42}}),
        ),
        message(json!({"poll": {"id": "p\"1", "question": "¿é?"}})),
        json!({"update_id": 2, "message": {"message_id": 8, "date": 1700000000, "chat": group,
            "sender_chat": group, "text": "anuncio é"}}),
        json!({"update_id": 3, "callback_query": {"id": "cq", "from": user,
            "message": {"message_id": 7, "chat": {"id": 42}}, "data": "opción \"1\"",
            "inline_message_id": "IM\"1"}}),
        json!({"update_id": 4, "my_chat_member": {"chat": chat, "from": user, "date": 1700000000,
            "new_chat_member": {"status": "kicked", "user": user}}}),
        json!({"update_id": 5, "business_connection": {"id": "BC\"1", "user": user,
            "user_chat_id": 42, "date": 1700000000, "is_enabled": true}}),
        json!({"update_id": 6, "business_message": {"message_id": 9, "date": 1700000000,
            "business_connection_id": "BC\"1", "chat": chat, "from": user, "text": "negocio é"}}),
        json!({"update_id": 7, "deleted_business_messages": {"business_connection_id": "BC\"1",
            "chat": chat, "message_ids": [9]}}),
        json!({"update_id": 8, "chat_join_request é": {"x": "é"}}),
        json!({"ok": true, "result": [{"update_id": 9, "message": {"message_id": 10,
            "date": 1700000000, "chat": chat, "text": "lote é"}}]}),
    ]
}

#[test]
fn telegram_every_string_field_escaped_gives_the_same_events() {
    let mut n = 0;
    for body in telegram_bodies() {
        let events = assert_same(Channel::Telegram, &body);
        assert!(events > 0, "{body}");
        n += events;
    }
    assert!(n >= 20, "{n}");
}

/// Candidate bodies in a fixture file: the file itself, or (pywa's collections) each
/// member of it.
fn bodies_of(value: Value) -> Vec<Value> {
    match value {
        Value::Object(ref m) if !m.contains_key("object") && !m.contains_key("update_id") => {
            m.values().filter(|v| v.is_object()).cloned().collect()
        }
        other => vec![other],
    }
}

#[test]
fn every_fixture_escaped_gives_the_same_events() {
    for (channel, folder) in [
        (Channel::Whatsapp, "whatsapp"),
        (Channel::Telegram, "telegram"),
    ] {
        let Some(root) = common::fixtures_root(&[folder]) else {
            continue;
        };
        let mut files = Vec::new();
        common::json_files(&root.join(folder), &mut files);
        let mut compared = 0;
        for file in files {
            let Ok(value) = serde_json::from_slice::<Value>(&std::fs::read(&file).unwrap()) else {
                continue;
            };
            for body in bodies_of(value) {
                compared += usize::from(assert_same(channel, &body) > 0);
            }
        }
        assert!(compared > 20, "{folder}: only {compared} bodies compared");
    }
}
