//! The two closed sets a lead moves through: status and lifecycle stage.

use crate::named_enum::named_enum;

named_enum!(
    /// Where a lead stands in the sales conversation.
    #[cfg_attr(feature = "uniffi", derive(uniffi::Enum))]
    LeadStatus, "lead status", "unattended, interested, negotiating, won, lost", {
        /// Nobody has answered yet.
        Unattended => "unattended",
        /// The contact showed interest (asked a price, a time).
        Interested => "interested",
        /// Terms are being discussed.
        Negotiating => "negotiating",
        /// Closed with a sale.
        Won => "won",
        /// Closed without a sale (or the contact opted out).
        Lost => "lost",
    }
);

impl LeadStatus {
    /// Won and lost leads are closed: only an agent reopens them.
    pub fn is_closed(self) -> bool {
        matches!(self, LeadStatus::Won | LeadStatus::Lost)
    }
}

named_enum!(
    /// Marketing lifecycle: information-, marketing-, sales-qualified lead, customer.
    #[cfg_attr(feature = "uniffi", derive(uniffi::Enum))]
    LifecycleStage, "lifecycle stage", "iql, mql, sql, customer", {
        /// Information-qualified lead: we know who they are.
        Iql => "iql",
        /// Marketing-qualified lead: fits and engages.
        Mql => "mql",
        /// Sales-qualified lead: ready for a salesperson.
        Sql => "sql",
        /// Bought.
        Customer => "customer",
    }
);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_round_trip() {
        for s in LeadStatus::ALL {
            assert_eq!(s.as_str().parse::<LeadStatus>().unwrap(), *s);
            assert_eq!(serde_json::to_string(s).unwrap(), format!("\"{s}\""));
        }
        for s in LifecycleStage::ALL {
            assert_eq!(s.as_str().parse::<LifecycleStage>().unwrap(), *s);
        }
        assert!("open".parse::<LeadStatus>().is_err());
    }

    #[test]
    fn stages_are_ordered() {
        assert!(LifecycleStage::Iql < LifecycleStage::Mql);
        assert!(LifecycleStage::Sql < LifecycleStage::Customer);
    }
}
