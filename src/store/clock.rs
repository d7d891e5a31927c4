//! "Now", for note and promotion timestamps. `DOCKET_NOW` (an RFC 3339
//! datetime) pins it, so tests and demos are reproducible.

use crate::model::time;
use toml::value::Datetime;

#[must_use]
pub fn now() -> Datetime {
    if let Ok(s) = std::env::var("DOCKET_NOW")
        && let Some(dt) = time::parse(&s)
    {
        return dt;
    }
    let secs = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| i64::try_from(d.as_secs()).unwrap_or(0));
    time::datetime_from_unix(secs)
}
