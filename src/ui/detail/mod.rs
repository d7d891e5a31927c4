//! The detail pane's content for the selected item, as lines: a failure
//! case as a readable document (`case.rs`), a set (`set.rs`, with its
//! chart), a runbook's controls above its body (`runbook.rs`), a memo
//! (`memo.rs`), a change (`change.rs`), and the links of each (`links.rs`).
//! Pure: it reads the state and the model and returns lines; `update`
//! caches them (`update/detail.rs`) so views only slice lines. It never
//! imports `update`, `msg`, `runtime` or `view`.

mod case;
mod change;
mod chart;
mod doc;
pub mod links;
mod memo;
mod runbook;
mod set;

use crate::ui::state::AppState;
use crate::ui::state::item::Item;
use crate::ui::wrap::wrap;
use ratatui::text::{Line, Span};

/// What the detail pane shows, as a cache key: cheap, so the lines are
/// rebuilt only when it (or the width) changes.
#[must_use]
pub fn key(s: &AppState) -> String {
    if s.ws.is_none() {
        return String::new();
    }
    if s.list().current().is_none() {
        return "none".into();
    }
    s.current_item().map(|it| it.key()).unwrap_or_default()
}

/// The cache key and lines for the current selection.
#[must_use]
fn build_item(s: &AppState, width: usize) -> (String, Vec<Line<'static>>) {
    let t = &s.theme;
    let Some(ws) = &s.ws else {
        return (
            String::new(),
            vec![Line::from(if s.loading { "loading…" } else { "" })],
        );
    };
    let Some(i) = s.list().current() else {
        return ("none".into(), vec![Line::styled("nothing to show", t.dim)]);
    };
    let Some(item) = s.item(s.view, i) else {
        return Default::default();
    };
    let lines = match item {
        Item::Case(c) => case::case(ws, c, s.body.as_ref().map(|b| &b.1), width, t),
        Item::Set(x) => set::set(ws, x, s.set_diffs.by_set.get(&x.id), width, t),
        Item::Runbook(r) => runbook::runbook(ws, r, width, t, s.now),
        Item::Memo(m) => memo::memo(m, width, t),
        Item::Change(c) => change::change(c, width, t),
    };
    (item.key(), lines)
}

/// The cache key and lines for the current selection, with its links.
#[must_use]
pub fn build(s: &AppState, width: usize) -> (String, Vec<Line<'static>>) {
    let (key, mut lines) = build_item(s, width);
    if let (Some(ws), Some(i)) = (&s.ws, s.list().current()) {
        let targets = links::of(ws, s.view, i);
        if !targets.is_empty() {
            lines.push(Line::default());
            lines.push(Line::styled(
                "── links (Enter on the text to follow) ",
                s.theme.heading,
            ));
            for l in targets {
                lines.extend(wrap(
                    &[Span::raw(l.label)],
                    width,
                    &[Span::raw("  ")],
                    &[Span::raw("    ")],
                ));
            }
        }
    }
    (key, lines)
}
