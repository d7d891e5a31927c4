//! Committing the pending changes: HEAD's tree edited along docket's paths
//! only, those index entries updated, one commit with a trailer per action.

use super::git::{self, Edit};
use super::gitlock::{self, INDEX_WAIT, IndexLock};
use super::indexsplice;
use super::journal::Journal;
use super::lock::Lock;
use super::{Store, StoreError, fsio, sign::Signing};
use crate::ops::{Action, summary_line};
use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::Path;

#[derive(Debug, Clone, Default)]
pub struct CommitOptions {
    /// Replaces the generated summary line; the trailers are kept.
    pub message: Option<String>,
    /// Also commit docket files changed by hand (not in the journal).
    pub all: bool,
}

#[derive(Debug, Clone)]
pub struct CommitOutcome {
    pub id: String,
    pub summary: String,
    pub message: String,
    pub paths: Vec<String>,
    /// Set when the commit was made but the index could not be updated (git
    /// status may show the paths until `git reset` refreshes it).
    pub warning: Option<String>,
}

impl Store {
    /// Everything `commit` would refuse for that can be known without
    /// reading the index, checked up front so that `--commit` on a mutating
    /// command refuses before writing.
    pub fn ready_to_commit(&self) -> Result<(), StoreError> {
        let repo = self.repository()?;
        let who = git::identity(&repo)?;
        git::ensure_idle(&repo)?;
        Signing::resolve(&repo, &who, self.require_signed(), self.work()?.0)?;
        let dir = self.docket_dir()?;
        let _lock = Lock::acquire(&dir)?;
        let mut journal = Journal::load(&dir)?;
        let rec = self.reconcile_locked(&repo, &dir, &mut journal, false)?;
        if rec.conflicts.is_empty() {
            Ok(())
        } else {
            Err(StoreError::Conflict(rec.conflicts))
        }
    }

    /// Commits the pending docket changes (and, with `all`, docket files
    /// changed by hand) on top of HEAD, the way git does: `index.lock` held
    /// throughout, the branch moved only if it still points where the tree
    /// was built from (else rebuilt on the new HEAD), the index renamed into
    /// place last.
    pub fn commit(&self, opts: &CommitOptions) -> Result<CommitOutcome, StoreError> {
        let repo = self.repository()?;
        let dir = self.docket_dir()?;
        let _lock = Lock::acquire(&dir)?;
        let mut journal = Journal::load(&dir)?;
        self.commit_locked(&repo, &dir, &mut journal, opts)
    }

    pub(super) fn commit_locked(
        &self,
        repo: &git2::Repository,
        dir: &Path,
        journal: &mut Journal,
        opts: &CommitOptions,
    ) -> Result<CommitOutcome, StoreError> {
        let (workdir, git_dir, prefix) = self.work()?;
        let who = git::identity(repo)?;
        git::ensure_idle(repo)?;
        let signing = Signing::resolve(repo, &who, self.require_signed(), workdir)?;
        let mut index_lock = None;
        for attempt in 1.. {
            // Reconciled again whenever HEAD moved while docket waited for
            // index.lock or between attempts.
            let seen = git::head_commit(repo)?.map(|c| c.id());
            let rec = self.reconcile_locked(repo, dir, journal, opts.all)?;
            if !rec.conflicts.is_empty() {
                return Err(StoreError::Conflict(rec.conflicts));
            }
            let mut actions = journal.actions();
            let mut paths = journal.paths();
            if opts.all {
                for p in super::history::hand_edits(repo, prefix)? {
                    if !paths.contains(&p) {
                        actions.push(Action::Edit { path: p.clone() });
                        paths.push(p);
                    }
                }
            }
            if paths.is_empty() {
                return Err(StoreError::NothingToCommit);
            }
            for p in &paths {
                fsio::check_no_symlinks(&self.root, p)?;
            }
            // A write killed mid-way leaves a temporary file beside its
            // target; no docket process is writing now (the lock). Found
            // by its name, not by listing the folder.
            fsio::remove_temps_of(&self.root, &paths);
            self.refresh_provenance(dir, journal)?;
            if index_lock.is_none() {
                index_lock = Some(IndexLock::acquire(git_dir, dir, INDEX_WAIT)?);
            }
            let head = git::head_commit(repo)?;
            if head.as_ref().map(git2::Commit::id) != seen {
                continue;
            }
            let Some(lock) = index_lock.as_mut() else {
                continue;
            };
            let head_tree = head.as_ref().map(git2::Commit::tree).transpose()?;
            let (tree_id, mut staged) = stage_index(
                repo,
                lock,
                (workdir, git_dir, prefix),
                &paths,
                head_tree.as_ref(),
            )?;
            if head_tree.as_ref().is_some_and(|t| t.id() == tree_id) {
                // Everything pending is already in HEAD.
                Journal::clear(dir)?;
                return Err(StoreError::NothingToCommit);
            }
            let tree = repo.find_tree(tree_id)?;
            let author = git::signature(&who.name, &who.email, "GIT_AUTHOR_DATE")?;
            let committer = git::signature(&who.name, &who.email, "GIT_COMMITTER_DATE")?;
            let day = crate::model::time::day(&crate::model::time::datetime_from_unix(
                author.when().seconds(),
            ))
            .unwrap_or_default();
            let (summary, message) = message(opts.message.as_deref(), &actions, &day);
            let parents: Vec<&git2::Commit<'_>> = head.iter().collect();
            let id = signing.commit(repo, &author, &committer, &message, &tree, &parents)?;
            match &mut staged {
                Staged::Written => lock.stage_written(repo, id)?,
                Staged::Index(index) => lock.stage(repo, index, id)?,
            }
            let reflog = if head.is_some() {
                format!("commit: {summary}")
            } else {
                format!("commit (initial): {summary}")
            };
            match gitlock::move_head(repo, head.as_ref().map(git2::Commit::id), id, &reflog) {
                Ok(()) => {}
                Err(StoreError::HeadMoved(_)) if attempt < 8 => continue,
                Err(e) => return Err(e),
            }
            crate::store::crashpoint("ref-moved");
            // The commit exists: from here on nothing may fail, or a retry
            // would commit the same changes twice.
            let warning = index_lock.take().and_then(|l| l.finish().err()).map(|e| {
                format!("committed, but the index could not be updated ({e}); `git reset -q` refreshes it")
            });
            let _ = Journal::clear(dir);
            return Ok(CommitOutcome {
                id: id.to_string(),
                summary,
                message,
                paths,
                warning,
            });
        }
        Err(StoreError::HeadMoved("HEAD".to_owned()))
    }

