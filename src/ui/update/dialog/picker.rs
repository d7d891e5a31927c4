//! The fuzzy pickers (tags, sets, memo status, links, a meeting's
//! attendees): typing filters, a
//! tag's key toggles it, Enter applies (an `OpRequest`) or follows a link.
//! Moving, toggling, applying and cancelling are the registry's picker
//! commands.

use super::component::{Ctx, Outcome};
use crate::ui::action::{Action, Scope};
use crate::ui::msg::OpRequest;
use crate::ui::state::dialog::{PickItem, PickerKind};
use crate::ui::update::keys::typed;
use ratatui::crossterm::event::{KeyCode, KeyEvent};

/// A picker's fields, borrowed in place from the state.
pub(super) struct PickerKeys<'a> {
    pub kind: &'a PickerKind,
    pub query: &'a mut String,
    pub items: &'a mut Vec<PickItem>,
    pub visible: &'a mut Vec<usize>,
    pub selected: &'a mut usize,
    pub searching: &'a mut bool,
    pub touched: &'a mut bool,
}

impl PickerKeys<'_> {
    /// A key in a picker: toggle, search, move, apply or cancel.
    pub(super) fn on_key(self, k: &KeyEvent, ctx: &Ctx) -> Outcome {
        // Tags and attendees are chosen several at a time.
        let is_tag = matches!(
            self.kind,
            PickerKind::Tag { .. } | PickerKind::Attendees | PickerKind::SyncChoices { .. }
        );
        let action = ctx.keymap.dialog_action(Scope::Picker, k);
        let current = self.visible.get(*self.selected).copied();
        match k.code {
            _ if action == Some(Action::PickerCancel) => return Outcome::Close,
            _ if action == Some(Action::PickerApply) => {
                if is_tag
                    && !*self.touched
                    && let Some(i) = current
                {
                    self.items[i].checked = !self.items[i].checked;
                }
                return finish(self.kind, self.items, current, ctx);
            }
            _ if action == Some(Action::PickerToggle) && is_tag => {
                if let Some(i) = current {
                    self.items[i].checked = !self.items[i].checked;
                    *self.touched = true;
                }
            }
            KeyCode::Backspace => {
                self.query.pop();
                if self.query.is_empty() {
                    *self.searching = false;
                }
            }
            _ if action == Some(Action::PickerDown) => {
                *self.selected = (*self.selected + 1).min(self.visible.len().saturating_sub(1));
            }
            _ if action == Some(Action::PickerUp) => {
                *self.selected = self.selected.saturating_sub(1);
            }
            _ => match typed(k) {
                Some('/') if !*self.searching => *self.searching = true,
                Some(c)
                    if is_tag
                        && !*self.searching
                        && self.items.iter().any(|i| i.key == Some(c)) =>
                {
                    if let Some(i) = self.items.iter_mut().find(|i| i.key == Some(c)) {
                        i.checked = !i.checked;
                        *self.touched = true;
                    }
                }
                Some(c) => {
                    *self.searching = true;
                    self.query.push(c);
                }
                None => {}
            },
        }
        let hay: Vec<String> = self
            .items
            .iter()
            .map(|i| format!("{} {}", i.id, i.detail))
            .collect();
        *self.visible = if self.query.is_empty() {
            (0..self.items.len()).collect()
        } else {
            crate::search::rank(self.query, &hay, usize::MAX)
                .into_iter()
                .map(|h| h.index)
                .collect()
        };
        *self.selected = (*self.selected).min(self.visible.len().saturating_sub(1));
        Outcome::Stay
    }
}

/// Whether the case carried `tag` when the picker opened: a tag picker
/// applies only what the reviewer changed.
fn initially(ctx: &Ctx, case: &str, tag: &str) -> bool {
    ctx.ws
        .and_then(|w| w.case(case))
        .is_some_and(|c| c.tags.iter().any(|t| t == tag))
}

/// Enter in a picker: the operation its choice comes to, or the link to
/// follow (a tag picker with nothing changed just closes).
fn finish(kind: &PickerKind, items: &[PickItem], current: Option<usize>, ctx: &Ctx) -> Outcome {
    match kind {
        PickerKind::Tag { case } => {
            let add: Vec<String> = items
                .iter()
                .filter(|i| i.checked && !initially(ctx, case, &i.id))
                .map(|i| i.id.clone())
                .collect();
            let remove: Vec<String> = items
                .iter()
                .filter(|i| !i.checked && initially(ctx, case, &i.id))
                .map(|i| i.id.clone())
                .collect();
            if add.is_empty() && remove.is_empty() {
                return Outcome::Close;
            }
            Outcome::Apply(OpRequest::Tag {
                case: case.clone(),
                add,
                remove,
            })
        }
        PickerKind::Attendees => Outcome::StartMeeting(
            items
                .iter()
                .filter(|i| i.checked)
                .map(|i| i.id.clone())
                .collect(),
        ),
        PickerKind::SyncChoices { choices } => Outcome::Sync(
            items
                .iter()
                .zip(choices)
                .filter(|(i, _)| i.checked)
                .map(|(_, c)| c.clone())
                .collect(),
        ),
        PickerKind::Set { case } => match current.and_then(|i| items.get(i)) {
            Some(set) => Outcome::Apply(OpRequest::Promote {
                case: case.clone(),
                set: set.id.clone(),
            }),
            None => Outcome::Close,
        },
        PickerKind::Links { targets } => match current.and_then(|i| targets.get(i)) {
            Some(t) => Outcome::Jump(t.clone()),
            None => Outcome::Close,
        },
        PickerKind::MemoStatus { memo } => match current.and_then(|i| items.get(i)) {
            Some(to) => Outcome::Apply(OpRequest::MemoStatus {
                memo: memo.clone(),
                to: to.id.clone(),
            }),
            None => Outcome::Close,
        },
    }
}
