//! `docket set diff`: what happened to one eval set between two points of
//! HEAD's history — the cases added, removed and changed, each with the
//! commits of the range that touched it and the `Docket-Action` trailers
//! that explain why. Read-only; the range syntax and how its ends resolve
//! live in `range.rs`. Every call reopens the repository, so the UI can run
//! it on its worker.

pub(super) mod range;

use super::{Store, StoreError, git};
use git2::{Oid, Repository, Tree};
use std::collections::BTreeMap;
use std::path::Path;

/// One end of the range, resolved.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Point {
    /// What the user wrote, or what the default chose: `v5`,
    /// `review/2026-11-20`, `HEAD`.
    pub label: String,
    pub commit: String,
    /// The set's `version` in that commit (`None`: no readable set.toml).
    pub version: Option<u64>,
    pub chosen: Chosen,
}

/// How an end of the range was chosen, so a reader can be told what
/// "since" means when they gave no range.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Chosen {
    /// Written by the user.
    Given,
    /// The default start: the newest `review/*` tag in HEAD's history.
    LastReview,
    /// The default start when no review was tagged: the oldest commit
    /// that has the set.
    FirstVersion,
    /// The default end.
    Head,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Change {
    Added,
    Removed,
    Changed,
}

impl Change {
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Added => "added",
            Self::Removed => "removed",
            Self::Changed => "changed",
        }
    }
}

/// A commit of the range that touched a case file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Touch {
    pub commit: String,
    pub summary: String,
    /// `Name <email>`.
    pub author: String,
    /// Author time, Unix seconds.
    pub time: i64,
    /// The commit's `Docket-Action` trailers that concern this case; empty
    /// when the change was made by hand (git, an editor).
    pub actions: Vec<String>,
}

/// One case that differs between the two ends.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CaseDiff {
    /// The file stem (the case id when the file is valid).
    pub id: String,
    /// Workspace-relative path of the case file.
    pub path: String,
    pub change: Change,
    /// The commits of the range that touched the file, oldest first.
    pub commits: Vec<Touch>,
    /// The unified diff of a changed case (empty for added and removed).
    pub patch: Vec<String>,
}

impl CaseDiff {
    /// Whether no commit that touched the case says, in a trailer, that
    /// docket did it.
    #[must_use]
    pub fn by_hand(&self) -> bool {
        self.commits.iter().all(|c| c.actions.is_empty())
    }
}

/// The cases of one set that differ between two commits.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SetDiff {
    pub set: String,
    pub from: Point,
    pub to: Point,
    /// Added, then removed, then changed; by id within each.
    pub cases: Vec<CaseDiff>,
}

impl SetDiff {
    /// The cases with one kind of change.
    pub fn of(&self, change: Change) -> impl Iterator<Item = &CaseDiff> {
        self.cases.iter().filter(move |c| c.change == change)
    }
}

/// Case files bigger than this get no patch: the diff of a 64 MiB model
/// transcript helps nobody reading a terminal, and `git diff` is one
/// command away.
const PATCH_LIMIT: usize = 1 << 20;

impl Store {
    /// The diff of set `set` over `range` (`A..B`, `A..`, `..B`, `A`; each
    /// end a version `5`/`v5` or a git revision). Without a range: from the
    /// newest `review/*` tag HEAD contains (else the set's first version)
    /// to HEAD. A bad range is [`StoreError::BadRange`], an unknown set
    /// [`StoreError::NotFound`].
    pub fn set_diff(&self, set: &str, range: Option<&str>) -> Result<SetDiff, StoreError> {
        crate::model::ids::check("set", set)?;
        let (_, _, prefix) = self.work()?;
        let repo = self.repository()?;
        // A set in the work tree but in no commit has no history yet; one
        // in neither does not exist.
        let unknown = || StoreError::NotFound {
            kind: if self.exists(&format!("evals/sets/{set}/set.toml")) {
                "committed eval set"
            } else {
                "eval set"
            },
            id: set.to_owned(),
        };
        let head = git::head_commit(&repo)?.ok_or_else(unknown)?.id();
        let dir = format!("{prefix}evals/sets/{set}");
        let (from, to) = range::resolve(&repo, head, &dir, set, range).map_err(|e| match e {
            StoreError::NotFound { .. } => unknown(),
            e => e,
        })?;
        let cases_dir = format!("{dir}/cases");
        let old = cases_at(&repo, parse_oid(&from.commit)?, &cases_dir)?;
        let new = cases_at(&repo, parse_oid(&to.commit)?, &cases_dir)?;
        let ws_dir = format!("evals/sets/{set}/cases");
        let mut cases: Vec<CaseDiff> = differing(&old, &new)
            .into_iter()
            .map(|(name, change)| CaseDiff {
                id: name.strip_suffix(".toml").unwrap_or(&name).to_owned(),
                path: format!("{ws_dir}/{name}"),
                change,
                commits: Vec::new(),
                patch: Vec::new(),
            })
            .collect();
        touches(
            &repo,
            parse_oid(&from.commit)?,
            parse_oid(&to.commit)?,
            &cases_dir,
            &mut cases,
        )?;
        for c in &mut cases {
            if c.change == Change::Changed
                && let (Some(a), Some(b)) = (old.get(file_name(c)), new.get(file_name(c)))
            {
                c.patch = patch(&repo, *a, *b, &format!("{prefix}{}", c.path))?;
            }
        }
        cases.sort_by(|a, b| (a.change, &a.id).cmp(&(b.change, &b.id)));
        Ok(SetDiff {
            set: set.to_owned(),
            from,
            to,
            cases,
        })
    }
}

