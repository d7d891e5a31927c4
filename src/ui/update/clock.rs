//! Time passing: the runtime refreshes `now` on a timer, and the frame is
//! redrawn only when something shown reads differently — an age in the
//! Inbox, or, when a new day begins, the overview's counts and findings or
//! the detail pane (a runbook's readiness is judged as of the day). An
//! idle window whose ages hold writes nothing to the terminal.

use super::derived;
use super::detail::refresh_detail;
use crate::ui::ages::{self, DAY};
use crate::ui::items::View;
use crate::ui::layout;
use crate::ui::state::AppState;
use crate::ui::stats;

/// Moves the state's clock to `now`; returns whether the frame changed.
pub fn tick(s: &mut AppState, now: i64) -> bool {
    if now == s.now {
        return false;
    }
    let before = shown_ages(s);
    let new_day = s.now.div_euclid(DAY) != now.div_euclid(DAY);
    s.now = now;
    let mut changed = false;
    if new_day {
        let (counts, findings, lines) =
            (s.stats.clone(), s.findings.clone(), s.detail.lines.clone());
        if let Some(ws) = &s.ws {
            s.stats = stats::compute(ws, now);
        }
        derived::judge(s);
        refresh_detail(s, true);
        changed = if s.view == View::Overview {
            counts != s.stats || findings != s.findings
        } else {
            lines != s.detail.lines
        };
    }
    // Meeting mode shows the elapsed time to the second.
    changed || before != shown_ages(s) || s.in_meeting()
}

/// The ages of the Inbox rows on screen (none when the Inbox is not).
fn shown_ages(s: &AppState) -> Vec<String> {
    if s.view != View::Inbox || layout::too_small(s.width, s.height) {
        return Vec::new();
    }
    let Some(ws) = &s.ws else {
        return Vec::new();
    };
    let list = s.list();
    let rows = layout::list_rows(s.width, s.height);
    list.visible
        .iter()
        .skip(list.offset)
        .take(rows)
        .filter_map(|&i| ws.cases.get(i as usize))
        .map(|c| ages::case_age(c, s.now))
        .collect()
}
