//! `Lead`: a lead with an audited status and lifecycle stage, a thin wrapper around
//! [`arichat_core::Lead`].

use arichat_core::{
    ChangeCause, Channel, ContactId, LeadId, LeadStatus, LifecycleStage, TenantId, Transition,
};
use chrono::{DateTime, Utc};
use napi::bindgen_prelude::Date;
use napi_derive::napi;

use crate::{core_error, to_utc, Result};

/// One recorded change of a lead.
#[napi(object)]
pub struct LeadChange {
    /// `"status"` or `"stage"`.
    #[napi(ts_type = "'status' | 'stage'")]
    pub field: String,
    /// The value before the change.
    #[napi(ts_type = "LeadStatusName | LifecycleStageName")]
    pub from: String,
    /// The value after the change.
    #[napi(ts_type = "LeadStatusName | LifecycleStageName")]
    pub to: String,
    /// When it happened.
    pub at: DateTime<Utc>,
    /// `"rule"`, `"intent"`, `"agent"` or `"import"`.
    #[napi(ts_type = "ChangeCauseName")]
    pub cause: String,
    /// A human-readable reason.
    pub reason: String,
}

impl From<&arichat_core::LeadChange> for LeadChange {
    fn from(change: &arichat_core::LeadChange) -> Self {
        let (field, from, to) = match change.transition {
            Transition::Status { from, to } => ("status", from.as_str(), to.as_str()),
            Transition::Stage { from, to } => ("stage", from.as_str(), to.as_str()),
        };
        LeadChange {
            field: field.to_owned(),
            from: from.to_owned(),
            to: to.to_owned(),
            at: change.at,
            cause: change.cause.as_str().to_owned(),
            reason: change.reason.clone(),
        }
    }
}

/// A lead with an audited status and lifecycle stage.
#[napi]
pub struct Lead {
    inner: arichat_core::Lead,
}

#[napi]
impl Lead {
    /// A new lead: unattended, IQL, attributed to `channel` (`"whatsapp"`,
    /// `"messenger"`, `"instagram"` or `"telegram"`).
    ///
    /// Throws `unknown_variant` for another channel.
    #[napi(constructor)]
    pub fn new(
        id: String,
        tenant_id: String,
        contact_id: String,
        #[napi(ts_arg_type = "ChannelName")] channel: String,
        now: Date,
    ) -> Result<Self> {
        let channel = channel.parse::<Channel>().map_err(core_error)?;
        let now = to_utc(now, "now")?;
        Ok(Lead {
            inner: arichat_core::Lead::new(
                LeadId::new(id),
                TenantId::new(tenant_id),
                ContactId::new(contact_id),
                channel,
                now,
            ),
        })
    }

    /// The lead id.
    #[napi(getter)]
    pub fn id(&self) -> String {
        self.inner.id().as_str().to_owned()
    }

    /// The current status, such as `"unattended"`.
    #[napi(getter, ts_return_type = "LeadStatusName")]
    pub fn status(&self) -> &'static str {
        self.inner.status().as_str()
    }

    /// The current lifecycle stage, such as `"iql"`.
    #[napi(getter, ts_return_type = "LifecycleStageName")]
    pub fn stage(&self) -> &'static str {
        self.inner.stage().as_str()
    }

    /// Every change, oldest first.
    #[napi(getter)]
    pub fn history(&self) -> Vec<LeadChange> {
        self.inner.history().iter().map(LeadChange::from).collect()
    }

    /// Moves the status, recording the change. On error the lead is unchanged.
    ///
    /// Throws `unknown_variant`, `illegal_status_transition` or `agent_required`.
    #[napi]
    pub fn set_status(
        &mut self,
        #[napi(ts_arg_type = "LeadStatusName")] to: String,
        #[napi(ts_arg_type = "ChangeCauseName")] cause: String,
        reason: String,
        at: Date,
    ) -> Result<()> {
        let to = to.parse::<LeadStatus>().map_err(core_error)?;
        let cause = cause.parse::<ChangeCause>().map_err(core_error)?;
        let at = to_utc(at, "at")?;
        self.inner
            .set_status(to, cause, reason, at)
            .map_err(core_error)?;
        Ok(())
    }

    /// Moves the lifecycle stage, recording the change. On error the lead is unchanged.
    ///
    /// Throws `unknown_variant` or `illegal_stage_transition`.
    #[napi]
    pub fn set_stage(
        &mut self,
        #[napi(ts_arg_type = "LifecycleStageName")] to: String,
        #[napi(ts_arg_type = "ChangeCauseName")] cause: String,
        reason: String,
        at: Date,
    ) -> Result<()> {
        let to = to.parse::<LifecycleStage>().map_err(core_error)?;
        let cause = cause.parse::<ChangeCause>().map_err(core_error)?;
        let at = to_utc(at, "at")?;
        self.inner
            .set_stage(to, cause, reason, at)
            .map_err(core_error)?;
        Ok(())
    }

    /// The lead as JSON (snake_case, stable field names).
    #[napi]
    pub fn to_json(&self) -> String {
        self.inner.to_json()
    }

    /// Reads a lead from JSON, checking its history.
    ///
    /// Throws `invalid_json`.
    #[napi(factory)]
    pub fn from_json(json: String) -> Result<Self> {
        let inner = arichat_core::Lead::from_json(&json).map_err(core_error)?;
        Ok(Lead { inner })
    }
}
