//! `AppState`: everything the UI shows, as plain data. Views render from it
//! and never change it; only `update` does.

use super::items::{SearchIndex, Sort, View};
use super::keymap::Keymap;
use super::theme::Theme;
use crate::model::Workspace;
use crate::store::SetDiff;
use ratatui::text::Line;
use std::collections::BTreeMap;
use std::sync::Arc;

/// One view's list: its index, the query, the visible items and the cursor.
#[derive(Debug, Clone, Default)]
pub struct ListState {
    pub index: Arc<SearchIndex>,
    pub query: String,
    /// Indices into the view's items, in display order.
    pub visible: Vec<u32>,
    pub selected: usize,
    pub offset: usize,
    /// Bumped per query; a worker's answer for an older one is dropped.
    pub generation: u64,
    /// A query has been sent to the worker and not answered yet.
    pub matching: bool,
    /// The query changed: the cursor goes to the best match, not back to
    /// the item it was on.
    pub reset: bool,
    /// The id of the item the cursor was on before the data changed.
    pub anchor: Option<String>,
}

impl ListState {
    /// The item index under the cursor.
    #[must_use]
    pub fn current(&self) -> Option<usize> {
        self.visible.get(self.selected).map(|&i| i as usize)
    }
}

/// One row of the Changes view.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChangeRow {
    /// Pending changes have no commit id.
    pub commit: Option<String>,
    pub title: String,
    pub when: String,
    pub author: String,
    pub actions: Vec<String>,
    pub paths: Vec<String>,
}

