//! The review meeting's place in the repository: the meeting in progress
//! (`.git/docket/meeting.json`, never committed, so a dropped connection or
//! a closed terminal resumes it), the docket actions made since it began
//! (read back from commit trailers and the journal), and the annotated
//! `review/YYYY-MM-DD` tag that closes it.

use super::lock::Lock;
use super::setdiff::range::last_review;
use super::sign::Signing;
use super::{CommitOptions, Journal, Store, StoreError, fsio, git};
use crate::ops::meeting::{self, Decision, Meeting, Start, Step};
use crate::ops::{Action, summary_line};
use std::collections::BTreeMap;

const FILE: &str = "meeting.json";

/// A review tag's line naming a case skipped to the next meeting.
const SKIPPED: &str = "Docket-Skipped: ";

/// What finishing a meeting made.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Finished {
    pub commit: String,
    pub summary: String,
    /// The minutes memo's path.
    pub minutes: String,
    /// The review tag's name.
    pub tag: String,
    pub warning: Option<String>,
}

impl Store {
    /// The meeting in progress, if one is.
    pub fn meeting(&self) -> Result<Option<Meeting>, StoreError> {
        let dir = self.docket_dir()?;
        let path = dir.join(FILE);
        match std::fs::read(&path) {
            Ok(bytes) => {
                serde_json::from_slice(&bytes)
                    .map(Some)
                    .map_err(|e| StoreError::Journal {
                        path,
                        message: format!(
                            "{e} (the meeting's state is damaged: move the file away to start over)"
                        ),
                    })
            }
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
            Err(e) => Err(StoreError::io(path, e)),
        }
    }

    /// Writes the meeting's state (atomically: a crash leaves the old or
    /// the new state, never half of one). The caller holds the lock.
    fn write_meeting(&self, m: &Meeting) -> Result<(), StoreError> {
        let dir = self.docket_dir()?;
        std::fs::create_dir_all(&dir).map_err(|e| StoreError::io(&dir, e))?;
        let text = serde_json::to_string_pretty(m).map_err(|e| StoreError::Journal {
            path: dir.join(FILE),
            message: e.to_string(),
        })?;
        fsio::write_atomic(&dir, FILE, text.as_bytes())
    }

    /// Applies `step` to meeting `m` as the store has it, under the lock:
    /// another terminal's steps are kept, and a meeting finished (or
    /// replaced) meanwhile is not brought back ([`StoreError::NoMeeting`]).
    pub fn meeting_step(&self, m: &Meeting, step: &Step) -> Result<Meeting, StoreError> {
        let dir = self.docket_dir()?;
        std::fs::create_dir_all(&dir).map_err(|e| StoreError::io(&dir, e))?;
        let _lock = Lock::acquire(&dir)?;
        let mut now = self
            .meeting()?
            .filter(|on| on.same(m))
            .ok_or(StoreError::NoMeeting)?;
        now.apply(step);
        self.write_meeting(&now)?;
        Ok(now)
    }

    /// Forgets the meeting in progress.
    pub fn end_meeting(&self) -> Result<(), StoreError> {
        let path = self.docket_dir()?.join(FILE);
        match std::fs::remove_file(&path) {
            Ok(()) => Ok(()),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(()),
            Err(e) => Err(StoreError::io(path, e)),
        }
    }

    /// Opens a meeting with `attendees` (emails or names of `[[reviewers]]`)
    /// as of `now`, or returns the one already in progress and `true`: a
    /// second terminal or a reconnected one resumes, never restarts (and
    /// two starting at once get one meeting: it is created under the lock).
    pub fn open_meeting(
        &self,
        attendees: &[String],
        now: &toml::value::Datetime,
    ) -> Result<(Meeting, bool), StoreError> {
        if let Some(running) = self.meeting()? {
            return Ok((running, true));
        }
        let ws = self.load()?;
        let chosen = meeting::attendees(&ws.config, attendees)
            .map_err(|e| StoreError::NotReviewer(crate::sanitize::line(&e).into_owned()))?;
        let m = meeting::new_meeting(&ws, chosen, now, self.meeting_start()?);
        let dir = self.docket_dir()?;
        std::fs::create_dir_all(&dir).map_err(|e| StoreError::io(&dir, e))?;
        let _lock = Lock::acquire(&dir)?;
        if let Some(running) = self.meeting()? {
            return Ok((running, true));
        }
        self.write_meeting(&m)?;
        Ok((m, false))
    }

