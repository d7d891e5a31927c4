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

/// HEAD's tree, read path by path.
struct Head<'r> {
    tree: Option<git2::Tree<'r>>,
    prefix: &'r str,
}

impl Head<'_> {
    fn blob(&self, p: &str) -> Option<Oid> {
        self.tree
            .as_ref()
            .and_then(|t| t.get_path(Path::new(&format!("{}{p}", self.prefix))).ok())
            .filter(|e| e.kind() == Some(git2::ObjectType::Blob))
            .map(|e| e.id())
    }
}

/// One path's replay, before it is written.
struct Plan {
    path: String,
    /// The journal entries that wrote the path, in order.
    entries: Vec<usize>,
    replay: Replay,
    theirs: Option<String>,
}

fn base_of(j: &Journal, p: &str) -> Option<String> {
    j.bases.get(p).cloned().flatten()
}

/// Whether someone else changed `p` in HEAD since docket first wrote it.
fn moved(j: &Journal, st: &BTreeMap<String, PathState>, p: &str) -> bool {
    st.get(p)
        .is_some_and(|s| !s.clean() && s.head.map(|o| o.to_string()) != base_of(j, p))
}

/// For each path, the entries HEAD already holds: when HEAD's blob is what
/// some entry wrote there, that entry and every earlier one are committed
/// for that path (the user's own `git commit`, maybe of only some files),
/// and the path's base moves to HEAD. What differs from HEAD after that is
/// later docket changes or ordinary hand edits, not someone else's commit.
fn committed_prefix(
    journal: &mut Journal,
    state: &BTreeMap<String, PathState>,
) -> BTreeSet<(usize, String)> {
    let mut found: BTreeMap<String, Vec<usize>> = BTreeMap::new();
    for (p, st) in state {
        let Some(head) = st.head.map(|o| o.to_string()) else {
            continue;
        };
        let entries = journal.entries_touching(p);
        let last = entries.iter().rposition(|&i| {
            let e = &journal.entries[i];
            e.paths
                .iter()
                .position(|x| x == p)
                .and_then(|k| e.after.get(k))
                .is_some_and(|a| a.as_deref() == Some(head.as_str()))
        });
        if let Some(last) = last {
            found.insert(p.clone(), entries[..=last].to_vec());
        }
    }
    // A set.toml equal to what docket wrote may be another promotion's bump
    // to the same number: it is docket's own only when HEAD also holds the
    // promoted failure as docket wrote it.
    let owned = |i: usize, p: &str| {
        journal.entries[i].intents.iter().all(|x| match x {
            Intent::Promote { set_path, path, .. } if set_path == p => {
                found.get(path).is_some_and(|es| es.contains(&i))
            }
            _ => true,
        })
    };
    let mut done = BTreeSet::new();
    for (p, entries) in &found {
        if entries.iter().all(|&i| owned(i, p)) {
            for &i in entries {
                done.insert((i, p.clone()));
            }
        }
    }
    for (i, p) in &done {
        if let Some(head) = state.get(p).and_then(|s| s.head) {
            journal.bases.insert(p.clone(), Some(head.to_string()));
        }
        // The entry keeps only what is still pending: its undo data, the
        // chain of its texts and a discard then see only that.
        let e = &mut journal.entries[*i];
        if let Some(k) = e.paths.iter().position(|x| x == p) {
            e.paths.remove(k);
            if k < e.before.len() {
                e.before.remove(k);
            }
            if k < e.after.len() {
                e.after.remove(k);
            }
        }
    }
    done
}

/// Whether the file's history in the journal is docket's alone: the first
/// entry started from HEAD's version, and each later one from what the
/// previous wrote.
fn chain_intact(journal: &Journal, p: &str) -> bool {
    let mut expect = base_of(journal, p);
    for i in journal.entries_touching(p) {
        let e = &journal.entries[i];
        let Some(k) = e.paths.iter().position(|x| x == p) else {
            continue;
        };
        let (Some(before), Some(after)) = (e.before.get(k), e.after.get(k)) else {
            // A journal from before `after` was recorded: nothing to check.
            return true;
        };
        if blob_id(before.as_deref()) != expect {
            return false;
        }
        expect.clone_from(after);
    }
    true
}

/// Drops the entries that are done: every file as HEAD has it, or every
/// action already there. Tells the user how many, and why.
fn settle(
    journal: &mut Journal,
    state: &BTreeMap<String, PathState>,
    skipped: &BTreeSet<(usize, String)>,
    committed: &BTreeSet<(usize, String)>,
    short: &str,
    notices: &mut Vec<String>,
) {
    let (mut in_head, mut reverted) = (0usize, 0usize);
    let mut kept = Vec::with_capacity(journal.entries.len());
    for (i, e) in std::mem::take(&mut journal.entries).into_iter().enumerate() {
        let done = e.paths.iter().all(|p| {
            state.get(p).is_some_and(PathState::clean) || skipped.contains(&(i, p.clone()))
        });
        if !done {
            kept.push(e);
            continue;
        }
        // Committed: HEAD holds what docket wrote (or already had the
        // actions). Otherwise the files went back to HEAD's text by hand.
        if skipped.iter().any(|(j, _)| *j == i) || committed.iter().any(|(j, _)| *j == i) {
            in_head += 1;
        } else {
            reverted += 1;
        }
    }
    journal.entries = kept;
    journal.prune();
    if in_head > 0 {
        notices.push(format!(
            "{in_head} pending change(s) were committed outside docket in {short}"
        ));
    }
    if reverted > 0 {
        notices.push(format!(
            "{reverted} pending change(s) were undone outside docket (the files match HEAD again)"
        ));
    }
}

