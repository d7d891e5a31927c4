//! Keys inside the open dialog. Each dialog is a component with its own
//! file here: an `on_key` over the dialog's own fields (borrowed in place
//! from `state::dialog::Dialog`, never taken out and put back) and a
//! read-only `Ctx`, returning a typed `Outcome` (both in `component.rs`). This file is the one
//! place that turns an outcome into state changes and effects, so a dialog
//! never reaches into the rest of the app.

mod commit;
mod component;
mod confirm;
mod diagnostics;
mod help;
mod palette;
mod picker;
mod prompt;

use super::actions::act;
use super::commit::open_commit;
use super::palette::{jump, palette_search};
use crate::ui::msg::Effect;
use crate::ui::state::AppState;
use crate::ui::state::dialog::Dialog;
use component::{Ctx, Outcome};
use ratatui::crossterm::event::KeyEvent;

/// A key while a dialog is open.
pub(super) fn key(s: &mut AppState, k: &KeyEvent, fx: &mut Vec<Effect>) {
    let ctx = Ctx {
        keymap: &s.keymap,
        ws: s.ws.as_ref(),
        hand_edits: !s.hand_edits.is_empty(),
    };
    let outcome = match &mut s.dialog {
        None => return,
        Some(Dialog::ConfirmQuit) => confirm::ConfirmKeys.on_key(k, &ctx),
        Some(Dialog::Help { scroll }) => help::HelpKeys { scroll }.on_key(k, &ctx),
        Some(Dialog::Diagnostics { .. }) => diagnostics::DiagnosticsKeys.on_key(k, &ctx),
        Some(Dialog::Prompt { kind, text }) => prompt::PromptKeys { kind, text }.on_key(k, &ctx),
        Some(Dialog::Commit {
            message,
            include_hand_edits,
            scroll,
        }) => commit::CommitKeys {
            message,
            include: include_hand_edits,
            scroll,
        }
        .on_key(k, &ctx),
        Some(Dialog::Palette {
            query,
            hits,
            selected,
        }) => palette::PaletteKeys {
            query,
            hits,
            selected,
        }
        .on_key(k, &ctx),
        Some(Dialog::Picker {
            kind,
            query,
            items,
            visible,
            selected,
            searching,
            touched,
        }) => picker::PickerKeys {
            kind,
            query,
            items,
            visible,
            selected,
            searching,
            touched,
        }
        .on_key(k, &ctx),
    };
    settle(s, outcome, fx);
}

/// Pasted text (one line, cleaned) while a dialog is open: into the
/// dialog's text field if it has one (a prompt, the commit message, the
/// palette's query); the others ignore it, so a paste never runs commands.
pub(super) fn paste(s: &mut AppState, pasted: &str, fx: &mut Vec<Effect>) {
    let outcome = match &mut s.dialog {
        Some(Dialog::Prompt { kind, text }) => prompt::PromptKeys { kind, text }.on_paste(pasted),
        Some(Dialog::Commit {
            message,
            include_hand_edits,
            scroll,
        }) => commit::CommitKeys {
            message,
            include: include_hand_edits,
            scroll,
        }
        .on_paste(pasted),
        Some(Dialog::Palette {
            query,
            hits,
            selected,
        }) => palette::PaletteKeys {
            query,
            hits,
            selected,
        }
        .on_paste(pasted),
        _ => Outcome::Stay,
    };
    settle(s, outcome, fx);
}

/// Carries out what a dialog's key came to.
fn settle(s: &mut AppState, outcome: Outcome, fx: &mut Vec<Effect>) {
    match outcome {
        Outcome::Stay => return,
        Outcome::Search => return palette_search(s, fx),
        _ => s.dialog = None,
    }
    match outcome {
        Outcome::Stay | Outcome::Search | Outcome::Close => {}
        Outcome::Apply(op) => {
            s.busy += 1;
            fx.push(Effect::Apply(op));
        }
        Outcome::Commit { message, all } => {
            s.busy += 1;
            fx.push(Effect::Commit { message, all });
        }
        Outcome::Quit => s.quit = true,
        Outcome::OpenCommit => open_commit(s, fx),
        Outcome::Run(a) => act(s, a, fx),
        Outcome::Jump(hit) => jump(s, &hit, fx),
    }
}
