//! A document being built for the detail pane: a title, labelled fields,
//! sections and long text, wrapped to the pane's width. Shared by every
//! kind of detail; imports only the leaf helpers.

use crate::ui::theme::Theme;
use crate::ui::wrap::{plain, wrap};
use ratatui::style::Style;
use ratatui::text::{Line, Span};

/// The most text of one field the detail pane wraps (256 KiB).
pub const TEXT_LIMIT: usize = 256 << 10;

/// A document being built for the detail pane: titled, labelled fields and
/// sections, wrapped to the pane's width.
pub(super) struct Doc<'t> {
    pub(super) out: Vec<Line<'static>>,
    pub(super) width: usize,
    pub(super) t: &'t Theme,
}

impl Doc<'_> {
    pub(super) fn title(&mut self, text: &str) {
        self.out.extend(wrap(
            &[Span::styled(text.to_owned(), self.t.title)],
            self.width,
            &[],
            &[],
        ));
    }

    pub(super) fn field(&mut self, name: &str, value: &str) {
        let label = Span::styled(format!("{name:<10} "), self.t.label);
        let pad = Span::raw(" ".repeat(11));
        self.out.extend(wrap(
            &[Span::raw(value.to_owned())],
            self.width,
            &[label],
            &[pad],
        ));
    }

    pub(super) fn section(&mut self, name: &str) {
        self.out.push(Line::default());
        self.out
            .push(Line::styled(format!("── {name} "), self.t.heading));
    }

    /// Long text is shown up to [`TEXT_LIMIT`]: wrapping a 50 MB model
    /// output on every selection would stall the UI. The rest is one `e`
    /// away, and the pane says so.
    pub(super) fn text(&mut self, text: &str, indent: usize) {
        let shown = if text.len() > TEXT_LIMIT {
            let mut end = TEXT_LIMIT;
            while !text.is_char_boundary(end) {
                end -= 1;
            }
            &text[..end]
        } else {
            text
        };
        self.out
            .extend(plain(shown, self.width, Style::default(), indent));
        if shown.len() < text.len() {
            self.out.push(Line::styled(
                format!(
                    "{}… {} more bytes not shown (e opens the whole file)",
                    " ".repeat(indent),
                    text.len() - shown.len()
                ),
                self.t.label,
            ));
        }
    }
}
