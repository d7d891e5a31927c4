//! The diagnostics dialog (what a file edited by hand got wrong): read
//! only, so its only keys close it.

use super::component::{Ctx, Outcome};
use ratatui::crossterm::event::{KeyCode, KeyEvent};

/// The diagnostics' keys change nothing in it: its title and lines are
/// only drawn.
pub(super) struct DiagnosticsKeys;

impl DiagnosticsKeys {
    /// A key in the diagnostics: Esc, Enter or `q` close, others do nothing.
    #[allow(clippy::unused_self)] // the shape every dialog's on_key shares
    pub(super) fn on_key(self, k: &KeyEvent, _: &Ctx) -> Outcome {
        match k.code {
            KeyCode::Esc | KeyCode::Enter | KeyCode::Char('q') => Outcome::Close,
            _ => Outcome::Stay,
        }
    }
}
