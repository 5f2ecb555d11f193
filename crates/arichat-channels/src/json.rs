//! Reading an untrusted webhook body as JSON text: the repairs made before parsing,
//! and error reasons that never quote the body.
//!
//! # Repairs (before any parse)
//! `JSON.parse` and Python's `json.loads` accept two things `serde_json` refuses, and
//! Meta redelivers a refused body unchanged, so refusing it would lose every item in
//! it for good:
//! - a lone surrogate escape (`\ud83d` not followed by a low surrogate escape, or a
//!   low one without a high one before it) is rewritten to `\ufffd` (U+FFFD, the
//!   replacement character) — same length, so positions in the body do not move;
//! - bytes that are not UTF-8 are replaced by U+FFFD, as `TextDecoder` does.
//!
//! Both change only the affected string; the item is then mapped as usual. A body
//! needing neither (every real one) is not copied; the check is one `memchr` scan for
//! backslashes and the UTF-8 validation every parse needs anyway.
//!
//! # Reasons
//! `serde_json` messages quote the offending value (`invalid type: string
//! "ana.perez@…"`, ``unknown variant `57300…` ``). [`reason`] keeps the kind of the
//! error and what was expected, drops the value, and adds the path of the field and
//! the line and column: `invalid type: string, expected i64 at update_id (line 1,
//! column 36)`.

use std::borrow::Cow;

/// The body as UTF-8 text with lone surrogate escapes and invalid UTF-8 replaced by
/// U+FFFD; borrowed when nothing needed repair.
pub(crate) fn repair(body: &[u8]) -> Cow<'_, str> {
    let text = match std::str::from_utf8(body) {
        Ok(text) => Cow::Borrowed(text),
        Err(_) => Cow::Owned(String::from_utf8_lossy(body).into_owned()),
    };
    let lone = lone_surrogates(text.as_bytes());
    if lone.is_empty() {
        return text;
    }
    let mut bytes = text.into_owned().into_bytes();
    for at in lone {
        bytes[at..at + 6].copy_from_slice(b"\\ufffd");
    }
    // Only ASCII was replaced by ASCII.
    String::from_utf8(bytes).unwrap_or_default().into()
}

/// Offsets of the `\uXXXX` escapes that are lone surrogates.
fn lone_surrogates(text: &[u8]) -> Vec<usize> {
    let mut lone = Vec::new();
    let mut next = 0;
    // A plain byte search: a `memmem` finder costs more to build than most bodies
    // take to scan.
    for at in memchr::memchr_iter(b'\\', text) {
        if at < next || text.get(at + 1) != Some(&b'u') || !is_escape(text, at) {
            continue;
        }
        match hex4(text, at) {
            Some(0xD800..=0xDBFF) => {
                if matches!(hex4(text, at + 6), Some(0xDC00..=0xDFFF)) {
                    next = at + 12;
                } else {
                    lone.push(at);
                }
            }
            Some(0xDC00..=0xDFFF) => lone.push(at),
            _ => {}
        }
    }
    lone
}

/// Whether the backslash at `at` starts an escape (is not itself escaped): an even
/// number of backslashes precede it.
fn is_escape(text: &[u8], at: usize) -> bool {
    text[..at].iter().rev().take_while(|&&b| b == b'\\').count() % 2 == 0
}

/// The code unit of the `\uXXXX` escape at `at`, if there is one.
fn hex4(text: &[u8], at: usize) -> Option<u16> {
    let digits = text.get(at..at + 6)?.strip_prefix(b"\\u")?;
    let digits = std::str::from_utf8(digits).ok()?;
    u16::from_str_radix(digits, 16).ok()
}

/// Why `text` did not read, without any value from it (see
/// [`arichat_core::json_error::describe`]).
pub(crate) use arichat_core::json_error::describe as reason;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn repairs_lone_surrogates_only() {
        assert!(matches!(
            repair(br#"{"a":"\ud83d\ude00 \u00e1"}"#),
            Cow::Borrowed(_)
        ));
        assert_eq!(repair(br#"["\ud83d x"]"#), r#"["\ufffd x"]"#);
        assert_eq!(repair(br#"["\uDE00\uD83D"]"#), r#"["\ufffd\ufffd"]"#);
        assert_eq!(
            repair(br#"["\ud83d\ud83d\ude00"]"#),
            r#"["\ufffd\ud83d\ude00"]"#
        );
        // An escaped backslash followed by "ud83d" is text, not an escape.
        assert!(matches!(repair(br#"["\\ud83d"]"#), Cow::Borrowed(_)));
        assert_eq!(repair(br#"["\\\ud83d"]"#), r#"["\\\ufffd"]"#);
        assert_eq!(repair(b"[\"a\xffb\"]"), "[\"a\u{fffd}b\"]");
        let v: serde_json::Value = serde_json::from_str(&repair(br#"["a\udc00"]"#)).unwrap();
        assert_eq!(v[0], "a\u{fffd}");
    }
}
