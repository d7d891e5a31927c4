//! A failure case in the detail pane: the fields of its row at once, the
//! body (conversation, output, notes…) once it has been read from its file.

use super::doc::Doc;
use crate::model::{CaseRef, FailureCase, Workspace};
use crate::sanitize;
use crate::ui::state::error::UiError;
use crate::ui::theme::Theme;
use ratatui::text::Line;
use std::sync::Arc;

/// A case: the fields from its row at once, the body (conversation, output,
/// notes…) once it has been read from its file (`AppState::body`).
pub(super) fn case(
    ws: &Workspace,
    c: CaseRef<'_>,
    body: Option<&Result<Arc<FailureCase>, UiError>>,
    width: usize,
    t: &Theme,
) -> Vec<Line<'static>> {
    let mut d = Doc {
        out: Vec::new(),
        width,
        t,
    };
    d.title(c.summary);
    d.out.push(Line::default());
    d.field("id", c.id);
    d.field("status", c.status.as_str());
    d.field("severity", c.severity.map_or("-", |s| s.as_str()));
    d.field("agent", c.agent);
    d.field("source", c.source.as_str());
    d.field("occurred", &c.occurred_at.to_string());
    if let Some(i) = c.incident {
        let link = ws
            .config
            .incident_link(i)
            .map(|l| format!("  {l}"))
            .unwrap_or_default();
        d.field("incident", &format!("{i}{link}"));
    }
    d.field(
        "tags",
        &if c.tags.is_empty() {
            "-".to_owned()
        } else {
            c.tags.join(", ")
        },
    );
    d.field("file", &c.path());
    let c: &FailureCase = match body {
        Some(Ok(b)) if b.id == c.id => b,
        Some(Err(e)) => {
            d.out.push(Line::default());
            d.out.push(Line::styled(
                sanitize::line(&e.to_string()).into_owned(),
                t.removed,
            ));
            return d.out;
        }
        _ => {
            d.out.push(Line::default());
            d.out.push(Line::styled("reading…", t.dim));
            return d.out;
        }
    };
    if let Some(origin) = &c.origin {
        d.field("origin", &crate::model::case::origin_line(origin));
    }
    if let Some(p) = &c.input.prompt {
        d.section("prompt");
        d.text(p, 2);
    }
    if !c.input.messages.is_empty() {
        d.section("conversation");
        for m in &c.input.messages {
            d.out.push(Line::styled(
                format!("{}:", sanitize::line(&m.role)),
                t.label,
            ));
            d.text(&m.content, 2);
        }
    }
    d.section("output");
    d.text(&c.output.content, 2);
    if let Some(e) = &c.expected {
        d.section("expected");
        d.text(&e.content, 2);
    }
    for n in &c.notes {
        d.section(&format!("note · {} · {}", sanitize::line(&n.author), n.at));
        d.text(&n.text, 2);
    }
    decisions(&mut d, c);
    d.out
}

/// What was decided about the case, and the verdicts waiting for a second
/// reviewer (those of others hidden from one who has not given theirs:
/// `FailureCase::blind_for`).
fn decisions(d: &mut Doc<'_>, c: &FailureCase) {
    for v in &c.verdicts {
        d.section(&format!("verdict · {} · {}", sanitize::line(&v.by), v.at));
        d.field("verdict", &v.decision());
        if let Some(r) = &v.reason {
            d.field("reason", r);
        }
    }
    if c.hidden_verdicts > 0 {
        d.section("double review");
        d.text(
            &format!(
                "{} verdict(s) given, hidden until you give yours (p or x)",
                c.hidden_verdicts
            ),
            2,
        );
    }
    if let Some(p) = &c.promotion {
        d.section("promoted");
        d.field("into", &format!("{} v{}", p.set, p.version));
        d.field("by", &format!("{} at {}", p.by, p.at));
    }
    if let Some(x) = &c.dismissal {
        d.section("dismissed");
        d.field("reason", &x.reason);
        d.field("by", &format!("{} at {}", x.by, x.at));
    }
}
