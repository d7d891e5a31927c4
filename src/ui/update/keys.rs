//! What a key types inside a dialog's text field. Shared by the dialogs,
//! the picker and the palette; their commands (move, apply, cancel) are
//! the registry's, read through the keymap.

use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

/// The character a key types, if it types one.
pub(super) fn typed(k: &KeyEvent) -> Option<char> {
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
