//! Re-applying pending actions on top of someone else's commit: the version
//! each set's pending promotions go into, the replay of each moved file in
//! memory ([`crate::ops::replay`]), then writing the results and bringing
//! the journal's undo data up to date.

use super::settle::chain_intact;
use super::{Head, PathState, Reconciled, base_of, blob_id, blob_text};
use crate::model::EvalSet;
use crate::ops::replay::{self, Context, Replay};
use crate::ops::{Action, Conflict, Intent};
use crate::store::journal::Journal;
use crate::store::{Store, StoreError, fsio};
use git2::{Oid, Repository};
use std::collections::{BTreeMap, BTreeSet};

/// One path's replay, before it is written.
pub(super) struct Plan {
    path: String,
    /// The journal entries that wrote the path, in order.
    entries: Vec<usize>,
    replay: Replay,
    theirs: Option<String>,
}

impl Store {
    /// The version each set's pending promotions go into — one more than
    /// the other side's when it bumped the set too — and the sets whose
    /// pending promotions must be renumbered.
    pub(super) fn versions(
        &self,
        repo: &Repository,
        head: &Head<'_>,
        journal: &Journal,
        state: &BTreeMap<String, PathState>,
    ) -> (Context, BTreeSet<String>) {
        let mut ctx = Context {
            // Double review as committed: a decision done again on HEAD's
            // files still needs its second reviewer there.
            rules: self
                .committed(crate::model::config::FILE)
                .ok()
                .flatten()
                .and_then(|t| crate::model::Config::parse(&t).ok().map(|(c, _)| c)),
            ..Context::default()
        };
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
    pub(super) fn plan(
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
            let ours = self.current(p)?;
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
    pub(super) fn carry_out(
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
}
