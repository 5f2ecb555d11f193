//! The Graph API's time format, `2021-09-08T06:34:04+0000`, read without chrono's
//! general parsers: a failed RFC 3339 attempt, a `format!` to add the offset's colon
//! and a second attempt cost 9% of normalizing the Instagram corpus (perf), where
//! every entry `time` and many item `timestamp`s are written this way.

use chrono::{DateTime, NaiveDate, Utc};

/// `YYYY-MM-DDTHH:MM:SS±hhmm` exactly, as UTC; `None` for any other text (or an
/// impossible date, a leap second, an offset of 24 hours or more), which the caller
/// then gives to chrono's parsers as before.
pub(crate) fn parse(s: &str) -> Option<DateTime<Utc>> {
    let b = s.as_bytes();
    if b.len() != 24
        || b[4] != b'-'
        || b[7] != b'-'
        || b[10] != b'T'
        || b[13] != b':'
        || b[16] != b':'
    {
        return None;
    }
    let num = |from: usize, len: usize| -> Option<u32> {
        b[from..from + len].iter().try_fold(0u32, |n, &d| {
            d.is_ascii_digit().then(|| n * 10 + u32::from(d - b'0'))
        })
    };
    let sign: i64 = match b[19] {
        b'+' => 1,
        b'-' => -1,
        _ => return None,
    };
    let (oh, om) = (num(20, 2)?, num(22, 2)?);
    if oh > 23 || om > 59 {
        return None;
    }
    let year = i32::try_from(num(0, 4)?).ok()?;
    let local = NaiveDate::from_ymd_opt(year, num(5, 2)?, num(8, 2)?)?.and_hms_opt(
        num(11, 2)?,
        num(14, 2)?,
        num(17, 2)?,
    )?;
    let offset = sign * i64::from(oh * 3600 + om * 60);
    let utc = local.checked_sub_signed(chrono::TimeDelta::seconds(offset))?;
    Some(utc.and_utc())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn agrees_with_chrono_or_declines() {
        let chrono = |s: &str| {
            let colon = format!("{}:{}", &s[..22], &s[22..]);
            DateTime::parse_from_rfc3339(&colon)
                .ok()
                .map(|t| t.with_timezone(&Utc))
        };
        for s in [
            "2021-09-08T06:34:04+0000",
            "2021-09-08T06:34:04-0530",
            "2021-09-08T23:59:59+2359",
            "0000-01-01T00:00:00+0100",
            "2024-02-29T12:00:00-2300",
            "9999-12-31T23:59:59-0100",
        ] {
            assert_eq!(parse(s), chrono(s), "{s}");
            assert!(parse(s).is_some(), "{s}");
        }
        for s in [
            "2021-09-08T06:34:04Z",
            "2021-09-08T06:34:04+00:00",
            "2021-09-08T06:34:60+0000",
            "2023-02-29T06:34:04+0000",
            "2021-09-08T06:34:04+2400",
            "2021-09-08 06:34:04+0000",
            "2021-09-08T06:34:04.5+0000",
            "２021-09-08T06:34:04+000",
            "+021-09-08T06:34:04+0000",
        ] {
            assert_eq!(parse(s), None, "{s}");
        }
    }
}
