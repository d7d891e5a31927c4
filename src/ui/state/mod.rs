//! `AppState`: everything the UI shows, as plain data. Views render from it
//! and never change it; only `update` does. This module holds data and tiny
//! accessors only: it imports the leaf modules (items, stats, keymap,
//! theme) and never `msg`, `update`, `runtime` or `view`.

pub mod changes;
pub mod dialog;
pub mod error;
pub mod item;
pub mod list;
pub mod meeting;
pub mod set_diffs;

use crate::model::Workspace;
use crate::ui::items::{SearchIndex, Sort, View};
use crate::ui::keymap::Keymap;
use crate::ui::stats::{CaseStats, Findings};
use crate::ui::theme::Theme;
use changes::{ChangeRow, Reparsed};
use dialog::{Dialog, PaletteHit};
use list::ListState;
use ratatui::text::Line;
use set_diffs::SetDiffs;
use std::sync::Arc;

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

// Independent facts about the screen (loading, editing the filter,
// quitting, a meeting asked for): not a state machine in disguise.
#[allow(clippy::struct_excessive_bools)]
#[derive(Debug, Clone)]
pub struct AppState {
    pub ws: Option<Workspace>,
    pub loading: bool,
    pub view: View,
    pub lists: [ListState; View::TABS.len()],
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
    pub body: Option<(
        String,
        Result<Arc<crate::model::FailureCase>, error::UiError>,
    )>,
    /// The overview's counts over every case, recomputed when the
    /// workspace changes.
    pub stats: CaseStats,
    /// What the overview judges (governance, pass rates, tags by count),
    /// recomputed with the counts and when `now` enters a new day.
    pub findings: Findings,
    /// Set while the workspace shown is the provisional first look: the
    /// files edited meanwhile, to apply again on the full load.
    pub provisional: Option<Vec<Reparsed>>,
    /// The review meeting in progress, if one is (`R`).
    pub meeting: Option<meeting::MeetingState>,
    /// `docket review` asked for meeting mode before the workspace was
    /// shown: it opens with the first load.
    pub meeting_wanted: bool,
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
            stats: CaseStats::default(),
            findings: Findings::default(),
            provisional: None,
            meeting: None,
            meeting_wanted: false,
        }
    }

    #[must_use]
    pub fn list(&self) -> &ListState {
        &self.lists[self.view.index()]
    }

    pub fn list_mut(&mut self) -> &mut ListState {
        &mut self.lists[self.view.index()]
    }

    /// Whether the Inbox shows the meeting's agenda.
    #[must_use]
    pub fn in_meeting(&self) -> bool {
        self.view == View::Inbox && self.meeting.as_ref().is_some_and(|m| m.active)
    }

    /// The Inbox rows of an active meeting: its agenda's cases, in agenda
    /// order (one that no longer exists is left out). `None` when no
    /// meeting is shown.
    #[must_use]
    pub fn agenda_rows(&self) -> Option<Vec<u32>> {
        let m = self.meeting.as_ref().filter(|m| m.active)?;
        let ws = self.ws.as_ref()?;
        Some(
            m.meeting
                .agenda
                .iter()
                .filter_map(|id| ws.cases.position(id))
                .filter_map(|i| u32::try_from(i).ok())
                .collect(),
        )
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
