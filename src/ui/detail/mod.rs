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

use crate::model::CaseRef;
use crate::ui::items::View;
use crate::ui::state::AppState;
use crate::ui::wrap::wrap;
use ratatui::text::{Line, Span};

/// What the detail pane shows, as a cache key: cheap, so the lines are
/// rebuilt only when it (or the width) changes.
#[must_use]
pub fn key(s: &AppState) -> String {
    let Some(ws) = &s.ws else {
        return String::new();
    };
    let Some(i) = s.list().current() else {
        return "none".into();
    };
    match s.view {
        View::Inbox => ws.cases.get(i).map(|c| key_of_case(c)),
        View::Sets => ws.sets.get(i).map(|x| format!("set:{}", x.id)),
        View::Runbooks => ws.runbooks.get(i).map(|x| format!("runbook:{}", x.id)),
        View::Memos => ws.memos.get(i).map(|x| format!("memo:{}", x.id)),
        View::Overview => None,
        View::Changes => s.pending.iter().chain(&s.history).nth(i).map(|c| {
            format!(
                "change:{}:{}",
                c.commit.as_deref().unwrap_or("pending"),
                c.title
            )
        }),
    }
    .unwrap_or_default()
}

/// A case's key. Its body arriving rebuilds the lines by force
/// (`Msg::Body`), as an edit does.
fn key_of_case(c: CaseRef<'_>) -> String {
    format!("case:{}", c.id)
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
    match s.view {
        View::Inbox => ws.cases.get(i).map_or_else(Default::default, |c| {
            (
                key_of_case(c),
                case::case(ws, c, s.body.as_ref().map(|b| &b.1), width, t),
            )
        }),
        View::Sets => ws.sets.get(i).map_or_else(Default::default, |x| {
            let diff = s.set_diffs.by_set.get(&x.id);
            (format!("set:{}", x.id), set::set(ws, x, diff, width, t))
        }),
        View::Runbooks => ws.runbooks.get(i).map_or_else(Default::default, |r| {
            (
                format!("runbook:{}", r.id),
                runbook::runbook(ws, r, width, t, s.now),
            )
        }),
        View::Memos => ws.memos.get(i).map_or_else(Default::default, |m| {
            (format!("memo:{}", m.id), memo::memo(m, width, t))
        }),
        View::Overview => (String::new(), Vec::new()),
        View::Changes => {
            s.pending
                .iter()
                .chain(&s.history)
                .nth(i)
                .map_or_else(Default::default, |c| {
                    (
                        format!(
                            "change:{}:{}",
                            c.commit.as_deref().unwrap_or("pending"),
                            c.title
                        ),
                        change::change(c, width, t),
                    )
                })
        }
    }
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
