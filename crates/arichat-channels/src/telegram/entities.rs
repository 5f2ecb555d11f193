//! Text with entities: normalize the text without losing the ranges Telegram marks.
//!
//! Telegram entity `offset`/`length` count UTF-16 code units of the text as sent.
//! Normalization (NFC, control characters removed) can change lengths, so when it
//! changes the text the ranges are moved: the text is cut at every entity boundary,
//! each piece is normalized on its own, and each boundary moves to the UTF-16 length of
//! the normalized pieces before it. (A piece starting with a combining mark is not
//! composed with the previous piece: entity boundaries win over NFC there.)

use arichat_core::text::normalize_text;
use arichat_core::MessageContent;
use serde_json::Value;

/// `Text` for plain text, `FormattedText` when Telegram sent entities.
pub(super) fn text_content(raw: &str, entities: Option<Vec<Value>>) -> MessageContent {
    let body = normalize_text(raw);
    let mut entities = match entities {
        Some(e) if !e.is_empty() => e,
        _ => return MessageContent::Text { body },
    };
    if body == raw {
        return MessageContent::FormattedText { body, entities };
    }
    let body = remap(raw, &mut entities);
    MessageContent::FormattedText { body, entities }
}

fn utf16_len(s: &str) -> u64 {
    s.chars().map(|c| c.len_utf16() as u64).sum()
}

fn range(e: &Value) -> Option<(u64, u64)> {
    let offset = e.get("offset")?.as_u64()?;
    let length = e.get("length")?.as_u64()?;
    Some((offset, offset.saturating_add(length)))
}

/// Normalizes `raw` piece by piece and rewrites the entities' ranges; returns the text.
fn remap(raw: &str, entities: &mut [Value]) -> String {
    let mut bounds: Vec<u64> = entities
        .iter()
        .filter_map(range)
        .flat_map(|(a, b)| [a, b])
        .collect();
    bounds.sort_unstable();
    bounds.dedup();

    // (old UTF-16 position, new UTF-16 position) for every boundary.
    let mut moved: Vec<(u64, u64)> = Vec::with_capacity(bounds.len());
    let mut body = String::with_capacity(raw.len());
    let (mut old_pos, mut new_pos, mut piece_start) = (0u64, 0u64, 0usize);
    let mut next = bounds.iter().copied().peekable();
    let cut = |end: usize, body: &mut String, new_pos: &mut u64, start: &mut usize| {
        let piece = normalize_text(&raw[*start..end]);
        *new_pos += utf16_len(&piece);
        body.push_str(&piece);
        *start = end;
    };
    for (i, c) in raw.char_indices() {
        if next.peek().is_some_and(|b| *b <= old_pos) {
            cut(i, &mut body, &mut new_pos, &mut piece_start);
            while let Some(b) = next.next_if(|b| *b <= old_pos) {
                moved.push((b, new_pos));
            }
        }
        old_pos += c.len_utf16() as u64;
    }
    cut(raw.len(), &mut body, &mut new_pos, &mut piece_start);
    moved.extend(next.map(|b| (b, new_pos)));

    let lookup = |old: u64| {
        moved
            .binary_search_by_key(&old, |(o, _)| *o)
            .map(|i| moved[i].1)
            .unwrap_or(new_pos)
    };
    for e in entities.iter_mut() {
        if let Some((a, b)) = range(e) {
            let (na, nb) = (lookup(a), lookup(b));
            e["offset"] = na.into();
            e["length"] = (nb - na).into();
        }
    }
    body
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn formatted(c: MessageContent) -> (String, Vec<Value>) {
        match c {
            MessageContent::FormattedText { body, entities } => (body, entities),
            other => panic!("not formatted: {other:?}"),
        }
    }

    #[test]
    fn plain_text_without_entities() {
        assert_eq!(
            text_content("hola\u{0}", None),
            MessageContent::Text {
                body: "hola".into()
            }
        );
        assert_eq!(
            text_content("hola", Some(vec![])),
            MessageContent::Text {
                body: "hola".into()
            }
        );
    }

    #[test]
    fn unchanged_text_keeps_entities_verbatim() {
        let e = vec![json!({"type": "bold", "offset": 0, "length": 4})];
        let (body, entities) = formatted(text_content("hola 👋", Some(e.clone())));
        assert_eq!(body, "hola 👋");
        assert_eq!(entities, e);
    }

    #[test]
    fn ranges_move_with_normalization() {
        // "cafe\u{301}" (5 UTF-16 units) becomes "café" (4 units), and the control
        // character before the link disappears: later ranges move left by 2.
        let raw = "cafe\u{301} \u{7}link 👋x";
        let e = vec![
            json!({"type": "italic", "offset": 0, "length": 5}),
            json!({"type": "text_link", "offset": 7, "length": 4, "url": "https://x.y"}),
            json!({"type": "bold", "offset": 12, "length": 3}),
        ];
        let (body, entities) = formatted(text_content(raw, Some(e)));
        assert_eq!(body, "café link 👋x");
        assert_eq!(entities[0]["offset"], 0);
        assert_eq!(entities[0]["length"], 4);
        assert_eq!(entities[1]["offset"], 5);
        assert_eq!(entities[1]["length"], 4);
        assert_eq!(entities[1]["url"], "https://x.y");
        assert_eq!(entities[2]["offset"], 10);
        assert_eq!(entities[2]["length"], 3);
        let units: Vec<u16> = body.encode_utf16().collect();
        assert_eq!(String::from_utf16(&units[5..9]).unwrap(), "link");
        assert_eq!(String::from_utf16(&units[10..13]).unwrap(), "👋x");
    }

    #[test]
    fn out_of_range_and_malformed_entities_do_not_panic() {
        let e = vec![
            json!({"type": "bold", "offset": 2, "length": 99}),
            json!({"type": "bold", "offset": "x"}),
            json!("not an object"),
        ];
        let (body, entities) = formatted(text_content("a\u{0}bc", Some(e)));
        assert_eq!(body, "abc");
        assert_eq!(entities[0]["offset"], 1);
        assert_eq!(entities[0]["length"], 2);
        assert_eq!(entities[1]["offset"], "x");
        assert_eq!(entities[2], "not an object");
    }
}
