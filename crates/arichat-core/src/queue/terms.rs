//! The priority formula: its terms at a given time, its phases and their linear forms.

use std::fmt;

use chrono::{DateTime, Duration, Utc};

use super::{QueueConfig, QueueEntry};
use crate::window::ServiceWindow;

/// Hours since the Unix epoch, as a float (the formula's time axis).
pub(crate) fn hours(t: DateTime<Utc>) -> f64 {
    t.timestamp() as f64 / 3600.0 + f64::from(t.timestamp_subsec_nanos()) / 3.6e12
}

/// The three linear pieces of the formula (see the module docs).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Phase {
    /// Nobody is waiting: `P = w_s·s`.
    Idle = 0,
    /// The client waits, the window is not closing: `P = w_s·s + w_w·wait`.
    Waiting = 1,
    /// The client waits and the window closes within the horizon:
    /// `P = w_s·s + w_w·wait + w_u·urgency`.
    Closing = 2,
}

pub(crate) const PHASES: usize = 3;

/// The phases by index (`phase as usize`).
pub(crate) const PHASE_LIST: [Phase; PHASES] = [Phase::Idle, Phase::Waiting, Phase::Closing];

/// The slope of the formula, in points per hour, within `phase`.
pub(crate) fn slope(phase: Phase, config: &QueueConfig) -> f64 {
    match phase {
        Phase::Idle => 0.0,
        Phase::Waiting => config.wait_weight_per_hour,
        Phase::Closing => {
            config.wait_weight_per_hour + config.window_weight / config.horizon_hours()
        }
    }
}

/// What the formula needs of an entry, precomputed once per upsert.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Shape {
    pub score_norm: f64,
    pub waiting_since: Option<DateTime<Utc>>,
    /// `(ramp_start, closes_at)`, when the channel has a window that opened.
    pub window: Option<(DateTime<Utc>, DateTime<Utc>)>,
}

impl Shape {
    pub(crate) fn of(entry: &QueueEntry, config: &QueueConfig) -> Shape {
        let score_norm = if entry.score.is_nan() {
            0.0
        } else {
            (entry.score / config.score_scale).clamp(0.0, 1.0)
        };
        let horizon = Duration::minutes(i64::from(config.window_horizon_minutes));
        let window =
            closes_at(entry).and_then(|c| c.checked_sub_signed(horizon).map(|start| (start, c)));
        Shape {
            score_norm,
            waiting_since: entry.waiting_since,
            window,
        }
    }

    fn waiting_at(&self, t: DateTime<Utc>) -> bool {
        self.waiting_since.is_some_and(|s| t >= s)
    }

    pub(crate) fn phase_at(&self, t: DateTime<Utc>) -> Phase {
        if !self.waiting_at(t) {
            Phase::Idle
        } else if self.window.is_some_and(|(start, c)| start <= t && t < c) {
            Phase::Closing
        } else {
            Phase::Waiting
        }
    }

    /// The first breakpoint strictly after `t`, where the phase may change.
    pub(crate) fn next_breakpoint(&self, t: DateTime<Utc>) -> Option<DateTime<Utc>> {
        let (start, close) = match self.window {
            Some((s, c)) => (Some(s), Some(c)),
            None => (None, None),
        };
        [self.waiting_since, start, close]
            .into_iter()
            .flatten()
            .filter(|b| *b > t)
            .min()
    }

    /// The intercept `b` of `P(t) = slope(phase)·hours(t) + b` within `phase`.
    pub(crate) fn intercept(&self, phase: Phase, config: &QueueConfig) -> f64 {
        let base = config.score_weight * self.score_norm;
        let since = self.waiting_since.map_or(0.0, hours);
        let ww = config.wait_weight_per_hour;
        match phase {
            Phase::Idle => base,
            Phase::Waiting => base - ww * since,
            Phase::Closing => {
                let start = self.window.map_or(0.0, |(s, _)| hours(s));
                base - ww * since - config.window_weight * start / config.horizon_hours()
            }
        }
    }
}

/// The service window's closing time, guarding against times so late that adding
/// 24 hours would overflow.
pub(crate) fn closes_at(entry: &QueueEntry) -> Option<DateTime<Utc>> {
    let last = entry.last_inbound_at?;
    last.checked_add_signed(crate::window::SERVICE_WINDOW)?;
    ServiceWindow::new(entry.channel, Some(last)).closes_at()
}

/// The formula's terms for one conversation at one time: what each input contributed.
///
/// `priority = score_points + wait_points + window_points`, where
/// `score_points = w_score · score_norm`, `wait_points = w_wait · waiting_hours` and
/// `window_points = w_window · urgency`.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct PriorityTerms {
    /// The lead score as given.
    pub score: f64,
    /// `clamp(score / score_scale, 0, 1)`.
    pub score_norm: f64,
    /// `w_score · score_norm`.
    pub score_points: f64,
    /// How long the client has waited without an answer, in seconds (0 when nobody waits).
    pub waiting_seconds: i64,
    /// `w_wait · waiting_seconds / 3600`.
    pub wait_points: f64,
    /// When the 24-hour window closes (`None`: no window on this channel, or never opened).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub window_closes_at: Option<DateTime<Utc>>,
    /// Seconds until it closes (0 when closed); `None` without a window.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub window_remaining_seconds: Option<i64>,
    /// 0 outside the horizon, rising linearly to 1 as the window closes, 0 again once
    /// closed (a free-form answer is no longer possible) or when nobody waits.
    pub urgency: f64,
    /// `w_window · urgency`.
    pub window_points: f64,
}

