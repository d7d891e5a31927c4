//! `docket log ID`: one case's, set's, runbook's or memo's timeline from
//! git — every commit reachable from HEAD that changed its files, in time
//! order (all branches merged in, not only the first-parent line), with who
//! made it, the trailers about the item, whether a hand edit slipped in, and
//! who signed it. Typed, so the UI's history view can show the same.

use super::changes::{Differ, Dir, Kind, Scope};
use super::verify::{Signature, Verifier};
use super::{Store, StoreError, git};
use crate::ops::Action;
use crate::ops::trailer::{Trailers, Verdict};

/// What an id names.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ItemKind {
    Case,
    Set,
    Runbook,
    Memo,
}

impl ItemKind {
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Case => "case",
            Self::Set => "set",
            Self::Runbook => "runbook",
            Self::Memo => "memo",
        }
    }
}

/// One commit of the timeline.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TimelineEntry {
    pub commit: String,
    pub author_name: String,
    pub author_email: String,
    /// Author time, Unix seconds.
    pub time: i64,
    pub summary: String,
    /// The commit's `Docket-Action` trailers about this item.
    pub actions: Vec<Action>,
    /// Its `Docket-Verdict` trailers about this item.
    pub verdicts: Vec<Verdict>,
    /// The item's files it changed (workspace-relative).
    pub files: Vec<(String, Kind)>,
    /// Those of `files` no trailer of the commit accounts for: changed by
    /// hand (git, an editor) and committed without docket.
    pub hand_edited: Vec<String>,
    pub signature: Signature,
}

/// An item's history, newest first.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Timeline {
    /// The id as found (a memo's as four digits).
    pub id: String,
    /// What the id names in the work tree: usually one kind, but a case
    /// and a set may share an id.
    pub kinds: Vec<ItemKind>,
    pub entries: Vec<TimelineEntry>,
}

impl Store {
    /// The timeline of the case, set, runbook or memo `id`, found in the
    /// work tree. An id naming none of them is [`StoreError::NotFound`].
    pub fn timeline(&self, id: &str) -> Result<Timeline, StoreError> {
        let (_, _, prefix) = self.work()?;
        let (id, kinds) = self.kinds_of(id)?;
        let dir = |path: &str, leaf: Option<String>| Dir {
            path: format!("{prefix}{path}"),
            leaf,
        };
        let mut dirs = Vec::new();
        for k in &kinds {
            match k {
                ItemKind::Case => {
                    dirs.push(dir("evals/failures", Some(format!("{id}.toml"))));
                    dirs.push(dir("evals/sets", Some(format!("cases/{id}.toml"))));
                }
                ItemKind::Set => dirs.push(dir(&format!("evals/sets/{id}"), None)),
                ItemKind::Runbook => dirs.push(dir("runbooks", None)),
                ItemKind::Memo => dirs.push(dir("memos", None)),
            }
        }
        let keep = |path: &str| {
            path.strip_prefix(prefix)
                .is_some_and(|p| kinds.iter().any(|k| is_of(*k, &id, p)))
        };
        let scope = Scope { dirs, keep: &keep };
        let repo = self.repository()?;
        let mut entries = Vec::new();
        if git::head_commit(&repo)?.is_some() {
            let verifier = Verifier::new(&repo);
            let mut differ = Differ::new(&repo)?;
            let mut walk = repo.revwalk()?;
            walk.push_head()?;
            walk.set_sorting(git2::Sort::TIME)?;
            for oid in walk {
                let commit = repo.find_commit(oid?)?;
                let files: Vec<(String, Kind)> = differ
                    .changed(&commit, &scope)?
                    .into_iter()
                    .filter_map(|(p, k)| Some((p.strip_prefix(prefix)?.to_owned(), k)))
                    .collect();
                let trailers = Trailers::parse(commit.message().unwrap_or(""));
                // A verdict may be recorded without changing a file.
                let named = trailers.actions.iter().any(|a| a.names(&id))
                    || trailers.verdicts.iter().any(|v| v.case == id);
                if files.is_empty() && !named {
                    continue;
                }
                entries.push(entry(&commit, &trailers, &id, files, &verifier, &repo));
            }
        }
        Ok(Timeline { id, kinds, entries })
    }

