//! Dialogs drawn over the screen, one file per dialog: pickers, prompts,
//! commit, the quit confirmation, help, the palette, diagnostics, text
//! to read (an item's history, what a sync stopped on). Each file
//! draws its dialog from the dialog's own fields (and what it shows of the
//! state) in the frame of `view/popup.rs`; this file only picks the file.
//! The keys of the same dialogs are `update/dialog/`'s.

mod commit;
mod confirm;
mod diagnostics;
mod help;
mod palette;
mod picker;
mod prompt;
mod text;

use crate::ui::state::AppState;
use crate::ui::state::dialog::Dialog;
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;

/// Draws the open dialog `d` over `area`.
pub fn render(s: &AppState, d: &Dialog, area: Rect, buf: &mut Buffer) {
    match d {
        Dialog::Picker {
            kind,
            query,
            items,
            visible,
            selected,
            searching,
            ..
        } => picker::PickerView {
            kind,
            query,
            items,
            visible,
            selected: *selected,
            searching: *searching,
        }
        .render(s, area, buf),
        Dialog::Prompt { kind, text } => prompt::render(s, kind, text, area, buf),
        Dialog::Commit {
            message,
            include_hand_edits,
            scroll,
        } => commit::render(s, message, *include_hand_edits, *scroll, area, buf),
        Dialog::ConfirmQuit => confirm::render(s, area, buf),
        Dialog::Help { scroll } => help::render(s, *scroll, area, buf),
        Dialog::Palette {
            query,
            hits,
            selected,
        } => palette::render(s, query, hits, *selected, area, buf),
        Dialog::Diagnostics { title, lines } => diagnostics::render(s, title, lines, area, buf),
        Dialog::Text {
            title,
            lines,
            scroll,
        } => text::render(s, title, lines, *scroll, area, buf),
    }
}
