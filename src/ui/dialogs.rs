//! Keys inside dialogs: the fuzzy pickers (tags, sets), the text prompts
//! (note, dismissal reason), the commit dialog, the quit confirmation, help,
//! and the `Ctrl-p` palette. Each ends in state changes and effects only.

use super::app::{self, SYNC_LIMIT};
use super::items::{self, SearchIndex, Sort, View};
use super::msg::{Effect, OpRequest};
use super::state::{AppState, Dialog, PaletteHit, PickItem, PickerKind, PromptKind};
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use std::sync::Arc;

/// A picker over `items`, all visible.
#[must_use]
pub fn picker(kind: PickerKind, items: Vec<PickItem>) -> Dialog {
    let visible = (0..items.len()).collect();
    Dialog::Picker {
        kind,
        query: String::new(),
        items,
        visible,
        selected: 0,
        searching: false,
        touched: false,
    }
}

fn typed(k: &KeyEvent) -> Option<char> {
    match k.code {
        KeyCode::Char(c)
            if !k
                .modifiers
                .intersects(KeyModifiers::CONTROL | KeyModifiers::ALT)
                && !c.is_control() =>
        {
            Some(c)
        }
        _ => None,
    }
}

fn is_down(k: &KeyEvent) -> bool {
    k.code == KeyCode::Down
        || (k.code == KeyCode::Char('n') && k.modifiers.contains(KeyModifiers::CONTROL))
        || k.code == KeyCode::Tab
}

fn is_up(k: &KeyEvent) -> bool {
    k.code == KeyCode::Up
        || (k.code == KeyCode::Char('p') && k.modifiers.contains(KeyModifiers::CONTROL))
        || k.code == KeyCode::BackTab
}

pub fn key(s: &mut AppState, k: KeyEvent, fx: &mut Vec<Effect>) {
    let Some(dialog) = s.dialog.take() else {
        return;
    };
    s.dialog = match dialog {
        Dialog::Picker {
            kind,
            query,
            items,
            visible,
            selected,
            searching,
            touched,
        } => picker_key(
            s,
            k,
            fx,
            (kind, query, items, visible, selected, searching, touched),
        ),
        Dialog::Prompt { kind, text } => prompt_key(s, k, fx, kind, text),
        Dialog::Commit {
            message,
            include_hand_edits,
            scroll,
        } => commit_key(s, k, fx, message, include_hand_edits, scroll),
        Dialog::ConfirmQuit => match k.code {
            KeyCode::Char('y' | 'Y') => {
                s.quit = true;
                None
            }
            KeyCode::Char('c') => {
                app::open_commit(s, fx);
                s.dialog.take()
            }
            KeyCode::Char('n' | 'N') | KeyCode::Esc => None,
            _ => Some(Dialog::ConfirmQuit),
        },
        Dialog::Help { scroll } => match k.code {
            KeyCode::Esc | KeyCode::Char('?' | 'q') | KeyCode::Enter => None,
            KeyCode::Down | KeyCode::Char('j') => Some(Dialog::Help {
                scroll: scroll.saturating_add(1),
            }),
            KeyCode::Up | KeyCode::Char('k') => Some(Dialog::Help {
                scroll: scroll.saturating_sub(1),
            }),
            KeyCode::PageDown | KeyCode::Char(' ') => Some(Dialog::Help {
                scroll: scroll.saturating_add(10),
            }),
            KeyCode::PageUp => Some(Dialog::Help {
                scroll: scroll.saturating_sub(10),
            }),
            _ => Some(Dialog::Help { scroll }),
        },
        Dialog::Diagnostics { title, lines } => match k.code {
            KeyCode::Esc | KeyCode::Enter | KeyCode::Char('q') => None,
            _ => Some(Dialog::Diagnostics { title, lines }),
        },
        Dialog::Palette {
            query,
            hits,
            selected,
        } => palette_key(s, k, fx, query, hits, selected),
    };
}

fn prompt_key(
    s: &mut AppState,
    k: KeyEvent,
    fx: &mut Vec<Effect>,
    kind: PromptKind,
    mut text: String,
) -> Option<Dialog> {
    match k.code {
        KeyCode::Esc => return None,
        KeyCode::Enter if !text.trim().is_empty() => {
            s.busy += 1;
            fx.push(Effect::Apply(match kind {
                PromptKind::Note { case } => OpRequest::Note { case, text },
                PromptKind::Dismiss { case } => OpRequest::Dismiss { case, reason: text },
                PromptKind::NewMemo => OpRequest::NewMemo { title: text },
            }));
            return None;
        }
        KeyCode::Backspace => {
            text.pop();
        }
        _ => {
            if let Some(c) = typed(&k) {
                text.push(c);
            }
        }
    }
    Some(Dialog::Prompt { kind, text })
}

