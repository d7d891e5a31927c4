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

/// The text of a datetime exactly as its `Display` writes it
/// (`2026-11-02T14:03:00.5+02:00`), put in `buf` without the formatting
/// machinery or an allocation: `list --json` writes one per case. `None`
/// when a field is wider than TOML writes it (a year past 9999, an offset
/// of 100 hours); `Display` has the last word on those.
#[must_use]
pub fn rfc3339<'b>(dt: &Datetime, buf: &'b mut [u8; 40]) -> Option<&'b str> {
    let mut out = Cursor { buf, len: 0 };
    if let Some(d) = dt.date {
        if d.year > 9999 || d.month > 99 || d.day > 99 {
            return None;
        }
        out.digits(u32::from(d.year), 4);
        out.byte(b'-');
        out.digits(u32::from(d.month), 2);
        out.byte(b'-');
        out.digits(u32::from(d.day), 2);
    }
    if let Some(t) = dt.time {
        let second = t.second.or(t.nanosecond.map(|_| 0));
        if t.hour > 99 || t.minute > 99 || second.is_some_and(|s| s > 99) {
            return None;
        }
        if dt.date.is_some() {
            out.byte(b'T');
        }
        out.digits(u32::from(t.hour), 2);
        out.byte(b':');
        out.digits(u32::from(t.minute), 2);
        if let Some(s) = second {
            out.byte(b':');
            out.digits(u32::from(s), 2);
        }
        if let Some(n) = t.nanosecond {
            if n > 999_999_999 {
                return None;
            }
            // Nine digits less trailing zeros, at least one digit.
            let mut width = 9;
            let mut n = n;
            while width > 1 && n % 10 == 0 {
                n /= 10;
                width -= 1;
            }
            out.byte(b'.');
            out.digits(n, width);
        }
    }
    match dt.offset {
        None => {}
        Some(Offset::Z) => out.byte(b'Z'),
        Some(Offset::Custom { minutes }) => {
            let abs = minutes.unsigned_abs();
            if abs > 99 * 60 + 59 {
                return None;
            }
            out.byte(if minutes < 0 { b'-' } else { b'+' });
            out.digits(u32::from(abs / 60), 2);
            out.byte(b':');
            out.digits(u32::from(abs % 60), 2);
        }
    }
    let Cursor { buf, len } = out;
    std::str::from_utf8(buf.get(..len)?).ok()
}

/// Where [`rfc3339`] writes: bytes past the end are counted, not written,
/// so an overlong text is caught at the end.
struct Cursor<'b> {
    buf: &'b mut [u8; 40],
    len: usize,
}

impl Cursor<'_> {
    fn byte(&mut self, b: u8) {
        if let Some(slot) = self.buf.get_mut(self.len) {
            *slot = b;
        }
        self.len += 1;
    }

    /// `v` zero-padded to `width` digits (`v` has at most `width`).
    fn digits(&mut self, v: u32, width: u32) {
        let mut place = 10u32.pow(width.saturating_sub(1));
        while place > 0 {
            self.byte(b'0' + u8::try_from(v / place % 10).unwrap_or(0));
            place /= 10;
        }
    }
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

    #[test]
    fn rfc3339_is_what_display_writes() {
        let mut buf = [0; 40];
        for text in [
            "2026-11-02T14:03:00Z",
            "2026-11-02T14:03:00.5+02:00",
            "2026-11-02T14:03:00.000000001-09:30",
            "2026-11-02T14:03:00.120Z",
            "2026-11-02T14:03:00.0Z",
            "0001-01-01T00:00:00+00:00",
            "2026-11-02T14:03:00",
            "2026-11-02",
            "14:03:00.25",
            "14:03:59",
        ] {
            let dt = parse(text).unwrap();
            assert_eq!(
                rfc3339(&dt, &mut buf),
                Some(dt.to_string().as_str()),
                "{text}"
            );
        }
    }

    proptest::proptest! {
        /// Any datetime (fields past what TOML parses included) is written
        /// as `Display` writes it, or left to `Display`.
        #[test]
        fn rfc3339_never_differs_from_display(
            date in proptest::option::of((0u16..12_000, 0u8..120, 0u8..120)),
            time in proptest::option::of((0u8..120, 0u8..120, proptest::option::of(0u8..120), proptest::option::of(0u32..1_100_000_000))),
            offset in proptest::option::of(proptest::option::of(-7000i16..7000)),
        ) {
            let dt = Datetime {
                date: date.map(|(year, month, day)| Date { year, month, day }),
                time: time.map(|(hour, minute, second, nanosecond)| Time { hour, minute, second, nanosecond }),
                offset: offset.map(|o| o.map_or(Offset::Z, |minutes| Offset::Custom { minutes })),
            };
            let mut buf = [0; 40];
            let shown = dt.to_string();
            let fits = date.is_none_or(|(y, m, d)| y <= 9999 && m <= 99 && d <= 99)
                && time.is_none_or(|(h, mi, s, n)| {
                    h <= 99 && mi <= 99 && s.is_none_or(|s| s <= 99) && n.is_none_or(|n| n <= 999_999_999)
                })
                && offset.flatten().is_none_or(|m| m.unsigned_abs() <= 5999);
            let written = rfc3339(&dt, &mut buf);
            proptest::prop_assert_eq!(written.is_some(), fits, "{}", shown);
            if let Some(text) = written {
                proptest::prop_assert_eq!(text, shown.as_str());
            }
        }
    }
}
