//! Text to read in a dialog — an item's history, what a sync stopped on —
//! wrapped to the frame and scrolled by the dialog's keys.

use crate::ui::state::AppState;
use crate::ui::view::popup::{footer, frame, put};
use crate::ui::wrap::wrap;
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::text::Span;

/// Draws `lines` under `title`, from line `scroll` of the wrapped text.
pub(super) fn render(
    s: &AppState,
    title: &str,
    lines: &[String],
    scroll: u16,
    area: Rect,
    buf: &mut Buffer,
) {
    let inner = frame(s, area, 96, area.height.saturating_sub(2), title, buf);
    let rows = usize::from(inner.height.saturating_sub(1));
    let wrapped = lines.iter().flat_map(|l| {
        wrap(
            &[Span::raw(l.clone())],
            usize::from(inner.width),
            &[],
            &[Span::raw("      ")],
        )
    });
    for (n, w) in wrapped.skip(usize::from(scroll)).take(rows).enumerate() {
        put(buf, inner, u16::try_from(n).unwrap_or(0), &w);
    }
    footer(s, inner, "esc close · j/k scroll", buf);
}