/// A change set some of whose files went back to HEAD's text by hand (a
/// `git checkout -- FILE`, a stash) while others still hold docket's
/// change: committing the rest would record half a promotion under the
/// whole action. That is a conflict for the user to settle.
fn partly_undone(
    journal: &Journal,
    state: &BTreeMap<String, PathState>,
    committed: &BTreeSet<(usize, String)>,
    conflicts: &mut Vec<Conflict>,
) {
    for (i, e) in journal.entries.iter().enumerate() {
        if e.paths.len() < 2 {
            continue;
        }
        let back: Vec<&String> = e
            .paths
            .iter()
            .filter(|p| {
                state.get(*p).is_some_and(PathState::clean)
                    && !committed.contains(&(i, (*p).clone()))
                    && e.paths
                        .iter()
                        .position(|x| x == *p)
                        .and_then(|k| e.after.get(k))
                        != Some(&state.get(*p).and_then(|s| s.head).map(|o| o.to_string()))
            })
            .collect();
        let pending = e
            .paths
            .iter()
            .any(|p| state.get(p).is_some_and(|s| !s.clean()));
        if let (Some(first), true) = (back.first(), pending) {
            let what: Vec<String> = e.actions.iter().map(ToString::to_string).collect();
            conflicts.push(Conflict {
                path: (*first).clone(),
                case: None,
                ours: format!("{} (only partly undone)", what.join("; ")),
                theirs: "this file is back as HEAD has it".into(),
            });
        }
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
        let recovered = super::gitlock::recover(repo, git_dir, dir)?;
        if let Some(n) = &recovered {
            out.notices.push(n.clone());
        }
        self.roll_back_interrupted(journal, &mut out.notices)?;
        if !journal.entries.is_empty() {
            let commit = git::head_commit(repo)?;
            let head = Head {
                tree: commit.as_ref().map(git2::Commit::tree).transpose()?,
                prefix,
            };
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

    /// The version each set's pending promotions go into — one more than
    /// the other side's when it bumped the set too — and the sets whose
    /// pending promotions must be renumbered.
    fn versions(
        &self,
        repo: &Repository,
        head: &Head<'_>,
        journal: &Journal,
        state: &BTreeMap<String, PathState>,
    ) -> (Context, BTreeSet<String>) {
        let mut ctx = Context::default();
        let mut renumbered = BTreeSet::new();
        let promotes: Vec<(&str, &str, &str)> = journal
            .entries
            .iter()
            .flat_map(|e| e.intents.iter())
            .filter_map(|i| match i {
                Intent::Promote {
                    set,
                    set_path,
                    case,
                    ..
                } => Some((set.as_str(), set_path.as_str(), case.as_str())),
                _ => None,
            })
            .collect();
        // A promotion HEAD already carries (the same case promoted into the
        // same set on the other side) takes no version of its own.
        let already = |path: &str, set: &str| {
            let text = blob_text(repo, head.blob(path));
            text.and_then(|t| crate::model::FailureCase::parse(path, &t).ok())
                .and_then(|(c, _)| c.promotion)
                .is_some_and(|p| p.set == set)
        };
        let failure_of = |case: &str| {
            journal
                .entries
                .iter()
                .flat_map(|e| e.intents.iter())
                .find_map(|i| match i {
                    Intent::Promote { case: c, path, .. } if c == case => Some(path.clone()),
                    _ => None,
                })
        };
        let promotes: Vec<(&str, &str, &str)> = promotes
            .into_iter()
            .filter(|(set, _, case)| !failure_of(case).is_some_and(|f| already(&f, set)))
            .collect();
        for &(set, set_path, _) in &promotes {
            if ctx.versions.contains_key(set) {
                continue;
            }
            // HEAD's set.toml changed since docket bumped it. Unless that
            // is docket's own bump committed by hand (the pending cases are
            // in HEAD too), another promotion took the version.
            let head_moved = state
                .get(set_path)
                .is_some_and(|s| s.head.map(|o| o.to_string()) != base_of(journal, set_path));
            let ours_committed = promotes
                .iter()
                .filter(|(s, _, _)| *s == set)
                .all(|(s, _, c)| {
                    state
                        .get(&replay::set_case_path(s, c))
                        .is_some_and(PathState::clean)
                });
            let text = if head_moved && !ours_committed {
                blob_text(repo, head.blob(set_path))
            } else {
                self.read(set_path).ok().map(|f| f.text)
            };
            let parsed = text.and_then(|t| EvalSet::parse(set_path, &t).ok());
            let version = match parsed {
                Some((s, _)) if head_moved && !ours_committed => s.version + 1,
                Some((s, _)) => s.version,
                None => 1,
            };
            let recorded = journal.actions().into_iter().find_map(|a| match a {
                Action::Promote {
                    set: s, version, ..
                } if s == set => Some(version),
                _ => None,
            });
            if recorded != Some(version) {
                renumbered.insert(set.to_owned());
            }
            ctx.versions.insert(set.to_owned(), version);
        }
        (ctx, renumbered)
    }

    /// Replays the pending actions of each path in `to_replay` on HEAD's
    /// version of it, in memory. Conflicts go to `out`.
    #[allow(clippy::too_many_arguments)]
    fn plan(
        &self,
        repo: &Repository,
        journal: &Journal,
        state: &BTreeMap<String, PathState>,
        to_replay: &BTreeSet<String>,
        ctx: &Context,
        resolve: bool,
        out: &mut Reconciled,
    ) -> Result<Vec<Plan>, StoreError> {
        let mut plans = Vec::new();
        for p in to_replay {
            let Some(st) = state.get(p) else { continue };
            if journal.entries_touching(p).is_empty() {
                continue;
            }
            // Content in the file that docket's actions did not produce (a
            // hand edit before or between docket's writes) cannot be
            // re-applied: replaying from HEAD would drop it.
            let hand_edited = journal
                .written
                .get(p)
                .is_some_and(|w| *w != st.work.map(|o| o.to_string()))
                || !chain_intact(journal, p);
            let ours = self.current_text(p)?;
            let theirs = blob_text(repo, st.head);
            let base = blob_text(
                repo,
                base_of(journal, p).and_then(|b| Oid::from_str(&b).ok()),
            );
            let entries = journal.entries_touching(p);
            let slices: Vec<Vec<Intent>> = entries
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
            let result = replay::replay(
                p,
                base.as_deref(),
                ours.as_deref(),
                theirs.as_deref(),
                &refs,
                ctx,
            );
            // A replay a kill interrupted left some files already replayed:
            // the same replay gives the same text, so that is no hand edit.
            let redone = result.as_ref().is_ok_and(|r| {
                blob_id(r.steps.last().cloned().flatten().as_deref())
                    == st.work.map(|o| o.to_string())
            });
            fsio::remove_temps(&self.root, p);
            match result {
                Ok(_) if hand_edited && !redone => {
                    if !resolve {
                        out.conflicts.push(Conflict {
                            path: p.clone(),
                            case: None,
                            ours: "edited by hand around docket's changes".into(),
                            theirs: "changed by another commit".into(),
                        });
                    }
                }
                Ok(replay) => plans.push(Plan {
                    path: p.clone(),
                    entries,
                    replay,
                    theirs,
                }),
                Err(c) if !resolve => out.conflicts.push(c),
                Err(_) => {}
            }
        }
        Ok(plans)
    }

    /// Writes the replayed files and brings the journal up to date: new
    /// bases, what docket wrote, each entry's undo data. Returns the
    /// (entry, path) pairs the other side already had.
    fn carry_out(
        &self,
        journal: &mut Journal,
        state: &mut BTreeMap<String, PathState>,
        plans: Vec<Plan>,
        out: &mut Reconciled,
    ) -> Result<BTreeSet<(usize, String)>, StoreError> {
        let mut skipped = BTreeSet::new();
        let mut reapplied = 0usize;
        for plan in plans {
            let p = plan.path;
            let fin = plan.replay.steps.last().cloned().flatten();
            let fin_blob = fin
                .as_deref()
                .map(|t| Oid::hash_object(git2::ObjectType::Blob, t.as_bytes()))
                .transpose()?;
            if let Some(st) = state.get_mut(&p) {
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
            for (k, &i) in plan.entries.iter().enumerate() {
                let prev = if k == 0 {
                    plan.theirs.clone()
                } else {
                    plan.replay.steps[k - 1].clone()
                };
                let e = &mut journal.entries[i];
                if let Some(pos) = e.paths.iter().position(|x| x == &p) {
                    if let Some(b) = e.before.get_mut(pos) {
                        *b = prev;
                    }
                    if let Some(a) = e.after.get_mut(pos) {
                        *a = blob_id(plan.replay.steps[k].as_deref());
                    }
                }
                if plan.replay.applied[k] {
                    reapplied += 1;
                } else {
                    skipped.insert((i, p.clone()));
                }
            }
        }
        if reapplied > 0 {
            out.notices.push(format!(
                "re-applied {reapplied} pending action(s) on top of the newer files in HEAD"
            ));
        }
        Ok(skipped)
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
