//! [`Lead`]: a lead with an audited status and lifecycle stage, and the names of its
//! closed sets. The enums (`LeadStatus`, `LifecycleStage`, `ChangeCause`, `Channel`) and
//! the record `LeadChange` are the core's.

use std::sync::{Arc, Mutex, MutexGuard};
use std::time::SystemTime;

use arichat_core::{ChangeCause, Channel, LeadChange, LeadStatus, LifecycleStage};

use crate::error::{to_utc, Result};

/// The snake_case name of a lead status, as in the core's JSON (`"interested"`).
#[uniffi::export]
pub fn lead_status_name(status: LeadStatus) -> String {
    status.as_str().to_owned()
}

/// The snake_case name of a lifecycle stage (`"mql"`).
#[uniffi::export]
pub fn lifecycle_stage_name(stage: LifecycleStage) -> String {
    stage.as_str().to_owned()
}

/// Reads a lead status from its snake_case name (`"interested"`).
///
/// # Errors
/// `unknown_variant` for any other name.
#[uniffi::export]
pub fn parse_lead_status(name: String) -> Result<LeadStatus> {
    Ok(name.parse()?)
}

/// Reads a lifecycle stage from its snake_case name (`"mql"`).
///
/// # Errors
/// `unknown_variant` for any other name.
#[uniffi::export]
pub fn parse_lifecycle_stage(name: String) -> Result<LifecycleStage> {
    Ok(name.parse()?)
}

/// Reads a change cause from its snake_case name (`"agent"`).
///
/// # Errors
/// `unknown_variant` for any other name.
#[uniffi::export]
pub fn parse_change_cause(name: String) -> Result<ChangeCause> {
    Ok(name.parse()?)
}

/// Reads a channel from its snake_case name (`"whatsapp"`).
///
/// # Errors
/// `unknown_variant` for any other name.
#[uniffi::export]
pub fn parse_channel(name: String) -> Result<Channel> {
    Ok(name.parse()?)
}

/// A lead with an audited status and lifecycle stage (`arichat_core::Lead`).
///
/// Thread-safe: the state sits behind a mutex, so one `Lead` may be shared across threads.
#[derive(Debug, uniffi::Object)]
#[uniffi::export(Debug, Eq)]
pub struct Lead {
    inner: Mutex<arichat_core::Lead>,
}

impl Lead {
    fn wrap(lead: arichat_core::Lead) -> Arc<Self> {
        Arc::new(Lead {
            inner: Mutex::new(lead),
        })
    }

    /// The core lead. A panic while the lock was held cannot leave it half-updated (the
    /// core changes nothing on error), so a poisoned lock is still safe to read.
    fn lock(&self) -> MutexGuard<'_, arichat_core::Lead> {
        self.inner.lock().unwrap_or_else(|e| e.into_inner())
    }
}

impl PartialEq for Lead {
    fn eq(&self, other: &Self) -> bool {
        // Locking the same mutex twice would deadlock.
        std::ptr::eq(self, other) || *self.lock() == *other.lock()
    }
}

impl Eq for Lead {}

#[uniffi::export]
impl Lead {
    /// A new lead: unattended, IQL, attributed to `channel`, created at `now`.
    ///
    /// # Errors
    /// `TIME_OUT_OF_RANGE` when `now` is outside the core's range.
    #[uniffi::constructor]
    pub fn new(
        id: String,
        tenant_id: String,
        contact_id: String,
        channel: Channel,
        now: SystemTime,
    ) -> Result<Arc<Self>> {
        Ok(Lead::wrap(arichat_core::Lead::new(
            arichat_core::LeadId::new(id),
            arichat_core::TenantId::new(tenant_id),
            arichat_core::ContactId::new(contact_id),
            channel,
            to_utc(now)?,
        )))
    }

    /// Reads a lead from the JSON of [`Lead::to_json`], checking that its history replays.
    ///
    /// # Errors
    /// `invalid_json` for malformed JSON or an inconsistent history.
    #[uniffi::constructor]
    pub fn from_json(json: String) -> Result<Arc<Self>> {
        Ok(Lead::wrap(arichat_core::Lead::from_json(&json)?))
    }

    /// The lead id.
    pub fn id(&self) -> String {
        self.lock().id().as_str().to_owned()
    }

    /// The owning tenant.
    pub fn tenant_id(&self) -> String {
        self.lock().tenant_id().as_str().to_owned()
    }

    /// The contact this lead belongs to.
    pub fn contact_id(&self) -> String {
        self.lock().contact_id().as_str().to_owned()
    }

    /// Current status.
    pub fn status(&self) -> LeadStatus {
        self.lock().status()
    }

    /// Current lifecycle stage.
    pub fn stage(&self) -> LifecycleStage {
        self.lock().stage()
    }

    /// When the lead was created.
    pub fn created_at(&self) -> SystemTime {
        self.lock().created_at().into()
    }

    /// When status or stage last changed.
    pub fn updated_at(&self) -> SystemTime {
        self.lock().updated_at().into()
    }

    /// Moves the status and returns the recorded change.
    ///
    /// # Errors
    /// `illegal_status_transition` or `agent_required`; the lead is unchanged on error.
    pub fn set_status(
        &self,
        to: LeadStatus,
        cause: ChangeCause,
        reason: String,
        at: SystemTime,
    ) -> Result<LeadChange> {
        let at = to_utc(at)?;
        Ok(self.lock().set_status(to, cause, reason, at)?.clone())
    }

    /// Moves the lifecycle stage and returns the recorded change.
    ///
    /// # Errors
    /// `illegal_stage_transition`; the lead is unchanged on error.
    pub fn set_stage(
        &self,
        to: LifecycleStage,
        cause: ChangeCause,
        reason: String,
        at: SystemTime,
    ) -> Result<LeadChange> {
        let at = to_utc(at)?;
        Ok(self.lock().set_stage(to, cause, reason, at)?.clone())
    }

    /// Every change, oldest first.
    pub fn history(&self) -> Vec<LeadChange> {
        self.lock().history().to_vec()
    }

    /// The lead as JSON (snake_case, stable field names; the same JSON in every runtime).
    pub fn to_json(&self) -> String {
        self.lock().to_json()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ArichatError;
    use arichat_core::{ErrorCode, Transition};
    use std::time::{Duration, UNIX_EPOCH};

    fn at(secs: u64) -> SystemTime {
        UNIX_EPOCH + Duration::from_secs(secs)
    }

    #[test]
    fn lead_moves_and_fails_like_the_core() {
        let lead = Lead::new("l".into(), "t".into(), "c".into(), Channel::Whatsapp, at(0)).unwrap();
        let change = lead
            .set_status(
                LeadStatus::Interested,
                ChangeCause::Agent,
                "quote".into(),
                at(60),
            )
            .unwrap();
        assert_eq!(
            change.transition,
            Transition::Status {
                from: LeadStatus::Unattended,
                to: LeadStatus::Interested
            }
        );
        let err = lead
            .set_status(
                LeadStatus::Unattended,
                ChangeCause::Agent,
                "".into(),
                at(120),
            )
            .unwrap_err();
        assert_eq!(
            err,
            ArichatError::Core {
                code: ErrorCode::IllegalStatusTransition,
                msg: "illegal lead status transition from interested to unattended".into()
            }
        );
        assert_eq!(lead.status(), LeadStatus::Interested);
        assert_eq!(lead.history().len(), 1);
        let copy = Lead::from_json(lead.to_json()).unwrap();
        assert_eq!(*copy, *lead);
        assert_eq!(*lead, *lead);
    }
}
