//! The `?` help overlay: it scrolls, and the keys that open it close it.

use super::component::{Ctx, Outcome};
use ratatui::crossterm::event::{KeyCode, KeyEvent};

/// Help's one field, borrowed in place from the state.
pub(super) struct HelpKeys<'a> {
    pub scroll: &'a mut u16,
}

impl HelpKeys<'_> {
    /// A key in help: scroll by a line or a page, or close.
    pub(super) fn on_key(self, k: &KeyEvent, _: &Ctx) -> Outcome {
        let scroll = self.scroll;
        match k.code {
            KeyCode::Esc | KeyCode::Char('?' | 'q') | KeyCode::Enter => return Outcome::Close,
            KeyCode::Down | KeyCode::Char('j') => *scroll = scroll.saturating_add(1),
            KeyCode::Up | KeyCode::Char('k') => *scroll = scroll.saturating_sub(1),
            KeyCode::PageDown | KeyCode::Char(' ') => *scroll = scroll.saturating_add(10),
            KeyCode::PageUp => *scroll = scroll.saturating_sub(10),
            _ => {}
        }
        Outcome::Stay
    }
}
