//! The whole workspace as loaded: every parsed item plus every diagnostic.
//!
//! Files are parsed one by one with [`parse_file`] (so the store can spread
//! them over threads or serve them from a cache) and gathered with
//! [`Workspace::add`].

use super::diag::Diagnostic;
use super::rule::Rule;
use super::table::{CaseRef, CaseTable, NewCase};
use super::{Config, EvalRun, EvalSet, FailureCase, Memo, Runbook, SetCase, parse, set};

/// What a workspace-relative path holds, by the layout of docs/format.md ("Layout").
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Config,
    Runbook,
    Memo,
    Failure,
    Set,
    SetCase,
    Run,
}

/// Classifies a workspace-relative path (`/`-separated). `None` for files
/// docket does not own.
#[must_use]
pub fn classify(path: &str) -> Option<Kind> {
    let parts: Vec<&str> = path.split('/').collect();
    match parts.as_slice() {
        ["docket.toml"] => Some(Kind::Config),
        ["runbooks", f] if f.ends_with(".md") => Some(Kind::Runbook),
        ["memos", f] if f.ends_with(".md") => Some(Kind::Memo),
        ["evals", "failures", _, f] if f.ends_with(".toml") => Some(Kind::Failure),
        ["evals", "sets", _, "set.toml"] => Some(Kind::Set),
        ["evals", "sets", _, "cases", f] if f.ends_with(".toml") => Some(Kind::SetCase),
        ["evals", "runs", _, f] if f.ends_with(".toml") => Some(Kind::Run),
        _ => None,
    }
}

/// One parsed file.
#[derive(Debug, Clone)]
pub enum Parsed {
    Runbook(Runbook),
    Memo(Memo),
    Failure(FailureCase),
    Set(EvalSet),
    SetCase(SetCase),
    Run(EvalRun),
}

/// Parses one file of a known kind. `Ok(None)` for a config file, which the
/// store loads first on its own.
#[must_use]
pub fn parse_file(kind: Kind, path: &str, bytes: &[u8]) -> (Option<Parsed>, Vec<Diagnostic>) {
    let text = match parse::utf8(path, bytes) {
        Ok(t) => t,
        Err(d) => return (None, vec![d]),
    };
    let result = match kind {
        Kind::Config => return (None, Vec::new()),
        Kind::Runbook => Runbook::parse(path, text).map(|(v, d)| (Parsed::Runbook(v), d)),
        Kind::Memo => Memo::parse(path, text).map(|(v, d)| (Parsed::Memo(v), d)),
        Kind::Failure => FailureCase::parse(path, text).map(|(v, d)| (Parsed::Failure(v), d)),
        Kind::Set => EvalSet::parse(path, text).map(|(v, d)| (Parsed::Set(v), d)),
        Kind::SetCase => SetCase::parse(path, text).map(|(v, d)| (Parsed::SetCase(v), d)),
        Kind::Run => EvalRun::parse(path, text).map(|(v, d)| (Parsed::Run(v), d)),
    };
    match result {
        Ok((p, d)) => (Some(p), d),
        Err(d) => (None, vec![d]),
    }
}

/// Drops items whose id repeats an earlier one (the list is sorted by id),
/// reporting each: two files claiming one id would make every lookup
/// ambiguous.
fn dedup_ids<T>(
    items: &mut Vec<T>,
    key: impl Fn(&T) -> (&String, &String),
    kind: &str,
    diags: &mut Vec<Diagnostic>,
) {
    let mut kept: Vec<T> = Vec::with_capacity(items.len());
    for item in items.drain(..) {
        if let Some(prev) = kept.last() {
            let ((id, first), (next_id, path)) = (key(prev), key(&item));
            if id == next_id {
                diags.push(duplicate(kind, id, path, first));
                continue;
            }
        }
        kept.push(item);
    }
    *items = kept;
}

fn duplicate(kind: &str, id: &str, path: &str, first: &str) -> Diagnostic {
    Diagnostic::new(
        Rule::DuplicateId,
        path,
        1,
        format!(
            "duplicate {kind} id {id:?}: also defined by {}",
            first.escape_debug()
        ),
    )
}

/// Inserts `item` into a list kept sorted by `key`.
fn put<T>(v: &mut Vec<T>, item: T, key: impl Fn(&T) -> &str) {
    let i = v.partition_point(|x| key(x) < key(&item));
    v.insert(i, item);
}

#[derive(Debug, Clone)]
pub struct Workspace {
    pub config: Config,
    pub runbooks: Vec<Runbook>,
    pub memos: Vec<Memo>,
    /// Failure cases as compact rows; a case's body is read when opened.
    pub cases: CaseTable,
    pub sets: Vec<EvalSet>,
    pub runs: Vec<EvalRun>,
    pub diagnostics: Vec<Diagnostic>,
    /// Whether `docket.toml` failed to parse and `config` is a stand-in: rules
    /// that depend on the taxonomy are then skipped rather than flooding the
    /// report.
    pub config_broken: bool,
    /// Set cases seen before their set; attached by [`Workspace::finish`].
    pending_set_cases: Vec<SetCase>,
}

