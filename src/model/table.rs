//! The failure cases of a loaded workspace as compact rows: what lists,
//! filters, search and checks need, without the case bodies.
//!
//! A workspace may hold 100,000 cases or more; a `FailureCase` with its
//! conversation, output and notes costs kilobytes, a row about 90 bytes plus
//! its id and summary in one shared string arena. Agents, tags, folders and
//! set names repeat across cases and are interned. A case's body is read from
//! its file when a case is opened (`Store::case_at`).
//!
//! Rows are read through [`CaseRef`], a copyable view with plain fields, so a
//! reader writes `c.id`, `c.status`, `c.tags.contains("tone")`.

use super::case::{Severity, Source, Status};
use std::collections::HashMap;
use toml::value::Datetime;

/// Where a string sits in the arena.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Span {
    at: u32,
    len: u32,
}

/// `Span::NONE` marks an absent optional string (an incident).
impl Span {
    const NONE: Self = Self {
        at: u32::MAX,
        len: 0,
    };
}

/// Strings that repeat across cases, stored once.
#[derive(Debug, Clone, Default)]
struct Names {
    list: Vec<Box<str>>,
    ids: HashMap<Box<str>, u32>,
}

impl Names {
    fn id(&mut self, s: &str) -> u32 {
        if let Some(&i) = self.ids.get(s) {
            return i;
        }
        let i = u32::try_from(self.list.len()).unwrap_or(u32::MAX);
        self.list.push(s.into());
        self.ids.insert(s.into(), i);
        i
    }

    fn get(&self, i: u32) -> &str {
        self.list.get(i as usize).map_or("", |s| s)
    }
}

/// One case, compactly. `promo_set == NO_NAME` when not promoted.
#[derive(Debug, Clone, PartialEq)]
struct Row {
    id: Span,
    summary: Span,
    incident: Span,
    folder: u32,
    agent: u32,
    tags_at: u32,
    tags_len: u16,
    source: Source,
    severity: Option<Severity>,
    status: Status,
    occurred_at: Datetime,
    promo_set: u32,
    promo_version: u32,
    notes: u32,
    review: Review,
}

const NO_NAME: u32 = u32::MAX;

/// Every failure case of a workspace, sorted by id once finished.
#[derive(Debug, Clone, Default)]
pub struct CaseTable {
    rows: Vec<Row>,
    text: String,
    names: Names,
    tags: Vec<u32>,
}

/// Equal tables hold the same rows built the same way (the strings in the
/// same places, the names interned in the same order), so every view of
/// one equals the view of the other; a table that holds the same cases
/// built another way compares unequal, which costs only a rebuild.
impl PartialEq for CaseTable {
    fn eq(&self, other: &Self) -> bool {
        self.rows == other.rows
            && self.text == other.text
            && self.tags == other.tags
            && self.names.list == other.names.list
    }
}

