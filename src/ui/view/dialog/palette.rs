//! The `Ctrl-p` palette: the query, the hits (items and commands) with the
//! query's letters highlighted, and the registry's keys in the footer.

use crate::sanitize;
use crate::ui::action::Action;
use crate::ui::state::AppState;
use crate::ui::state::dialog::PaletteHit;
use crate::ui::view::list::highlight;
use crate::ui::view::popup::{footer, frame, put};
use crate::ui::wrap::truncate;
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};

/// Draws the palette with `hits` for `query`, `selected` marked.
pub(super) fn render(
    s: &AppState,
    query: &str,
    hits: &[PaletteHit],
    selected: usize,
    area: Rect,
    buf: &mut Buffer,
) {
    let t = &s.theme;
    let inner = frame(s, area, 90, 22, "Find anything, run a command", buf);
    put(
        buf,
        inner,
        0,
        &Line::styled(format!("> {}▏", sanitize::line(query)), t.key),
    );
    let rows = usize::from(inner.height.saturating_sub(2));
    let start = selected.saturating_sub(rows.saturating_sub(1));
    for (n, h) in hits.iter().skip(start).take(rows).enumerate() {
        let sel = start + n == selected;
        let text = truncate(
            &sanitize::line(&h.label),
            usize::from(inner.width).saturating_sub(2),
        );
        let mut spans = vec![Span::raw(if sel { "▶ " } else { "  " })];
        spans.extend(highlight(&text, query, t.matched));
        let line = Line::from(spans);
        put(
            buf,
            inner,
            1 + u16::try_from(n).unwrap_or(0),
            &if sel { line.style(t.selected) } else { line },
        );
    }
    let hint = format!(
        "{} · ↑/↓ move · {}",
        s.keymap.hint(Action::PickerApply, Some("jump or run")),
        s.keymap.hint(Action::PickerCancel, Some("close"))
    );
    footer(s, inner, &hint, buf);
}
