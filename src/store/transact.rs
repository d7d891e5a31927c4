//! Applying change sets: atomic writes recorded in the journal, under the
//! workspace lock; and taking them back (undo, discard).

use super::journal::{Journal, JournalEntry};
use super::lock::Lock;
use super::reconcile::blob_id;
use super::{Store, StoreError, fsio, git};
use crate::ops::ChangeSet;
use std::path::{Path, PathBuf};

/// What an undo took back: its actions and the paths it restored.
pub type Undone = (Vec<crate::ops::Action>, Vec<String>);

impl Store {
    /// docket's folder in the git dir: `.git/docket`, or for a workspace in
    /// a subfolder of the repository `.git/docket/ws-<hash of the folder>`,
    /// so two workspaces in one repository never share a journal.
    pub(super) fn docket_dir(&self) -> Result<PathBuf, StoreError> {
        let (_, git_dir, prefix) = self.work()?;
        let dir = git_dir.join("docket");
        if prefix.is_empty() {
            return Ok(dir);
        }
        let id = git2::Oid::hash_object(git2::ObjectType::Blob, prefix.as_bytes())?;
        Ok(dir.join(format!("ws-{}", &id.to_string()[..12])))
    }

    /// The pending (uncommitted) docket changes, reconciled with git.
    pub fn pending(&self) -> Result<Journal, StoreError> {
        let dir = self.docket_dir()?;
        let repo = self.repository()?;
        let _lock = Lock::acquire(&dir)?;
        let mut journal = Journal::load(&dir)?;
        self.reconcile_locked(&repo, &dir, &mut journal, false)?;
        Ok(journal)
    }

    /// Writes a change set atomically and journals it.
    pub fn apply(&self, changes: &ChangeSet) -> Result<(), StoreError> {
        self.transact(|_| Ok::<_, StoreError>(changes.clone()))
            .map(|_| ())
    }

    /// Runs `f` under the workspace lock: it reads what it needs and returns
    /// a change set, which is journalled and then written before the lock is
    /// released, so two docket processes never edit from the same stale
    /// read. Every path is checked before anything is written. The journal
    /// entry is saved as incomplete before the first write and marked
    /// complete after the last, so a crash in between is rolled back on the
    /// next open, and a write that fails puts back the files already
    /// written: a change set is all or nothing.
    pub fn transact<E: From<StoreError>>(
        &self,
        f: impl FnOnce(&Journal) -> Result<ChangeSet, E>,
    ) -> Result<ChangeSet, E> {
        let dir = self.docket_dir()?;
        let repo = self.repository()?;
        let _lock = Lock::acquire(&dir)?;
        let mut journal = Journal::load(&dir)?;
        self.write_locked(&repo, &dir, &mut journal, f)
    }

    /// Like [`Store::transact`], then commits, all under one hold of the
    /// lock. When the commit is refused, the change is taken back: a refused
    /// command changes nothing. `None` as the outcome: someone else
    /// committed the change first (it is in HEAD).
    pub fn transact_commit<E: From<StoreError>>(
        &self,
        opts: &super::CommitOptions,
        f: impl FnOnce(&Journal) -> Result<ChangeSet, E>,
    ) -> Result<(ChangeSet, Option<super::CommitOutcome>), E> {
        let dir = self.docket_dir()?;
        let repo = self.repository()?;
        let _lock = Lock::acquire(&dir)?;
        let mut journal = Journal::load(&dir)?;
        let changes = self.write_locked(&repo, &dir, &mut journal, f)?;
        if changes.is_empty() {
            return Ok((changes, None));
        }
        match self.commit_locked(&repo, &dir, &mut journal, opts) {
            Ok(out) => Ok((changes, Some(out))),
            Err(StoreError::NothingToCommit) => Ok((changes, None)),
            Err(e) => {
                let mut j = Journal::load(&dir)?;
                if j.entries
                    .last()
                    .is_some_and(|x| x.actions == changes.actions)
                {
                    self.undo_locked(&dir, &mut j)?;
                }
                Err(e.into())
            }
        }
    }