impl Workspace {
    #[must_use]
    pub fn new(config: Config, diagnostics: Vec<Diagnostic>) -> Self {
        Self {
            config,
            runbooks: Vec::new(),
            memos: Vec::new(),
            cases: CaseTable::default(),
            sets: Vec::new(),
            runs: Vec::new(),
            diagnostics,
            config_broken: false,
            pending_set_cases: Vec::new(),
        }
    }

    pub fn add(&mut self, parsed: Option<Parsed>, diags: Vec<Diagnostic>) {
        self.diagnostics.extend(diags);
        match parsed {
            None => {}
            Some(Parsed::Runbook(v)) => self.runbooks.push(v),
            Some(Parsed::Memo(v)) => self.memos.push(v),
            Some(Parsed::Failure(v)) => self.cases.push(&NewCase::of(&v)),
            Some(Parsed::Set(v)) => self.sets.push(v),
            Some(Parsed::SetCase(v)) => self.pending_set_cases.push(v),
            Some(Parsed::Run(v)) => self.runs.push(v),
        }
    }

    /// Adds a case's row (read from the store's cache) and the diagnostics
    /// of its file.
    pub fn add_row(&mut self, case: Option<&NewCase<'_>>, diags: Vec<Diagnostic>) {
        self.diagnostics.extend(diags);
        if let Some(c) = case {
            self.cases.push(c);
        }
    }

    /// Sorts everything into a stable order, attaches set cases to their sets
    /// and reports the ones whose set is missing.
    pub fn finish(&mut self) {
        self.sets.sort_by(|a, b| a.id.cmp(&b.id));
        for case in std::mem::take(&mut self.pending_set_cases) {
            let owner = set::set_id_of(&case.path).unwrap_or("");
            match self.sets.binary_search_by(|s| s.id.as_str().cmp(owner)) {
                Ok(i) => self.sets[i].cases.push(case),
                Err(_) => self.diagnostics.push(Diagnostic::new(
                    Rule::OrphanSetCase,
                    &case.path,
                    1,
                    format!("case belongs to set {owner:?}, which has no set.toml"),
                )),
            }
        }
        for s in &mut self.sets {
            s.cases.sort_by(|a, b| a.id.cmp(&b.id));
        }
        self.runbooks.sort_by(|a, b| a.id.cmp(&b.id));
        self.memos.sort_by(|a, b| a.id.cmp(&b.id));
        for (id, path, first) in self.cases.sort() {
            self.diagnostics.push(duplicate("case", &id, &path, &first));
        }
        dedup_ids(
            &mut self.memos,
            |m| (&m.id, &m.path),
            "memo",
            &mut self.diagnostics,
        );
        self.runs
            .sort_by(|a, b| (&a.set, &a.id).cmp(&(&b.set, &b.id)));
        self.diagnostics
            .sort_by(|a, b| (&a.path, a.line).cmp(&(&b.path, b.line)));
    }

    /// Replaces (or inserts) one re-parsed file in a finished workspace, as
    /// after an edit, keeping every list sorted. Diagnostics of that path are
    /// replaced by `diags`.
    pub fn upsert(&mut self, path: &str, parsed: Option<Parsed>, diags: Vec<Diagnostic>) {
        // A re-read set.toml keeps the set's cases, which live in other files.
        let kept_cases = self
            .sets
            .iter_mut()
            .find(|x| x.path == path)
            .map(|x| std::mem::take(&mut x.cases));
        self.remove_path(path);
        self.diagnostics.extend(diags);
        let Some(parsed) = parsed else { return };
        match parsed {
            Parsed::Runbook(r) => put(&mut self.runbooks, r, |x| &x.id),
            Parsed::Memo(m) => put(&mut self.memos, m, |x| &x.id),
            Parsed::Failure(c) => {
                if let Some((id, dropped, kept)) = self.cases.upsert(&NewCase::of(&c)) {
                    self.diagnostics
                        .push(duplicate("case", &id, &dropped, &kept));
                }
            }
            Parsed::Set(mut s) => {
                s.cases = kept_cases.unwrap_or_default();
                put(&mut self.sets, s, |x| &x.id);
            }
            Parsed::SetCase(c) => {
                let owner = set::set_id_of(&c.path).unwrap_or("").to_owned();
                if let Ok(i) = self.sets.binary_search_by(|x| x.id.as_str().cmp(&owner)) {
                    put(&mut self.sets[i].cases, c, |x| &x.id);
                }
            }
            Parsed::Run(r) => {
                let i = self
                    .runs
                    .partition_point(|x| (&x.set, &x.id) < (&r.set, &r.id));
                self.runs.insert(i, r);
            }
        }
    }

