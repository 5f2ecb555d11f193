//! How WhatsApp names a user since 2026: a phone-based `wa_id`, a business-scoped user
//! id (BSUID), a parent BSUID for managed businesses, and a username.
//!
//! Meta documents a BSUID as an ISO 3166 alpha-2 country code, a dot and up to 128
//! alphanumerics (`US.13491208655302741918`); a parent BSUID inserts `ENT`
//! (`US.ENT.11815799212886844830`). Since June 2026 a user who adopted a username may
//! arrive with a BSUID and no `wa_id` at all, so a WhatsApp identity holds each id in
//! its own field and a BSUID never lands in `wa_id` (nor a phone in `user_id`).
//! Source: <https://developers.facebook.com/documentation/business-messaging/whatsapp/business-scoped-user-ids/>.

use std::fmt;
use std::str::FromStr;

use crate::named_enum::named_enum;
use crate::{pii, CoreError};

/// Longest BSUID tail Meta documents.
const MAX_BSUID_TAIL: usize = 128;
/// Longest username arichat accepts. WhatsApp's own limit is lower (35 at launch);
/// the margin keeps a future longer handle from costing the whole identity.
const MAX_USERNAME: usize = 64;
/// Longest `wa_id` kept: E.164 has at most 15 digits; placeholders in vendor
/// examples are longer, so the cap only keeps unbounded input out.
const MAX_WA_ID: usize = 64;

fn invalid(what: &'static str, reason: impl Into<String>) -> CoreError {
    CoreError::InvalidWhatsappId {
        what,
        reason: reason.into(),
    }
}

/// A business-scoped user id (BSUID), or a parent BSUID (`XX.ENT.…`).
///
/// `Debug` masks it like a phone number.
///
/// ```
/// use arichat_core::Bsuid;
/// let id: Bsuid = "US.13491208655302741918".parse().unwrap();
/// assert_eq!(id.country(), "US");
/// assert!(!id.is_parent());
/// assert!("US.ENT.11815799212886844830".parse::<Bsuid>().unwrap().is_parent());
/// let err = "573001234567".parse::<Bsuid>().unwrap_err();
/// assert_eq!(err.code(), "invalid_whatsapp_id");
/// ```
#[derive(Clone, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize)]
#[serde(transparent)]
pub struct Bsuid(String);

impl Bsuid {
    /// Reads a BSUID as Meta sends it (no trimming, no case folding: it is sent back
    /// exactly as received).
    ///
    /// # Errors
    /// [`CoreError::InvalidWhatsappId`] when it is not `CC.<1..=128 alphanumerics>` or
    /// `CC.ENT.<1..=128 alphanumerics>`.
    pub fn parse(raw: &str) -> Result<Self, CoreError> {
        let (country, rest) = raw
            .split_once('.')
            .ok_or_else(|| invalid("bsuid", "expected a country code and a dot"))?;
        if country.len() != 2 || !country.bytes().all(|b| b.is_ascii_uppercase()) {
            return Err(invalid(
                "bsuid",
                "expected a two-letter upper-case country code",
            ));
        }
        let tail = rest.strip_prefix("ENT.").unwrap_or(rest);
        if tail.is_empty() || tail.len() > MAX_BSUID_TAIL {
            return Err(invalid(
                "bsuid",
                format!("expected 1 to {MAX_BSUID_TAIL} characters after the country code"),
            ));
        }
        if !tail.bytes().all(|b| b.is_ascii_alphanumeric()) {
            return Err(invalid(
                "bsuid",
                "expected only letters and digits after the country code",
            ));
        }
        Ok(Bsuid(raw.to_owned()))
    }

    /// The id as Meta sent it.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The ISO 3166 alpha-2 country code it starts with.
    pub fn country(&self) -> &str {
        &self.0[..2]
    }

    /// Whether this is a parent BSUID (`XX.ENT.…`), shared across linked portfolios.
    pub fn is_parent(&self) -> bool {
        self.0[3..].starts_with("ENT.")
    }

    /// Whether `raw` has the shape of a BSUID (what keeps one out of `wa_id`).
    pub fn looks_like(raw: &str) -> bool {
        Bsuid::parse(raw).is_ok()
    }
}

