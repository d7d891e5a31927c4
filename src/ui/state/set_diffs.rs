//! What changed in each set since its last review, as far as the worker has
//! answered. Asking and taking answers is `update/set_diffs.rs`'s.

use crate::store::SetDiff;
use std::collections::BTreeMap;

/// What changed in each set since the last review, as far as the worker
/// has answered: reading it walks git history, so it is asked for when a
/// set is first shown and kept until HEAD may have moved.
#[derive(Debug, Clone, Default)]
pub struct SetDiffs {
    /// Bumped when HEAD may have moved (a commit, a reload); an entry asked
    /// for under an older generation is asked for again when shown, and an
    /// answer to an older request is dropped.
    pub generation: u64,
    pub by_set: BTreeMap<String, SetDiffEntry>,
}

#[derive(Debug, Clone)]
pub struct SetDiffEntry {
    /// The generation it was last asked for under.
    pub generation: u64,
    /// `None` until the first answer. A newer request keeps the older
    /// answer on screen until it is replaced, so nothing flickers.
    pub result: Option<Result<SetDiff, crate::ui::state::error::UiError>>,
}
