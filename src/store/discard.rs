//! Dropping pending changes: every file docket changed since the last
//! commit goes back to its HEAD version (or away, if HEAD lacks it) and the
//! journal is cleared. The way out after a refused commit. The index is
//! left alone: docket never staged those paths, and a user's own staged
//! version of one stays staged.

use super::journal::Journal;
use super::lock::Lock;
use super::{Store, StoreError, fsio, git};
use std::path::Path;

impl Store {
    /// Restores docket's pending paths from HEAD and clears the journal.
    /// Returns the paths restored or removed.
    pub fn discard(&self) -> Result<Vec<String>, StoreError> {
        let (_, git_dir, prefix) = self.work()?;
        let repo = self.repository()?;
        let dir = git_dir.join("docket");
        let _lock = Lock::acquire(&dir)?;
        let journal = Journal::load(&dir)?;
        let paths = journal.paths();
        let head = git::head_commit(&repo)?;
        let tree = head.as_ref().map(git2::Commit::tree).transpose()?;
        for p in &paths {
            let repo_rel = format!("{prefix}{p}");
            let entry = tree
                .as_ref()
                .and_then(|t| t.get_path(Path::new(&repo_rel)).ok());
            if let Some(e) = entry {
                let blob = repo.find_blob(e.id())?;
                fsio::write_atomic(&self.root, p, blob.content())?;
            } else {
                let full = fsio::safe_path(&self.root, p)?;
                if full.symlink_metadata().is_ok() {
                    std::fs::remove_file(&full).map_err(|e| StoreError::io(&full, e))?;
                }
            }
        }
        Journal::clear(&dir)?;
        Ok(paths)
    }
}
