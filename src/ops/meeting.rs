//! Meeting mode, as data: the agenda of a review meeting, the meeting in
//! progress (kept by the store so a dropped connection resumes it), and the
//! minutes written when it finishes.
//!
//! The agenda is every failure case still `new` — what no meeting has
//! tagged, promoted or dismissed, so it holds what arrived since the last
//! `review/*` tag — and what the last meeting skipped to this one, plus
//! every undecided case carrying double-review verdicts (split, or waiting
//! for a second reviewer); by severity (sev1 first, none last), then age
//! (oldest first). It is fixed when the meeting
//! starts, so the progress line (12 of 40) means the same all meeting.
//!
//! The decisions in the minutes are the docket actions made while the
//! meeting ran, read from the commits since it began and the pending
//! changes: whatever made them (the UI's keys, the command line in a second
//! terminal) they are in the minutes, and an undone one is not.

use super::{Action, ChangeSet, FileWrite, OpError};
use crate::model::Workspace;
use crate::model::case::Status;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::fmt::Write as _;
use toml_edit::Value;

mod stats;
pub use stats::{Agreement, agreement};

/// A review meeting in progress.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Meeting {
    /// The day it started (`YYYY-MM-DD`): the tag is `review/<day>`.
    pub day: String,
    /// When it started, Unix seconds (for the elapsed time).
    pub started: i64,
    /// HEAD when it started: the decisions are the docket actions after it.
    pub head: Option<String>,
    /// The `review/*` tag it follows, if any.
    pub since: Option<String>,
    /// Attendees' emails, from `[[reviewers]]`.
    pub attendees: Vec<String>,
    /// The case ids to review, in order.
    pub agenda: Vec<String>,
    /// How far it got: the index of the case under review.
    pub position: usize,
    /// Cases skipped to the next meeting.
    #[serde(default)]
    pub skipped: Vec<String>,
    /// The minutes' commit and memo, once committed: a finish that stopped
    /// before its tag (killed, a refused signature) only tags when run
    /// again, never writes the minutes twice.
    #[serde(default)]
    pub minutes: Option<(String, String)>,
}

/// Where a meeting starting now begins in history (the store reads it).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Start {
    /// HEAD: the meeting's decisions are the docket actions after it.
    pub head: Option<String>,
    /// The newest `review/*` tag HEAD contains.
    pub since: Option<String>,
    /// The cases that meeting skipped to this one (its tag's
    /// `Docket-Skipped:` lines).
    pub carried: Vec<String>,
}

/// One step of a meeting in progress, applied by the store to the meeting
/// on disk under its lock (so a second terminal's steps are kept, and a
/// meeting finished elsewhere is not brought back by a stale window).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Step {
    /// The case at this agenda index is under review.
    At(usize),
    /// `case` waits for the next meeting; the meeting goes on at `next`.
    Skip { case: String, next: usize },
}

impl Meeting {
    /// Whether `other` is this same meeting (another window's copy).
    #[must_use]
    pub fn same(&self, other: &Self) -> bool {
        self.started == other.started && self.head == other.head && self.day == other.day
    }

    /// Applies `step`.
    pub fn apply(&mut self, step: &Step) {
        match step {
            Step::At(i) => self.position = (*i).min(self.agenda.len().saturating_sub(1)),
            Step::Skip { case, next } => {
                if !self.skipped.contains(case) {
                    self.skipped.push(case.clone());
                }
                self.position = (*next).min(self.agenda.len().saturating_sub(1));
            }
        }
    }
}

impl Meeting {
    /// The progress line: `12 of 40 · 00:14:32`.
    #[must_use]
    pub fn progress(&self, now: i64) -> String {
        let secs = (now - self.started).max(0);
        format!(
            "{} of {} · {:02}:{:02}:{:02}",
            (self.position + 1).min(self.agenda.len()),
            self.agenda.len(),
            secs / 3600,
            secs / 60 % 60,
            secs % 60
        )
    }
}

