//! Applying change sets (atomic writes + journal) and committing them.

use super::git::{self, Edit};
use super::journal::{Journal, JournalEntry};
use super::lock::Lock;
use super::{Store, StoreError, fsio};
use crate::model::workspace::classify;
use crate::ops::{Action, ChangeSet, summary_line};
use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

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
}

impl Store {
    fn docket_dir(&self) -> Result<PathBuf, StoreError> {
        let (_, git_dir, _) = self.work()?;
        Ok(git_dir.join("docket"))
    }

    /// The pending (uncommitted) docket actions.
    pub fn pending(&self) -> Result<Journal, StoreError> {
        Journal::load(&self.docket_dir()?)
    }

    /// Writes a change set atomically and journals its actions.
    pub fn apply(&self, changes: &ChangeSet) -> Result<(), StoreError> {
        self.transact(|_| Ok::<_, StoreError>(changes.clone()))
            .map(|_| ())
    }

    /// Runs `f` under the workspace lock: it reads what it needs and returns
    /// a change set, which is written atomically and journalled before the
    /// lock is released, so two docket processes never edit from the same
    /// stale read. Every path is checked before the first byte is written:
    /// a refused change writes nothing.
    pub fn transact<E: From<StoreError>>(
        &self,
        f: impl FnOnce(&Journal) -> Result<ChangeSet, E>,
    ) -> Result<ChangeSet, E> {
        let dir = self.docket_dir()?;
        let repo = self.repository()?;
        let _lock = Lock::acquire(&dir)?;
        let mut journal = Journal::load(&dir)?;
        let changes = f(&journal)?;
        if changes.is_empty() {
            return Ok(changes);
        }
        for w in &changes.writes {
            fsio::check_no_symlinks(&self.root, &w.path)?;
        }
        if journal.entries.is_empty() {
            journal.base = git::head_commit(&repo)
                .map_err(E::from)?
                .map(|c| c.id().to_string());
        }
        for w in &changes.writes {
            fsio::write_atomic(&self.root, &w.path, w.contents.as_bytes())?;
        }
        let paths: Vec<String> = changes.writes.iter().map(|w| w.path.clone()).collect();
        let at = super::now().to_string();
        for action in &changes.actions {
            journal.entries.push(JournalEntry {
                action: action.clone(),
                paths: paths.clone(),
                at: at.clone(),
            });
        }
        journal.save(&dir)?;
        Ok(changes)
    }

    /// Points each pending promotion's `failure_blob` at the failure file as
    /// it is about to be committed: a note or tag made after the promotion,
    /// in the same batch, changes that file, and provenance must name a blob
    /// that exists in history.
    fn refresh_provenance(&self, journal: &Journal) -> Result<(), StoreError> {
        for e in &journal.entries {
            let Action::Promote { case, set, .. } = &e.action else {
                continue;
            };
            let Some(failure) = e.paths.iter().find(|p| p.starts_with("evals/failures/")) else {
                continue;
            };
            let set_case = format!("evals/sets/{set}/cases/{case}.toml");
            if !self.exists(failure) || !self.exists(&set_case) {
                continue;
            }
            let blob = Self::blob_id(&fsio::read(&self.root, failure)?)?;
            let file = self.read(&set_case)?;
            if let Some(w) = crate::ops::set_failure_blob(&file, &blob).map_err(|e| {
                StoreError::Invalid(crate::model::Diagnostic::error(&set_case, 1, e.to_string()))
            })? {
                fsio::write_atomic(&self.root, &w.path, w.contents.as_bytes())?;
            }
        }
        Ok(())
    }

    /// Everything `commit` would refuse for, checked up front so that
    /// `--commit` on a mutating command can refuse before writing.
    pub fn ready_to_commit(&self) -> Result<(), StoreError> {
        let repo = self.repository()?;
        git::identity(&repo)?;
        git::ensure_idle(&repo)?;
        let dir = self.docket_dir()?;
        drop(Lock::acquire(&dir)?);
        Ok(())
    }

