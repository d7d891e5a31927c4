//! The one-line text prompts (a note, a dismissal reason, a new memo's
//! title, a case command's own prompt): the typed text, wrapped, with a
//! cursor, what is wrong with it if anything, and the registry's submit and
//! cancel keys in the footer.

use crate::ui::action::Action;
use crate::ui::state::AppState;
use crate::ui::state::dialog::PromptKind;
use crate::ui::view::popup::{footer, frame, hints, put};
use crate::ui::wrap::wrap;
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};

/// Draws a prompt of `kind` holding `text`.
pub(super) fn render(s: &AppState, kind: &PromptKind, text: &str, area: Rect, buf: &mut Buffer) {
    let t = &s.theme;
    let title = match kind {
        PromptKind::Note { case } => format!("Note on {case}"),
        PromptKind::Dismiss { case } => format!("Dismiss {case}: why?"),
        PromptKind::Case {
            case,
            command: Action::Duplicate,
            ..
        } => format!("{case} duplicates which case? (its id)"),
        PromptKind::Case { case, command, .. } => format!("{case}: {}", command.describe()),
        PromptKind::NewMemo => "New memo: title".to_owned(),
    };
    let inner = frame(s, area, 70, 8, &title, buf);
    let lines = wrap(
        &[Span::raw(text.to_owned()), Span::styled("▏", t.key)],
        usize::from(inner.width),
        &[Span::raw("> ")],
        &[Span::raw("  ")],
    );
    // A case command's prompt keeps a line for what is wrong with the text.
    let problem = match kind {
        PromptKind::Case { problem, .. } => Some(problem.as_deref()),
        _ => None,
    };
    let reserved = if problem.is_some() { 2 } else { 1 };
    let shown = lines
        .len()
        .min(usize::from(inner.height.saturating_sub(reserved)));
    for (n, l) in lines.iter().take(shown).enumerate() {
        put(buf, inner, u16::try_from(n).unwrap_or(0), l);
    }
    if let Some(Some(problem)) = problem {
        let line = Line::styled(crate::sanitize::line(problem).into_owned(), t.dim);
        put(buf, inner, u16::try_from(shown).unwrap_or(0), &line);
    }
    footer(
        s,
        inner,
        &hints(s, &[Action::PromptSubmit, Action::PromptCancel]),
        buf,
    );
}
