//! [`parse_amount`]: every amount in a text (the rules are in the module doc).

use super::decimal::Decimal;
use super::lexicon::{currency_after, ends_word, multiplier_after, starts_word, symbol_before};
use super::{digits, words, Amount, Currency, ParseOptions, Region, Written};

/// Every amount in `text`, in order, read the way `region` writes numbers, without
/// slang. See the [module documentation](super) for the rules.
///
/// ```
/// use arichat_core::money::{parse_amount, Currency, Region};
/// let found = parse_amount("son US$ 20 y 2k de envío", Region::Co);
/// assert_eq!(found.len(), 2);
/// assert_eq!((found[0].minor, found[0].currency), (2_000, Currency::Usd));
/// assert_eq!((found[1].minor, found[1].currency), (200_000, Currency::Cop));
/// ```
pub fn parse_amount(text: &str, region: Region) -> Vec<Amount> {
    parse_amount_with(text, region, &ParseOptions::default())
}

/// [`parse_amount`] with options (slang).
pub fn parse_amount_with(text: &str, region: Region, options: &ParseOptions) -> Vec<Amount> {
    let mut found = Vec::new();
    let bytes = text.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        if !bytes[i].is_ascii_digit() {
            i += 1;
            continue;
        }
        // An ASCII byte is always a char boundary.
        let run_end = i + digits::run_len(&text[i..], region.separators());
        let floor = found.last().map_or(0, |a: &Amount| a.end);
        if let Some(amount) = digit_amount(text, floor, i, run_end, region, options) {
            i = amount.end.max(run_end);
            found.push(amount);
        } else {
            i = run_end;
        }
    }
    let taken: Vec<(usize, usize)> = found.iter().map(|a| (a.start, a.end)).collect();
    for number in words::find(text, region.language(), &taken) {
        if let Some(amount) = word_amount(text, number, region, options) {
            // A multiplier after a word number (`mil lucas`) may reach the next one.
            if !found
                .iter()
                .any(|a| amount.start < a.end && a.start < amount.end)
            {
                found.push(amount);
            }
        }
    }
    found.sort_by_key(|a| a.start);
    found
}

/// A value and the other reading of its separators, scaled together.
#[derive(Clone, Copy)]
struct Value {
    main: Decimal,
    alternative: Option<Decimal>,
}

impl Value {
    fn times(self, factor: u64) -> Option<Self> {
        Some(Value {
            main: self.main.times(factor)?,
            alternative: match self.alternative {
                Some(a) => Some(a.times(factor)?),
                None => None,
            },
        })
    }

    fn plus(self, part: Decimal) -> Option<Self> {
        Some(Value {
            main: self.main.plus(part)?,
            alternative: match self.alternative {
                Some(a) => Some(a.plus(part)?),
                None => None,
            },
        })
    }
}

/// The amount whose digits are `text[start..run_end]`; its symbol may not reach back
/// before `floor` (the end of the amount before it).
fn digit_amount(
    text: &str,
    floor: usize,
    start: usize,
    run_end: usize,
    region: Region,
    options: &ParseOptions,
) -> Option<Amount> {
    let prefix = symbol_before(&text[floor..start], region);
    if !ends_word(&text[..start]) && prefix.is_none() {
        return None;
    }
    let reading = digits::read(&text[start..run_end], region.separators())?;
    let mut value = Value {
        main: reading.value,
        alternative: reading.alternative,
    };
    let mut end = run_end;
    let mut written = Written::Digits;
    let mut slang = false;
    let rest = &text[end..];
    if (rest.starts_with('k') || rest.starts_with('K')) && starts_word(&rest[1..]) {
        value = value.times(1_000)?;
        end += 1;
        written = Written::Mixed;
    } else {
        let scaled = multipliers(rest, region, options, value)?;
        if scaled.len > 0 {
            value = scaled.value;
            end += scaled.len;
            written = Written::Mixed;
            slang = scaled.slang;
            end += added_part(
                &text[end..],
                region,
                options,
                &mut value,
                scaled.last_factor,
            );
        }
    }
    if !starts_word(&text[end..]) && currency_after(&text[end..], region).is_none() {
        // `5tubos`, `3pm`: digits glued to a word that is neither multiplier nor currency.
        return None;
    }
    finish(text, start, end, value, written, slang, prefix, region)
}

