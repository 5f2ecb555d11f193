//! Leads: a sales opportunity with an audited status and lifecycle stage.

mod change;
mod source;
mod status;
pub mod transition;

use chrono::{DateTime, Utc};

pub use change::{ChangeCause, LeadChange, Transition};
pub use source::LeadSource;
pub use status::{LeadStatus, LifecycleStage};

use crate::{Channel, ContactId, CoreError, LeadId, TenantId};

/// A lead. Status and stage change only through [`Lead::set_status`] and
/// [`Lead::set_stage`], which check the transition tables in [`transition`] and
/// append to the history; an illegal move returns an error and changes nothing.
///
/// ```
/// use arichat_core::{Channel, ChangeCause, ContactId, Lead, LeadId, LifecycleStage, TenantId};
/// use chrono::{TimeZone, Utc};
/// let t = Utc.with_ymd_and_hms(2026, 3, 1, 12, 0, 0).unwrap();
/// let mut lead = Lead::new(LeadId::new("l"), TenantId::new("t"), ContactId::new("c"), Channel::Telegram, t);
/// lead.set_stage(LifecycleStage::Mql, ChangeCause::Rule, "score 55 >= 50", t).unwrap();
/// assert_eq!(lead.history().len(), 1);
/// let json = lead.to_json();
/// assert_eq!(Lead::from_json(&json).unwrap(), lead);
/// ```
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Lead {
    id: LeadId,
    tenant_id: TenantId,
    contact_id: ContactId,
    status: LeadStatus,
    stage: LifecycleStage,
    source: LeadSource,
    created_at: DateTime<Utc>,
    updated_at: DateTime<Utc>,
    #[serde(default)]
    history: Vec<LeadChange>,
}

impl Lead {
    /// A new lead: unattended, IQL, attributed to `channel`.
    pub fn new(
        id: LeadId,
        tenant_id: TenantId,
        contact_id: ContactId,
        channel: Channel,
        now: DateTime<Utc>,
    ) -> Self {
        Lead {
            id,
            tenant_id,
            contact_id,
            status: LeadStatus::Unattended,
            stage: LifecycleStage::Iql,
            source: LeadSource {
                channel: Some(channel),
                ..LeadSource::default()
            },
            created_at: now,
            updated_at: now,
            history: Vec::new(),
        }
    }

    /// The lead id.
    pub fn id(&self) -> &LeadId {
        &self.id
    }

    /// The owning tenant.
    pub fn tenant_id(&self) -> &TenantId {
        &self.tenant_id
    }

    /// The contact this lead belongs to.
    pub fn contact_id(&self) -> &ContactId {
        &self.contact_id
    }

    /// Current status.
    pub fn status(&self) -> LeadStatus {
        self.status
    }

    /// Current lifecycle stage.
    pub fn stage(&self) -> LifecycleStage {
        self.stage
    }

    /// Source attribution.
    pub fn source(&self) -> &LeadSource {
        &self.source
    }

    /// Replaces the source attribution (for example when an ad referral arrives).
    pub fn set_source(&mut self, source: LeadSource) {
        self.source = source;
    }

    /// When the lead was created.
    pub fn created_at(&self) -> DateTime<Utc> {
        self.created_at
    }

    /// When status or stage last changed.
    pub fn updated_at(&self) -> DateTime<Utc> {
        self.updated_at
    }

    /// Every change, oldest first.
    pub fn history(&self) -> &[LeadChange] {
        &self.history
    }

    /// Moves the status, recording the change.
    ///
    /// # Errors
    /// [`CoreError::IllegalStatusTransition`] for a move outside the table (a move to
    /// the current status included); [`CoreError::AgentRequired`] to reopen a won or
    /// lost lead without an agent. The lead is unchanged on error.
    pub fn set_status(
        &mut self,
        to: LeadStatus,
        cause: ChangeCause,
        reason: impl Into<String>,
        at: DateTime<Utc>,
    ) -> Result<&LeadChange, CoreError> {
        transition::check_status(self.status, to, cause)?;
        let from = std::mem::replace(&mut self.status, to);
        Ok(self.record(Transition::Status { from, to }, cause, reason.into(), at))
    }

    /// Moves the lifecycle stage, recording the change.
    ///
    /// # Errors
    /// [`CoreError::IllegalStageTransition`]; the lead is unchanged on error.
    pub fn set_stage(
        &mut self,
        to: LifecycleStage,
        cause: ChangeCause,
        reason: impl Into<String>,
        at: DateTime<Utc>,
    ) -> Result<&LeadChange, CoreError> {
        transition::check_stage(self.stage, to)?;
        let from = std::mem::replace(&mut self.stage, to);
        Ok(self.record(Transition::Stage { from, to }, cause, reason.into(), at))
    }

    fn record(
        &mut self,
        transition: Transition,
        cause: ChangeCause,
        reason: String,
        at: DateTime<Utc>,
    ) -> &LeadChange {
        self.updated_at = self.updated_at.max(at);
        self.history.push(LeadChange {
            transition,
            at,
            cause,
            reason,
        });
        self.history.last().expect("just pushed")
    }

    /// Serializes to JSON (snake_case, stable field names).
    pub fn to_json(&self) -> String {
        serde_json::to_string(self).expect("a lead always serializes")
    }

