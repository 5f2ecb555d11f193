//! Text normalization rules applied to every message body.

use unicode_normalization::{is_nfc_quick, IsNormalized, UnicodeNormalization};

/// Normalizes message text: Unicode NFC (so "é" typed two ways compares equal), with
/// control characters removed except newline and tab, and `\r\n` folded to `\n`.
///
/// ```
/// use arichat_core::text::normalize_text;
/// assert_eq!(normalize_text("cafe\u{301}\u{0}\r\nok"), "café\nok");
/// ```
pub fn normalize_text(raw: &str) -> String {
    // Fastest path, a byte at a time: printable ASCII with `\n` and `\t` (most chat
    // text, and most names and captions) is clean and composed as it is.
    if raw
        .bytes()
        .all(|b| (b' '..0x7f).contains(&b) || b == b'\n' || b == b'\t')
    {
        return raw.to_owned();
    }
    // Fast path: most other text is already clean and composed. Below U+0300 (ASCII, Latin-1,
    // Latin Extended) every character is its own NFC; above, the quick NFC check answers
    // "yes" only when composing cannot change the text ("maybe" goes the slow way).
    let mut below_combining = true;
    for c in raw.chars() {
        if c.is_control() && c != '\n' && c != '\t' {
            return compose(raw);
        }
        below_combining &= c < '\u{300}';
    }
    if below_combining || is_nfc_quick(raw.chars()) == IsNormalized::Yes {
        return raw.to_owned();
    }
    compose(raw)
}

fn compose(raw: &str) -> String {
    // Drop controls before composing, so "e\0\u{301}" becomes "é", not "e\u{301}".
    raw.replace("\r\n", "\n")
        .chars()
        .filter(|c| !c.is_control() || *c == '\n' || *c == '\t')
        .nfc()
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn keeps_emoji_and_accents() {
        assert_eq!(normalize_text("hola 👋 ¿cuánto?"), "hola 👋 ¿cuánto?");
        assert_eq!(normalize_text("a\u{7}b\u{1b}c\td"), "abc\td");
    }

    proptest! {
        #[test]
        fn idempotent_and_control_free(s in "\\PC*|[\\x00-\\x1f a-z\u{300}-\u{36f}]*") {
            let once = normalize_text(&s);
            prop_assert_eq!(normalize_text(&once), once.clone());
            prop_assert!(once.chars().all(|c| !c.is_control() || c == '\n' || c == '\t'));
        }

        #[test]
        fn fast_path_agrees_with_composing(s in "\\PC*|[\\x00-\\x1f a-zé\u{300}-\u{36f}\u{ac00}-\u{ac10}\u{1100}-\u{1112}\u{1161}]*") {
            prop_assert_eq!(normalize_text(&s), compose(&s));
        }
    }
}
