//! Anchoring the example to the day it is copied. The example tells a story
//! as of one day — failures two days old, an incident a month without an
//! eval, nightly runs inside the 30-day window, memos due in a few weeks —
//! and the governance rules judge it against today. Copied as written, it
//! would drift: a month later every run falls out of the window and the
//! overview reads as neglect. So every date moves by the same whole number of
//! days (times of day stay), and the story reads the same on any day.
//!
//! What moves: TOML date and datetime *values*, in `.toml` files and in the
//! `+++` front matter of `.md` files. `toml_edit` finds them; only their
//! `YYYY-MM-DD` bytes are rewritten, so comments, layout and everything else
//! stay byte for byte. Paths that encode a date follow: a failure case lives
//! in the month folder of its `occurred_at`, a run whose id starts with a
//! day gets the moved day, and a set case's `[provenance] failure` follows
//! its failure (with `failure_blob` re-hashed when it named that file).
//!
//! What stays: dates inside strings and markdown bodies. Prose mixes them
//! with month names, weekdays and relative phrases ("last March", "246 days
//! old"), and tool outputs inside a case are eval material that a set case
//! must copy verbatim; rewriting some of them would make the text
//! inconsistent rather than current. Ids stay too (none but run ids carry a
//! date), as do `[origin]` file names, which name files outside the
//! workspace.
//!
//! Pure: files in, files out; the caller supplies today.

use crate::model::workspace::{Kind, classify};
use crate::model::{Diagnostic, frontmatter, time};
use crate::ops::FileWrite;
use crate::store::Store;
use std::collections::BTreeMap;
use toml_edit::{DocumentMut, Item, Value};

/// Keys whose dates look ahead (a memo's next review): they move with the
/// rest but do not say what day the story is set on.
const AHEAD: &[&str] = &["review_by"];

/// One date value in a file.
struct Found {
    /// The key it is the value of (for an array element, the array's key).
    key: String,
    /// Byte offset of its `YYYY-MM-DD` in the whole file.
    at: usize,
    /// Days since 1970-01-01.
    day: i64,
}

/// The example with its dates moved so that its newest recorded day (dates
/// under [`AHEAD`] keys aside) is `today` (days since 1970-01-01).
pub fn anchored(files: &[FileWrite], today: i64) -> Result<Vec<FileWrite>, Diagnostic> {
    match newest_day(files)? {
        Some(newest) => shift(files, today - newest),
        None => Ok(files.to_vec()),
    }
}

/// The day the example's story is set on: its newest date, dates under
/// [`AHEAD`] keys aside.
pub fn newest_day(files: &[FileWrite]) -> Result<Option<i64>, Diagnostic> {
    let mut newest = None;
    for f in files {
        for d in dates(&f.path, &f.contents)? {
            if !AHEAD.contains(&d.key.as_str()) {
                newest = newest.max(Some(d.day));
            }
        }
    }
    Ok(newest)
}

/// Moves every date of the workspace `files` by `days`, and the files whose
/// path encodes a date with them. Sorted by path.
pub fn shift(files: &[FileWrite], days: i64) -> Result<Vec<FileWrite>, Diagnostic> {
    let mut out = Vec::with_capacity(files.len());
    // A failure's old path -> its new path, its old blob and its new blob.
    let mut links: BTreeMap<&str, (String, String, String)> = BTreeMap::new();
    for f in files {
        let contents = shift_text(&f.path, &f.contents, days)?;
        let path = new_home(&f.path, &f.contents, days)?.unwrap_or_else(|| f.path.clone());
        if classify(&f.path) == Some(Kind::Failure) {
            let old = blob(&f.path, &f.contents)?;
            let new = blob(&f.path, &contents)?;
            links.insert(&f.path, (path.clone(), old, new));
        }
        out.push(FileWrite { path, contents });
    }
    for f in &mut out {
        if classify(&f.path) == Some(Kind::SetCase) {
            f.contents = follow(&f.path, &f.contents, &links)?;
        }
    }
    out.sort_by(|a, b| a.path.cmp(&b.path));
    if let Some(w) = out.windows(2).find(|w| w[0].path == w[1].path) {
        return Err(Diagnostic::new(
            crate::model::rule::Rule::Parse,
            &w[0].path,
            1,
            "two files of the example land on this path once their dates move",
        ));
    }
    Ok(out)
}

