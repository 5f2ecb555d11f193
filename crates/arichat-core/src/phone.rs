//! Phone numbers in E.164, parsed with the `phonenumber` crate (libphonenumber's metadata).

use std::fmt;
use std::str::FromStr;

use crate::{pii, CoreError};

/// An ISO 3166-1 alpha-2 region used to read national phone numbers (a tenant's default).
///
/// ```
/// use arichat_core::Region;
/// let co: Region = "co".parse().unwrap();
/// assert_eq!(co.as_str(), "CO");
/// assert!("XX".parse::<Region>().is_err());
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Region(phonenumber::country::Id);

impl Region {
    /// The two-letter upper-case code.
    pub fn as_str(&self) -> &str {
        self.0.as_ref()
    }
}

impl FromStr for Region {
    type Err = CoreError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let upper = s.trim().to_ascii_uppercase();
        upper
            .parse::<phonenumber::country::Id>()
            .map(Region)
            .map_err(|_| CoreError::UnknownRegion(s.to_owned()))
    }
}

impl serde::Serialize for Region {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

impl<'de> serde::Deserialize<'de> for Region {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        s.parse().map_err(serde::de::Error::custom)
    }
}

/// A phone number in E.164 form (`+573001234567`).
///
/// `Debug` masks the middle digits: phone numbers are personal data.
///
/// ```
/// use arichat_core::PhoneNumber;
/// let p = PhoneNumber::parse("300 123 4567", Some("CO".parse().unwrap())).unwrap();
/// assert_eq!(p.as_str(), "+573001234567");
/// assert_eq!(format!("{p:?}"), "PhoneNumber(\"+57********67\")");
/// let wa = PhoneNumber::from_wa_id("5215512345678").unwrap();
/// assert_eq!(wa.as_str(), "+525512345678");
/// ```
#[derive(Clone, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize)]
#[serde(transparent)]
pub struct PhoneNumber(String);

/// Longest input we try to read as a phone number; anything longer is not one.
const MAX_INPUT_LEN: usize = 64;

impl PhoneNumber {
    /// Parses a number as a person or a CRM would write it.
    ///
    /// A number starting with `+` (or `00`) carries its own country code; any other
    /// number is read as national in `default_region`. The number must be valid for
    /// its region per libphonenumber's metadata.
    ///
    /// # Errors
    /// [`CoreError::InvalidPhone`] when it cannot be parsed, lacks a region, or is not
    /// a valid number.
    pub fn parse(raw: &str, default_region: Option<Region>) -> Result<Self, CoreError> {
        let number = parse_lenient(raw, default_region)?;
        if !phonenumber::is_valid(&number) {
            return Err(invalid("not a valid number for its region"));
        }
        Ok(PhoneNumber(
            number.format().mode(phonenumber::Mode::E164).to_string(),
        ))
    }

    /// The validated E.164 number a WhatsApp `wa_id` (digits with the country code, no
    /// `+`) stands for.
    ///
    /// The number must be valid for its region per libphonenumber's metadata, as for
    /// [`PhoneNumber::parse`]: a placeholder such as `15551234567` is refused. Mexican ids
    /// keep the historic mobile `1` (`5215512345678`); WhatsApp addresses the contact by
    /// it, but the number is `+525512345678` since the 2019 numbering change, and that is
    /// what this returns (the id itself stays in
    /// [`crate::WhatsappIdentity::wa_id`]).
    ///
    /// # Errors
    /// [`CoreError::InvalidPhone`] when the id is not 8–15 digits, lacks a known country
    /// calling code, or is not a valid number.
    pub fn from_wa_id(wa_id: &str) -> Result<Self, CoreError> {
        let digits = wa_id.trim().trim_start_matches('+');
        let code = checked_digits(digits)?;
        // 8–15 digits after a calling code (never 0) fit a u64 and name the id exactly.
        let key: u64 = digits.parse().unwrap_or(0);
        let number = wa_id_memo::get_or_insert(key, || {
            let national = &digits[code.len()..];
            let national = match (code, national.strip_prefix('1')) {
                ("52", Some(rest)) if national.len() == 11 => rest,
                _ => national,
            };
            if is_valid_national(code, national) {
                format!("{code}{national}").parse().unwrap_or(0)
            } else {
                0
            }
        });
        match number {
            0 => Err(invalid("not a valid number for its region")),
            n => Ok(PhoneNumber(format!("+{n}"))),
        }
    }

