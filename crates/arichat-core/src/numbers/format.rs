//! How a region writes numbers: the decimal separator and the grouping of thousands,
//! from CLDR (`latn` digits), and the `--locale` / `--decimal` choice between them.

use std::fmt;

/// The separator between groups of three integer digits.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Grouping {
    /// No grouping accepted: `1234567.5`.
    None,
    /// `1.234.567,5` (Colombia, Argentina, Chile, Uruguay, Brazil, Spain...).
    Dot,
    /// `1,234,567.5` (Mexico, Peru, Central America, the US...).
    Comma,
    /// `1 234 567,5` with a space, no-break space or narrow no-break space (Costa
    /// Rica, Portugal).
    Space,
}

impl Grouping {
    #[inline]
    pub(crate) fn is_separator(self, c: char) -> bool {
        match self {
            Grouping::None => false,
            Grouping::Dot => c == '.',
            Grouping::Comma => c == ',',
            Grouping::Space => matches!(c, ' ' | '\u{a0}' | '\u{202f}'),
        }
    }
}

/// A way of writing numbers: decimal separator and grouping.
///
/// ```
/// use arichat_core::numbers::NumberFormat;
/// let co: NumberFormat = "es-CO".parse().unwrap();
/// assert_eq!(co, NumberFormat::DECIMAL_COMMA);
/// assert_eq!("pt_BR".parse::<NumberFormat>().unwrap(), NumberFormat::DECIMAL_COMMA);
/// assert_eq!("es-MX".parse::<NumberFormat>().unwrap(), NumberFormat::DECIMAL_POINT);
/// assert!("xx-ZZ".parse::<NumberFormat>().is_err());
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct NumberFormat {
    /// `.` or `,`.
    pub decimal: char,
    /// The grouping separator accepted in the integer part.
    pub grouping: Grouping,
}

/// Regions outside Latin America, by their CLDR number symbols (`decimal`, `group`);
/// the Latin American ones are [`crate::money::Region`]'s, the one table of them.
/// A region in neither is an error rather than a guess.
const OTHER_REGIONS: &[(&str, NumberFormat)] = &[
    ("ES", NumberFormat::DECIMAL_COMMA),
    ("PT", NumberFormat::DECIMAL_COMMA_SPACE),
    ("PR", NumberFormat::DECIMAL_POINT),
    ("GB", NumberFormat::DECIMAL_POINT),
];

impl From<crate::money::Separators> for NumberFormat {
    fn from(separators: crate::money::Separators) -> Self {
        use crate::money::Separators;
        match separators {
            Separators::DotGroupCommaDecimal => NumberFormat::DECIMAL_COMMA,
            Separators::SpaceGroupCommaDecimal => NumberFormat::DECIMAL_COMMA_SPACE,
            Separators::CommaGroupDotDecimal => NumberFormat::DECIMAL_POINT,
        }
    }
}

impl NumberFormat {
    /// `1234567.5`, and exponents (`1e6`): numbers as programs write them. The default.
    pub const PLAIN: NumberFormat = NumberFormat {
        decimal: '.',
        grouping: Grouping::None,
    };
    /// `1.234.567,5`.
    pub const DECIMAL_COMMA: NumberFormat = NumberFormat {
        decimal: ',',
        grouping: Grouping::Dot,
    };
    /// `1 234 567,5`.
    pub const DECIMAL_COMMA_SPACE: NumberFormat = NumberFormat {
        decimal: ',',
        grouping: Grouping::Space,
    };
    /// `1,234,567.5`.
    pub const DECIMAL_POINT: NumberFormat = NumberFormat {
        decimal: '.',
        grouping: Grouping::Comma,
    };

    /// The format with this decimal separator (`.` or `,`) and the other one as
    /// grouping (`--decimal ,` reads `1.234,5`).
    ///
    /// # Errors
    /// [`NumberFormatError::Decimal`] for anything but `.` and `,`.
    pub fn with_decimal(decimal: &str) -> Result<NumberFormat, NumberFormatError> {
        match decimal.trim() {
            "," => Ok(NumberFormat::DECIMAL_COMMA),
            "." => Ok(NumberFormat::DECIMAL_POINT),
            other => Err(NumberFormatError::Decimal(other.to_owned())),
        }
    }

    /// The conventions other than this one that a value may be written in, for telling
    /// a reader what an unreadable value looks like.
    pub(crate) fn others(self) -> impl Iterator<Item = NumberFormat> {
        [
            NumberFormat::DECIMAL_COMMA,
            NumberFormat::DECIMAL_POINT,
            NumberFormat::DECIMAL_COMMA_SPACE,
        ]
        .into_iter()
        .filter(move |f| *f != self && !(self == NumberFormat::PLAIN && f.decimal == '.'))
    }
}

impl Default for NumberFormat {
    fn default() -> Self {
        NumberFormat::PLAIN
    }
}

impl fmt::Display for NumberFormat {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match (self.decimal, self.grouping) {
            ('.', Grouping::None) => "1234567.5",
            ('.', _) => "1,234,567.5",
            (_, Grouping::Space) => "1 234 567,5",
            _ => "1.234.567,5",
        })
    }
}

impl std::str::FromStr for NumberFormat {
    type Err = NumberFormatError;

    /// A locale tag (`es-CO`, `pt_BR`) or a bare region (`CO`): the region decides.
    fn from_str(tag: &str) -> Result<Self, Self::Err> {
        let region = tag.trim().rsplit(['-', '_']).next().unwrap_or_default();
        if let Ok(r) = region.parse::<crate::money::Region>() {
            return Ok(r.separators().into());
        }
        OTHER_REGIONS
            .iter()
            .find(|(r, _)| r.eq_ignore_ascii_case(region))
            .map(|(_, f)| *f)
            .ok_or_else(|| NumberFormatError::Locale(tag.to_owned()))
    }
}

/// A number format that cannot be used.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum NumberFormatError {
    /// A locale whose region is not in the table.
    #[error("unknown locale {0:?}: expected a tag such as es-CO, pt-BR, es-MX or es-CR")]
    Locale(String),
    /// A decimal separator other than `.` and `,`.
    #[error("unknown decimal separator {0:?}: expected . or ,")]
    Decimal(String),
    /// Both a locale and a decimal separator.
    #[error("give a locale or a decimal separator, not both")]
    Both,
}

impl NumberFormatError {
    /// A stable snake_case code.
    pub fn code(&self) -> &'static str {
        match self {
            NumberFormatError::Locale(_) => "unknown_locale",
            NumberFormatError::Decimal(_) => "invalid_decimal",
            NumberFormatError::Both => "invalid_number_format",
        }
    }
}

impl From<NumberFormatError> for crate::CoreError {
    fn from(e: NumberFormatError) -> Self {
        crate::CoreError::InvalidConfig {
            what: "number format",
            reason: e.to_string(),
        }
    }
}
