//! The overview's findings, judged again when what they depend on changed:
//! the workspace (a load, an edit) or the day (`clock.rs`). The view only
//! reads them.

use crate::ui::state::AppState;
use crate::ui::stats;

/// Judges the workspace shown as of `s.now`, over the counts in `s.stats`.
pub(super) fn judge(s: &mut AppState) {
    s.findings = match &s.ws {
        Some(ws) => stats::findings(ws, &s.stats, s.now),
        None => stats::Findings::default(),
    };
}
