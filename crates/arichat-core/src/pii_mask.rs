//! Masking contact data in message text before it leaves the process (an LLM request).
//!
//! [`mask_contact_data`] replaces, in one pass and in this order:
//!
//! 1. **Emails** — `local@domain.tld` (local part of letters, digits and `._%+-`; a
//!    domain with at least one dot) → `[email]`.
//! 2. **Digit runs** of 7 digits or more, written with single spaces, dashes or
//!    parentheses between the groups (`+52 1 55 1234-5678`, `(11) 98765-4321`,
//!    `4111 1111 1111 1111`): a run that starts with `+` or has fewer than 13 digits →
//!    `[phone]`; 13 to 19 digits → `[card]`; longer → `[number]`.
//!
//! Dots and commas do not join groups, so amounts (`1.500.000`, `2,499.90`) stay
//! readable — a price question must still look like one. Runs under 7 digits (order
//! numbers, quantities, "10x") are kept. A run glued to a letter (`A1234567`,
//! `abc1234567`) still counts: a reference that holds a phone is masked too.
//!
//! ```
//! use arichat_core::pii_mask::mask_contact_data;
//! assert_eq!(
//!     mask_contact_data("soy ana@mail.com, cel +52 55 1234 5678, tarjeta 4111-1111-1111-1111, cuesta 1.500.000?"),
//!     "soy [email], cel [phone], tarjeta [card], cuesta 1.500.000?",
//! );
//! ```

/// Replaces emails, phone numbers and card-like digit runs in `text` with `[email]`,
/// `[phone]`, `[card]` (or `[number]` past 19 digits). See the [module
/// documentation](self) for what counts as each. Never panics; masking twice changes
/// nothing more.
pub fn mask_contact_data(text: &str) -> String {
    let emails = email_spans(text);
    let mut out = String::with_capacity(text.len());
    let mut from = 0;
    for (start, end) in emails {
        mask_numbers(&text[from..start], &mut out);
        out.push_str(EMAIL);
        from = end;
    }
    mask_numbers(&text[from..], &mut out);
    out
}

const EMAIL: &str = "[email]";
const PHONE: &str = "[phone]";
const CARD: &str = "[card]";
const NUMBER: &str = "[number]";

/// Fewest digits a masked run has: shorter local numbers exist, but below 7 digits a
/// run is far more often a quantity, a price or an order number.
const MIN_DIGITS: usize = 7;

fn is_local_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b"._%+-".contains(&b)
}

fn is_domain_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'.' || b == b'-'
}

/// Byte spans of the emails in `text`, in order, not overlapping. All bounds fall on
/// ASCII bytes, so they are char boundaries.
fn email_spans(text: &str) -> Vec<(usize, usize)> {
    let bytes = text.as_bytes();
    let mut spans = Vec::new();
    let mut searched = 0;
    while let Some(offset) = bytes[searched..].iter().position(|&b| b == b'@') {
        let at = searched + offset;
        searched = at + 1;
        let floor = spans.last().map_or(0, |&(_, end)| end);
        let mut start = at;
        while start > floor && is_local_byte(bytes[start - 1]) {
            start -= 1;
        }
        let mut end = at + 1;
        while end < bytes.len() && is_domain_byte(bytes[end]) {
            end += 1;
        }
        // "mail.com." at the end of a sentence: the dot is punctuation.
        while end > at + 1 && matches!(bytes[end - 1], b'.' | b'-') {
            end -= 1;
        }
        let domain = &text[at + 1..end];
        let dotted = domain.split('.').all(|label| !label.is_empty()) && domain.contains('.');
        if start < at && dotted {
            spans.push((start, end));
            searched = end;
        }
    }
    spans
}

/// Appends `segment` to `out` with its digit runs masked.
fn mask_numbers(segment: &str, out: &mut String) {
    let bytes = segment.as_bytes();
    let mut copied = 0;
    let mut i = 0;
    while i < bytes.len() {
        let plus = bytes[i] == b'+' && bytes.get(i + 1).is_some_and(u8::is_ascii_digit);
        let paren = bytes[i] == b'(' && bytes.get(i + 1).is_some_and(u8::is_ascii_digit);
        if !(bytes[i].is_ascii_digit() || plus || paren) {
            i += 1;
            continue;
        }
        let (end, digits) = digit_run(bytes, i);
        if digits >= MIN_DIGITS {
            out.push_str(&segment[copied..i]);
            out.push_str(if plus || digits < 13 {
                PHONE
            } else if digits <= 19 {
                CARD
            } else {
                NUMBER
            });
            copied = end;
        }
        i = end.max(i + 1);
    }
    out.push_str(&segment[copied..]);
}

