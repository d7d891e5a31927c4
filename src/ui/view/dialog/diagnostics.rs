//! The diagnostics dialog: what a file edited by hand got wrong, one
//! wrapped error per line.

use crate::ui::state::AppState;
use crate::ui::view::popup::{footer, frame, put};
use crate::ui::wrap::wrap;
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::text::Span;

/// Draws the diagnostics titled `title`.
pub(super) fn render(s: &AppState, title: &str, lines: &[String], area: Rect, buf: &mut Buffer) {
    let t = &s.theme;
    let inner = frame(s, area, 90, 16, title, buf);
    let mut row = 0;
    for l in lines {
        for w in wrap(
            &[Span::styled(l.clone(), t.error)],
            usize::from(inner.width),
            &[],
            &[Span::raw("  ")],
        ) {
            put(buf, inner, row, &w);
            row += 1;
        }
    }
    footer(s, inner, "esc close", buf);
}
