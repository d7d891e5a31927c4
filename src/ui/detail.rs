//! The detail pane's content for the selected item: a failure case as a
//! readable document, a set (in `set_detail.rs`), a runbook's controls
//! above its body, a memo, a change. Built in `update` (and cached) so views
//! only slice lines.

use crate::model::{CaseRef, FailureCase, Memo, Runbook, Workspace, time};
use crate::sanitize;
use crate::ui::items::View;
use crate::ui::state::AppState;
use crate::ui::state::changes::ChangeRow;
use crate::ui::text::markdown;
use crate::ui::theme::Theme;
use crate::ui::wrap::{plain, wrap};
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use std::sync::Arc;

/// What the detail pane shows, as a cache key: cheap, so the lines are
/// rebuilt only when it (or the width) changes.
#[must_use]
pub fn key(s: &AppState) -> String {
    let Some(ws) = &s.ws else {
        return String::new();
    };
    let Some(i) = s.list().current() else {
        return "none".into();
    };
    match s.view {
        View::Inbox => ws.cases.get(i).map(|c| key_of_case(c)),
        View::Sets => ws.sets.get(i).map(|x| format!("set:{}", x.id)),
        View::Runbooks => ws.runbooks.get(i).map(|x| format!("runbook:{}", x.id)),
        View::Memos => ws.memos.get(i).map(|x| format!("memo:{}", x.id)),
        View::Overview => None,
        View::Changes => s.pending.iter().chain(&s.history).nth(i).map(|c| {
            format!(
                "change:{}:{}",
                c.commit.as_deref().unwrap_or("pending"),
                c.title
            )
        }),
    }
    .unwrap_or_default()
}

/// A case's key. Its body arriving rebuilds the lines by force
/// (`Msg::Body`), as an edit does.
fn key_of_case(c: CaseRef<'_>) -> String {
    format!("case:{}", c.id)
}

/// The cache key and lines for the current selection.
#[must_use]
fn build_item(s: &AppState, width: usize) -> (String, Vec<Line<'static>>) {
    let t = &s.theme;
    let Some(ws) = &s.ws else {
        return (
            String::new(),
            vec![Line::from(if s.loading { "loading…" } else { "" })],
        );
    };
    let Some(i) = s.list().current() else {
        return ("none".into(), vec![Line::styled("nothing to show", t.dim)]);
    };
    match s.view {
        View::Inbox => ws.cases.get(i).map_or_else(Default::default, |c| {
            (
                key_of_case(c),
                case(ws, c, s.body.as_ref().map(|b| &b.1), width, t),
            )
        }),
        View::Sets => ws.sets.get(i).map_or_else(Default::default, |x| {
            let diff = s.set_diffs.by_set.get(&x.id);
            (
                format!("set:{}", x.id),
                crate::ui::set_detail::set(ws, x, diff, width, t),
            )
        }),
        View::Runbooks => ws.runbooks.get(i).map_or_else(Default::default, |r| {
            (format!("runbook:{}", r.id), runbook(ws, r, width, t, s.now))
        }),
        View::Memos => ws.memos.get(i).map_or_else(Default::default, |m| {
            (format!("memo:{}", m.id), memo(m, width, t))
        }),
        View::Overview => (String::new(), Vec::new()),
        View::Changes => {
            s.pending
                .iter()
                .chain(&s.history)
                .nth(i)
                .map_or_else(Default::default, |c| {
                    (
                        format!(
                            "change:{}:{}",
                            c.commit.as_deref().unwrap_or("pending"),
                            c.title
                        ),
                        change(c, width, t),
                    )
                })
        }
    }
}

/// The cache key and lines for the current selection, with its links.
#[must_use]
pub fn build(s: &AppState, width: usize) -> (String, Vec<Line<'static>>) {
    let (key, mut lines) = build_item(s, width);
    if let (Some(ws), Some(i)) = (&s.ws, s.list().current()) {
        let targets = crate::ui::links::of(ws, s.view, i);
        if !targets.is_empty() {
            lines.push(Line::default());
            lines.push(Line::styled(
                "── links (Enter on the text to follow) ",
                s.theme.heading,
            ));
            for l in targets {
                lines.extend(wrap(
                    &[Span::raw(l.label)],
                    width,
                    &[Span::raw("  ")],
                    &[Span::raw("    ")],
                ));
            }
        }
    }
    (key, lines)
}

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

