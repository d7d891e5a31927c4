//! The lists behind the views: cursor movement, filtering (inline or on a
//! worker), re-indexing after edits, and the cached detail pane. Called
//! from `update`; no I/O.

use crate::ui::app::SYNC_LIMIT;
use crate::ui::detail;
use crate::ui::items::{self, SearchIndex, View};
use crate::ui::layout;
use crate::ui::msg::Effect;
use crate::ui::state::changes::ChangeRow;
use crate::ui::state::changes::Reparsed;
use crate::ui::state::{AppState, Focus};
use std::sync::Arc;

pub fn switch(s: &mut AppState, v: View) {
    s.view = v;
    s.focus = Focus::List;
    s.filter_editing = false;
    refresh_detail(s, false);
}

pub(super) fn move_by(s: &mut AppState, step: isize) {
    let rows = layout::list_rows(s.width, s.height);
    let l = s.list_mut();
    l.anchor = None;
    if l.visible.is_empty() {
        return;
    }
    let last = l.visible.len() - 1;
    l.selected = l.selected.saturating_add_signed(step).min(last);
    if l.selected < l.offset {
        l.offset = l.selected;
    } else if l.selected >= l.offset + rows {
        l.offset = l.selected + 1 - rows;
    }
    refresh_detail(s, false);
}

pub(super) fn scroll(s: &mut AppState, step: isize) {
    // The last line may rise to the bottom of the pane, no further.
    let rows = usize::from(
        layout::panes(s.width, s.height)
            .detail
            .height
            .saturating_sub(1),
    )
    .max(1);
    let max = s.detail.lines.len().saturating_sub(rows);
    s.detail.scroll = s.detail.scroll.saturating_add_signed(step).min(max);
}

/// Puts the cursor on the remembered item (its id survives reloads and
/// edits that shift positions), else back on item `keep`, else clamps.
pub(super) fn place(s: &mut AppState, view: View, keep: Option<usize>) {
    let rows = layout::list_rows(s.width, s.height);
    // An item that vanished (a file made invalid) leaves the cursor on its
    // row rather than on whatever took its old index.
    let keep = match s.lists[view.index()].anchor.take() {
        Some(id) => item_index(s, view, &id),
        None => keep,
    };
    let l = &mut s.lists[view.index()];
    if l.reset {
        l.reset = false;
        l.selected = 0;
        l.offset = 0;
    } else if let Some(pos) = keep.and_then(|k| l.visible.iter().position(|&i| i as usize == k)) {
        l.selected = pos;
    }
    l.selected = l.selected.min(l.visible.len().saturating_sub(1));
    if l.selected < l.offset || l.selected >= l.offset + rows {
        let most = l.visible.len().saturating_sub(rows);
        l.offset = l.selected.saturating_sub(rows / 2).min(most);
    }
}

/// The id of item `i` of a view, for keeping the cursor on it.
fn item_id(s: &AppState, view: View, i: usize) -> Option<String> {
    let ws = s.ws.as_ref();
    match view {
        View::Inbox => ws?.cases.get(i).map(|c| c.id.to_owned()),
        View::Sets => ws?.sets.get(i).map(|c| c.id.clone()),
        View::Runbooks => ws?.runbooks.get(i).map(|c| c.id.clone()),
        View::Memos => ws?.memos.get(i).map(|c| c.id.clone()),
        View::Overview => None,
        View::Changes => s
            .pending
            .iter()
            .chain(&s.history)
            .nth(i)
            .map(|c| format!("{:?}{}", c.commit, c.title)),
    }
}

/// The item index of an id in a view.
fn item_index(s: &AppState, view: View, id: &str) -> Option<usize> {
    let ws = s.ws.as_ref();
    match view {
        View::Inbox => ws?.cases.position(id),
        View::Sets => ws?.sets.iter().position(|c| c.id == id),
        View::Runbooks => ws?.runbooks.iter().position(|c| c.id == id),
        View::Memos => ws?.memos.iter().position(|c| c.id == id),
        View::Overview => None,
        View::Changes => s
            .pending
            .iter()
            .chain(&s.history)
            .position(|c| format!("{:?}{}", c.commit, c.title) == id),
    }
}

/// Remembers, for every view, the id of the item under the cursor, before
/// the data changes under it.
pub(super) fn anchor(s: &mut AppState, views: &[View]) {
    for &v in views {
        let id = s.lists[v.index()].current().and_then(|i| item_id(s, v, i));
        s.lists[v.index()].anchor = id;
    }
}

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