/// The emails of `wanted` (emails or names of `[[reviewers]]`), once each;
/// `Err` names one that is not a reviewer and lists those that are.
pub fn attendees(config: &crate::model::Config, wanted: &[String]) -> Result<Vec<String>, String> {
    let mut chosen: Vec<String> = Vec::new();
    for a in wanted {
        let Some(r) = config
            .reviewers
            .iter()
            .find(|r| r.email == *a || r.name == *a)
        else {
            let known: Vec<&str> = config.reviewers.iter().map(|r| r.email.as_str()).collect();
            return Err(format!(
                "{a} is not a reviewer: docket.toml's [[reviewers]] lists {}",
                if known.is_empty() {
                    "none".to_owned()
                } else {
                    known.join(", ")
                }
            ));
        };
        if !chosen.contains(&r.email) {
            chosen.push(r.email.clone());
        }
    }
    Ok(chosen)
}

/// A meeting starting at `now` with `attendees` (emails) where history
/// stands (`start`), its agenda taken from `ws`.
#[must_use]
pub fn new_meeting(
    ws: &Workspace,
    attendees: Vec<String>,
    now: &toml::value::Datetime,
    start: Start,
) -> Meeting {
    Meeting {
        day: crate::model::time::day(now).unwrap_or_default(),
        started: crate::model::time::unix_from_datetime(now).unwrap_or(0),
        agenda: agenda(ws, &start.carried),
        head: start.head,
        since: start.since,
        attendees,
        position: 0,
        skipped: Vec::new(),
        minutes: None,
    }
}

/// The agenda of a meeting starting now (see the module's comment).
#[must_use]
pub fn agenda(ws: &Workspace, carried: &[String]) -> Vec<String> {
    let mut items: Vec<(u8, i64, &str)> = ws
        .cases
        .iter()
        .filter(|c| match c.status {
            Status::New => true,
            // Skipped to this meeting by the last, though tagged since.
            Status::Triaged if carried.iter().any(|id| id == c.id) => true,
            // Triaged but waiting on double review: split, or one verdict
            // waiting for a second reviewer (who may give it here).
            Status::Triaged => c.review.verdicts > 0,
            Status::Promoted | Status::Dismissed => false,
        })
        .map(|c| {
            let sev = c
                .severity
                .and_then(|s| {
                    crate::model::case::Severity::ALL
                        .iter()
                        .position(|x| *x == s)
                })
                .map_or(u8::MAX, |i| u8::try_from(i).unwrap_or(u8::MAX));
            (sev, c.at().unwrap_or(i64::MAX), c.id)
        })
        .collect();
    items.sort_unstable();
    items.into_iter().map(|(_, _, id)| id.to_owned()).collect()
}

/// One decision the minutes record: who made it and what it was.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Decision {
    pub by: String,
    pub action: Action,
    /// A dismissal's reason, read from the case.
    pub reason: Option<String>,
}

/// The minutes memo of `m`, drafted as an accepted memo (a record: its
/// body is frozen from the commit that adds it), with the decisions, the
/// counts and the follow-ups (skipped cases, verdicts awaiting a second
/// reviewer, cases of the agenda not reached).
pub fn minutes(
    m: &Meeting,
    decisions: &[Decision],
    existing_memos: &[String],
    names: &BTreeMap<String, String>,
    ended: i64,
) -> Result<ChangeSet, OpError> {
    let id = super::memo::next_id(existing_memos)?;
    let r = Record {
        m,
        decisions,
        names,
    };
    let mut text = r.front_matter(&id);
    r.context(&mut text, ended);
    text.push_str("## Assumptions\n\nEach decision below was made by the reviewer named with it, with the attendees present; a double-review case counts a meeting's verdict as that one reviewer's.\n\n");
    text.push_str("## Constraints\n\nOnly tags of the taxonomy were applied; cases under double review are decided only by two reviewers' agreeing verdicts.\n\n");
    r.decisions(&mut text);
    r.plan(&mut text);
    text.push_str("\nFollow-ups:\n\n");
    text.push_str(&r.follow_ups().join("\n"));
    text.push('\n');
    let path = format!("memos/{id}-eval-review-{}.md", m.day);
    Ok(ChangeSet {
        writes: vec![FileWrite {
            path,
            contents: crate::sanitize::block(&text).into_owned(),
        }],
        actions: vec![Action::MemoNew { id }],
        intents: Vec::new(),
    })
}

