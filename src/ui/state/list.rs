//! One view's list as data: its search index, query, visible items and
//! cursor. Filtering and cursor movement are `update`'s (`update/filter.rs`,
//! `update/navigation.rs`); nothing here imports them.

use crate::ui::items::SearchIndex;
use std::sync::Arc;

/// One view's list: its index, the query, the visible items and the cursor.
#[derive(Debug, Clone, Default)]
pub struct ListState {
    pub index: Arc<SearchIndex>,
    pub query: String,
    /// Indices into the view's items, in display order.
    pub visible: Vec<u32>,
    pub selected: usize,
    pub offset: usize,
    /// Bumped per query; a worker's answer for an older one is dropped.
    pub generation: u64,
    /// A query has been sent to the worker and not answered yet.
    pub matching: bool,
    /// The query changed: the cursor goes to the best match, not back to
    /// the item it was on.
    pub reset: bool,
    /// The id of the item the cursor was on before the data changed.
    pub anchor: Option<String>,
}

impl ListState {
    /// The item index under the cursor.
    #[must_use]
    pub fn current(&self) -> Option<usize> {
        self.visible.get(self.selected).map(|&i| i as usize)
    }
}
