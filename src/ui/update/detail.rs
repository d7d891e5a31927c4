//! The cached detail pane (`state.detail`): rebuilt when the selection, the
//! width or the data changed. The lines themselves come from `ui::detail`.

use crate::ui::detail;
use crate::ui::layout;
use crate::ui::state::{AppState, Focus};

/// Rebuilds the detail pane when the selection or width changed (or
/// `force`, after the data changed), keeping the scroll when it is the same
/// item.
pub(super) fn refresh_detail(s: &mut AppState, force: bool) {
    let width = layout::detail_width(s.width, s.height);
    let same = detail::key(s) == s.detail.key;
    if same && width == s.detail.width && !force && !s.detail.lines.is_empty() {
        return;
    }
    let (key, lines) = detail::build(s, usize::from(width));
    s.detail.lines = lines;
    s.detail.width = width;
    if !same {
        s.detail.scroll = 0;
        s.focus = if s.focus == Focus::Detail && key.is_empty() {
            Focus::List
        } else {
            s.focus
        };
    }
    s.detail.key = key;
}