/// A case: the fields from its row at once, the body (conversation, output,
/// notes…) once it has been read from its file (`AppState::body`).
fn case(
    ws: &Workspace,
    c: CaseRef<'_>,
    body: Option<&Result<Arc<FailureCase>, String>>,
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
            d.out
                .push(Line::styled(sanitize::line(e).into_owned(), t.removed));
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
    d.out
}

fn runbook(ws: &Workspace, r: &Runbook, width: usize, t: &Theme, now: i64) -> Vec<Line<'static>> {
    let mut d = Doc {
        out: Vec::new(),
        width,
        t,
    };
    d.title(&r.title);
    d.out.push(Line::default());
    d.field("id", &r.id);
    d.field("status", &r.status);
    d.field("autonomy", &r.autonomy);
    d.field("owner", r.owner.as_deref().unwrap_or("-"));
    d.field("memo", r.memo.as_deref().unwrap_or("-"));
    d.field(
        "eval sets",
        &if r.eval_sets.is_empty() {
            "-".to_owned()
        } else {
            r.eval_sets.join(", ")
        },
    );
    if let Some(p) = &r.policy {
        d.field("policy", p);
    }
    let today = time::datetime_from_unix(now);
    d.section("launch readiness");
    for c in crate::ops::governance::readiness(ws, r, &today) {
        let (mark, style) = if c.ok {
            ("✓", t.added)
        } else {
            ("✗", t.removed)
        };
        d.out.push(Line::from(vec![
            Span::styled(format!("{mark} "), style),
            Span::styled(c.name, t.label),
        ]));
        d.out.extend(wrap(
            &[Span::raw(c.reason)],
            width,
            &[Span::raw("    ")],
            &[Span::raw("    ")],
        ));
    }
    let l = crate::ops::governance::autonomy(ws, &today)
        .into_iter()
        .find(|l| l.id == r.id);
    if let Some(l) = l {
        d.section("autonomy");
        let pct = |x: Option<f64>| x.map_or("-".to_owned(), |x| format!("{:.2}%", x * 100.0));
        d.field(
            "tier",
            &format!("{} → {}", l.tier, l.next.as_deref().unwrap_or("-")),
        );
        d.field(
            "pass rate",
            &format!(
                "{} over {} days ({} runs), gate {}",
                pct(l.pass_rate),
                l.window_days,
                l.runs,
                pct(l.min_pass_rate)
            ),
        );
        d.field("red team", l.last_red_team.as_deref().unwrap_or("-"));
        d.field("eligible", if l.eligible { "yes" } else { "no" });
        for reason in &l.reasons {
            d.field("", &format!("✗ {reason}"));
        }
    }
    if !r.actions.is_empty() {
        d.section("actions");
        for a in &r.actions {
            let ext = if a.external { "external · " } else { "" };
            d.field(&a.name, &format!("{ext}approval: {}", a.approval));
        }
    }
    if let Some(to) = &r.escalation.to {
        d.section("escalation");
        d.field("to", to);
        for w in &r.escalation.when {
            d.field("when", w);
        }
    }
    d.section("kill switch");
    d.field("how", r.kill_switch.how.as_deref().unwrap_or("-"));
    d.field(
        "last drill",
        &r.kill_switch
            .last_drill
            .map_or("never".to_owned(), |x| x.to_string()),
    );
    if !r.audit.fields.is_empty() {
        d.field("audit", &r.audit.fields.join(", "));
    }
    if let Some(p) = &r.promotion {
        d.field("next tier", p.next.as_deref().unwrap_or("-"));
    }
    d.out.push(Line::default());
    d.out.extend(markdown(&r.body, width, t));
    d.out
}

fn memo(m: &Memo, width: usize, t: &Theme) -> Vec<Line<'static>> {
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

fn change(c: &ChangeRow, width: usize, t: &Theme) -> Vec<Line<'static>> {
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