impl FromStr for Bsuid {
    type Err = CoreError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Bsuid::parse(s)
    }
}

impl fmt::Debug for Bsuid {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Bsuid({:?})", pii::mask(&self.0, 3, 2))
    }
}

impl<'de> serde::Deserialize<'de> for Bsuid {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        Bsuid::parse(&s).map_err(serde::de::Error::custom)
    }
}

/// A WhatsApp username (`profile.username`), without a leading `@`.
///
/// `Debug` keeps only its first letter, like a name.
///
/// ```
/// use arichat_core::WaUsername;
/// assert_eq!("@ana.perez".parse::<WaUsername>().unwrap().as_str(), "ana.perez");
/// assert!("ana perez".parse::<WaUsername>().is_err());
/// ```
#[derive(Clone, PartialEq, Eq, Hash, serde::Serialize)]
#[serde(transparent)]
pub struct WaUsername(String);

impl WaUsername {
    /// Reads a username: letters, digits, `.` and `_`, at most 64, one leading `@`
    /// dropped.
    ///
    /// # Errors
    /// [`CoreError::InvalidWhatsappId`] otherwise.
    pub fn parse(raw: &str) -> Result<Self, CoreError> {
        let name = raw.strip_prefix('@').unwrap_or(raw);
        if name.is_empty() || name.chars().count() > MAX_USERNAME {
            return Err(invalid(
                "username",
                format!("expected 1 to {MAX_USERNAME} characters"),
            ));
        }
        if !name
            .chars()
            .all(|c| c.is_alphanumeric() || c == '.' || c == '_')
        {
            return Err(invalid(
                "username",
                "expected only letters, digits, '.' and '_'",
            ));
        }
        Ok(WaUsername(name.to_owned()))
    }

    /// The username without `@`.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl FromStr for WaUsername {
    type Err = CoreError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        WaUsername::parse(s)
    }
}

impl fmt::Debug for WaUsername {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "WaUsername({:?})", pii::Name(&self.0))
    }
}

impl<'de> serde::Deserialize<'de> for WaUsername {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        WaUsername::parse(&s).map_err(serde::de::Error::custom)
    }
}

/// How WhatsApp knows one user: `{wa_id?, user_id?, parent_user_id?, username?}` with
/// at least a `wa_id` or a BSUID.
///
/// Serialized with Meta's names. A `wa_id` that is a BSUID (what arichat wrote before
/// BSUIDs had a field of their own) is read back as the `user_id`.
///
/// ```
/// use arichat_core::WhatsappIdentity;
/// let id = WhatsappIdentity::new(Some("573001234567"), Some("CO.1349120865530274"), None, Some("ana")).unwrap();
/// assert_eq!(id.key(), "CO.1349120865530274");
/// assert_eq!(id.wa_id(), Some("573001234567"));
/// // A BSUID is never a wa_id.
/// assert!(WhatsappIdentity::new(Some("CO.1349120865530274"), None, None, None).is_err());
/// ```
#[derive(Clone, PartialEq, Eq, Hash, serde::Serialize)]
#[serde(into = "WhatsappIds")]
pub struct WhatsappIdentity {
    wa_id: Option<String>,
    user_id: Option<Bsuid>,
    parent_user_id: Option<Bsuid>,
    username: Option<WaUsername>,
}

impl WhatsappIdentity {
    /// Validates and builds an identity from the ids a webhook carries.
    ///
    /// # Errors
    /// [`CoreError::InvalidWhatsappId`] for a malformed BSUID or username, a `wa_id`
    /// shaped like a BSUID, a `user_id` in the parent form, or neither a `wa_id` nor
    /// a BSUID; [`CoreError::EmptyId`] for a blank `wa_id`.
    pub fn new(
        wa_id: Option<&str>,
        user_id: Option<&str>,
        parent_user_id: Option<&str>,
        username: Option<&str>,
    ) -> Result<Self, CoreError> {
        let wa_id = wa_id.map(check_wa_id).transpose()?;
        let user_id = user_id.map(Bsuid::parse).transpose()?;
        if user_id.as_ref().is_some_and(Bsuid::is_parent) {
            return Err(invalid("bsuid", "a parent BSUID is not a user_id"));
        }
        let parent_user_id = parent_user_id.map(Bsuid::parse).transpose()?;
        let username = username.map(WaUsername::parse).transpose()?;
        if wa_id.is_none() && user_id.is_none() && parent_user_id.is_none() {
            return Err(invalid("identity", "neither a wa_id nor a BSUID"));
        }
        Ok(WhatsappIdentity {
            wa_id,
            user_id,
            parent_user_id,
            username,
        })
    }

