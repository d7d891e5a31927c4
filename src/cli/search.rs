//! `docket search QUERY`: fuzzy search over cases, sets, runbooks, memos and
//! tags, best first.

use super::output;
use crate::store::Store;
use std::path::Path;
use std::process::ExitCode;

/// A search result: what it is, its id and title, borrowed from the
/// workspace.
struct Item<'a> {
    kind: &'static str,
    id: &'a str,
    title: &'a str,
}

pub fn run(cwd: &Path, query: &str, limit: usize, json: bool) -> anyhow::Result<ExitCode> {
    let store = Store::open(cwd)?;
    let ws = store.load()?;
    output::warn_skipped(&ws);
    print(&ws, query, limit, json)
}

fn print<'a>(
    ws: &'a crate::model::Workspace,
    query: &str,
    limit: usize,
    json: bool,
) -> anyhow::Result<ExitCode> {
    // Cases are matched straight from the table's rows; the few other
    // items get haystacks of their own, after them.
    let make = |kind, id: &'a str, title: &'a str| Item { kind, id, title };
    let mut others: Vec<(Item<'_>, String)> = Vec::with_capacity(64);
    others.extend(
        ws.sets
            .iter()
            .map(|s| (make("set", &s.id, &s.title), s.haystack())),
    );
    others.extend(
        ws.runbooks
            .iter()
            .map(|r| (make("runbook", &r.id, &r.title), r.haystack())),
    );
    others.extend(
        ws.memos
            .iter()
            .map(|m| (make("memo", &m.id, &m.title), m.haystack())),
    );
    others.extend(ws.config.tags.iter().map(|t| {
        let hay = format!("{} {}", t.name, t.description);
        (make("tag", &t.name, &t.description), hay)
    }));
    let cases = ws.cases.len();
    let fill = |i: usize, out: &mut String| match ws.cases.get(i) {
        Some(c) => c.write_haystack(out),
        None => out.push_str(others.get(i - cases).map_or("", |x| x.1.as_str())),
    };
    let hits = crate::search::rank_each(query, cases + others.len(), fill, limit);
    let item = |i: usize| {
        if let Some(c) = ws.cases.get(i) {
            make("failure", c.id, c.summary)
        } else {
            let x = &others[i - cases].0;
            make(x.kind, x.id, x.title)
        }
    };
    if json {
        let out: Vec<_> = hits
            .iter()
            .map(|h| {
                let i = &item(h.index);
                serde_json::json!({ "kind": i.kind, "id": i.id, "title": i.title, "score": h.score, "status": status(ws, i) })
            })
            .collect();
        output::print_json(&serde_json::Value::Array(out))?;
    } else {
        let rows: Vec<Vec<String>> = hits
            .iter()
            .map(|h| item(h.index))
            .map(|i| vec![i.kind.to_owned(), i.id.to_owned(), i.title.to_owned()])
            .collect();
        output::print_table(&["KIND", "ID", "TITLE"], &rows)?;
    }
    Ok(ExitCode::SUCCESS)
}

fn status(ws: &crate::model::Workspace, i: &Item<'_>) -> Option<String> {
    match i.kind {
        "failure" => ws.case(i.id).map(|c| c.status.to_string()),
        "runbook" => ws.runbook(i.id).map(|r| r.status.clone()),
        "memo" => ws.memo(i.id).map(|m| m.status.to_string()),
        _ => None,
    }
}
