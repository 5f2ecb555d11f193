//! Why a scorecard was rejected.

/// A scorecard that cannot be used, with the rule or field at fault.
///
/// Wrapped in [`crate::CoreError::InvalidScorecard`] (code `invalid_scorecard`).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum ScorecardError {
    /// The file is not valid TOML or JSON, or does not have a scorecard's shape.
    #[error("cannot read scorecard {format}: {reason}")]
    Parse {
        /// `toml` or `json`.
        format: &'static str,
        /// The parser's description, with position.
        reason: String,
    },
    /// The `[fields]` table names a type that does not exist.
    #[error("field {field:?} has unknown type {found:?}; expected number, text or bool")]
    UnknownFieldType {
        /// The field.
        field: String,
        /// The rejected type name.
        found: String,
    },
    /// Two rules share an id.
    #[error("duplicate rule id {0:?}")]
    DuplicateRuleId(String),
    /// A rule id or field name is empty.
    #[error("a rule has an empty {0}")]
    EmptyName(&'static str),
    /// A rule is malformed (bad range, non-finite points, bad half-life, ...).
    #[error("rule {rule:?}: {reason}")]
    InvalidRule {
        /// The rule id.
        rule: String,
        /// What is wrong.
        reason: String,
    },
    /// A predicate cannot apply to the declared type of its field.
    #[error("rule {rule:?}: {predicate} does not apply to {field_type} field {field:?}")]
    TypeMismatch {
        /// The rule id.
        rule: String,
        /// The field.
        field: String,
        /// The predicate's key.
        predicate: &'static str,
        /// The field's declared type.
        field_type: super::FieldType,
    },
    /// A cap group is malformed or mixes fit and engagement rules.
    #[error("group {group:?}: {reason}")]
    InvalidGroup {
        /// The group name.
        group: String,
        /// What is wrong.
        reason: String,
    },
    /// Grade or stage thresholds are not finite or not in order.
    #[error("thresholds: {0}")]
    InvalidThresholds(String),
}
