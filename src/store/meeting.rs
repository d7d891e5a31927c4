//! The review meeting's place in the repository: the meeting in progress
//! (`.git/docket/meeting.json`, never committed, so a dropped connection or
//! a closed terminal resumes it), the docket actions made since it began
//! (read back from commit trailers and the journal), and the annotated
//! `review/YYYY-MM-DD` tag that closes it.

use super::setdiff::range::last_review;
use super::sign::Signing;
use super::{CommitOptions, Journal, Store, StoreError, fsio, git};
use crate::ops::meeting::{self, Decision, Meeting};
use crate::ops::{Action, summary_line};
use std::collections::BTreeMap;

const FILE: &str = "meeting.json";

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

    /// Saves the meeting's state (atomically: a crash leaves the old or
    /// the new state, never half of one).
    pub fn save_meeting(&self, m: &Meeting) -> Result<(), StoreError> {
        let dir = self.docket_dir()?;
        std::fs::create_dir_all(&dir).map_err(|e| StoreError::io(&dir, e))?;
        let text = serde_json::to_string_pretty(m).map_err(|e| StoreError::Journal {
            path: dir.join(FILE),
            message: e.to_string(),
        })?;
        fsio::write_atomic(&dir, FILE, text.as_bytes())
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

    /// Starts meeting `m` (from `ops::meeting::new_meeting`) where history
    /// stands now, or returns the meeting already in progress and `true`:
    /// a second terminal or a reconnected one resumes, never restarts.
    pub fn start_meeting(&self, mut m: Meeting) -> Result<(Meeting, bool), StoreError> {
        if let Some(running) = self.meeting()? {
            return Ok((running, true));
        }
        (m.head, m.since) = self.meeting_start()?;
        self.save_meeting(&m)?;
        Ok((m, false))
    }

    /// Finishes the meeting in progress: the minutes memo, committed with
    /// every pending change, then the `review/<day>` tag on that commit,
    /// then the meeting forgotten. A refused commit changes nothing (the
    /// meeting goes on).
    pub fn finish_meeting(&self) -> Result<Finished, StoreError> {
        self.ready_to_commit()?;
        let m = self.meeting()?.ok_or(StoreError::NoMeeting)?;
        let ws = self.load()?;
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
        let names: BTreeMap<String, String> = ws
            .config
            .reviewers
            .iter()
            .map(|r| (r.email.clone(), r.name.clone()))
            .collect();
        let ended = crate::model::time::unix_from_datetime(&super::now()).unwrap_or(0);
        let memo_ids = self.memo_ids();
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
            meeting::minutes(&m, &decisions, &memo_ids, &names, ended).map_err(StoreError::from)
        })?;
        let out = out.ok_or(StoreError::NothingToCommit)?;
        let minutes = changes
            .writes
            .first()
            .map(|w| w.path.clone())
            .unwrap_or_default();
        let attendees: Vec<String> = m
            .attendees
            .iter()
            .map(|a| {
                names
                    .get(a)
                    .map_or_else(|| a.clone(), |n| format!("{n} <{a}>"))
            })
            .collect();
        let message = format!(
            "Eval review {}\n\n{headline}\nAttendees: {}\nMinutes: {minutes}\n",
            m.day,
            if attendees.is_empty() {
                "none recorded".to_owned()
            } else {
                attendees.join(", ")
            },
        );
        let tag = self.tag_review(&m.day, &message).map_err(|e| {
            StoreError::Tag(format!(
                "the minutes are committed as {}, but the review tag could not be made ({e}); tag it by hand: git tag -a review/{} {}",
                super::short(&out.id),
                m.day,
                out.id
            ))
        })?;
        self.end_meeting()?;
        Ok(Finished {
            commit: out.id,
            summary: out.summary,
            minutes,
            tag,
            warning: out.warning,
        })
    }

    /// Where a meeting starting now begins: HEAD, and the newest
    /// `review/*` tag HEAD contains.
    pub fn meeting_start(&self) -> Result<(Option<String>, Option<String>), StoreError> {
        let repo = self.repository()?;
        let Some(head) = git::head_commit(&repo)? else {
            return Ok((None, None));
        };
        let since = last_review(&repo, head.id())?.map(|(name, _)| name);
        Ok((Some(head.id().to_string()), since))
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

    /// Tags HEAD `review/<day>` (`review/<day>.2`, `.3` … when that day
    /// already has one), annotated with `message` as the current reviewer,
    /// and signed when docket signs its commits.
    /// Returns the tag's name.
    pub fn tag_review(&self, day: &str, message: &str) -> Result<String, StoreError> {
        let repo = self.repository()?;
        let head = git::head_commit(&repo)?.ok_or_else(|| StoreError::NotFound {
            kind: "commit",
            id: "HEAD".into(),
        })?;
        let who = git::identity(&repo)?;
        let tagger = git::signature(&who.name, &who.email, "GIT_COMMITTER_DATE")?;
        let signing = Signing::resolve(&repo, &who, self.require_signed(), self.work()?.0)?;
        for n in 1..1000 {
            let name = if n == 1 {
                format!("review/{day}")
            } else {
                format!("review/{day}.{n}")
            };
            if repo.refname_to_id(&format!("refs/tags/{name}")).is_ok() {
                continue;
            }
            signing.tag(
                &repo,
                &name,
                &head,
                &tagger,
                &crate::sanitize::block(message),
            )?;
            return Ok(name);
        }
        Err(StoreError::Exists(format!("review/{day}")))
    }
}
