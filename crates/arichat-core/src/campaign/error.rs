//! Why a campaign bundle (or the data given to it) was rejected.

/// A campaign bundle that cannot be used, or columns that cannot be assigned, with the
/// path of the value at fault (`campaigns[2].eligibility.all[1].in_segment`).
///
/// Wrapped in [`crate::CoreError::InvalidCampaign`] (code `invalid_campaign`); the finer
/// [`CampaignError::code`] says which check failed. Messages hold paths, keys and
/// names from the bundle, never a customer's attribute values.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum CampaignError {
    /// The file is not valid TOML or JSON, or does not have a bundle's shape (unknown
    /// or missing field, wrong type).
    #[error("cannot read campaign bundle {format}: {reason}")]
    Parse {
        /// `toml` or `json`.
        format: &'static str,
        /// The parser's description, with the field's path or line.
        reason: String,
    },
    /// A required name (bundle version, campaign id, field, segment) is empty.
    #[error("{path}: must not be empty")]
    EmptyName {
        /// Where.
        path: String,
    },
    /// Two campaigns (or two variants of one campaign) share an id.
    #[error("{path}: duplicate id {id:?}")]
    DuplicateId {
        /// The second occurrence.
        path: String,
        /// The id.
        id: String,
    },
    /// `in_segment` names a segment the bundle does not define.
    #[error("{path}: unknown segment {segment:?}")]
    UnknownSegment {
        /// The `in_segment` leaf.
        path: String,
        /// The name.
        segment: String,
    },
    /// Segments refer to each other in a circle.
    #[error("{path}: segment {segment:?} refers back to itself")]
    SegmentCycle {
        /// The `in_segment` leaf closing the circle.
        path: String,
        /// The segment.
        segment: String,
    },
    /// A rule is malformed: no kind or two kinds, an unknown key, a value of the wrong
    /// type, an empty `any`, a bad range or date.
    #[error("{path}: {reason}")]
    InvalidRule {
        /// The rule (or its key) at fault.
        path: String,
        /// What is wrong.
        reason: String,
    },
    /// A GrowthBook condition uses an operator this import does not support
    /// (`$regex`, `$elemMatch`, `$size`, `$all`, `$type`, version operators, ...).
    #[error("{path}: GrowthBook operator {operator:?} is not supported")]
    UnsupportedOperator {
        /// Where the operator is.
        path: String,
        /// The operator.
        operator: String,
    },
    /// A `grade` or `score` rule in a bundle without a `scorecard`.
    #[error("{path}: grade and score rules need the bundle's [scorecard]")]
    MissingScorecard {
        /// The rule.
        path: String,
    },
    /// The embedded scorecard was rejected.
    #[error("scorecard: {reason}")]
    InvalidScorecard {
        /// The scorecard error.
        reason: String,
    },
    /// `start` is not before `end`, or a date does not parse.
    #[error("{path}: {reason}")]
    InvalidWindow {
        /// The campaign's `start` or `end`.
        path: String,
        /// What is wrong.
        reason: String,
    },
    /// A rollout, holdout or variant weight is not a valid percentage, or they add up
    /// to more than 100.
    #[error("{path}: {reason}")]
    InvalidPercent {
        /// The field.
        path: String,
        /// What is wrong.
        reason: String,
    },
    /// `ttl` or `stale_grace` is not a duration such as `24h`, `90m`, `7d`.
    #[error("{path}: {reason}")]
    InvalidDuration {
        /// The field.
        path: String,
        /// What is wrong.
        reason: String,
    },
    /// Columns given to [`super::CampaignBundle::assign_batch`] do not fit together.
    #[error("invalid campaign data: {reason}")]
    InvalidData {
        /// What is wrong.
        reason: String,
    },
}

impl CampaignError {
    /// A stable snake_case code for the check that failed, the same in every binding.
    ///
    /// ```
    /// use arichat_core::campaign::CampaignBundle;
    /// use arichat_core::CoreError;
    /// let err = CampaignBundle::from_toml_str("version = \"\"").unwrap_err();
    /// assert_eq!(err.code(), "invalid_campaign");
    /// let CoreError::InvalidCampaign(e) = err else { unreachable!() };
    /// assert_eq!((e.code(), e.path()), ("empty_name", Some("version")));
    /// ```
    pub fn code(&self) -> &'static str {
        match self {
            CampaignError::Parse { .. } => "parse",
            CampaignError::EmptyName { .. } => "empty_name",
            CampaignError::DuplicateId { .. } => "duplicate_id",
            CampaignError::UnknownSegment { .. } => "unknown_segment",
            CampaignError::SegmentCycle { .. } => "segment_cycle",
            CampaignError::InvalidRule { .. } => "invalid_rule",
            CampaignError::UnsupportedOperator { .. } => "unsupported_operator",
            CampaignError::MissingScorecard { .. } => "missing_scorecard",
            CampaignError::InvalidScorecard { .. } => "invalid_scorecard",
            CampaignError::InvalidWindow { .. } => "invalid_window",
            CampaignError::InvalidPercent { .. } => "invalid_percent",
            CampaignError::InvalidDuration { .. } => "invalid_duration",
            CampaignError::InvalidData { .. } => "invalid_data",
        }
    }

    /// The path of the value at fault, when the error has one.
    pub fn path(&self) -> Option<&str> {
        match self {
            CampaignError::EmptyName { path }
            | CampaignError::DuplicateId { path, .. }
            | CampaignError::UnknownSegment { path, .. }
            | CampaignError::SegmentCycle { path, .. }
            | CampaignError::InvalidRule { path, .. }
            | CampaignError::UnsupportedOperator { path, .. }
            | CampaignError::MissingScorecard { path }
            | CampaignError::InvalidWindow { path, .. }
            | CampaignError::InvalidPercent { path, .. }
            | CampaignError::InvalidDuration { path, .. } => Some(path),
            CampaignError::Parse { .. }
            | CampaignError::InvalidScorecard { .. }
            | CampaignError::InvalidData { .. } => None,
        }
    }

    pub(crate) fn rule(path: impl Into<String>, reason: impl Into<String>) -> Self {
        CampaignError::InvalidRule {
            path: path.into(),
            reason: reason.into(),
        }
    }
}
