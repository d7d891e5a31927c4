//! The detail pane: the cached lines of the selected item from its scroll
//! position, behind a separator that shows whether it has the focus.

use crate::ui::state::{AppState, Focus};
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};

pub fn render(s: &AppState, area: Rect, buf: &mut Buffer) {
    let t = &s.theme;
    let focused = s.focus == Focus::Detail;
    let bar = if focused { "┃" } else { "│" };
    let bar_style = if focused { t.key } else { t.dim };
    for y in area.y..area.y + area.height {
        buf.set_span(area.x, y, &Span::styled(bar, bar_style), 1);
    }
    let x = area.x + 2;
    let width = area.width.saturating_sub(3);
    let total = s.detail.lines.len();
    // When the text is longer than the pane, the last row shows the
    // position instead of text.
    let rows = if total > usize::from(area.height) {
        usize::from(area.height.saturating_sub(1))
    } else {
        usize::from(area.height)
    };
    let start = s.detail.scroll.min(total);
    for (n, line) in s.detail.lines.iter().skip(start).take(rows).enumerate() {
        buf.set_line(x, area.y + u16::try_from(n).unwrap_or(0), line, width);
    }
    if total > rows {
        let more = format!(" {}/{} ", (start + rows).min(total), total);
        let mx = area.x
            + area
                .width
                .saturating_sub(u16::try_from(more.len()).unwrap_or(0));
        buf.set_line(
            mx,
            area.y + area.height.saturating_sub(1),
            &Line::styled(more, t.dim),
            area.width,
        );
    }
}
