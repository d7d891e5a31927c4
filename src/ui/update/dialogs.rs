//! Keys inside dialogs: the text prompts (note, dismissal reason, memo
//! title), the commit dialog, the quit confirmation, help and diagnostics;
//! pickers and the palette have their own files (a command the palette
//! runs goes to `actions.rs`, as its key would). The confirmation's and the
//! prompts' keys are the registry's (`action.rs`, through the keymap). Each
//! ends in state changes and effects only.

use super::actions::act;
use super::commit::open_commit;
use super::keys::typed;
use super::palette::{PaletteOutcome, palette_key};
use super::picker::picker_key;
use crate::ui::action::{Action, Scope};
use crate::ui::msg::{Effect, OpRequest};
use crate::ui::state::AppState;
use crate::ui::state::dialog::{Dialog, PromptKind};
use ratatui::crossterm::event::{KeyCode, KeyEvent};

/// A key while a dialog is open.
pub(super) fn key(s: &mut AppState, k: KeyEvent, fx: &mut Vec<Effect>) {
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
        Dialog::ConfirmQuit => match s.keymap.dialog_action(Scope::Confirm, &k) {
            Some(Action::ConfirmQuit) => {
                s.quit = true;
                None
            }
            Some(Action::ConfirmCommit) => {
                open_commit(s, fx);
                s.dialog.take()
            }
            Some(Action::ConfirmStay) => None,
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
        } => match palette_key(s, k, fx, query, hits, selected) {
            PaletteOutcome::Dialog(d) => d,
            // The same path as the command's key: the palette is closed
            // first, and whatever the command opens stays open.
            PaletteOutcome::Run(a) => {
                act(s, a, fx);
                s.dialog.take()
            }
        },
    };
}

fn prompt_key(
    s: &mut AppState,
    k: KeyEvent,
    fx: &mut Vec<Effect>,
    kind: PromptKind,
    mut text: String,
) -> Option<Dialog> {
    let action = s.keymap.dialog_action(Scope::Prompt, &k);
    match k.code {
        _ if action == Some(Action::PromptCancel) => return None,
        _ if action == Some(Action::PromptSubmit) && !text.trim().is_empty() => {
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
