//! The cursor: switching views, moving in a list, scrolling the detail
//! pane, and keeping the cursor on the same item (by id) when the data
//! changes under it.

use super::detail::refresh_detail;
use crate::ui::action::Action;
use crate::ui::items::View;
use crate::ui::layout;
use crate::ui::state::{AppState, Focus};

/// Shows view `v`, the list focused.
pub(super) fn switch(s: &mut AppState, v: View) {
    s.view = v;
    s.focus = Focus::List;
    s.filter_editing = false;
    refresh_detail(s, false);
}

/// Moves the cursor by `step` rows, keeping it on screen.
pub(super) fn move_by(s: &mut AppState, step: isize) {
    let rows = layout::list_rows(s.width, s.height);
    let l = s.list_mut();
    l.anchor = None;
    if l.visible.is_empty() {
        return;
    }
    let last = l.visible.len() - 1;
    l.selected = l.selected.saturating_add_signed(step).min(last);
    if l.selected < l.offset {
        l.offset = l.selected;
    } else if l.selected >= l.offset + rows {
        l.offset = l.selected + 1 - rows;
    }
    refresh_detail(s, false);
}

/// Scrolls the detail pane by `step` lines.
pub(super) fn scroll(s: &mut AppState, step: isize) {
    // The last line may rise to the bottom of the pane, no further.
    let rows = usize::from(
        layout::panes(s.width, s.height)
            .detail
            .height
            .saturating_sub(1),
    )
    .max(1);
    let max = s.detail.lines.len().saturating_sub(rows);
    s.detail.scroll = s.detail.scroll.saturating_add_signed(step).min(max);
}

/// Puts the cursor on the remembered item (its id survives reloads and
/// edits that shift positions), else back on item `keep`, else clamps.
pub(super) fn place(s: &mut AppState, view: View, keep: Option<usize>) {
    let rows = layout::list_rows(s.width, s.height);
    // An item that vanished (a file made invalid) leaves the cursor on its
    // row rather than on whatever took its old index.
    let keep = match s.lists[view.index()].anchor.take() {
        Some(id) => item_index(s, view, &id),
        None => keep,
    };
    let l = &mut s.lists[view.index()];
    if l.reset {
        l.reset = false;
        l.selected = 0;
        l.offset = 0;
    } else if let Some(pos) = keep.and_then(|k| l.visible.iter().position(|&i| i as usize == k)) {
        l.selected = pos;
    }
    l.selected = l.selected.min(l.visible.len().saturating_sub(1));
    if l.selected < l.offset || l.selected >= l.offset + rows {
        let most = l.visible.len().saturating_sub(rows);
        l.offset = l.selected.saturating_sub(rows / 2).min(most);
    }
}

/// The id of item `i` of a view, for keeping the cursor on it.
fn item_id(s: &AppState, view: View, i: usize) -> Option<String> {
    s.item(view, i).map(|it| it.id().into_owned())
}

/// The item index of an id in a view.
fn item_index(s: &AppState, view: View, id: &str) -> Option<usize> {
    s.position(view, id)
}

/// Remembers, for every view, the id of the item under the cursor, before
/// the data changes under it.
pub(super) fn anchor(s: &mut AppState, views: &[View]) {
    for &v in views {
        let id = s.lists[v.index()].current().and_then(|i| item_id(s, v, i));
        s.lists[v.index()].anchor = id;
    }
}

/// Cursor movement in the list, or scrolling when the text has the focus.
pub(super) fn movement(s: &mut AppState, a: Action) {
    let page = if s.focus == Focus::Detail {
        usize::from(
            layout::panes(s.width, s.height)
                .detail
                .height
                .saturating_sub(1),
        )
    } else {
        layout::list_rows(s.width, s.height)
    };
    let page = isize::try_from(page).unwrap_or(1);
    let step: isize = match a {
        Action::Down => 1,
        Action::Up => -1,
        Action::PageDown => page,
        Action::PageUp => -page,
        Action::Top => isize::MIN / 2,
        _ => isize::MAX / 2,
    };
    if s.focus == Focus::Detail {
        scroll(s, step);
    } else {
        move_by(s, step);
    }
}
