//! Calendar arithmetic on TOML datetimes, in UTC. A few lines of our own
//! instead of a date crate: docket only needs "now" as a TOML datetime, the
//! month folder of a case, and day differences.

use toml::value::{Date, Datetime, Offset, Time};

/// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's
/// algorithm).
#[must_use]
pub fn days_from_civil(y: i64, m: u32, d: u32) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = i64::from((m + 9) % 12);
    let doy = (153 * mp + 2) / 5 + i64::from(d) - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// The inverse of [`days_from_civil`].
#[must_use]
pub fn civil_from_days(z: i64) -> (i64, u32, u32) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let y = yoe + era * 400;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = u32::try_from(doy - (153 * mp + 2) / 5 + 1).unwrap_or(1);
    let m = u32::try_from(if mp < 10 { mp + 3 } else { mp - 9 }).unwrap_or(1);
    (if m <= 2 { y + 1 } else { y }, m, d)
}

/// A UTC offset datetime (`2026-11-10T10:05:00Z`) for a Unix time in seconds.
#[must_use]
pub fn datetime_from_unix(secs: i64) -> Datetime {
    let days = secs.div_euclid(86_400);
    let rem = secs.rem_euclid(86_400);
    let (y, m, d) = civil_from_days(days);
    let small = |v: i64| u8::try_from(v).unwrap_or(0);
    Datetime {
        date: Some(Date {
            year: u16::try_from(y).unwrap_or(1970),
            month: small(i64::from(m)),
            day: small(i64::from(d)),
        }),
        time: Some(Time {
            hour: small(rem / 3600),
            minute: small(rem % 3600 / 60),
            second: Some(small(rem % 60)),
            nanosecond: None,
        }),
        offset: Some(Offset::Z),
    }
}

/// Unix seconds of a datetime; a missing time counts as midnight and a missing
/// offset as UTC. `None` for a time-only value.
#[must_use]
pub fn unix_from_datetime(dt: &Datetime) -> Option<i64> {
    let date = dt.date?;
    let days = days_from_civil(
        i64::from(date.year),
        u32::from(date.month),
        u32::from(date.day),
    );
    let (h, mi, s) = dt.time.map_or((0, 0, 0), |t| {
        (
            i64::from(t.hour),
            i64::from(t.minute),
            i64::from(t.second.unwrap_or(0)),
        )
    });
    let offset_min = match dt.offset {
        Some(Offset::Custom { minutes }) => i64::from(minutes),
        _ => 0,
    };
    Some(days * 86_400 + h * 3600 + mi * 60 + s - offset_min * 60)
}

/// `YYYY-MM` of a datetime: the month folder a failure case belongs in.
#[must_use]
pub fn month_folder(dt: &Datetime) -> Option<String> {
    dt.date.map(|d| format!("{:04}-{:02}", d.year, d.month))
}

/// `YYYY-MM-DD` of a datetime.
#[must_use]
pub fn day(dt: &Datetime) -> Option<String> {
    dt.date
        .map(|d| format!("{:04}-{:02}-{:02}", d.year, d.month, d.day))
}

/// Parses an RFC 3339 datetime or a bare date, as TOML writes them.
#[must_use]
pub fn parse(s: &str) -> Option<Datetime> {
    s.trim().parse().ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips() {
        for secs in [0_i64, 951_782_400, 1_793_003_100, 4_102_444_799] {
            assert_eq!(unix_from_datetime(&datetime_from_unix(secs)), Some(secs));
        }
        assert_eq!(
            datetime_from_unix(1_794_737_100).to_string(),
            "2026-11-15T10:05:00Z"
        );
    }

    #[test]
    fn folders_and_offsets() {
        let dt = parse("2026-11-02T14:03:00Z").unwrap();
        assert_eq!(month_folder(&dt).as_deref(), Some("2026-11"));
        assert_eq!(day(&dt).as_deref(), Some("2026-11-02"));
        let a = parse("2026-11-02T14:03:00+02:00").unwrap();
        assert_eq!(
            unix_from_datetime(&a).unwrap() + 7200,
            unix_from_datetime(&dt).unwrap()
        );
        assert!(parse("not a date").is_none());
    }
}
