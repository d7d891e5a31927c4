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
    // Cases are matched straight from the table's rows; the few other
    // items get haystacks of their own, after them.
    let mut items: Vec<Item> = Vec::with_capacity(64);
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
    let cases = ws.cases.len();
    let fill = |i: usize, out: &mut String| match ws.cases.get(i) {
        Some(c) => c.write_haystack(out),
        None => out.push_str(items.get(i - cases).map_or("", |x| x.hay.as_str())),
    };
    let hits = crate::search::rank_each(query, cases + items.len(), fill, limit);
    let item = |i: usize| -> Item {
        if let Some(c) = ws.cases.get(i) {
            Item {
                kind: "failure",
                id: c.id.to_owned(),
                title: c.summary.to_owned(),
                hay: String::new(),
            }
        } else {
            let x = &items[i - cases];
            Item {
                kind: x.kind,
                id: x.id.clone(),
                title: x.title.clone(),
                hay: String::new(),
            }
        }
    };
    if json {
        let out: Vec<_> = hits
            .iter()
            .map(|h| {
                let i = &item(h.index);
                serde_json::json!({ "kind": i.kind, "id": i.id, "title": i.title, "score": h.score, "status": status(&ws, i) })
            })
            .collect();
        output::print_json(&serde_json::Value::Array(out))?;
    } else {
        let rows: Vec<Vec<String>> = hits
            .iter()
            .map(|h| item(h.index))
            .map(|i| vec![i.kind.to_owned(), i.id, i.title])
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
