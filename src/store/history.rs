//! Reading history for the UI: recent docket commits with their trailers,
//! and the diff of what is pending.

use super::{Store, StoreError, git};
use std::path::Path;

/// One docket commit.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HistoryEntry {
    pub id: String,
    pub summary: String,
    pub author: String,
    /// Author time, Unix seconds.
    pub time: i64,
    /// The `Docket-Action:` trailers, and each `Docket-Verdict:` as
    /// `verdict CASE DECISION`.
    pub actions: Vec<String>,
}

impl Store {
    /// Up to `limit` of the most recent commits carrying `Docket-Action`
    /// trailers, newest first. Looks at no more than `limit * 20` commits,
    /// so a long history without docket commits stays cheap.
    pub fn history(&self, limit: usize) -> Result<Vec<HistoryEntry>, StoreError> {
        let repo = self.repository()?;
        if git::head_commit(&repo)?.is_none() {
            return Ok(Vec::new());
        }
        let mut walk = repo.revwalk()?;
        walk.push_head()?;
        let mut out = Vec::new();
        for oid in walk.take(limit.saturating_mul(20)) {
            let c = repo.find_commit(oid?)?;
            let msg = c.message().unwrap_or("");
            let actions: Vec<String> = msg
                .lines()
                .filter_map(|l| {
                    l.strip_prefix("Docket-Action: ")
                        .map(str::to_owned)
                        // A verdict under double review, as its action reads.
                        .or_else(|| {
                            l.strip_prefix("Docket-Verdict: ")
                                .map(|v| format!("verdict {v}"))
                        })
                })
                .collect();
            if actions.is_empty() {
                continue;
            }
            let a = c.author();
            out.push(HistoryEntry {
                id: c.id().to_string(),
                summary: c.summary().ok().flatten().unwrap_or("").to_owned(),
                author: format!("{} <{}>", a.name().unwrap_or(""), a.email().unwrap_or("")),
                time: a.when().seconds(),
                actions,
            });
            if out.len() >= limit {
                break;
            }
        }
        Ok(out)
    }

    /// The unified diff between HEAD and the work tree for `paths`
    /// (workspace-relative), one line per entry, each starting with its
    /// origin (`+`, `-`, ` `) or a header.
    pub fn diff(&self, paths: &[String]) -> Result<Vec<String>, StoreError> {
        if paths.is_empty() {
            return Ok(Vec::new());
        }
        let (_, _, prefix) = self.work()?;
        let repo = self.repository()?;
        let tree = git::head_commit(&repo)?.map(|c| c.tree()).transpose()?;
        let mut opts = git2::DiffOptions::new();
        opts.include_untracked(true)
            .recurse_untracked_dirs(true)
            .show_untracked_content(true)
            .disable_pathspec_match(true);
        for p in paths {
            opts.pathspec(format!("{prefix}{p}"));
        }
        let diff = repo.diff_tree_to_workdir(tree.as_ref(), Some(&mut opts))?;
        let mut out = Vec::new();
        diff.print(git2::DiffFormat::Patch, git::patch_lines(&mut out))?;
        Ok(out)
    }

    /// Docket files changed by hand (not by docket), offered for a commit.
    pub fn hand_edits(&self) -> Result<Vec<String>, StoreError> {
        let pending = self.pending()?.paths();
        self.hand_edits_besides(&pending)
    }

    /// [`Self::hand_edits`], given docket's pending paths: git's status
    /// only, read-only and without the workspace lock, so it may run in
    /// the background while docket's own writes go on.
    pub fn hand_edits_besides(&self, pending: &[String]) -> Result<Vec<String>, StoreError> {
        let (_, _, prefix) = self.work()?;
        let repo = self.repository()?;
        Ok(hand_edits(&repo, prefix)?
            .into_iter()
            .filter(|p| !pending.contains(p) && Path::new(p).extension().is_some())
            .collect())
    }
}

/// Docket files under the workspace that differ from the index or HEAD
/// (for `commit --all` and the hand edits the UI offers).
pub(super) fn hand_edits(repo: &git2::Repository, prefix: &str) -> Result<Vec<String>, StoreError> {
    let mut opts = git2::StatusOptions::new();
    opts.include_untracked(true)
        .recurse_untracked_dirs(true)
        .include_ignored(false)
        .disable_pathspec_match(true);
    if !prefix.is_empty() {
        opts.pathspec(prefix);
    }
    let statuses = repo.statuses(Some(&mut opts))?;
    let mut out = Vec::new();
    for s in statuses.iter() {
        if s.status().is_ignored() || s.status() == git2::Status::CURRENT {
            continue;
        }
        let Ok(path) = s.path() else { continue };
        let Some(rel) = path.strip_prefix(prefix) else {
            continue;
        };
        if crate::model::workspace::classify(rel).is_some() && !rel.chars().any(char::is_control) {
            out.push(rel.to_owned());
        }
    }
    Ok(out)
}

