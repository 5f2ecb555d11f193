//! Normalized email addresses.

use std::fmt;

use crate::{pii, CoreError};

/// An email address, trimmed and lower-cased (the form CRMs match and Meta hashes).
///
/// `Debug` masks the local part: emails are personal data.
///
/// ```
/// use arichat_core::Email;
/// let e = Email::parse("  Ana.Perez@Example.COM ").unwrap();
/// assert_eq!(e.as_str(), "ana.perez@example.com");
/// assert_eq!(format!("{e:?}"), "Email(\"a********@example.com\")");
/// ```
#[derive(Clone, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize)]
#[serde(transparent)]
pub struct Email(String);

impl Email {
    /// Trims, lower-cases and checks the `local@domain.tld` shape.
    ///
    /// # Errors
    /// [`CoreError::InvalidEmail`] when the shape is wrong.
    pub fn parse(raw: &str) -> Result<Self, CoreError> {
        let e = raw.trim().to_lowercase();
        let bad = |reason: &str| CoreError::InvalidEmail {
            reason: reason.to_owned(),
        };
        if e.len() > 254 {
            return Err(bad("longer than 254 characters"));
        }
        let (local, domain) = e.split_once('@').ok_or_else(|| bad("missing '@'"))?;
        if local.is_empty() || domain.contains('@') {
            return Err(bad("expected exactly one '@' after a non-empty local part"));
        }
        if e.chars().any(|c| c.is_whitespace() || c.is_control()) {
            return Err(bad("contains whitespace or control characters"));
        }
        let labels: Vec<&str> = domain.split('.').collect();
        if labels.len() < 2 || labels.iter().any(|l| l.is_empty()) {
            return Err(bad("domain must have a dot-separated name"));
        }
        Ok(Email(e))
    }

    /// The normalized address.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for Email {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (local, domain) = self.0.split_once('@').unwrap_or((&self.0, ""));
        let masked = format!("{}@{}", pii::mask(local, 1, 0), domain);
        f.debug_tuple("Email").field(&masked).finish()
    }
}

impl fmt::Display for Email {
    /// Displays the full address: use `Debug` where it may reach a log.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl<'de> serde::Deserialize<'de> for Email {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        Email::parse(&s).map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn normalizes_case_and_space() {
        assert_eq!(Email::parse(" X@Y.Co ").unwrap().as_str(), "x@y.co");
    }

    #[test]
    fn rejects_bad_shapes_without_echoing_input() {
        for bad in [
            "",
            "nobody",
            "@x.com",
            "a@b",
            "a@@b.com",
            "a b@c.com",
            "a@b..com",
        ] {
            let err = Email::parse(bad).unwrap_err();
            assert!(matches!(err, CoreError::InvalidEmail { .. }), "{bad}");
        }
        let err = Email::parse("secret.person@nowhere").unwrap_err();
        assert!(!err.to_string().contains("secret.person"));
    }

    #[test]
    fn debug_hides_local_part() {
        let e = Email::parse("maria@banco.com.co").unwrap();
        assert!(!format!("{e:?}").contains("maria"));
    }
}
