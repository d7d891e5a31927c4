//! Committing the way git does, so docket and git can write one repository
//! at the same time without either losing the other's work.
//!
//! git's own protocol: take `index.lock` (created exclusively), write the new
//! index into it, write the objects, move the branch only if it still points
//! where the tree was built from, then rename `index.lock` over `index`.
//! Holding the lock for the whole commit is what keeps a `git commit` from
//! building its tree from an index docket is about to replace.
//!
//! A kill -9 can stop docket anywhere in between, so the steps are recorded
//! in `.git/docket/commit.json` (what docket's lock file holds — a nonce, then
//! the staged index's checksum — and the commit about to be made). Content,
//! not inode numbers: a freed inode is handed out again at once, and git's
//! next `index.lock` may get it. The next docket process — which holds
//! the workspace lock, so the one that wrote the marker is gone — finishes
//! the commit when the branch moved (the staged index goes live) or rolls it
//! back (our `index.lock` removed). A lock file that is not ours is never
//! touched: docket names it and gives git's own advice.

use super::StoreError;
use git2::{Index, Oid, Repository};
use serde::{Deserialize, Serialize};
use std::fs::{self, File};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

const MARKER: &str = "commit.json";

/// Set while this process holds `index.lock`: the marker on disk is then a
/// live commit's, not a dead process's, and recovery must leave it alone.
static HELD: AtomicBool = AtomicBool::new(false);
const MINE: &str = "index.lock.mine";
const NEXT: &str = "index.next";
/// libgit2's own lock beside `index.next` while it writes it; a kill in
/// the middle leaves it behind.
const NEXT_LOCK: &str = "index.next.lock";

/// How long a commit waits for another git process to release `index.lock`
/// before it refuses (git itself refuses at once; a short wait lets a loop
/// of `git commit`s and docket commits interleave).
pub const INDEX_WAIT: Duration = Duration::from_secs(2);

#[derive(Debug, Default, Serialize, Deserialize)]
struct Marker {
    /// What docket's empty lock file holds: unique to this process and
    /// moment, so no other writer's `index.lock` can match it.
    #[serde(default)]
    nonce: String,
    /// The trailing checksum of the index docket staged into the lock.
    #[serde(default)]
    checksum: Option<String>,
    /// The commit the branch is about to be moved to.
    commit: Option<String>,
    /// The branch ref (`refs/heads/…`) about to be moved: a kill while
    /// libgit2 holds its `.lock` leaves that file behind.
    #[serde(default)]
    branch: Option<String>,
}

/// `index.lock`, held by this process until dropped or committed.
#[derive(Debug)]
pub struct IndexLock {
    git_dir: PathBuf,
    dir: PathBuf,
    marker: Marker,
    live: bool,
}

/// Whether the file at `path` is docket's lock: the nonce, or the staged
/// index (its last 20 bytes are the checksum the marker recorded).
fn is_ours(path: &Path, marker: &Marker) -> bool {
    use std::io::Read;
    let Ok(mut f) = File::open(path) else {
        return false;
    };
    let Ok(len) = f.metadata().map(|m| m.len()) else {
        return false;
    };
    if !marker.nonce.is_empty() && len == marker.nonce.len() as u64 {
        let mut buf = String::new();
        return f.read_to_string(&mut buf).is_ok() && buf == marker.nonce;
    }
    let Some(sum) = &marker.checksum else {
        return false;
    };
    tail(path).is_ok_and(|t| hex(&t) == *sum)
}

/// The last 20 bytes of a file: an index's trailing checksum. Read with a
/// seek, not the whole index (megabytes at 100k cases).
fn tail(path: &Path) -> std::io::Result<[u8; 20]> {
    use std::io::{Read, Seek, SeekFrom};
    let mut f = File::open(path)?;
    let mut buf = [0u8; 20];
    f.seek(SeekFrom::End(-20))?;
    f.read_exact(&mut buf)?;
    Ok(buf)
}

fn hex(bytes: &[u8]) -> String {
    use std::fmt::Write as _;
    bytes.iter().fold(String::new(), |mut s, b| {
        let _ = write!(s, "{b:02x}");
        s
    })
}