    /// Points each pending promotion's `failure_blob` at the failure file as
    /// it is about to be committed: a note or tag made after the promotion,
    /// in the same batch, changes that file, and provenance must name a blob
    /// that exists in history.
    fn refresh_provenance(&self, dir: &Path, journal: &mut Journal) -> Result<(), StoreError> {
        let mut updates = Vec::new();
        for (i, e) in journal.entries.iter().enumerate() {
            for a in &e.actions {
                let Action::Promote { case, set, .. } = a else {
                    continue;
                };
                let Some(failure) = e.paths.iter().find(|p| p.starts_with("evals/failures/"))
                else {
                    continue;
                };
                let set_case = format!("evals/sets/{set}/cases/{case}.toml");
                if !self.exists(failure) || !self.exists(&set_case) {
                    continue;
                }
                let blob = Self::blob_id(&fsio::read(&self.root, failure)?)?;
                let file = self.read(&set_case)?;
                let update = crate::ops::set_failure_blob(&file, &blob).map_err(|e| {
                    StoreError::Invalid(crate::model::Diagnostic::parse(
                        &set_case,
                        1,
                        e.to_string(),
                    ))
                })?;
                if let Some(w) = update {
                    updates.push((i, w));
                }
            }
        }
        if updates.is_empty() {
            return Ok(());
        }
        // The journal learns the new text first: this is docket's own
        // write, never to be taken for a hand edit (by undo, or a replay).
        for (i, w) in &updates {
            let blob = super::reconcile::blob_id(Some(&w.contents));
            if let Some(e) = journal.entries.get_mut(*i)
                && let Some(k) = e.paths.iter().position(|p| *p == w.path)
                && let Some(a) = e.after.get_mut(k)
            {
                a.clone_from(&blob);
            }
            journal.written.insert(w.path.clone(), blob);
        }
        journal.save(dir)?;
        for (_, w) in updates {
            fsio::write_atomic(&self.root, &w.path, w.contents.as_bytes())?;
        }
        Ok(())
    }
}

/// Stages `paths` in a new index and returns it with HEAD's tree edited
/// along them: spliced where it can be (its cost follows the change), else
/// read and written whole by libgit2.
fn stage_index(
    repo: &git2::Repository,
    lock: &IndexLock,
    (workdir, git_dir, prefix): (&Path, &Path, &str),
    paths: &[String],
    head_tree: Option<&git2::Tree<'_>>,
) -> Result<(git2::Oid, Staged), StoreError> {
    if let Some(tree) =
        indexsplice::stage(repo, lock, (workdir, git_dir, prefix), paths, head_tree)?
    {
        return Ok((tree, Staged::Written));
    }
    let mut index = lock.open_index(repo)?;
    refuse_unmerged(&index)?;
    let tree = stage_paths(repo, &mut index, workdir, prefix, paths, head_tree)?;
    Ok((tree, Staged::Index(index)))
}