/// Which item a picker works for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PickerKind {
    Tag {
        case: String,
    },
    Set {
        case: String,
    },
    MemoStatus {
        memo: String,
    },
    /// References and backlinks of the selected item.
    Links {
        targets: Vec<PaletteHit>,
    },
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PickItem {
    pub id: String,
    pub detail: String,
    pub key: Option<char>,
    pub checked: bool,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PromptKind {
    Note { case: String },
    Dismiss { case: String },
    NewMemo,
}

/// A palette hit: which view and item to jump to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PaletteHit {
    pub view: View,
    pub id: String,
    pub label: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Dialog {
    Picker {
        kind: PickerKind,
        query: String,
        items: Vec<PickItem>,
        visible: Vec<usize>,
        selected: usize,
        /// Typing filters; before `/` or a non-key character, a tag's key
        /// toggles it.
        searching: bool,
        /// Some item was toggled: Enter then applies the toggles instead of
        /// toggling the row under the cursor.
        touched: bool,
    },
    Prompt {
        kind: PromptKind,
        text: String,
    },
    Commit {
        message: String,
        include_hand_edits: bool,
        scroll: u16,
    },
    ConfirmQuit,
    Help {
        scroll: u16,
    },
    Palette {
        query: String,
        hits: Vec<PaletteHit>,
        selected: usize,
    },
    Diagnostics {
        title: String,
        lines: Vec<String>,
    },
}

/// What changed in each set since the last review, as far as the worker
/// has answered: reading it walks git history, so it is asked for when a
/// set is first shown and kept until HEAD may have moved.
#[derive(Debug, Clone, Default)]
pub struct SetDiffs {
    /// Bumped when HEAD may have moved (a commit, a reload); an entry asked
    /// for under an older generation is asked for again when shown, and an
    /// answer to an older request is dropped.
    pub generation: u64,
    pub by_set: BTreeMap<String, SetDiffEntry>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct SetDiffEntry {
    /// The generation it was last asked for under.
    pub generation: u64,
    /// `None` until the first answer. A newer request keeps the older
    /// answer on screen until it is replaced, so nothing flickers.
    pub result: Option<Result<SetDiff, String>>,
}

/// The rendered detail pane, cached: markdown and wrapping run when the
/// selection or the width changes, not every frame.
#[derive(Debug, Clone, Default)]
pub struct Detail {
    pub key: String,
    pub width: u16,
    pub lines: Vec<Line<'static>>,
    pub scroll: usize,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Focus {
    #[default]
    List,
    Detail,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum StatusKind {
    Info,
    Error,
}

#[derive(Debug, Clone)]
pub struct AppState {
    pub ws: Option<Workspace>,
    pub loading: bool,
    pub view: View,
    pub lists: [ListState; 6],
    pub sort: Sort,
    pub focus: Focus,
    pub filter_editing: bool,
    pub dialog: Option<Dialog>,
    pub detail: Detail,
    pub pending: Vec<ChangeRow>,
    pub history: Vec<ChangeRow>,
    pub set_diffs: SetDiffs,
    /// Docket files changed by hand, offered for the commit.
    pub hand_edits: Vec<String>,
    /// The generated summary line for committing what is pending.
    pub commit_message: String,
    /// The pending diff shown in the commit dialog.
    pub diff: Vec<String>,
    pub status: Option<(StatusKind, String)>,
    /// Work sent to a worker and not answered (a spinner shows).
    pub busy: u32,
    pub keymap: Keymap,
    pub theme: Theme,
    pub width: u16,
    pub height: u16,
    pub workspace_name: String,
    /// Unix time the ages in the Inbox are counted from.
    pub now: i64,
    pub quit: bool,
    /// Everything `Ctrl-p` can jump to: a haystack per target.
    pub palette_index: Arc<SearchIndex>,
    pub palette_targets: Arc<Vec<PaletteHit>>,
    pub palette_generation: u64,
    /// The body of the selected case, read from its file (the loaded
    /// workspace holds rows only): its path, and the case or why it could
    /// not be read.
    pub body: Option<(String, Result<Arc<crate::model::FailureCase>, String>)>,
    /// The overview's counts over every case, recomputed when the
    /// workspace changes.
    pub stats: super::stats::CaseStats,
    /// Set while the workspace shown is the provisional first look: the
    /// files edited meanwhile, to apply again on the full load.
    pub provisional: Option<Vec<super::msg::Reparsed>>,
}

impl AppState {
    #[must_use]
    pub fn new(keymap: Keymap, theme: Theme, width: u16, height: u16) -> Self {
        Self {
            ws: None,
            loading: true,
            view: View::Inbox,
            lists: Default::default(),
            sort: Sort::default(),
            focus: Focus::List,
            filter_editing: false,
            dialog: None,
            detail: Detail::default(),
            pending: Vec::new(),
            history: Vec::new(),
            set_diffs: SetDiffs::default(),
            hand_edits: Vec::new(),
            diff: Vec::new(),
            commit_message: String::new(),
            status: None,
            busy: 0,
            keymap,
            theme,
            width,
            height,
            workspace_name: String::new(),
            now: 0,
            quit: false,
            palette_index: Arc::default(),
            palette_targets: Arc::default(),
            palette_generation: 0,
            body: None,
            stats: super::stats::CaseStats::default(),
            provisional: None,
        }
    }

    #[must_use]
    pub fn list(&self) -> &ListState {
        &self.lists[self.view.index()]
    }

    pub fn list_mut(&mut self) -> &mut ListState {
        &mut self.lists[self.view.index()]
    }

    /// The failure case under the cursor, when the Inbox is showing.
    #[must_use]
    pub fn selected_case(&self) -> Option<crate::model::CaseRef<'_>> {
        if self.view != View::Inbox {
            return None;
        }
        let i = self.list().current()?;
        self.ws.as_ref()?.cases.get(i)
    }

    /// The file whose body the detail pane waits for: the selected case's,
    /// when it has not been read yet (the runtime reads it and answers with
    /// `Msg::Body`; a failed read is kept, so it is not retried in a loop).
    #[must_use]
    pub fn wants_body(&self) -> Option<String> {
        let path = self.selected_case()?.path();
        match &self.body {
            Some((p, _)) if *p == path => None,
            _ => Some(path),
        }
    }
}
