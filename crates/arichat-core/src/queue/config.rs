//! Queue configuration: weights of the priority formula and the assignment strategy.

use crate::named_enum::named_enum;
use crate::CoreError;

named_enum!(
    /// How [`super::PriorityQueue::assign_next`] picks the agent for the top conversation
    /// (among the agents that serve its channel and have room).
    AssignmentStrategy, "assignment strategy", "round_robin, least_loaded", {
        /// Agents take turns in the order they were added.
        RoundRobin => "round_robin",
        /// The agent with the fewest assigned conversations; ties go to the one who
        /// waited longest since their last assignment.
        LeastLoaded => "least_loaded",
    }
);

/// Weights and shape of the priority formula (see the [module docs](super)).
///
/// Serialized with stable snake_case names; every field has a default, so `{}` is a
/// valid configuration.
///
/// ```
/// use arichat_core::queue::{AssignmentStrategy, QueueConfig};
/// let c: QueueConfig = serde_json::from_str(r#"{"wait_weight_per_hour": 2.0, "strategy": "round_robin"}"#).unwrap();
/// assert_eq!(c.wait_weight_per_hour, 2.0);
/// assert_eq!(c.score_weight, QueueConfig::default().score_weight);
/// assert_eq!(c.strategy, AssignmentStrategy::RoundRobin);
/// c.validate().unwrap();
/// ```
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct QueueConfig {
    /// `w_score`: points for a lead at the top of the score scale.
    pub score_weight: f64,
    /// The score that counts as "full" (`score_norm = clamp(score / score_scale, 0, 1)`).
    pub score_scale: f64,
    /// `w_wait`: points per hour the client has waited without an answer.
    pub wait_weight_per_hour: f64,
    /// `w_window`: points when the 24-hour window is about to close (reached linearly
    /// over the last [`window_horizon_minutes`](Self::window_horizon_minutes)).
    pub window_weight: f64,
    /// How long before the window closes the urgency starts to rise, in minutes.
    pub window_horizon_minutes: u32,
    /// How [`assign_next`](super::PriorityQueue::assign_next) chooses an agent.
    pub strategy: AssignmentStrategy,
}

impl Default for QueueConfig {
    /// A score of 100 is worth 10 hours of waiting; a window closing now is worth 12
    /// hours, ramping up over its last 4 hours; least-loaded assignment.
    fn default() -> Self {
        QueueConfig {
            score_weight: 10.0,
            score_scale: 100.0,
            wait_weight_per_hour: 1.0,
            window_weight: 12.0,
            window_horizon_minutes: 240,
            strategy: AssignmentStrategy::LeastLoaded,
        }
    }
}

impl QueueConfig {
    /// Checks that weights are finite and non-negative, the scale is positive and the
    /// horizon at least a minute.
    ///
    /// # Errors
    /// [`CoreError::InvalidConfig`] naming the offending field.
    pub fn validate(&self) -> Result<(), CoreError> {
        let weights = [
            ("score_weight", self.score_weight),
            ("wait_weight_per_hour", self.wait_weight_per_hour),
            ("window_weight", self.window_weight),
        ];
        for (name, w) in weights {
            if !w.is_finite() || w < 0.0 {
                return Err(invalid(format!(
                    "{name} must be a finite number >= 0, got {w}"
                )));
            }
        }
        if !self.score_scale.is_finite() || self.score_scale <= 0.0 {
            return Err(invalid(format!(
                "score_scale must be a finite number > 0, got {}",
                self.score_scale
            )));
        }
        if self.window_horizon_minutes == 0 {
            return Err(invalid("window_horizon_minutes must be at least 1".into()));
        }
        Ok(())
    }

    /// The horizon in hours.
    pub(crate) fn horizon_hours(&self) -> f64 {
        f64::from(self.window_horizon_minutes) / 60.0
    }
}

fn invalid(reason: String) -> CoreError {
    CoreError::InvalidConfig {
        what: "queue config",
        reason,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn default_is_valid_and_round_trips() {
        let c = QueueConfig::default();
        c.validate().unwrap();
        let v = serde_json::to_value(&c).unwrap();
        assert_eq!(v["strategy"], "least_loaded");
        assert_eq!(v["window_horizon_minutes"], 240);
        let back: QueueConfig = serde_json::from_value(v).unwrap();
        assert_eq!(back, c);
        assert_eq!(serde_json::from_str::<QueueConfig>("{}").unwrap(), c);
    }

    #[test]
    fn rejects_bad_values() {
        let bad = [
            QueueConfig {
                score_weight: -1.0,
                ..QueueConfig::default()
            },
            QueueConfig {
                wait_weight_per_hour: f64::NAN,
                ..QueueConfig::default()
            },
            QueueConfig {
                window_weight: f64::INFINITY,
                ..QueueConfig::default()
            },
            QueueConfig {
                score_scale: 0.0,
                ..QueueConfig::default()
            },
            QueueConfig {
                window_horizon_minutes: 0,
                ..QueueConfig::default()
            },
        ];
        for c in bad {
            let err = c.validate().unwrap_err();
            assert_eq!(err.code(), "invalid_config", "{c:?}");
        }
        assert!(serde_json::from_str::<QueueConfig>(r#"{"wieght": 1}"#).is_err());
    }
}
