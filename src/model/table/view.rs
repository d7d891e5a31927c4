//! How a row of the case table reads from outside: [`CaseRef`], a
//! copyable view with plain fields, its [`Tags`] and [`Review`], and
//! [`NewCase`], what is added for one case. The table's storage (the
//! arena, the interned names, the packed rows) is `table.rs`'s.

use super::Names;
use crate::model::case::{FailureCase, Severity, Source, Status};
use crate::model::time;
use toml::value::Datetime;

/// The tags of one case, read from the table.
#[derive(Debug, Clone, Copy)]
pub struct Tags<'a> {
    pub(super) ids: &'a [u32],
    pub(super) names: &'a Names,
}

impl<'a> Tags<'a> {
    #[must_use]
    pub fn iter(self) -> impl ExactSizeIterator<Item = &'a str> + Clone + 'a {
        let names = self.names;
        self.ids.iter().map(move |&i| names.get(i))
    }

    #[must_use]
    pub fn contains(self, tag: &str) -> bool {
        self.iter().any(|t| t == tag)
    }

    #[must_use]
    pub fn is_empty(self) -> bool {
        self.ids.is_empty()
    }

    #[must_use]
    pub fn len(self) -> usize {
        self.ids.len()
    }

    #[must_use]
    pub fn join(self, sep: &str) -> String {
        self.iter().collect::<Vec<_>>().join(sep)
    }

    #[must_use]
    pub fn to_vec(self) -> Vec<String> {
        self.iter().map(str::to_owned).collect()
    }
}

/// One case as the table holds it: every field a list, a filter, search or
/// a check reads.
#[derive(Debug, Clone, Copy)]
pub struct CaseRef<'a> {
    pub id: &'a str,
    /// The month folder the file is in (`2026-11`): its path is
    /// `evals/failures/<folder>/<id>.toml`.
    pub folder: &'a str,
    pub agent: &'a str,
    pub source: Source,
    pub occurred_at: Datetime,
    pub incident: Option<&'a str>,
    pub severity: Option<Severity>,
    pub status: Status,
    pub summary: &'a str,
    pub tags: Tags<'a>,
    /// The set and version it was promoted into.
    pub promotion: Option<Promoted<'a>>,
    /// How many notes it carries.
    pub notes: u32,
    /// Where double review stands on it.
    pub review: Review,
}

/// Where double review stands on a case: the verdicts it carries (see
/// `ops::verdict`), so agendas and lists need not read the case's file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Review {
    /// How many verdicts it carries (at most 127 counted).
    pub verdicts: u8,
    /// Two reviewers' verdicts disagree and nothing was decided.
    pub split: bool,
}

impl Review {
    /// Of a parsed case.
    #[must_use]
    pub fn of(c: &FailureCase) -> Self {
        Self {
            verdicts: u8::try_from(c.verdicts.len().min(127)).unwrap_or(127),
            split: c.split(),
        }
    }

    /// As one byte: the count, and the split in the high bit.
    #[must_use]
    pub fn to_byte(self) -> u8 {
        self.verdicts.min(127) | if self.split { 0x80 } else { 0 }
    }

    #[must_use]
    pub fn from_byte(b: u8) -> Self {
        Self {
            verdicts: b & 0x7f,
            split: b & 0x80 != 0,
        }
    }
}

/// Where a case was promoted.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Promoted<'a> {
    pub set: &'a str,
    pub version: u64,
}

impl CaseRef<'_> {
    /// The workspace-relative path of the case's file.
    #[must_use]
    pub fn path(&self) -> String {
        path_of(self.folder, self.id)
    }

    /// When it occurred, as seconds since the epoch.
    #[must_use]
    pub fn at(&self) -> Option<i64> {
        time::unix_from_datetime(&self.occurred_at)
    }

    /// The text a fuzzy finder matches against (as `FailureCase::haystack`).
    #[must_use]
    pub fn haystack(&self) -> String {
        let mut s = String::with_capacity(self.id.len() + self.summary.len() + 48);
        self.write_haystack(&mut s);
        s
    }

    /// Appends the haystack to `out` (for matching without allocating).
    pub fn write_haystack(&self, out: &mut String) {
        write_haystack(out, [self.id, self.summary, self.agent], self.tags.iter());
    }
}

/// A case's haystack — id, summary, agent, then its tags, space-separated —
/// the one format for rows and parsed cases alike.
pub fn write_haystack<'a>(out: &mut String, head: [&str; 3], tags: impl Iterator<Item = &'a str>) {
    for part in head {
        out.push_str(part);
        out.push(' ');
    }
    for (i, t) in tags.enumerate() {
        if i > 0 {
            out.push(' ');
        }
        out.push_str(t);
    }
}

/// The path of case `id` filed under `folder`.
#[must_use]
pub fn path_of(folder: &str, id: &str) -> String {
    format!("evals/failures/{folder}/{id}.toml")
}

/// What is added to the table for one case: the row's fields as borrowed
/// strings (from a parsed case or from the store's cache).
#[derive(Debug, Clone)]
pub struct NewCase<'a> {
    pub id: &'a str,
    pub folder: &'a str,
    pub agent: &'a str,
    pub source: Source,
    pub occurred_at: Datetime,
    pub incident: Option<&'a str>,
    pub severity: Option<Severity>,
    pub status: Status,
    pub summary: &'a str,
    pub tags: Vec<&'a str>,
    pub promotion: Option<(&'a str, u64)>,
    pub notes: u32,
    pub review: Review,
}

impl<'a> NewCase<'a> {
    /// The row of a parsed case (the folder taken from its path).
    #[must_use]
    pub fn of(c: &'a FailureCase) -> Self {
        Self {
            id: &c.id,
            folder: c.path.rsplit('/').nth(1).unwrap_or(""),
            agent: &c.agent,
            source: c.source,
            occurred_at: c.occurred_at,
            incident: c.incident.as_deref(),
            severity: c.severity,
            status: c.status,
            summary: &c.summary,
            tags: c.tags.iter().map(String::as_str).collect(),
            promotion: c.promotion.as_ref().map(|p| (p.set.as_str(), p.version)),
            notes: u32::try_from(c.notes.len()).unwrap_or(u32::MAX),
            review: Review::of(c),
        }
    }
}

impl serde::Serialize for Tags<'_> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_seq(self.iter())
    }
}

/// `evals/failures/<folder>/<id>.toml` → `(folder, id)`.
#[must_use]
pub fn folder_and_id(path: &str) -> Option<(&str, &str)> {
    let rest = path.strip_prefix("evals/failures/")?;
    let (folder, file) = rest.split_once('/')?;
    Some((folder, file.strip_suffix(".toml")?))
}
