//! Output helpers: aligned tables of sanitized text, and JSON.

mod escaping;

use crate::sanitize;
use escaping::{Escaping, escape_json_controls};
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

/// Prints JSON to stdout, pretty, with a final newline, escaping what
/// [`escape_json_controls`] escapes.
pub fn print_json(value: &serde_json::Value) -> anyhow::Result<()> {
    let text = serde_json::to_string_pretty(value)?;
    let mut out = std::io::stdout().lock();
    writeln!(out, "{}", escape_json_controls(&text))?;
    Ok(())
}

/// Where a [`stream`] writes: a 64 KB buffer in front of the escaping.
pub type Stream<'a> = std::io::BufWriter<Escaping<std::io::StdoutLock<'a>>>;

/// Prints JSON to stdout as `write` produces it — no intermediate tree, so
/// 100k rows cost a buffer, not a document — with a final newline,
/// escaping what [`print_json`] escapes. The buffer comes before the
/// escaping, which then checks 64 KB blocks instead of every small write.
pub fn stream(write: impl FnOnce(&mut Stream<'_>) -> std::io::Result<()>) -> anyhow::Result<()> {
    let mut out =
        std::io::BufWriter::with_capacity(1 << 16, Escaping::new(std::io::stdout().lock()));
    write(&mut out)?;
    out.write_all(b"\n")?;
    let escaping = out
        .into_inner()
        .map_err(std::io::IntoInnerError::into_error)?;
    drop(escaping.finish()?);
    Ok(())
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
