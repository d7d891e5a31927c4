//! What a key means inside a dialog: a typed character, a move down or up.
//! Shared by the dialogs, the picker and the palette.

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

pub(super) fn is_down(k: &KeyEvent) -> bool {
    k.code == KeyCode::Down
        || (k.code == KeyCode::Char('n') && k.modifiers.contains(KeyModifiers::CONTROL))
        || k.code == KeyCode::Tab
}

pub(super) fn is_up(k: &KeyEvent) -> bool {
    k.code == KeyCode::Up
        || (k.code == KeyCode::Char('p') && k.modifiers.contains(KeyModifiers::CONTROL))
        || k.code == KeyCode::BackTab
}