/// What the minutes are written from.
struct Record<'a> {
    m: &'a Meeting,
    decisions: &'a [Decision],
    names: &'a BTreeMap<String, String>,
}

impl Record<'_> {
    /// `Name <email>` for a listed reviewer, else the email.
    fn name(&self, email: &str) -> String {
        self.names
            .get(email)
            .map_or_else(|| email.to_owned(), |n| format!("{n} <{email}>"))
    }

    fn count(&self, f: fn(&Action) -> bool) -> usize {
        self.decisions.iter().filter(|d| f(&d.action)).count()
    }

    fn front_matter(&self, id: &str) -> String {
        let m = self.m;
        format!(
            "+++\nid = \"{id}\"\ntitle = {}\nstatus = \"accepted\"\ndate = {}\nowner = {}\ndeciders = [{}]\nagents = []\ndata_sources = []\n+++\n",
            Value::from(format!("Eval review {}", m.day)),
            m.day,
            Value::from(m.attendees.first().map_or("", String::as_str)),
            m.attendees
                .iter()
                .map(|a| Value::from(a.as_str()).to_string())
                .collect::<Vec<_>>()
                .join(", "),
        )
    }

    fn context(&self, text: &mut String, ended: i64) {
        let m = self.m;
        let attendees = if m.attendees.is_empty() {
            "none recorded".to_owned()
        } else {
            let all: Vec<String> = m.attendees.iter().map(|a| self.name(a)).collect();
            all.join(", ")
        };
        let _ = write!(
            text,
            "## Context\n\nThe eval-review meeting of {}{}, {} minutes. Attendees: {attendees}. The agenda held {} case(s): every failure still new and every undecided case with double-review verdicts; the meeting reached {}.\n\n",
            m.day,
            m.since
                .as_ref()
                .map(|t| format!(", the first since {t}"))
                .unwrap_or_default(),
            (ended - m.started).max(0) / 60,
            m.agenda.len(),
            self.reached(),
        );
    }

    /// The cases given a verdict in the meeting and still undecided at its
    /// end (a verdict later decided, or given twice, counts once or not).
    fn waiting(&self) -> Vec<&str> {
        let mut out: Vec<&str> = Vec::new();
        for (i, d) in self.decisions.iter().enumerate() {
            let Action::Verdict { case, .. } = &d.action else {
                continue;
            };
            let decided = self.decisions[i..].iter().any(|l| {
                matches!(&l.action, Action::Promote { case: c, .. } | Action::Dismiss { case: c } if c == case)
            });
            if !decided && !out.contains(&case.as_str()) {
                out.push(case);
            }
        }
        out
    }

    fn reached(&self) -> usize {
        (self.m.position + 1).min(self.m.agenda.len())
    }

    fn decisions(&self, text: &mut String) {
        text.push_str("## Decision\n\n");
        if self.decisions.is_empty() {
            text.push_str("No case was decided.\n");
        }
        for d in self.decisions {
            let _ = writeln!(text, "- {} ({})", decision_line(d), self.name(&d.by));
        }
        let _ = write!(
            text,
            "\n## Metrics for success\n\n{} tagged, {} promoted, {} dismissed, {} verdict(s) awaiting a second reviewer, {} skipped to the next meeting.\n\n",
            self.count(|a| matches!(a, Action::Tag { .. })),
            self.count(|a| matches!(a, Action::Promote { .. })),
            self.count(|a| matches!(a, Action::Dismiss { .. })),
            self.waiting().len(),
            self.m.skipped.len()
        );
    }

    fn plan(&self, text: &mut String) {
        text.push_str("## Evaluation plan\n\n");
        let sets: Vec<String> = self
            .decisions
            .iter()
            .filter_map(|d| match &d.action {
                Action::Promote { set, version, .. } => Some(format!("{set}@v{version}")),
                _ => None,
            })
            .collect();
        if sets.is_empty() {
            text.push_str("No eval set changed.\n");
        } else {
            let _ = writeln!(
                text,
                "Run the changed sets before the next meeting (`docket export`, then `docket run import`): {}.",
                dedup(sets).join(", ")
            );
        }
    }

    fn follow_ups(&self) -> Vec<String> {
        let m = self.m;
        let touched: Vec<&str> = self
            .decisions
            .iter()
            .filter_map(|d| case_of(&d.action))
            .collect();
        // Every agenda case neither decided nor skipped is named: passed
        // over (the meeting moved past it, or stopped on it), or not
        // reached at all.
        let open = |c: &&String| !touched.contains(&c.as_str()) && !m.skipped.contains(c);
        let passed: Vec<&String> = m.agenda.iter().take(self.reached()).filter(open).collect();
        let unreached: Vec<&String> = m.agenda.iter().skip(self.reached()).filter(open).collect();
        let mut follow = Vec::new();
        follow.extend(
            m.skipped
                .iter()
                .map(|c| format!("- `{c}` skipped to the next meeting")),
        );
        follow.extend(
            self.waiting()
                .iter()
                .map(|c| format!("- `{c}` awaits a second reviewer's verdict")),
        );
        follow.extend(
            passed
                .iter()
                .map(|c| format!("- `{c}` passed over without a decision")),
        );
        // A long backlog is summed up, not listed: it is on the next
        // meeting's agenda anyway.
        follow.extend(
            unreached
                .iter()
                .take(UNREACHED_LISTED)
                .map(|c| format!("- `{c}` not reached")),
        );
        if unreached.len() > UNREACHED_LISTED {
            follow.push(format!(
                "- and {} more not reached",
                unreached.len() - UNREACHED_LISTED
            ));
        }
        if follow.is_empty() {
            follow.push("- none".to_owned());
        }
        follow
    }
}

