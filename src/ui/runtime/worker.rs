//! The store worker: store work (load, apply, commit, undo, history, diff)
//! on one thread, in order, each job answered with a `Msg`; and noticing
//! when another writer changed the workspace. Matching is `matcher.rs`'s.

use super::loads::{self, indexed};
use crate::model::time;
use crate::model::workspace::{classify, parse_file};
use crate::ops::{self, ChangeSet};
use crate::store::{CommitOptions, Store};
use crate::ui::msg::{Done, Effect, Msg, OpRequest};
use crate::ui::state::changes::ChangeRow;
use crate::ui::state::changes::Reparsed;
use crate::ui::state::error::UiError;
use std::sync::mpsc::{Receiver, Sender, channel};

/// Starts the store worker; effects sent to the returned channel run in
/// order and answer on `tx`. The second channel disconnects when the worker
/// has finished, so the UI can let a write in flight complete on exit.
/// `clock` is the UI's: each load's counts are as of the time it runs, so
/// a reload late in a long session counts ages as the UI shows them.
#[must_use]
pub fn store_worker(
    store: Store,
    tx: Sender<Msg>,
    clock: impl Fn() -> i64 + Send + 'static,
) -> (Sender<Effect>, Receiver<()>) {
    let (jobs, rx) = channel::<Effect>();
    let (done_tx, done) = channel::<()>();
    std::thread::spawn(move || {
        let _done = done_tx;
        // What reconciling with git found on open (a pending change the
        // user committed by hand, an interrupted commit finished) is said
        // once, in the status line.
        if store.has_repository()
            && let Ok(r) = store.reconcile()
            && let Some(text) = said(&r)
        {
            let _ = tx.send(Msg::Notice(text));
        }
        let mut seen = String::new();
        let mut first = true;
        for job in rx {
            let now = clock();
            // The first load shows the cached workspace at once, then the
            // one reconciled with the work tree replaces it.
            // (The first Load: the meeting may be read before it.)
            let first_load = first && matches!(job, Effect::Load);
            if first_load {
                first = false;
            }
            if first_load && let Some(ws) = store.load_quick() {
                // Drawn first from its counts; its lists follow.
                let Some(look) = loads::provisional(ws, now, &tx) else {
                    break;
                };
                let msg = loads::verified(&store, now, look);
                seen = store.stamp();
                if tx.send(msg).is_err() {
                    break;
                }
                continue;
            }
            // Another writer changed the workspace since this window last
            // looked: reconcile, reload, and say so. An edit is still
            // applied by re-reading its file under the lock, so a stale
            // view never overwrites newer content.
            let stamp = store.stamp();
            if matches!(job, Effect::Acknowledge) {
                seen = stamp;
                continue;
            }
            let outside = !seen.is_empty() && stamp != seen;
            let check = matches!(job, Effect::CheckOutside);
            let msgs = if check && !outside {
                Vec::new()
            } else if check {
                reload(&store, now)
            } else {
                let reloads = outside && !matches!(job, Effect::Load);
                let mut msgs: Vec<Msg> = run(&store, job, now).into_iter().collect();
                if reloads {
                    msgs.extend(reload(&store, now));
                }
                msgs
            };
            seen = store.stamp();
            if msgs.into_iter().any(|m| tx.send(m).is_err()) {
                break;
            }
        }
    });
    (jobs, done)
}

/// What reconciling found, as one status line: notices, then conflicts
/// (a commit is refused until they are settled).
fn said(r: &crate::store::Reconciled) -> Option<String> {
    let mut parts = r.notices.clone();
    parts.extend(r.conflicts.iter().map(|c| format!("conflict: {c}")));
    (!parts.is_empty()).then(|| crate::sanitize::line(&parts.join("; ")).into_owned())
}

/// Everything a window needs after another writer changed the workspace.
fn reload(store: &Store, now: i64) -> Vec<Msg> {
    let mut notice = vec!["the workspace changed outside this window; reloaded".to_owned()];
    if let Some(text) = store.reconcile().ok().as_ref().and_then(said) {
        notice.push(text);
    }
    [
        run(store, Effect::Load, now),
        run(store, Effect::RefreshChanges, now),
        // The meeting may have moved on (or ended) in another terminal.
        run(store, Effect::LoadMeeting { show: false }, now),
        Some(Msg::Notice(
            crate::sanitize::line(&notice.join("; ")).into_owned(),
        )),
    ]
    .into_iter()
    .flatten()
    .collect()
}