    /// Reads a lead from JSON and checks that its history replays through the tables
    /// to its current status and stage.
    ///
    /// # Errors
    /// [`CoreError::InvalidJson`] for malformed JSON, unknown names, or a history that
    /// does not lead to the stored status and stage.
    pub fn from_json(json: &str) -> Result<Self, CoreError> {
        let lead: Lead =
            serde_json::from_str(json).map_err(|e| CoreError::json("lead", &e, json))?;
        lead.check_history()?;
        Ok(lead)
    }

    /// Each change must start where the previous one of its kind ended, and the last
    /// one must end at the current value. (The first may start anywhere: imported
    /// leads arrive mid-funnel.)
    fn check_history(&self) -> Result<(), CoreError> {
        let mut status: Option<LeadStatus> = None;
        let mut stage: Option<LifecycleStage> = None;
        for change in &self.history {
            let continuous = match change.transition {
                Transition::Status { from, to } => {
                    status.replace(to).is_none_or(|prev| prev == from)
                }
                Transition::Stage { from, to } => stage.replace(to).is_none_or(|prev| prev == from),
            };
            if !continuous {
                return Err(history_error("history is not continuous"));
            }
        }
        if status.is_some_and(|s| s != self.status) || stage.is_some_and(|s| s != self.stage) {
            return Err(history_error(
                "history does not end at the current status and stage",
            ));
        }
        Ok(())
    }
}

fn history_error(reason: &str) -> CoreError {
    CoreError::InvalidJson {
        what: "lead",
        reason: reason.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn t(h: u32) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 1, 1, h, 0, 0).unwrap()
    }

    fn lead() -> Lead {
        Lead::new(
            LeadId::new("l-1"),
            TenantId::new("acme"),
            ContactId::new("c-1"),
            Channel::Whatsapp,
            t(0),
        )
    }

    #[test]
    fn legal_moves_are_recorded() {
        let mut l = lead();
        l.set_status(
            LeadStatus::Interested,
            ChangeCause::Intent,
            "price_inquiry",
            t(1),
        )
        .unwrap();
        l.set_status(LeadStatus::Won, ChangeCause::Agent, "paid", t(2))
            .unwrap();
        assert_eq!(l.status(), LeadStatus::Won);
        assert_eq!(l.updated_at(), t(2));
        assert_eq!(l.history().len(), 2);
        let first = &l.history()[0];
        assert_eq!(
            first.transition,
            Transition::Status {
                from: LeadStatus::Unattended,
                to: LeadStatus::Interested
            }
        );
        assert_eq!(first.cause, ChangeCause::Intent);
        assert_eq!(first.reason, "price_inquiry");
        assert_eq!(first.at, t(1));
    }

    #[test]
    fn illegal_move_changes_nothing() {
        let mut l = lead();
        l.set_status(LeadStatus::Lost, ChangeCause::Intent, "opt_out", t(1))
            .unwrap();
        let before = l.clone();
        let err = l
            .set_status(LeadStatus::Negotiating, ChangeCause::Rule, "score", t(2))
            .unwrap_err();
        assert_eq!(
            err,
            CoreError::AgentRequired {
                from: LeadStatus::Lost,
                to: LeadStatus::Negotiating
            }
        );
        assert_eq!(l, before);
        let err = l
            .set_status(LeadStatus::Unattended, ChangeCause::Agent, "", t(2))
            .unwrap_err();
        assert_eq!(
            err.to_string(),
            "illegal lead status transition from lost to unattended"
        );
        assert_eq!(l, before);
        assert!(l
            .set_stage(LifecycleStage::Iql, ChangeCause::Agent, "", t(2))
            .is_err());
        assert_eq!(l, before);
    }

    #[test]
    fn json_round_trip_is_stable() {
        let mut l = lead();
        l.set_stage(LifecycleStage::Sql, ChangeCause::Rule, "score 80", t(1))
            .unwrap();
        l.set_source(LeadSource {
            channel: Some(Channel::Whatsapp),
            ad_id: Some("120208".into()),
            referral_url: Some("https://fb.me/x".into()),
            ..LeadSource::default()
        });
        let json = l.to_json();
        let v: serde_json::Value = serde_json::from_str(&json).unwrap();
        assert_eq!(v["status"], "unattended");
        assert_eq!(v["stage"], "sql");
        assert_eq!(v["history"][0]["field"], "stage");
        assert_eq!(v["history"][0]["cause"], "rule");
        assert_eq!(v["source"]["ad_id"], "120208");
        assert_eq!(v["created_at"], "2026-01-01T00:00:00Z");
        assert_eq!(Lead::from_json(&json).unwrap(), l);
    }

    #[test]
    fn malformed_json_is_a_typed_error() {
        for bad in ["", "{", "[]", r#"{"id":"x"}"#, "\u{0}\u{ff}"] {
            assert!(
                matches!(
                    Lead::from_json(bad),
                    Err(CoreError::InvalidJson { what: "lead", .. })
                ),
                "{bad}"
            );
        }
        let mut v: serde_json::Value = serde_json::from_str(&lead().to_json()).unwrap();
        v["status"] = "open".into();
        let err = Lead::from_json(&v.to_string()).unwrap_err();
        assert!(err.to_string().contains("unknown variant"), "{err}");
    }

    #[test]
    fn tampered_history_is_rejected() {
        let mut l = lead();
        l.set_status(LeadStatus::Interested, ChangeCause::Agent, "", t(1))
            .unwrap();
        let mut v: serde_json::Value = serde_json::from_str(&l.to_json()).unwrap();
        v["status"] = "won".into();
        assert!(Lead::from_json(&v.to_string()).is_err());
    }
}
