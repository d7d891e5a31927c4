//! `docket list failures|sets|runbooks|memos`.

mod json;

use super::{ListKind, output};
use crate::model::case::Status;
use crate::model::memo::MemoStatus;
use crate::model::{EvalSet, Workspace, runbook, time};
use crate::store::Store;
use anyhow::bail;
use serde_json::json;
use std::path::Path;
use std::process::ExitCode;

#[derive(Debug, Default)]
pub struct Filters {
    pub status: Option<String>,
    pub tag: Option<String>,
    pub agent: Option<String>,
}

pub fn run(cwd: &Path, kind: ListKind, f: &Filters, json: bool) -> anyhow::Result<ExitCode> {
    let store = Store::open(cwd)?;
    let ws = store.load()?;
    output::warn_skipped(&ws);
    if f.tag.is_some() && !matches!(kind, ListKind::Failures) {
        bail!("--tag applies to `list failures` only");
    }
    match kind {
        ListKind::Failures => failures(&ws, f, json)?,
        ListKind::Sets => sets(&ws, f, json)?,
        ListKind::Runbooks => runbooks(&ws, f, json)?,
        ListKind::Memos => memos(&ws, f, json)?,
    }
    Ok(ExitCode::SUCCESS)
}

fn check_status(given: Option<&String>, allowed: &[&str]) -> anyhow::Result<()> {
    if let Some(s) = given
        && !allowed.contains(&s.as_str())
    {
        bail!(
            "unknown --status {s:?}: expected one of {}",
            allowed.join(", ")
        );
    }
    Ok(())
}

fn failures(ws: &Workspace, f: &Filters, json: bool) -> anyhow::Result<()> {
    let names: Vec<&str> = Status::ALL.iter().map(|s| Status::as_str(*s)).collect();
    check_status(f.status.as_ref(), &names)?;
    if let Some(t) = &f.tag
        && ws.config.tag(t).is_none()
    {
        bail!("unknown --tag {t:?}: not in the taxonomy of docket.toml");
    }
    // Positions in the table (sorted by id), newest first as a reviewer
    // scans an inbox: a few bytes per case, however many there are.
    let mut order: Vec<(std::cmp::Reverse<Option<i64>>, u32)> = ws
        .cases
        .iter()
        .zip(0u32..)
        .filter(|(c, _)| f.status.as_deref().is_none_or(|s| c.status.as_str() == s))
        .filter(|(c, _)| f.tag.as_ref().is_none_or(|t| c.tags.contains(t)))
        .filter(|(c, _)| f.agent.as_ref().is_none_or(|a| c.agent == a))
        .map(|(c, i)| (std::cmp::Reverse(c.at()), i))
        .collect();
    order.sort_unstable();
    let cases = order.iter().filter_map(|&(_, i)| ws.cases.get(i as usize));
    if json {
        return output::stream(|out| json::write_cases(out, cases));
    }
    let rows: Vec<Vec<String>> = cases
        .map(|c| {
            vec![
                c.id.to_owned(),
                c.status.to_string(),
                c.severity.map_or("-".to_owned(), |s| s.to_string()),
                c.agent.to_owned(),
                time::day(&c.occurred_at).unwrap_or_default(),
                c.tags.join(","),
                c.summary.to_owned(),
            ]
        })
        .collect();
    output::print_table(
        &["ID", "STATUS", "SEV", "AGENT", "DATE", "TAGS", "SUMMARY"],
        &rows,
    )
}

/// A set's standing against its gate, from its latest run.
pub fn set_status(ws: &Workspace, s: &EvalSet) -> (&'static str, Option<f64>) {
    let latest = ws
        .runs_of(&s.id)
        .max_by_key(|r| time::unix_from_datetime(&r.at));
    match latest.and_then(crate::model::EvalRun::pass_rate) {
        None => ("no-runs", None),
        Some(rate) if rate >= s.min_pass_rate => ("passing", Some(rate)),
        Some(rate) => ("failing", Some(rate)),
    }
}