impl IndexLock {
    /// Takes `index.lock`, waiting up to `wait` for another process to
    /// release it. `dir` is docket's folder in the git dir.
    pub fn acquire(git_dir: &Path, dir: &Path, wait: Duration) -> Result<Self, StoreError> {
        fs::create_dir_all(dir).map_err(|e| StoreError::io(dir, e))?;
        let mine = dir.join(MINE);
        let _ = fs::remove_file(&mine);
        let nonce = format!(
            "docket {} {}",
            std::process::id(),
            std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .unwrap_or_default()
                .as_nanos()
        );
        let mut me = Self {
            git_dir: git_dir.to_path_buf(),
            dir: dir.to_path_buf(),
            marker: Marker {
                nonce: nonce.clone(),
                ..Marker::default()
            },
            live: false,
        };
        me.save()?;
        {
            use std::io::Write as _;
            let mut f = File::create_new(&mine).map_err(|e| StoreError::io(&mine, e))?;
            f.write_all(nonce.as_bytes())
                .map_err(|e| StoreError::io(&mine, e))?;
        }
        let lock = me.lock_path();
        let start = Instant::now();
        let mut delay = Duration::from_millis(2);
        loop {
            crate::store::crashpoint("index-lock");
            // A hard link is created exclusively, like git's O_EXCL, and
            // gives index.lock an inode the marker already names.
            match fs::hard_link(&mine, &lock) {
                Ok(()) => break,
                Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {
                    if start.elapsed() >= wait {
                        return Err(StoreError::IndexLocked(lock));
                    }
                    std::thread::sleep(delay);
                    delay = (delay * 2).min(Duration::from_millis(50));
                }
                Err(e) => return Err(StoreError::io(&lock, e)),
            }
        }
        let _ = fs::remove_file(&mine);
        me.live = true;
        HELD.store(true, Ordering::SeqCst);
        Ok(me)
    }

    fn lock_path(&self) -> PathBuf {
        self.git_dir.join("index.lock")
    }

    fn save(&self) -> Result<(), StoreError> {
        let text = serde_json::to_vec(&self.marker).unwrap_or_default();
        super::fsio::write_atomic(&self.dir, MARKER, &text)
    }

    /// The index as git has it now, to be edited: nobody else can change it
    /// while the lock is held. The copy is bound to `repo`, so paths added
    /// to it are read from the work tree with their stat data.
    pub fn open_index(&self, repo: &Repository) -> Result<Index, StoreError> {
        let next = self.dir.join(NEXT);
        let _ = fs::remove_file(&next);
        let _ = fs::remove_file(self.dir.join(NEXT_LOCK));
        let src = self.git_dir.join("index");
        if src.exists() && fs::hard_link(&src, &next).is_err() {
            fs::copy(&src, &next).map_err(|e| StoreError::io(&next, e))?;
        }
        let mut index = Index::open(&next)?;
        repo.set_index(&mut index)?;
        Ok(index)
    }

    /// Writes the edited index and puts it at `index.lock`, to go live once
    /// the branch has moved to `commit`.
    pub fn stage(
        &mut self,
        repo: &Repository,
        index: &mut Index,
        commit: Oid,
    ) -> Result<(), StoreError> {
        // libgit2 writes the new index beside `index.next` and renames it
        // over, so the hard link to git's index is never written through.
        index.write()?;
        self.put_in_place(repo, commit)
    }

    /// A new, empty `index.next` for an index docket encodes itself (see
    /// `indexsplice`), and its path. It may have been a hard link to git's
    /// index (`open_index`): unlinked first, never written through.
    pub fn create_next(&self) -> Result<(File, PathBuf), StoreError> {
        let next = self.dir.join(NEXT);
        let _ = fs::remove_file(&next);
        let f = File::create_new(&next).map_err(|e| StoreError::io(&next, e))?;
        Ok((f, next))
    }

    /// Like [`Self::stage`], for the index written to [`Self::create_next`].
    pub fn stage_written(&mut self, repo: &Repository, commit: Oid) -> Result<(), StoreError> {
        self.put_in_place(repo, commit)
    }

    /// Records the staged index's checksum and the commit in the marker,
    /// then moves `index.next` to `index.lock`.
    fn put_in_place(&mut self, repo: &Repository, commit: Oid) -> Result<(), StoreError> {
        let next = self.dir.join(NEXT);
        self.marker.checksum = Some(hex(&tail(&next).map_err(|e| StoreError::io(&next, e))?));
        self.marker.commit = Some(commit.to_string());
        self.marker.branch = repo
            .find_reference("HEAD")
            .ok()
            .and_then(|h| h.symbolic_target().ok().flatten().map(str::to_owned));
        self.save()?;
        crate::store::crashpoint("index-staged");
        let lock = self.lock_path();
        fs::rename(&next, &lock).map_err(|e| StoreError::io(&lock, e))
    }

    /// Makes the staged index live and releases the lock.
    pub fn finish(mut self) -> Result<(), StoreError> {
        let lock = self.lock_path();
        let index = self.git_dir.join("index");
        fs::rename(&lock, &index).map_err(|e| StoreError::io(&index, e))?;
        self.live = false;
        crate::store::crashpoint("index-live");
        let _ = fs::remove_file(self.dir.join(MARKER));
        Ok(())
    }
}

impl Drop for IndexLock {
    /// Releases the lock without changing git's index (a refused commit).
    fn drop(&mut self) {
        HELD.store(false, Ordering::SeqCst);
        if self.live {
            let lock = self.lock_path();
            if is_ours(&lock, &self.marker) {
                let _ = fs::remove_file(&lock);
            }
        }
        let _ = fs::remove_file(self.dir.join(MINE));
        let _ = fs::remove_file(self.dir.join(NEXT));
        let _ = fs::remove_file(self.dir.join(NEXT_LOCK));
        let _ = fs::remove_file(self.dir.join(MARKER));
    }
}

