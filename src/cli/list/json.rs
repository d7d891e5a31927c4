//! `list failures --json`: the cases as pretty JSON, written by hand.
//!
//! At 100,000 cases the output is ~38 MB, and `serde_json`'s generic
//! serializer (a call per key, quote and indent, every key escaped) was
//! most of the time after the load. The layout here is fixed, so keys,
//! punctuation and indentation go out as constant fragments and a string
//! without characters to escape (nearly all) is copied whole. What comes
//! out is byte for byte what `serde_json::to_writer_pretty` printed for
//! the derived struct before; the tests hold it to that.

use crate::model::CaseRef;
use crate::model::time;
use std::io::{self, Write};

/// Writes `cases` as a pretty JSON array of objects with the keys `agent`,
/// `id`, `incident`, `occurred_at`, `path`, `promoted_to`, `severity`,
/// `source`, `status`, `summary`, `tags` (sorted, as the output has always
/// had them). Strings are escaped as `serde_json` escapes them.
pub fn write_cases<'a, W: Write>(
    out: &mut W,
    cases: impl Iterator<Item = CaseRef<'a>>,
) -> io::Result<()> {
    let mut first = true;
    out.write_all(b"[")?;
    for c in cases {
        out.write_all(if first { b"\n" } else { b",\n" })?;
        first = false;
        out.write_all(b"  {\n    \"agent\": \"")?;
        contents(out, c.agent)?;
        out.write_all(b"\",\n    \"id\": \"")?;
        contents(out, c.id)?;
        out.write_all(b"\",\n    \"incident\": ")?;
        optional(out, c.incident)?;
        out.write_all(b",\n    \"occurred_at\": ")?;
        datetime(out, &c.occurred_at)?;
        out.write_all(b",\n    \"path\": \"evals/failures/")?;
        contents(out, c.folder)?;
        out.write_all(b"/")?;
        contents(out, c.id)?;
        out.write_all(b".toml\",\n    \"promoted_to\": ")?;
        optional(out, c.promotion.map(|p| p.set))?;
        out.write_all(b",\n    \"severity\": ")?;
        optional(out, c.severity.map(crate::model::case::Severity::as_str))?;
        out.write_all(b",\n    \"source\": \"")?;
        contents(out, c.source.as_str())?;
        out.write_all(b"\",\n    \"status\": \"")?;
        contents(out, c.status.as_str())?;
        out.write_all(b"\",\n    \"summary\": \"")?;
        contents(out, c.summary)?;
        out.write_all(b"\",\n    \"tags\": [")?;
        let mut tags = c.tags.iter().peekable();
        if tags.peek().is_some() {
            for (i, t) in tags.enumerate() {
                out.write_all(if i == 0 {
                    b"\n      \""
                } else {
                    b",\n      \""
                })?;
                contents(out, t)?;
                out.write_all(b"\"")?;
            }
            out.write_all(b"\n    ")?;
        }
        out.write_all(b"]\n  }")?;
    }
    out.write_all(if first { b"]" } else { b"\n]" })
}

/// A string or `null`.
fn optional<W: Write>(out: &mut W, s: Option<&str>) -> io::Result<()> {
    match s {
        None => out.write_all(b"null"),
        Some(s) => {
            out.write_all(b"\"")?;
            contents(out, s)?;
            out.write_all(b"\"")
        }
    }
}

/// A datetime as its RFC 3339 text (see [`time::rfc3339`]).
fn datetime<W: Write>(out: &mut W, d: &toml::value::Datetime) -> io::Result<()> {
    match time::rfc3339(d, &mut [0; 40]) {
        Some(text) => {
            out.write_all(b"\"")?;
            contents(out, text)?;
            out.write_all(b"\"")
        }
        None => serde_json::to_writer(&mut *out, &d.to_string()).map_err(io::Error::from),
    }
}

/// A string's contents between its quotes: copied whole when nothing in it
/// needs escaping, else escaped by `serde_json` itself (rare: a quote, a
/// backslash or a C0 control), so the escapes are exactly its own.
fn contents<W: Write>(out: &mut W, s: &str) -> io::Result<()> {
    if !needs_escape(s.as_bytes()) {
        return out.write_all(s.as_bytes());
    }
    let quoted = serde_json::to_vec(s).map_err(io::Error::from)?;
    let inner = quoted
        .get(1..quoted.len().saturating_sub(1))
        .unwrap_or_default();
    out.write_all(inner)
}

/// Whether JSON escapes any byte of `s`: a C0 control, `"` or `\`. Folded
/// without short-circuit so it vectorizes.
fn needs_escape(s: &[u8]) -> bool {
    let hits = s.iter().fold(0u8, |hits, &b| {
        hits | u8::from(b < 0x20) | u8::from(b == b'"') | u8::from(b == b'\\')
    });
    hits != 0
}

#[cfg(test)]
mod tests;