/// Where the TOML of a file is: the whole of a `.toml` file, the front
/// matter of a `.md` file (with its byte offset); `None` for anything else.
fn toml_part<'a>(path: &str, text: &'a str) -> Option<(usize, &'a str)> {
    if path.ends_with(".toml") {
        return Some((0, text));
    }
    if path.ends_with(".md") {
        let s = frontmatter::split(path, text).ok()?;
        // `front` is a slice of `text`: its offset is the pointer distance.
        let offset = (s.front.as_ptr() as usize).checked_sub(text.as_ptr() as usize)?;
        return Some((offset, s.front));
    }
    None
}

/// Every date value of a file, in file order.
fn dates(path: &str, text: &str) -> Result<Vec<Found>, Diagnostic> {
    let Some((offset, part)) = toml_part(path, text) else {
        return Ok(Vec::new());
    };
    let doc = toml_edit::Document::parse(part).map_err(|e| {
        let line = e
            .span()
            .map_or(1, |s| crate::model::diag::line_of(text, offset + s.start));
        Diagnostic::new(
            crate::model::rule::Rule::Parse,
            path,
            line,
            e.message().to_owned(),
        )
    })?;
    let mut out = Vec::new();
    for (k, item) in doc.as_table() {
        walk_item(k, item, &mut out);
    }
    let mut found = Vec::with_capacity(out.len());
    for (key, start, date) in out {
        let day = time::days_from_civil(
            i64::from(date.year),
            u32::from(date.month),
            u32::from(date.day),
        );
        let at = offset + start;
        // The grammar puts a full `YYYY-MM-DD` first in every date value;
        // checked anyway, since these bytes are about to be replaced.
        if text.get(at..at + 10) != format_day(day).as_deref() {
            return Err(Diagnostic::new(
                crate::model::rule::Rule::Parse,
                path,
                crate::model::diag::line_of(text, at),
                format!("the date of {key} is not written as YYYY-MM-DD"),
            ));
        }
        found.push(Found { key, at, day });
    }
    found.sort_by_key(|f| f.at);
    Ok(found)
}

type Raw = (String, usize, toml_edit::Date);

fn walk_item(key: &str, item: &Item, out: &mut Vec<Raw>) {
    match item {
        Item::Value(v) => walk_value(key, v, out),
        Item::Table(t) => {
            for (k, i) in t {
                walk_item(k, i, out);
            }
        }
        Item::ArrayOfTables(a) => {
            for t in a {
                for (k, i) in t {
                    walk_item(k, i, out);
                }
            }
        }
        Item::None => {}
    }
}

fn walk_value(key: &str, v: &Value, out: &mut Vec<Raw>) {
    match v {
        Value::Datetime(f) => {
            if let (Some(date), Some(span)) = (f.value().date, f.span()) {
                out.push((key.to_owned(), span.start, date));
            }
        }
        Value::Array(a) => {
            for x in a {
                walk_value(key, x, out);
            }
        }
        Value::InlineTable(t) => {
            for (k, x) in t {
                walk_value(k, x, out);
            }
        }
        _ => {}
    }
}

/// `YYYY-MM-DD` of a day; `None` outside the years TOML can write.
fn format_day(day: i64) -> Option<String> {
    let (y, m, d) = time::civil_from_days(day);
    (0..=9999)
        .contains(&y)
        .then(|| format!("{y:04}-{m:02}-{d:02}"))
}

