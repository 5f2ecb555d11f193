//! The words and signs around a number that make it money: currency symbols, codes and
//! names, and multipliers (`mil`, `millones`, `k`, and the opt-in slang `lucas`).

use super::{Currency, Region, WordLanguage};

/// Symbols written before (or after) the digits, longest first so that `US$` wins over
/// `$`. `None` means "the region's `$`" ([`Region::dollar_sign`]); `Bs` is the
/// region's bolívar or boliviano.
const SYMBOLS: &[(&str, Option<Currency>)] = &[
    ("US$", Some(Currency::Usd)),
    ("U$S", Some(Currency::Usd)),
    ("RD$", Some(Currency::Dop)),
    ("S/.", Some(Currency::Pen)),
    ("B/.", Some(Currency::Pab)),
    ("R$", Some(Currency::Brl)),
    ("C$", Some(Currency::Nio)),
    ("$U", Some(Currency::Uyu)),
    ("S/", Some(Currency::Pen)),
    ("Bs.", Some(Currency::Bob)),
    ("Bs", Some(Currency::Bob)),
    ("Gs.", Some(Currency::Pyg)),
    ("Gs", Some(Currency::Pyg)),
    ("₲", Some(Currency::Pyg)),
    ("₡", Some(Currency::Crc)),
    ("€", Some(Currency::Eur)),
    ("Q", Some(Currency::Gtq)),
    ("$", None),
];

/// Currency names written after the number, lowercase. `None`: the region's peso.
const NAMES: &[(&str, Option<Currency>)] = &[
    ("pesos", None),
    ("peso", None),
    ("reais", Some(Currency::Brl)),
    ("reales", Some(Currency::Brl)),
    ("real", Some(Currency::Brl)),
    ("soles", Some(Currency::Pen)),
    ("dólares", Some(Currency::Usd)),
    ("dolares", Some(Currency::Usd)),
    ("dólar", Some(Currency::Usd)),
    ("dolar", Some(Currency::Usd)),
    ("dls", Some(Currency::Usd)),
    ("dlls", Some(Currency::Usd)),
    ("quetzales", Some(Currency::Gtq)),
    ("bolivianos", Some(Currency::Bob)),
    ("bolívares", Some(Currency::Ves)),
    ("bolivares", Some(Currency::Ves)),
    ("colones", Some(Currency::Crc)),
    ("lempiras", Some(Currency::Hnl)),
    ("córdobas", Some(Currency::Nio)),
    ("cordobas", Some(Currency::Nio)),
    ("balboas", Some(Currency::Pab)),
    ("guaraníes", Some(Currency::Pyg)),
    ("guaranies", Some(Currency::Pyg)),
    ("euros", Some(Currency::Eur)),
];

/// Regions whose currency is called a peso.
fn peso(region: Region) -> Option<Currency> {
    let local = region.currency();
    matches!(
        local,
        Currency::Cop
            | Currency::Mxn
            | Currency::Ars
            | Currency::Clp
            | Currency::Uyu
            | Currency::Dop
    )
    .then_some(local)
}

fn resolve_symbol(symbol: &str, currency: Option<Currency>, region: Region) -> Currency {
    match (symbol, currency) {
        (_, None) => region.dollar_sign(),
        ("Bs" | "Bs.", _) if region == Region::Ve => Currency::Ves,
        (_, Some(c)) => c,
    }
}

/// A symbol that `before` ends with (after at most one space), with its byte length
/// including that space. The symbol must start a word.
pub(crate) fn symbol_before(before: &str, region: Region) -> Option<(Currency, usize)> {
    let trimmed = strip_one_space_end(before);
    let space = before.len() - trimmed.len();
    for (symbol, currency) in SYMBOLS {
        if let Some(rest) = trimmed.strip_suffix(symbol) {
            if ends_word(rest) {
                return Some((
                    resolve_symbol(symbol, *currency, region),
                    symbol.len() + space,
                ));
            }
        }
    }
    let word_start = trimmed
        .char_indices()
        .rev()
        .find(|(_, c)| !c.is_ascii_alphabetic())
        .map_or(0, |(i, c)| i + c.len_utf8());
    let word = &trimmed[word_start..];
    code(word).map(|c| (c, before.len() - word_start))
}