/// The new index, waiting for the commit to be made.
enum Staged {
    /// Encoded by `indexsplice`, already in `index.next`.
    Written,
    /// libgit2's, for the indexes `indexsplice` leaves to it.
    Index(git2::Index),
}

/// Refuses an index with unmerged entries: git is in the middle of a
/// conflict that only the user can resolve.
pub(super) fn refuse_unmerged(index: &git2::Index) -> Result<(), StoreError> {
    if !index.has_conflicts() {
        return Ok(());
    }
    let first = index
        .conflicts()?
        .filter_map(Result::ok)
        .find_map(|c| c.our.or(c.their).or(c.ancestor))
        .map(|e| String::from_utf8_lossy(&e.path).into_owned())
        .unwrap_or_default();
    Err(StoreError::Unmerged(
        crate::sanitize::line(&first).into_owned(),
    ))
}

/// Brings the index entries of `paths` to the work tree and returns HEAD's
/// tree edited along those paths only.
pub(super) fn stage_paths(
    repo: &git2::Repository,
    index: &mut git2::Index,
    workdir: &Path,
    prefix: &str,
    paths: &[String],
    head_tree: Option<&git2::Tree<'_>>,
) -> Result<git2::Oid, StoreError> {
    let mut edits: BTreeMap<String, Edit> = BTreeMap::new();
    for p in paths {
        let repo_rel = format!("{prefix}{p}");
        if workdir.join(&repo_rel).symlink_metadata().is_ok() {
            index.add_path(Path::new(&repo_rel))?;
            let entry = index
                .get_path(Path::new(&repo_rel), 0)
                .ok_or_else(|| StoreError::UnsafePath(p.clone()))?;
            let mode = i32::try_from(entry.mode).unwrap_or(0o100_644);
            edits.insert(repo_rel, Some((entry.id, mode)));
        } else {
            let _ = index.remove_path(Path::new(&repo_rel));
            edits.insert(repo_rel, None);
        }
    }
    match git::edit_tree(repo, head_tree, &edits)? {
        Some(id) => Ok(id),
        None => Ok(repo.treebuilder(None)?.write()?),
    }
}

/// The summary line and the full message. A user's message keeps its body,
/// but lines that look like docket trailers are dropped: only docket writes
/// `Docket-Action:` and `Docket-Verdict:`.
///
/// Everything is sanitized: the message is shown by `git log` on terminals,
/// and an action names tags and ids that come from files.
pub(super) fn message(user: Option<&str>, actions: &[Action], day: &str) -> (String, String) {
    let user = user.map(crate::sanitize::block);
    let user: Vec<&str> = user
        .as_deref()
        .unwrap_or("")
        .lines()
        .filter(|l| {
            let l = l.trim_start().to_ascii_lowercase();
            !l.starts_with("docket-action:") && !l.starts_with("docket-verdict:")
        })
        .collect();
    let text = user.join("\n");
    let text = text.trim();
    let summary = text
        .lines()
        .next()
        .filter(|l| !l.trim().is_empty())
        .map_or_else(
            || crate::sanitize::line(&summary_line(actions, day)).into_owned(),
            |l| l.trim().to_owned(),
        );
    let body = text.lines().skip(1).collect::<Vec<_>>().join("\n");
    let mut message = format!("{summary}\n\n");
    if !body.trim().is_empty() {
        let _ = write!(message, "{}\n\n", body.trim());
    }
    for a in actions {
        let _ = writeln!(message, "{}", crate::sanitize::line(&a.trailer()));
    }
    (summary, message)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn user_messages_cannot_forge_trailers() {
        let actions = vec![Action::Note { case: "a".into() }];
        let (s, m) = message(
            Some("Review\n\nDocket-Action: dismiss everything\nbody"),
            &actions,
            "d",
        );
        assert_eq!(s, "Review");
        assert_eq!(m, "Review\n\nbody\n\nDocket-Action: note a\n");
        let (s, _) = message(None, &actions, "2026-11-23");
        assert_eq!(s, "docket: review 2026-11-23 — 1 noted");
        // Text from files or the user never reaches `git log` as escapes.
        let hostile = vec![Action::Edit {
            path: "evals/x\u{1b}[2J.toml".into(),
        }];
        let (s, m) = message(
            Some("Fix \u{1b}]0;pwned\u{7}\n\nbody \u{9b}31m"),
            &hostile,
            "d",
        );
        assert!(
            !m.chars()
                .any(|c| crate::sanitize::is_unsafe(c) && c != '\n'),
            "{m:?}"
        );
        assert!(!s.chars().any(crate::sanitize::is_unsafe), "{s:?}");
    }
}
