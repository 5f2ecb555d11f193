//! Money written in chat: `te pago 1.500`, `R$ 1.500,50`, `mil quinientos`, `1,5
//! millones`, `2k`, `1.5 lucas`, read as integer minor units of an ISO 4217 currency.
//!
//! No float is used anywhere: digits go into an exact decimal (`mantissa / 10^scale`),
//! multipliers are integers, and the result is rounded half up to the currency's minor
//! unit only at the end (exactness is reported through [`Amount::ambiguous`]).
//!
//! # How a number is read
//!
//! 1. **Separators by region** (CLDR): Colombia, Argentina, Chile, Uruguay, Brazil (and
//!    the other [`Separators::DotGroupCommaDecimal`] regions) write `1.234.567,5`;
//!    Mexico, Peru and Central America write `1,234,567.5`; Costa Rica groups with
//!    spaces, `1 234 567,5`. When the shape decides (two kinds of marks, several marks
//!    of one kind, a decimal part that is not three digits) the shape wins whatever the
//!    region. A single mark followed by three digits is read the region's way: `1.500`
//!    is 1500 in Bogotá; in Lima it is 1.5 but flagged `ambiguous`, with 1500 as
//!    [`Amount::alternative_minor`].
//! 2. **Multipliers** after the digits: `k` (attached), `mil`, `millón`/`millones`,
//!    `milhão`/`milhões` (and `mi` in Brazil), chained at most twice (`mil millones`);
//!    then an added smaller part (`2 mil 500`, `1 millón 200 mil`). Slang (`lucas`,
//!    `palos`, `gambas`, `contos`) only with [`ParseOptions::slang`].
//! 3. **Number words** in the region's language, Spanish or Portuguese, through the
//!    `text2num` crate (`mil quinientos`, `dos millones trescientos mil`, `mil e
//!    quinhentos`). A word number counts as money only if it is at least 1000, carries a
//!    currency or a multiplier: `dos tubos` is no amount.
//! 4. **Currency**: a symbol or code before (`$`, `US$`, `R$`, `S/`, `Q`, `Bs`, `₡`,
//!    `COP 1500`) or a symbol, code or name after (`1500 pesos`, `20 reais`, `50 USD`);
//!    `$` is the region's [`Region::dollar_sign`]; otherwise the region's currency, with
//!    [`Amount::currency_explicit`] false.
//!
//! Every number in the text is returned, money or not (a quantity, a date part): the
//! caller decides which one is the amount (the deal grammar reads only its `@monto`).
//!
//! ```
//! use arichat_core::money::{parse_amount, Currency, Region, Written};
//!
//! let co = parse_amount("te pago 1.500", Region::Co);
//! assert_eq!((co[0].minor, co[0].currency, co[0].ambiguous), (150_000, Currency::Cop, false));
//!
//! let pe = parse_amount("te pago 1.500", Region::Pe);
//! assert_eq!((pe[0].minor, pe[0].ambiguous, pe[0].alternative_minor), (150, true, Some(150_000)));
//!
//! let br = parse_amount("R$ 1.500,50", Region::Br);
//! assert_eq!((br[0].minor, br[0].currency, br[0].start), (150_050, Currency::Brl, 0));
//!
//! let words = parse_amount("mil quinientos", Region::Co);
//! assert_eq!((words[0].minor, words[0].written), (150_000, Written::Words));
//!
//! let clp = parse_amount("1,5 millones", Region::Cl);
//! assert_eq!((clp[0].minor, clp[0].written), (1_500_000, Written::Mixed));
//! ```

mod currency;
pub(crate) mod decimal;
mod digits;
mod lexicon;
mod parse;
pub mod receipt;
mod region;
mod words;

pub use currency::Currency;
pub use parse::{parse_amount, parse_amount_with};
pub use receipt::{check_receipt, pick_receipt_total, ReceiptCheck, DEFAULT_TOLERANCE_BPS};
pub use region::{Region, Separators, WordLanguage};
pub(crate) use words::leading_number as words_number;

/// How an amount was written.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Written {
    /// Digits and separators only (`1.500`, `$1,500.50`).
    Digits,
    /// Number words only (`mil quinientos`, `dos lucas`).
    Words,
    /// Digits with a multiplier (`1,5 millones`, `2k`, `2 mil 500`).
    Mixed,
}

/// Options of [`parse_amount_with`]; the defaults are those of [`parse_amount`].
///
/// ```
/// use arichat_core::money::{parse_amount_with, ParseOptions, Region};
/// let slang = ParseOptions { slang: true };
/// assert_eq!(parse_amount_with("1.5 lucas", Region::Co, &slang)[0].minor, 150_000);
/// assert_eq!(parse_amount_with("1.5 lucas", Region::Co, &ParseOptions::default())[0].minor, 150);
/// ```
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct ParseOptions {
    /// Read slang multipliers: `lucas` (×1000), `palos` (×1 000 000), `gambas` (×100),
    /// and in Brazil `contos` (×1000). Off by default: `lucas` is also a name.
    pub slang: bool,
}

/// One amount found in a text.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Amount {
    /// The value in minor units of [`Self::currency`] (cents; whole pesos for CLP).
    pub minor: i64,
    /// The currency, written or the region's.
    pub currency: Currency,
    /// Whether the currency was written (symbol, code or name) rather than assumed.
    pub currency_explicit: bool,
    /// The amount as written, with its symbol, multiplier and currency (`R$ 1.500,50`).
    pub text: String,
    /// UTF-8 byte offset where [`Self::text`] starts in the text searched.
    pub start: usize,
    /// UTF-8 byte offset just after it.
    pub end: usize,
    /// How it was written.
    pub written: Written,
    /// Whether the text allows another reading ([`Self::alternative_minor`]) or had more
    /// decimals than the currency has (rounded half up).
    pub ambiguous: bool,
    /// The other reading of an ambiguous separator (`1.500` in Lima: 150000 cents).
    pub alternative_minor: Option<i64>,
}

/// Formats minor units as a plain decimal with the region's decimal mark and no
/// grouping (`1500,5`): the form an error message suggests, which no region misreads.
///
/// ```
/// use arichat_core::money::{format_plain, Currency, Region};
/// assert_eq!(format_plain(150_050, Currency::Cop, Region::Co), "1500,5");
/// assert_eq!(format_plain(150, Currency::Pen, Region::Pe), "1.5");
/// assert_eq!(format_plain(150_000, Currency::Pen, Region::Pe), "1500");
/// assert_eq!(format_plain(1500, Currency::Clp, Region::Cl), "1500");
/// ```
pub fn format_plain(minor: i64, currency: Currency, region: Region) -> String {
    format_with_mark(minor, currency, region.separators().decimal())
}

/// `minor` as a plain decimal with `mark` before the fraction, trailing zeros dropped.
pub(crate) fn format_with_mark(minor: i64, currency: Currency, mark: char) -> String {
    let per = currency.minor_per_major().unsigned_abs();
    let sign = if minor < 0 { "-" } else { "" };
    let abs = minor.unsigned_abs();
    let (whole, frac) = (abs / per, abs % per);
    if frac == 0 {
        return format!("{sign}{whole}");
    }
    let width = currency.exponent() as usize;
    let digits = format!("{frac:0width$}");
    format!("{sign}{whole}{mark}{}", digits.trim_end_matches('0'))
}
