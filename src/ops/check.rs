//! `docket check`: every rule over a loaded workspace, beyond what parsing
//! already reported. Pure: the caller supplies a way to find the line of a
//! key in a file, so diagnostics point at the field at fault.

use crate::model::case::Status;
use crate::model::{Diagnostic, Workspace};
use std::collections::HashSet;

/// Finds the 1-based line of a top-level `key` in the file at `path`.
pub type LineOf<'a> = &'a dyn Fn(&str, &str) -> usize;

/// All problems: the parse diagnostics plus reference and consistency rules,
/// sorted by path and line.
#[must_use]
pub fn check(ws: &Workspace, line: LineOf<'_>) -> Vec<Diagnostic> {
    let mut out = ws.diagnostics.clone();
    let runbooks: HashSet<&str> = ws.runbooks.iter().map(|r| r.id.as_str()).collect();
    let memos: HashSet<&str> = ws.memos.iter().map(|m| m.id.as_str()).collect();
    let failure_paths: HashSet<&str> = ws.cases.iter().map(|c| c.path.as_str()).collect();
    let mut warnings = Vec::new();
    let mut err = |path: &str, key: &str, msg: String| out.push(Diagnostic::error(path, line(path, key), msg));

    for c in &ws.cases {
        if !runbooks.contains(c.agent.as_str()) {
            err(&c.path, "agent", format!("agent {:?} is not a runbook in runbooks/", c.agent));
        }
        for t in &c.tags {
            if ws.config.tag(t).is_none() {
                err(&c.path, "tags", format!("tag {t:?} is not in the taxonomy of docket.toml"));
            }
        }
        if let (Status::Promoted, Some(p)) = (c.status, &c.promotion) {
            match ws.set(&p.set) {
                None => err(&c.path, "promotion", format!("promoted into set {:?}, which does not exist", p.set)),
                Some(s) if !s.cases.iter().any(|sc| sc.id == c.id) => {
                    err(&c.path, "promotion", format!("promoted into {}, but evals/sets/{}/cases/{}.toml is missing", p.set, p.set, c.id));
                }
                Some(_) => {}
            }
        }
    }
    for s in &ws.sets {
        if !runbooks.contains(s.runbook.as_str()) {
            err(&s.path, "runbook", format!("runbook {:?} does not exist", s.runbook));
        }
        for sc in &s.cases {
            let Some(p) = &sc.provenance else { continue };
            if p.added_in_version > s.version {
                err(&sc.path, "provenance", format!("added_in_version {} is later than the set's version {}", p.added_in_version, s.version));
            }
            if !failure_paths.contains(p.failure.as_str()) {
                warnings.push(Diagnostic::warning(&sc.path, line(&sc.path, "provenance"), format!("provenance names {}, which is not a loaded failure case", p.failure)));
            }
            if sc.expected.is_none() {
                err(&sc.path, "id", "an eval case needs [expected] content".to_owned());
            }
        }
    }
    for r in &ws.runs {
        match ws.set(&r.set) {
            None => err(&r.path, "set", format!("set {:?} does not exist", r.set)),
            Some(s) => {
                if r.set_version > s.version {
                    err(&r.path, "set_version", format!("set_version {} is later than the set's version {}", r.set_version, s.version));
                }
            }
        }
    }
    for rb in &ws.runbooks {
        for s in &rb.eval_sets {
            if ws.set(s).is_none() {
                err(&rb.path, "eval_sets", format!("eval set {s:?} does not exist"));
            }
        }
        if let Some(m) = &rb.memo
            && !memos.contains(m.as_str())
        {
            err(&rb.path, "memo", format!("memo {m:?} does not exist"));
        }
    }
    for m in &ws.memos {
        for s in m.supersedes.iter().chain(m.superseded_by.iter()) {
            if !memos.contains(s.as_str()) {
                err(&m.path, "supersedes", format!("memo {s:?} does not exist"));
            }
        }
        for a in &m.agents {
            if !runbooks.contains(a.as_str()) {
                err(&m.path, "agents", format!("agent {a:?} is not a runbook in runbooks/"));
            }
        }
    }
    out.extend(warnings);
    out.sort_by(|a, b| (&a.path, a.line).cmp(&(&b.path, b.line)));
    out.dedup();
    out
}
