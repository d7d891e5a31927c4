//! The `Ctrl-p` palette's keys: type to search, move, Enter jumps to a hit
//! or runs a command as its key would. Searching and jumping are
//! `update/palette.rs`'s; this file only decides.

use super::component::{Ctx, Outcome};
use crate::ui::action::{Action, Scope};
use crate::ui::state::dialog::{PaletteHit, Target};
use crate::ui::update::keys::typed;
use ratatui::crossterm::event::{KeyCode, KeyEvent};

/// The palette's fields, borrowed in place from the state.
pub(super) struct PaletteKeys<'a> {
    pub query: &'a mut String,
    pub hits: &'a mut Vec<PaletteHit>,
    pub selected: &'a mut usize,
}

impl PaletteKeys<'_> {
    /// A key in the palette; a changed query starts a new search from the
    /// top.
    pub(super) fn on_key(self, k: &KeyEvent, ctx: &Ctx) -> Outcome {
        let action = ctx.keymap.dialog_action(Scope::Picker, k);
        match action {
            Some(Action::PickerApply) => {
                return match self.hits.get(*self.selected) {
                    Some(PaletteHit {
                        target: Target::Command(a),
                        ..
                    }) => Outcome::Run(*a),
                    Some(hit) => Outcome::Jump(hit.clone()),
                    None => Outcome::Close,
                };
            }
            Some(Action::PickerCancel) => return Outcome::Close,
            Some(Action::PickerDown) => {
                *self.selected = (*self.selected + 1).min(self.hits.len().saturating_sub(1));
                return Outcome::Stay;
            }
            Some(Action::PickerUp) => {
                *self.selected = self.selected.saturating_sub(1);
                return Outcome::Stay;
            }
            _ => {}
        }
        if k.code == KeyCode::Backspace {
            self.query.pop();
        } else if let Some(c) = typed(k) {
            self.query.push(c);
        }
        *self.selected = 0;
        Outcome::Search
    }

    /// Pasted text (one line) goes into the query, which is searched again
    /// (the cursor stays where it was, as far as the new hits reach).
    pub(super) fn on_paste(self, pasted: &str) -> Outcome {
        self.query.push_str(pasted);
        Outcome::Search
    }
}
