//! What the overview counts over every failure case and what it judges
//! (governance findings, pass rates), computed when the workspace changes
//! (the counts off the UI thread with each load, in `update` after an
//! edit), not on every frame: at 100k cases a frame has no time to walk
//! them ten times.

use crate::model::case::{Severity, Status};
use crate::model::memo::MemoStatus;
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

/// What the overview judges beside the counts: governance findings, pass
/// rates and the tag chart. Computed in `update` when the workspace
/// changes (a load, an edit) or `now` enters a new day, and only read
/// while drawing: a frame never runs the governance checks.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Findings {
    /// Active runbooks that fail a launch control, with the controls.
    pub not_ready: Vec<(String, Vec<&'static str>)>,
    /// Runbooks eligible for the next autonomy tier, as `id → tier`.
    pub eligible: Vec<String>,
    /// Accepted and proposed memos past their `review_by`, as `id title`.
    pub memos_due: Vec<String>,
    /// Each set's pass-rate trend.
    pub sets: Vec<SetTrend>,
    /// The taxonomy's tags with their case counts, most used first.
    pub tags: Vec<(String, usize)>,
}

/// One set's runs: pass rates oldest to newest, and whether the latest
/// reaches the set's `min_pass_rate`.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct SetTrend {
    pub id: String,
    pub rates: Vec<f64>,
    pub passes: bool,
}

/// Judges the workspace as of `now`, with `stats` already counted.
#[must_use]
pub fn findings(ws: &Workspace, stats: &CaseStats, now: i64) -> Findings {
    let today = time::datetime_from_unix(now);
    let not_ready = ws
        .runbooks
        .iter()
        .filter(|r| r.status == "active")
        .map(|r| {
            let failing = governance::readiness(ws, r, &today)
                .into_iter()
                .filter(|c| !c.ok)
                .map(|c| c.name)
                .collect::<Vec<_>>();
            (r.id.clone(), failing)
        })
        .filter(|(_, f)| !f.is_empty())
        .collect();
    let eligible = governance::autonomy(ws, &today)
        .into_iter()
        .filter(|l| l.eligible)
        .map(|l| format!("{} → {}", l.id, l.next.unwrap_or_default()))
        .collect();
    let memos_due = ws
        .memos
        .iter()
        .filter(|m| matches!(m.status, MemoStatus::Accepted | MemoStatus::Proposed))
        .filter(|m| {
            m.review_by
                .as_ref()
                .and_then(time::unix_from_datetime)
                .is_some_and(|r| r <= now)
        })
        .map(|m| format!("{} {}", m.id, m.title))
        .collect();
    let sets = ws
        .sets
        .iter()
        .map(|set| {
            let rates: Vec<f64> = ws
                .runs_of(&set.id)
                .filter_map(crate::model::EvalRun::pass_rate)
                .collect();
            let passes = rates.last().is_some_and(|r| *r >= set.min_pass_rate);
            SetTrend {
                id: set.id.clone(),
                rates,
                passes,
            }
        })
        .collect();
    let mut tags: Vec<(String, usize)> = ws
        .config
        .tags
        .iter()
        .map(|tag| {
            let n = stats.tags.get(&tag.name).copied().unwrap_or(0);
            (tag.name.clone(), n)
        })
        .collect();
    tags.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    Findings {
        not_ready,
        eligible,
        memos_due,
        sets,
        tags,
    }
}
