//! The quit confirmation: how many changes are not committed, and the
//! registry's confirm keys in the footer.

use crate::ui::action::Action;
use crate::ui::state::AppState;
use crate::ui::view::popup::{footer, frame, hints, put};
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::text::Line;

/// Draws the confirmation; the count of pending changes is the state's.
pub(super) fn render(s: &AppState, area: Rect, buf: &mut Buffer) {
    let inner = frame(s, area, 56, 6, "Quit?", buf);
    put(
        buf,
        inner,
        0,
        &Line::raw(format!(
            "{} change(s) are not committed.",
            s.pending.len() + s.hand_edits.len()
        )),
    );
    put(
        buf,
        inner,
        1,
        &Line::raw("They stay on disk, pending, for next time."),
    );
    let keys = [
        Action::ConfirmCommit,
        Action::ConfirmQuit,
        Action::ConfirmStay,
    ];
    footer(s, inner, &hints(s, &keys), buf);
}
