//! `docket sync`: fetch the branch's upstream, rebuild the local commits
//! the upstream lacks on top of it — docket's as actions, never as a text
//! merge ([`crate::ops::sync`]) — push, and only then move the branch.
//!
//! Decisions, each the one a lazygit or gitui user would expect:
//!
//! - Sync publishes commits; it makes none of its own. Pending docket
//!   changes are refused with the way out (`docket commit`), as `git pull`
//!   refuses to run over changes it would touch: what a reviewer publishes
//!   is what they committed, with the message they gave it.
//! - Local commits are `upstream..HEAD`. Each docket commit (one with
//!   `Docket-Action:` trailers) becomes one new commit on the upstream's
//!   tip: same author, message and trailers (a promotion's version
//!   renumbered), the syncing reviewer as committer. A commit made without
//!   docket is cherry-picked by git2 only when that is conflict-free and
//!   touched no docket file the upstream changed too; else sync refuses,
//!   naming it. A merge commit in the range is refused likewise. A commit
//!   whose changes the upstream already holds is dropped, as a rebase does.
//! - A true conflict stops sync before anything changes, with both sides
//!   (commit, who, when, what) and the choice per case: `docket sync --ours
//!   CASE` / `--theirs CASE`, then sync again. Conflicts are found commit by
//!   commit; resolving one may reveal the next commit's.
//! - The push comes before the branch moves: if it fails (no network,
//!   authentication, rejected), the branch, index and work tree are as they
//!   were. A rejected push (someone pushed in between) is fetched and
//!   rebuilt again, up to four times. After the push, the work tree is
//!   brought to the new tip with git2's safe checkout (paths it changes were
//!   checked clean first), then the branch moved with compare-and-swap.
//!   The whole run holds docket's workspace lock.
//!
//! If the branch moved under sync after the push (a `git commit` in the
//! middle), the pushed commits stay on the remote and sync says to run
//! again: the next run replays the new commit on them, and the actions
//! already there are found already done.

mod build;
mod tags;

use super::lock::Lock;
use super::remote::{self, Pushed, Upstream};
use super::sign::Signing;
use super::{Journal, Store, StoreError, git, gitlock};
use crate::ops::sync::{Side, SyncConflict};
use git2::{Oid, Repository};
use std::collections::BTreeMap;

/// What the reviewer chose for conflicting cases.
#[derive(Debug, Clone, Default)]
pub struct SyncOptions {
    pub choices: BTreeMap<String, Side>,
}

/// One commit, as the reviewer is shown it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CommitInfo {
    pub id: String,
    pub author: String,
    pub at: String,
    pub summary: String,
}

/// A conflict with both sides.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Conflicted {
    pub conflict: SyncConflict,
    /// The local commit.
    pub ours: CommitInfo,
    /// The newest upstream commit that changed the file.
    pub theirs: Option<CommitInfo>,
}

/// What a sync did.
#[derive(Debug, Clone, Default)]
pub struct SyncOutcome {
    pub branch: String,
    pub url: String,
    /// Upstream commits this branch did not have.
    pub fetched: usize,
    /// The commits pushed (rebuilt where the upstream had moved).
    pub pushed: Vec<CommitInfo>,
    /// Local commits whose changes the upstream already held.
    pub dropped: Vec<CommitInfo>,
    /// Conflicting cases resolved by the reviewer's choice.
    pub resolved: Vec<(String, Side)>,
    /// The branch's new tip.
    pub head: String,
    /// Nothing fetched, nothing to push.
    pub up_to_date: bool,
    /// The review tags pushed with the commits.
    pub tags: Vec<String>,
    /// What went wrong without stopping the sync (a tag not pushed).
    pub warnings: Vec<String>,
}

/// How many times a rejected push is fetched, rebuilt and pushed again.
const ATTEMPTS: usize = 4;

/// The one-line summary of sync conflicts (the details are in the values).
pub(super) fn conflicts_line(c: &[Conflicted]) -> String {
    let cases: Vec<String> = c
        .iter()
        .map(|x| x.conflict.case.clone().unwrap_or(x.conflict.path.clone()))
        .collect();
    format!(
        "sync stopped before changing anything: {} conflict(s) with the upstream ({}); choose per case with `docket sync --ours CASE` or `--theirs CASE`",
        c.len(),
        cases.join(", ")
    )
}