    /// A number as stored by an earlier release: digits with a known calling code,
    /// not re-validated (metadata changes must not make stored contacts unreadable).
    fn stored(digits: &str) -> Result<Self, CoreError> {
        checked_digits(digits)?;
        Ok(PhoneNumber(format!("+{digits}")))
    }

    /// The E.164 string, `+` and digits.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The country calling code (`57` for `+573001234567`).
    pub fn calling_code(&self) -> u16 {
        // Every stored number starts with a known code (checked on construction).
        calling_code_of(self.digits()).unwrap_or(0)
    }

    /// The main region of the number's calling code (`"CO"` for `+57…`, `"US"` for
    /// `+1…`), as libphonenumber's metadata lists it; `None` for non-geographic codes.
    ///
    /// ```
    /// use arichat_core::PhoneNumber;
    /// assert_eq!(PhoneNumber::from_wa_id("5215512345678").unwrap().main_region().as_deref(), Some("MX"));
    /// ```
    pub fn main_region(&self) -> Option<String> {
        let code = self.calling_code();
        let metas = phonenumber::metadata::DATABASE.by_code(&code)?;
        let main = metas
            .iter()
            .find(|m| m.is_main_country_for_code())
            .or_else(|| metas.first())?;
        let id = main.id();
        (id != "001").then(|| id.to_owned())
    }

    /// The digits without the leading `+` (the form WhatsApp uses as `wa_id`).
    pub fn digits(&self) -> &str {
        &self.0[1..]
    }
}

/// The known country calling code `digits` start with. Calling codes are prefix-free,
/// so the first length that names one is the code.
fn calling_code_of(digits: &str) -> Option<u16> {
    (1..=3)
        .filter_map(|len| digits.get(..len)?.parse::<u16>().ok())
        .find(|code| phonenumber::metadata::DATABASE.by_code(code).is_some())
}

/// 8–15 ASCII digits starting with a known calling code; returns the code's digits.
fn checked_digits(digits: &str) -> Result<&str, CoreError> {
    if !(8..=15).contains(&digits.len()) || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return Err(invalid("a wa_id must be 8 to 15 digits"));
    }
    let code = calling_code_of(digits)
        .ok_or_else(|| invalid("a wa_id must start with a known country calling code"))?;
    // The code was read from the leading digits, so its text is their prefix.
    Ok(&digits[..code.to_string().len()])
}

/// Whether a national significant number is valid under some region of its calling
/// code, per libphonenumber's metadata: the test `phonenumber::is_valid` applies, run
/// on digits that need no parsing (a full parse costs ~3 µs a number; this, a few
/// pattern matches).
fn is_valid_national(code: &str, national: &str) -> bool {
    use phonenumber::Type;
    const TYPES: [Type; 10] = [
        Type::FixedLine,
        Type::Mobile,
        Type::TollFree,
        Type::PremiumRate,
        Type::SharedCost,
        Type::PersonalNumber,
        Type::Voip,
        Type::Pager,
        Type::Uan,
        Type::Voicemail,
    ];
    let Ok(code) = code.parse::<u16>() else {
        return false;
    };
    let Some(regions) = phonenumber::metadata::DATABASE.by_code(&code) else {
        return false;
    };
    regions.iter().any(|meta| {
        let d = meta.descriptors();
        d.general().is_match(national)
            && TYPES
                .iter()
                .any(|&t| d.get(t).is_some_and(|x| x.is_match(national)))
    })
}

