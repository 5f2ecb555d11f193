//! Reading one cell: a number in the chosen format, a missing marker, or neither.

use super::format::{NumberFormat, NumberFormatError};

/// Missing markers when none are given, compared ignoring ASCII case. An empty (or
/// blank) cell is always missing.
pub const DEFAULT_MISSING: &[&str] = &["N/A", "NA", "#N/A", "-", "null", "none", "nan"];

/// Currency symbols and ISO codes of the region's money, stripped before or after the
/// number (`$1.234`, `R$ 1.234,50`, `1.234 COP`, `₡1 000`). Longest first.
const CURRENCY: &[&str] = &[
    "US$", "MX$", "COL$", "R$", "S/.", "S/", "B/.", "C$", "$U", "$", "₡", "€", "Bs", "Q", "COP",
    "BRL", "MXN", "ARS", "CLP", "UYU", "PEN", "CRC", "USD", "EUR",
];

/// What one cell holds.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Parsed {
    /// A finite number.
    Number(f64),
    /// Empty, or a missing marker.
    Missing,
    /// Neither: a problem to count and report.
    Invalid,
}

/// Reads number cells: a [`NumberFormat`] and the missing markers. Build one with
/// [`NumberParser::from_options`], the one place `--locale`, `--decimal` and
/// `--missing` (and their Python keywords) are decided.
///
/// ```
/// use arichat_core::numbers::{NumberParser, Parsed};
/// let co = NumberParser::from_options(Some("es-CO"), None, None).unwrap();
/// assert_eq!(co.parse("1.234.567,5"), Parsed::Number(1234567.5));
/// assert_eq!(co.parse("$ 4,857"), Parsed::Number(4.857));
/// assert_eq!(co.parse("N/A"), Parsed::Missing);
/// assert_eq!(co.parse("cuatro"), Parsed::Invalid);
/// let plain = NumberParser::default();
/// assert_eq!(plain.parse("4.857"), Parsed::Number(4.857));
/// assert_eq!(plain.parse("4,857"), Parsed::Invalid);
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct NumberParser {
    format: NumberFormat,
    /// Lowercase markers.
    missing: Vec<String>,
}

impl Default for NumberParser {
    fn default() -> Self {
        NumberParser::new(NumberFormat::PLAIN)
    }
}

impl NumberParser {
    /// A parser for `format` with [`DEFAULT_MISSING`].
    pub fn new(format: NumberFormat) -> Self {
        NumberParser {
            format,
            missing: DEFAULT_MISSING.iter().map(|m| m.to_lowercase()).collect(),
        }
    }

    /// Replaces the missing markers (blank stays missing).
    #[must_use]
    pub fn with_missing<S: AsRef<str>>(mut self, markers: impl IntoIterator<Item = S>) -> Self {
        self.missing = markers
            .into_iter()
            .map(|m| m.as_ref().trim().to_lowercase())
            .filter(|m| !m.is_empty())
            .collect();
        self
    }

    /// A parser from the user's options: a locale tag or a decimal separator (not
    /// both; neither is [`NumberFormat::PLAIN`]) and the missing markers (none given:
    /// [`DEFAULT_MISSING`]).
    ///
    /// # Errors
    /// [`NumberFormatError`] for an unknown locale or separator, or both given.
    pub fn from_options(
        locale: Option<&str>,
        decimal: Option<&str>,
        missing: Option<&[String]>,
    ) -> Result<Self, NumberFormatError> {
        let format = match (locale, decimal) {
            (Some(_), Some(_)) => return Err(NumberFormatError::Both),
            (Some(tag), None) => tag.parse()?,
            (None, Some(d)) => NumberFormat::with_decimal(d)?,
            (None, None) => NumberFormat::PLAIN,
        };
        let parser = NumberParser::new(format);
        Ok(match missing {
            Some(m) => parser.with_missing(m),
            None => parser,
        })
    }

    /// The format numbers are read in.
    pub fn format(&self) -> NumberFormat {
        self.format
    }

    /// Whether a trimmed cell is blank or a missing marker.
    #[inline]
    pub fn is_missing(&self, trimmed: &str) -> bool {
        trimmed.is_empty() || self.missing.iter().any(|m| m.eq_ignore_ascii_case(trimmed))
    }

    /// Reads one cell.
    #[inline]
    pub fn parse(&self, raw: &str) -> Parsed {
        let t = raw.trim();
        // Plain digits, the common case: exact, no float parsing.
        if !t.is_empty() && t.len() <= 15 && t.bytes().all(|b| b.is_ascii_digit()) {
            return Parsed::Number(t.bytes().fold(0u64, |n, b| n * 10 + u64::from(b - b'0')) as f64);
        }
        if self.is_missing(t) {
            return Parsed::Missing;
        }
        parse_in(t, self.format).map_or(Parsed::Invalid, Parsed::Number)
    }

