//! Committing a freshly copied example as the history it tells
//! ([`super::story`]), the way `Store::commit` commits: under docket's lock
//! and git's `index.lock`, the branch moved once, by compare-and-swap, to
//! the last commit, the index made live last. The story's commits are
//! plain objects until then, so an interruption leaves the copy pending
//! exactly as `init` without `--commit` does, for `docket commit`.

use super::story::{self, Step};
use crate::model::time;
use crate::ops::{Action, FileWrite};
use crate::store::commit::{message, refuse_unmerged, stage_paths};
use crate::store::gitlock::{self, INDEX_WAIT, IndexLock};
use crate::store::journal::Journal;
use crate::store::lock::Lock;
use crate::store::sign::Signing;
use crate::store::{CommitOptions, CommitOutcome, Identity, Store, StoreError, fsio, git};
use std::collections::BTreeMap;
use std::path::Path;

impl Store {
    /// Commits the pending workspace `init` wrote. On an unborn branch,
    /// when the files tell a story (set cases with provenance), that story
    /// comes first, one commit per set version, and the last commit — by
    /// the reviewer, now — adds what is left, so the tree is exactly the
    /// files. Anywhere else (a repository with history of its own, where
    /// backdated commits would be out of place) it is one commit, as
    /// `commit` makes it. Returns the last commit and how many were made.
    pub fn commit_example(&self) -> Result<(CommitOutcome, usize), StoreError> {
        let repo = self.repository()?;
        let dir = self.docket_dir()?;
        let _lock = Lock::acquire(&dir)?;
        let mut journal = Journal::load(&dir)?;
        let single = |journal: &mut Journal| {
            self.commit_locked(&repo, &dir, journal, &CommitOptions::default())
                .map(|o| (o, 1))
        };
        if git::head_commit(&repo)?.is_some() {
            return single(&mut journal);
        }
        let who = git::identity(&repo)?;
        git::ensure_idle(&repo)?;
        let (workdir, git_dir, prefix) = self.work()?;
        let signing = Signing::resolve(&repo, &who, self.require_signed(), workdir)?;
        let rec = self.reconcile_locked(&repo, &dir, &mut journal, false)?;
        if !rec.conflicts.is_empty() {
            return Err(StoreError::Conflict(rec.conflicts));
        }
        let paths = journal.paths();
        let mut files = Vec::with_capacity(paths.len());
        for p in &paths {
            fsio::check_no_symlinks(&self.root, p)?;
            if self.exists(p) {
                let f = self.read(p)?;
                files.push(FileWrite {
                    path: f.path,
                    contents: f.text,
                });
            }
        }
        let steps = story::story(&files).map_err(StoreError::Invalid)?;
        if steps.is_empty() {
            return single(&mut journal);
        }
        let mut lock = IndexLock::acquire(git_dir, &dir, INDEX_WAIT)?;
        if git::head_commit(&repo)?.is_some() {
            // Someone committed while docket waited for index.lock.
            drop(lock);
            return single(&mut journal);
        }
        let mut index = lock.open_index(&repo)?;
        refuse_unmerged(&index)?;
        let (mut tip, mut tree) = (None, None);
        for step in &steps {
            let (c, t) = commit_step(&repo, &signing, prefix, step, tip, tree)?;
            (tip, tree) = (Some(c), Some(t));
        }
        let base = tree.map(|t| repo.find_tree(t)).transpose()?;
        let whole = stage_paths(&repo, &mut index, workdir, prefix, &paths, base.as_ref())?;
        let tip = tip.ok_or(StoreError::NothingToCommit)?;
        let rest = untold(&index, prefix, &paths, base.as_ref());
        let (id, summary, text) = if rest.is_empty() {
            let last = repo.find_commit(tip)?;
            let text = last.message().unwrap_or("").to_owned();
            (tip, text.lines().next().unwrap_or("").to_owned(), text)
        } else {
            commit_rest(&repo, &signing, &rest, whole, tip, &who)?
        };
        let count = steps.len() + usize::from(!rest.is_empty());
        lock.stage(&repo, &mut index, id)?;
        gitlock::move_head(&repo, None, id, &format!("commit (initial): {summary}"))?;
        // The commit exists: from here on nothing may fail.
        let warning = lock.finish().err().map(|e| {
            format!(
                "committed, but the index could not be updated ({e}); `git reset -q` refreshes it"
            )
        });
        let _ = Journal::clear(&dir);
        Ok((
            CommitOutcome {
                id: id.to_string(),
                summary,
                message: text,
                paths,
                warning,
            },
            count,
        ))
    }
}

