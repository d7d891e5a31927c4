//! `docket check`: the CI gate.

use super::output;
use crate::model::Level;
use crate::store::Store;
use std::path::Path;
use std::process::ExitCode;

pub fn run(cwd: &Path, json: bool) -> anyhow::Result<ExitCode> {
    let store = Store::open(cwd)?;
    let ws = store.load()?;
    let line_of = |path: &str, key: &str| store.line_of(path, key);
    let mut diags = crate::ops::check::check(&ws, &line_of, &crate::store::now());
    if store.has_repository() {
        diags.extend(store.frozen_memo_changes(&ws)?);
        diags.sort_by(|a, b| (&a.path, a.line).cmp(&(&b.path, b.line)));
    }
    let errors = diags.iter().filter(|d| d.level == Level::Error).count();
    let warnings = diags.len() - errors;
    if json {
        output::print_json(&serde_json::to_value(&diags)?)?;
    } else {
        for d in &diags {
            println!("{}", output::safe(&d.report().to_string()));
        }
        let files = ws.cases.len()
            + ws.runbooks.len()
            + ws.memos.len()
            + ws.runs.len()
            + ws.sets.iter().map(|s| 1 + s.cases.len()).sum::<usize>()
            + 1;
        eprintln!("docket check: {errors} error(s), {warnings} warning(s) in {files} files");
    }
    Ok(if errors > 0 {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}