/// Finishes or rolls back a commit a killed docket left half done. Must be
/// called with the workspace lock held. Returns what it did, for the user.
pub fn recover(
    repo: &Repository,
    git_dir: &Path,
    dir: &Path,
) -> Result<Option<String>, StoreError> {
    if HELD.load(Ordering::SeqCst) {
        return Ok(None);
    }
    let path = dir.join(MARKER);
    let Ok(bytes) = fs::read(&path) else {
        return Ok(None);
    };
    let marker: Marker = serde_json::from_slice(&bytes).unwrap_or_default();
    let head = super::git::head_commit(repo)?.map(|c| c.id().to_string());
    let landed = marker.commit.is_some() && marker.commit == head;
    let lock = git_dir.join("index.lock");
    let ours = is_ours(&lock, &marker);
    let short = |id: &str| id.get(..7).unwrap_or(id).to_owned();
    let note = match (ours, landed) {
        (true, true) => {
            let index = git_dir.join("index");
            fs::rename(&lock, &index).map_err(|e| StoreError::io(&index, e))?;
            Some(format!(
                "finished an interrupted commit {}",
                short(head.as_deref().unwrap_or(""))
            ))
        }
        (true, false) => {
            fs::remove_file(&lock).map_err(|e| StoreError::io(&lock, e))?;
            Some("rolled back an interrupted commit (nothing was committed)".to_owned())
        }
        (false, true) => Some(format!(
            "finished an interrupted commit {}",
            short(head.as_deref().unwrap_or(""))
        )),
        (false, false) => None,
    };
    if let Some(branch) = marker.branch.as_deref().filter(|_| !landed) {
        remove_stale_ref_lock(repo, branch);
    }
    for f in [MINE, NEXT, NEXT_LOCK, MARKER] {
        let _ = fs::remove_file(dir.join(f));
    }
    Ok(note)
}

/// Removes `<branch>.lock` when a killed docket left it: it is older than
/// any live writer holds a ref lock (git holds one for microseconds).
fn remove_stale_ref_lock(repo: &Repository, branch: &str) {
    if !branch.starts_with("refs/heads/") || branch.contains("..") {
        return;
    }
    let lock = repo.commondir().join(format!("{branch}.lock"));
    let age = |p: &Path| {
        fs::symlink_metadata(p)
            .and_then(|m| m.modified())
            .ok()
            .map(|t| t.elapsed().unwrap_or_default())
    };
    let Some(first) = age(&lock) else { return };
    // A live writer (git holds a ref lock for microseconds) would be done
    // by the time the lock is a second old.
    let hold = Duration::from_secs(1);
    if first < hold {
        std::thread::sleep(hold.saturating_sub(first));
    }
    if age(&lock).is_some_and(|a| a >= hold) {
        let _ = fs::remove_file(&lock);
    }
}

/// Moves the branch HEAD points at from `old` to `new`, only if it still
/// points at `old` (compare-and-swap): a commit someone else made in
/// between is never overwritten.
pub fn move_head(
    repo: &Repository,
    old: Option<Oid>,
    new: Oid,
    message: &str,
) -> Result<(), StoreError> {
    let head = repo.find_reference("HEAD")?;
    let Some(name) = head.symbolic_target()?.map(str::to_owned) else {
        return Err(StoreError::DetachedHead);
    };
    let result = match old {
        Some(old) => repo.reference_matching(&name, new, true, old, message),
        None => repo.reference(&name, new, false, message),
    };
    match result {
        Ok(_) => Ok(()),
        Err(e)
            if matches!(
                e.code(),
                git2::ErrorCode::Modified | git2::ErrorCode::Exists
            ) =>
        {
            Err(StoreError::HeadMoved(name))
        }
        Err(e) => Err(e.into()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn recovery_leaves_a_live_lock_alone_and_clears_a_dead_one() {
        let tmp = tempfile::tempdir().unwrap();
        let repo = Repository::init(tmp.path()).unwrap();
        let git_dir = repo.path().to_path_buf();
        let dir = git_dir.join("docket");
        let lock = IndexLock::acquire(&git_dir, &dir, Duration::ZERO).unwrap();
        assert_eq!(recover(&repo, &git_dir, &dir).unwrap(), None);
        assert!(git_dir.join("index.lock").exists(), "a live lock is kept");
        // As if the holder died: the marker stays, the lock file stays.
        std::mem::forget(lock);
        HELD.store(false, Ordering::SeqCst);
        let note = recover(&repo, &git_dir, &dir).unwrap();
        assert!(note.is_some_and(|n| n.contains("rolled back")));
        assert!(!git_dir.join("index.lock").exists());
        // A lock that is not docket's is never touched.
        fs::write(git_dir.join("index.lock"), b"").unwrap();
        assert!(matches!(
            IndexLock::acquire(&git_dir, &dir, Duration::from_millis(20)),
            Err(StoreError::IndexLocked(_))
        ));
        assert_eq!(recover(&repo, &git_dir, &dir).unwrap(), None);
        assert!(git_dir.join("index.lock").exists());
    }
}
