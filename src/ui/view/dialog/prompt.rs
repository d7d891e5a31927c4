//! The one-line text prompts (a note, a dismissal reason, a new memo's
//! title): the typed text, wrapped, with a cursor, and the registry's
//! submit and cancel keys in the footer.

use crate::ui::action::Action;
use crate::ui::state::AppState;
use crate::ui::state::dialog::PromptKind;
use crate::ui::view::popup::{footer, frame, hints, put};
use crate::ui::wrap::wrap;
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::text::Span;

/// Draws a prompt of `kind` holding `text`.
pub(super) fn render(s: &AppState, kind: &PromptKind, text: &str, area: Rect, buf: &mut Buffer) {
    let t = &s.theme;
    let title = match kind {
        PromptKind::Note { case } => format!("Note on {case}"),
        PromptKind::Dismiss { case } => format!("Dismiss {case}: why?"),
        PromptKind::NewMemo => "New memo: title".to_owned(),
    };
    let inner = frame(s, area, 70, 8, &title, buf);
    let lines = wrap(
        &[Span::raw(text.to_owned()), Span::styled("▏", t.key)],
        usize::from(inner.width),
        &[Span::raw("> ")],
        &[Span::raw("  ")],
    );
    for (n, l) in lines
        .iter()
        .take(usize::from(inner.height.saturating_sub(1)))
        .enumerate()
    {
        put(buf, inner, u16::try_from(n).unwrap_or(0), l);
    }
    footer(
        s,
        inner,
        &hints(s, &[Action::PromptSubmit, Action::PromptCancel]),
        buf,
    );
}
