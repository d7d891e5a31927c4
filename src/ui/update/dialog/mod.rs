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
use super::meeting::start as start_meeting;
use super::palette::{jump, palette_search};
use crate::ui::msg::Effect;
use crate::ui::state::AppState;
use crate::ui::state::dialog::Dialog;
use component::{Ctx, Outcome};
use ratatui::crossterm::event::KeyEvent;

/// The open dialog as its component: its fields borrowed in place. The
/// one place that knows which fields each dialog's component takes.
enum Component<'a> {
    Confirm(confirm::ConfirmKeys),
    Help(help::HelpKeys<'a>),
    Text(help::HelpKeys<'a>),
    Diagnostics(diagnostics::DiagnosticsKeys),
    Prompt(prompt::PromptKeys<'a>),
    Commit(commit::CommitKeys<'a>),
    Palette(palette::PaletteKeys<'a>),
    Picker(picker::PickerKeys<'a>),
}

fn component(d: &mut Dialog) -> Component<'_> {
    match d {
        Dialog::ConfirmQuit => Component::Confirm(confirm::ConfirmKeys),
        Dialog::Help { scroll } => Component::Help(help::HelpKeys { scroll }),
        // Text scrolls and closes as help does.
        Dialog::Text { scroll, .. } => Component::Text(help::HelpKeys { scroll }),
        Dialog::Diagnostics { .. } => Component::Diagnostics(diagnostics::DiagnosticsKeys),
        Dialog::Prompt { kind, text } => Component::Prompt(prompt::PromptKeys { kind, text }),
        Dialog::Commit {
            message,
            include_hand_edits,
            scroll,
        } => Component::Commit(commit::CommitKeys {
            message,
            include: include_hand_edits,
            scroll,
        }),
        Dialog::Palette {
            query,
            hits,
            selected,
        } => Component::Palette(palette::PaletteKeys {
            query,
            hits,
            selected,
        }),
        Dialog::Picker {
            kind,
            query,
            items,
            visible,
            selected,
            searching,
            touched,
        } => Component::Picker(picker::PickerKeys {
            kind,
            query,
            items,
            visible,
            selected,
            searching,
            touched,
        }),
    }
}

/// A key while a dialog is open.
pub(super) fn key(s: &mut AppState, k: &KeyEvent, fx: &mut Vec<Effect>) {
    let ctx = Ctx {
        keymap: &s.keymap,
        ws: s.ws.as_ref(),
        hand_edits: !s.hand_edits.is_empty(),
    };
    let Some(d) = &mut s.dialog else {
        return;
    };
    let outcome = match component(d) {
        Component::Confirm(c) => c.on_key(k, &ctx),
        Component::Help(c) | Component::Text(c) => c.on_key(k, &ctx),
        Component::Diagnostics(c) => c.on_key(k, &ctx),
        Component::Prompt(c) => c.on_key(k, &ctx),
        Component::Commit(c) => c.on_key(k, &ctx),
        Component::Palette(c) => c.on_key(k, &ctx),
        Component::Picker(c) => c.on_key(k, &ctx),
    };
    settle(s, outcome, fx);
}

/// Pasted text (one line, cleaned) while a dialog is open: into the
/// dialog's text field if it has one (a prompt, the commit message, the
/// palette's query); the others ignore it, so a paste never runs commands.
pub(super) fn paste(s: &mut AppState, pasted: &str, fx: &mut Vec<Effect>) {
    let ctx = Ctx {
        keymap: &s.keymap,
        ws: s.ws.as_ref(),
        hand_edits: !s.hand_edits.is_empty(),
    };
    let outcome = match s.dialog.as_mut().map(component) {
        Some(Component::Prompt(c)) => c.on_paste(pasted, &ctx),
        Some(Component::Commit(c)) => c.on_paste(pasted),
        Some(Component::Palette(c)) => c.on_paste(pasted),
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
        Outcome::StartMeeting(attendees) => start_meeting(s, attendees, fx),
        Outcome::Sync(choices) => {
            s.busy += 1;
            fx.push(Effect::Sync { choices });
        }
    }
}
