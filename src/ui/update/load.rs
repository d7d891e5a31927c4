//! Loads arriving: the workspace with the indexes a worker built, the
//! indexes of a first look, and the journal and history. A provisional first look keeps the
//! files edited meanwhile, to apply again on the verified load.

use super::derived;
use super::detail::refresh_detail;
use super::files::apply_files;
use super::filter::{refilter, reindex};
use super::navigation::anchor;
use super::set_diffs;
use crate::ui::items::{SearchIndex, View};
use crate::ui::msg::{Effect, Indexed};
use crate::ui::state::changes::ChangeRow;
use crate::ui::state::{AppState, StatusKind};
use std::sync::Arc;

/// After a load: a provisional workspace keeps the files edited while it is
/// shown; the full load that replaces it may have read them before the
/// edit, so they are applied again on top of it.
fn settle_provisional(s: &mut AppState, provisional: bool, fx: &mut Vec<Effect>) {
    let kept = std::mem::replace(&mut s.provisional, provisional.then(Vec::new));
    if let Some(files) = kept.filter(|f| !f.is_empty()) {
        apply_files(s, files, fx);
    }
}

/// Takes a loaded workspace, with its indexes when a worker built them.
pub(super) fn loaded(s: &mut AppState, loaded: Indexed, fx: &mut Vec<Effect>) {
    let Indexed {
        ws,
        indexes,
        palette,
        stats,
        provisional,
    } = loaded;
    anchor(s, &[View::Inbox, View::Sets, View::Runbooks, View::Memos]);
    // A reload may follow another writer: the body is read again.
    s.body = None;
    s.workspace_name = ws.config.workspace.name.clone();
    let errors = ws
        .diagnostics
        .iter()
        .filter(|d| d.level == crate::model::Level::Error)
        .count();
    s.stats = stats;
    s.ws = Some(ws);
    derived::judge(s);
    s.loading = false;
    // A reload follows a change somewhere: HEAD may have moved.
    set_diffs::invalidate(s);
    for (v, idx) in indexes {
        let l = &mut s.lists[v.index()];
        if Arc::ptr_eq(&l.index, &idx) {
            // The verified load kept the first look's index: the matches
            // shown stand, and a ranking on its way still answers the
            // current generation.
            l.anchor = None;
            continue;
        }
        l.index = idx;
        refilter(s, v, fx);
    }
    if let Some((pidx, ptargets)) = palette {
        s.palette_index = pidx;
        s.palette_targets = ptargets;
    }
    if errors > 0 {
        s.status = Some((
            StatusKind::Error,
            format!("{errors} problem(s) in the workspace; some files were skipped (docket check)"),
        ));
    }
    refresh_detail(s, true);
    settle_provisional(s, provisional, fx);
    super::meeting::loaded(s, fx);
}

/// The search indexes of the workspace just shown, built after it was sent.
pub(super) fn indexes(
    s: &mut AppState,
    indexes: Vec<(View, Arc<SearchIndex>)>,
    fx: &mut Vec<Effect>,
) {
    for (v, idx) in indexes {
        s.lists[v.index()].index = idx;
        refilter(s, v, fx);
    }
    refresh_detail(s, false);
}

/// The journal and recent history, after any change.
pub(super) fn changes(
    s: &mut AppState,
    pending: Vec<ChangeRow>,
    history: Vec<ChangeRow>,
    hand_edits: Vec<String>,
    message: String,
    fx: &mut Vec<Effect>,
) {
    s.commit_message = message;
    anchor(s, &[View::Changes]);
    s.pending = pending;
    s.history = history;
    s.hand_edits = hand_edits;
    reindex(s, View::Changes, fx);
    refresh_detail(s, true);
}