    /// What `id` names in the work tree, and the id as found there.
    fn kinds_of(&self, id: &str) -> Result<(String, Vec<ItemKind>), StoreError> {
        let mut kinds = Vec::new();
        if crate::model::ids::is_valid(id) {
            if self.find_case(id).is_ok() {
                kinds.push(ItemKind::Case);
            }
            if self.exists(&format!("evals/sets/{id}/set.toml")) {
                kinds.push(ItemKind::Set);
            }
            if self.exists(&format!("runbooks/{id}.md")) {
                kinds.push(ItemKind::Runbook);
            }
        }
        if kinds.is_empty()
            && let Ok(memo) = self.find_memo(id)
        {
            let name = memo.path.trim_start_matches("memos/");
            let num = name.get(..4).unwrap_or(name).to_owned();
            return Ok((num, vec![ItemKind::Memo]));
        }
        if kinds.is_empty() {
            return Err(StoreError::NotFound {
                kind: "case, set, runbook or memo",
                id: id.to_owned(),
            });
        }
        Ok((id.to_owned(), kinds))
    }
}

/// Whether `path` (workspace-relative) is a file of item `id` of `kind`:
/// a case's failure file (in any month) and its copies in sets, a set's
/// folder, a runbook's or memo's file.
fn is_of(kind: ItemKind, id: &str, path: &str) -> bool {
    let parts: Vec<&str> = path.split('/').collect();
    let file = format!("{id}.toml");
    match (kind, parts.as_slice()) {
        (ItemKind::Case, ["evals", "failures", _, f] | ["evals", "sets", _, "cases", f]) => {
            *f == file
        }
        (ItemKind::Set, ["evals", "sets", s, ..]) => *s == id,
        (ItemKind::Runbook, ["runbooks", f]) => *f == format!("{id}.md"),
        (ItemKind::Memo, ["memos", f]) => {
            f.ends_with(".md") && f.strip_prefix(id).is_some_and(|r| r.starts_with('-'))
        }
        _ => false,
    }
}

fn entry(
    commit: &git2::Commit<'_>,
    trailers: &Trailers,
    id: &str,
    files: Vec<(String, Kind)>,
    verifier: &Verifier,
    repo: &git2::Repository,
) -> TimelineEntry {
    let a = commit.author();
    let hand_edited = files
        .iter()
        .filter(|(p, k)| !trailers.covers(p, *k == Kind::Added))
        .map(|(p, _)| p.clone())
        .collect();
    let actions = trailers
        .actions
        .iter()
        .filter(|a| a.names(id) || files.iter().any(|(p, k)| a.covers(p, *k == Kind::Added)))
        .cloned()
        .collect();
    TimelineEntry {
        commit: commit.id().to_string(),
        author_name: a.name().unwrap_or("").to_owned(),
        author_email: a.email().unwrap_or("").to_owned(),
        time: a.when().seconds(),
        summary: commit.summary().ok().flatten().unwrap_or("").to_owned(),
        actions,
        verdicts: trailers
            .verdicts
            .iter()
            .filter(|v| v.case == id)
            .cloned()
            .collect(),
        files,
        hand_edited,
        signature: verifier.check(repo, commit.id()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_files_of_an_item() {
        let case = |p| is_of(ItemKind::Case, "c-1", p);
        assert!(case("evals/failures/2026-11/c-1.toml"));
        assert!(case("evals/sets/s/cases/c-1.toml"));
        assert!(!case("evals/failures/2026-11/c-10.toml"));
        assert!(!case("evals/sets/s/set.toml"));
        assert!(is_of(ItemKind::Set, "s", "evals/sets/s/set.toml"));
        assert!(is_of(ItemKind::Set, "s", "evals/sets/s/cases/x.toml"));
        assert!(!is_of(ItemKind::Set, "s", "evals/sets/s2/set.toml"));
        assert!(is_of(ItemKind::Runbook, "r", "runbooks/r.md"));
        assert!(is_of(ItemKind::Memo, "0007", "memos/0007-let-it-tag.md"));
        assert!(!is_of(ItemKind::Memo, "0007", "memos/00070-x.md"));
    }
}
