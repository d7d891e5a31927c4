//! Which pending changes are done: what HEAD already holds as docket wrote
//! it, what went back to HEAD's text by hand, and which change sets are
//! only partly there. Judgments over the journal and the files' blob ids;
//! nothing here reads or writes a file.

use super::{PathState, base_of, blob_id};
use crate::ops::{Conflict, Intent};
use crate::store::journal::Journal;
use std::collections::{BTreeMap, BTreeSet};

/// For each path, the entries HEAD already holds: when HEAD's blob is what
/// some entry wrote there, that entry and every earlier one are committed
/// for that path (the user's own `git commit`, maybe of only some files),
/// and the path's base moves to HEAD. What differs from HEAD after that is
/// later docket changes or ordinary hand edits, not someone else's commit.
pub(super) fn committed_prefix(
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
pub(super) fn chain_intact(journal: &Journal, p: &str) -> bool {
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
pub(super) fn settle(
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
pub(super) fn partly_undone(
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