    /// An identity known only by its `wa_id`.
    ///
    /// # Errors
    /// As [`WhatsappIdentity::new`].
    pub fn from_wa_id(wa_id: &str) -> Result<Self, CoreError> {
        WhatsappIdentity::new(Some(wa_id), None, None, None)
    }

    /// An identity known only by its BSUID.
    pub fn from_bsuid(user_id: Bsuid) -> Self {
        WhatsappIdentity {
            wa_id: None,
            user_id: Some(user_id),
            parent_user_id: None,
            username: None,
        }
    }

    /// The phone-based id as WhatsApp sends it (digits, no `+`), when known.
    pub fn wa_id(&self) -> Option<&str> {
        self.wa_id.as_deref()
    }

    /// The business-scoped user id, when known.
    pub fn user_id(&self) -> Option<&Bsuid> {
        self.user_id.as_ref()
    }

    /// The parent BSUID (managed businesses), when known.
    pub fn parent_user_id(&self) -> Option<&Bsuid> {
        self.parent_user_id.as_ref()
    }

    /// The username, when the user adopted one.
    pub fn username(&self) -> Option<&WaUsername> {
        self.username.as_ref()
    }

    /// The id contacts are keyed by: the BSUID first, then the `wa_id`, then the
    /// parent BSUID (Meta's guidance: match by BSUID first, phone second).
    pub fn key(&self) -> &str {
        self.user_id
            .as_ref()
            .map(Bsuid::as_str)
            .or(self.wa_id.as_deref())
            .or(self.parent_user_id.as_ref().map(Bsuid::as_str))
            .unwrap_or_default()
    }

    /// Fills in what `other` knows and this identity does not (a BSUID seen on a
    /// phone-keyed identity, a username); ids already known are kept.
    pub fn absorb(&mut self, other: &WhatsappIdentity) {
        fill(&mut self.wa_id, &other.wa_id);
        fill(&mut self.user_id, &other.user_id);
        fill(&mut self.parent_user_id, &other.parent_user_id);
        fill(&mut self.username, &other.username);
    }

    /// Sets the BSUID (an identity change).
    pub fn set_user_id(&mut self, user_id: Bsuid) {
        self.user_id = Some(user_id);
    }

    /// Sets the parent BSUID (an identity change).
    pub fn set_parent_user_id(&mut self, parent: Bsuid) {
        self.parent_user_id = Some(parent);
    }

    /// Sets the `wa_id` (a number change).
    ///
    /// # Errors
    /// As [`WhatsappIdentity::new`] for the `wa_id`; unchanged on error.
    pub fn set_wa_id(&mut self, wa_id: &str) -> Result<(), CoreError> {
        self.wa_id = Some(check_wa_id(wa_id)?);
        Ok(())
    }
}

fn fill<T: Clone>(slot: &mut Option<T>, other: &Option<T>) {
    if slot.is_none() {
        slot.clone_from(other);
    }
}

/// A `wa_id` is kept as sent (vendor examples use placeholders), but never a BSUID.
fn check_wa_id(raw: &str) -> Result<String, CoreError> {
    if raw.trim().is_empty() {
        return Err(CoreError::EmptyId("wa_id"));
    }
    if raw.len() > MAX_WA_ID {
        return Err(invalid("wa_id", format!("longer than {MAX_WA_ID} bytes")));
    }
    if Bsuid::looks_like(raw) {
        return Err(invalid("wa_id", "a BSUID is not a wa_id"));
    }
    Ok(raw.to_owned())
}

