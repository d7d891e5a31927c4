//! `docket show ID`: one failure case, set, runbook or memo, readable.

use super::output::{self, safe, safe_block};
use crate::model::{EvalSet, FailureCase, Memo, Runbook, Workspace, time};
use crate::store::Store;
use std::fmt::Write as _;
use std::path::Path;
use std::process::ExitCode;

pub fn run(cwd: &Path, id: &str, json: bool) -> anyhow::Result<ExitCode> {
    let store = Store::open(cwd)?;
    let ws = store.load()?;
    output::warn_skipped(&ws);
    let memo_id = crate::model::ids::memo_from_user(id);
    let (value, text) = if let Some(c) = ws.case(id) {
        let mut c = store.case_at(&c.path())?;
        // Blind double review: other reviewers' verdicts stay hidden from
        // one who has not given theirs (a count is shown).
        c.blind_for(store.identity().ok().map(|i| i.email).as_deref());
        let mut value = output::to_json(&c);
        if c.hidden_verdicts > 0 {
            value["verdicts_hidden"] = c.hidden_verdicts.into();
        }
        (value, case_text(&ws, &c))
    } else if let Some(s) = ws.set(id) {
        (output::to_json(s), set_text(&ws, s))
    } else if let Some(r) = ws.runbook(id) {
        (output::to_json(r), runbook_text(r))
    } else if let Some(m) = ws.memo(&memo_id) {
        (output::to_json(m), memo_text(m))
    } else {
        anyhow::bail!(
            "no failure case, set, runbook or memo with id {:?}",
            safe(id)
        );
    };
    if json {
        output::print_json(&value)?;
    } else {
        std::io::Write::write_all(&mut std::io::stdout().lock(), text.as_bytes())?;
    }
    Ok(ExitCode::SUCCESS)
}

fn field(out: &mut String, name: &str, value: &str) {
    let _ = writeln!(out, "{name:<12} {}", safe(value));
}

fn case_text(ws: &Workspace, c: &FailureCase) -> String {
    let mut o = String::new();
    let _ = writeln!(o, "{}  [{}]", safe(&c.id), c.status);
    let _ = writeln!(o, "{}\n", safe(&c.summary));
    field(&mut o, "path", &c.path);
    field(&mut o, "agent", &c.agent);
    field(&mut o, "source", c.source.as_str());
    field(&mut o, "occurred", &c.occurred_at.to_string());
    if let Some(s) = c.severity {
        field(&mut o, "severity", s.as_str());
    }
    if let Some(i) = &c.incident {
        let link = ws
            .config
            .incident_link(i)
            .map(|l| format!(" ({l})"))
            .unwrap_or_default();
        field(&mut o, "incident", &format!("{i}{link}"));
    }
    if !c.tags.is_empty() {
        field(&mut o, "tags", &c.tags.join(", "));
    }
    if let Some(origin) = &c.origin {
        field(&mut o, "origin", &crate::model::case::origin_line(origin));
    }
    if let Some(p) = &c.input.prompt {
        let _ = writeln!(o, "\n── prompt\n{}", safe_block(p, "  "));
    }
    if !c.input.messages.is_empty() {
        let _ = writeln!(o, "\n── conversation");
        for m in &c.input.messages {
            let _ = writeln!(
                o,
                "  {}:\n{}",
                safe(&m.role),
                safe_block(&m.content, "    ")
            );
        }
    }
    let _ = writeln!(o, "\n── output\n{}", safe_block(&c.output.content, "  "));
    if let Some(e) = &c.expected {
        let _ = writeln!(o, "\n── expected\n{}", safe_block(&e.content, "  "));
    }
    for n in &c.notes {
        let _ = writeln!(
            o,
            "\n── note by {} at {}\n{}",
            safe(&n.author),
            n.at,
            safe_block(&n.text, "  ")
        );
    }
    for v in &c.verdicts {
        let _ = writeln!(
            o,
            "\n── verdict by {} at {}: {}{}",
            safe(&v.by),
            v.at,
            safe(&v.decision()),
            v.reason
                .as_ref()
                .map(|r| format!(" ({})", safe(r)))
                .unwrap_or_default()
        );
    }
    if c.hidden_verdicts > 0 {
        let _ = writeln!(
            o,
            "\n── double review: {} verdict(s) given, hidden until you give yours",
            c.hidden_verdicts
        );
    }
    if let Some(p) = &c.promotion {
        let _ = writeln!(
            o,
            "\n── promoted into {}@v{} by {} at {}",
            safe(&p.set),
            p.version,
            safe(&p.by),
            p.at
        );
    }
    if let Some(d) = &c.dismissal {
        let _ = writeln!(
            o,
            "\n── dismissed by {} at {}: {}",
            safe(&d.by),
            d.at,
            safe(&d.reason)
        );
    }
    o
}

