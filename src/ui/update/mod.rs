//! `update(&mut AppState, Msg) -> Vec<Effect>`: every state change of the
//! UI, pure — no threads, channels, terminal or files. This file only
//! dispatches a message to the file of its concern:
//!
//! - `input.rs`: keys and pastes, to the filter field, a dialog or the
//!   keymap's [`Action`](crate::ui::action::Action) (`actions.rs`);
//! - `load.rs`: a loaded workspace, its indexes, the journal;
//! - `navigation.rs`, `filter.rs`: the cursor, the lists and their queries;
//! - `files.rs`: operations written and files edited, applied to the state;
//! - `dialog/`: each dialog's keys, one file per dialog, and the one
//!   place their outcomes are carried out; `palette.rs`, `triage.rs`,
//!   `commit.rs`: opening dialogs, searching the palette, committing;
//! - `set_diffs.rs`, `detail.rs`: the Sets view's review diff and the cached
//!   detail pane;
//! - `derived.rs`: the overview's findings, judged when the data changes;
//! - `team.rs`: the history panel (`L`) and sync (`S`);
//! - `meeting.rs`: meeting mode, the review meeting's agenda and keys;
//! - `clock.rs`: `now` moved on by the runtime's timer (not a `Msg`: it
//!   answers whether to redraw, so an idle window writes nothing).
//!
//! The sub-modules import each other one way (the layer test checks it) and
//! never this file; `update` imports `state`, `msg`, `detail` and the leaf
//! modules, never `runtime` or `view`.

mod actions;
pub mod clock;
mod commit;
mod derived;
mod detail;
mod dialog;
mod files;
pub mod filter;
mod input;
mod keys;
mod load;
mod meeting;
mod navigation;
pub mod palette;
mod set_diffs;
mod team;
mod triage;

use crate::ui::items::View;
use crate::ui::msg::{Effect, Msg};
use crate::ui::state::error::UiError;
use crate::ui::state::{AppState, StatusKind};
use detail::refresh_detail;
use navigation::place;
use ratatui::crossterm::event::KeyEventKind;

/// Takes one message: changes the state and returns the effects for the
/// runtime to run (in order). After every message, the Sets view asks for
/// the shown set's review diff if it has none for the current generation.
pub fn update(s: &mut AppState, msg: Msg) -> Vec<Effect> {
    let mut fx = Vec::new();
    match msg {
        Msg::Key(k) if k.kind != KeyEventKind::Release => input::key(s, k, &mut fx),
        Msg::Key(_) => {}
        Msg::Paste(text) => input::paste(s, &text, &mut fx),
        Msg::Resize(w, h) => resize(s, w, h),
        Msg::LoadedIndexed(l) => load::loaded(s, *l, &mut fx),
        Msg::Indexes(indexes) => load::indexes(s, indexes, &mut fx),
        Msg::LoadFailed(e) => {
            s.loading = false;
            s.status = Some((StatusKind::Error, e.to_string()));
        }
        Msg::Changes {
            pending,
            history,
            hand_edits,
            message,
        } => load::changes(s, pending, history, hand_edits, message, &mut fx),
        Msg::Matched {
            view,
            generation,
            visible,
            partial,
        } => filter::matched(s, view, generation, visible, partial),
        Msg::PaletteMatched {
            generation,
            visible,
        } => {
            if generation == s.palette_generation {
                palette::palette_results(s, &visible);
            }
        }
        Msg::Applied(r) => files::applied(s, r, &mut fx),
        Msg::Undone(r) => files::undone(s, r, &mut fx),
        Msg::Committed(r) => commit::committed(s, r, &mut fx),
        Msg::Edited(r) => files::edited(s, r, &mut fx),
        Msg::Diff(lines) => s.diff = lines,
        Msg::SetDiff {
            set,
            generation,
            result,
        } => set_diffs::received(s, &set, generation, result),
        Msg::Body(path, r) => body(s, path, r),
        Msg::Focus => fx.push(Effect::CheckOutside),
        Msg::Notice(text) => s.status = Some((StatusKind::Info, text)),
        Msg::Meeting { result, show } => meeting::received(s, result, show, &mut fx),
        Msg::MeetingFinished(r) => meeting::finished(s, r, &mut fx),
        Msg::History { id, result } => team::history(s, &id, result),
        Msg::Synced(r) => team::synced(s, r, &mut fx),
    }
    set_diffs::request(s, &mut fx);
    fx
}

fn resize(s: &mut AppState, w: u16, h: u16) {
    s.width = w;
    s.height = h;
    for v in View::ALL {
        let keep = s.lists[v.index()].current();
        place(s, v, keep);
    }
    refresh_detail(s, false);
}

/// The selected case's body arrived (or could not be read).
fn body(
    s: &mut AppState,
    path: String,
    r: Result<std::sync::Arc<crate::model::FailureCase>, UiError>,
) {
    s.body = Some((path, r));
    refresh_detail(s, true);
}
