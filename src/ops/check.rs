//! `docket check`: every rule over a loaded workspace, beyond what parsing
//! already reported. Pure: the caller supplies a way to find the line of a
//! key in a file, so diagnostics point at the field at fault.

use super::governance;
use crate::model::case::Status;
use crate::model::memo::{MemoStatus, SECTIONS};
use crate::model::{Diagnostic, Rule, Workspace};
use std::collections::HashSet;
use toml::value::Datetime;

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
    /// Reports a problem found by `rule` at the line of `key` in `path`.
    fn report(&mut self, rule: Rule, path: &str, key: &str, msg: String) {
        let line = (self.line)(path, key);
        self.out.push(Diagnostic::new(rule, path, line, msg));
    }

    fn cases(&mut self) {
        let ws = self.ws;
        for c in &ws.cases {
            let path = c.path();
            if !self.runbooks.contains(c.agent) {
                self.report(
                    Rule::BrokenReference,
                    &path,
                    "agent",
                    format!("agent {:?} is not a runbook in runbooks/", c.agent),
                );
            }
            for t in c.tags.iter() {
                if !ws.config_broken && ws.config.tag(t).is_none() {
                    self.report(
                        Rule::BrokenReference,
                        &path,
                        "tags",
                        format!("tag {t:?} is not in the taxonomy of docket.toml"),
                    );
                }
            }
            if let (Status::Promoted, Some(p)) = (c.status, c.promotion) {
                match ws.set(p.set) {
                    None => self.report(
                        Rule::BrokenReference,
                        &path,
                        "promotion",
                        format!("promoted into set {:?}, which does not exist", p.set),
                    ),
                    Some(s) if !s.cases.iter().any(|sc| sc.id == c.id) => {
                        let msg = format!(
                            "promoted into {}, but evals/sets/{}/cases/{}.toml is missing",
                            p.set, p.set, c.id
                        );
                        self.report(Rule::BrokenReference, &path, "promotion", msg);
                    }
                    Some(_) => {}
                }
            }
        }
    }

    fn sets(&mut self) {
        let ws = self.ws;
        let is_failure = |path: &str| ws.case_by_path(path).is_some();
        for s in &ws.sets {
            if !self.runbooks.contains(s.runbook.as_str()) {
                self.report(
                    Rule::BrokenReference,
                    &s.path,
                    "runbook",
                    format!("runbook {:?} does not exist", s.runbook),
                );
            }
            for sc in &s.cases {
                if sc.expected.is_none() {
                    self.report(
                        Rule::MissingExpected,
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
                    self.report(Rule::VersionOrder, &sc.path, "provenance", msg);
                }
                if !is_failure(&p.failure) {
                    self.report(
                        Rule::Provenance,
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
                None => self.report(
                    Rule::BrokenReference,
                    &r.path,
                    "set",
                    format!("set {:?} does not exist", r.set),
                ),
                Some(s) if r.set_version > s.version => {
                    let msg = format!(
                        "set_version {} is later than the set's version {}",
                        r.set_version, s.version
                    );
                    self.report(Rule::VersionOrder, &r.path, "set_version", msg);
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
                    self.report(
                        Rule::BrokenReference,
                        &rb.path,
                        "eval_sets",
                        format!("eval set {s:?} does not exist"),
                    );
                }
            }
            if let Some(m) = &rb.memo
                && !self.memos.contains(m.as_str())
            {
                self.report(
                    Rule::BrokenReference,
                    &rb.path,
                    "memo",
                    format!("memo {m:?} does not exist"),
                );
            }
        }
        for m in &ws.memos {
            for s in &m.supersedes {
                if !self.memos.contains(s.as_str()) {
                    self.report(
                        Rule::BrokenReference,
                        &m.path,
                        "supersedes",
                        format!("memo {s:?} does not exist"),
                    );
                }
            }
            if let Some(s) = &m.superseded_by
                && !self.memos.contains(s.as_str())
            {
                self.report(
                    Rule::BrokenReference,
                    &m.path,
                    "superseded_by",
                    format!("memo {s:?} does not exist"),
                );
            }
            for a in &m.agents {
                if !self.runbooks.contains(a.as_str()) {
                    self.report(
                        Rule::BrokenReference,
                        &m.path,
                        "agents",
                        format!("agent {a:?} is not a runbook in runbooks/"),
                    );
                }
            }
        }
    }
}

impl Checker<'_> {
    fn governance(&mut self, today: &Datetime) {
        let ws = self.ws;
        for rb in ws.runbooks.iter().filter(|r| r.status == "active") {
            for c in governance::readiness(ws, rb, today)
                .into_iter()
                .filter(|c| !c.ok)
            {
                let key = match c.name {
                    "data access" => {
                        if rb.owner.is_none() {
                            "owner"
                        } else {
                            "memo"
                        }
                    }
                    "evaluation" => "eval_sets",
                    "human approvals" => "actions",
                    "observability" => "audit",
                    _ => "kill_switch",
                };
                self.report(
                    Rule::LaunchReadiness,
                    &rb.path,
                    key,
                    format!(
                        "active runbook {} is not launch-ready ({}): {}",
                        rb.id, c.name, c.reason
                    ),
                );
            }
        }
        for m in &ws.memos {
            if matches!(m.status, MemoStatus::Draft) {
                continue;
            }
            let sections = m.sections();
            for name in SECTIONS {
                match sections.iter().find(|s| s.title.eq_ignore_ascii_case(name)) {
                    None => self.report(
                        Rule::MemoSections,
                        &m.path,
                        "id",
                        format!(
                            "memo {} is {} but has no \"## {name}\" section",
                            m.id, m.status
                        ),
                    ),
                    Some(s) if s.empty => {
                        let line = s.line;
                        self.out.push(Diagnostic::new(
                            Rule::MemoSections,
                            &m.path,
                            line,
                            format!(
                                "memo {} is {} but its \"{name}\" section is empty",
                                m.id, m.status
                            ),
                        ));
                    }
                    Some(_) => {}
                }
            }
        }
        for u in governance::uncovered_incidents(ws, today) {
            let msg = format!(
                "incident {} has no promoted eval case {} days after its first failure (review cadence {} days): promote one of {}",
                u.incident,
                u.days,
                ws.config.review.cadence_days,
                u.cases.join(", ")
            );
            self.report(Rule::IncidentCoverage, &u.path, "incident", msg);
        }
        for st in governance::stale(ws, today) {
            self.report(st.rule, &st.path, st.key, st.message);
        }
    }
}

/// All problems: the parse diagnostics, reference and consistency rules,
/// and the governance rules as of `today`, sorted by path and line.
#[must_use]
pub fn check(ws: &Workspace, line: LineOf<'_>, today: &Datetime) -> Vec<Diagnostic> {
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
    c.governance(today);
    let mut out = c.out;
    out.sort_by(|a, b| (&a.path, a.line).cmp(&(&b.path, b.line)));
    out.dedup();
    out
}
