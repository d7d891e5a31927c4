//! Styles. Without colour (`NO_COLOR`, read by the runtime), selection and
//! focus are shown by reverse video, bold and markers instead.

use ratatui::style::{Color, Modifier, Style};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Theme {
    pub color: bool,
    pub dim: Style,
    pub heading: Style,
    pub code: Style,
    pub link: Style,
    pub table_head: Style,
    pub selected: Style,
    pub matched: Style,
    pub title: Style,
    pub tab_active: Style,
    pub key: Style,
    pub error: Style,
    pub warning: Style,
    pub added: Style,
    pub removed: Style,
    pub label: Style,
}

impl Theme {
    #[must_use]
    pub fn new(color: bool) -> Self {
        let c = |style: Style, fg: Color| if color { style.fg(fg) } else { style };
        let bold = Style::default().add_modifier(Modifier::BOLD);
        Self {
            color,
            dim: if color {
                Style::default().fg(Color::DarkGray)
            } else {
                Style::default()
            },
            heading: c(bold, Color::Cyan),
            code: c(Style::default(), Color::Yellow),
            link: c(
                Style::default().add_modifier(Modifier::UNDERLINED),
                Color::Blue,
            ),
            table_head: bold.add_modifier(Modifier::UNDERLINED),
            selected: Style::default().add_modifier(Modifier::REVERSED),
            matched: c(bold.add_modifier(Modifier::UNDERLINED), Color::Yellow),
            title: bold,
            tab_active: Style::default().add_modifier(Modifier::REVERSED | Modifier::BOLD),
            key: c(bold, Color::Cyan),
            error: c(bold, Color::Red),
            warning: c(Style::default(), Color::Yellow),
            added: c(Style::default(), Color::Green),
            removed: c(Style::default(), Color::Red),
            label: c(bold, Color::Blue),
        }
    }
}