impl PriorityTerms {
    pub(crate) fn compute(
        entry: &QueueEntry,
        shape: &Shape,
        config: &QueueConfig,
        now: DateTime<Utc>,
    ) -> PriorityTerms {
        let phase = shape.phase_at(now);
        let waiting = match (phase, shape.waiting_since) {
            (Phase::Idle, _) | (_, None) => Duration::zero(),
            (_, Some(since)) => now - since,
        };
        let waiting_hours = match (phase, shape.waiting_since) {
            (Phase::Idle, _) | (_, None) => 0.0,
            (_, Some(since)) => hours(now) - hours(since),
        };
        let urgency = match (phase, shape.window) {
            (Phase::Closing, Some((start, _))) => {
                ((hours(now) - hours(start)) / config.horizon_hours()).clamp(0.0, 1.0)
            }
            _ => 0.0,
        };
        let closes = shape.window.map(|(_, c)| c);
        PriorityTerms {
            score: entry.score,
            score_norm: shape.score_norm,
            score_points: config.score_weight * shape.score_norm,
            waiting_seconds: waiting.num_seconds(),
            wait_points: config.wait_weight_per_hour * waiting_hours,
            window_closes_at: closes,
            window_remaining_seconds: closes.map(|c| (c - now).num_seconds().max(0)),
            urgency,
            window_points: config.window_weight * urgency,
        }
    }

    /// The sum of the three terms.
    pub fn priority(&self) -> f64 {
        self.score_points + self.wait_points + self.window_points
    }
}

impl fmt::Display for PriorityTerms {
    /// `"score 80 -> 8.00 + waited 3h05m -> 3.08 + window closes in 2h00m -> 6.00"`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "score {} -> {:.2} + waited {} -> {:.2}",
            trim(self.score),
            self.score_points,
            hm(self.waiting_seconds),
            self.wait_points
        )?;
        match self.window_remaining_seconds {
            None => f.write_str(" + no window"),
            Some(0) => f.write_str(" + window closed"),
            Some(left) => write!(
                f,
                " + window closes in {} -> {:.2}",
                hm(left),
                self.window_points
            ),
        }
    }
}

impl PriorityTerms {
    /// Why the conversation ranks where it does, in words an agent reads at a glance:
    /// the deadline first, then the wait — `"window closes in 26 min, waited 23 h"`,
    /// `"window closed, waited 2 h 10 min"`, `"waited 55 min"`; empty when nobody waits.
    /// The score is left to the caller, which knows the grade and the status.
    ///
    /// ```
    /// # use arichat_core::queue::PriorityTerms;
    /// let terms = PriorityTerms {
    ///     score: 29.0, score_norm: 0.29, score_points: 2.9,
    ///     waiting_seconds: 23 * 3600 + 33 * 60, wait_points: 23.55,
    ///     window_closes_at: None, window_remaining_seconds: Some(26 * 60),
    ///     urgency: 0.9, window_points: 10.8,
    /// };
    /// assert_eq!(terms.in_words(), "window closes in 26 min, waited 23 h");
    /// ```
    pub fn in_words(&self) -> String {
        if self.waiting_seconds <= 0 {
            return String::new();
        }
        let waited = format!("waited {}", spoken(self.waiting_seconds));
        match self.window_remaining_seconds {
            Some(0) => format!("window closed, {waited}"),
            Some(left) if self.window_points > 0.0 => {
                format!("window closes in {}, {waited}", spoken(left))
            }
            _ => waited,
        }
    }
}

/// A duration as people say it: `"under a minute"`, `"26 min"`, `"3 h 10 min"` below ten
/// hours, whole hours above (`"23 h"`).
fn spoken(seconds: i64) -> String {
    let minutes = seconds.max(0) / 60;
    let (h, m) = (minutes / 60, minutes % 60);
    match (h, m) {
        (0, 0) => "under a minute".to_owned(),
        (0, m) => format!("{m} min"),
        (h, 0) => format!("{h} h"),
        (h, m) if h < 10 => format!("{h} h {m} min"),
        (h, _) => format!("{h} h"),
    }
}

fn trim(x: f64) -> String {
    if x.is_finite() && x.fract() == 0.0 && x.abs() < 1e15 {
        format!("{x:.0}")
    } else {
        format!("{x:.2}")
    }
}

fn hm(seconds: i64) -> String {
    let minutes = seconds.max(0) / 60;
    format!("{}h{:02}m", minutes / 60, minutes % 60)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn terms(waiting_seconds: i64, window: Option<i64>, window_points: f64) -> PriorityTerms {
        PriorityTerms {
            score: 50.0,
            score_norm: 0.5,
            score_points: 5.0,
            waiting_seconds,
            wait_points: waiting_seconds as f64 / 3600.0,
            window_closes_at: None,
            window_remaining_seconds: window,
            urgency: window_points / 12.0,
            window_points,
        }
    }

    #[test]
    fn reasons_in_words() {
        assert_eq!(terms(0, Some(600), 10.0).in_words(), "");
        assert_eq!(terms(30, None, 0.0).in_words(), "waited under a minute");
        assert_eq!(terms(55 * 60, None, 0.0).in_words(), "waited 55 min");
        assert_eq!(terms(3600, Some(20 * 3600), 0.0).in_words(), "waited 1 h");
        assert_eq!(
            terms(3 * 3600 + 10 * 60, Some(0), 0.0).in_words(),
            "window closed, waited 3 h 10 min"
        );
        assert_eq!(
            terms(23 * 3600 + 59 * 60, Some(59), 11.9).in_words(),
            "window closes in under a minute, waited 23 h"
        );
    }
}
