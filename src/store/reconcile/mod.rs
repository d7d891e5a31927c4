//! Git is the truth, the journal is intent: on every open, the journal is
//! brought in line with what git and the work tree hold.
//!
//! - A write interrupted by a crash is rolled back (all or nothing).
//! - A commit interrupted by a crash is finished or rolled back.
//! - A pending change whose files HEAD now holds was committed by someone
//!   else (their `git commit`): it is dropped, and the user told once.
//! - A file someone else changed in HEAD while a docket change to it is
//!   pending gets the pending actions re-applied to HEAD's version
//!   ([`crate::ops::replay`]); only a true conflict is left for the user.

mod replaying;
mod settle;

use super::journal::Journal;
use super::tree::TreeReader;
use super::{Store, StoreError, fsio, git};
use crate::ops::{Action, Conflict, Intent};
use git2::{Oid, Repository};
use settle::{committed_prefix, partly_undone, settle};
use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

/// What reconciling found.
#[derive(Debug, Default, Clone)]
pub struct Reconciled {
    /// One line each, for the user: what was dropped, re-applied, recovered.
    pub notices: Vec<String>,
    /// Pending changes that could not be re-applied; commits are refused
    /// until they are resolved.
    pub conflicts: Vec<Conflict>,
}

/// HEAD's and the work tree's blob of one pending path.
#[derive(Debug, Clone)]
struct PathState {
    head: Option<Oid>,
    work: Option<Oid>,
}

impl PathState {
    fn clean(&self) -> bool {
        self.head == self.work
    }
}

/// HEAD's tree, read path by path (each folder loaded once).
struct Head<'r> {
    tree: std::cell::RefCell<TreeReader<'r>>,
    prefix: &'r str,
}

impl<'r> Head<'r> {
    fn new(
        repo: &'r Repository,
        commit: Option<&git2::Commit<'r>>,
        prefix: &'r str,
    ) -> Result<Self, git2::Error> {
        Ok(Self {
            tree: std::cell::RefCell::new(TreeReader::new(
                repo,
                commit.map(git2::Commit::tree).transpose()?,
            )),
            prefix,
        })
    }

    fn blob(&self, p: &str) -> Option<Oid> {
        self.tree.borrow_mut().blob(&format!("{}{p}", self.prefix))
    }
}

fn base_of(j: &Journal, p: &str) -> Option<String> {
    j.bases.get(p).cloned().flatten()
}

/// Whether someone else changed `p` in HEAD since docket first wrote it.
fn moved(j: &Journal, st: &BTreeMap<String, PathState>, p: &str) -> bool {
    st.get(p)
        .is_some_and(|s| !s.clean() && s.head.map(|o| o.to_string()) != base_of(j, p))
}

impl Store {
    /// Reconciles the journal with git under the workspace lock and returns
    /// what the user should be told.
    pub fn reconcile(&self) -> Result<Reconciled, StoreError> {
        let dir = self.docket_dir()?;
        let repo = self.repository()?;
        let _lock = super::lock::Lock::acquire(&dir)?;
        let mut journal = Journal::load(&dir)?;
        self.reconcile_locked(&repo, &dir, &mut journal, false)
    }

