//! `DateTime<Utc>` across UniFFI (feature `uniffi`): Kotlin `java.time.Instant`, Swift
//! `Date`, carried as a `SystemTime`.

use std::time::{SystemTime, UNIX_EPOCH};

use chrono::{DateTime, Utc};

/// A `SystemTime` as UTC, or `None` outside the years chrono represents (-262143 to
/// 262142; `java.time.Instant` and Swift `Date` reach further). Sub-second precision is
/// kept, before the epoch too.
pub fn utc_from_system_time(time: SystemTime) -> Option<DateTime<Utc>> {
    let (secs, nanos) = match time.duration_since(UNIX_EPOCH) {
        Ok(after) => (i64::try_from(after.as_secs()).ok()?, after.subsec_nanos()),
        Err(before) => {
            // `before.duration()` is how far before the epoch: negate it as secs + nanos.
            let d = before.duration();
            let s = i64::try_from(d.as_secs()).ok()?;
            match d.subsec_nanos() {
                0 => (-s, 0),
                n => (-s - 1, 1_000_000_000 - n),
            }
        }
    };
    DateTime::from_timestamp(secs, nanos)
}

/// The name the custom type needs (one path segment); bindings see `Instant` / `Date`.
pub type UtcDateTime = DateTime<Utc>;

uniffi::custom_type!(UtcDateTime, SystemTime, {
    remote,
    lower: |time| SystemTime::from(time),
    try_lift: |time| utc_from_system_time(time)
        .ok_or_else(|| uniffi::deps::anyhow::anyhow!("timestamp out of range")),
});

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    #[test]
    fn round_trips_including_before_the_epoch() {
        for t in [
            UNIX_EPOCH,
            UNIX_EPOCH + Duration::from_secs(1_767_225_600) + Duration::from_nanos(123),
            UNIX_EPOCH - Duration::from_millis(1500),
        ] {
            assert_eq!(SystemTime::from(utc_from_system_time(t).unwrap()), t);
        }
        assert_eq!(
            utc_from_system_time(UNIX_EPOCH - Duration::from_millis(1500)),
            DateTime::from_timestamp_millis(-1500)
        );
        let far = UNIX_EPOCH + Duration::from_secs(i64::MAX as u64);
        assert_eq!(utc_from_system_time(far), None);
    }
}