impl Store {
    /// Syncs the current branch with its upstream (see the module comment).
    /// The UI calls this on a worker, as the CLI does.
    pub fn sync(&self, opts: &SyncOptions) -> Result<SyncOutcome, StoreError> {
        let repo = self.repository()?;
        let dir = self.docket_dir()?;
        let _lock = Lock::acquire(&dir)?;
        git::ensure_idle(&repo)?;
        let who = git::identity(&repo)?;
        // Rebuilt commits are signed as docket's own: refused up front,
        // before any fetch, when they could not be.
        let signing = Signing::resolve(&repo, &who, self.require_signed(), self.work()?.0)?;
        let mut journal = Journal::load(&dir)?;
        let rec = self.reconcile_locked(&repo, &dir, &mut journal, false)?;
        if !rec.conflicts.is_empty() {
            return Err(StoreError::Conflict(rec.conflicts));
        }
        if !journal.entries.is_empty() {
            return Err(StoreError::Uncommitted(journal.entries.len()));
        }
        let up = remote::upstream(&repo)?;
        let mut reason = String::new();
        for _ in 0..ATTEMPTS {
            match self.attempt(&repo, &up, (&who, &signing), opts)? {
                Step::Done(out) => return Ok(*out),
                Step::Rejected(why) => reason = why,
            }
        }
        Err(StoreError::PushRejected {
            url: up.url,
            branch: up.merge.trim_start_matches("refs/heads/").to_owned(),
            reason,
            attempts: ATTEMPTS,
        })
    }

    /// One fetch, rebuild, push and branch move.
    fn attempt(
        &self,
        repo: &Repository,
        up: &Upstream,
        (who, signing): (&git::Identity, &Signing),
        opts: &SyncOptions,
    ) -> Result<Step, StoreError> {
        let head = git::head_commit(repo)?.map(|c| c.id());
        let theirs = remote::fetch(repo, up)?;
        let mut out = SyncOutcome {
            branch: up.branch.clone(),
            url: up.url.clone(),
            ..SyncOutcome::default()
        };
        let Some(head) = head else {
            return Err(StoreError::Unborn(up.branch.clone()));
        };
        let mut rebuilt = Vec::new();
        let (tip, to_push) = match theirs {
            None => (head, true),
            Some(t) if t == head => {
                out.up_to_date = true;
                out.head = head.to_string();
                return Ok(Step::Done(Box::new(out)));
            }
            Some(t) if repo.graph_descendant_of(head, t)? => (head, true),
            Some(t) if repo.graph_descendant_of(t, head)? => {
                out.fetched = count(repo, t, head)?;
                (t, false)
            }
            Some(t) => {
                out.fetched = count(repo, t, head)?;
                let b = build::Builder {
                    store: self,
                    repo,
                    who,
                    signing,
                    choices: &opts.choices,
                };
                let built = b.range(head, t)?;
                out.pushed = built.pushed;
                out.dropped = built.dropped;
                out.resolved = built.resolved;
                rebuilt = built.rebuilt;
                (built.tip, built.tip != t)
            }
        };
        if to_push && out.pushed.is_empty() {
            out.pushed = list(repo, tip, theirs)?;
        }
        check_clean(repo, head, tip)?;
        let (_, git_dir, _) = self.work()?;
        let index_lock = git_dir.join("index.lock");
        if tip != head && index_lock.exists() {
            return Err(StoreError::IndexLocked(index_lock));
        }
        if to_push && let Pushed::Rejected(why) = remote::push(repo, up, tip)? {
            return Ok(Step::Rejected(why));
        }
        if to_push {
            // Review tags move with the commits they mark (once pushed: a
            // rejected push rebuilds from the original commits again).
            tags::carry(repo, &rebuilt, signing)?;
            out.tags = tags::new_on(repo, tip, theirs)?;
            out.warnings = remote::push_tags(repo, up, &out.tags)?;
        }
        if tip != head {
            // Pushed: from here a failure must say so, not "nothing changed".
            update_local(repo, head, tip).map_err(|e| StoreError::PushedNotMoved {
                branch: up.branch.clone(),
                detail: e.to_string(),
            })?;
        }
        out.head = tip.to_string();
        Ok(Step::Done(Box::new(out)))
    }
}