/// A value after its multiplier words.
struct Scaled {
    value: Value,
    /// Bytes the multiplier words took (0 when there is none).
    len: usize,
    /// Whether one of them was slang.
    slang: bool,
    /// The factor of the last one (1 when there is none).
    last_factor: u64,
}

/// The multiplier words after a number, chained at most twice (`mil millones`).
fn multipliers(rest: &str, region: Region, options: &ParseOptions, value: Value) -> Option<Scaled> {
    let mut scaled = Scaled {
        value,
        len: 0,
        slang: false,
        last_factor: 1,
    };
    for _ in 0..2 {
        let Some((factor, len, slang)) =
            multiplier_after(&rest[scaled.len..], region.language(), options.slang)
        else {
            break;
        };
        scaled.value = scaled.value.times(factor)?;
        scaled.len += len;
        scaled.slang |= slang;
        scaled.last_factor = factor;
    }
    Some(scaled)
}

/// `2 mil 500`, `1 millón 200 mil`: a plain number (with its own, smaller multiplier)
/// after a multiplier, added. Returns the bytes taken (0 when there is none).
fn added_part(
    rest: &str,
    region: Region,
    options: &ParseOptions,
    value: &mut Value,
    below: u64,
) -> usize {
    let Some(first) = rest.chars().next() else {
        return 0;
    };
    if !first.is_whitespace() {
        return 0;
    }
    let at = first.len_utf8();
    let run = rest[at..].bytes().take_while(u8::is_ascii_digit).count();
    if run == 0 || run > 18 {
        return 0;
    }
    let Some(part) = Decimal::from_digits(&rest[at..at + run], "") else {
        return 0;
    };
    let after = &rest[at + run..];
    let plain = Value {
        main: part,
        alternative: None,
    };
    let Some(scaled) = multipliers(after, region, options, plain) else {
        return 0;
    };
    let end = at + run + scaled.len;
    if scaled.value.main.whole_below(u128::from(below)).is_none() || !starts_word(&rest[end..]) {
        return 0;
    }
    match value.plus(scaled.value.main) {
        Some(sum) => {
            *value = sum;
            end
        }
        None => 0,
    }
}

fn word_amount(
    text: &str,
    number: words::WordNumber,
    region: Region,
    options: &ParseOptions,
) -> Option<Amount> {
    let value = Value {
        main: number.value,
        alternative: None,
    };
    let Scaled {
        value, len, slang, ..
    } = multipliers(&text[number.end..], region, options, value)?;
    let end = number.end + len;
    let prefix = symbol_before(&text[..number.start], region);
    let amount = finish(
        text,
        number.start,
        end,
        value,
        Written::Words,
        slang,
        prefix,
        region,
    )?;
    let large = value.main.whole_below(1_000).is_none();
    (large || len > 0 || amount.currency_explicit).then_some(amount)
}