/// From `start` (a digit, `+` or `(`), the end of the run of digit groups joined by at
/// most two of ` `, `-`, `(`, `)`, and how many digits it holds. The run ends on a
/// digit, or on the `)` closing a group it opened.
fn digit_run(bytes: &[u8], start: usize) -> (usize, usize) {
    let mut i = start + usize::from(!bytes[start].is_ascii_digit());
    let mut end = i;
    let mut digits = 0;
    loop {
        while i < bytes.len() && bytes[i].is_ascii_digit() {
            i += 1;
            digits += 1;
            end = i;
        }
        let mut j = i;
        while j < bytes.len() && j - i < 2 && b" -()".contains(&bytes[j]) {
            j += 1;
        }
        if j > i && j < bytes.len() && bytes[j].is_ascii_digit() {
            i = j;
        } else {
            if bytes.get(i) == Some(&b')') && bytes[start] == b'(' && end == i {
                end = i + 1;
            }
            return (end, digits);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn phones_as_customers_write_them() {
        for (text, masked) in [
            ("llámame al 55 1234 5678", "llámame al [phone]"),
            ("meu zap (11) 98765-4321 ok", "meu zap [phone] ok"),
            ("+5215512345678", "[phone]"),
            ("+55 11 98765 4321.", "[phone]."),
            ("call 415-555-0132 pls", "call [phone] pls"),
            ("tel:3001234567", "tel:[phone]"),
        ] {
            assert_eq!(mask_contact_data(text), masked, "{text}");
        }
    }

    #[test]
    fn cards_and_long_numbers() {
        assert_eq!(mask_contact_data("4111 1111 1111 1111"), "[card]");
        assert_eq!(
            mask_contact_data("5500-0000-0000-0004 vence"),
            "[card] vence"
        );
        assert_eq!(mask_contact_data("378282246310005"), "[card]");
        assert_eq!(
            mask_contact_data("ref 12345678901234567890123"),
            "ref [number]"
        );
    }

    #[test]
    fn emails() {
        assert_eq!(
            mask_contact_data("escríbeme a Juan.Perez+ofertas@correo.com.mx."),
            "escríbeme a [email]."
        );
        assert_eq!(mask_contact_data("a@b.co y c@d.io"), "[email] y [email]");
        // Not an address: no dot in the domain, nothing before the @.
        assert_eq!(
            mask_contact_data("@soporte hola@local"),
            "@soporte hola@local"
        );
        // Digits inside an address go with the address.
        assert_eq!(mask_contact_data("5512345678@wa.me"), "[email]");
    }

    #[test]
    fn prices_quantities_and_orders_stay() {
        for text in [
            "cuesta 1.500.000?",
            "R$ 2.499,90 em 10x",
            "pedido 123456 no llegó",
            "quiero 3 de 250 ml",
            "el 12/05 a las 17:30",
        ] {
            assert_eq!(mask_contact_data(text), text);
        }
    }

    fn any_text() -> impl Strategy<Value = String> {
        proptest::string::string_regex("[a-zA-Z0-9 @.+()\\-_éñ€😀,]{0,80}").unwrap()
    }

    proptest! {
        #[test]
        fn never_panics_and_is_idempotent(text in any_text()) {
            let once = mask_contact_data(&text);
            prop_assert_eq!(mask_contact_data(&once), once.clone());
        }

        #[test]
        fn arbitrary_unicode_never_panics(text in "\\PC{0,60}") {
            mask_contact_data(&text);
        }

        #[test]
        fn no_digit_of_a_phone_card_or_email_survives(
            before in "[a-zñ ]{0,12}",
            groups in proptest::collection::vec("[0-9]{2,5}", 3..6),
            sep in prop_oneof![Just(" "), Just("-"), Just("")],
            plus in any::<bool>(),
            user in "[a-z]{1,8}[0-9]{0,4}",
            after in "[a-zñ ]{0,12}",
        ) {
            let number = format!("{}{}", if plus { "+" } else { "" }, groups.join(sep));
            let digits = number.bytes().filter(u8::is_ascii_digit).count();
            let text = format!("{before} {number} {after} {user}@mail.com");
            let masked = mask_contact_data(&text);
            prop_assert!(!masked.contains('@'), "{}", masked);
            if digits >= MIN_DIGITS {
                prop_assert!(!masked.bytes().any(|b| b.is_ascii_digit()), "{}", masked);
            }
        }
    }
}