/// The text with every date value moved by `days`; nothing else changes.
fn shift_text(path: &str, text: &str, days: i64) -> Result<String, Diagnostic> {
    let found = dates(path, text)?;
    if days == 0 || found.is_empty() {
        return Ok(text.to_owned());
    }
    let mut out = String::with_capacity(text.len());
    let mut done = 0;
    for f in found {
        let day = format_day(f.day + days).ok_or_else(|| {
            Diagnostic::new(
                crate::model::rule::Rule::Parse,
                path,
                crate::model::diag::line_of(text, f.at),
                format!(
                    "{} moved by {days} days leaves the years TOML can write",
                    f.key
                ),
            )
        })?;
        out.push_str(&text[done..f.at]);
        out.push_str(&day);
        done = f.at + 10;
    }
    out.push_str(&text[done..]);
    Ok(out)
}

/// The new path of a file whose path encodes a date (`text` as it was,
/// before the move): a failure case goes to the month folder of its moved
/// `occurred_at` (if it sat in the folder of its old one), a run whose id
/// starts with a day gets the moved day.
fn new_home(path: &str, text: &str, days: i64) -> Result<Option<String>, Diagnostic> {
    let parts: Vec<&str> = path.split('/').collect();
    match (classify(path), parts.as_slice()) {
        (Some(Kind::Failure), ["evals", "failures", month, name]) => {
            let Some(day) = dates(path, text)?
                .into_iter()
                .find(|d| d.key == "occurred_at")
                .map(|d| d.day)
            else {
                return Ok(None);
            };
            let folder = |day: i64| format_day(day).map(|d| d[..7].to_owned());
            if folder(day).as_deref() != Some(*month) {
                return Ok(None);
            }
            Ok(folder(day + days).map(|m| format!("evals/failures/{m}/{name}")))
        }
        (Some(Kind::Run), ["evals", "runs", set, name]) => {
            let Some(day) = name.get(..10).and_then(time::parse).and_then(|d| d.date) else {
                return Ok(None);
            };
            let day = time::days_from_civil(
                i64::from(day.year),
                u32::from(day.month),
                u32::from(day.day),
            );
            Ok(format_day(day + days).map(|d| format!("evals/runs/{set}/{d}{}", &name[10..])))
        }
        _ => Ok(None),
    }
}

fn blob(path: &str, text: &str) -> Result<String, Diagnostic> {
    Store::blob_id(text.as_bytes())
        .map_err(|e| Diagnostic::new(crate::model::rule::Rule::Parse, path, 1, e.to_string()))
}

/// A set case's provenance after its failure moved: the new path, and the
/// new blob when `failure_blob` named the failure as the example holds it
/// (a blob of an older version names nothing the copy has).
fn follow(
    path: &str,
    text: &str,
    links: &BTreeMap<&str, (String, String, String)>,
) -> Result<String, Diagnostic> {
    let mut doc: DocumentMut = text.parse().map_err(|e: toml_edit::TomlError| {
        Diagnostic::new(
            crate::model::rule::Rule::Parse,
            path,
            1,
            e.message().to_owned(),
        )
    })?;
    let Some(prov) = doc.get_mut("provenance").and_then(Item::as_table_like_mut) else {
        return Ok(text.to_owned());
    };
    let Some((to, old_blob, new_blob)) = prov
        .get("failure")
        .and_then(Item::as_str)
        .and_then(|f| links.get(f))
    else {
        return Ok(text.to_owned());
    };
    let mut changed = set_str(prov, "failure", to);
    if prov.get("failure_blob").and_then(Item::as_str) == Some(old_blob.as_str()) {
        changed |= set_str(prov, "failure_blob", new_blob);
    }
    Ok(if changed {
        doc.to_string()
    } else {
        text.to_owned()
    })
}

/// Replaces a string value, keeping its decor (spacing, comments). Whether
/// it changed.
fn set_str(table: &mut dyn toml_edit::TableLike, key: &str, value: &str) -> bool {
    let Some(Item::Value(v)) = table.get_mut(key) else {
        return false;
    };
    if v.as_str() == Some(value) {
        return false;
    }
    let decor = v.decor().clone();
    *v = Value::from(value);
    *v.decor_mut() = decor;
    true
}

#[cfg(test)]
#[path = "anchor_tests.rs"]
mod tests;