    /// Finishes the meeting in progress: the minutes memo, committed with
    /// every pending change, then the `review/<day>` tag on that commit,
    /// then the meeting forgotten. A refused commit changes nothing (the
    /// meeting goes on).
    pub fn finish_meeting(&self) -> Result<Finished, StoreError> {
        let m = self.meeting()?.ok_or(StoreError::NoMeeting)?;
        let ws = self.load()?;
        let names: BTreeMap<String, String> = ws
            .config
            .reviewers
            .iter()
            .map(|r| (r.email.clone(), r.name.clone()))
            .collect();
        let (commit, minutes, headline, warning) = match &m.minutes {
            // Committed by a finish that stopped before its tag.
            Some((commit, minutes)) => {
                let repo = self.repository()?;
                let c = repo.find_commit(git2::Oid::from_str(commit)?)?;
                let headline = c.summary().ok().flatten().unwrap_or("").to_owned();
                (commit.clone(), minutes.clone(), headline, None)
            }
            None => self.write_minutes(&m, &ws, &names)?,
        };
        let attendees: Vec<String> = m
            .attendees
            .iter()
            .map(|a| {
                names
                    .get(a)
                    .map_or_else(|| a.clone(), |n| format!("{n} <{a}>"))
            })
            .collect();
        let mut message = format!(
            "Eval review {}\n\n{headline}\nAttendees: {}\nMinutes: {minutes}\n",
            m.day,
            if attendees.is_empty() {
                "none recorded".to_owned()
            } else {
                attendees.join(", ")
            },
        );
        // The next meeting's agenda carries these (`meeting_start`).
        for c in &m.skipped {
            message.push_str(SKIPPED);
            message.push_str(c);
            message.push('\n');
        }
        let tag = self.tag_review(&m.day, &commit, &message).map_err(|(name, e)| {
            StoreError::Tag(format!(
                "the minutes are committed as {}, but the tag {name} could not be made ({e}); `docket review finish` again makes it",
                super::short(&commit),
            ))
        })?;
        self.end_meeting()?;
        Ok(Finished {
            summary: headline,
            commit,
            minutes,
            tag,
            warning,
        })
    }

    /// Commits the minutes of `m` with everything pending, and notes the
    /// commit in the meeting (so a finish stopped before its tag resumes
    /// there): the commit, the memo's path, the summary, a warning.
    fn write_minutes(
        &self,
        m: &Meeting,
        ws: &crate::model::Workspace,
        names: &BTreeMap<String, String>,
    ) -> Result<(String, String, String, Option<String>), StoreError> {
        self.ready_to_commit()?;
        let mut decisions = Vec::new();
        for (by, action) in self.actions_since(m.head.as_deref())? {
            let reason = match &action {
                Action::Dismiss { case } => ws
                    .case(case)
                    .and_then(|c| self.case_at(&c.path()).ok())
                    .and_then(|c| c.dismissal.map(|d| d.reason)),
                Action::Tag { .. } | Action::Promote { .. } | Action::Verdict { .. } => None,
                _ => continue,
            };
            decisions.push(Decision { by, action, reason });
        }
        let ended = crate::model::time::unix_from_datetime(&super::now()).unwrap_or(0);
        // The commit says what the meeting decided (its actions may be in
        // earlier commits; this one holds the minutes and what was pending).
        let decided: Vec<Action> = decisions.iter().map(|d| d.action.clone()).collect();
        let headline = if decided.is_empty() {
            format!("docket: review {} — minutes, nothing decided", m.day)
        } else {
            summary_line(&decided, &m.day)
        };
        let opts = CommitOptions {
            message: Some(headline.clone()),
            ..CommitOptions::default()
        };
        let (changes, out) = self.transact_commit(&opts, |_| {
            let memo_ids = self.memo_ids();
            meeting::minutes(m, &decisions, &memo_ids, names, ended).map_err(StoreError::from)
        })?;
        let out = out.ok_or(StoreError::NothingToCommit)?;
        let minutes = changes
            .writes
            .first()
            .map(|w| w.path.clone())
            .unwrap_or_default();
        let mut noted = m.clone();
        noted.minutes = Some((out.id.clone(), minutes.clone()));
        {
            let dir = self.docket_dir()?;
            let _lock = Lock::acquire(&dir)?;
            self.write_meeting(&noted)?;
        }
        Ok((out.id, minutes, headline, out.warning))
    }