/// The answers [`PhoneNumber::from_wa_id`] gave on this thread, by id.
///
/// Validating an id runs a few of libphonenumber's patterns (~1.8 µs); the same
/// senders write again and again, so a small direct-mapped table (8 KiB a thread)
/// answers most ids of a webhook stream in a few nanoseconds. The answer depends on
/// the id alone (static metadata), so a remembered one is always right.
mod wa_id_memo {
    use std::cell::RefCell;

    const SLOTS: usize = 512;

    thread_local! {
        /// (id as a number, the E.164 digits it gave or 0 when invalid). On the heap:
        /// a shared library loaded at run time (the Python module) has only a little
        /// static thread-local space, and an 8 KiB array there fails to load.
        static SEEN: RefCell<Vec<(u64, u64)>> = RefCell::new(vec![(0, 0); SLOTS]);
    }

    pub(super) fn get_or_insert(key: u64, compute: impl FnOnce() -> u64) -> u64 {
        if key == 0 {
            return compute();
        }
        // Fibonacci hashing: the top 9 bits of the product pick one of 512 slots.
        let slot = (key.wrapping_mul(0x9E37_79B9_7F4A_7C15) >> 55) as usize;
        if let Some(hit) = SEEN.with_borrow(|seen| (seen[slot].0 == key).then_some(seen[slot].1)) {
            return hit;
        }
        let value = compute();
        SEEN.with_borrow_mut(|seen| seen[slot] = (key, value));
        value
    }
}

fn invalid(reason: &str) -> CoreError {
    CoreError::InvalidPhone {
        reason: reason.to_owned(),
    }
}

fn parse_lenient(
    raw: &str,
    default_region: Option<Region>,
) -> Result<phonenumber::PhoneNumber, CoreError> {
    let raw = raw.trim();
    if raw.is_empty() {
        return Err(invalid("empty input"));
    }
    if raw.len() > MAX_INPUT_LEN {
        return Err(invalid("input too long"));
    }
    let has_country = raw.starts_with('+') || raw.starts_with("00");
    if !has_country && default_region.is_none() {
        return Err(invalid(
            "a national number needs a default region (or a leading +)",
        ));
    }
    // phonenumber reads "00" as an international prefix only for some regions.
    let owned;
    let raw = match raw.strip_prefix("00") {
        Some(rest) => {
            owned = format!("+{rest}");
            owned.as_str()
        }
        None => raw,
    };
    phonenumber::parse(default_region.map(|r| r.0), raw).map_err(|e| invalid(&e.to_string()))
}

impl fmt::Debug for PhoneNumber {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_tuple("PhoneNumber")
            .field(&pii::mask(&self.0, 3, 2))
            .finish()
    }
}

impl fmt::Display for PhoneNumber {
    /// Displays the full number: use `Debug` where it may reach a log.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl<'de> serde::Deserialize<'de> for PhoneNumber {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        let digits = s.strip_prefix('+').unwrap_or(&s);
        PhoneNumber::stored(digits).map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn co() -> Option<Region> {
        Some("CO".parse().unwrap())
    }

    #[test]
    fn national_number_uses_default_region() {
        assert_eq!(
            PhoneNumber::parse("300 123 4567", co()).unwrap().as_str(),
            "+573001234567"
        );
        assert_eq!(
            PhoneNumber::parse("(300) 123-4567", co()).unwrap().as_str(),
            "+573001234567"
        );
    }

    #[test]
    fn international_number_ignores_default_region() {
        let br = Some("BR".parse().unwrap());
        assert_eq!(
            PhoneNumber::parse("+57 300 123 4567", br).unwrap().as_str(),
            "+573001234567"
        );
        assert_eq!(
            PhoneNumber::parse("0057 300 123 4567", None)
                .unwrap()
                .as_str(),
            "+573001234567"
        );
    }

