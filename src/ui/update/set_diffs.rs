//! The Sets view's "since the last review" section, as state: ask the
//! worker for the shown set's diff when there is no answer for the current
//! generation, take answers, and forget them when HEAD may have moved. No
//! I/O here — only effects.

use super::detail::refresh_detail;
use crate::store::SetDiff;
use crate::ui::items::View;
use crate::ui::msg::Effect;
use crate::ui::state::AppState;
use crate::ui::state::error::UiError;
use crate::ui::state::set_diffs::SetDiffEntry;

/// Asks for the diff of the set under the cursor, once per generation.
/// Called after every message, so however the cursor got there (keys, the
/// palette, a reload) the section fills in.
pub(super) fn request(s: &mut AppState, fx: &mut Vec<Effect>) {
    if s.view != View::Sets {
        return;
    }
    let Some(set) = s.list().current().and_then(|i| s.ws.as_ref()?.sets.get(i)) else {
        return;
    };
    let generation = s.set_diffs.generation;
    match s.set_diffs.by_set.get_mut(&set.id) {
        Some(e) if e.generation == generation => return,
        Some(e) => e.generation = generation,
        None => {
            s.set_diffs.by_set.insert(
                set.id.clone(),
                SetDiffEntry {
                    generation,
                    result: None,
                },
            );
        }
    }
    fx.push(Effect::LoadSetDiff {
        set: set.id.clone(),
        generation,
    });
}

/// Takes the worker's answer, unless a newer request is on its way.
pub(super) fn received(
    s: &mut AppState,
    set: &str,
    generation: u64,
    result: Result<SetDiff, UiError>,
) {
    let Some(e) = s.set_diffs.by_set.get_mut(set) else {
        return;
    };
    if e.generation != generation {
        return;
    }
    e.result = Some(result);
    if s.detail.key == format!("set:{set}") {
        refresh_detail(s, true);
    }
}

/// HEAD may have moved (a commit, a reload): every answer is stale. They
/// stay shown until the new ones arrive.
pub(super) fn invalidate(s: &mut AppState) {
    s.set_diffs.generation += 1;
}
