//! A change in the detail pane: a pending journal entry or a commit, with
//! its actions and files.

use super::doc::Doc;
use crate::ui::state::changes::ChangeRow;
use crate::ui::theme::Theme;
use ratatui::text::Line;

/// A change's lines.
pub(super) fn change(c: &ChangeRow, width: usize, t: &Theme) -> Vec<Line<'static>> {
    let mut d = Doc {
        out: Vec::new(),
        width,
        t,
    };
    d.title(&c.title);
    d.out.push(Line::default());
    d.field(
        "commit",
        c.commit.as_deref().unwrap_or("pending (not committed)"),
    );
    if !c.author.is_empty() {
        d.field("author", &c.author);
    }
    if !c.when.is_empty() {
        d.field("when", &c.when);
    }
    d.section("actions");
    for a in &c.actions {
        d.text(a, 2);
    }
    if !c.paths.is_empty() {
        d.section("files");
        for p in &c.paths {
            d.text(p, 2);
        }
    }
    d.out
}
