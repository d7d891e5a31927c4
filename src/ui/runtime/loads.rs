//! A window's loads, with their search indexes built off the UI thread: the
//! first load gives a first look from the cache at once, then the verified
//! load, which keeps what the first look built when the work tree turned
//! out to hold the same cases.

use crate::model::CaseTable;
use crate::store::Store;
use crate::ui::items::{self, SearchIndex, View};
use crate::ui::msg::Msg;
use std::sync::Arc;
use std::sync::mpsc::Sender;

/// What the first look built that the verified load may keep: the cases
/// it showed and their Inbox index (filtering may already be narrowing
/// within it).
pub struct FirstLook {
    cases: CaseTable,
    inbox: Arc<SearchIndex>,
}

/// Sends the first look: the workspace with its counts but no indexes (what
/// the overview needs), then its lists' indexes as a second message.
/// `None` when the UI has gone.
#[must_use]
pub fn provisional(ws: crate::model::Workspace, now: i64, tx: &Sender<Msg>) -> Option<FirstLook> {
    let stats = crate::ui::stats::compute(&ws, now);
    let first = Msg::LoadedIndexed(Box::new(crate::ui::msg::Indexed {
        ws: ws.clone(),
        indexes: Vec::new(),
        palette: None,
        stats,
        provisional: true,
    }));
    tx.send(first).ok()?;
    let views = [View::Inbox, View::Sets, View::Runbooks, View::Memos];
    let indexes: Vec<_> = views.iter().map(|&v| (v, items::index(&ws, v))).collect();
    let inbox = Arc::clone(&indexes[0].1);
    tx.send(Msg::Indexes(indexes)).ok()?;
    Some(FirstLook {
        cases: ws.cases,
        inbox,
    })
}

/// The verified load after a first look. It runs at a lower priority than
/// the matcher and the UI, so a reviewer typing a filter while it runs is
/// answered first; when it finds the cases the first look showed, the
/// Inbox keeps its index, so a query typed on still narrows.
#[must_use]
pub fn verified(store: &Store, now: i64, look: FirstLook) -> Msg {
    match in_background(|| store.load()) {
        Ok(ws) => {
            let same = ws.cases == look.cases;
            indexed(ws, false, now, same.then_some(look.inbox))
        }
        Err(e) => Msg::LoadFailed(e.into()),
    }
}

/// Runs `f` on a thread of its own at a lower scheduling priority, and
/// waits for it: for the reads that refresh what a window shows (a load,
/// git's status for the Changes view), so that the matcher and the UI win
/// the cores while a reviewer types. Nothing that takes the workspace lock
/// runs here (a starved holder would make another docket wait for the
/// lock), and writes keep the usual priority whatever else the machine is
/// doing.
pub fn in_background<T: Send>(f: impl FnOnce() -> T + Send) -> T {
    std::thread::scope(|s| {
        s.spawn(|| {
            lower_priority();
            f()
        })
        .join()
        .unwrap_or_else(|e| std::panic::resume_unwind(e))
    })
}

/// Lowers this thread's scheduling priority (Linux: `nice` is per thread,
/// and the threads it starts inherit it). Best effort: where it cannot,
/// the work runs at the usual priority.
fn lower_priority() {
    #[cfg(target_os = "linux")]
    {
        let _ = rustix::process::setpriority_process(Some(rustix::thread::gettid()), 10);
    }
}

#[must_use]
/// A loaded workspace with its search indexes built here, off the UI thread;
/// `inbox`, when given, is already the Inbox's index of these cases.
pub fn indexed(
    ws: crate::model::Workspace,
    provisional: bool,
    now: i64,
    inbox: Option<std::sync::Arc<SearchIndex>>,
) -> Msg {
    let mut inbox = inbox;
    let indexes = [View::Inbox, View::Sets, View::Runbooks, View::Memos]
        .into_iter()
        .map(|v| {
            let kept = if v == View::Inbox { inbox.take() } else { None };
            (v, kept.unwrap_or_else(|| items::index(&ws, v)))
        })
        .collect();
    let palette = (!provisional).then(|| crate::ui::update::palette::palette_index(&ws));
    let stats = crate::ui::stats::compute(&ws, now);
    Msg::LoadedIndexed(Box::new(crate::ui::msg::Indexed {
        ws,
        indexes,
        palette,
        stats,
        provisional,
    }))
}
