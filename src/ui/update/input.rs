//! Keys and pastes, routed: `Ctrl-c` quits anywhere; on the "too small"
//! screen only quitting works; otherwise the open dialog, the filter field
//! or the keymap's action takes the key.

use super::actions::act;
use super::dialog;
use super::filter::{filter_key, refilter};
use crate::ui::action::Action;
use crate::ui::keymap::Key;
use crate::ui::layout;
use crate::ui::msg::Effect;
use crate::ui::state::AppState;
use crate::ui::state::dialog::Dialog;
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

/// A key: to the open dialog, the filter field, or the keymap.
pub(super) fn key(s: &mut AppState, k: KeyEvent, fx: &mut Vec<Effect>) {
    if k.code == KeyCode::Char('c') && k.modifiers.contains(KeyModifiers::CONTROL) {
        return act(s, Action::Quit, fx);
    }
    if layout::too_small(s.width, s.height) {
        // Only quitting works on the "too small" screen, the confirmation
        // included (it is shown there too).
        if matches!(s.dialog, Some(Dialog::ConfirmQuit)) {
            dialog::key(s, &k, fx);
        } else if matches!(
            Key::from_event(&k).and_then(|key| s.keymap.action(&key)),
            Some(Action::Quit)
        ) {
            s.dialog = None;
            act(s, Action::Quit, fx);
        }
        return;
    }
    if s.dialog.is_some() {
        return dialog::key(s, &k, fx);
    }
    if s.filter_editing {
        return filter_key(s, k, fx);
    }
    if super::meeting::key(s, &k, fx) {
        return;
    }
    if let Some(a) = Key::from_event(&k).and_then(|key| s.keymap.action(&key)) {
        act(s, a, fx);
    }
}

/// Pasted text goes into the field being typed, newlines as spaces; with
/// no field open it is ignored, so a paste can never run commands.
pub(super) fn paste(s: &mut AppState, text: &str, fx: &mut Vec<Effect>) {
    let clean: String = text
        .chars()
        .map(|c| {
            if c == '\n' || c == '\r' || c == '\t' {
                ' '
            } else {
                c
            }
        })
        .filter(|c| !c.is_control())
        .collect();
    if s.dialog.is_some() {
        dialog::paste(s, &clean, fx);
    } else if s.filter_editing {
        s.list_mut().query.push_str(&clean);
        s.list_mut().reset = true;
        refilter(s, s.view, fx);
    }
}