impl fmt::Debug for WhatsappIdentity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("WhatsappIdentity")
            .field("wa_id", &self.wa_id.as_deref().map(pii::Id))
            .field("user_id", &self.user_id)
            .field("parent_user_id", &self.parent_user_id)
            .field("username", &self.username)
            .finish()
    }
}

/// A WhatsApp identity's ids as plain strings, with Meta's names: the serialized form
/// of [`WhatsappIdentity`] (as written by every release: `wa_id` alone before BSUIDs)
/// and its record across UniFFI (Kotlin/Swift `WhatsappIds`). Unvalidated; read it
/// with [`WhatsappIdentity::try_from`] (strict: a BSUID in `wa_id` is an error there,
/// while deserializing moves it to `user_id`, as earlier releases wrote it). `Debug` masks every id.
#[derive(Clone, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct WhatsappIds {
    /// The phone-based id (digits, no `+`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "uniffi", uniffi(default = None))]
    pub wa_id: Option<String>,
    /// The BSUID.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "uniffi", uniffi(default = None))]
    pub user_id: Option<String>,
    /// The parent BSUID (`XX.ENT.…`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "uniffi", uniffi(default = None))]
    pub parent_user_id: Option<String>,
    /// The username, without `@`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "uniffi", uniffi(default = None))]
    pub username: Option<String>,
}

impl fmt::Debug for WhatsappIds {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("WhatsappIds")
            .field("wa_id", &self.wa_id.as_deref().map(pii::Id))
            .field("user_id", &self.user_id.as_deref().map(pii::Id))
            .field(
                "parent_user_id",
                &self.parent_user_id.as_deref().map(pii::Id),
            )
            .field("username", &self.username.as_deref().map(pii::Name))
            .finish()
    }
}

impl TryFrom<WhatsappIds> for WhatsappIdentity {
    type Error = CoreError;

    /// As [`WhatsappIdentity::new`].
    fn try_from(r: WhatsappIds) -> Result<Self, CoreError> {
        WhatsappIdentity::new(
            r.wa_id.as_deref(),
            r.user_id.as_deref(),
            r.parent_user_id.as_deref(),
            r.username.as_deref(),
        )
    }
}

impl<'de> serde::Deserialize<'de> for WhatsappIdentity {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let mut r = WhatsappIds::deserialize(d)?;
        // Before BSUIDs had a field, a body with only `from_user_id` put it in `wa_id`.
        if r.user_id.is_none() && r.wa_id.as_deref().is_some_and(Bsuid::looks_like) {
            r.user_id = r.wa_id.take();
        }
        WhatsappIdentity::try_from(r).map_err(serde::de::Error::custom)
    }
}

impl From<WhatsappIdentity> for WhatsappIds {
    fn from(i: WhatsappIdentity) -> Self {
        WhatsappIds {
            wa_id: i.wa_id,
            user_id: i.user_id.map(|b| b.0),
            parent_user_id: i.parent_user_id.map(|b| b.0),
            username: i.username.map(|u| u.0),
        }
    }
}

/// One id of a WhatsApp user that changed: what a `user_changed_user_id` or
/// `user_changed_number` system message, or a `user_id_update` webhook, announces.
///
/// Serialized with an `id` tag naming which id changed:
/// `{"id":"user_id","old":"US.1349…","new":"US.2481…"}`. `old` is absent when the
/// payload does not say (a number change from a user whose phone is withheld).
#[derive(Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(tag = "id", rename_all = "snake_case")]
#[non_exhaustive]
pub enum IdentityChange {
    /// The BSUID changed.
    UserId {
        /// The BSUID before.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        old: Option<Bsuid>,
        /// The BSUID now.
        new: Bsuid,
    },
    /// The parent BSUID changed.
    ParentUserId {
        /// The parent BSUID before.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        old: Option<Bsuid>,
        /// The parent BSUID now.
        new: Bsuid,
    },
    /// The phone number (`wa_id`) changed.
    WaId {
        /// The `wa_id` before.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        old: Option<String>,
        /// The `wa_id` now.
        new: String,
    },
}