/// How many unreached cases the minutes name one by one.
const UNREACHED_LISTED: usize = 20;

/// The case an action is about.
fn case_of(a: &Action) -> Option<&str> {
    match a {
        Action::Tag { case, .. }
        | Action::Note { case }
        | Action::Promote { case, .. }
        | Action::Dismiss { case }
        | Action::Verdict { case, .. } => Some(case),
        _ => None,
    }
}

fn decision_line(d: &Decision) -> String {
    match &d.action {
        Action::Tag {
            case,
            added,
            removed,
        } => {
            let mut parts: Vec<String> = added.iter().map(|t| format!("+{t}")).collect();
            parts.extend(removed.iter().map(|t| format!("-{t}")));
            format!("`{case}` tagged {}", parts.join(" "))
        }
        Action::Note { case } => format!("`{case}` noted"),
        Action::Promote { case, set, version } => {
            format!("`{case}` promoted into {set}@v{version}")
        }
        Action::Dismiss { case } => format!(
            "`{case}` dismissed: {}",
            d.reason.as_deref().unwrap_or("(no reason recorded)")
        ),
        // Blind double review: the minutes say a verdict was given, not
        // what it says (the other reviewer reads the minutes too).
        Action::Verdict { case, .. } => {
            format!("`{case}` verdict recorded (double review)")
        }
        other => other.to_string(),
    }
}

fn dedup(mut v: Vec<String>) -> Vec<String> {
    let mut seen = std::collections::HashSet::new();
    v.retain(|s| seen.insert(s.clone()));
    v
}

#[cfg(test)]
mod tests;