fn sets(ws: &Workspace, f: &Filters, json: bool) -> anyhow::Result<()> {
    check_status(f.status.as_ref(), &["passing", "failing", "no-runs"])?;
    let sets: Vec<_> = ws
        .sets
        .iter()
        .filter(|s| f.agent.as_ref().is_none_or(|a| &s.runbook == a))
        .filter(|s| {
            f.status
                .as_deref()
                .is_none_or(|st| set_status(ws, s).0 == st)
        })
        .collect();
    if json {
        let items: Vec<_> = sets
            .iter()
            .map(|s| {
                let (status, rate) = set_status(ws, s);
                json!({
                    "id": s.id, "path": s.path, "status": status, "title": s.title, "owner": s.owner,
                    "runbook": s.runbook, "version": s.version, "min_pass_rate": s.min_pass_rate,
                    "cases": s.cases.len(), "last_pass_rate": rate,
                })
            })
            .collect();
        return output::print_json(&serde_json::Value::Array(items));
    }
    let rows: Vec<Vec<String>> = sets
        .iter()
        .map(|s| {
            let (status, rate) = set_status(ws, s);
            vec![
                s.id.clone(),
                format!("v{}", s.version),
                s.cases.len().to_string(),
                format!("{:.2}%", s.min_pass_rate * 100.0),
                rate.map_or("-".to_owned(), |r| format!("{:.2}%", r * 100.0)),
                status.to_owned(),
                s.runbook.clone(),
                s.title.clone(),
            ]
        })
        .collect();
    output::print_table(
        &[
            "ID", "VERSION", "CASES", "GATE", "LAST", "STATUS", "RUNBOOK", "TITLE",
        ],
        &rows,
    )
}

fn runbooks(ws: &Workspace, f: &Filters, json: bool) -> anyhow::Result<()> {
    check_status(f.status.as_ref(), runbook::STATUSES)?;
    let rbs: Vec<_> = ws
        .runbooks
        .iter()
        .filter(|r| f.status.as_ref().is_none_or(|s| &r.status == s))
        .filter(|r| f.agent.as_ref().is_none_or(|a| &r.id == a))
        .collect();
    if json {
        let items: Vec<_> = rbs
            .iter()
            .map(|r| {
                json!({
                    "id": r.id, "path": r.path, "status": r.status, "title": r.title, "owner": r.owner,
                    "autonomy": r.autonomy, "eval_sets": r.eval_sets, "memo": r.memo,
                    "next": r.promotion.as_ref().and_then(|p| p.next.clone()),
                })
            })
            .collect();
        return output::print_json(&serde_json::Value::Array(items));
    }
    let rows: Vec<Vec<String>> = rbs
        .iter()
        .map(|r| {
            vec![
                r.id.clone(),
                r.status.clone(),
                r.autonomy.clone(),
                r.owner.clone().unwrap_or_default(),
                r.title.clone(),
            ]
        })
        .collect();
    output::print_table(&["ID", "STATUS", "AUTONOMY", "OWNER", "TITLE"], &rows)
}

fn memos(ws: &Workspace, f: &Filters, json: bool) -> anyhow::Result<()> {
    let names: Vec<&str> = MemoStatus::ALL
        .iter()
        .map(|s| MemoStatus::as_str(*s))
        .collect();
    check_status(f.status.as_ref(), &names)?;
    let memos: Vec<_> = ws
        .memos
        .iter()
        .filter(|m| f.status.as_deref().is_none_or(|s| m.status.as_str() == s))
        .filter(|m| f.agent.as_ref().is_none_or(|a| m.agents.contains(a)))
        .collect();
    if json {
        let items: Vec<_> = memos
            .iter()
            .map(|m| {
                json!({
                    "id": m.id, "path": m.path, "status": m.status.as_str(), "title": m.title,
                    "date": m.date.map(|d| d.to_string()), "owner": m.owner, "agents": m.agents,
                    "supersedes": m.supersedes, "superseded_by": m.superseded_by,
                    "review_by": m.review_by.map(|d| d.to_string()),
                })
            })
            .collect();
        return output::print_json(&serde_json::Value::Array(items));
    }
    let rows: Vec<Vec<String>> = memos
        .iter()
        .map(|m| {
            vec![
                m.id.clone(),
                m.status.to_string(),
                m.date.as_ref().and_then(time::day).unwrap_or_default(),
                m.title.clone(),
            ]
        })
        .collect();
    output::print_table(&["ID", "STATUS", "DATE", "TITLE"], &rows)
}
