//! Keys inside dialogs: the fuzzy pickers (tags, sets), the text prompts
//! (note, dismissal reason), the commit dialog, the quit confirmation, help,
//! and the `Ctrl-p` palette. Each ends in state changes and effects only.

use crate::ui::app::{self};
use crate::ui::msg::{Effect, OpRequest};
use crate::ui::state::AppState;
use crate::ui::state::dialog::{Dialog, PaletteHit, PickItem, PickerKind, PromptKind};
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

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

use crate::ui::palette::jump;
pub use crate::ui::palette::{
    build_palette, case_label, palette_index, palette_results, palette_search,
};