pub(super) fn changes_index(pending: &[ChangeRow], history: &[ChangeRow]) -> SearchIndex {
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
pub fn refilter(s: &mut AppState, view: View, fx: &mut Vec<Effect>) {
    let sort = if view == View::Inbox {
        s.sort
    } else if view == View::Changes {
        items::Sort::Newest
    } else {
        items::Sort::Id
    };
    let l = &mut s.lists[view.index()];
    l.generation += 1;
    if l.index.len() <= SYNC_LIMIT {
        let keep = l.current();
        l.visible = items::query::select(&l.index, &l.query, sort);
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

pub(super) fn apply_files(s: &mut AppState, files: Vec<Reparsed>, fx: &mut Vec<Effect>) {
    if let Some(kept) = &mut s.provisional {
        kept.extend(files.iter().cloned());
    }
    let touched: Vec<View> = files
        .iter()
        .filter_map(|f| crate::ui::items::view_of(&f.path))
        .collect();
    anchor(s, &touched);
    let Some(ws) = &mut s.ws else { return };
    let mut views = Vec::new();
    let mut cases = Vec::new();
    let before = ws.cases.len();
    for f in files {
        let Some(view) = crate::ui::items::view_of(&f.path) else {
            continue;
        };
        if let Some(crate::model::workspace::Parsed::Failure(c)) = &f.parsed {
            cases.push(c.id.clone());
        }
        // The selected case's body follows its file (re-read when unknown).
        if s.body.as_ref().is_some_and(|b| b.0 == f.path) {
            s.body = match &f.parsed {
                Some(crate::model::workspace::Parsed::Failure(c)) => {
                    Some((f.path.clone(), Ok(Arc::new(c.clone()))))
                }
                _ => None,
            };
        }
        ws.upsert(&f.path, f.parsed, f.diagnostics);
        if !views.contains(&view) {
            views.push(view);
        }
    }
    let same_cases = before == ws.cases.len();
    s.stats = crate::ui::stats::compute(ws, s.now);
    for v in views {
        if v == View::Inbox && same_cases {
            update_case_rows(s, &cases, fx);
        } else {
            reindex(s, v, fx);
            if v == View::Inbox {
                crate::ui::dialogs::build_palette(s);
            }
        }
    }
    refresh_detail(s, true);
}

/// Updates the Inbox and palette rows of edited cases in place: an edit to
/// one case costs one row, not 100k.
pub(super) fn update_case_rows(s: &mut AppState, ids: &[String], fx: &mut Vec<Effect>) {
    let Some(ws) = &s.ws else { return };
    let inbox = &mut s.lists[View::Inbox.index()];
    let base = s.palette_targets.len().saturating_sub(ws.cases.len());
    for id in ids {
        let Some(i) = ws.cases.position(id) else {
            continue;
        };
        let Some(c) = ws.cases.get(i) else { continue };
        let idx = Arc::make_mut(&mut inbox.index);
        if i < idx.hay.len() {
            idx.hay[i] = c.haystack().into();
            idx.facets[i] = items::case_facets(c, &mut items::Names::default());
        }
        let p = Arc::make_mut(&mut s.palette_index);
        if base + i < p.hay.len() {
            p.hay[base + i] = c.haystack().into();
            if let Some(t) = Arc::make_mut(&mut s.palette_targets).get_mut(base + i) {
                t.label = crate::ui::dialogs::case_label(c);
            }
        }
    }
    refilter(s, View::Inbox, fx);
}

/// Rebuilds the detail pane when the selection or width changed (or
/// `force`, after the data changed), keeping the scroll when it is the same
/// item.
pub fn refresh_detail(s: &mut AppState, force: bool) {
    let width = layout::detail_width(s.width, s.height);
    let same = detail::key(s) == s.detail.key;
    if same && width == s.detail.width && !force && !s.detail.lines.is_empty() {
        return;
    }
    let (key, lines) = detail::build(s, usize::from(width));
    s.detail.lines = lines;
    s.detail.width = width;
    if !same {
        s.detail.scroll = 0;
        s.focus = if s.focus == Focus::Detail && key.is_empty() {
            Focus::List
        } else {
            s.focus
        };
    }
    s.detail.key = key;
}
