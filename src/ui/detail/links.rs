//! References between items and their backlinks: what a runbook's memo
//! and sets are, which runbooks cite a memo, which sets gate an agent,
//! which failures came from it. Shown in the detail pane and followed with
//! Enter (once the text has the focus).

use crate::model::Workspace;
use crate::ui::items::View;
use crate::ui::state::dialog::PaletteHit;

fn hit(view: View, id: &str, label: String) -> PaletteHit {
    PaletteHit::item(view, id, label)
}

/// The links of item `i` of `view`: references first (→), then backlinks (←).
#[must_use]
pub fn of(ws: &Workspace, view: View, i: usize) -> Vec<PaletteHit> {
    let mut out = Vec::new();
    match view {
        View::Inbox => case(ws, i, &mut out),
        View::Sets => set(ws, i, &mut out),
        View::Runbooks => runbook(ws, i, &mut out),
        View::Memos => memo(ws, i, &mut out),
        View::Overview | View::Changes => {}
    }
    out
}

fn case(ws: &Workspace, i: usize, out: &mut Vec<PaletteHit>) {
    let Some(c) = ws.cases.get(i) else { return };
    if ws.runbook(c.agent).is_some() {
        out.push(hit(
            View::Runbooks,
            c.agent,
            format!("→ runbook {}", c.agent),
        ));
    }
    if let Some(p) = &c.promotion {
        out.push(hit(
            View::Sets,
            p.set,
            format!("→ set {} (v{})", p.set, p.version),
        ));
    }
    if let Some(inc) = &c.incident {
        let n = ws
            .cases
            .iter()
            .filter(|x| x.incident.as_ref() == Some(inc))
            .count();
        out.push(PaletteHit::filter(
            View::Inbox,
            inc,
            format!("← {n} failure(s) of incident {inc}"),
        ));
    }
}

fn set(ws: &Workspace, i: usize, out: &mut Vec<PaletteHit>) {
    let Some(s) = ws.sets.get(i) else { return };
    if ws.runbook(&s.runbook).is_some() {
        out.push(hit(
            View::Runbooks,
            &s.runbook,
            format!("→ gates runbook {}", s.runbook),
        ));
    }
    for c in &s.cases {
        if ws.case(&c.id).is_some() {
            out.push(hit(View::Inbox, &c.id, format!("← from failure {}", c.id)));
        }
    }
}

fn runbook(ws: &Workspace, i: usize, out: &mut Vec<PaletteHit>) {
    let Some(r) = ws.runbooks.get(i) else { return };
    if let Some(m) = r.memo.as_deref().and_then(|m| ws.memo(m)) {
        out.push(hit(
            View::Memos,
            &m.id,
            format!("→ memo {} ({}) {}", m.id, m.status, m.title),
        ));
    }
    for s in &r.eval_sets {
        if ws.set(s).is_some() {
            out.push(hit(View::Sets, s, format!("→ eval set {s}")));
        }
    }
    for s in ws
        .sets
        .iter()
        .filter(|s| s.runbook == r.id && !r.eval_sets.contains(&s.id))
    {
        out.push(hit(
            View::Sets,
            &s.id,
            format!("← set {} gates this agent", s.id),
        ));
    }
    for m in ws.memos.iter().filter(|m| m.agents.contains(&r.id)) {
        out.push(hit(
            View::Memos,
            &m.id,
            format!("← memo {} ({}) names this agent", m.id, m.status),
        ));
    }
    let n = ws.cases.iter().filter(|c| c.agent == r.id).count();
    if n > 0 {
        out.push(hit(
            View::Inbox,
            &format!("filter:agent:{}", r.id),
            format!("← {n} failure(s) of this agent"),
        ));
    }
}

fn memo(ws: &Workspace, i: usize, out: &mut Vec<PaletteHit>) {
    let Some(m) = ws.memos.get(i) else { return };
    for s in &m.supersedes {
        out.push(hit(View::Memos, s, format!("→ supersedes memo {s}")));
    }
    if let Some(s) = &m.superseded_by {
        out.push(hit(View::Memos, s, format!("← superseded by memo {s}")));
    }
    for a in &m.agents {
        if ws.runbook(a).is_some() {
            out.push(hit(View::Runbooks, a, format!("→ agent {a}")));
        }
    }
    for r in ws
        .runbooks
        .iter()
        .filter(|r| r.memo.as_deref() == Some(m.id.as_str()))
    {
        out.push(hit(
            View::Runbooks,
            &r.id,
            format!("← runbook {} cites this memo", r.id),
        ));
    }
}
