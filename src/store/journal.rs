//! The journal of pending actions: `.git/docket/journal.json`, never
//! committed. It lets `docket commit` in a later process write the trailers,
//! tells which changed files are docket's, and records the HEAD the changes
//! were made on so a moved HEAD can be detected.

use super::{StoreError, fsio};
use crate::ops::Action;
use serde::{Deserialize, Serialize};
use std::path::Path;

#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
pub struct Journal {
    /// HEAD when the first pending change was made; `None` on an unborn
    /// branch.
    pub base: Option<String>,
    pub entries: Vec<JournalEntry>,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct JournalEntry {
    pub action: Action,
    /// Workspace-relative paths the action wrote.
    pub paths: Vec<String>,
    pub at: String,
}

pub const FILE: &str = "journal.json";

impl Journal {
    pub fn load(dir: &Path) -> Result<Self, StoreError> {
        let path = dir.join(FILE);
        match std::fs::read(&path) {
            Ok(bytes) => serde_json::from_slice(&bytes).map_err(|e| StoreError::Journal {
                path,
                message: e.to_string(),
            }),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(Self::default()),
            Err(e) => Err(StoreError::io(path, e)),
        }
    }

    pub fn save(&self, dir: &Path) -> Result<(), StoreError> {
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

    /// Every path any pending action wrote, once each, in first-write order.
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

    #[must_use]
    pub fn actions(&self) -> Vec<Action> {
        self.entries.iter().map(|e| e.action.clone()).collect()
    }

    /// Whether a pending promotion has already bumped `set`'s version.
    #[must_use]
    pub fn bumped(&self, set: &str) -> bool {
        self.entries
            .iter()
            .any(|e| matches!(&e.action, Action::Promote { set: s, .. } if s == set))
    }
}