/// What the story did not tell: the paths whose index entry (the copy as
/// written) differs from the story's last tree, as `edit` actions.
fn untold(
    index: &git2::Index,
    prefix: &str,
    paths: &[String],
    base: Option<&git2::Tree<'_>>,
) -> Vec<Action> {
    paths
        .iter()
        .filter(|p| {
            let rel = format!("{prefix}{p}");
            let ours = index.get_path(Path::new(&rel), 0).map(|e| e.id);
            let theirs = base
                .and_then(|t| t.get_path(Path::new(&rel)).ok())
                .map(|e| e.id());
            ours != theirs
        })
        .map(|p| Action::Edit { path: p.clone() })
        .collect()
}

/// The last commit, of the tree `whole`, by the reviewer making the copy,
/// dated as any docket commit (`GIT_AUTHOR_DATE` or now). Returns its id,
/// summary and message.
fn commit_rest(
    repo: &git2::Repository,
    signing: &Signing,
    rest: &[Action],
    whole: git2::Oid,
    tip: git2::Oid,
    who: &Identity,
) -> Result<(git2::Oid, String, String), StoreError> {
    let author = git::signature(&who.name, &who.email, "GIT_AUTHOR_DATE")?;
    let committer = git::signature(&who.name, &who.email, "GIT_COMMITTER_DATE")?;
    let day = time::day(&time::datetime_from_unix(author.when().seconds())).unwrap_or_default();
    let (summary, text) = message(None, rest, &day);
    let parent = repo.find_commit(tip)?;
    let tree = repo.find_tree(whole)?;
    let id = signing.commit(repo, &author, &committer, &text, &tree, &[&parent])?;
    Ok((id, summary, text))
}

/// Writes one commit of the story on top of `parent` (its tree `tree`):
/// the step's files as blobs, the tree edited along their paths only.
fn commit_step(
    repo: &git2::Repository,
    signing: &Signing,
    prefix: &str,
    step: &Step,
    parent: Option<git2::Oid>,
    tree: Option<git2::Oid>,
) -> Result<(git2::Oid, git2::Oid), StoreError> {
    let mut edits = BTreeMap::new();
    for f in &step.files {
        let blob = repo.blob(f.contents.as_bytes())?;
        edits.insert(format!("{prefix}{}", f.path), Some((blob, 0o100_644)));
    }
    let base = tree.map(|t| repo.find_tree(t)).transpose()?;
    let tree = match git::edit_tree(repo, base.as_ref(), &edits)? {
        Some(id) => id,
        None => repo.treebuilder(None)?.write()?,
    };
    let sig = git2::Signature::new(
        &step.who.name,
        &step.who.email,
        &git2::Time::new(step.at, 0),
    )?;
    let day = time::day(&time::datetime_from_unix(step.at)).unwrap_or_default();
    let (_, text) = message(None, &step.actions, &day);
    let parent = parent.map(|p| repo.find_commit(p)).transpose()?;
    let parents: Vec<&git2::Commit<'_>> = parent.iter().collect();
    let id = signing.commit(repo, &sig, &sig, &text, &repo.find_tree(tree)?, &parents)?;
    Ok((id, tree))
}
