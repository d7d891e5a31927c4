//! Each view's list and its query: rebuilding a view's index, filtering it
//! (inline for short lists, else an `Effect::Match` for the matcher), taking
//! the matcher's answer, and the keys typed in the filter field.

use super::detail::refresh_detail;
use super::navigation::{move_by, place};
use crate::ui::items::query;
use crate::ui::items::{self, SearchIndex, View};
use crate::ui::msg::Effect;
use crate::ui::state::AppState;
use crate::ui::state::changes::ChangeRow;
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use std::sync::Arc;

/// Lists up to this size are filtered inline; longer ones on a worker, so a
/// keystroke never waits for matching.
pub const SYNC_LIMIT: usize = 5_000;

/// Rebuilds a view's search index from the data and filters it again.
pub(super) fn reindex(s: &mut AppState, view: View, fx: &mut Vec<Effect>) {
    let index = match (view, &s.ws) {
        (View::Changes, _) => Arc::new(changes_index(&s.pending, &s.history)),
        (_, Some(ws)) => items::index(ws, view),
        (_, None) => return,
    };
    s.lists[view.index()].index = index;
    refilter(s, view, fx);
}

fn changes_index(pending: &[ChangeRow], history: &[ChangeRow]) -> SearchIndex {
    let mut idx = SearchIndex::default();
    for (n, c) in pending.iter().chain(history).enumerate() {
        idx.hay
            .push(format!("{} {}", c.title, c.actions.join(" ")).into());
        idx.facets.push(items::Facets {
            status: if c.commit.is_some() {
                "committed".into()
            } else {
                "pending".into()
            },
            time: -i64::try_from(n).unwrap_or(0),
            ..items::Facets::default()
        });
    }
    idx
}

/// Filters a view for its query: inline for short lists, else on a worker.
pub(super) fn refilter(s: &mut AppState, view: View, fx: &mut Vec<Effect>) {
    let sort = if view == View::Inbox {
        s.sort
    } else if view == View::Changes {
        items::Sort::Newest
    } else {
        items::Sort::Id
    };
    // Meeting mode: the Inbox is the agenda, in its own order.
    let agenda = if view == View::Inbox {
        s.agenda_rows()
    } else {
        None
    };
    let l = &mut s.lists[view.index()];
    l.generation += 1;
    if let Some(rows) = agenda {
        let keep = l.current();
        l.visible = rows;
        l.matching = false;
        place(s, view, keep);
        refresh_detail(s, false);
    } else if l.index.len() <= SYNC_LIMIT {
        let keep = l.current();
        l.visible = query::select(&l.index, &l.query, sort);
        l.matching = false;
        place(s, view, keep);
        refresh_detail(s, false);
    } else {
        l.matching = true;
        fx.push(Effect::Match {
            view,
            generation: l.generation,
            query: l.query.clone(),
            sort,
            index: Arc::clone(&l.index),
        });
    }
}

/// The matcher's answer for a view (dropped when a newer query is out).
pub(super) fn matched(
    s: &mut AppState,
    view: View,
    generation: u64,
    visible: Vec<u32>,
    partial: bool,
) {
    let l = &mut s.lists[view.index()];
    if l.generation != generation {
        return;
    }
    let keep = l.current();
    // A new query's cursor goes to the best match of the whole ranking, not
    // of its first chunk.
    let fresh = l.reset;
    l.visible = visible;
    l.matching = partial;
    place(s, view, keep);
    s.lists[view.index()].reset = fresh && partial;
    refresh_detail(s, false);
}

/// A key typed in the filter field.
pub(super) fn filter_key(s: &mut AppState, k: KeyEvent, fx: &mut Vec<Effect>) {
    match k.code {
        KeyCode::Esc => {
            s.filter_editing = false;
            s.list_mut().query.clear();
            refilter(s, s.view, fx);
        }
        KeyCode::Enter => s.filter_editing = false,
        KeyCode::Backspace => {
            s.list_mut().query.pop();
            s.list_mut().reset = true;
            refilter(s, s.view, fx);
        }
        KeyCode::Down => move_by(s, 1),
        KeyCode::Up => move_by(s, -1),
        KeyCode::Char(c) if !k.modifiers.contains(KeyModifiers::CONTROL) && !c.is_control() => {
            s.list_mut().query.push(c);
            s.list_mut().reset = true;
            refilter(s, s.view, fx);
        }
        _ => {}
    }
}