    fn write_locked<E: From<StoreError>>(
        &self,
        repo: &git2::Repository,
        dir: &Path,
        journal: &mut Journal,
        f: impl FnOnce(&Journal) -> Result<ChangeSet, E>,
    ) -> Result<ChangeSet, E> {
        self.reconcile_locked(repo, dir, journal, false)?;
        let changes = f(journal)?;
        if changes.is_empty() {
            return Ok(changes);
        }
        let (_, _, prefix) = self.work()?;
        let head = git::head_commit(repo)?;
        if journal.entries.is_empty() {
            journal.head = head.as_ref().map(|c| c.id().to_string());
        }
        let tree = head
            .as_ref()
            .map(git2::Commit::tree)
            .transpose()
            .map_err(StoreError::from)?;
        let mut tree = super::tree::TreeReader::new(repo, tree);
        let mut before = Vec::with_capacity(changes.writes.len());
        for w in &changes.writes {
            fsio::check_no_symlinks(&self.root, &w.path)?;
            before.push(self.current(&w.path)?);
            journal.bases.entry(w.path.clone()).or_insert_with(|| {
                tree.entry(&format!("{prefix}{}", w.path))
                    .map(|(id, _)| id.to_string())
            });
        }
        let after: Vec<Option<String>> = changes
            .writes
            .iter()
            .map(|w| blob_id(Some(&w.contents)))
            .collect();
        journal.entries.push(JournalEntry {
            actions: changes.actions.clone(),
            paths: changes.writes.iter().map(|w| w.path.clone()).collect(),
            before: before.clone(),
            at: super::now().to_string(),
            intents: changes.intents.clone(),
            complete: false,
            after: after.clone(),
        });
        // The intent is recorded first: after a crash the journal names every
        // file that may have changed, and what it held.
        journal.save(dir)?;
        super::crashpoint("journal-saved");
        for (i, w) in changes.writes.iter().enumerate() {
            if let Err(e) = fsio::write_atomic(&self.root, &w.path, w.contents.as_bytes()) {
                for (w, old) in changes.writes.iter().zip(&before).take(i) {
                    let _ = self.restore(&w.path, old.as_deref());
                }
                journal.entries.pop();
                journal.prune();
                let _ = journal.save(dir);
                return Err(e.into());
            }
            super::crashpoint("file-written");
        }
        for (w, a) in changes.writes.iter().zip(after) {
            journal.written.insert(w.path.clone(), a);
        }
        if let Some(e) = journal.entries.last_mut() {
            e.complete = true;
        }
        journal.save(dir)?;
        super::crashpoint("entry-complete");
        Ok(changes)
    }

    /// A file's current text, `None` when it does not exist.
    pub(super) fn current(&self, rel: &str) -> Result<Option<String>, StoreError> {
        let full = fsio::safe_path(&self.root, rel)?;
        if full.symlink_metadata().is_err() {
            return Ok(None);
        }
        let bytes = fsio::read(&self.root, rel)?;
        Ok(Some(String::from_utf8_lossy(&bytes).into_owned()))
    }

