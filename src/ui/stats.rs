//! What the overview counts over every failure case, computed once when the
//! workspace changes (in `update`), not on every frame: at 100k cases a
//! frame has no time to walk them ten times.

use crate::model::case::{Severity, Status};
use crate::model::{Workspace, time};
use crate::ops::governance::{self, Uncovered};
use std::collections::HashMap;

/// Weeks of the failures-per-week chart.
pub const WEEKS: usize = 12;

#[derive(Debug, Clone, Default, PartialEq)]
pub struct CaseStats {
    /// Cases per status, in `Status::ALL` order.
    pub by_status: [usize; 4],
    /// Open (new or triaged) cases per severity, in `Severity::ALL` order.
    pub open_by_severity: [usize; 4],
    /// Cases that occurred within the review cadence.
    pub recent: usize,
    /// Failures per week, oldest to newest.
    pub weeks: [u64; WEEKS],
    /// Cases per tag.
    pub tags: HashMap<String, usize>,
    pub uncovered: Vec<Uncovered>,
}

impl CaseStats {
    #[must_use]
    pub fn status(&self, s: Status) -> usize {
        slot(Status::ALL, s).map_or(0, |i| self.by_status[i])
    }

    #[must_use]
    pub fn open(&self, s: Severity) -> usize {
        slot(Severity::ALL, s).map_or(0, |i| self.open_by_severity[i])
    }
}

/// The position of `v` in `all` (the counts' order).
fn slot<T: PartialEq + Copy>(all: &[T], v: T) -> Option<usize> {
    all.iter().position(|x| *x == v)
}

/// Counts everything in one pass over the cases, as of `now`.
#[must_use]
pub fn compute(ws: &Workspace, now: i64) -> CaseStats {
    let mut st = CaseStats::default();
    let cadence = i64::from(ws.config.review.cadence_days) * 86_400;
    for c in &ws.cases {
        if let Some(i) = slot(Status::ALL, c.status) {
            st.by_status[i] += 1;
        }
        if let Some(sv) = c.severity
            && matches!(c.status, Status::New | Status::Triaged)
            && let Some(i) = slot(Severity::ALL, sv)
        {
            st.open_by_severity[i] += 1;
        }
        if let Some(at) = c.at() {
            if now - at <= cadence {
                st.recent += 1;
            }
            if let Ok(w) = usize::try_from((now - at).div_euclid(7 * 86_400))
                && w < WEEKS
            {
                st.weeks[WEEKS - 1 - w] += 1;
            }
        }
        for t in c.tags.iter() {
            match st.tags.get_mut(t) {
                Some(n) => *n += 1,
                None => {
                    st.tags.insert(t.to_owned(), 1);
                }
            }
        }
    }
    st.uncovered = governance::uncovered_incidents(ws, &time::datetime_from_unix(now));
    st
}
