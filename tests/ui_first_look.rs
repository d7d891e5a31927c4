#![allow(clippy::unwrap_used, clippy::expect_used)]
//! A window's first load through the real store worker on a real
//! repository: the first look from the cache, its lists' indexes, then the
//! verified load — which keeps the first look's Inbox index when the work
//! tree holds the cases the cache showed, and builds a new one when a file
//! was edited by hand behind the cache's back.

mod common;

use docket::store::Store;
use docket::ui::items::{SearchIndex, View};
use docket::ui::msg::{Effect, Msg};
use std::sync::Arc;
use std::time::Duration;

/// The Inbox index of the first look and of the verified load, and the
/// verified load's summary of `case`.
fn first_load(store: &Store, case: &str) -> (Arc<SearchIndex>, Arc<SearchIndex>, String) {
    let (tx, rx) = std::sync::mpsc::channel();
    let (jobs, _done) = docket::ui::runtime::worker::store_worker(store.clone(), tx, || 0);
    jobs.send(Effect::Load).unwrap();
    let mut first = None;
    loop {
        match rx.recv_timeout(Duration::from_secs(60)).unwrap() {
            Msg::LoadedIndexed(l) if l.provisional => {
                assert!(
                    first.is_none() && l.indexes.is_empty(),
                    "drawn first from its counts"
                );
            }
            Msg::Indexes(indexes) => {
                let (v, idx) = indexes.into_iter().next().unwrap();
                assert_eq!(v, View::Inbox);
                first = Some(idx);
            }
            Msg::LoadedIndexed(l) => {
                let inbox = l
                    .indexes
                    .into_iter()
                    .find(|(v, _)| *v == View::Inbox)
                    .unwrap()
                    .1;
                let summary = l.ws.case(case).unwrap().summary.to_owned();
                return (first.expect("the first look came first"), inbox, summary);
            }
            _ => {}
        }
    }
}

/// The example workspace with its cache written by a load (what the first
/// look reads), a case of it, and that case's summary.
fn cached_example() -> (common::Workspace, Store, common::Case, String) {
    let ws = common::Workspace::example();
    let store = Store::open(&ws.root).unwrap();
    let case = ws.promotable(1).remove(0);
    let loaded = store.load().unwrap();
    let summary = loaded.case(&case.id).unwrap().summary.to_owned();
    (ws, store, case, summary)
}

#[test]
fn the_verified_load_keeps_the_first_looks_index_when_nothing_changed() {
    let (_ws, store, case, before) = cached_example();
    let (first, verified, summary) = first_load(&store, &case.id);
    assert!(
        Arc::ptr_eq(&first, &verified),
        "the same index, so typing on narrows"
    );
    assert_eq!(summary, before);
}

#[test]
fn a_file_edited_behind_the_cache_gets_a_new_index() {
    let (ws, store, case, before) = cached_example();
    // An editor changes the case after the cache was written; git's index
    // still vouches for the old blob, so the first look shows the old row.
    let path = ws.root.join(&case.path);
    let text = std::fs::read_to_string(&path).unwrap();
    std::fs::write(&path, text.replacen(&before, "Zyzzogeton by hand", 1)).unwrap();
    let (first, verified, summary) = first_load(&store, &case.id);
    assert!(!Arc::ptr_eq(&first, &verified));
    assert_eq!(summary, "Zyzzogeton by hand");
    let hit =
        docket::ui::items::query::select(&verified, "zyzzogeton", docket::ui::items::Sort::Id);
    assert_eq!(hit.len(), 1, "the new index finds the edited summary");
}
