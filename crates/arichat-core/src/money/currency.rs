//! ISO 4217 currencies of Latin America (and the two foreign ones sellers quote in).

use crate::CoreError;

macro_rules! currencies {
    ($($(#[$doc:meta])* $variant:ident => $code:literal, $exp:literal;)+) => {
        /// A currency, as its ISO 4217 code. A closed set: amounts in other currencies
        /// are not recognised.
        ///
        /// ```
        /// use arichat_core::money::Currency;
        /// let clp: Currency = "clp".parse().unwrap();
        /// assert_eq!(clp, Currency::Clp);
        /// assert_eq!(clp.exponent(), 0);
        /// assert_eq!(Currency::Cop.exponent(), 2);
        /// assert!("XXX".parse::<Currency>().is_err());
        /// ```
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize, serde::Deserialize)]
        #[serde(rename_all = "UPPERCASE")]
        pub enum Currency {
            $($(#[$doc])* $variant,)+
        }

        impl Currency {
            /// Every currency, in order.
            pub const ALL: &'static [Currency] = &[$(Currency::$variant),+];

            /// The ISO 4217 code (`"COP"`).
            pub fn as_str(self) -> &'static str {
                match self { $(Currency::$variant => $code),+ }
            }

            /// The ISO 4217 minor-unit exponent: how many decimal digits a minor unit
            /// has (`2` for cents, `0` for the Chilean peso).
            pub fn exponent(self) -> u32 {
                match self { $(Currency::$variant => $exp),+ }
            }

            /// `10^exponent`: minor units in one major unit.
            pub fn minor_per_major(self) -> i64 {
                10_i64.pow(self.exponent())
            }
        }

        impl std::str::FromStr for Currency {
            type Err = CoreError;

            /// Parses an ISO 4217 code, in any case.
            fn from_str(s: &str) -> Result<Self, Self::Err> {
                $(if s.eq_ignore_ascii_case($code) { return Ok(Currency::$variant); })+
                Err(CoreError::UnknownVariant {
                    kind: "currency",
                    value: s.to_owned(),
                    expected: concat!($($code, " "),+),
                })
            }
        }
    };
}

// Exponents from ISO 4217 (list one, 2024): COP keeps 2 although cents are not used in
// cash; CLP and PYG have 0.
currencies! {
    /// Argentine peso.
    Ars => "ARS", 2;
    /// Bolivian boliviano.
    Bob => "BOB", 2;
    /// Brazilian real.
    Brl => "BRL", 2;
    /// Chilean peso (no minor unit).
    Clp => "CLP", 0;
    /// Colombian peso.
    Cop => "COP", 2;
    /// Costa Rican colón.
    Crc => "CRC", 2;
    /// Dominican peso.
    Dop => "DOP", 2;
    /// Euro.
    Eur => "EUR", 2;
    /// Guatemalan quetzal.
    Gtq => "GTQ", 2;
    /// Honduran lempira.
    Hnl => "HNL", 2;
    /// Mexican peso.
    Mxn => "MXN", 2;
    /// Nicaraguan córdoba.
    Nio => "NIO", 2;
    /// Panamanian balboa.
    Pab => "PAB", 2;
    /// Peruvian sol.
    Pen => "PEN", 2;
    /// Paraguayan guaraní (no minor unit).
    Pyg => "PYG", 0;
    /// United States dollar.
    Usd => "USD", 2;
    /// Uruguayan peso.
    Uyu => "UYU", 2;
    /// Venezuelan bolívar.
    Ves => "VES", 2;
}

impl std::fmt::Display for Currency {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_round_trip_and_serde_uses_the_code() {
        for c in Currency::ALL {
            assert_eq!(c.as_str().parse::<Currency>().unwrap(), *c);
            assert_eq!(
                serde_json::to_string(c).unwrap(),
                format!("\"{}\"", c.as_str())
            );
        }
        assert_eq!(Currency::Clp.minor_per_major(), 1);
        assert_eq!(Currency::Usd.minor_per_major(), 100);
    }
}