fn commit_key(
    s: &mut AppState,
    k: KeyEvent,
    fx: &mut Vec<Effect>,
    mut message: String,
    mut include: bool,
    mut scroll: u16,
) -> Option<Dialog> {
    match k.code {
        KeyCode::Esc => return None,
        KeyCode::Enter if !message.trim().is_empty() => {
            s.busy += 1;
            fx.push(Effect::Commit {
                message,
                all: include,
            });
            return None;
        }
        KeyCode::Tab if !s.hand_edits.is_empty() => include = !include,
        KeyCode::Backspace => {
            message.pop();
        }
        KeyCode::Down => scroll = scroll.saturating_add(1),
        KeyCode::Up => scroll = scroll.saturating_sub(1),
        KeyCode::PageDown => scroll = scroll.saturating_add(10),
        KeyCode::PageUp => scroll = scroll.saturating_sub(10),
        _ => {
            if let Some(c) = typed(&k) {
                message.push(c);
            }
        }
    }
    Some(Dialog::Commit {
        message,
        include_hand_edits: include,
        scroll,
    })
}

fn palette_key(
    s: &mut AppState,
    k: KeyEvent,
    fx: &mut Vec<Effect>,
    mut query: String,
    hits: Vec<PaletteHit>,
    mut selected: usize,
) -> Option<Dialog> {
    if k.code == KeyCode::Esc {
        return None;
    }
    if k.code == KeyCode::Enter {
        if let Some(hit) = hits.get(selected) {
            jump(s, &hit.clone(), fx);
        }
        return None;
    }
    if is_down(&k) {
        selected = (selected + 1).min(hits.len().saturating_sub(1));
        return Some(Dialog::Palette {
            query,
            hits,
            selected,
        });
    }
    if is_up(&k) {
        selected = selected.saturating_sub(1);
        return Some(Dialog::Palette {
            query,
            hits,
            selected,
        });
    }
    if k.code == KeyCode::Backspace {
        query.pop();
    } else if let Some(c) = typed(&k) {
        query.push(c);
    }
    s.dialog = Some(Dialog::Palette {
        query,
        hits,
        selected: 0,
    });
    palette_search(s, fx);
    s.dialog.take()
}

type PickerParts = (
    PickerKind,
    String,
    Vec<PickItem>,
    Vec<usize>,
    usize,
    bool,
    bool,
);

fn picker_key(
    s: &mut AppState,
    k: KeyEvent,
    fx: &mut Vec<Effect>,
    parts: PickerParts,
) -> Option<Dialog> {
    let (kind, mut query, mut items, mut visible, mut selected, mut searching, mut touched) = parts;
    let is_tag = matches!(kind, PickerKind::Tag { .. });
    match k.code {
        KeyCode::Esc => return None,
        KeyCode::Enter => {
            if is_tag
                && !touched
                && let Some(&i) = visible.get(selected)
            {
                items[i].checked = !items[i].checked;
            }
            finish_picker(s, &kind, &items, visible.get(selected).copied(), fx);
            return None;
        }
        KeyCode::Char(' ') if is_tag => {
            if let Some(&i) = visible.get(selected) {
                items[i].checked = !items[i].checked;
                touched = true;
            }
        }
        KeyCode::Backspace => {
            query.pop();
            if query.is_empty() {
                searching = false;
            }
        }
        _ if is_down(&k) => selected = (selected + 1).min(visible.len().saturating_sub(1)),
        _ if is_up(&k) => selected = selected.saturating_sub(1),
        _ => match typed(&k) {
            Some('/') if !searching => searching = true,
            Some(c) if is_tag && !searching && items.iter().any(|i| i.key == Some(c)) => {
                if let Some(i) = items.iter_mut().find(|i| i.key == Some(c)) {
                    i.checked = !i.checked;
                    touched = true;
                }
            }
            Some(c) => {
                searching = true;
                query.push(c);
            }
            None => {}
        },
    }
    let hay: Vec<String> = items
        .iter()
        .map(|i| format!("{} {}", i.id, i.detail))
        .collect();
    visible = if query.is_empty() {
        (0..items.len()).collect()
    } else {
        crate::search::rank(&query, &hay, usize::MAX)
            .into_iter()
            .map(|h| h.index)
            .collect()
    };
    selected = selected.min(visible.len().saturating_sub(1));
    Some(Dialog::Picker {
        kind,
        query,
        items,
        visible,
        selected,
        searching,
        touched,
    })
}

fn initially(s: &AppState, kind: &PickerKind, tag: &str) -> bool {
    match kind {
        PickerKind::Tag { case } => {
            s.ws.as_ref()
                .and_then(|w| w.case(case))
                .is_some_and(|c| c.tags.iter().any(|t| t == tag))
        }
        PickerKind::Set { .. } | PickerKind::MemoStatus { .. } | PickerKind::Links { .. } => false,
    }
}