/// A memo being traced back: the commit (and body) that accepted it so
/// far, and whether its acceptance has been found.
type Watch<'a> = (
    &'a crate::model::Memo,
    Option<(git2::Oid, crate::model::Memo)>,
    bool,
);

/// The front matter fields frozen with the body: all but `status`,
/// `superseded_by` and `review_by`.
fn frozen_fields(a: &crate::model::Memo, b: &crate::model::Memo) -> Vec<&'static str> {
    let mut out = Vec::new();
    let dates = |x: &crate::model::Memo| x.date.map(|d| d.to_string());
    for (name, same) in [
        ("title", a.title == b.title),
        ("date", dates(a) == dates(b)),
        ("owner", a.owner == b.owner),
        ("deciders", a.deciders == b.deciders),
        ("supersedes", a.supersedes == b.supersedes),
        ("agents", a.agents == b.agents),
        ("data_sources", a.data_sources == b.data_sources),
    ] {
        if !same {
            out.push(name);
        }
    }
    out
}

/// The blob of memo `id` (`memos/<id>-*.md`) in a tree.
fn memo_entry(
    repo: &git2::Repository,
    tree: &git2::Tree<'_>,
    prefix: &str,
    id: &str,
) -> Option<git2::Oid> {
    let dir = tree.get_path(Path::new(&format!("{prefix}memos"))).ok()?;
    let dir = repo.find_tree(dir.id()).ok()?;
    let start = format!("{id}-");
    dir.iter()
        .find(|e| {
            e.name()
                .is_ok_and(|n| n.starts_with(&start) && n.ends_with(".md"))
        })
        .map(|e| e.id())
}

impl Store {
    /// Memos whose body or front matter changed after the commit that
    /// accepted them: an accepted memo is frozen (only status,
    /// `superseded_by` and `review_by` may change). Walks at most 5,000 commits back from HEAD; the work tree
    /// is compared, so an uncommitted edit counts too.
    pub fn frozen_memo_changes(
        &self,
        ws: &crate::model::Workspace,
    ) -> Result<Vec<crate::model::Diagnostic>, StoreError> {
        use crate::model::Memo;
        use crate::model::memo::MemoStatus;
        let (_, _, prefix) = self.work()?;
        let repo = self.repository()?;
        if git::head_commit(&repo)?.is_none() {
            return Ok(Vec::new());
        }
        let frozen = |s: MemoStatus| {
            matches!(
                s,
                MemoStatus::Accepted | MemoStatus::Deprecated | MemoStatus::Superseded
            )
        };
        // path -> (commit that accepted it so far, body then, resolved)
        let mut watch: Vec<Watch<'_>> = ws
            .memos
            .iter()
            .filter(|m| frozen(m.status))
            .map(|m| (m, None, false))
            .collect();
        if watch.is_empty() {
            return Ok(Vec::new());
        }
        let mut walk = repo.revwalk()?;
        walk.push_head()?;
        // The first-parent line is the history of record: a merged branch
        // forked before the acceptance must not look like its undoing.
        walk.set_sorting(git2::Sort::TOPOLOGICAL)?;
        walk.simplify_first_parent()?;
        for oid in walk.take(5_000) {
            let oid = oid?;
            let tree = repo.find_commit(oid)?.tree()?;
            for (m, found, done) in &mut watch {
                if *done {
                    continue;
                }
                // By id, not path: a memo renamed (a new slug) is still the
                // same memo.
                let at = memo_entry(&repo, &tree, prefix, &m.id)
                    .and_then(|id| repo.find_blob(id).ok())
                    .and_then(|b| String::from_utf8(b.content().to_vec()).ok())
                    .and_then(|t| Memo::parse(&m.path, &t).ok())
                    .map(|(old, _)| old);
                match at {
                    Some(old) if frozen(old.status) => *found = Some((oid, old)),
                    _ => *done = true,
                }
            }
            if watch.iter().all(|w| w.2) {
                break;
            }
        }
        let mut out = Vec::new();
        for (m, found, _) in watch {
            let Some((oid, old)) = found else { continue };
            let mut changed: Vec<&str> = frozen_fields(&old, m);
            if old.body != m.body {
                changed.insert(0, "body");
            }
            if changed.is_empty() {
                continue;
            }
            let short = oid.to_string();
            let short = &short[..10.min(short.len())];
            let line = if changed[0] == "body" { m.body_line } else { 1 };
            let what = if changed == ["body"] {
                format!(
                    "memo {} is {} and its body is frozen, but it changed",
                    m.id, m.status
                )
            } else {
                format!(
                    "memo {} is {} and frozen, but its {} changed",
                    m.id,
                    m.status,
                    changed.join(", ")
                )
            };
            out.push(crate::model::Diagnostic::new(
                crate::model::Rule::FrozenMemo,
                &m.path,
                line,
                format!(
                    "{what} after commit {short} accepted it (only status, superseded_by and review_by may change); restore it (git diff {short} -- {}) or write a new memo that supersedes it",
                    m.path
                ),
            ));
        }
        Ok(out)
    }
}