impl CaseTable {
    #[must_use]
    pub fn len(&self) -> usize {
        self.rows.len()
    }

    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.rows.is_empty()
    }

    fn span(&mut self, s: &str) -> Span {
        let at = u32::try_from(self.text.len()).unwrap_or(u32::MAX);
        self.text.push_str(s);
        Span {
            at,
            len: u32::try_from(s.len()).unwrap_or(0),
        }
    }

    fn str(&self, s: Span) -> &str {
        if s == Span::NONE {
            return "";
        }
        let (a, b) = (s.at as usize, s.at as usize + s.len as usize);
        self.text.get(a..b).unwrap_or("")
    }

    fn make(&mut self, c: &NewCase<'_>) -> Row {
        let id = self.span(c.id);
        let summary = self.span(c.summary);
        let incident = c.incident.map_or(Span::NONE, |i| self.span(i));
        let tags_at = u32::try_from(self.tags.len()).unwrap_or(u32::MAX);
        for t in c.tags.iter().take(usize::from(u16::MAX)) {
            let i = self.names.id(t);
            self.tags.push(i);
        }
        let (promo_set, promo_version) = c.promotion.map_or((NO_NAME, 0), |(s, v)| {
            (self.names.id(s), u32::try_from(v).unwrap_or(u32::MAX))
        });
        Row {
            id,
            summary,
            incident,
            folder: self.names.id(c.folder),
            agent: self.names.id(c.agent),
            tags_at,
            tags_len: u16::try_from(c.tags.len()).unwrap_or(u16::MAX),
            source: c.source,
            severity: c.severity,
            status: c.status,
            occurred_at: c.occurred_at,
            promo_set,
            promo_version,
            notes: c.notes,
            review: c.review,
        }
    }

    /// Makes room for `n` more cases of about `text` bytes of id and
    /// summary each, so a load does not double its buffers past the need.
    pub fn reserve(&mut self, n: usize, text: usize) {
        self.rows.reserve_exact(n);
        self.text.reserve_exact(n * text);
    }

    /// Appends a case (unsorted until [`CaseTable::sort`]).
    pub fn push(&mut self, c: &NewCase<'_>) {
        let row = self.make(c);
        self.rows.push(row);
    }

    fn view<'a>(&'a self, r: &'a Row) -> CaseRef<'a> {
        let tags = self
            .tags
            .get(r.tags_at as usize..r.tags_at as usize + usize::from(r.tags_len))
            .unwrap_or(&[]);
        CaseRef {
            id: self.str(r.id),
            folder: self.names.get(r.folder),
            agent: self.names.get(r.agent),
            source: r.source,
            occurred_at: r.occurred_at,
            incident: (r.incident != Span::NONE).then(|| self.str(r.incident)),
            severity: r.severity,
            status: r.status,
            summary: self.str(r.summary),
            tags: Tags {
                ids: tags,
                names: &self.names,
            },
            promotion: (r.promo_set != NO_NAME).then(|| Promoted {
                set: self.names.get(r.promo_set),
                version: u64::from(r.promo_version),
            }),
            notes: r.notes,
            review: r.review,
        }
    }

    #[must_use]
    pub fn get(&self, i: usize) -> Option<CaseRef<'_>> {
        self.rows.get(i).map(|r| self.view(r))
    }

    #[must_use]
    pub fn iter(&self) -> Iter<'_> {
        Iter {
            table: self,
            rows: self.rows.iter(),
        }
    }

    /// The position of case `id` in a sorted table.
    #[must_use]
    pub fn position(&self, id: &str) -> Option<usize> {
        self.rows.binary_search_by(|r| self.str(r.id).cmp(id)).ok()
    }

    /// Sorts by id then path, and drops every later row whose id repeats an
    /// earlier one, returning the dropped rows' `(id, path, kept path)`.
    pub fn sort(&mut self) -> Vec<(String, String, String)> {
        let mut rows = std::mem::take(&mut self.rows);
        rows.sort_by(|a, b| {
            (self.str(a.id), self.names.get(a.folder))
                .cmp(&(self.str(b.id), self.names.get(b.folder)))
        });
        let mut dropped = Vec::new();
        let mut kept: Vec<Row> = Vec::with_capacity(rows.len());
        for r in rows {
            if let Some(prev) = kept.last()
                && self.str(prev.id) == self.str(r.id)
            {
                let id = self.str(r.id).to_owned();
                let path = path_of(self.names.get(r.folder), &id);
                let first = path_of(self.names.get(prev.folder), &id);
                dropped.push((id, path, first));
                continue;
            }
            kept.push(r);
        }
        self.rows = kept;
        dropped
    }

    /// Replaces or inserts one case in a sorted table (after an edit). When
    /// another folder holds a case of the same id, the one [`CaseTable::sort`]
    /// would keep stays (the first folder); the other is returned as
    /// `(id, dropped path, kept path)`.
    pub fn upsert(&mut self, c: &NewCase<'_>) -> Option<(String, String, String)> {
        match self.rows.binary_search_by(|r| self.str(r.id).cmp(c.id)) {
            Err(i) => {
                let row = self.make(c);
                self.rows.insert(i, row);
                None
            }
            Ok(i) => {
                let old = self.names.get(self.rows[i].folder).to_owned();
                let (new, id) = (path_of(c.folder, c.id), c.id.to_owned());
                if old == c.folder {
                    self.rows[i] = self.make(c);
                    None
                } else if c.folder < old.as_str() {
                    self.rows[i] = self.make(c);
                    Some((id.clone(), path_of(&old, &id), new))
                } else {
                    Some((id.clone(), new, path_of(&old, &id)))
                }
            }
        }
    }

    /// Forgets the case filed at `path`, if any.
    pub fn remove_path(&mut self, path: &str) {
        let Some((folder, id)) = folder_and_id(path) else {
            return;
        };
        if let Some(i) = self.position(id)
            && self.names.get(self.rows[i].folder) == folder
        {
            self.rows.remove(i);
        }
    }
}

/// The rows of a table, as views.
#[derive(Debug, Clone)]
pub struct Iter<'a> {
    table: &'a CaseTable,
    rows: std::slice::Iter<'a, Row>,
}

impl<'a> Iterator for Iter<'a> {
    type Item = CaseRef<'a>;

    fn next(&mut self) -> Option<CaseRef<'a>> {
        self.rows.next().map(|r| self.table.view(r))
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        self.rows.size_hint()
    }
}

impl ExactSizeIterator for Iter<'_> {}

impl<'a> DoubleEndedIterator for Iter<'a> {
    fn next_back(&mut self) -> Option<CaseRef<'a>> {
        self.rows.next_back().map(|r| self.table.view(r))
    }
}

impl<'a> IntoIterator for &'a CaseTable {
    type Item = CaseRef<'a>;
    type IntoIter = Iter<'a>;

    fn into_iter(self) -> Iter<'a> {
        self.iter()
    }
}

#[cfg(test)]
mod tests;
mod view;

pub use view::{CaseRef, NewCase, Promoted, Review, Tags, folder_and_id, path_of, write_haystack};