#[allow(clippy::too_many_arguments)] // one call site per kind of number; a struct would only rename them
fn finish(
    text: &str,
    start: usize,
    end: usize,
    value: Value,
    written: Written,
    slang: bool,
    prefix: Option<(Currency, usize)>,
    region: Region,
) -> Option<Amount> {
    let (currency, explicit, start, end) = match (prefix, currency_after(&text[end..], region)) {
        (Some((currency, len)), _) => (currency, true, start - len, end),
        (None, Some((currency, len))) => (currency, true, start, end + len),
        // Slang names the local money (`lucas` are thousands of pesos).
        (None, None) => (region.currency(), slang, start, end),
    };
    let (minor, exact) = value.main.to_minor(currency.exponent())?;
    let alternative_minor = match value.alternative {
        Some(a) => Some(a.to_minor(currency.exponent())?.0),
        None => None,
    };
    Some(Amount {
        minor,
        currency,
        currency_explicit: explicit,
        text: text[start..end].to_owned(),
        start,
        end,
        written,
        ambiguous: alternative_minor.is_some() || !exact,
        alternative_minor,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn one(text: &str, region: &str) -> (i64, Currency, Written, bool) {
        let found = parse_amount_with(text, region.parse().unwrap(), &ParseOptions { slang: true });
        assert_eq!(found.len(), 1, "{text:?}: {found:?}");
        let a = &found[0];
        (a.minor, a.currency, a.written, a.ambiguous)
    }

    #[test]
    fn symbols_codes_and_names() {
        use Currency::*;
        assert_eq!(one("$ 1.500", "CO"), (150_000, Cop, Written::Digits, false));
        assert_eq!(
            one("$1,500.50", "MX"),
            (150_050, Mxn, Written::Digits, false)
        );
        assert_eq!(one("US$20", "CO"), (2_000, Usd, Written::Digits, false));
        assert_eq!(one("S/ 35.90", "PE"), (3_590, Pen, Written::Digits, false));
        assert_eq!(one("S/.35", "PE"), (3_500, Pen, Written::Digits, false));
        assert_eq!(one("Q150", "GT"), (15_000, Gtq, Written::Digits, false));
        assert_eq!(one("Bs 100", "BO"), (10_000, Bob, Written::Digits, false));
        assert_eq!(one("Bs 100", "VE"), (10_000, Ves, Written::Digits, false));
        assert_eq!(
            one("COP 1.500", "CO"),
            (150_000, Cop, Written::Digits, false)
        );
        assert_eq!(
            one("1500 MXN", "CO"),
            (150_000, Mxn, Written::Digits, false)
        );
        assert_eq!(one("20 reais", "BR"), (2_000, Brl, Written::Digits, false));
        assert_eq!(
            one("1.500 pesos", "CL"),
            (1_500, Clp, Written::Digits, false)
        );
        assert_eq!(
            one("₡1 500 000", "CR"),
            (150_000_000, Crc, Written::Digits, false)
        );
        assert_eq!(one("$ 20", "PE"), (2_000, Usd, Written::Digits, false));
    }

    #[test]
    fn multipliers_words_and_slang() {
        use Currency::*;
        assert_eq!(
            one("1,5 millones", "CO"),
            (150_000_000, Cop, Written::Mixed, false)
        );
        assert_eq!(one("2k", "MX"), (200_000, Mxn, Written::Mixed, false));
        assert_eq!(
            one("2 mil 500", "CO"),
            (250_000, Cop, Written::Mixed, false)
        );
        assert_eq!(
            one("1.5 lucas", "CO"),
            (150_000, Cop, Written::Mixed, false)
        );
        assert_eq!(
            one("3 palos", "CO"),
            (300_000_000, Cop, Written::Mixed, false)
        );
        assert_eq!(
            one("mil quinientos", "CO"),
            (150_000, Cop, Written::Words, false)
        );
        assert_eq!(
            one("mil e quinhentos reais", "BR"),
            (150_000, Brl, Written::Words, false)
        );
        assert_eq!(
            one("dos millones trescientos mil", "CO"),
            (230_000_000, Cop, Written::Words, false)
        );
        assert_eq!(
            one("cincuenta soles", "PE"),
            (5_000, Pen, Written::Words, false)
        );
        assert_eq!(
            one("R$ 1,5 mi", "BR"),
            (150_000_000, Brl, Written::Mixed, false)
        );
    }

    #[test]
    fn not_money() {
        assert!(parse_amount("dos tubos", Region::Co).is_empty());
        assert!(parse_amount("abc123 5tubos", Region::Co).is_empty());
        assert!(parse_amount("", Region::Co).is_empty());
        assert!(parse_amount("12.03.2026", Region::Co).is_empty());
    }

    #[test]
    fn amounts_never_overlap_nor_split_characters() {
        // Found by tests/sales.rs: a code glued between two numbers, a multiplier
        // reaching the next word number, a letter of several bytes before digits.
        for text in ["1COP11", " mil mil11", "ண0", "“ mil1"] {
            let found = parse_amount(text, Region::Co);
            assert!(
                found.windows(2).all(|w| w[0].end <= w[1].start),
                "{text:?}: {found:?}"
            );
        }
        assert_eq!(parse_amount(" mil mil11", Region::Co).len(), 1);
    }

    #[test]
    fn spans_cover_symbol_and_currency() {
        let text = "te pago R$ 1.500,50 hoy";
        let a = &parse_amount(text, Region::Br)[0];
        assert_eq!(
            (a.text.as_str(), &text[a.start..a.end]),
            ("R$ 1.500,50", "R$ 1.500,50")
        );
        let text = "son 1500 pesos";
        assert_eq!(parse_amount(text, Region::Co)[0].text, "1500 pesos");
    }
}
