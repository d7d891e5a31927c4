//! The frame every popup is drawn in (dialogs and help): a centred, cleared
//! box with a title, its rows and footer, and the footer's key hints from
//! the registry. A leaf of `view`: it imports no other view.

use crate::sanitize;
use crate::ui::action::Action;
use crate::ui::state::AppState;
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Clear, Widget};

/// A box `w`×`h` centred in `area`, cleared and framed; returns the inside.
pub(super) fn frame(
    s: &AppState,
    area: Rect,
    w: u16,
    h: u16,
    title: &str,
    buf: &mut Buffer,
) -> Rect {
    let w = w.min(area.width.saturating_sub(2)).max(20);
    let h = h.min(area.height.saturating_sub(2)).max(5);
    let r = Rect::new(
        area.x + (area.width.saturating_sub(w)) / 2,
        area.y + (area.height.saturating_sub(h)) / 2,
        w,
        h,
    );
    Clear.render(r, buf);
    let block = Block::default().borders(Borders::ALL).title(Span::styled(
        format!(" {} ", sanitize::line(title)),
        s.theme.title,
    ));
    let inner = block.inner(r);
    block.render(r, buf);
    inner
}

pub(super) fn put(buf: &mut Buffer, inner: Rect, row: u16, line: &Line<'_>) {
    if row < inner.height {
        buf.set_line(inner.x, inner.y + row, line, inner.width);
    }
}

pub(super) fn footer(s: &AppState, inner: Rect, text: &str, buf: &mut Buffer) {
    put(
        buf,
        inner,
        inner.height.saturating_sub(1),
        &Line::styled(text.to_owned(), s.theme.dim),
    );
}

/// A dialog's footer: each command's keys and label, from the registry
/// and the keymap.
pub(super) fn hints(s: &AppState, actions: &[Action]) -> String {
    actions
        .iter()
        .map(|a| s.keymap.hint(*a, None))
        .collect::<Vec<_>>()
        .join(" · ")
}