    /// The reconciliation itself; the caller holds the lock. With `resolve`,
    /// a conflicted path is taken as the work tree has it (the user edited
    /// it to say what they decided, and asked to commit it).
    pub(super) fn reconcile_locked(
        &self,
        repo: &Repository,
        dir: &Path,
        journal: &mut Journal,
        resolve: bool,
    ) -> Result<Reconciled, StoreError> {
        let (_, git_dir, prefix) = self.work()?;
        let mut out = Reconciled::default();
        let before = journal.clone();
        let recovered = super::gitlock::recover(repo, git_dir, dir)?;
        if let Some(n) = &recovered {
            out.notices.push(n.clone());
        }
        self.roll_back_interrupted(journal, &mut out.notices)?;
        if !journal.entries.is_empty() {
            let commit = git::head_commit(repo)?;
            let head = Head::new(repo, commit.as_ref(), prefix)?;
            let mut state: BTreeMap<String, PathState> = BTreeMap::new();
            for p in journal.paths() {
                let work = self.work_blob(&p)?;
                let head = head.blob(&p);
                state.insert(p, PathState { head, work });
            }
            let went_back = journal.head.as_deref().is_some_and(|old| {
                let new = commit.as_ref().map(git2::Commit::id);
                let old = Oid::from_str(old).ok();
                match (new, old) {
                    (Some(n), Some(o)) => {
                        n != o && !repo.graph_descendant_of(n, o).unwrap_or(false)
                    }
                    _ => false,
                }
            });
            if went_back {
                // The user moved HEAD back and kept the work tree: what the
                // files hold is theirs to keep; nothing is replayed.
                for (p, st) in &state {
                    journal
                        .bases
                        .insert(p.clone(), st.head.map(|o| o.to_string()));
                }
            }
            let committed = committed_prefix(journal, &state);
            partly_undone(journal, &state, &committed, &mut out.conflicts);
            let (ctx, renumbered) = self.versions(repo, &head, journal, &state);
            let mut to_replay: BTreeSet<String> = state
                .keys()
                .filter(|p| moved(journal, &state, p))
                .cloned()
                .collect();
            for intent in journal.entries.iter().flat_map(|e| e.intents.iter()) {
                if let Intent::Promote { set, .. } = intent
                    && renumbered.contains(set)
                {
                    to_replay.extend(intent.paths());
                }
            }
            let plans = self.plan(repo, journal, &state, &to_replay, &ctx, resolve, &mut out)?;
            // While anything conflicts, nothing is replayed or renumbered:
            // the conflict stays as it is until the user resolves it.
            let stable = out.conflicts.is_empty() || resolve;
            let mut skipped = if stable {
                self.carry_out(journal, &mut state, plans, &mut out)?
            } else {
                BTreeSet::new()
            };
            skipped.extend(committed.iter().cloned());
            if resolve {
                for p in &to_replay {
                    if let Some(st) = state.get(p) {
                        journal
                            .bases
                            .insert(p.clone(), st.head.map(|o| o.to_string()));
                    }
                }
            }
            for a in journal
                .entries
                .iter_mut()
                .flat_map(|e| e.actions.iter_mut())
            {
                if let Action::Promote { set, version, .. } = a
                    && let Some(v) = ctx.versions.get(set)
                    && stable
                {
                    *version = *v;
                }
            }
            let short: String = commit
                .as_ref()
                .map(|c| c.id().to_string().chars().take(7).collect())
                .unwrap_or_default();
            let mut notices = Vec::new();
            settle(journal, &state, &skipped, &committed, &short, &mut notices);
            if stable {
                journal.head = commit.as_ref().map(|c| c.id().to_string());
            }
            // After finishing docket's own interrupted commit, its entries
            // are in HEAD: that is no news about another writer.
            if recovered.is_none() {
                out.notices.extend(notices);
            }
        }
        if *journal != before {
            journal.save(dir)?;
        }
        Ok(out)
    }

    /// Rolls back entries whose writes a crash interrupted: each file goes
    /// back to what it held, unless someone changed it since.
    fn roll_back_interrupted(
        &self,
        journal: &mut Journal,
        notices: &mut Vec<String>,
    ) -> Result<(), StoreError> {
        while let Some(pos) = journal.entries.iter().position(|e| !e.complete) {
            let e = journal.entries.remove(pos);
            for (k, p) in e.paths.iter().enumerate() {
                let old = e.before.get(k).cloned().flatten();
                let now = self.work_blob(p)?.map(|o| o.to_string());
                let new = e.after.get(k).cloned().flatten();
                if now == new || now == blob_id(old.as_deref()) {
                    self.restore(p, old.as_deref())?;
                }
            }
            fsio::remove_all_temps_of(&self.root, &e.paths);
            let what: Vec<String> = e.actions.iter().map(ToString::to_string).collect();
            notices.push(format!(
                "rolled back an interrupted change ({})",
                crate::sanitize::line(&what.join("; "))
            ));
        }
        journal.prune();
        Ok(())
    }

    /// The blob id of a work-tree file, `None` when it does not exist.
    pub(in crate::store) fn work_blob(&self, rel: &str) -> Result<Option<Oid>, StoreError> {
        let full = fsio::safe_path(&self.root, rel)?;
        if full.symlink_metadata().is_err() {
            return Ok(None);
        }
        let bytes = fsio::read(&self.root, rel)?;
        Ok(Some(Oid::hash_object(git2::ObjectType::Blob, &bytes)?))
    }
}

fn blob_text(repo: &Repository, id: Option<Oid>) -> Option<String> {
    let blob = repo.find_blob(id?).ok()?;
    Some(String::from_utf8_lossy(blob.content()).into_owned())
}

/// The git blob id of a text, as the journal records it.
pub(in crate::store) fn blob_id(text: Option<&str>) -> Option<String> {
    text.and_then(|t| Oid::hash_object(git2::ObjectType::Blob, t.as_bytes()).ok())
        .map(|o| o.to_string())
}
