//! Whether JSON text already known to be syntactically valid (a
//! [`RawValue`](serde_json::value::RawValue)) would read as a `serde_json::Value`,
//! mostly without tokenizing it again.
//!
//! A `RawValue` is read by serde_json's skipping tokenizer, which checks syntax only.
//! A `Value` refuses three more things: a number past `f64` (`1e400`, 400 digits), a
//! `\u` escape that is half of a surrogate pair with no other half, and nesting deeper
//! than 128. Kept items were checked for them by a second full read
//! ([`arichat_core::ValueCheck`], or [`crate::fields::check`]'s member names): 13 % of
//! Telegram normalize time (perf), where half the corpus is kept raw.
//! [`plainly_readable`] scans the bytes once instead, and proves none of the three can
//! occur when the text has no run of 100 or more digits (runs from 88 on may already
//! go to the full check), no digit followed by `e`/`E`
//! and an exponent of 3 or more digits, no `\u` starting with `d`/`D`, and fewer than
//! 100 `{`/`[` in all — counting inside strings too, so a string can only send the text
//! to the full check, never past it. Anything else takes the full check the caller
//! made before, with its error.

/// Longest digit run and bracket count the scan accepts: far inside
/// what `f64` and serde_json's depth limit (128) allow.
const MAX_DIGITS: usize = 100;
const MAX_BRACKETS: usize = 100;

/// The scan of `text` (a valid JSON value's text): `true` only when none of what a
/// `Value` refuses can be in it; `false` says nothing, and the caller checks in full.
///
/// The scan looks at a 6-byte window at every position without branching on the
/// bytes, so the compiler turns it into vector code: a byte loop with early exits,
/// or `memchr` for `e` (the commonest letter), cost as much as the full check.
pub(crate) fn plainly_readable(text: &str) -> bool {
    let text = text.as_bytes();
    !long_digit_run(text) && windows_plain(text)
}

/// Bytes each position's window looks at: `d` `e` `±` `d` `d` `d` at most.
const WINDOW: usize = 6;

/// Positions per [`window_run`]: few enough that the bracket count fits a `u8`, which
/// lets the loop use one byte lane per position.
const BLOCK: usize = 255;

/// No long exponent, no surrogate escape and fewer than `MAX_BRACKETS` brackets.
fn windows_plain(text: &[u8]) -> bool {
    // Positions whose whole window is in `text`; the last few see it zero-padded.
    let full = text.len().saturating_sub(WINDOW - 1);
    let mut brackets = 0;
    for start in (0..full).step_by(BLOCK) {
        let end = (start + BLOCK).min(full);
        let (found, count) = window_run(&text[start..end + WINDOW - 1], end - start);
        brackets += count;
        if found || brackets >= MAX_BRACKETS {
            return false;
        }
    }
    let mut tail = [0u8; 2 * WINDOW];
    let rest = &text[full..];
    tail[..rest.len()].copy_from_slice(rest);
    let (found, count) = window_run(&tail, rest.len());
    !found && brackets + count < MAX_BRACKETS
}

/// Over the first `n` positions (at most [`BLOCK`]) of `bytes` (which holds
/// `n + WINDOW - 1` bytes or more): whether a long exponent or a surrogate escape
/// starts at one, and how many are `{` or `[`.
///
/// A first pass looks at two bytes per position (a digit then `e`/`E`, or `\u`) and
/// counts brackets; only a block where it finds one is looked at through the whole
/// window, which costs three times as much.
fn window_run(bytes: &[u8], n: usize) -> (bool, usize) {
    let (a, b) = (&bytes[..n], &bytes[1..n + 1]);
    let mut suspect = false;
    let mut count = 0u8;
    for i in 0..n {
        suspect |= (digit(a[i]) & (b[i] | 0x20 == b'e')) | ((a[i] == b'\\') & (b[i] == b'u'));
        count = count.wrapping_add(u8::from((a[i] == b'{') | (a[i] == b'[')));
    }
    (suspect && window_found(bytes, n), usize::from(count))
}

/// The whole-window look of [`window_run`].
fn window_found(bytes: &[u8], n: usize) -> bool {
    // Six views of one length: the loop indexes them without bounds checks.
    let (a, b, c) = (&bytes[..n], &bytes[1..n + 1], &bytes[2..n + 2]);
    let (d, e, f) = (&bytes[3..n + 3], &bytes[4..n + 4], &bytes[5..n + 5]);
    let mut found = false;
    for i in 0..n {
        let exponent = digit(a[i])
            & (b[i] | 0x20 == b'e')
            & ((digit(c[i]) & digit(d[i]) & digit(e[i]))
                | ((c[i] == b'+') | (c[i] == b'-')) & digit(d[i]) & digit(e[i]) & digit(f[i]));
        let surrogate = (a[i] == b'\\') & (b[i] == b'u') & (c[i] | 0x20 == b'd');
        found |= exponent | surrogate;
    }
    found
}

