//! What each view lists, and how a filter query narrows it: the search
//! index (one haystack and a few facets per item), the query syntax
//! (`status:new tag:tone refund`), and the ranking that runs on a worker
//! thread at scale.

use crate::model::Workspace;
use crate::model::time;
use std::sync::Arc;

/// The five views, in tab order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum View {
    #[default]
    Inbox,
    Sets,
    Runbooks,
    Memos,
    Changes,
    /// `0`: the governance overview (no list of its own).
    Overview,
}

impl View {
    /// Tab order, and the number keys `0`..`5`.
    pub const TABS: [Self; 6] = [
        Self::Overview,
        Self::Inbox,
        Self::Sets,
        Self::Runbooks,
        Self::Memos,
        Self::Changes,
    ];

    pub const ALL: [Self; 5] = [
        Self::Inbox,
        Self::Sets,
        Self::Runbooks,
        Self::Memos,
        Self::Changes,
    ];

    #[must_use]
    pub fn title(self) -> &'static str {
        match self {
            Self::Inbox => "Inbox",
            Self::Sets => "Sets",
            Self::Runbooks => "Runbooks",
            Self::Memos => "Memos",
            Self::Changes => "Changes",
            Self::Overview => "Overview",
        }
    }

    /// The slot of the view's list state (the Overview's list is empty).
    #[must_use]
    pub fn index(self) -> usize {
        Self::ALL.iter().position(|v| *v == self).unwrap_or(5)
    }

    /// The number key of the view.
    #[must_use]
    pub fn number(self) -> usize {
        Self::TABS.iter().position(|v| *v == self).unwrap_or(0)
    }
}

/// How the Inbox is ordered.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Sort {
    #[default]
    Newest,
    Oldest,
    Severity,
    Id,
}

impl Sort {
    #[must_use]
    pub fn next(self) -> Self {
        match self {
            Self::Newest => Self::Oldest,
            Self::Oldest => Self::Severity,
            Self::Severity => Self::Id,
            Self::Id => Self::Newest,
        }
    }

    #[must_use]
    pub fn label(self) -> &'static str {
        match self {
            Self::Newest => "newest first",
            Self::Oldest => "oldest first",
            Self::Severity => "severity",
            Self::Id => "id",
        }
    }
}

/// Facets a query can name exactly (`status:new`), per item.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Facets {
    pub status: String,
    pub tags: Vec<String>,
    pub agent: String,
    pub source: String,
    pub severity: String,
    /// Sort keys: occurrence time and severity rank (lower is worse).
    pub time: i64,
    pub rank: u8,
}

/// One view's items as the matcher sees them. Immutable once built, shared
/// with the worker through an `Arc`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SearchIndex {
    pub hay: Vec<String>,
    pub facets: Vec<Facets>,
}

impl SearchIndex {
    #[must_use]
    pub fn len(&self) -> usize {
        self.hay.len()
    }

    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.hay.is_empty()
    }
}

/// The facets of one failure case.
#[must_use]
pub fn case_facets(c: crate::model::CaseRef<'_>) -> Facets {
    Facets {
        status: c.status.to_string(),
        tags: c.tags.to_vec(),
        agent: c.agent.to_owned(),
        source: c.source.to_string(),
        severity: c.severity.map(|s| s.to_string()).unwrap_or_default(),
        time: time::unix_from_datetime(&c.occurred_at).unwrap_or(0),
        rank: c.severity.map_or(9, |s| s as u8),
    }
}

/// Builds the index of a view from the workspace.
#[must_use]
pub fn index(ws: &Workspace, view: View) -> Arc<SearchIndex> {
    let mut idx = SearchIndex::default();
    match view {
        View::Inbox => {
            idx.hay.reserve(ws.cases.len());
            idx.facets.reserve(ws.cases.len());
            for c in &ws.cases {
                idx.hay.push(c.haystack());
                idx.facets.push(case_facets(c));
            }
        }
        View::Sets => {
            for s in &ws.sets {
                idx.hay.push(s.haystack());
                idx.facets.push(Facets {
                    agent: s.runbook.clone(),
                    ..Facets::default()
                });
            }
        }
        View::Runbooks => {
            for r in &ws.runbooks {
                idx.hay.push(r.haystack());
                idx.facets.push(Facets {
                    status: r.status.clone(),
                    agent: r.id.clone(),
                    ..Facets::default()
                });
            }
        }
        View::Memos => {
            for m in &ws.memos {
                idx.hay.push(m.haystack());
                idx.facets.push(Facets {
                    status: m.status.to_string(),
                    ..Facets::default()
                });
            }
        }
        View::Changes | View::Overview => {}
    }
    Arc::new(idx)
}

