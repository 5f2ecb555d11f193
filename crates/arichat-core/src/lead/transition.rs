//! The explicit transition tables for lead status and lifecycle stage.

use super::{ChangeCause, LeadStatus, LifecycleStage};
use crate::CoreError;

/// Status moves the table allows, `(from, to)`.
///
/// Reopening a closed lead (won or lost back to interested or negotiating) is in the
/// table but needs [`ChangeCause::Agent`].
pub const STATUS_TRANSITIONS: &[(LeadStatus, LeadStatus)] = {
    use LeadStatus::*;
    &[
        (Unattended, Interested),
        (Unattended, Negotiating),
        (Unattended, Won),
        (Unattended, Lost),
        (Interested, Negotiating),
        (Interested, Won),
        (Interested, Lost),
        (Negotiating, Interested),
        (Negotiating, Won),
        (Negotiating, Lost),
        (Lost, Interested),
        (Lost, Negotiating),
        (Won, Negotiating),
    ]
};

/// Stage moves the table allows, `(from, to)`: forward at any pace, and a qualified
/// lead may be recycled one step back; a customer stays a customer.
pub const STAGE_TRANSITIONS: &[(LifecycleStage, LifecycleStage)] = {
    use LifecycleStage::*;
    &[
        (Iql, Mql),
        (Iql, Sql),
        (Iql, Customer),
        (Mql, Sql),
        (Mql, Customer),
        (Mql, Iql),
        (Sql, Customer),
        (Sql, Mql),
    ]
};

/// Checks a status move against [`STATUS_TRANSITIONS`] and the agent rule.
///
/// # Errors
/// [`CoreError::IllegalStatusTransition`] or [`CoreError::AgentRequired`].
pub fn check_status(from: LeadStatus, to: LeadStatus, cause: ChangeCause) -> Result<(), CoreError> {
    if !STATUS_TRANSITIONS.contains(&(from, to)) {
        return Err(CoreError::IllegalStatusTransition { from, to });
    }
    if from.is_closed() && cause != ChangeCause::Agent {
        return Err(CoreError::AgentRequired { from, to });
    }
    Ok(())
}

/// Checks a stage move against [`STAGE_TRANSITIONS`].
///
/// # Errors
/// [`CoreError::IllegalStageTransition`].
pub fn check_stage(from: LifecycleStage, to: LifecycleStage) -> Result<(), CoreError> {
    if STAGE_TRANSITIONS.contains(&(from, to)) {
        Ok(())
    } else {
        Err(CoreError::IllegalStageTransition { from, to })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn no_self_moves_and_unattended_is_never_reentered() {
        for (from, to) in STATUS_TRANSITIONS {
            assert_ne!(from, to);
            assert_ne!(*to, LeadStatus::Unattended);
        }
        for (from, to) in STAGE_TRANSITIONS {
            assert_ne!(from, to);
            assert_ne!(*from, LifecycleStage::Customer);
        }
    }

    #[test]
    fn closed_leads_need_an_agent() {
        use LeadStatus::*;
        assert_eq!(
            check_status(Lost, Interested, ChangeCause::Rule),
            Err(CoreError::AgentRequired {
                from: Lost,
                to: Interested
            })
        );
        assert!(check_status(Lost, Interested, ChangeCause::Agent).is_ok());
        assert!(check_status(Won, Lost, ChangeCause::Agent).is_err());
        assert!(check_status(Interested, Unattended, ChangeCause::Agent).is_err());
    }

    #[test]
    fn stage_table() {
        use LifecycleStage::*;
        assert!(check_stage(Iql, Sql).is_ok());
        assert!(check_stage(Customer, Sql).is_err());
        assert!(check_stage(Sql, Iql).is_err());
    }
}
