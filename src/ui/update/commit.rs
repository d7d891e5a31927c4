//! Committing: opening the commit dialog (with its diff asked for) and the
//! worker's answer.

use super::set_diffs;
use crate::ui::msg::Effect;
use crate::ui::state::dialog::Dialog;
use crate::ui::state::error::UiError;
use crate::ui::state::{AppState, StatusKind};

/// Opens the commit dialog, or says there is nothing to commit.
pub(super) fn open_commit(s: &mut AppState, fx: &mut Vec<Effect>) {
    if s.pending.is_empty() && s.hand_edits.is_empty() {
        s.status = Some((StatusKind::Info, "nothing to commit".into()));
        return;
    }
    let message = s.commit_message.clone();
    s.dialog = Some(Dialog::Commit {
        message,
        include_hand_edits: s.pending.is_empty(),
        scroll: 0,
    });
    s.diff.clear();
    fx.push(Effect::LoadDiff);
}

/// The worker committed (or could not).
pub(super) fn committed(s: &mut AppState, r: Result<String, UiError>, fx: &mut Vec<Effect>) {
    s.busy = s.busy.saturating_sub(1);
    if r.is_ok() {
        // HEAD moved: what changed in a set since the last review did too.
        set_diffs::invalidate(s);
    }
    s.status = Some(match r {
        Ok(summary) => (StatusKind::Info, format!("committed: {summary}")),
        Err(e) => (StatusKind::Error, e.to_string()),
    });
    fx.push(Effect::RefreshChanges);
}
