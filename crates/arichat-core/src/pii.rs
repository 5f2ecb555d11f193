//! Masking of personal data for `Debug` output.
//!
//! `Debug` output reaches logs and panic messages, so every type that can hold what a
//! contact is or wrote prints through these: ids and phones keep a few characters at
//! each end, names their first letter, free text and vendor JSON only their size.

use std::fmt;

/// Keeps the first `head` and last `tail` characters and replaces the rest with `*`.
pub(crate) fn mask(value: &str, head: usize, tail: usize) -> String {
    let chars: Vec<char> = value.chars().collect();
    if chars.len() <= head + tail {
        return "*".repeat(chars.len());
    }
    let mut out: String = chars[..head].iter().collect();
    out.extend(std::iter::repeat_n('*', chars.len() - head - tail));
    out.extend(&chars[chars.len() - tail..]);
    out
}

/// An id (wa_id, PSID, IGSID, Telegram user id): two characters kept at each end.
pub(crate) struct Id<'a>(pub &'a str);

impl fmt::Debug for Id<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:?}", mask(self.0, 2, 2))
    }
}

/// A person's name: the first letter kept.
pub(crate) struct Name<'a>(pub &'a str);

impl fmt::Debug for Name<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:?}", mask(self.0, 1, 0))
    }
}

/// Free text a contact wrote: only its length.
pub(crate) struct Text<'a>(pub &'a str);

impl fmt::Debug for Text<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "<{} chars>", self.0.chars().count())
    }
}

/// Vendor JSON that may hold contact data (contact cards, unmapped items): its shape.
pub(crate) struct Json<'a>(pub &'a serde_json::Value);

impl fmt::Debug for Json<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.0 {
            serde_json::Value::Object(m) => write!(f, "<object of {} keys>", m.len()),
            serde_json::Value::Array(a) => write!(f, "<array of {} items>", a.len()),
            serde_json::Value::String(s) => Text(s).fmt(f),
            other => write!(f, "<{}>", if other.is_null() { "null" } else { "scalar" }),
        }
    }
}

/// A vendor's name for a kind of thing (`ephemeral`, `account_update`), taken from the
/// body: shown when it looks like a name (ASCII letters, `_`, `-`, `.`, at most four
/// digits, up to 64 bytes), else by length only.
pub(crate) struct Keyword<'a>(pub &'a str);

impl fmt::Debug for Keyword<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let s = self.0;
        let plain = s.len() <= 64
            && s.bytes().filter(u8::is_ascii_digit).count() <= 4
            && s.bytes()
                .all(|b| b.is_ascii_alphanumeric() || b"_-.".contains(&b));
        if plain {
            write!(f, "{s:?}")
        } else {
            Text(s).fmt(f)
        }
    }
}

/// A list of vendor JSON values: how many.
pub(crate) struct Many<'a, T>(pub &'a [T]);

impl<T> fmt::Debug for Many<'_, T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "<{} items>", self.0.len())
    }
}

#[cfg(test)]
mod tests {
    use super::mask;

    #[test]
    fn masks_the_middle() {
        assert_eq!(mask("+573001234567", 3, 2), "+57********67");
        assert_eq!(mask("ab", 3, 2), "**");
    }
}
