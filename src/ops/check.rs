//! `docket check`: every rule over a loaded workspace, beyond what parsing
//! already reported. Pure: the caller supplies a way to find the line of a
//! key in a file, so diagnostics point at the field at fault.

use crate::model::case::Status;
use crate::model::{Diagnostic, Workspace};
use std::collections::HashSet;

/// Finds the 1-based line of a top-level `key` in the file at `path`.
pub type LineOf<'a> = &'a dyn Fn(&str, &str) -> usize;

struct Checker<'a> {
    ws: &'a Workspace,
    line: LineOf<'a>,
    runbooks: HashSet<&'a str>,
    memos: HashSet<&'a str>,
    out: Vec<Diagnostic>,
}

impl Checker<'_> {
    fn error(&mut self, path: &str, key: &str, msg: String) {
        let line = (self.line)(path, key);
        self.out.push(Diagnostic::error(path, line, msg));
    }

    fn warning(&mut self, path: &str, key: &str, msg: String) {
        let line = (self.line)(path, key);
        self.out.push(Diagnostic::warning(path, line, msg));
    }

    fn cases(&mut self) {
        let ws = self.ws;
        for c in &ws.cases {
            if !self.runbooks.contains(c.agent.as_str()) {
                self.error(
                    &c.path,
                    "agent",
                    format!("agent {:?} is not a runbook in runbooks/", c.agent),
                );
            }
            for t in &c.tags {
                if !ws.config_broken && ws.config.tag(t).is_none() {
                    self.error(
                        &c.path,
                        "tags",
                        format!("tag {t:?} is not in the taxonomy of docket.toml"),
                    );
                }
            }
            if let (Status::Promoted, Some(p)) = (c.status, &c.promotion) {
                match ws.set(&p.set) {
                    None => self.error(
                        &c.path,
                        "promotion",
                        format!("promoted into set {:?}, which does not exist", p.set),
                    ),
                    Some(s) if !s.cases.iter().any(|sc| sc.id == c.id) => {
                        let msg = format!(
                            "promoted into {}, but evals/sets/{}/cases/{}.toml is missing",
                            p.set, p.set, c.id
                        );
                        self.error(&c.path, "promotion", msg);
                    }
                    Some(_) => {}
                }
            }
        }
    }

    fn sets(&mut self) {
        let ws = self.ws;
        let failure_paths: HashSet<&str> = ws.cases.iter().map(|c| c.path.as_str()).collect();
        for s in &ws.sets {
            if !self.runbooks.contains(s.runbook.as_str()) {
                self.error(
                    &s.path,
                    "runbook",
                    format!("runbook {:?} does not exist", s.runbook),
                );
            }
            for sc in &s.cases {
                if sc.expected.is_none() {
                    self.error(
                        &sc.path,
                        "id",
                        "an eval case needs [expected] content".to_owned(),
                    );
                }
                let Some(p) = &sc.provenance else { continue };
                if p.added_in_version > s.version {
                    let msg = format!(
                        "added_in_version {} is later than the set's version {}",
                        p.added_in_version, s.version
                    );
                    self.error(&sc.path, "provenance", msg);
                }
                if !failure_paths.contains(p.failure.as_str()) {
                    self.warning(
                        &sc.path,
                        "provenance",
                        format!(
                            "provenance names {}, which is not a loaded failure case",
                            p.failure
                        ),
                    );
                }
            }
        }
        for r in &ws.runs {
            match ws.set(&r.set) {
                None => self.error(&r.path, "set", format!("set {:?} does not exist", r.set)),
                Some(s) if r.set_version > s.version => {
                    let msg = format!(
                        "set_version {} is later than the set's version {}",
                        r.set_version, s.version
                    );
                    self.error(&r.path, "set_version", msg);
                }
                Some(_) => {}
            }
        }
    }

    fn runbooks_and_memos(&mut self) {
        let ws = self.ws;
        for rb in &ws.runbooks {
            for s in &rb.eval_sets {
                if ws.set(s).is_none() {
                    self.error(
                        &rb.path,
                        "eval_sets",
                        format!("eval set {s:?} does not exist"),
                    );
                }
            }
            if let Some(m) = &rb.memo
                && !self.memos.contains(m.as_str())
            {
                self.error(&rb.path, "memo", format!("memo {m:?} does not exist"));
            }
        }
        for m in &ws.memos {
            for s in &m.supersedes {
                if !self.memos.contains(s.as_str()) {
                    self.error(&m.path, "supersedes", format!("memo {s:?} does not exist"));
                }
            }
            if let Some(s) = &m.superseded_by
                && !self.memos.contains(s.as_str())
            {
                self.error(
                    &m.path,
                    "superseded_by",
                    format!("memo {s:?} does not exist"),
                );
            }
            for a in &m.agents {
                if !self.runbooks.contains(a.as_str()) {
                    self.error(
                        &m.path,
                        "agents",
                        format!("agent {a:?} is not a runbook in runbooks/"),
                    );
                }
            }
        }
    }
}

/// All problems: the parse diagnostics plus reference and consistency rules,
/// sorted by path and line.
#[must_use]
pub fn check(ws: &Workspace, line: LineOf<'_>) -> Vec<Diagnostic> {
    let mut c = Checker {
        ws,
        line,
        runbooks: ws.runbooks.iter().map(|r| r.id.as_str()).collect(),
        memos: ws.memos.iter().map(|m| m.id.as_str()).collect(),
        out: ws.diagnostics.clone(),
    };
    c.cases();
    c.sets();
    c.runbooks_and_memos();
    let mut out = c.out;
    out.sort_by(|a, b| (&a.path, a.line).cmp(&(&b.path, b.line)));
    out.dedup();
    out
}