named_enum!(
    /// Which id of a WhatsApp user an [`IdentityChange`] is about: the names of its
    /// `id` tag.
    #[cfg_attr(feature = "uniffi", derive(uniffi::Enum))]
    WhatsappIdKind, "whatsapp id kind", "user_id, parent_user_id, wa_id", {
        /// The BSUID.
        UserId => "user_id",
        /// The parent BSUID.
        ParentUserId => "parent_user_id",
        /// The phone-based `wa_id`.
        WaId => "wa_id",
    }
);

impl IdentityChange {
    /// A change of the id `kind` from `old` (when known) to `new`, validated as that
    /// kind of id.
    ///
    /// ```
    /// use arichat_core::{IdentityChange, WhatsappIdKind};
    /// let change = IdentityChange::new(WhatsappIdKind::UserId, Some("US.1"), "US.2").unwrap();
    /// assert_eq!(change.kind(), WhatsappIdKind::UserId);
    /// let err = IdentityChange::new(WhatsappIdKind::UserId, None, "573001234567").unwrap_err();
    /// assert_eq!(err.code(), "invalid_whatsapp_id");
    /// ```
    ///
    /// # Errors
    /// [`CoreError::InvalidWhatsappId`] for a malformed BSUID or a `wa_id` that is a
    /// BSUID; [`CoreError::EmptyId`] for a blank `wa_id`.
    pub fn new(kind: WhatsappIdKind, old: Option<&str>, new: &str) -> Result<Self, CoreError> {
        Ok(match kind {
            WhatsappIdKind::UserId => IdentityChange::UserId {
                old: old.map(Bsuid::parse).transpose()?,
                new: Bsuid::parse(new)?,
            },
            WhatsappIdKind::ParentUserId => IdentityChange::ParentUserId {
                old: old.map(Bsuid::parse).transpose()?,
                new: Bsuid::parse(new)?,
            },
            WhatsappIdKind::WaId => IdentityChange::WaId {
                old: old.map(check_wa_id).transpose()?,
                new: check_wa_id(new)?,
            },
        })
    }

    /// Which id changed.
    pub fn kind(&self) -> WhatsappIdKind {
        match self {
            IdentityChange::UserId { .. } => WhatsappIdKind::UserId,
            IdentityChange::ParentUserId { .. } => WhatsappIdKind::ParentUserId,
            IdentityChange::WaId { .. } => WhatsappIdKind::WaId,
        }
    }

    /// Applies the change to `identity`: the id it names takes its new value, the
    /// others stay.
    ///
    /// # Errors
    /// [`CoreError::InvalidWhatsappId`] for a new `wa_id` that is a BSUID; `identity`
    /// is unchanged on error.
    pub fn apply(&self, identity: &mut WhatsappIdentity) -> Result<(), CoreError> {
        match self {
            IdentityChange::UserId { new, .. } => identity.set_user_id(new.clone()),
            IdentityChange::ParentUserId { new, .. } => identity.set_parent_user_id(new.clone()),
            IdentityChange::WaId { new, .. } => identity.set_wa_id(new)?,
        }
        Ok(())
    }

    /// Whether `identity` holds this change's old id (so the change is about it).
    pub fn concerns(&self, identity: &WhatsappIdentity) -> bool {
        match self {
            IdentityChange::UserId { old: Some(old), .. } => identity.user_id() == Some(old),
            IdentityChange::ParentUserId { old: Some(old), .. } => {
                identity.parent_user_id() == Some(old)
            }
            IdentityChange::WaId { old: Some(old), .. } => identity.wa_id() == Some(old.as_str()),
            _ => false,
        }
    }
}

