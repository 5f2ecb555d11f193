//! Masking of personal data for `Debug` output.

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

#[cfg(test)]
mod tests {
    use super::mask;

    #[test]
    fn masks_the_middle() {
        assert_eq!(mask("+573001234567", 3, 2), "+57********67");
        assert_eq!(mask("ab", 3, 2), "**");
    }
}