    /// Whether a column of cells reads as numbers: every cell a number or missing, and
    /// at least one a number.
    ///
    /// ```
    /// use arichat_core::numbers::NumberParser;
    /// let co = NumberParser::from_options(Some("es-CO"), None, None).unwrap();
    /// assert!(co.reads_as_numbers(["4,857", "N/A", "1.000"]));
    /// assert!(!co.reads_as_numbers(["4,857", "abc"]));
    /// assert!(!co.reads_as_numbers(["N/A", ""]));
    /// ```
    pub fn reads_as_numbers<'a>(&self, cells: impl IntoIterator<Item = &'a str>) -> bool {
        let mut any = false;
        for c in cells {
            match self.parse(c) {
                Parsed::Number(_) => any = true,
                Parsed::Missing => {}
                Parsed::Invalid => return false,
            }
        }
        any
    }

    /// For an [`Parsed::Invalid`] cell: the other convention it reads in, if any (a
    /// column of `1.234,5` read as `1,234.5`), to tell the reader which option to pass.
    pub fn other_convention(&self, raw: &str) -> Option<NumberFormat> {
        let t = raw.trim();
        self.format.others().find(|f| parse_in(t, *f).is_some())
    }
}

/// A finite number written plainly ([`NumberFormat::PLAIN`]), from trimmed text.
pub(crate) fn parse_plain(t: &str) -> Option<f64> {
    parse_in(t, NumberFormat::PLAIN)
}

/// A finite number written in `format`, with an optional sign and currency symbol,
/// from trimmed text. The digits are rewritten as plain text and parsed once, so
/// `4,857` is exactly the `f64` of the literal `4.857`.
pub(crate) fn parse_in(t: &str, format: NumberFormat) -> Option<f64> {
    let (negative, body) = strip_sign_and_currency(t);
    let mut out = Plain::default();
    if negative {
        out.push(b'-')?;
    }
    let mut digits_in_group = 0usize;
    let mut groups = 0usize;
    let mut int_digits = 0usize;
    let mut chars = body.chars().peekable();
    // Integer part, with grouping.
    while let Some(&c) = chars.peek() {
        if c.is_ascii_digit() {
            out.push(c as u8)?;
            digits_in_group += 1;
            int_digits += 1;
        } else if format.grouping.is_separator(c) {
            // First group 1-3 digits and no leading zero (`0.634` is no grouped
            // number), later ones exactly 3.
            let ok = if groups == 0 {
                (1..=3).contains(&digits_in_group) && !body.starts_with('0')
            } else {
                digits_in_group == 3
            };
            if !ok {
                return None;
            }
            groups += 1;
            digits_in_group = 0;
        } else {
            break;
        }
        chars.next();
    }
    if groups > 0 && digits_in_group != 3 {
        return None;
    }
    let mut frac_digits = 0usize;
    if chars.peek() == Some(&format.decimal) {
        chars.next();
        out.push(b'.')?;
        frac_digits = out.digits(&mut chars)?;
    }
    if int_digits + frac_digits == 0 {
        return None;
    }
    // An exponent, without grouping only (`1e6`, `2.5E-3`).
    if groups == 0 && matches!(chars.peek(), Some('e' | 'E')) {
        chars.next();
        out.push(b'e')?;
        if let Some(&s @ ('+' | '-')) = chars.peek() {
            out.push(s as u8)?;
            chars.next();
        }
        if out.digits(&mut chars)? == 0 {
            return None;
        }
    }
    if chars.next().is_some() {
        return None;
    }
    let text = std::str::from_utf8(&out.buf[..out.len]).ok()?;
    text.parse::<f64>().ok().filter(|n| n.is_finite())
}

/// The number rewritten as plain ASCII text, on the stack (64 bytes is more digits
/// than an `f64` keeps).
struct Plain {
    buf: [u8; 64],
    len: usize,
}

impl Default for Plain {
    fn default() -> Self {
        Plain {
            buf: [0; 64],
            len: 0,
        }
    }
}

impl Plain {
    fn push(&mut self, b: u8) -> Option<()> {
        *self.buf.get_mut(self.len)? = b;
        self.len += 1;
        Some(())
    }

    /// Copies a run of ASCII digits; how many.
    fn digits(&mut self, chars: &mut std::iter::Peekable<std::str::Chars<'_>>) -> Option<usize> {
        let mut n = 0;
        while let Some(c) = chars.next_if(char::is_ascii_digit) {
            self.push(c as u8)?;
            n += 1;
        }
        Some(n)
    }
}

