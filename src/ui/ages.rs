//! Ages as the Inbox shows them (`3d`): one function for the view that
//! draws them and for `update`, which redraws on a clock tick only when an
//! age on screen would read differently.

use crate::model::{CaseRef, time};

/// Seconds in a day: the overview judges by day, so a new day re-judges it.
pub const DAY: i64 = 86_400;

/// A case's age as of `now`; `?` when its time cannot be read.
#[must_use]
pub fn case_age(c: CaseRef<'_>, now: i64) -> String {
    time::unix_from_datetime(&c.occurred_at).map_or("?".to_owned(), |t| age(now - t))
}

/// A compact age: `5m`, `3h`, `12d`, `8w`, `2y`.
#[must_use]
pub fn age(secs: i64) -> String {
    let s = secs.max(0);
    match s {
        0..3_600 => format!("{}m", s / 60),
        3_600..86_400 => format!("{}h", s / 3_600),
        86_400..4_838_400 => format!("{}d", s / 86_400),
        4_838_400..31_536_000 => format!("{}w", s / 604_800),
        _ => format!("{}y", s / 31_536_000),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ages() {
        assert_eq!(age(120), "2m");
        assert_eq!(age(7200), "2h");
        assert_eq!(age(86_400 * 3), "3d");
        assert_eq!(age(86_400 * 70), "10w");
        assert_eq!(age(-5), "0m");
    }
}
