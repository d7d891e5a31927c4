//! The help overlay, generated from the registry, the keymap and the
//! taxonomy: every key of every browsing command, the tag keys of the
//! picker, and the filter syntax.

use crate::sanitize;
use crate::ui::action::Action;
use crate::ui::state::AppState;
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};

pub(super) fn render(s: &AppState, scroll: u16, area: Rect, buf: &mut Buffer) {
    let t = &s.theme;
    let inner =
        crate::ui::view::popup::frame(s, area, 78, area.height.saturating_sub(2), "Help", buf);
    let mut lines: Vec<Line<'static>> = Vec::new();
    for a in Action::ALL.iter().filter(|a| a.scope().is_browsing()) {
        lines.push(Line::from(vec![
            Span::styled(format!("{:<18}", s.keymap.keys_label(*a)), t.key),
            Span::raw(a.describe()),
        ]));
    }
    lines.push(Line::default());
    lines.push(Line::styled(
        "In meeting mode (R; p, x, t, and a tag's key no command has, work on the case):",
        t.title,
    ));
    for a in Action::ALL
        .iter()
        .filter(|a| a.scope() == crate::ui::action::Scope::Meeting)
    {
        lines.push(Line::from(vec![
            Span::styled(format!("{:<18}", s.keymap.keys_label(*a)), t.key),
            Span::raw(a.describe()),
        ]));
    }
    if let Some(ws) = &s.ws {
        let keyed: Vec<_> = ws
            .config
            .tags
            .iter()
            .filter_map(|tag| tag.key.as_ref().map(|k| (k, &tag.name)))
            .collect();
        if !keyed.is_empty() {
            lines.push(Line::default());
            lines.push(Line::styled(
                "In the tag picker (t), and in meeting mode:",
                t.title,
            ));
            for (k, name) in keyed {
                lines.push(Line::from(vec![
                    Span::styled(format!("{:<18}", sanitize::line(k)), t.key),
                    Span::raw(format!("toggle {}", sanitize::line(name))),
                ]));
            }
        }
    }
    lines.push(Line::default());
    lines.push(Line::styled("Filter syntax (/):", t.title));
    lines.push(Line::raw(
        "status:new tag:tone agent:support source:red-team sev:1  then fuzzy words",
    ));
    lines.push(Line::raw(
        "config: $XDG_CONFIG_HOME/docket/config.toml, [keys] tag = \"T\"",
    ));
    let rows = usize::from(inner.height.saturating_sub(1));
    for (n, l) in lines
        .iter()
        .skip(usize::from(scroll))
        .take(rows)
        .enumerate()
    {
        buf.set_line(
            inner.x,
            inner.y + u16::try_from(n).unwrap_or(0),
            l,
            inner.width,
        );
    }
    buf.set_line(
        inner.x,
        inner.y + inner.height.saturating_sub(1),
        &Line::styled("esc close · j/k scroll", t.dim),
        inner.width,
    );
}
