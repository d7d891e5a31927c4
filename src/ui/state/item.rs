//! One accessor for "item `i` of a view": the per-view `match` over the
//! workspace's lists lives here once, and navigation, the detail pane, the
//! list rows and the editor's path all ask for an [`Item`] and match on
//! what it is. Plain data: reads the state, changes nothing.

use super::AppState;
use super::changes::ChangeRow;
use crate::model::runbook::Runbook;
use crate::model::{CaseRef, EvalSet, Memo};
use crate::ui::items::View;
use std::borrow::Cow;

/// An item of one of the lists.
#[derive(Debug, Clone, Copy)]
pub enum Item<'a> {
    Case(CaseRef<'a>),
    Set(&'a EvalSet),
    Runbook(&'a Runbook),
    Memo(&'a Memo),
    Change(&'a ChangeRow),
}

impl Item<'_> {
    /// What identifies the item within its view across reloads and edits
    /// (the cursor is kept on it; the palette jumps to it): the id of a
    /// case, set, runbook or memo; a change's commit and title.
    #[must_use]
    pub fn id(&self) -> Cow<'_, str> {
        match self {
            Self::Case(c) => Cow::Borrowed(c.id),
            Self::Set(x) => Cow::Borrowed(&x.id),
            Self::Runbook(x) => Cow::Borrowed(&x.id),
            Self::Memo(x) => Cow::Borrowed(&x.id),
            Self::Change(c) => Cow::Owned(format!("{:?}{}", c.commit, c.title)),
        }
    }

    /// The detail pane's cache key: unique across views.
    #[must_use]
    pub fn key(&self) -> String {
        match self {
            Self::Case(c) => format!("case:{}", c.id),
            Self::Set(x) => format!("set:{}", x.id),
            Self::Runbook(x) => format!("runbook:{}", x.id),
            Self::Memo(x) => format!("memo:{}", x.id),
            Self::Change(c) => format!(
                "change:{}:{}",
                c.commit.as_deref().unwrap_or("pending"),
                c.title
            ),
        }
    }

    /// The file `e` opens for it (a change: the first file it touched).
    #[must_use]
    pub fn path(&self) -> Option<String> {
        match self {
            Self::Case(c) => Some(c.path()),
            Self::Set(x) => Some(x.path.clone()),
            Self::Runbook(x) => Some(x.path.clone()),
            Self::Memo(x) => Some(x.path.clone()),
            Self::Change(c) => c.paths.first().cloned(),
        }
    }
}

impl AppState {
    /// Item `i` of `view` (in the data's order, as the index numbers it);
    /// `None` past the end, before a load, and in the Overview.
    #[must_use]
    pub fn item(&self, view: View, i: usize) -> Option<Item<'_>> {
        if view == View::Changes {
            return self
                .pending
                .iter()
                .chain(&self.history)
                .nth(i)
                .map(Item::Change);
        }
        let ws = self.ws.as_ref()?;
        match view {
            View::Inbox => ws.cases.get(i).map(Item::Case),
            View::Sets => ws.sets.get(i).map(Item::Set),
            View::Runbooks => ws.runbooks.get(i).map(Item::Runbook),
            View::Memos => ws.memos.get(i).map(Item::Memo),
            View::Overview | View::Changes => None,
        }
    }

    /// The position in `view` of the item whose [`Item::id`] is `id`.
    #[must_use]
    pub fn position(&self, view: View, id: &str) -> Option<usize> {
        if view == View::Inbox {
            // Sorted by id: a binary search, not a walk over 100k rows.
            return self.ws.as_ref()?.cases.position(id);
        }
        (0..)
            .map_while(|i| self.item(view, i))
            .position(|it| it.id() == id)
    }

    /// The item under the cursor of the current view.
    #[must_use]
    pub fn current_item(&self) -> Option<Item<'_>> {
        self.item(self.view, self.list().current()?)
    }
}
