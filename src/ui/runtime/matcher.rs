//! The matcher thread: ranks a view's (or the palette's) index for a query
//! and answers `Msg::Matched`. Of the queries waiting, only the newest per
//! view is matched, so typing fast never queues work.

use crate::ui::items::{self, View, query};
use crate::ui::msg::{Effect, Msg};
use std::sync::mpsc::{Receiver, Sender, channel};

/// Starts the matcher: of the queries waiting, only the newest per view is
/// matched, so typing fast never queues work. A long ranking sends its
/// first chunk's matches at once and gives way, between chunks, to a newer
/// query for the same view.
#[must_use]
pub fn match_worker(tx: Sender<Msg>) -> Sender<Effect> {
    let (jobs, rx): (Sender<Effect>, Receiver<Effect>) = channel();
    std::thread::spawn(move || {
        // Per view, the last query matched and its answer: a query typed
        // on from it is matched among those items only.
        let mut last: Vec<(View, std::sync::Arc<items::SearchIndex>, String, Vec<u32>)> =
            Vec::new();
        let mut waiting: Vec<Effect> = Vec::new();
        loop {
            if waiting.is_empty() {
                match rx.recv() {
                    Ok(e) => waiting.push(e),
                    Err(_) => return,
                }
            }
            waiting.extend(rx.try_iter());
            let batch = std::mem::take(&mut waiting);
            let mut newest: Vec<Effect> = Vec::new();
            for e in batch.into_iter().rev() {
                let key = |e: &Effect| match e {
                    Effect::Match { view, .. } => Some(*view),
                    _ => None,
                };
                if !newest.iter().any(|n| {
                    std::mem::discriminant(n) == std::mem::discriminant(&e) && key(n) == key(&e)
                }) {
                    newest.push(e);
                }
            }
            for e in newest {
                let msg = match e {
                    Effect::Match {
                        view,
                        generation,
                        query,
                        sort,
                        index,
                    } => {
                        let prev = last.iter().position(|(v, ..)| *v == view);
                        // The same query again (a reload that kept the
                        // index) matches the same items: rank only those.
                        let among = prev.map(|p| &last[p]).filter(|(_, i, q, _)| {
                            std::sync::Arc::ptr_eq(i, &index)
                                && (*q == query || query::narrows(q, &query))
                        });
                        let step = |partial: Option<&[u32]>| {
                            if let Some(p) = partial {
                                let visible = p.to_vec();
                                let _ = tx.send(Msg::Matched {
                                    view,
                                    generation,
                                    visible,
                                    partial: true,
                                });
                            }
                            waiting.extend(rx.try_iter());
                            !waiting
                                .iter()
                                .any(|w| matches!(w, Effect::Match { view: v, .. } if *v == view))
                        };
                        let among = among.map(|l| &l.3[..]);
                        let Some(visible) =
                            query::select_streaming(&index, &query, sort, among, step)
                        else {
                            continue;
                        };
                        if let Some(p) = prev {
                            last.swap_remove(p);
                        }
                        last.push((view, index, query, visible.clone()));
                        Msg::Matched {
                            view,
                            generation,
                            visible,
                            partial: false,
                        }
                    }
                    Effect::PaletteMatch {
                        generation,
                        query,
                        index,
                    } => Msg::PaletteMatched {
                        generation,
                        visible: query::select(&index, &query, items::Sort::Id),
                    },
                    _ => continue,
                };
                if tx.send(msg).is_err() {
                    return;
                }
            }
        }
    });
    jobs
}