    /// Where a meeting starting now begins: HEAD, the newest `review/*`
    /// tag HEAD contains, and the cases that meeting skipped to this one.
    pub fn meeting_start(&self) -> Result<Start, StoreError> {
        let repo = self.repository()?;
        let Some(head) = git::head_commit(&repo)? else {
            return Ok(Start::default());
        };
        let Some((name, _)) = last_review(&repo, head.id())? else {
            return Ok(Start {
                head: Some(head.id().to_string()),
                ..Start::default()
            });
        };
        let carried = repo
            .revparse_single(&format!("refs/tags/{name}"))
            .ok()
            .and_then(|o| o.into_tag().ok())
            .map(|t| {
                t.message()
                    .ok()
                    .flatten()
                    .unwrap_or("")
                    .lines()
                    .filter_map(|l| l.strip_prefix(SKIPPED))
                    .map(|c| c.trim().to_owned())
                    .collect()
            })
            .unwrap_or_default();
        Ok(Start {
            head: Some(head.id().to_string()),
            since: Some(name),
            carried,
        })
    }

    /// The docket actions made after commit `since` (all of history when
    /// `None`), oldest first, with their author's email: those of the
    /// commits since, then the pending ones (as the current reviewer).
    pub fn actions_since(&self, since: Option<&str>) -> Result<Vec<(String, Action)>, StoreError> {
        let repo = self.repository()?;
        let mut out = Vec::new();
        if git::head_commit(&repo)?.is_some() {
            let mut walk = repo.revwalk()?;
            walk.set_sorting(git2::Sort::TOPOLOGICAL | git2::Sort::REVERSE)?;
            walk.push_head()?;
            if let Some(s) = since {
                walk.hide(git2::Oid::from_str(s)?)?;
            }
            for oid in walk {
                let c = repo.find_commit(oid?)?;
                let by = c.author().email().unwrap_or("").to_owned();
                for line in c.message().unwrap_or("").lines() {
                    if let Some(a) = Action::from_trailer(line) {
                        out.push((by.clone(), a));
                    }
                }
            }
        }
        let me = self.identity().map(|i| i.email).unwrap_or_default();
        let pending = Journal::load(&self.docket_dir()?)?;
        out.extend(pending.actions().into_iter().map(|a| (me.clone(), a)));
        Ok(out)
    }

    /// Tags commit `on` `review/<day>` (`review/<day>.2`, `.3` … when
    /// that day already has one), annotated with `message` as the current
    /// reviewer, and signed when docket signs its commits. Returns the
    /// tag's name; an error says which name it tried.
    fn tag_review(
        &self,
        day: &str,
        on: &str,
        message: &str,
    ) -> Result<String, (String, StoreError)> {
        let first = format!("review/{day}");
        let fail = |e: StoreError| (first.clone(), e);
        let repo = self.repository().map_err(fail)?;
        let commit = git2::Oid::from_str(on)
            .and_then(|id| repo.find_commit(id))
            .map_err(|e| fail(e.into()))?;
        let who = git::identity(&repo).map_err(fail)?;
        let tagger = git::signature(&who.name, &who.email, "GIT_COMMITTER_DATE").map_err(fail)?;
        let workdir = self.work().map_err(fail)?.0;
        let signing =
            Signing::resolve(&repo, &who, self.require_signed(), workdir).map_err(fail)?;
        for n in 1..1000 {
            let name = if n == 1 {
                first.clone()
            } else {
                format!("review/{day}.{n}")
            };
            if repo.refname_to_id(&format!("refs/tags/{name}")).is_ok() {
                continue;
            }
            return match signing.tag(
                &repo,
                &name,
                &commit,
                &tagger,
                &crate::sanitize::block(message),
                false,
            ) {
                Ok(_) => Ok(name),
                Err(e) => Err((name, e)),
            };
        }
        Err(fail(StoreError::Exists(first.clone())))
    }
}
