//! Applying change sets: atomic writes recorded in the journal, under the
//! workspace lock; and taking them back (undo, discard).

use super::journal::{Journal, JournalEntry};
use super::lock::Lock;
use super::{Store, StoreError, fsio, git};
use crate::ops::ChangeSet;
use std::path::{Path, PathBuf};

/// What an undo took back: its actions and the paths it restored.
pub type Undone = (Vec<crate::ops::Action>, Vec<String>);

impl Store {
    pub(super) fn docket_dir(&self) -> Result<PathBuf, StoreError> {
        let (_, git_dir, _) = self.work()?;
        Ok(git_dir.join("docket"))
    }

    /// The pending (uncommitted) docket changes.
    pub fn pending(&self) -> Result<Journal, StoreError> {
        Journal::load(&self.docket_dir()?)
    }

    /// Writes a change set atomically and journals it.
    pub fn apply(&self, changes: &ChangeSet) -> Result<(), StoreError> {
        self.transact(|_| Ok::<_, StoreError>(changes.clone()))
            .map(|_| ())
    }

    /// Runs `f` under the workspace lock: it reads what it needs and returns
    /// a change set, which is journalled and then written before the lock is
    /// released, so two docket processes never edit from the same stale
    /// read. Every path is checked before anything is written, and if a write
    /// fails the files already written are put back: a refused change
    /// changes nothing.
    pub fn transact<E: From<StoreError>>(
        &self,
        f: impl FnOnce(&Journal) -> Result<ChangeSet, E>,
    ) -> Result<ChangeSet, E> {
        let dir = self.docket_dir()?;
        let repo = self.repository()?;
        let _lock = Lock::acquire(&dir)?;
        let mut journal = Journal::load(&dir)?;
        let changes = f(&journal)?;
        if changes.is_empty() {
            return Ok(changes);
        }
        let (_, _, prefix) = self.work()?;
        let head = git::head_commit(&repo)?;
        let tree = head
            .as_ref()
            .map(git2::Commit::tree)
            .transpose()
            .map_err(StoreError::from)?;
        let mut before = Vec::with_capacity(changes.writes.len());
        for w in &changes.writes {
            fsio::check_no_symlinks(&self.root, &w.path)?;
            before.push(self.current(&w.path)?);
            journal.bases.entry(w.path.clone()).or_insert_with(|| {
                tree.as_ref()
                    .and_then(|t| t.get_path(Path::new(&format!("{prefix}{}", w.path))).ok())
                    .map(|e| e.id().to_string())
            });
        }
        journal.entries.push(JournalEntry {
            actions: changes.actions.clone(),
            paths: changes.writes.iter().map(|w| w.path.clone()).collect(),
            before: before.clone(),
            at: super::now().to_string(),
        });
        // The intent is recorded first: after a crash the journal names every
        // file that may have changed.
        journal.save(&dir)?;
        for (i, w) in changes.writes.iter().enumerate() {
            if let Err(e) = fsio::write_atomic(&self.root, &w.path, w.contents.as_bytes()) {
                for (w, old) in changes.writes.iter().zip(&before).take(i) {
                    let _ = self.restore(&w.path, old.as_deref());
                }
                journal.entries.pop();
                let _ = journal.save(&dir);
                return Err(e.into());
            }
        }
        Ok(changes)
    }

    /// A file's current text, `None` when it does not exist.
    fn current(&self, rel: &str) -> Result<Option<String>, StoreError> {
        let full = fsio::safe_path(&self.root, rel)?;
        if full.symlink_metadata().is_err() {
            return Ok(None);
        }
        let bytes = fsio::read(&self.root, rel)?;
        Ok(Some(String::from_utf8_lossy(&bytes).into_owned()))
    }

    /// Puts `text` back at `rel`, or removes the file when `None`.
    fn restore(&self, rel: &str, text: Option<&str>) -> Result<(), StoreError> {
        if let Some(t) = text {
            return fsio::write_atomic(&self.root, rel, t.as_bytes());
        }
        fsio::check_no_symlinks(&self.root, rel)?;
        let full = fsio::safe_path(&self.root, rel)?;
        match std::fs::remove_file(&full) {
            Err(e) if e.kind() != std::io::ErrorKind::NotFound => Err(StoreError::io(&full, e)),
            _ => Ok(()),
        }
    }

    /// Undoes the last uncommitted change: its files get back what they held
    /// before it. Returns its actions and paths, `None` when nothing is
    /// pending.
    pub fn undo(&self) -> Result<Option<Undone>, StoreError> {
        let dir = self.docket_dir()?;
        let _lock = Lock::acquire(&dir)?;
        let mut journal = Journal::load(&dir)?;
        let Some(entry) = journal.entries.pop() else {
            return Ok(None);
        };
        for (i, p) in entry.paths.iter().enumerate() {
            self.restore(p, entry.before.get(i).and_then(Option::as_deref))?;
        }
        let still: Vec<String> = journal.paths();
        journal.bases.retain(|p, _| still.contains(p));
        journal.save(&dir)?;
        Ok(Some((entry.actions, entry.paths)))
    }

    /// Drops every pending change. A path HEAD still has as docket found it
    /// goes back to what it held before docket's first change (hand edits
    /// made before kept); a path someone else committed since goes to HEAD's
    /// version. Returns the paths touched.
    pub fn discard(&self) -> Result<Vec<String>, StoreError> {
        let (_, _, prefix) = self.work()?;
        let repo = self.repository()?;
        let dir = self.docket_dir()?;
        let _lock = Lock::acquire(&dir)?;
        let journal = Journal::load(&dir)?;
        let head = git::head_commit(&repo)?;
        let tree = head.as_ref().map(git2::Commit::tree).transpose()?;
        let paths = journal.paths();
        for p in &paths {
            let now = tree
                .as_ref()
                .and_then(|t| t.get_path(Path::new(&format!("{prefix}{p}"))).ok());
            let base = journal.bases.get(p).cloned().flatten();
            if now.as_ref().map(|e| e.id().to_string()) == base {
                self.restore(p, journal.original(p).flatten())?;
            } else if let Some(e) = now {
                let blob = repo.find_blob(e.id())?;
                fsio::write_atomic(&self.root, p, blob.content())?;
            } else {
                self.restore(p, None)?;
            }
        }
        Journal::clear(&dir)?;
        Ok(paths)
    }
}