fn file_name(c: &CaseDiff) -> &str {
    c.path.rsplit('/').next().unwrap_or("")
}

fn parse_oid(s: &str) -> Result<Oid, StoreError> {
    Ok(Oid::from_str(s)?)
}

/// The `.toml` blobs directly under `dir` in a commit, by file name.
fn cases_at(
    repo: &Repository,
    commit: Oid,
    dir: &str,
) -> Result<BTreeMap<String, Oid>, StoreError> {
    let tree = repo.find_commit(commit)?.tree()?;
    Ok(subtree(repo, &tree, dir)?
        .map(|t| blobs(&t))
        .unwrap_or_default())
}

/// The tree at `dir`, if there is one.
fn subtree<'r>(
    repo: &'r Repository,
    tree: &Tree<'_>,
    dir: &str,
) -> Result<Option<Tree<'r>>, StoreError> {
    match tree.get_path(Path::new(dir)) {
        Ok(e) if e.kind() == Some(git2::ObjectType::Tree) => Ok(Some(repo.find_tree(e.id())?)),
        Ok(_) => Ok(None),
        Err(e) if e.code() == git2::ErrorCode::NotFound => Ok(None),
        Err(e) => Err(e.into()),
    }
}

/// The case files of a `cases/` tree: blobs named `*.toml` (anything else
/// there is not a case).
fn blobs(tree: &Tree<'_>) -> BTreeMap<String, Oid> {
    tree.iter()
        .filter(|e| e.kind() == Some(git2::ObjectType::Blob))
        .filter_map(|e| Some((e.name().ok()?.to_owned(), e.id())))
        .filter(|(n, _)| n.ends_with(".toml"))
        .collect()
}

/// The names that differ between two listings, and how.
fn differing(old: &BTreeMap<String, Oid>, new: &BTreeMap<String, Oid>) -> Vec<(String, Change)> {
    let mut out = Vec::new();
    for (name, id) in new {
        match old.get(name) {
            None => out.push((name.clone(), Change::Added)),
            Some(was) if was != id => out.push((name.clone(), Change::Changed)),
            Some(_) => {}
        }
    }
    for name in old.keys().filter(|n| !new.contains_key(*n)) {
        out.push((name.clone(), Change::Removed));
    }
    out
}

/// Records, for each case, the commits in `from..to` (reachable from `to`,
/// not from `from`) that changed its file compared with their parent.
/// Merge commits are skipped, as `git log` does: the commits that made the
/// change on either side of the merge are in the range themselves.
fn touches(
    repo: &Repository,
    from: Oid,
    to: Oid,
    dir: &str,
    cases: &mut [CaseDiff],
) -> Result<(), StoreError> {
    if cases.is_empty() || from == to {
        return Ok(());
    }
    let mut walk = repo.revwalk()?;
    walk.push(to)?;
    walk.hide(from)?;
    walk.set_sorting(git2::Sort::TOPOLOGICAL | git2::Sort::REVERSE)?;
    for oid in walk {
        let commit = repo.find_commit(oid?)?;
        if commit.parent_count() > 1 {
            continue;
        }
        let mine = subtree(repo, &commit.tree()?, dir)?;
        let theirs = match commit.parents().next() {
            Some(p) => subtree(repo, &p.tree()?, dir)?,
            None => None,
        };
        if mine.as_ref().map(Tree::id) == theirs.as_ref().map(Tree::id) {
            continue;
        }
        let mine = mine.map(|t| blobs(&t)).unwrap_or_default();
        let theirs = theirs.map(|t| blobs(&t)).unwrap_or_default();
        let names: Vec<String> = differing(&theirs, &mine).into_iter().map(|d| d.0).collect();
        let mut touch: Option<Touch> = None;
        for c in cases
            .iter_mut()
            .filter(|c| names.iter().any(|n| n == file_name(c)))
        {
            let t = touch.get_or_insert_with(|| describe(&commit));
            c.commits.push(Touch {
                actions: concerning(&t.actions, &c.id, &c.path),
                ..t.clone()
            });
        }
    }
    Ok(())
}

