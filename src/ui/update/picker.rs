//! The fuzzy pickers (tags, sets, memo status, links): typing filters,
//! a tag's key toggles it, Enter applies (an `OpRequest`) or follows a link.
//! Moving, toggling, applying and cancelling are the registry's picker
//! commands.

use super::keys::typed;
use super::palette::jump;
use crate::ui::action::{Action, Scope};
use crate::ui::msg::{Effect, OpRequest};
use crate::ui::state::AppState;
use crate::ui::state::dialog::{Dialog, PickItem, PickerKind};
use ratatui::crossterm::event::{KeyCode, KeyEvent};

/// A picker over `items`, all visible.
#[must_use]
pub(super) fn picker(kind: PickerKind, items: Vec<PickItem>) -> Dialog {
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

pub(super) type PickerParts = (
    PickerKind,
    String,
    Vec<PickItem>,
    Vec<usize>,
    usize,
    bool,
    bool,
);

/// A key in a picker: toggle, search, move, apply or cancel.
pub(super) fn picker_key(
    s: &mut AppState,
    k: KeyEvent,
    fx: &mut Vec<Effect>,
    parts: PickerParts,
) -> Option<Dialog> {
    let (kind, mut query, mut items, mut visible, mut selected, mut searching, mut touched) = parts;
    let is_tag = matches!(kind, PickerKind::Tag { .. });
    let action = s.keymap.dialog_action(Scope::Picker, &k);
    match k.code {
        _ if action == Some(Action::PickerCancel) => return None,
        _ if action == Some(Action::PickerApply) => {
            if is_tag
                && !touched
                && let Some(&i) = visible.get(selected)
            {
                items[i].checked = !items[i].checked;
            }
            finish_picker(s, &kind, &items, visible.get(selected).copied(), fx);
            return None;
        }
        _ if action == Some(Action::PickerToggle) && is_tag => {
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
        _ if action == Some(Action::PickerDown) => {
            selected = (selected + 1).min(visible.len().saturating_sub(1));
        }
        _ if action == Some(Action::PickerUp) => selected = selected.saturating_sub(1),
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