    /// Commits the pending docket changes (and, with `all`, docket files
    /// changed by hand) on top of HEAD, editing HEAD's tree path by path and
    /// updating only those index entries.
    pub fn commit(&self, opts: &CommitOptions) -> Result<CommitOutcome, StoreError> {
        let (workdir, _, prefix) = self.work()?;
        let repo = self.repository()?;
        let who = git::identity(&repo)?;
        git::ensure_idle(&repo)?;
        let dir = self.docket_dir()?;
        let _lock = Lock::acquire(&dir)?;
        let journal = Journal::load(&dir)?;
        self.refresh_provenance(&journal)?;
        let mut actions = journal.actions();
        let mut paths = journal.paths();
        if opts.all {
            for p in hand_edits(&repo, prefix)? {
                if !paths.contains(&p) {
                    actions.push(Action::Edit { path: p.clone() });
                    paths.push(p);
                }
            }
        }
        if paths.is_empty() {
            return Err(StoreError::NothingToCommit);
        }
        let head = git::head_commit(&repo)?;
        let head_tree = head.as_ref().map(git2::Commit::tree).transpose()?;
        let head_id = head.as_ref().map(|c| c.id().to_string());
        if !journal.entries.is_empty() && journal.base != head_id {
            check_untouched(
                &repo,
                journal.base.as_deref(),
                head_tree.as_ref(),
                prefix,
                &journal.paths(),
            )?;
        }

        let mut index = repo.index()?;
        let mut edits: BTreeMap<String, Edit> = BTreeMap::new();
        for p in &paths {
            let repo_rel = format!("{prefix}{p}");
            if workdir.join(&repo_rel).symlink_metadata().is_ok() {
                index.add_path(Path::new(&repo_rel))?;
                let entry = index
                    .get_path(Path::new(&repo_rel), 0)
                    .ok_or_else(|| StoreError::UnsafePath(p.clone()))?;
                edits.insert(
                    repo_rel,
                    Some((entry.id, i32::try_from(entry.mode).unwrap_or(0o100_644))),
                );
            } else {
                let _ = index.remove_path(Path::new(&repo_rel));
                edits.insert(repo_rel, None);
            }
        }
        let tree_id = match git::edit_tree(&repo, head_tree.as_ref(), &edits)? {
            Some(id) => id,
            None => repo.treebuilder(None)?.write()?,
        };
        if head_tree.as_ref().is_some_and(|t| t.id() == tree_id) {
            index.write()?;
            Journal::clear(&dir)?;
            return Err(StoreError::NothingToCommit);
        }
        let tree = repo.find_tree(tree_id)?;
        let author = git::signature(&who.name, &who.email, "GIT_AUTHOR_DATE")?;
        let committer = git::signature(&who.name, &who.email, "GIT_COMMITTER_DATE")?;
        let day = crate::model::time::day(&crate::model::time::datetime_from_unix(
            author.when().seconds(),
        ))
        .unwrap_or_default();
        let summary = opts
            .message
            .as_deref()
            .map(str::trim)
            .filter(|m| !m.is_empty())
            .map_or_else(|| summary_line(&actions, &day), str::to_owned);
        let mut message = format!("{summary}\n\n");
        for a in &actions {
            let _ = writeln!(message, "Docket-Action: {a}");
        }
        let parents: Vec<&git2::Commit<'_>> = head.iter().collect();
        let id = repo
            .commit(Some("HEAD"), &author, &committer, &message, &tree, &parents)
            .map_err(|e| {
                if e.code() == git2::ErrorCode::Modified {
                    StoreError::HeadMoved("HEAD".to_owned())
                } else {
                    e.into()
                }
            })?;
        index.write()?;
        Journal::clear(&dir)?;
        Ok(CommitOutcome {
            id: id.to_string(),
            summary,
            message,
            paths,
        })
    }
}

/// Refuses when any of docket's paths differs between the commit the changes
/// were made on and the current HEAD.
fn check_untouched(
    repo: &git2::Repository,
    base: Option<&str>,
    head: Option<&git2::Tree<'_>>,
    prefix: &str,
    paths: &[String],
) -> Result<(), StoreError> {
    let base_tree = match base {
        Some(id) => Some(repo.find_commit(git2::Oid::from_str(id)?)?.tree()?),
        None => None,
    };
    let id_at = |t: Option<&git2::Tree<'_>>, p: &str| {
        t.and_then(|t| t.get_path(Path::new(p)).ok())
            .map(|e| e.id())
    };
    for p in paths {
        let repo_rel = format!("{prefix}{p}");
        if id_at(base_tree.as_ref(), &repo_rel) != id_at(head, &repo_rel) {
            return Err(StoreError::HeadMoved(p.clone()));
        }
    }
    Ok(())
}

/// Docket files under the workspace that differ from the index or HEAD.
fn hand_edits(repo: &git2::Repository, prefix: &str) -> Result<Vec<String>, StoreError> {
    let mut opts = git2::StatusOptions::new();
    opts.include_untracked(true)
        .recurse_untracked_dirs(true)
        .include_ignored(false);
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
        if classify(rel).is_some() {
            out.push(rel.to_owned());
        }
    }
    Ok(out)
}
