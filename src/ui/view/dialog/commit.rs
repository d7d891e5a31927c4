//! The commit dialog: the message being typed, the actions the commit's
//! trailers will carry, the files edited by hand (Tab includes them) and the
//! pending diff, scrolled.

use crate::sanitize;
use crate::ui::state::AppState;
use crate::ui::view::popup::{footer, frame, put};
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};

/// Draws the commit dialog; the pending changes, hand edits and diff are
/// the state's.
pub(super) fn render(
    s: &AppState,
    message: &str,
    include: bool,
    scroll: u16,
    area: Rect,
    buf: &mut Buffer,
) {
    let t = &s.theme;
    let inner = frame(
        s,
        area,
        area.width.saturating_sub(4),
        area.height.saturating_sub(2),
        "Commit",
        buf,
    );
    put(
        buf,
        inner,
        0,
        &Line::from(vec![
            Span::styled("message: ", t.label),
            Span::raw(sanitize::line(message).into_owned()),
            Span::styled("▏", t.key),
        ]),
    );
    let mut body: Vec<Line<'static>> = Vec::new();
    for p in s.pending.iter().rev() {
        for a in &p.actions {
            body.push(Line::raw(format!("  Docket-Action: {}", sanitize::line(a))));
        }
    }
    if !s.hand_edits.is_empty() {
        let mark = if include { "[x]" } else { "[ ]" };
        body.push(Line::styled(
            format!(
                "{mark} include {} file(s) edited by hand (tab):",
                s.hand_edits.len()
            ),
            t.warning,
        ));
        for h in &s.hand_edits {
            body.push(Line::raw(format!("    {}", sanitize::line(h))));
        }
    }
    body.push(Line::default());
    for d in &s.diff {
        let st = if d.starts_with('+') && !d.starts_with("+++") {
            t.added
        } else if d.starts_with('-') && !d.starts_with("---") {
            t.removed
        } else if d.starts_with("@@") || d.starts_with("diff ") {
            t.dim
        } else {
            ratatui::style::Style::default()
        };
        body.push(Line::styled(sanitize::line(d).into_owned(), st));
    }
    let rows = usize::from(inner.height.saturating_sub(3));
    for (n, l) in body.iter().skip(usize::from(scroll)).take(rows).enumerate() {
        put(buf, inner, 2 + u16::try_from(n).unwrap_or(0), l);
    }
    footer(
        s,
        inner,
        "enter commit · ↑/↓ pgup/pgdn scroll · esc cancel",
        buf,
    );
}