impl fmt::Debug for IdentityChange {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            IdentityChange::UserId { old, new } => f
                .debug_struct("UserId")
                .field("old", old)
                .field("new", new)
                .finish(),
            IdentityChange::ParentUserId { old, new } => f
                .debug_struct("ParentUserId")
                .field("old", old)
                .field("new", new)
                .finish(),
            IdentityChange::WaId { old, new } => f
                .debug_struct("WaId")
                .field("old", &old.as_deref().map(pii::Id))
                .field("new", &pii::Id(new))
                .finish(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bsuid_shapes() {
        for ok in [
            "US.13491208655302741918",
            "CO.a",
            "BR.ENT.11815799212886844830",
            &format!("IN.{}", "9".repeat(128)),
        ] {
            assert!(Bsuid::parse(ok).is_ok(), "{ok}");
        }
        for bad in [
            "",
            "573001234567",
            "us.123",
            "USA.123",
            "US.",
            "US.ENT.",
            "US.12-34",
            "US.12 34",
            "BSUID_123",
            &format!("IN.{}", "9".repeat(129)),
        ] {
            let err = Bsuid::parse(bad).unwrap_err();
            assert_eq!(err.code(), "invalid_whatsapp_id", "{bad}");
        }
    }

    #[test]
    fn debug_masks_every_id() {
        let id = WhatsappIdentity::new(
            Some("573001234567"),
            Some("CO.1349120865530274"),
            Some("CO.ENT.9999120865530274"),
            Some("ana_perez"),
        )
        .unwrap();
        let dbg = format!("{id:?}");
        for secret in ["3001234567", "1349120865", "9999120865", "ana_perez"] {
            assert!(!dbg.contains(secret), "{dbg}");
        }
    }

    #[test]
    fn ids_stay_in_their_fields() {
        assert!(WhatsappIdentity::new(Some("US.123"), None, None, None).is_err());
        assert!(WhatsappIdentity::new(None, Some("573001234567"), None, None).is_err());
        assert!(WhatsappIdentity::new(None, Some("US.ENT.1"), None, None).is_err());
        assert!(WhatsappIdentity::new(None, None, None, Some("ana")).is_err());
        let only_parent = WhatsappIdentity::new(None, None, Some("US.ENT.1"), None).unwrap();
        assert_eq!(only_parent.key(), "US.ENT.1");
    }

    #[test]
    fn old_json_reads_and_a_bsuid_in_wa_id_moves() {
        let old: WhatsappIdentity = serde_json::from_str(r#"{"wa_id":"573001234567"}"#).unwrap();
        assert_eq!(old.wa_id(), Some("573001234567"));
        let moved: WhatsappIdentity =
            serde_json::from_str(r#"{"wa_id":"US.13491208655302741918"}"#).unwrap();
        assert_eq!(moved.wa_id(), None);
        assert_eq!(moved.user_id().unwrap().as_str(), "US.13491208655302741918");
        let back = serde_json::to_value(&moved).unwrap();
        assert_eq!(
            back,
            serde_json::json!({"user_id": "US.13491208655302741918"})
        );
    }

    #[test]
    fn absorb_fills_gaps_only() {
        let mut a = WhatsappIdentity::from_wa_id("573001234567").unwrap();
        let b =
            WhatsappIdentity::new(Some("573009999999"), Some("CO.1"), None, Some("ana")).unwrap();
        a.absorb(&b);
        assert_eq!(a.wa_id(), Some("573001234567"));
        assert_eq!(a.user_id().unwrap().as_str(), "CO.1");
        assert_eq!(a.username().unwrap().as_str(), "ana");
    }

    #[test]
    fn changes_apply_to_the_id_they_name() {
        let mut id = WhatsappIdentity::new(Some("573001234567"), Some("CO.1"), None, None).unwrap();
        let change = IdentityChange::UserId {
            old: Some("CO.1".parse().unwrap()),
            new: "CO.2".parse().unwrap(),
        };
        assert!(change.concerns(&id));
        change.apply(&mut id).unwrap();
        assert_eq!(id.user_id().unwrap().as_str(), "CO.2");
        assert_eq!(id.wa_id(), Some("573001234567"));
        assert!(!change.concerns(&id));
        let json = serde_json::to_value(&change).unwrap();
        assert_eq!(
            json,
            serde_json::json!({"id": "user_id", "old": "CO.1", "new": "CO.2"})
        );
        let bad = IdentityChange::WaId {
            old: None,
            new: "CO.3".into(),
        };
        assert!(bad.apply(&mut id).is_err());
        assert_eq!(id.wa_id(), Some("573001234567"));
    }
}
