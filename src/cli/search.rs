//! `docket search QUERY`: fuzzy search over cases, sets, runbooks, memos and
//! tags, best first.

use super::output;
use crate::store::Store;
use std::path::Path;
use std::process::ExitCode;

struct Item {
    kind: &'static str,
    id: String,
    title: String,
    hay: String,
}

pub fn run(cwd: &Path, query: &str, limit: usize, json: bool) -> anyhow::Result<ExitCode> {
    let store = Store::open(cwd)?;
    let ws = store.load()?;
    output::warn_skipped(&ws);
    let mut items: Vec<Item> = Vec::with_capacity(ws.cases.len() + 64);
    items.extend(ws.cases.iter().map(|c| Item {
        kind: "failure",
        id: c.id.to_owned(),
        title: c.summary.to_owned(),
        hay: c.haystack(),
    }));
    items.extend(ws.sets.iter().map(|s| Item {
        kind: "set",
        id: s.id.clone(),
        title: s.title.clone(),
        hay: s.haystack(),
    }));
    items.extend(ws.runbooks.iter().map(|r| Item {
        kind: "runbook",
        id: r.id.clone(),
        title: r.title.clone(),
        hay: r.haystack(),
    }));
    items.extend(ws.memos.iter().map(|m| Item {
        kind: "memo",
        id: m.id.clone(),
        title: m.title.clone(),
        hay: m.haystack(),
    }));
    items.extend(ws.config.tags.iter().map(|t| Item {
        kind: "tag",
        id: t.name.clone(),
        title: t.description.clone(),
        hay: format!("{} {}", t.name, t.description),
    }));
    let hays: Vec<&str> = items.iter().map(|i| i.hay.as_str()).collect();
    let hits = crate::search::rank(query, &hays, limit);
    if json {
        let out: Vec<_> = hits
            .iter()
            .map(|h| {
                let i = &items[h.index];
                serde_json::json!({ "kind": i.kind, "id": i.id, "title": i.title, "score": h.score, "status": status(&ws, i) })
            })
            .collect();
        output::print_json(&serde_json::Value::Array(out))?;
    } else {
        let rows: Vec<Vec<String>> = hits
            .iter()
            .map(|h| &items[h.index])
            .map(|i| vec![i.kind.to_owned(), i.id.clone(), i.title.clone()])
            .collect();
        output::print_table(&["KIND", "ID", "TITLE"], &rows)?;
    }
    Ok(ExitCode::SUCCESS)
}

fn status(ws: &crate::model::Workspace, i: &Item) -> Option<String> {
    match i.kind {
        "failure" => ws.case(&i.id).map(|c| c.status.to_string()),
        "runbook" => ws.runbook(&i.id).map(|r| r.status.clone()),
        "memo" => ws.memo(&i.id).map(|m| m.status.to_string()),
        _ => None,
    }
}