/// A commit as a [`Touch`], with all of its trailers.
fn describe(c: &git2::Commit<'_>) -> Touch {
    let a = c.author();
    Touch {
        commit: c.id().to_string(),
        summary: c.summary().ok().flatten().unwrap_or("").to_owned(),
        author: format!("{} <{}>", a.name().unwrap_or(""), a.email().unwrap_or("")),
        time: a.when().seconds(),
        actions: c
            .message()
            .unwrap_or("")
            .lines()
            .filter_map(|l| l.strip_prefix("Docket-Action: "))
            .map(str::to_owned)
            .collect(),
    }
}

/// The trailers that name this case (by id or path). `tag`, `note` and
/// `dismiss` act on the failure file, never on a set's copy, so they do not
/// explain a set change even when the same commit holds both.
fn concerning(actions: &[String], id: &str, path: &str) -> Vec<String> {
    actions
        .iter()
        .filter(|a| {
            let mut words = a.split_whitespace();
            let verb = words.next().unwrap_or("");
            !matches!(verb, "tag" | "note" | "dismiss") && words.any(|w| w == id || w == path)
        })
        .cloned()
        .collect()
}

/// The unified diff of two blobs, one entry per line: headers, hunk
/// headers, and lines starting with their origin (`+`, `-`, ` `).
fn patch(repo: &Repository, old: Oid, new: Oid, path: &str) -> Result<Vec<String>, StoreError> {
    let (a, b) = (repo.find_blob(old)?, repo.find_blob(new)?);
    let size = a.content().len().max(b.content().len());
    if size > PATCH_LIMIT {
        return Ok(vec![format!(
            "(not shown: the file is {} KiB; `git diff {} {} -- {path}` shows it)",
            size >> 10,
            short(&old.to_string()),
            short(&new.to_string())
        )]);
    }
    let p = Path::new(path);
    let mut unified = git2::Patch::from_blobs(&a, Some(p), &b, Some(p), None)?;
    let mut out = Vec::new();
    unified.print(&mut super::git::patch_lines(&mut out))?;
    Ok(out)
}

/// The abbreviated commit id docket prints (10 hex digits).
#[must_use]
pub fn short(id: &str) -> &str {
    id.get(..10).unwrap_or(id)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn trailers_that_concern_a_case() {
        let actions = vec![
            "tag c-1 +tone".to_owned(),
            "promote c-1 -> s@v5".to_owned(),
            "promote c-10 -> s@v5".to_owned(),
            "edit evals/sets/s/cases/c-1.toml".to_owned(),
            "dismiss c-1".to_owned(),
        ];
        assert_eq!(
            concerning(&actions, "c-1", "evals/sets/s/cases/c-1.toml"),
            vec![
                "promote c-1 -> s@v5".to_owned(),
                "edit evals/sets/s/cases/c-1.toml".to_owned()
            ]
        );
    }

    #[test]
    fn differing_names() {
        let id = |n: u8| Oid::from_bytes(&[n; 20]).unwrap();
        let old: BTreeMap<String, Oid> = [("a.toml", id(1)), ("b.toml", id(2)), ("c.toml", id(3))]
            .map(|(n, i)| (n.to_owned(), i))
            .into();
        let new: BTreeMap<String, Oid> = [("b.toml", id(2)), ("c.toml", id(4)), ("d.toml", id(5))]
            .map(|(n, i)| (n.to_owned(), i))
            .into();
        assert_eq!(
            differing(&old, &new),
            vec![
                ("c.toml".to_owned(), Change::Changed),
                ("d.toml".to_owned(), Change::Added),
                ("a.toml".to_owned(), Change::Removed),
            ]
        );
    }
}
