//! The journal of pending actions: `.git/docket/journal.json`, never
//! committed. Each entry is one change set: its actions (the commit
//! trailers), the paths it wrote, and what those files held before, so the
//! last change can be undone and a discard restores hand edits. For each
//! path it also keeps HEAD's blob when docket first wrote it, so a commit
//! can tell whether someone else changed that path since.

use super::{StoreError, fsio};
use crate::ops::{Action, Intent};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::path::Path;

#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
pub struct Journal {
    /// For each pending path, HEAD's blob id of it when docket first wrote it
    /// (`None`: absent from HEAD, or no HEAD yet).
    #[serde(default)]
    pub bases: BTreeMap<String, Option<String>>,
    /// For each pending path, the blob id of what docket last wrote there
    /// (`None`: docket removed it). A file that differs from it was edited
    /// by someone else since, and that edit must not be lost.
    #[serde(default)]
    pub written: BTreeMap<String, Option<String>>,
    /// The commit HEAD pointed at when the journal was last brought in line
    /// with git. A HEAD that is not a descendant of it went back (`git
    /// reset`, a checkout): the files then keep what they hold, and nothing
    /// is replayed onto the older commit.
    #[serde(default)]
    pub head: Option<String>,
    pub entries: Vec<JournalEntry>,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct JournalEntry {
    pub actions: Vec<Action>,
    /// Workspace-relative paths the change set wrote.
    pub paths: Vec<String>,
    /// What each of `paths` held before (`None`: it did not exist).
    #[serde(default)]
    pub before: Vec<Option<String>>,
    pub at: String,
    /// The actions as data, to re-apply them on a newer version of the
    /// files (empty for changes docket cannot redo, like a memo edit).
    #[serde(default)]
    pub intents: Vec<Intent>,
    /// False while the files are being written: an entry still incomplete
    /// when docket next opens the workspace was interrupted (kill -9, power
    /// loss) and is rolled back, so a change set is all or nothing.
    #[serde(default = "yes")]
    pub complete: bool,
    /// The blob id of what the entry wrote to each of `paths`.
    #[serde(default)]
    pub after: Vec<Option<String>>,
}

fn yes() -> bool {
    true
}

pub const FILE: &str = "journal.json";

impl Journal {
    /// The intents of the entries that wrote `path`, one slice per entry
    /// in order, with the entries' indexes.
    #[must_use]
    pub fn entries_touching(&self, path: &str) -> Vec<usize> {
        self.entries
            .iter()
            .enumerate()
            .filter(|(_, e)| e.paths.iter().any(|p| p == path))
            .map(|(i, _)| i)
            .collect()
    }

    /// Forgets bookkeeping for paths no entry names any more.
    pub fn prune(&mut self) {
        let still: std::collections::HashSet<String> = self.paths().into_iter().collect();
        self.bases.retain(|p, _| still.contains(p));
        self.written.retain(|p, _| still.contains(p));
    }

    pub fn load(dir: &Path) -> Result<Self, StoreError> {
        let path = dir.join(FILE);
        match std::fs::read(&path) {
            Ok(bytes) => serde_json::from_slice(&bytes).map_err(|e| StoreError::Journal {
                path,
                message: format!("{e} (move the file away to start over)"),
            }),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(Self::default()),
            Err(e) => Err(StoreError::io(path, e)),
        }
    }

    pub fn save(&self, dir: &Path) -> Result<(), StoreError> {
        if self.entries.is_empty() {
            return Self::clear(dir);
        }
        let text = serde_json::to_string_pretty(self).map_err(|e| StoreError::Journal {
            path: dir.join(FILE),
            message: e.to_string(),
        })?;
        fsio::write_atomic(dir, FILE, text.as_bytes())
    }

    pub fn clear(dir: &Path) -> Result<(), StoreError> {
        let path = dir.join(FILE);
        match std::fs::remove_file(&path) {
            Ok(()) => Ok(()),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(()),
            Err(e) => Err(StoreError::io(path, e)),
        }
    }

    /// Every path any pending change wrote, once each, in first-write order.
    #[must_use]
    pub fn paths(&self) -> Vec<String> {
        let mut seen = std::collections::HashSet::new();
        self.entries
            .iter()
            .flat_map(|e| e.paths.iter())
            .filter(|p| seen.insert(p.as_str()))
            .cloned()
            .collect()
    }

    /// The pending actions in order, one import per file (an import
    /// written in many batches is one trailer).
    #[must_use]
    pub fn actions(&self) -> Vec<Action> {
        crate::ops::action::coalesce(self.entries.iter().flat_map(|e| e.actions.iter().cloned()))
    }

    /// Whether a pending promotion has already bumped `set`'s version.
    #[must_use]
    pub fn bumped(&self, set: &str) -> bool {
        self.actions()
            .iter()
            .any(|a| matches!(a, Action::Promote { set: s, .. } if s == set))
    }

    /// What `path` held before docket first changed it: the earliest
    /// `before` recorded for it.
    #[must_use]
    pub fn original(&self, path: &str) -> Option<Option<&str>> {
        self.entries.iter().find_map(|e| {
            e.paths
                .iter()
                .position(|p| p == path)
                .and_then(|i| e.before.get(i))
                .map(Option::as_deref)
        })
    }
}
