//! `docket check`: the CI gate.

use super::output;
use crate::model::{Level, diag};
use crate::store::Store;
use std::path::Path;
use std::process::ExitCode;

/// Runs every rule, applies the levels of `[check]`, and prints what remains.
/// Exit 1 on an error, or with `strict` on any problem at all, so a team can
/// gate on warnings without raising each rule by hand.
pub fn run(cwd: &Path, json: bool, strict: bool) -> anyhow::Result<ExitCode> {
    let store = Store::open(cwd)?;
    let ws = store.load()?;
    let line_of = |path: &str, key: &str| store.line_of(path, key);
    let mut diags = crate::ops::check::check(&ws, &line_of, &crate::store::now());
    if store.has_repository() {
        diags.extend(store.frozen_memo_changes(&ws)?);
        diags.sort_by(|a, b| (&a.path, a.line).cmp(&(&b.path, b.line)));
    }
    let diags = diag::relevel(diags, &ws.config.check);
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
        let gate = if strict && warnings > 0 {
            " (--strict: warnings fail)"
        } else {
            ""
        };
        eprintln!("docket check: {errors} error(s), {warnings} warning(s) in {files} files{gate}");
    }
    Ok(if errors > 0 || (strict && warnings > 0) {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}