/// An ASCII digit, without a branch.
fn digit(x: u8) -> bool {
    x.wrapping_sub(b'0') < 10
}

/// Whether some run of digits may be `MAX_DIGITS` long: such a run covers at least
/// `(MAX_DIGITS - 7) / 8` whole aligned 8-byte blocks in a row, each all digits.
fn long_digit_run(text: &[u8]) -> bool {
    const BLOCKS: usize = (MAX_DIGITS - 7) / 8;
    let mut run = 0;
    for block in text.chunks_exact(8) {
        if block.iter().all(u8::is_ascii_digit) {
            run += 1;
            if run >= BLOCKS {
                return true;
            }
        } else {
            run = 0;
        }
    }
    false
}

#[cfg(test)]
mod tests {
    use super::*;
    use arichat_core::ValueCheck;
    use proptest::prelude::*;
    use serde_json::value::RawValue;

    fn full(text: &str) -> bool {
        serde_json::from_str::<ValueCheck>(text).is_ok()
    }

    #[test]
    fn what_a_value_refuses_goes_to_the_full_check() {
        let deep = format!("{}1{}", "[".repeat(200), "]".repeat(200));
        let long = format!("[1{}]", "0".repeat(400));
        for text in [
            "1e400",
            "[-1.5E+400]",
            r#"{"a": "\ud800"}"#,
            r#"["\uDC00x"]"#,
            deep.as_str(),
            long.as_str(),
        ] {
            assert!(!plainly_readable(text), "{text}");
            assert!(!full(text), "{text}");
        }
    }

    #[test]
    fn ordinary_updates_pass_the_scan() {
        for text in [
            r#"{"update_id": 10, "message": {"text": "h\u00e9 \"q\"", "date": 1700000000}}"#,
            r#"[1.5e10, -0, 2E-7, "e123", "\u00e9"]"#,
            r#"{"lat": 4.711, "nested": [[{}], {"x": null, "y": true}]}"#,
        ] {
            assert!(full(text), "{text}");
        }
        assert!(plainly_readable(r#"{"a": [1.5e10, 2E-7, "x", "e123"]}"#));
        // A pair of surrogates reads, but the scan leaves it to the full check.
        assert!(!plainly_readable(r#""\ud83d\ude00""#));
    }

    proptest! {
        /// The scan never passes text the full check refuses: JSON text (valid for
        /// `RawValue`) built from numbers up to 400 digits with exponents up to 4
        /// digits, strings with every kind of `\u` escape, and nesting up to 150.
        #[test]
        fn the_scan_passes_nothing_the_full_check_refuses(text in arb_text()) {
            let raw = serde_json::from_str::<&RawValue>(&text).unwrap();
            if plainly_readable(raw.get()) {
                prop_assert!(full(raw.get()), "{}", raw.get());
            }
        }

        /// Deep or long values built to be valid JSON: the scan agrees with the full
        /// check whenever it passes them.
        #[test]
        fn nested_numbers_agree(depth in 0usize..200, digits in 1usize..400, exp in 0u32..500) {
            let number = format!("{}e{exp}", "9".repeat(digits));
            let text = format!("{}{number}{}", "[".repeat(depth), "]".repeat(depth));
            if plainly_readable(&text) {
                prop_assert!(full(&text), "{}", text);
            }
        }
    }

    fn arb_text() -> impl Strategy<Value = String> {
        let leaf = prop_oneof![
            "-?[1-9][0-9]{0,399}",
            "-?[1-9][0-9]{0,3}\\.[0-9]{1,3}[eE][+-]?[0-9]{1,4}",
            "-?[0-9][eE][+-]?[0-9]{1,4}",
            "\"([a-e0-9 ]|\\\\u[dD][0-9a-fA-F]{3}|\\\\u00e9|\\\\\\\\){0,6}\"",
            Just("null".to_owned()),
        ];
        leaf.prop_recursive(8, 160, 20, |inner| {
            prop_oneof![
                prop::collection::vec(inner.clone(), 0..20)
                    .prop_map(|items| format!("[{}]", items.join(","))),
                prop::collection::vec(("[a-e]{0,2}", inner.clone()), 0..6).prop_map(|members| {
                    let members: Vec<String> = members
                        .iter()
                        .map(|(k, v)| format!("\"{k}\": {v}"))
                        .collect();
                    format!("{{{}}}", members.join(", "))
                }),
                // A deep chain: past the 128 levels a `Value` allows.
                (1usize..150, inner).prop_map(|(depth, v)| {
                    format!("{}{v}{}", "[".repeat(depth), "]".repeat(depth))
                }),
            ]
        })
    }
}
