//! Messages into `update` and the effects it asks the runtime to run. The
//! data they carry is the state's (`state::changes::Reparsed`, …): `state`
//! never imports this module.

use crate::model::Workspace;
use crate::ui::items::{SearchIndex, Sort, View};
use crate::ui::state::changes::{ChangeRow, Reparsed};
use crate::ui::state::error::UiError;
use ratatui::crossterm::event::KeyEvent;
use std::sync::Arc;

// Messages are moved once through a channel; boxing the big ones buys
// nothing measurable.
#[allow(clippy::large_enum_variant)]
#[derive(Debug, Clone)]
pub enum Msg {
    Key(KeyEvent),
    /// Text pasted into the terminal (bracketed paste).
    Paste(String),
    Resize(u16, u16),
    /// A load failed (the workspace loads arrive as `LoadedIndexed`).
    LoadFailed(UiError),
    /// The workspace with its search indexes built off the UI thread, as
    /// the runtime's loader sends it: handling it is a few moves, so keys
    /// are never held up by 100k rows of indexing.
    LoadedIndexed(Box<Indexed>),
    /// The search indexes of the workspace just shown, built after it was
    /// sent (the first look is drawn before its 100k haystacks exist).
    Indexes(Vec<(View, Arc<SearchIndex>)>),
    /// The journal and recent history, after any change.
    Changes {
        pending: Vec<ChangeRow>,
        history: Vec<ChangeRow>,
        hand_edits: Vec<String>,
        message: String,
    },
    Matched {
        view: View,
        generation: u64,
        visible: Vec<u32>,
        /// The best of the first chunk of a long ranking; the whole ranking
        /// follows under the same generation.
        partial: bool,
    },
    PaletteMatched {
        generation: u64,
        visible: Vec<u32>,
    },
    /// An operation was written: what it did and the files it changed.
    Applied(Result<Done, UiError>),
    Committed(Result<String, UiError>),
    /// The last operation was undone (`None`: there was nothing to undo).
    Undone(Result<Option<Done>, UiError>),
    /// The editor closed; the file was re-read.
    Edited(Result<Reparsed, UiError>),
    Diff(Vec<String>),
    /// A set's diff since the last review, for the request of `generation`.
    SetDiff {
        set: String,
        generation: u64,
        result: Result<crate::store::SetDiff, UiError>,
    },
    /// The body of the case filed at `path` (for the detail pane).
    Body(String, Result<Arc<crate::model::FailureCase>, UiError>),
    /// The terminal got focus back: look for changes made elsewhere.
    Focus,
    /// The meeting in progress as the store has it (`None`: none is), after
    /// a start or at launch; `show` opens meeting mode.
    Meeting {
        result: Result<Option<crate::ops::meeting::Meeting>, UiError>,
        show: bool,
    },
    /// The meeting was finished: its minutes, commit and tag.
    MeetingFinished(Result<crate::store::Finished, UiError>),
    /// The history of item `id`, for the history panel.
    History {
        id: String,
        result: Result<crate::store::Timeline, UiError>,
    },
    /// A sync ended (or stopped, saying why).
    Synced(Result<crate::store::SyncOutcome, UiError>),
    /// Something happened outside this window that the user should know
    /// (another writer changed the workspace; docket reconciled it).
    Notice(String),
}

/// What an operation or an undo did: the actions the store recorded (the
/// commit trailers), typed so that `update` matches on them instead of
/// their text, and the files it changed, re-read.
pub type Done = (Vec<crate::ops::Action>, Vec<Reparsed>);

/// A loaded workspace with every view's index and the palette's.
#[derive(Debug, Clone)]
pub struct Indexed {
    pub ws: Workspace,
    pub indexes: Vec<(View, Arc<SearchIndex>)>,
    /// The palette's index; not built for the first look (the full load
    /// brings it), which would cost its first frame a third of its time.
    pub palette: Option<(
        Arc<SearchIndex>,
        Arc<Vec<crate::ui::state::dialog::PaletteHit>>,
    )>,
    /// The overview's counts, computed here as of the UI's `now`.
    pub stats: crate::ui::stats::CaseStats,
    /// The first look, from the cache alone (`Store::load_quick`): the full
    /// load follows and replaces it.
    pub provisional: bool,
}

/// An operation for the store, run on a worker.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum OpRequest {
    Tag {
        case: String,
        add: Vec<String>,
        remove: Vec<String>,
    },
    Note {
        case: String,
        text: String,
    },
    Dismiss {
        case: String,
        reason: String,
    },
    Promote {
        case: String,
        set: String,
    },
    MemoStatus {
        memo: String,
        to: String,
    },
    NewMemo {
        title: String,
    },
}

/// What `update` asks the runtime to do. Effects compare on every field (the
/// index by content, which `Arc`'s `Eq` checks by pointer first), so a test
/// asserting on an effect fails on a wrong query, index or generation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Effect {
    Load,
    RefreshChanges,
    Match {
        view: View,
        generation: u64,
        query: String,
        sort: Sort,
        index: Arc<SearchIndex>,
    },
    PaletteMatch {
        generation: u64,
        query: String,
        index: Arc<SearchIndex>,
    },
    Apply(OpRequest),
    Commit {
        message: String,
        all: bool,
    },
    Undo,
    Edit {
        path: String,
    },
    LoadDiff,
    /// What changed in a set since the last review (`docket set diff SET`).
    LoadSetDiff {
        set: String,
        generation: u64,
    },
    /// Reload when another writer (the CLI, an editor, git, a second UI)
    /// changed the workspace since this window last looked.
    CheckOutside,
    /// The user's own editor (`e`) changed the workspace: take the new state
    /// as seen, so it is not reported as another writer's change.
    Acknowledge,
    /// Read the meeting in progress (at launch: a reconnected reviewer
    /// finds it again); `show` opens meeting mode (`docket review`).
    LoadMeeting {
        show: bool,
    },
    /// Start a meeting with these attendees (emails), or resume the one
    /// the store already has, and show it.
    StartMeeting(Vec<String>),
    /// A step of this meeting (how far it got, a skip), applied by the
    /// store to the meeting on disk.
    MeetingStep(crate::ops::meeting::Meeting, crate::ops::meeting::Step),
    /// Minutes, commit, review tag.
    FinishMeeting,
    /// The history of item `id` (`L`).
    LoadHistory {
        id: String,
    },
    /// `docket sync` (`S`), with the reviewer's choices for conflicting
    /// cases (empty at first).
    Sync {
        choices: Vec<(String, crate::ops::sync::Side)>,
    },
}
