//! The commit dialog: the message is typed here, Tab includes files edited
//! by hand, the arrows scroll the diff, Enter commits.

use super::component::{Ctx, Outcome};
use crate::ui::update::keys::typed;
use ratatui::crossterm::event::{KeyCode, KeyEvent};

/// The commit dialog's fields, borrowed in place from the state.
pub(super) struct CommitKeys<'a> {
    pub message: &'a mut String,
    pub include: &'a mut bool,
    pub scroll: &'a mut u16,
}

impl CommitKeys<'_> {
    /// A key in the commit dialog. A blank message cannot be committed.
    pub(super) fn on_key(self, k: &KeyEvent, ctx: &Ctx) -> Outcome {
        let Self {
            message,
            include,
            scroll,
        } = self;
        match k.code {
            KeyCode::Esc => return Outcome::Close,
            KeyCode::Enter if !message.trim().is_empty() => {
                return Outcome::Commit {
                    message: std::mem::take(message),
                    all: *include,
                };
            }
            KeyCode::Tab if ctx.hand_edits => *include = !*include,
            KeyCode::Backspace => {
                message.pop();
            }
            KeyCode::Down => *scroll = scroll.saturating_add(1),
            KeyCode::Up => *scroll = scroll.saturating_sub(1),
            KeyCode::PageDown => *scroll = scroll.saturating_add(10),
            KeyCode::PageUp => *scroll = scroll.saturating_sub(10),
            _ => {
                if let Some(c) = typed(k) {
                    message.push(c);
                }
            }
        }
        Outcome::Stay
    }

    /// Pasted text (one line) goes into the message.
    pub(super) fn on_paste(self, pasted: &str) -> Outcome {
        self.message.push_str(pasted);
        Outcome::Stay
    }
}
