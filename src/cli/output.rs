//! Output helpers: aligned tables of sanitized text, and JSON.

use crate::sanitize;
use serde::Serialize;
use std::io::Write;

/// Converts a model value to JSON, with TOML datetimes as RFC 3339 strings
/// (`serde_json` would otherwise show toml's private datetime wrapper).
pub fn to_json<T: Serialize>(value: &T) -> serde_json::Value {
    toml::Value::try_from(value).map_or(serde_json::Value::Null, |v| convert(&v))
}

fn convert(v: &toml::Value) -> serde_json::Value {
    use serde_json::Value as J;
    match v {
        toml::Value::String(s) => J::String(s.clone()),
        toml::Value::Integer(i) => J::from(*i),
        toml::Value::Float(f) => serde_json::Number::from_f64(*f).map_or(J::Null, J::Number),
        toml::Value::Boolean(b) => J::Bool(*b),
        toml::Value::Datetime(d) => J::String(d.to_string()),
        toml::Value::Array(a) => J::Array(a.iter().map(convert).collect()),
        toml::Value::Table(t) => {
            J::Object(t.iter().map(|(k, v)| (k.clone(), convert(v))).collect())
        }
    }
}

/// Prints JSON to stdout, pretty, with a final newline. `serde_json`
/// escapes only C0 controls; DEL, C1 controls and bidi overrides are escaped
/// here too (`\u009b`), so the data is unchanged but a terminal showing the
/// output never acts on them.
pub fn print_json(value: &serde_json::Value) -> anyhow::Result<()> {
    let text = serde_json::to_string_pretty(value)?;
    let mut out = std::io::stdout().lock();
    writeln!(out, "{}", escape_json_controls(&text))?;
    Ok(())
}

/// Prints `value` as pretty JSON to stdout as it is serialized — no
/// intermediate tree, so 100k rows cost a buffer, not a document — escaping
/// what [`print_json`] escapes.
pub fn stream_json<T: Serialize + ?Sized>(value: &T) -> anyhow::Result<()> {
    let mut out = Escaping(std::io::BufWriter::with_capacity(
        1 << 16,
        std::io::stdout().lock(),
    ));
    serde_json::to_writer_pretty(&mut out, value)?;
    out.0.write_all(b"\n")?;
    out.0.flush()?;
    Ok(())
}

/// Escapes unsafe characters in what `serde_json` writes: it writes text at
/// character boundaries, so each write is whole UTF-8.
struct Escaping<W: Write>(W);

impl<W: Write> Write for Escaping<W> {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        // Printable ASCII (nearly all of it) needs no look at characters.
        if buf.iter().all(|&b| (0x20..0x7f).contains(&b) || b == b'\n') {
            self.0.write_all(buf)?;
            return Ok(buf.len());
        }
        match std::str::from_utf8(buf) {
            Ok(text) => self.0.write_all(escape_json_controls(text).as_bytes())?,
            Err(_) => self.0.write_all(buf)?,
        }
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        self.0.flush()
    }
}

fn escape_json_controls(json: &str) -> std::borrow::Cow<'_, str> {
    if !json.chars().any(sanitize::is_unsafe) {
        return std::borrow::Cow::Borrowed(json);
    }
    let mut out = String::with_capacity(json.len() + 16);
    for c in json.chars() {
        if sanitize::is_unsafe(c) && !matches!(c, '\n' | '\t' | '\r') {
            let mut buf = [0u16; 2];
            for unit in c.encode_utf16(&mut buf) {
                let _ = std::fmt::Write::write_fmt(&mut out, format_args!("\\u{unit:04x}"));
            }
        } else {
            out.push(c);
        }
    }
    std::borrow::Cow::Owned(out)
}

/// Prints rows as aligned columns; the last column is not padded. Every cell
/// is sanitized, so a hostile summary cannot reach the terminal as escapes.
pub fn print_table(header: &[&str], rows: &[Vec<String>]) -> anyhow::Result<()> {
    let clean: Vec<Vec<String>> = rows
        .iter()
        .map(|r| r.iter().map(|c| sanitize::line(c).into_owned()).collect())
        .collect();
    let mut widths: Vec<usize> = header.iter().map(|h| h.chars().count()).collect();
    for r in &clean {
        for (i, c) in r.iter().enumerate() {
            if let Some(w) = widths.get_mut(i) {
                *w = (*w).max(c.chars().count());
            }
        }
    }
    let mut out = std::io::stdout().lock();
    let mut line = |cells: &[String]| -> std::io::Result<()> {
        let last = cells.len().saturating_sub(1);
        let mut s = String::new();
        for (i, c) in cells.iter().enumerate() {
            if i == last {
                s.push_str(c);
            } else {
                s.push_str(c);
                s.extend(std::iter::repeat_n(' ', widths[i] - c.chars().count() + 2));
            }
        }
        writeln!(out, "{}", s.trim_end())
    };
    line(&header.iter().map(|h| (*h).to_owned()).collect::<Vec<_>>())?;
    for r in &clean {
        line(r)?;
    }
    Ok(())
}

/// A sanitized single line for printing.
pub fn safe(s: &str) -> String {
    sanitize::line(s).into_owned()
}

/// Sanitized multi-line text for printing, indented.
pub fn safe_block(s: &str, indent: &str) -> String {
    sanitize::block(s.trim_end())
        .lines()
        .map(|l| format!("{indent}{l}"))
        .collect::<Vec<_>>()
        .join("\n")
}

/// Tells a listing's reader, on stderr, that some files were skipped, so an
/// item missing from the list is not a mystery.
pub fn warn_skipped(ws: &crate::model::Workspace) {
    let n = ws
        .diagnostics
        .iter()
        .filter(|d| d.level == crate::model::Level::Error)
        .count();
    if n > 0 {
        eprintln!(
            "docket: warning: {n} problem(s) in the workspace; some files were skipped (run `docket check`)"
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn json_escapes_c1_and_bidi_and_round_trips() {
        let v = serde_json::json!({ "s": "a\u{9b}2J\u{202e}b\u{1b}c\u{7f}" });
        let text = escape_json_controls(&serde_json::to_string_pretty(&v).unwrap()).into_owned();
        assert!(
            !text.chars().any(sanitize::is_unsafe)
                || text.chars().all(|c| c == '\n' || !sanitize::is_unsafe(c)),
            "{text:?}"
        );
        assert!(
            text.contains("\\u009b") && text.contains("\\u202e"),
            "{text}"
        );
        let back: serde_json::Value = serde_json::from_str(&text).unwrap();
        assert_eq!(back, v);
    }
}
