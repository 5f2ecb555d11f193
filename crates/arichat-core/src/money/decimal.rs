//! An exact decimal (`mantissa / 10^scale`) for the few steps between text and minor
//! units: no floats, every step checked.

/// `mantissa / 10^scale`, non-negative.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Decimal {
    pub(crate) mantissa: u128,
    pub(crate) scale: u32,
}

/// More fractional digits than this is not money (and keeps `10^scale` in a `u128`).
const MAX_SCALE: u32 = 18;

impl Decimal {
    /// Reads `int` and `frac`, both ASCII digits only (either may be empty, not both).
    pub(crate) fn from_digits(int: &str, frac: &str) -> Option<Self> {
        if int.is_empty() && frac.is_empty() {
            return None;
        }
        let scale = u32::try_from(frac.len()).ok().filter(|s| *s <= MAX_SCALE)?;
        let mut mantissa: u128 = 0;
        for b in int.bytes().chain(frac.bytes()) {
            if !b.is_ascii_digit() {
                return None;
            }
            mantissa = mantissa
                .checked_mul(10)?
                .checked_add(u128::from(b - b'0'))?;
        }
        Some(Decimal { mantissa, scale })
    }

    pub(crate) fn times(self, factor: u64) -> Option<Self> {
        Some(Decimal {
            mantissa: self.mantissa.checked_mul(u128::from(factor))?,
            scale: self.scale,
        })
    }

    pub(crate) fn plus(self, other: Decimal) -> Option<Self> {
        let scale = self.scale.max(other.scale);
        let a = self
            .mantissa
            .checked_mul(10_u128.checked_pow(scale - self.scale)?)?;
        let b = other
            .mantissa
            .checked_mul(10_u128.checked_pow(scale - other.scale)?)?;
        Some(Decimal {
            mantissa: a.checked_add(b)?,
            scale,
        })
    }

    /// Whether the value is a whole number.
    pub(crate) fn is_integer(self) -> bool {
        self.scale == 0 || self.mantissa.is_multiple_of(10_u128.pow(self.scale))
    }

    /// The whole part, when the value is below `limit` and whole.
    pub(crate) fn whole_below(self, limit: u128) -> Option<u128> {
        let whole = self.mantissa / 10_u128.pow(self.scale);
        (self.is_integer() && whole < limit).then_some(whole)
    }

    /// The value in minor units of a currency with `exponent` decimals, rounded half
    /// up, and whether that was exact. `None` past `i64`.
    pub(crate) fn to_minor(self, exponent: u32) -> Option<(i64, bool)> {
        let num = self.mantissa.checked_mul(10_u128.checked_pow(exponent)?)?;
        let den = 10_u128.pow(self.scale);
        let (q, r) = (num / den, num % den);
        let rounded = if r.checked_mul(2)? >= den {
            q.checked_add(1)?
        } else {
            q
        };
        Some((i64::try_from(rounded).ok()?, r == 0))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn minor_units_are_exact_or_rounded_half_up() {
        let d = Decimal::from_digits("1", "5").unwrap();
        assert_eq!(d.to_minor(2), Some((150, true)));
        assert_eq!(d.to_minor(0), Some((2, false)));
        assert_eq!(
            Decimal::from_digits("0", "125").unwrap().to_minor(2),
            Some((13, false))
        );
        assert_eq!(
            d.times(1_000_000).unwrap().to_minor(0),
            Some((1_500_000, true))
        );
        assert_eq!(
            Decimal::from_digits("99999999999999999999", "")
                .unwrap()
                .to_minor(2),
            None
        );
        assert_eq!(Decimal::from_digits("1", "x"), None);
        let sum = Decimal::from_digits("2000", "")
            .unwrap()
            .plus(Decimal::from_digits("0", "25").unwrap())
            .unwrap();
        assert_eq!(sum.to_minor(2), Some((200_025, true)));
    }
}