    /// Forgets whatever was loaded from `path` (a deleted file), with its
    /// diagnostics.
    pub fn remove_path(&mut self, path: &str) {
        self.diagnostics.retain(|d| d.path != path);
        self.runbooks.retain(|x| x.path != path);
        self.memos.retain(|x| x.path != path);
        self.cases.remove_path(path);
        self.runs.retain(|x| x.path != path);
        if let Some(i) = self.sets.iter().position(|x| x.path == path) {
            self.sets.remove(i);
        }
        for s in &mut self.sets {
            s.cases.retain(|x| x.path != path);
        }
    }

    #[must_use]
    pub fn case(&self, id: &str) -> Option<CaseRef<'_>> {
        self.cases.get(self.cases.position(id)?)
    }

    /// The loaded case filed at `path` (not a duplicate dropped elsewhere).
    #[must_use]
    pub fn case_by_path(&self, path: &str) -> Option<CaseRef<'_>> {
        let (folder, id) = super::table::folder_and_id(path)?;
        self.case(id).filter(|c| c.folder == folder)
    }

    #[must_use]
    pub fn set(&self, id: &str) -> Option<&EvalSet> {
        self.sets
            .binary_search_by(|s| s.id.as_str().cmp(id))
            .ok()
            .map(|i| &self.sets[i])
    }

    #[must_use]
    pub fn runbook(&self, id: &str) -> Option<&Runbook> {
        self.runbooks.iter().find(|r| r.id == id)
    }

    #[must_use]
    pub fn memo(&self, id: &str) -> Option<&Memo> {
        self.memos.iter().find(|m| m.id == id)
    }

    /// Runs of one set, oldest first.
    pub fn runs_of<'a>(&'a self, set: &'a str) -> impl Iterator<Item = &'a EvalRun> + 'a {
        self.runs.iter().filter(move |r| r.set == set)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn classifies_layout() {
        assert_eq!(classify("docket.toml"), Some(Kind::Config));
        assert_eq!(classify("runbooks/a.md"), Some(Kind::Runbook));
        assert_eq!(classify("memos/0001-a.md"), Some(Kind::Memo));
        assert_eq!(
            classify("evals/failures/2026-11/a.toml"),
            Some(Kind::Failure)
        );
        assert_eq!(classify("evals/sets/s/set.toml"), Some(Kind::Set));
        assert_eq!(classify("evals/sets/s/cases/a.toml"), Some(Kind::SetCase));
        assert_eq!(classify("evals/runs/s/r.toml"), Some(Kind::Run));
        assert_eq!(classify("evals/failures/a.toml"), None);
        assert_eq!(classify("runbooks/notes.txt"), None);
        assert_eq!(classify("README.md"), None);
    }

    #[test]
    fn upserting_a_set_keeps_its_cases() {
        let cfg = Config::parse("[workspace]\nname = \"w\"\n").unwrap().0;
        let mut ws = Workspace::new(cfg, Vec::new());
        let set = "id = \"s\"\ntitle = \"t\"\nowner = \"o\"\nrunbook = \"r\"\nversion = 1\nmin_pass_rate = 0.9\n";
        let (p, d) = parse_file(Kind::Set, "evals/sets/s/set.toml", set.as_bytes());
        ws.add(p, d);
        let (p, d) = parse_file(
            Kind::SetCase,
            "evals/sets/s/cases/c.toml",
            b"id = \"c\"\n[input]\nprompt = \"p\"\n",
        );
        ws.add(p, d);
        ws.finish();
        let (p, d) = parse_file(
            Kind::Set,
            "evals/sets/s/set.toml",
            set.replace("version = 1", "version = 2").as_bytes(),
        );
        ws.upsert("evals/sets/s/set.toml", p, d);
        assert_eq!(ws.sets[0].version, 2);
        assert_eq!(ws.sets[0].cases.len(), 1);
    }

    #[test]
    fn duplicate_ids_are_reported() {
        let text = crate::model::case::tests::SAMPLE;
        let cfg = Config::parse("[workspace]\nname = \"w\"\n").unwrap().0;
        let mut ws = Workspace::new(cfg, Vec::new());
        for month in ["2026-11", "2026-10"] {
            let path = format!("evals/failures/{month}/billing-tier1-0042.toml");
            let (p, d) = parse_file(Kind::Failure, &path, text.as_bytes());
            ws.add(p, d);
        }
        ws.finish();
        assert_eq!(ws.cases.len(), 1);
        assert!(
            ws.diagnostics
                .iter()
                .any(|d| d.message.starts_with("duplicate case id")),
            "{:?}",
            ws.diagnostics
        );
    }

    #[test]
    fn bad_file_is_reported_and_skipped() {
        let (p, d) = parse_file(Kind::Failure, "evals/failures/2026-11/x.toml", b"id = \n");
        assert!(p.is_none());
        assert_eq!(d.len(), 1);
        assert!(
            d[0].to_string()
                .starts_with("evals/failures/2026-11/x.toml:1: "),
            "{}",
            d[0]
        );
    }
}
