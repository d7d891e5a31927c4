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

use super::journal::Journal;
use super::{Store, StoreError, fsio, git};
use crate::model::EvalSet;
use crate::ops::replay::{self, Context, Replay};
use crate::ops::{Action, Conflict, Intent};
use git2::{Oid, Repository};
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
        if let Some(n) = super::gitlock::recover(repo, git_dir, dir)? {
            out.notices.push(n);
        }
        self.roll_back_interrupted(journal, &mut out.notices)?;
        if journal.entries.is_empty() {
            if *journal != before {
                journal.save(dir)?;
            }
            return Ok(out);
        }
        let head = git::head_commit(repo)?;
        let tree = head.as_ref().map(git2::Commit::tree).transpose()?;
        let head_blob = |p: &str| {
            tree.as_ref()
                .and_then(|t| t.get_path(Path::new(&format!("{prefix}{p}"))).ok())
                .filter(|e| e.kind() == Some(git2::ObjectType::Blob))
                .map(|e| e.id())
        };
        let mut state: BTreeMap<String, PathState> = BTreeMap::new();
        for p in journal.paths() {
            let work = self.work_blob(&p)?;
            state.insert(p.clone(), PathState { head: head_blob(&p), work });
        }
        let base_of = |j: &Journal, p: &str| j.bases.get(p).cloned().flatten();
        let moved = |j: &Journal, st: &BTreeMap<String, PathState>, p: &str| {
            st.get(p).is_some_and(|s| {
                !s.clean() && s.head.map(|o| o.to_string()) != base_of(j, p)
            })
        };

        // The version each set's pending promotions go into: one more than
        // the other side's when it bumped the set too.
        let mut ctx = Context::default();
        let mut renumbered: BTreeSet<String> = BTreeSet::new();
        for intent in journal.entries.iter().flat_map(|e| e.intents.iter()) {
            let Intent::Promote { set, set_path, .. } = intent else {
                continue;
            };
            if ctx.versions.contains_key(set) {
                continue;
            }
            let version = if moved(journal, &state, set_path) {
                let theirs = blob_text(repo, head_blob(set_path));
                theirs
                    .and_then(|t| EvalSet::parse(set_path, &t).ok())
                    .map_or(1, |(s, _)| s.version + 1)
            } else {
                self.read(set_path)
                    .ok()
                    .and_then(|f| EvalSet::parse(set_path, &f.text).ok())
                    .map_or(1, |(s, _)| s.version)
            };
            let recorded = journal.actions().iter().find_map(|a| match a {
                Action::Promote { set: s, version, .. } if s == set => Some(*version),
                _ => None,
            });
            if recorded != Some(version) {
                renumbered.insert(set.clone());
            }
            ctx.versions.insert(set.clone(), version);
        }

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

        let mut plans: Vec<(String, Vec<usize>, Replay, Option<String>)> = Vec::new();
        for p in &to_replay {
            let Some(st) = state.get(p).cloned() else {
                continue;
            };
            let hand_edited = journal
                .written
                .get(p)
                .is_some_and(|w| *w != st.work.map(|o| o.to_string()));
            if hand_edited {
                if resolve {
                    continue;
                }
                out.conflicts.push(Conflict {
                    path: p.clone(),
                    case: None,
                    ours: "edited by hand after docket changed it".into(),
                    theirs: "changed by another commit".into(),
                });
                continue;
            }
            let ours = self.current_text(p)?;
            let theirs = blob_text(repo, st.head);
            let base = blob_text(
                repo,
                base_of(journal, p).and_then(|b| Oid::from_str(&b).ok()),
            );
            let idxs = journal.entries_touching(p);
            let slices: Vec<Vec<Intent>> = idxs
                .iter()
                .map(|&i| {
                    journal.entries[i]
                        .intents
                        .iter()
                        .filter(|x| x.touches(p))
                        .cloned()
                        .collect()
                })
                .collect();
            let refs: Vec<&[Intent]> = slices.iter().map(Vec::as_slice).collect();
            match replay::replay(
                p,
                base.as_deref(),
                ours.as_deref(),
                theirs.as_deref(),
                &refs,
                &ctx,
            ) {
                Ok(r) => plans.push((p.clone(), idxs, r, theirs)),
                Err(c) if resolve => drop(c),
                Err(c) => out.conflicts.push(c),
            }
        }

        let mut skipped: BTreeSet<(usize, String)> = BTreeSet::new();
        let mut reapplied = 0usize;
        for (p, idxs, r, theirs) in plans {
            let fin = r.steps.last().cloned().flatten();
            let fin_blob = fin
                .as_deref()
                .map(|t| Oid::hash_object(git2::ObjectType::Blob, t.as_bytes()))
                .transpose()?;
            let st = state.get_mut(&p);
            if let Some(st) = st {
                if st.work != fin_blob {
                    self.restore(&p, fin.as_deref())?;
                    st.work = fin_blob;
                }
                journal
                    .bases
                    .insert(p.clone(), st.head.map(|o| o.to_string()));
            }
            journal
                .written
                .insert(p.clone(), fin_blob.map(|o| o.to_string()));
            for (k, &i) in idxs.iter().enumerate() {
                let prev = if k == 0 {
                    theirs.clone()
                } else {
                    r.steps[k - 1].clone()
                };
                let e = &mut journal.entries[i];
                if let Some(pos) = e.paths.iter().position(|x| x == &p) {
                    if let Some(b) = e.before.get_mut(pos) {
                        *b = prev;
                    }
                    if let Some(a) = e.after.get_mut(pos) {
                        *a = blob_id(r.steps[k].as_deref());
                    }
                }
                if r.applied[k] {
                    reapplied += 1;
                } else {
                    skipped.insert((i, p.clone()));
                }
            }
        }
        if resolve {
            for p in &to_replay {
                if let Some(st) = state.get(p) {
                    journal
                        .bases
                        .insert(p.clone(), st.head.map(|o| o.to_string()));
                }
            }
        }
        for e in &mut journal.entries {
            for a in &mut e.actions {
                if let Action::Promote { set, version, .. } = a
                    && let Some(v) = ctx.versions.get(set)
                {
                    *version = *v;
                }
            }
        }
        if reapplied > 0 {
            out.notices.push(format!(
                "re-applied {reapplied} pending action(s) on top of the newer files in HEAD"
            ));
        }

        // Entries whose every file is now as HEAD has it (or whose actions
        // HEAD already carries) are done.
        let (mut committed, mut reverted) = (0usize, 0usize);
        let mut kept = Vec::with_capacity(journal.entries.len());
        for (i, e) in std::mem::take(&mut journal.entries).into_iter().enumerate() {
            let done = e.paths.iter().all(|p| {
                state.get(p).is_some_and(PathState::clean) || skipped.contains(&(i, p.clone()))
            });
            if !done {
                kept.push(e);
                continue;
            }
            let moved_any = e.paths.iter().any(|p| {
                state.get(p).map(|s| s.head.map(|o| o.to_string())) != Some(base_of(&before, p))
            });
            if moved_any || skipped.iter().any(|(j, _)| *j == i) {
                committed += 1;
            } else {
                reverted += 1;
            }
        }
        journal.entries = kept;
        journal.prune();
        let short = head
            .as_ref()
            .map(|c| c.id().to_string().chars().take(7).collect::<String>())
            .unwrap_or_default();
        if committed > 0 {
            out.notices.push(format!(
                "{committed} pending change(s) were committed outside docket in {short}"
            ));
        }
        if reverted > 0 {
            out.notices.push(format!(
                "{reverted} pending change(s) were undone outside docket (the files match HEAD again)"
            ));
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
                fsio::remove_temps(&self.root, p);
            }
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
    fn work_blob(&self, rel: &str) -> Result<Option<Oid>, StoreError> {
        let full = fsio::safe_path(&self.root, rel)?;
        if full.symlink_metadata().is_err() {
            return Ok(None);
        }
        let bytes = fsio::read(&self.root, rel)?;
        Ok(Some(Oid::hash_object(git2::ObjectType::Blob, &bytes)?))
    }

    /// A work-tree file as text, `None` when it does not exist.
    fn current_text(&self, rel: &str) -> Result<Option<String>, StoreError> {
        let full = fsio::safe_path(&self.root, rel)?;
        if full.symlink_metadata().is_err() {
            return Ok(None);
        }
        let bytes = fsio::read(&self.root, rel)?;
        Ok(Some(String::from_utf8_lossy(&bytes).into_owned()))
    }
}

fn blob_text(repo: &Repository, id: Option<Oid>) -> Option<String> {
    let blob = repo.find_blob(id?).ok()?;
    Some(String::from_utf8_lossy(blob.content()).into_owned())
}

/// The git blob id of a text, as the journal records it.
pub(super) fn blob_id(text: Option<&str>) -> Option<String> {
    text.and_then(|t| Oid::hash_object(git2::ObjectType::Blob, t.as_bytes()).ok())
        .map(|o| o.to_string())
}