fn set_text(ws: &Workspace, s: &EvalSet) -> String {
    let mut o = String::new();
    let _ = writeln!(o, "{}  v{}\n{}\n", safe(&s.id), s.version, safe(&s.title));
    field(&mut o, "path", &s.path);
    field(&mut o, "owner", &s.owner);
    field(&mut o, "runbook", &s.runbook);
    field(
        &mut o,
        "gate",
        &format!("{:.1}% pass rate", s.min_pass_rate * 100.0),
    );
    if !s.description.trim().is_empty() {
        let _ = writeln!(o, "\n{}", safe_block(&s.description, ""));
    }
    let _ = writeln!(o, "\n── cases ({})", s.cases.len());
    for c in &s.cases {
        let prov = c.provenance.as_ref().map(|p| {
            format!(
                "v{} from {}{}",
                p.added_in_version,
                p.failure,
                p.incident
                    .as_ref()
                    .map(|i| format!(" ({i})"))
                    .unwrap_or_default()
            )
        });
        let _ = writeln!(o, "  {}  {}", safe(&c.id), safe(&prov.unwrap_or_default()));
    }
    let runs: Vec<_> = ws.runs_of(&s.id).collect();
    if !runs.is_empty() {
        let _ = writeln!(o, "\n── runs");
        for r in runs {
            let rate = r
                .pass_rate()
                .map_or("-".to_owned(), |p| format!("{:.1}%", p * 100.0));
            let _ = writeln!(
                o,
                "  {}  v{}  {}/{} passed  {rate}",
                time::day(&r.at).unwrap_or_default(),
                r.set_version,
                r.passed,
                r.passed + r.failed
            );
        }
    }
    o
}

fn runbook_text(r: &Runbook) -> String {
    let mut o = String::new();
    let _ = writeln!(
        o,
        "{}  [{} · {}]\n{}\n",
        safe(&r.id),
        safe(&r.status),
        safe(&r.autonomy),
        safe(&r.title)
    );
    field(&mut o, "path", &r.path);
    field(&mut o, "owner", r.owner.as_deref().unwrap_or("-"));
    field(&mut o, "memo", r.memo.as_deref().unwrap_or("-"));
    field(&mut o, "eval sets", &r.eval_sets.join(", "));
    for a in &r.actions {
        let ext = if a.external { "external, " } else { "" };
        field(
            &mut o,
            "action",
            &format!("{} ({ext}approval: {})", a.name, a.approval),
        );
    }
    if let Some(to) = &r.escalation.to {
        field(
            &mut o,
            "escalate to",
            &format!("{to} when {}", r.escalation.when.join("; ")),
        );
    }
    if let Some(how) = &r.kill_switch.how {
        let drill = r
            .kill_switch
            .last_drill
            .map(|d| format!(" (last drill {d})"))
            .unwrap_or_default();
        field(&mut o, "kill switch", &format!("{how}{drill}"));
    }
    let _ = writeln!(o, "\n{}", safe_block(&r.body, ""));
    o
}

fn memo_text(m: &Memo) -> String {
    let mut o = String::new();
    let _ = writeln!(o, "{}  [{}]\n{}\n", safe(&m.id), m.status, safe(&m.title));
    field(&mut o, "path", &m.path);
    if let Some(d) = &m.date {
        field(&mut o, "date", &d.to_string());
    }
    field(&mut o, "owner", m.owner.as_deref().unwrap_or("-"));
    if !m.deciders.is_empty() {
        field(&mut o, "deciders", &m.deciders.join(", "));
    }
    if !m.supersedes.is_empty() {
        field(&mut o, "supersedes", &m.supersedes.join(", "));
    }
    if let Some(s) = &m.superseded_by {
        field(&mut o, "superseded by", s);
    }
    let _ = writeln!(o, "\n{}", safe_block(&m.body, ""));
    o
}
