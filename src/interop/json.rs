//! Small readers over `serde_json::Value` shared by the formats: text that
//! may be a string or structured content, chat messages, timestamps.

use crate::model::case::Message;
use serde_json::{Map, Value};
use toml::value::Datetime;

/// A value as text: strings as they are, anything else as compact JSON
/// (a runner's structured output is still worth seeing).
pub fn text(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        Value::Null => String::new(),
        other => other.to_string(),
    }
}

/// Message content: a string, or a list of content parts whose text parts
/// are joined (Inspect and the `OpenAI` format both use parts).
pub fn content(v: &Value) -> String {
    match v {
        Value::Array(parts) => parts
            .iter()
            .filter_map(|p| match p {
                Value::String(s) => Some(s.clone()),
                // A part without text (a tool call, an image) is kept as
                // its JSON, not lost.
                Value::Object(o) => Some(
                    o.get("text")
                        .or_else(|| o.get("content"))
                        .map_or_else(|| p.to_string(), text),
                ),
                _ => None,
            })
            .collect::<Vec<_>>()
            .join("\n"),
        other => text(other),
    }
}

/// A list of `{role, content}` objects, or `None` when `v` is not one.
pub fn messages(v: &Value) -> Option<Vec<Message>> {
    let arr = v.as_array()?;
    arr.iter()
        .map(|m| {
            let o = m.as_object()?;
            Some(Message {
                role: o.get("role")?.as_str()?.to_owned(),
                content: o.get("content").map(content).unwrap_or_default(),
            })
        })
        .collect()
}

/// An RFC 3339 timestamp (also a bare date, or epoch milliseconds as
/// promptfoo writes them) as a TOML datetime; fractional seconds dropped,
/// offsets kept.
pub fn datetime(v: &Value) -> Option<Datetime> {
    if let Some(n) = v.as_i64() {
        // promptfoo writes milliseconds; a log pipeline often seconds. Up
        // to 1e11 a number is read as seconds (that is the year 5138).
        return from_epoch_ms(if n.abs() < 100_000_000_000 {
            n * 1000
        } else {
            n
        });
    }
    let s = v.as_str()?.trim();
    let s = s.replacen(' ', "T", 1);
    let s = match (s.find('.'), s.find('T')) {
        // Drop fractional seconds: `12:00:00.123456+00:00` → `12:00:00+00:00`.
        (Some(dot), Some(t)) if dot > t => {
            let end = s[dot + 1..]
                .find(|c: char| !c.is_ascii_digit())
                .map_or(s.len(), |i| dot + 1 + i);
            format!("{}{}", &s[..dot], &s[end..])
        }
        _ => s,
    };
    let s = s.replace("+00:00", "Z");
    s.parse().ok()
}

fn from_epoch_ms(ms: i64) -> Option<Datetime> {
    let secs = ms.div_euclid(1000);
    let days = secs.div_euclid(86_400);
    let rem = secs.rem_euclid(86_400);
    let (y, m, d) = civil(days);
    format!(
        "{y:04}-{m:02}-{d:02}T{:02}:{:02}:{:02}Z",
        rem / 3600,
        rem % 3600 / 60,
        rem % 60
    )
    .parse()
    .ok()
}

/// Days since 1970-01-01 to a proleptic Gregorian date (Howard Hinnant's
/// algorithm).
fn civil(days: i64) -> (i64, i64, i64) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    (yoe + era * 400 + i64::from(m <= 2), m, d)
}

/// A string field of an object.
pub fn str_of<'a>(o: &'a Map<String, Value>, key: &str) -> Option<&'a str> {
    o.get(key).and_then(Value::as_str)
}

/// Strings of an array field (non-strings skipped).
pub fn strings(v: Option<&Value>) -> Vec<String> {
    match v {
        Some(Value::Array(a)) => a
            .iter()
            .filter_map(|x| x.as_str().map(str::to_owned))
            .collect(),
        Some(Value::String(s)) => vec![s.clone()],
        _ => Vec::new(),
    }
}

/// Moves the keys docket maps (incident, severity, agent, tags, source,
/// summary) out of a runner's metadata into the sample; the rest stays.
pub fn take_known(meta: &mut Map<String, Value>, s: &mut super::Sample) {
    let mut take = |k: &str| meta.remove(k);
    if let Some(v) = take("incident") {
        s.incident = Some(text(&v)).filter(|x| !x.is_empty());
    }
    if let Some(v) = take("severity") {
        s.severity = Some(text(&v)).filter(|x| !x.is_empty());
    }
    if let Some(v) = take("agent") {
        s.agent = Some(text(&v)).filter(|x| !x.is_empty());
    }
    if let Some(v) = take("source") {
        s.source = Some(text(&v)).filter(|x| !x.is_empty());
    }
    if let Some(v) = take("summary") {
        s.summary = Some(text(&v)).filter(|x| !x.is_empty());
    }
    if let Some(v) = take("tags") {
        s.tags = strings(Some(&v));
    }
    if let Some(v) = take("docket_case") {
        s.case_ref = v.as_str().map(str::to_owned);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn datetimes_from_runners() {
        let d = |v: Value| datetime(&v).map(|d| d.to_string());
        assert_eq!(
            d(json!("2026-11-23T10:04:05.123456+00:00")).as_deref(),
            Some("2026-11-23T10:04:05Z")
        );
        assert_eq!(
            d(json!("2026-11-23T10:04:05-07:00")).as_deref(),
            Some("2026-11-23T10:04:05-07:00")
        );
        assert_eq!(
            d(json!("2026-11-23 10:04:05")).as_deref(),
            Some("2026-11-23T10:04:05")
        );
        assert_eq!(
            d(json!(1_764_000_000_000_i64)).as_deref(),
            Some("2025-11-24T16:00:00Z")
        );
        assert_eq!(
            d(json!(1_764_000_000_i64)).as_deref(),
            Some("2025-11-24T16:00:00Z"),
            "seconds"
        );
        assert_eq!(d(json!("yesterday")), None);
    }

    #[test]
    fn content_parts_and_messages() {
        assert_eq!(
            content(&json!([{"type": "text", "text": "a"}, {"type": "image"}])),
            "a\n{\"type\":\"image\"}"
        );
        let m = messages(&json!([{"role": "user", "content": "hi"}])).unwrap();
        assert_eq!(m[0].content, "hi");
        assert!(messages(&json!("hi")).is_none());
    }
}
