//! A runbook in the detail pane: its fields, launch readiness and autonomy
//! (from `ops::governance`), actions, escalation and kill switch above its
//! body.

use super::doc::Doc;
use crate::model::{Runbook, Workspace, time};
use crate::ui::text::markdown;
use crate::ui::theme::Theme;
use crate::ui::wrap::wrap;
use ratatui::text::{Line, Span};

/// A runbook's lines, its readiness judged as of `now`.
pub(super) fn runbook(
    ws: &Workspace,
    r: &Runbook,
    width: usize,
    t: &Theme,
    now: i64,
) -> Vec<Line<'static>> {
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
