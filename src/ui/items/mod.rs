//! What each view lists: the views themselves, the Inbox's sort orders, and
//! the search index of a view (one haystack and a few facets per item). The
//! query syntax and ranking are `query.rs`'s. A leaf of the UI: it imports
//! the model only, so the state, the workers and the views can all hold it.

pub mod query;

use crate::model::Workspace;
use crate::model::time;
use crate::model::workspace::{Kind, classify};
use nucleo_matcher::Utf32String;
use std::sync::Arc;

/// The six views: five lists and the overview.
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

    /// The views with a list of their own (all but the Overview), in the
    /// order of their slots in the state's lists.
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

    /// The slot of the view's list state: [`Self::ALL`]'s order, and the
    /// last slot (an empty list) for the Overview. A match, so a new view
    /// must be given its slot.
    #[must_use]
    pub fn index(self) -> usize {
        match self {
            Self::Inbox => 0,
            Self::Sets => 1,
            Self::Runbooks => 2,
            Self::Memos => 3,
            Self::Changes => 4,
            Self::Overview => 5,
        }
    }

    /// The next view in tab order (`Tab`), `back` for the previous one.
    #[must_use]
    pub fn next(self, back: bool) -> Self {
        let n = Self::TABS.len();
        let step = if back { n - 1 } else { 1 };
        Self::TABS[(self.number() + step) % n]
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

/// Facets a query can name exactly (`status:new`), per item. The values
/// repeat across 100k cases, so they are shared (`Names`), not copied.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Facets {
    pub status: Arc<str>,
    pub tags: Box<[Arc<str>]>,
    pub agent: Arc<str>,
    pub source: Arc<str>,
    pub severity: Arc<str>,
    /// Sort keys: occurrence time and severity rank (lower is worse).
    pub time: i64,
    pub rank: u8,
}

/// One view's items as the matcher sees them. Immutable once built, shared
/// with the worker through an `Arc`. Haystacks are converted once, when the
/// index is built, into the matcher's own form.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SearchIndex {
    pub hay: Vec<Utf32String>,
    pub facets: Vec<Facets>,
}

/// Interns facet values while an index is built.
#[derive(Debug, Default)]
pub struct Names(std::collections::HashMap<String, Arc<str>>);

impl Names {
    pub fn get(&mut self, s: &str) -> Arc<str> {
        if let Some(a) = self.0.get(s) {
            return Arc::clone(a);
        }
        let a: Arc<str> = s.into();
        self.0.insert(s.to_owned(), Arc::clone(&a));
        a
    }
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
pub fn case_facets(c: crate::model::CaseRef<'_>, names: &mut Names) -> Facets {
    Facets {
        status: names.get(c.status.as_str()),
        tags: c.tags.iter().map(|t| names.get(t)).collect(),
        agent: names.get(c.agent),
        source: names.get(c.source.as_str()),
        severity: names.get(c.severity.map_or("", |s| s.as_str())),
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
            // On every core: at 100k cases this index is what a key typed
            // on the first look waits for (~35 ms on one core).
            let built = crate::search::on_cores(ws.cases.len(), |range, out| {
                let mut names = Names::default();
                for c in range.filter_map(|i| ws.cases.get(i)) {
                    out.push((Utf32String::from(c.haystack()), case_facets(c, &mut names)));
                }
            });
            (idx.hay, idx.facets) = built.into_iter().unzip();
        }
        View::Sets => {
            for s in &ws.sets {
                idx.hay.push(s.haystack().into());
                idx.facets.push(Facets {
                    agent: s.runbook.as_str().into(),
                    ..Facets::default()
                });
            }
        }
        View::Runbooks => {
            for r in &ws.runbooks {
                idx.hay.push(r.haystack().into());
                idx.facets.push(Facets {
                    status: r.status.as_str().into(),
                    agent: r.id.as_str().into(),
                    ..Facets::default()
                });
            }
        }
        View::Memos => {
            for m in &ws.memos {
                idx.hay.push(m.haystack().into());
                idx.facets.push(Facets {
                    status: m.status.as_str().into(),
                    ..Facets::default()
                });
            }
        }
        View::Changes | View::Overview => {}
    }
    Arc::new(idx)
}

/// The view a workspace path shows up in (none for the config).
#[must_use]
pub fn view_of(path: &str) -> Option<View> {
    Some(match classify(path)? {
        Kind::Failure => View::Inbox,
        Kind::Set | Kind::SetCase | Kind::Run => View::Sets,
        Kind::Runbook => View::Runbooks,
        Kind::Memo => View::Memos,
        Kind::Config => return None,
    })
}