/// A symbol, code or currency name that `after` starts with (after at most one space),
/// with its byte length including that space. It must end a word.
pub(crate) fn currency_after(after: &str, region: Region) -> Option<(Currency, usize)> {
    let trimmed = strip_one_space_start(after);
    let space = after.len() - trimmed.len();
    for (symbol, currency) in SYMBOLS {
        if symbol.chars().all(|c| !c.is_alphabetic()) {
            if let Some(rest) = trimmed.strip_prefix(symbol) {
                if starts_word(rest) {
                    return Some((
                        resolve_symbol(symbol, *currency, region),
                        symbol.len() + space,
                    ));
                }
            }
        }
    }
    let word = first_word(trimmed);
    let lower = word.to_lowercase();
    let named = NAMES
        .iter()
        .find(|(name, _)| *name == lower)
        .and_then(|(_, c)| match c {
            Some(c) => Some(*c),
            None => peso(region),
        });
    named
        .or_else(|| code(word))
        .map(|c| (c, space + word.len()))
}

/// An ISO code written as a word, all upper or all lower case (`COP`, `usd`).
fn code(word: &str) -> Option<Currency> {
    let cased = word.bytes().all(|b| b.is_ascii_uppercase())
        || word.bytes().all(|b| b.is_ascii_lowercase());
    (word.len() == 3 && cased)
        .then(|| word.parse().ok())
        .flatten()
}

/// A multiplier word at the start of `after` (after at most one space): its factor,
/// byte length including the space, and whether it is slang (which implies the local
/// currency).
pub(crate) fn multiplier_after(
    after: &str,
    language: WordLanguage,
    slang: bool,
) -> Option<(u64, usize, bool)> {
    let trimmed = strip_one_space_start(after);
    let space = after.len() - trimmed.len();
    let word = first_word(trimmed);
    let lower = word.to_lowercase();
    let standard = match lower.as_str() {
        "mil" => Some(1_000),
        "millón" | "millon" | "millones" | "milhão" | "milhao" | "milhões" | "milhoes" => {
            Some(1_000_000)
        }
        "mi" if language == WordLanguage::Pt => Some(1_000_000),
        _ => None,
    };
    if let Some(factor) = standard {
        return Some((factor, space + word.len(), false));
    }
    if !slang {
        return None;
    }
    let factor = match lower.as_str() {
        "luca" | "lucas" | "luka" | "lukas" => 1_000,
        "palo" | "palos" => 1_000_000,
        "gamba" | "gambas" => 100,
        "conto" | "contos" if language == WordLanguage::Pt => 1_000,
        _ => return None,
    };
    Some((factor, space + word.len(), true))
}

/// The leading run of letters of `s`.
pub(crate) fn first_word(s: &str) -> &str {
    let end = s.find(|c: char| !c.is_alphabetic()).unwrap_or(s.len());
    &s[..end]
}

fn strip_one_space_start(s: &str) -> &str {
    let mut chars = s.chars();
    match chars.next() {
        Some(c) if c.is_whitespace() => chars.as_str(),
        _ => s,
    }
}

fn strip_one_space_end(s: &str) -> &str {
    let mut chars = s.chars();
    match chars.next_back() {
        Some(c) if c.is_whitespace() => chars.as_str(),
        _ => s,
    }
}

/// Whether a word may start right after `before`.
pub(crate) fn ends_word(before: &str) -> bool {
    !before
        .chars()
        .next_back()
        .is_some_and(char::is_alphanumeric)
}

/// Whether a word may end right before `after`.
pub(crate) fn starts_word(after: &str) -> bool {
    !after.chars().next().is_some_and(char::is_alphanumeric)
}