/// A parsed filter: exact facet terms and the fuzzy rest.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Query {
    pub terms: Vec<(String, String)>,
    pub fuzzy: String,
}

/// The facet names a query understands.
pub const FACETS: &[&str] = &["status", "tag", "agent", "source", "sev"];

impl Query {
    #[must_use]
    pub fn parse(q: &str) -> Self {
        let mut out = Self::default();
        let mut rest = Vec::new();
        for word in q.split_whitespace() {
            match word.split_once(':') {
                Some((k, v)) if FACETS.contains(&k) && !v.is_empty() => {
                    out.terms.push((k.to_owned(), v.to_ascii_lowercase()));
                }
                _ => rest.push(word),
            }
        }
        out.fuzzy = rest.join(" ");
        out
    }

    fn admits(&self, f: &Facets) -> bool {
        self.terms.iter().all(|(k, v)| match k.as_str() {
            "status" => f.status.starts_with(v.as_str()),
            "tag" => f.tags.iter().any(|t| t.starts_with(v.as_str())),
            "agent" => f.agent.starts_with(v.as_str()),
            "source" => f.source.starts_with(v.as_str()),
            "sev" => f.severity == *v || f.severity.strip_prefix("sev") == Some(v.as_str()),
            _ => true,
        })
    }
}

/// The visible items of a view for `query` and `sort`: indices into the
/// view's items, best match first when there is fuzzy text, else in sort
/// order. Pure; runs inline for small lists and on a worker at scale.
#[must_use]
pub fn select(idx: &SearchIndex, query: &str, sort: Sort) -> Vec<u32> {
    let q = Query::parse(query);
    let admitted: Vec<usize> = (0..idx.len())
        .filter(|&i| q.admits(&idx.facets[i]))
        .collect();
    if !q.fuzzy.is_empty() {
        let hays: Vec<&str> = admitted.iter().map(|&i| idx.hay[i].as_str()).collect();
        return crate::search::rank(&q.fuzzy, &hays, usize::MAX)
            .into_iter()
            .filter_map(|h| u32::try_from(admitted[h.index]).ok())
            .collect();
    }
    let mut out: Vec<u32> = admitted
        .into_iter()
        .filter_map(|i| u32::try_from(i).ok())
        .collect();
    let f = |i: &u32| &idx.facets[*i as usize];
    match sort {
        Sort::Id => {}
        Sort::Newest => out.sort_by_key(|i| std::cmp::Reverse(f(i).time)),
        Sort::Oldest => out.sort_by_key(|i| f(i).time),
        Sort::Severity => out.sort_by_key(|i| (f(i).rank, std::cmp::Reverse(f(i).time))),
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn idx() -> SearchIndex {
        let mk = |status: &str, tag: &str, sev: &str, time: i64| Facets {
            status: status.into(),
            tags: vec![tag.into()],
            agent: "support-triage".into(),
            source: "production".into(),
            severity: sev.into(),
            time,
            rank: sev.trim_start_matches("sev").parse().unwrap_or(9),
        };
        SearchIndex {
            hay: vec![
                "a refund promise".into(),
                "b flaky test".into(),
                "c refund tone".into(),
            ],
            facets: vec![
                mk("new", "tone", "sev2", 3),
                mk("triaged", "flaky", "sev1", 1),
                mk("new", "tone", "sev3", 2),
            ],
        }
    }

    #[test]
    fn parses_facets() {
        let q = Query::parse("status:new refund tag:to oops:x");
        assert_eq!(
            q.terms,
            vec![("status".into(), "new".into()), ("tag".into(), "to".into())]
        );
        assert_eq!(q.fuzzy, "refund oops:x");
    }

    #[test]
    fn filters_sorts_and_ranks() {
        let i = idx();
        assert_eq!(select(&i, "", Sort::Newest), vec![0, 2, 1]);
        assert_eq!(select(&i, "", Sort::Oldest), vec![1, 2, 0]);
        assert_eq!(select(&i, "", Sort::Severity), vec![1, 0, 2]);
        assert_eq!(select(&i, "status:new", Sort::Id), vec![0, 2]);
        assert_eq!(select(&i, "sev:1", Sort::Id), vec![1]);
        let r = select(&i, "refund", Sort::Newest);
        assert_eq!(r.len(), 2);
        assert_eq!(select(&i, "tag:tone refund tone", Sort::Id), vec![2]);
    }
}