/// Refuses when a path the sync would change in the work tree holds
/// changes of the user's (in the index or the work tree).
fn check_clean(repo: &Repository, from: Oid, to: Oid) -> Result<(), StoreError> {
    if from == to {
        return Ok(());
    }
    let a = repo.find_commit(from)?.tree()?;
    let b = repo.find_commit(to)?.tree()?;
    let diff = repo.diff_tree_to_tree(Some(&a), Some(&b), None)?;
    for d in diff.deltas() {
        for f in [d.old_file(), d.new_file()] {
            let Some(p) = f.path() else { continue };
            match repo.status_file(p) {
                Ok(s) if s.is_empty() || s == git2::Status::IGNORED => {}
                // Already what sync would write (a sync stopped between
                // the files and the index): not the user's change.
                Ok(s) if !s.intersects(index_changes()) && already(repo, &b, p) => {}
                Ok(_) => {
                    return Err(StoreError::DirtyPath(
                        crate::sanitize::line(&p.to_string_lossy()).into_owned(),
                    ));
                }
                Err(e) if e.code() == git2::ErrorCode::NotFound => {}
                Err(e) => return Err(e.into()),
            }
        }
    }
    Ok(())
}

/// Every index-side status: a staged change is always the user's.
fn index_changes() -> git2::Status {
    git2::Status::INDEX_NEW
        | git2::Status::INDEX_MODIFIED
        | git2::Status::INDEX_DELETED
        | git2::Status::INDEX_RENAMED
        | git2::Status::INDEX_TYPECHANGE
}

/// Whether the work tree's file at `p` is what `tree` holds there.
fn already(repo: &Repository, tree: &git2::Tree<'_>, p: &std::path::Path) -> bool {
    let want = tree.get_path(p).ok().map(|e| e.id());
    let have = repo
        .workdir()
        .map(|w| w.join(p))
        .filter(|f| f.symlink_metadata().is_ok())
        .map(|f| git2::Oid::hash_file(git2::ObjectType::Blob, f).ok());
    match (want, have) {
        (None, None) => true,
        (Some(w), Some(Some(h))) => w == h,
        _ => false,
    }
}

enum Step {
    Done(Box<SyncOutcome>),
    Rejected(String),
}

/// The work tree and index brought to `to` (safe checkout: only files
/// still as `from` had them are touched), then the branch moved from
/// `from` to `to` with compare-and-swap.
///
/// Only the paths that differ between the two commits are checked out, so
/// the cost follows the change, not the workspace (100k case files are not
/// even looked at).
fn update_local(repo: &Repository, from: Oid, to: Oid) -> Result<(), StoreError> {
    let old = repo.find_commit(from)?.tree()?;
    let tree = repo.find_commit(to)?.tree()?;
    let diff = repo.diff_tree_to_tree(Some(&old), Some(&tree), None)?;
    let mut co = git2::build::CheckoutBuilder::new();
    co.safe().disable_pathspec_match(true);
    let mut any = false;
    for d in diff.deltas() {
        for f in [d.old_file(), d.new_file()] {
            if let Some(p) = f.path() {
                co.path(p);
                any = true;
            }
        }
    }
    if any {
        repo.checkout_tree(tree.as_object(), Some(&mut co))?;
    }
    gitlock::move_head(repo, Some(from), to, "docket sync")
}

/// How many commits `tip` has that `hide` lacks.
fn count(repo: &Repository, tip: Oid, hide: Oid) -> Result<usize, StoreError> {
    let mut walk = repo.revwalk()?;
    walk.push(tip)?;
    walk.hide(hide)?;
    Ok(walk.count())
}

/// The commits of `tip` the upstream lacks, oldest first.
fn list(repo: &Repository, tip: Oid, upstream: Option<Oid>) -> Result<Vec<CommitInfo>, StoreError> {
    let mut walk = repo.revwalk()?;
    walk.set_sorting(git2::Sort::TOPOLOGICAL | git2::Sort::REVERSE)?;
    walk.push(tip)?;
    if let Some(u) = upstream {
        walk.hide(u)?;
    }
    walk.map(|id| Ok(info(&repo.find_commit(id?)?))).collect()
}

/// A commit as the reviewer is shown it.
pub(super) fn info(c: &git2::Commit<'_>) -> CommitInfo {
    let a = c.author();
    let at = crate::model::time::datetime_from_unix(a.when().seconds()).to_string();
    CommitInfo {
        id: c.id().to_string().chars().take(7).collect(),
        author: crate::sanitize::line(&format!(
            "{} <{}>",
            String::from_utf8_lossy(a.name_bytes()),
            String::from_utf8_lossy(a.email_bytes())
        ))
        .into_owned(),
        at,
        summary: summary(c),
    }
}

/// A commit's first line, safe to print.
pub(super) fn summary(c: &git2::Commit<'_>) -> String {
    let text = String::from_utf8_lossy(c.summary_bytes().unwrap_or_default());
    crate::sanitize::line(&text).into_owned()
}
