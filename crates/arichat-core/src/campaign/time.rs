//! Dates in attributes and rules, and durations in bundles.
//!
//! A date is text in RFC 3339 (`2026-11-30T08:00:00Z`, `...-05:00`), `YYYY-MM-DD`
//! (midnight UTC) or `YYYY-MM-DD HH:MM:SS` (UTC), or a number of seconds since the Unix
//! epoch. Dates are compared as whole seconds. A duration is a whole number with a unit:
//! `90s`, `30m`, `24h`, `7d`.

use chrono::{DateTime, NaiveDate, NaiveDateTime, Utc};

use crate::scoring::Cell;

/// A date from text, as described in the module doc.
pub(crate) fn parse_date(text: &str) -> Option<DateTime<Utc>> {
    let t = text.trim();
    if t.len() == 10 {
        let d = NaiveDate::parse_from_str(t, "%Y-%m-%d").ok()?;
        return Some(d.and_hms_opt(0, 0, 0)?.and_utc());
    }
    if let Ok(d) = DateTime::parse_from_rfc3339(t) {
        return Some(d.with_timezone(&Utc));
    }
    NaiveDateTime::parse_from_str(t, "%Y-%m-%d %H:%M:%S")
        .ok()
        .map(|d| d.and_utc())
}

/// The seconds since the epoch of a cell holding a date (text or epoch seconds).
#[inline]
pub(crate) fn cell_seconds(cell: Cell<'_>) -> Option<i64> {
    match cell {
        // Beyond ±2^53 a float is not a whole second; such a number is no date.
        Cell::Number(n) if n.abs() < 9.0e15 => Some(n.floor() as i64),
        Cell::Text(s) => parse_date(s).map(|d| d.timestamp()),
        _ => None,
    }
}

/// A duration such as `24h` in seconds, or why not.
pub(crate) fn parse_duration(text: &str) -> Result<u64, String> {
    let t = text.trim();
    let bad = || format!("{text:?} is not a duration such as 90s, 30m, 24h or 7d");
    let unit = t.chars().last().ok_or_else(bad)?;
    let scale = match unit {
        's' => 1,
        'm' => 60,
        'h' => 3600,
        'd' => 86_400,
        _ => return Err(bad()),
    };
    let n: u64 = t[..t.len() - 1].parse().map_err(|_| bad())?;
    n.checked_mul(scale)
        .filter(|s| *s <= 10 * 365 * 86_400)
        .ok_or_else(|| format!("{text:?} is longer than ten years"))
}

/// The shortest text [`parse_duration`] reads back as `secs`.
pub(crate) fn format_duration(secs: u64) -> String {
    match secs {
        0 => "0s".into(),
        s if s % 86_400 == 0 => format!("{}d", s / 86_400),
        s if s % 3600 == 0 => format!("{}h", s / 3600),
        s if s % 60 == 0 => format!("{}m", s / 60),
        s => format!("{s}s"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    #[test]
    fn dates_read_in_every_documented_form() {
        let noon = Utc.with_ymd_and_hms(2026, 11, 30, 12, 0, 0).unwrap();
        assert_eq!(parse_date("2026-11-30T12:00:00Z"), Some(noon));
        assert_eq!(parse_date("2026-11-30T07:00:00-05:00"), Some(noon));
        assert_eq!(parse_date("2026-11-30 12:00:00"), Some(noon));
        assert_eq!(
            parse_date("2026-11-30"),
            Some(Utc.with_ymd_and_hms(2026, 11, 30, 0, 0, 0).unwrap())
        );
        assert_eq!(parse_date("30/11/2026"), None);
        assert_eq!(cell_seconds(Cell::Number(1.5e9)), Some(1_500_000_000));
        assert_eq!(cell_seconds(Cell::Bool(true)), None);
    }

    #[test]
    fn durations_round_trip() {
        for (t, s) in [("24h", 86_400), ("90s", 90), ("30m", 1800), ("7d", 604_800)] {
            assert_eq!(parse_duration(t), Ok(s));
            assert_eq!(parse_duration(&format_duration(s)), Ok(s));
        }
        assert_eq!(format_duration(86_400), "1d");
        for bad in ["", "h", "24", "-1h", "1.5h", "24 h", "99999d"] {
            assert!(parse_duration(bad).is_err(), "{bad}");
        }
    }
}