    /// Puts `text` back at `rel`, or removes the file when `None`.
    pub(super) fn restore(&self, rel: &str, text: Option<&str>) -> Result<(), StoreError> {
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
    /// pending. Refused when one of its files was edited since docket wrote
    /// it: undoing would silently drop that edit.
    pub fn undo(&self) -> Result<Option<Undone>, StoreError> {
        let dir = self.docket_dir()?;
        let repo = self.repository()?;
        let _lock = Lock::acquire(&dir)?;
        let mut journal = Journal::load(&dir)?;
        self.reconcile_locked(&repo, &dir, &mut journal, false)?;
        self.undo_locked(&dir, &mut journal)
    }

    fn undo_locked(&self, dir: &Path, journal: &mut Journal) -> Result<Option<Undone>, StoreError> {
        let Some(entry) = journal.entries.last().cloned() else {
            return Ok(None);
        };
        // Each file must hold what this change wrote (or, after an undo a
        // kill interrupted, what it held before): anything else is an edit
        // made since, which undoing would silently drop.
        for (k, p) in entry.paths.iter().enumerate() {
            let now = self.work_blob(p)?.map(|o| o.to_string());
            let wrote = entry.after.get(k).cloned();
            let was = entry.before.get(k).map(|b| blob_id(b.as_deref()));
            let known =
                wrote.is_none() || Some(&now) == wrote.as_ref() || Some(&now) == was.as_ref();
            if !known {
                return Err(StoreError::EditedSince(p.clone()));
            }
        }
        for (k, p) in entry.paths.iter().enumerate() {
            let old = entry.before.get(k).and_then(Option::as_deref);
            self.restore(p, old)?;
            journal.written.insert(p.clone(), blob_id(old));
        }
        fsio::remove_all_temps_of(&self.root, &entry.paths);
        journal.entries.pop();
        journal.prune();
        journal.save(dir)?;
        Ok(Some((entry.actions, entry.paths)))
    }

    /// The actions `discard` would drop: the pending ones, once reconciled
    /// with git (those already in HEAD are not pending any more).
    pub fn discard_preview(&self) -> Result<Vec<crate::ops::Action>, StoreError> {
        Ok(self.pending()?.actions())
    }

    /// Drops every pending change, taking the changes back newest first,
    /// each only where the file still holds what it wrote: a hand edit made
    /// between or after docket's changes stops the unwinding of that file,
    /// which is then left as it is. A file fully unwound goes back to what
    /// it held before docket's first change (hand edits made before kept),
    /// or to HEAD's version when someone else committed it since and there
    /// were no such edits. Returns the paths restored and the paths left
    /// alone.
    pub fn discard(&self) -> Result<(Vec<String>, Vec<String>), StoreError> {
        let (_, _, prefix) = self.work()?;
        let repo = self.repository()?;
        let dir = self.docket_dir()?;
        let _lock = Lock::acquire(&dir)?;
        let mut journal = Journal::load(&dir)?;
        self.reconcile_locked(&repo, &dir, &mut journal, false)?;
        let head = git::head_commit(&repo)?;
        let mut tree =
            super::tree::TreeReader::new(&repo, head.as_ref().map(git2::Commit::tree).transpose()?);
        let (mut restored, mut kept) = (Vec::new(), Vec::new());
        for p in journal.paths() {
            let Some(text) = self.unwound(&journal, &p)? else {
                kept.push(p);
                continue;
            };
            let now = tree.entry(&format!("{prefix}{p}")).map(|(id, _)| id);
            let base = journal.bases.get(&p).cloned().flatten();
            let pristine = blob_id(text.as_deref()) == base;
            let head_moved = now.map(|id| id.to_string()) != base;
            match now {
                Some(id) if head_moved && pristine => {
                    let blob = repo.find_blob(id)?;
                    fsio::write_atomic(&self.root, &p, blob.content())?;
                }
                _ if head_moved && pristine => self.restore(&p, None)?,
                _ => self.restore(&p, text.as_deref())?,
            }
            restored.push(p);
        }
        fsio::remove_all_temps_of(&self.root, &restored);
        Journal::clear(&dir)?;
        Ok((restored, kept))
    }

    /// What `p` held before docket's first change, found by taking the
    /// changes back newest first; `None` when the file holds something no
    /// change of docket's wrote (an edit made since).
    #[allow(clippy::option_option)]
    fn unwound(&self, journal: &Journal, p: &str) -> Result<Option<Option<String>>, StoreError> {
        let mut now = self.work_blob(p)?.map(|o| o.to_string());
        let mut text = None;
        for i in journal.entries_touching(p).into_iter().rev() {
            let e = &journal.entries[i];
            let Some(k) = e.paths.iter().position(|x| x == p) else {
                continue;
            };
            let before = e.before.get(k).cloned().flatten();
            match e.after.get(k) {
                Some(after) if *after == now => {}
                // Already taken back (an interrupted undo or discard).
                Some(_) if blob_id(before.as_deref()) == now => {}
                Some(_) => return Ok(None),
                None => {}
            }
            now = blob_id(before.as_deref());
            text = Some(before);
        }
        Ok(text)
    }
}
