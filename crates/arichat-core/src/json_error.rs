//! JSON errors described without the values they are about.
//!
//! `serde_json` messages quote the offending value (`invalid type: string
//! "ana.perez@…"`, ``unknown variant `57300…` ``), and error strings end up in logs.
//! [`describe`] keeps the kind of the error and what was expected, drops the value, and
//! adds the path of the field and the line and column: `invalid type: string, expected
//! i64 at update_id (line 1, column 36)`. Every JSON error of arichat (a webhook body,
//! a lead, a consent ledger, a lexicon) is described this way.

/// Why `text` did not read, without any value from it: the error's kind and what was
/// expected, the path of the field (`entry[0].messaging[2].timestamp`) and the line
/// and column, all relative to `text` (for an item: the item's own JSON).
pub fn describe(err: &serde_json::Error, text: &str) -> String {
    let message = err.to_string();
    // `Display` appends " at line L column C"; the position is added below.
    let message = match message.rfind(" at line ") {
        Some(i) if err.line() > 0 => &message[..i],
        _ => &message[..],
    };
    let mut out = match err.classify() {
        serde_json::error::Category::Data => scrub(message),
        // Syntax and EOF messages are fixed texts (`expected `,` or `}``, `invalid
        // escape`, ...); I/O cannot happen on a string.
        _ => message.to_owned(),
    };
    if err.line() > 0 {
        let path = path_at(text, offset(text, err.line(), err.column()));
        let path = if path.is_empty() { "the top" } else { &path };
        out.push_str(&format!(
            " at {path} (line {}, column {})",
            err.line(),
            err.column()
        ));
    }
    out
}

/// A data error's message with the value removed. Serde writes these as
/// `<what>: <unexpected>, expected <what we wanted>`; the unexpected part is kept to
/// its kind (`string`, `integer`, `map`), everything in quotes or backticks dropped.
fn scrub(message: &str) -> String {
    for prefix in ["invalid type: ", "invalid value: "] {
        if let Some(rest) = message.strip_prefix(prefix) {
            let (unexpected, expected) = match rest.rfind(", expected ") {
                Some(i) => (&rest[..i], &rest[i..]),
                None => (rest, ""),
            };
            let kind = unexpected.split(['"', '`']).next().unwrap_or("").trim();
            return format!("{prefix}{kind}{expected}");
        }
    }
    for prefix in ["unknown variant ", "unknown field "] {
        if let Some(rest) = message.strip_prefix(prefix) {
            let expected = rest.rfind("`, expected ").map_or("", |i| &rest[i + 1..]);
            return format!("{}{expected}", prefix.trim_end());
        }
    }
    // Serde's own fixed-text data errors name our fields or counts, not body values.
    let fixed = ["missing field `", "duplicate field `", "invalid length "];
    if fixed.iter().any(|p| message.starts_with(p)) || message == "number out of range" {
        return message.to_owned();
    }
    "invalid value".to_owned()
}

/// The byte offset of 1-based `line` and `column` (as `serde_json` counts them).
fn offset(text: &str, line: usize, column: usize) -> usize {
    let start = if line <= 1 {
        0
    } else {
        text.bytes()
            .enumerate()
            .filter(|(_, b)| *b == b'\n')
            .map(|(i, _)| i)
            .nth(line - 2)
            .map_or(text.len(), |i| i + 1)
    };
    (start + column).min(text.len())
}

/// The path of the innermost field open at byte `end` of `text`:
/// `entry[0].changes[1].value.messages[2].timestamp`. Keys that are not plain
/// identifiers (anything but ASCII letters, digits, `_`, `-`, `$`, longer than 64
/// bytes, or with more than four digits, as a phone number or an id used as a key
/// would be) show as `?`, so no body text reaches the path.
fn path_at(text: &str, end: usize) -> String {
    enum Frame {
        Object { key: Option<(usize, usize)> },
        Array { index: usize },
    }
    let bytes = &text.as_bytes()[..end];
    let mut stack: Vec<Frame> = Vec::new();
    let mut expect_key = false;
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'{' => {
                stack.push(Frame::Object { key: None });
                expect_key = true;
            }
            b'[' => stack.push(Frame::Array { index: 0 }),
            b'}' | b']' => {
                stack.pop();
                expect_key = false;
            }
            b',' => match stack.last_mut() {
                Some(Frame::Array { index }) => *index += 1,
                Some(Frame::Object { key }) => {
                    *key = None;
                    expect_key = true;
                }
                None => {}
            },
            b'"' => {
                let start = i + 1;
                i = start;
                while i < bytes.len() && bytes[i] != b'"' {
                    i += if bytes[i] == b'\\' { 2 } else { 1 };
                }
                if expect_key {
                    if let Some(Frame::Object { key }) = stack.last_mut() {
                        *key = Some((start, i.min(bytes.len())));
                    }
                    expect_key = false;
                }
            }
            _ => {}
        }
        i += 1;
    }
    let mut path = String::new();
    for frame in &stack {
        match frame {
            Frame::Object { key: Some((s, e)) } => {
                let key = &bytes[*s..*e];
                let plain = !key.is_empty()
                    && key.len() <= 64
                    && key.iter().filter(|b| b.is_ascii_digit()).count() <= 4
                    && key
                        .iter()
                        .all(|b| b.is_ascii_alphanumeric() || b"_-$".contains(b));
                if !path.is_empty() {
                    path.push('.');
                }
                // `plain` keys are ASCII.
                path.push_str(if plain {
                    std::str::from_utf8(key).unwrap_or("?")
                } else {
                    "?"
                });
            }
            Frame::Object { key: None } => {}
            Frame::Array { index } => path.push_str(&format!("[{index}]")),
        }
    }
    path
}

#[cfg(test)]
mod tests {
    use super::*;

    fn reason_of<T: serde::de::DeserializeOwned + std::fmt::Debug>(text: &str) -> String {
        describe(&serde_json::from_str::<T>(text).unwrap_err(), text)
    }

    #[test]
    fn reasons_name_the_field_not_the_value() {
        #[derive(Debug, serde::Deserialize)]
        #[allow(dead_code)]
        struct Item {
            id: u64,
            kind: Option<Kind>,
        }
        #[derive(Debug, serde::Deserialize)]
        #[serde(rename_all = "lowercase")]
        enum Kind {
            Text,
        }
        let r = reason_of::<Vec<Item>>(r#"[{"id":1},{"id":"ana.perez@example.com"}]"#);
        assert_eq!(
            r,
            "invalid type: string, expected u64 at [1].id (line 1, column 39)"
        );
        let r = reason_of::<Item>(r#"{"id":1,"kind":"573001234567`, expected x"}"#);
        assert!(
            r.starts_with("unknown variant, expected `text` at kind"),
            "{r}"
        );
        assert!(!r.contains("5730"), "{r}");
        let r = reason_of::<Item>("{\n\"kind\": \"text\"\n}");
        assert_eq!(r, "missing field `id` at the top (line 3, column 1)");
        let r = reason_of::<Item>(r#"{"ana.perez@example.com": [1, {"id": tru}]}"#);
        assert_eq!(r, "expected ident at ?[1] (line 1, column 41)");
        let r = reason_of::<Item>(r#"{"573001234567": {"id": tru}}"#);
        assert!(r.starts_with("expected ident at ?"), "{r}");
        assert!(!r.contains("5730"), "{r}");
    }
}