fn run(store: &Store, job: Effect, now: i64) -> Option<Msg> {
    Some(match job {
        Effect::Load => match loads::in_background(|| store.load()) {
            Ok(ws) => indexed(ws, false, now, None),
            Err(e) => Msg::LoadFailed(e.into()),
        },
        Effect::RefreshChanges => changes(store),
        Effect::Apply(op) => Msg::Applied(apply(store, &op).map_err(UiError::from)),
        Effect::Commit { message, all } => {
            let message = Some(message).filter(|m| !m.trim().is_empty());
            Msg::Committed(
                store
                    .commit(&CommitOptions { message, all })
                    .map(|o| o.summary)
                    .map_err(UiError::from),
            )
        }
        Effect::Undo => Msg::Undone(match store.undo() {
            Ok(Some((actions, paths))) => Ok(Some((actions, reread(store, &paths)))),
            Ok(None) => Ok(None),
            Err(e) => Err(e.into()),
        }),
        Effect::LoadDiff => {
            let mut paths = store.pending().map(|j| j.paths()).unwrap_or_default();
            paths.extend(store.hand_edits().unwrap_or_default());
            Msg::Diff(
                store
                    .diff(&paths)
                    .unwrap_or_else(|e| vec![format!("cannot show the diff: {e}")]),
            )
        }
        Effect::LoadSetDiff { set, generation } => Msg::SetDiff {
            result: store.set_diff(&set, None).map_err(UiError::from),
            set,
            generation,
        },
        Effect::LoadMeeting { .. }
        | Effect::StartMeeting(_)
        | Effect::MeetingStep(..)
        | Effect::FinishMeeting => return super::meeting::run(store, job),
        Effect::LoadHistory { id } => Msg::History {
            result: loads::in_background(|| store.timeline(&id)).map_err(UiError::from),
            id,
        },
        Effect::Sync { choices } => Msg::Synced(
            store
                .sync(&crate::store::SyncOptions {
                    choices: choices.into_iter().collect(),
                })
                .map_err(UiError::from),
        ),
        Effect::Match { .. }
        | Effect::PaletteMatch { .. }
        | Effect::Edit { .. }
        | Effect::CheckOutside
        | Effect::Acknowledge => return None,
    })
}

/// Re-reads files from disk after a change.
#[must_use]
pub fn reread(store: &Store, paths: &[String]) -> Vec<Reparsed> {
    paths
        .iter()
        .filter_map(|p| {
            let kind = classify(p)?;
            let (parsed, diagnostics) = match store.read(p) {
                Ok(f) => parse_file(kind, p, f.text.as_bytes()),
                Err(_) => (None, Vec::new()),
            };
            Some(Reparsed {
                path: p.clone(),
                parsed,
                diagnostics,
            })
        })
        .collect()
}

fn apply(store: &Store, op: &OpRequest) -> anyhow::Result<Done> {
    let who = match op {
        OpRequest::Tag { .. } => None,
        _ => Some(store.identity()?),
    };
    let email = who.map(|w| w.email).unwrap_or_default();
    let cs = store.transact(|journal| -> anyhow::Result<ChangeSet> {
        Ok(match op {
            OpRequest::Tag { case, add, remove } => {
                let (config, _) = store.config()?;
                ops::tag(&config, &store.find_case(case)?, add, remove)?
            }
            OpRequest::Note { case, text } => {
                ops::note(&store.find_case(case)?, &email, &crate::store::now(), text)?
            }
            OpRequest::Dismiss { case, reason } => {
                let (config, _) = store.config()?;
                store.decide_dismiss(&config, case, &email, reason)?
            }
            OpRequest::Promote { case, set } => {
                let (config, _) = store.config()?;
                store.decide_promote(&config, journal, case, set, &email)?
            }
            OpRequest::MemoStatus { memo, to } => {
                let to = crate::model::memo::MemoStatus::from_name(to)
                    .ok_or_else(|| anyhow::anyhow!("unknown memo status {to:?}"))?;
                ops::memo::change_status(&store.find_memo(memo)?, to, &|old| {
                    store.find_memo(old).ok()
                })?
            }
            OpRequest::NewMemo { title } => {
                ops::memo::new_memo(&store.memo_ids(), title, &email, &crate::store::now())?
            }
        })
    })?;
    let files = cs
        .writes
        .iter()
        .filter_map(|w| {
            let kind = classify(&w.path)?;
            let (parsed, diagnostics) = parse_file(kind, &w.path, w.contents.as_bytes());
            Some(Reparsed {
                path: w.path.clone(),
                parsed,
                diagnostics,
            })
        })
        .collect();
    Ok((cs.actions, files))
}

/// The Changes view's rows. Reading the journal takes the workspace lock
/// and may reconcile (a write), so it runs here at the usual priority; the
/// history and git's status over every file (~0.3 s of CPU at 100k cases)
/// are reads, run in the background so the matcher wins the cores.
fn changes(store: &Store) -> Msg {
    let journal = store.pending().unwrap_or_default();
    let (history, hand_edits) = loads::in_background(|| {
        (
            store.history(100).unwrap_or_default(),
            store
                .hand_edits_besides(&journal.paths())
                .unwrap_or_default(),
        )
    });
    let today = time::day(&crate::store::now()).unwrap_or_default();
    let message = ops::summary_line(&journal.actions(), &today);
    let pending = journal
        .entries
        .iter()
        .rev()
        .map(|e| ChangeRow {
            commit: None,
            title: e
                .actions
                .iter()
                .map(ToString::to_string)
                .collect::<Vec<_>>()
                .join("; "),
            when: e.at.clone(),
            author: String::new(),
            actions: e.actions.iter().map(ToString::to_string).collect(),
            paths: e.paths.clone(),
        })
        .collect();
    let history = history
        .into_iter()
        .map(|h| ChangeRow {
            commit: Some(h.id),
            title: h.summary,
            when: time::datetime_from_unix(h.time).to_string(),
            author: h.author,
            actions: h.actions,
            paths: Vec::new(),
        })
        .collect();
    Msg::Changes {
        pending,
        history,
        hand_edits,
        message,
    }
}
