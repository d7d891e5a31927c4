//! The review meeting's place in the repository: the meeting in progress
//! (`.git/docket/meeting.json`, never committed, so a dropped connection or
//! a closed terminal resumes it), the docket actions made since it began
//! (read back from commit trailers and the journal), and the annotated
//! `review/YYYY-MM-DD` tag that closes it.

use super::setdiff::range::last_review;
use super::{Journal, Store, StoreError, fsio, git};
use crate::ops::Action;
use crate::ops::meeting::Meeting;

const FILE: &str = "meeting.json";

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
    /// already has one), annotated with `message` as the current reviewer.
    /// Returns the tag's name.
    pub fn tag_review(&self, day: &str, message: &str) -> Result<String, StoreError> {
        let repo = self.repository()?;
        let head = git::head_commit(&repo)?.ok_or_else(|| StoreError::NotFound {
            kind: "commit",
            id: "HEAD".into(),
        })?;
        let who = git::identity(&repo)?;
        let tagger = git::signature(&who.name, &who.email, "GIT_COMMITTER_DATE")?;
        for n in 1..1000 {
            let name = if n == 1 {
                format!("review/{day}")
            } else {
                format!("review/{day}.{n}")
            };
            if repo.refname_to_id(&format!("refs/tags/{name}")).is_ok() {
                continue;
            }
            repo.tag(
                &name,
                head.as_object(),
                &tagger,
                &crate::sanitize::block(message),
                false,
            )?;
            return Ok(name);
        }
        Err(StoreError::Exists(format!("review/{day}")))
    }
}
