//! Where a message was written: which separators its numbers use, what `$` means and
//! which language its number words are in.

use super::Currency;
use crate::CoreError;

/// How a region writes `1234567.5` (CLDR `decimal` and `group` symbols).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Separators {
    /// `1.234.567,5`: Colombia, Argentina, Chile, Uruguay, Brazil, ...
    DotGroupCommaDecimal,
    /// `1,234,567.5`: Mexico, Peru, Central America, ...
    CommaGroupDotDecimal,
    /// `1 234 567,5`: Costa Rica (CLDR `es-CR` groups with a no-break space).
    SpaceGroupCommaDecimal,
}

impl Separators {
    /// The decimal mark.
    pub fn decimal(self) -> char {
        match self {
            Separators::CommaGroupDotDecimal => '.',
            Separators::DotGroupCommaDecimal | Separators::SpaceGroupCommaDecimal => ',',
        }
    }

    /// Whether digits grouped by spaces (`1 500 000`) are one number.
    pub fn groups_with_spaces(self) -> bool {
        matches!(self, Separators::SpaceGroupCommaDecimal)
    }
}

/// The language of number words (`mil quinientos`, `mil e quinhentos`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum WordLanguage {
    /// Spanish.
    Es,
    /// Portuguese.
    Pt,
}

macro_rules! regions {
    ($($(#[$doc:meta])* $variant:ident => $code:literal, $sep:ident, $currency:ident, $dollar:ident, $lang:ident;)+) => {
        /// A country whose way of writing money `parse_amount` knows: a closed set of
        /// ISO 3166-1 alpha-2 codes.
        ///
        /// ```
        /// use arichat_core::money::{Currency, Region, Separators};
        /// let co: Region = "co".parse().unwrap();
        /// assert_eq!(co.currency(), Currency::Cop);
        /// assert_eq!(co.separators(), Separators::DotGroupCommaDecimal);
        /// assert_eq!("PE".parse::<Region>().unwrap().separators().decimal(), '.');
        /// assert_eq!("XX".parse::<Region>().unwrap_err().code(), "unknown_region");
        /// ```
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize, serde::Deserialize)]
        #[serde(rename_all = "UPPERCASE")]
        pub enum Region {
            $($(#[$doc])* $variant,)+
        }

        impl Region {
            /// Every region, in order.
            pub const ALL: &'static [Region] = &[$(Region::$variant),+];

            /// The ISO 3166-1 alpha-2 code (`"CO"`).
            pub fn as_str(self) -> &'static str {
                match self { $(Region::$variant => $code),+ }
            }

            /// The decimal and group marks (CLDR).
            pub fn separators(self) -> Separators {
                match self { $(Region::$variant => Separators::$sep),+ }
            }

            /// The local currency: what an amount without symbol or code is in.
            pub fn currency(self) -> Currency {
                match self { $(Region::$variant => Currency::$currency),+ }
            }

            /// What a bare `$` means here (the US dollar where the local currency has
            /// another sign).
            pub fn dollar_sign(self) -> Currency {
                match self { $(Region::$variant => Currency::$dollar),+ }
            }

            /// The language of number words.
            pub fn language(self) -> WordLanguage {
                match self { $(Region::$variant => WordLanguage::$lang),+ }
            }
        }

        impl std::str::FromStr for Region {
            type Err = CoreError;

            /// Parses an ISO 3166-1 alpha-2 code, in any case.
            fn from_str(s: &str) -> Result<Self, Self::Err> {
                $(if s.eq_ignore_ascii_case($code) { return Ok(Region::$variant); })+
                Err(CoreError::UnknownRegion(s.to_owned()))
            }
        }
    };
}

regions! {
    /// Argentina.
    Ar => "AR", DotGroupCommaDecimal, Ars, Ars, Es;
    /// Bolivia.
    Bo => "BO", DotGroupCommaDecimal, Bob, Usd, Es;
    /// Brazil.
    Br => "BR", DotGroupCommaDecimal, Brl, Brl, Pt;
    /// Chile.
    Cl => "CL", DotGroupCommaDecimal, Clp, Clp, Es;
    /// Colombia.
    Co => "CO", DotGroupCommaDecimal, Cop, Cop, Es;
    /// Costa Rica.
    Cr => "CR", SpaceGroupCommaDecimal, Crc, Usd, Es;
    /// Dominican Republic.
    Do => "DO", CommaGroupDotDecimal, Dop, Dop, Es;
    /// Ecuador (dollarised).
    Ec => "EC", DotGroupCommaDecimal, Usd, Usd, Es;
    /// Guatemala.
    Gt => "GT", CommaGroupDotDecimal, Gtq, Usd, Es;
    /// Honduras.
    Hn => "HN", CommaGroupDotDecimal, Hnl, Usd, Es;
    /// Mexico.
    Mx => "MX", CommaGroupDotDecimal, Mxn, Mxn, Es;
    /// Nicaragua.
    Ni => "NI", CommaGroupDotDecimal, Nio, Usd, Es;
    /// Panama (the balboa circulates as the US dollar).
    Pa => "PA", CommaGroupDotDecimal, Usd, Usd, Es;
    /// Peru.
    Pe => "PE", CommaGroupDotDecimal, Pen, Usd, Es;
    /// Paraguay.
    Py => "PY", DotGroupCommaDecimal, Pyg, Usd, Es;
    /// El Salvador (dollarised).
    Sv => "SV", CommaGroupDotDecimal, Usd, Usd, Es;
    /// United States (Spanish-speaking customers).
    Us => "US", CommaGroupDotDecimal, Usd, Usd, Es;
    /// Uruguay.
    Uy => "UY", DotGroupCommaDecimal, Uyu, Uyu, Es;
    /// Venezuela.
    Ve => "VE", DotGroupCommaDecimal, Ves, Usd, Es;
}

impl std::fmt::Display for Region {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}
