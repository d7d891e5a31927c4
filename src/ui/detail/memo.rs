//! A decision memo in the detail pane: its fields above its body.

use super::doc::Doc;
use crate::model::Memo;
use crate::ui::text::markdown;
use crate::ui::theme::Theme;
use ratatui::text::Line;

/// A memo's lines.
pub(super) fn memo(m: &Memo, width: usize, t: &Theme) -> Vec<Line<'static>> {
    let mut d = Doc {
        out: Vec::new(),
        width,
        t,
    };
    d.title(&m.title);
    d.out.push(Line::default());
    d.field("id", &m.id);
    d.field("status", m.status.as_str());
    if let Some(x) = &m.date {
        d.field("date", &x.to_string());
    }
    d.field("owner", m.owner.as_deref().unwrap_or("-"));
    if !m.deciders.is_empty() {
        d.field("deciders", &m.deciders.join(", "));
    }
    if !m.agents.is_empty() {
        d.field("agents", &m.agents.join(", "));
    }
    if !m.supersedes.is_empty() {
        d.field("supersedes", &m.supersedes.join(", "));
    }
    if let Some(x) = &m.superseded_by {
        d.field("superseded", &format!("by {x}"));
    }
    if let Some(x) = &m.review_by {
        d.field("review by", &x.to_string());
    }
    d.out.push(Line::default());
    d.out.extend(markdown(&m.body, width, t));
    d.out
}