    #[test]
    fn wa_id_gives_the_validated_number() {
        // Mexico's historic mobile 1 is dropped: the number dials without it.
        let p = PhoneNumber::from_wa_id("5215512345678").unwrap();
        assert_eq!(p.as_str(), "+525512345678");
        assert_eq!(p.digits(), "525512345678");
        // Argentina's mobile 9 is part of the international number.
        assert_eq!(
            PhoneNumber::from_wa_id("5491155551234").unwrap().as_str(),
            "+5491155551234"
        );
        // The answer agrees with parsing the number written in full.
        for wa_id in [
            "573001234567",
            "5511987654321",
            "16505551234",
            "51987654321",
            "34612345678",
        ] {
            assert_eq!(
                PhoneNumber::from_wa_id(wa_id).unwrap(),
                PhoneNumber::parse(&format!("+{wa_id}"), None).unwrap(),
                "{wa_id}"
            );
        }
        // Numbers `PhoneNumber::parse` refuses are refused here too.
        for bad in ["15551234567", "5730012345", "5700000000000"] {
            assert!(
                PhoneNumber::parse(&format!("+{bad}"), None).is_err(),
                "{bad}"
            );
            assert!(PhoneNumber::from_wa_id(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn numbers_stored_by_earlier_releases_still_read() {
        // Before validation, a wa_id was kept digit for digit.
        let p: PhoneNumber = serde_json::from_str("\"+5215512345678\"").unwrap();
        assert_eq!(p.as_str(), "+5215512345678");
    }

    #[test]
    fn bad_numbers_are_typed_errors_without_the_number() {
        for bad in ["", "12", "abc", "300 123 4567 999 999 999"] {
            let err = PhoneNumber::parse(bad, co()).unwrap_err();
            assert!(
                matches!(err, CoreError::InvalidPhone { .. }),
                "{bad}: {err}"
            );
        }
        let err = PhoneNumber::parse("3001234567", None).unwrap_err();
        assert!(err.to_string().contains("default region"));
        assert!(!err.to_string().contains("3001234567"));
        assert!(PhoneNumber::from_wa_id("52155abc").is_err());
        assert!(PhoneNumber::from_wa_id("123").is_err());
        // 999 is not an assigned country calling code.
        assert!(PhoneNumber::from_wa_id("99912345678").is_err());
    }

    #[test]
    fn unknown_region_is_typed() {
        assert_eq!(
            "ZZ".parse::<Region>().unwrap_err(),
            CoreError::UnknownRegion("ZZ".into())
        );
    }

    #[test]
    fn debug_masks_digits() {
        let p = PhoneNumber::parse("300 123 4567", co()).unwrap();
        let dbg = format!("{p:?}");
        assert!(!dbg.contains("3001234567"), "{dbg}");
        assert!(!dbg.contains("1234"), "{dbg}");
    }

    #[test]
    fn serde_round_trip() {
        let p = PhoneNumber::parse("300 123 4567", co()).unwrap();
        let json = serde_json::to_string(&p).unwrap();
        assert_eq!(json, "\"+573001234567\"");
        assert_eq!(serde_json::from_str::<PhoneNumber>(&json).unwrap(), p);
        assert!(serde_json::from_str::<PhoneNumber>("\"hello\"").is_err());
    }

    proptest! {
        #[test]
        fn parse_never_panics(s in "\\PC{0,80}") {
            let _ = PhoneNumber::parse(&s, co());
            let _ = PhoneNumber::from_wa_id(&s);
        }

        #[test]
        fn parsed_numbers_are_e164(s in "[0-9 +()-]{0,20}") {
            if let Ok(p) = PhoneNumber::parse(&s, co()) {
                prop_assert!(p.as_str().starts_with('+'));
                prop_assert!(p.digits().bytes().all(|b| b.is_ascii_digit()));
                prop_assert_eq!(PhoneNumber::parse(p.as_str(), None).unwrap(), p);
            }
        }
    }
}