/// Strips one leading sign and a currency symbol or code on either side (in any
/// order: `-$5`, `$-5`, `5 USD`), and the spaces between them.
fn strip_sign_and_currency(t: &str) -> (bool, &str) {
    // Most cells start and end with a digit (or a sign, or the decimal point): no
    // symbol to look for.
    let b = t.as_bytes();
    let plain_start = |c: u8| c.is_ascii_digit() || matches!(c, b'.' | b',');
    if let (Some(&first), Some(&last)) = (b.first(), b.last()) {
        if last.is_ascii_digit() {
            if plain_start(first) {
                return (false, t);
            }
            if first == b'-' && b.get(1).copied().is_some_and(plain_start) {
                return (true, &t[1..]);
            }
        }
    }
    let mut s = t;
    let mut negative = false;
    let mut signed = false;
    let mut currency = false;
    loop {
        let before = s;
        if !signed {
            if let Some(rest) = s.strip_prefix(['-', '−']) {
                (s, negative, signed) = (rest, true, true);
            } else if let Some(rest) = s.strip_prefix('+') {
                (s, signed) = (rest, true);
            }
        }
        if !currency {
            if let Some(sym) = CURRENCY.iter().find(|c| s.starts_with(**c)) {
                (s, currency) = (&s[sym.len()..], true);
            } else if let Some(sym) = CURRENCY.iter().find(|c| s.ends_with(**c)) {
                (s, currency) = (&s[..s.len() - sym.len()], true);
            }
        }
        s = s.trim_matches(|c: char| c.is_whitespace());
        if s == before {
            return (negative, s);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::numbers::Grouping;

    fn p(tag: &str) -> NumberParser {
        NumberParser::from_options(Some(tag), None, None).unwrap()
    }

    #[test]
    fn reads_each_regions_numbers() {
        for tag in ["es-CO", "es-AR", "es-CL", "es-UY", "pt-BR"] {
            assert_eq!(
                p(tag).parse("1.234.567,5"),
                Parsed::Number(1234567.5),
                "{tag}"
            );
            assert_eq!(p(tag).parse("1,234,567.5"), Parsed::Invalid, "{tag}");
        }
        for tag in ["es-MX", "es-PE", "es-GT", "es-PA", "en-US"] {
            assert_eq!(
                p(tag).parse("1,234,567.5"),
                Parsed::Number(1234567.5),
                "{tag}"
            );
            assert_eq!(p(tag).parse("1.234.567,5"), Parsed::Invalid, "{tag}");
        }
        assert_eq!(p("es-CR").parse("1 234 567,5"), Parsed::Number(1234567.5));
        assert_eq!(p("es-CR").parse("₡1\u{a0}000"), Parsed::Number(1000.0));
        assert!(Grouping::Space.is_separator('\u{202f}'));
    }

    #[test]
    fn grouping_must_be_in_threes() {
        let co = p("es-CO");
        for bad in [
            "1.23", "1.2345", "1234.567", ".5.", "1..234", "1.234.", "e5", ",",
        ] {
            assert_eq!(co.parse(bad), Parsed::Invalid, "{bad}");
        }
        assert_eq!(co.parse("0,5"), Parsed::Number(0.5));
        assert_eq!(co.parse(",5"), Parsed::Number(0.5));
        assert_eq!(co.parse("-1.000"), Parsed::Number(-1000.0));
    }

    #[test]
    fn signs_currency_and_exponents() {
        let plain = NumberParser::default();
        assert_eq!(plain.parse("-$5"), Parsed::Number(-5.0));
        assert_eq!(plain.parse("$-5"), Parsed::Number(-5.0));
        assert_eq!(plain.parse("5 USD"), Parsed::Number(5.0));
        assert_eq!(plain.parse("1e3"), Parsed::Number(1000.0));
        assert_eq!(plain.parse("inf"), Parsed::Invalid);
        assert_eq!(plain.parse("1e999"), Parsed::Invalid);
        assert_eq!(plain.parse("--5"), Parsed::Invalid);
        assert_eq!(p("pt-BR").parse("R$ 1.234,50"), Parsed::Number(1234.5));
    }

    #[test]
    fn missing_markers_are_configurable() {
        let plain = NumberParser::default();
        for m in ["", "  ", "N/A", "n/a", "-", "NULL", "NaN"] {
            assert_eq!(plain.parse(m), Parsed::Missing, "{m:?}");
        }
        let custom = NumberParser::default().with_missing(["sin dato"]);
        assert_eq!(custom.parse("Sin dato"), Parsed::Missing);
        assert_eq!(custom.parse("N/A"), Parsed::Invalid);
        assert_eq!(custom.parse(""), Parsed::Missing);
    }

    #[test]
    fn names_the_other_convention() {
        let plain = NumberParser::default();
        assert_eq!(
            plain.other_convention("4,857"),
            Some(NumberFormat::DECIMAL_COMMA)
        );
        assert_eq!(
            p("es-CO").other_convention("0.634"),
            Some(NumberFormat::DECIMAL_POINT)
        );
        assert_eq!(plain.other_convention("abc"), None);
    }

    proptest::proptest! {
        /// Any finite number written with Rust's shortest round-trip text reads back
        /// exactly, in every format once rewritten for it.
        #[test]
        fn round_trips(x in -1e12f64..1e12) {
            let plain = format!("{x}");
            proptest::prop_assert_eq!(NumberParser::default().parse(&plain), Parsed::Number(x));
            let comma = plain.replace('.', ",");
            proptest::prop_assert_eq!(p("es-CO").parse(&comma), Parsed::Number(x));
        }
    }
}
