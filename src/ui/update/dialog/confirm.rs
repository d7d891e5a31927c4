//! The quit confirmation: commit first, quit anyway, or stay. Its keys are
//! the registry's confirm commands, read through the keymap.

use super::component::{Ctx, Outcome};
use crate::ui::action::{Action, Scope};
use ratatui::crossterm::event::KeyEvent;

/// The confirmation has no fields: it only counts what is pending, which
/// its view reads from the state.
pub(super) struct ConfirmKeys;

impl ConfirmKeys {
    /// A key in the confirmation; any other key leaves it open.
    #[allow(clippy::unused_self)] // the shape every dialog's on_key shares
    pub(super) fn on_key(self, k: &KeyEvent, ctx: &Ctx) -> Outcome {
        match ctx.keymap.dialog_action(Scope::Confirm, k) {
            Some(Action::ConfirmQuit) => Outcome::Quit,
            Some(Action::ConfirmCommit) => Outcome::OpenCommit,
            Some(Action::ConfirmStay) => Outcome::Close,
            _ => Outcome::Stay,
        }
    }
}