fn finish_picker(
    s: &mut AppState,
    kind: &PickerKind,
    items: &[PickItem],
    current: Option<usize>,
    fx: &mut Vec<Effect>,
) {
    let op = match kind {
        PickerKind::Tag { case } => {
            let add: Vec<String> = items
                .iter()
                .filter(|i| i.checked && !initially(s, kind, &i.id))
                .map(|i| i.id.clone())
                .collect();
            let remove: Vec<String> = items
                .iter()
                .filter(|i| !i.checked && initially(s, kind, &i.id))
                .map(|i| i.id.clone())
                .collect();
            if add.is_empty() && remove.is_empty() {
                return;
            }
            OpRequest::Tag {
                case: case.clone(),
                add,
                remove,
            }
        }
        PickerKind::Set { case } => {
            let Some(set) = current.and_then(|i| items.get(i)) else {
                return;
            };
            OpRequest::Promote {
                case: case.clone(),
                set: set.id.clone(),
            }
        }
        PickerKind::Links { targets } => {
            if let Some(t) = current.and_then(|i| targets.get(i)) {
                jump(s, &t.clone(), fx);
            }
            return;
        }
        PickerKind::MemoStatus { memo } => {
            let Some(to) = current.and_then(|i| items.get(i)) else {
                return;
            };
            OpRequest::MemoStatus {
                memo: memo.clone(),
                to: to.id.clone(),
            }
        }
    };
    s.busy += 1;
    fx.push(Effect::Apply(op));
}

/// Builds the `Ctrl-p` targets: every set, runbook, memo, tag and case
/// (cases last, so a case's row is `len - cases + i`).
#[must_use]
pub fn palette_index(ws: &crate::model::Workspace) -> (Arc<SearchIndex>, Arc<Vec<PaletteHit>>) {
    let mut idx = SearchIndex::default();
    let mut targets = Vec::new();
    let mut add = |view: View, id: &str, label: String, hay: String| {
        idx.hay.push(hay);
        idx.facets.push(items::Facets::default());
        targets.push(PaletteHit {
            view,
            id: id.to_owned(),
            label,
        });
    };
    for x in &ws.sets {
        add(
            View::Sets,
            &x.id,
            format!("set      {}  {}", x.id, x.title),
            x.haystack(),
        );
    }
    for x in &ws.runbooks {
        add(
            View::Runbooks,
            &x.id,
            format!("runbook  {}  {}", x.id, x.title),
            x.haystack(),
        );
    }
    for x in &ws.memos {
        add(
            View::Memos,
            &x.id,
            format!("memo     {}  {}", x.id, x.title),
            x.haystack(),
        );
    }
    for t in &ws.config.tags {
        add(
            View::Inbox,
            &format!("tag:{}", t.name),
            format!("tag      {}  {}", t.name, t.description),
            format!("tag {} {}", t.name, t.description),
        );
    }
    for c in &ws.cases {
        add(View::Inbox, &c.id, case_label(c), c.haystack());
    }
    (Arc::new(idx), Arc::new(targets))
}

/// A case's line in the palette.
#[must_use]
pub fn case_label(c: &crate::model::FailureCase) -> String {
    format!("case     {}  {}", c.id, c.summary)
}

/// Rebuilds the palette from the loaded workspace.
pub fn build_palette(s: &mut AppState) {
    let Some(ws) = &s.ws else { return };
    let (idx, targets) = palette_index(ws);
    s.palette_index = idx;
    s.palette_targets = targets;
}

/// Searches the palette for its query: inline when small, else on a worker.
pub fn palette_search(s: &mut AppState, fx: &mut Vec<Effect>) {
    let Some(Dialog::Palette { query, .. }) = &s.dialog else {
        return;
    };
    let query = query.clone();
    s.palette_generation += 1;
    if query.is_empty() {
        let visible: Vec<u32> = (0..s.palette_targets.len().min(50))
            .filter_map(|i| u32::try_from(i).ok())
            .collect();
        palette_results(s, &visible);
    } else if s.palette_index.len() <= SYNC_LIMIT {
        let visible = items::select(&s.palette_index, &query, Sort::Id);
        palette_results(s, &visible);
    } else {
        fx.push(Effect::PaletteMatch {
            generation: s.palette_generation,
            query,
            index: Arc::clone(&s.palette_index),
        });
    }
}

pub fn palette_results(s: &mut AppState, visible: &[u32]) {
    let targets = Arc::clone(&s.palette_targets);
    if let Some(Dialog::Palette { hits, selected, .. }) = &mut s.dialog {
        *hits = visible
            .iter()
            .take(50)
            .filter_map(|&i| targets.get(i as usize).cloned())
            .collect();
        *selected = (*selected).min(hits.len().saturating_sub(1));
    }
}

/// Goes to a palette hit: its view, the filter cleared, the cursor on it. A
/// tag hit filters the Inbox by that tag.
fn jump(s: &mut AppState, hit: &PaletteHit, fx: &mut Vec<Effect>) {
    app::switch(s, hit.view);
    if let Some(tag) = hit.id.strip_prefix("tag:") {
        s.list_mut().query = format!("tag:{tag}");
        app::refilter(s, hit.view, fx);
        return;
    }
    if let Some(query) = hit.id.strip_prefix("filter:") {
        s.list_mut().query = query.to_owned();
        s.list_mut().reset = true;
        app::refilter(s, hit.view, fx);
        return;
    }
    // The cursor goes to the item by id once the list is filtered, here or
    // on the worker.
    s.list_mut().anchor = Some(hit.id.clone());
    s.list_mut().query.clear();
    app::refilter(s, hit.view, fx);
    app::refresh_detail(s, false);
}
