//! Updating git's index for a commit by splicing the changed entries into
//! its bytes, so the cost follows the change, not the repository: libgit2
//! parses all entries (~68 ms at 100k) and re-encodes them with a
//! collision-detecting SHA-1 (~43 ms); here the unchanged entries are kept
//! as they lie (borrowed from the old file's bytes, see `splice`) and only
//! the checksum covers the whole file.
//!
//! Extensions are kept only where splicing cannot make them lie: the cache
//! tree (`TREE`) with the changed paths' ancestors invalidated, as git does
//! when it adds a path, and resolve-undo (`REUC`, keyed by path). The others
//! (`UNTR`, `FSMN`, `EOIE`, `IEOT`, unknown ones) index entries by position
//! or byte offset, or cache what an add invalidates; they are dropped and git
//! rebuilds them when configured to. Split and sparse indexes, unmerged
//! entries and anything unexpected send the caller back to libgit2.

mod splice;

use super::StoreError;
use super::git::{self, Edit};
use super::gitindex::STAT_LEN;
use super::gitlock::IndexLock;
use git2::{Oid, Repository, Tree};
use std::collections::BTreeMap;
use std::io::Write as _;
use std::path::Path;

/// A path's new index entry, as `git add` would record it.
pub(crate) struct New {
    pub oid: Oid,
    /// `None`: the mode the entry had (core.filemode off), else 0o100644.
    pub mode: Option<u32>,
    pub stat: [u8; STAT_LEN],
}

/// Writes the blobs of `paths` (repository-relative after `prefix`), edits
/// HEAD's tree along them and splices them into git's index, written to
/// the lock's `index.next`. Returns the tree, or `None` when the index must
/// be edited by libgit2 instead (see the module comment).
pub(super) fn stage(
    repo: &Repository,
    lock: &IndexLock,
    (workdir, git_dir, prefix): (&Path, &Path, &str),
    paths: &[String],
    head_tree: Option<&Tree<'_>>,
) -> Result<Option<Oid>, StoreError> {
    let index = git_dir.join("index");
    let bytes = match std::fs::read(&index) {
        Ok(b) => b,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(e) => return Err(StoreError::io(&index, e)),
    };
    // Entries not older than the index they were read from are "racy"; the
    // new index is later, so they are written smudged (size 0), as git and
    // libgit2 do, or a same-size edit in that tick would pass for clean.
    let Some(racy_from) = std::fs::metadata(&index)
        .and_then(|m| m.modified())
        .ok()
        .and_then(|t| t.duration_since(std::time::UNIX_EPOCH).ok())
        .map(|d| {
            (
                u32::try_from(d.as_secs()).unwrap_or(u32::MAX),
                d.subsec_nanos(),
            )
        })
    else {
        return Ok(None);
    };
    let filemode = repo
        .config()
        .and_then(|c| c.get_bool("core.filemode"))
        .unwrap_or(true);
    let mut changes: BTreeMap<String, Option<New>> = BTreeMap::new();
    for p in paths {
        let repo_rel = format!("{prefix}{p}");
        let full = workdir.join(&repo_rel);
        // Stat before hashing (below), as git does: a write in between
        // leaves the entry older than the file, or racy, never wrongly
        // clean.
        let new = full.symlink_metadata().ok().map(|meta| New {
            oid: Oid::ZERO_SHA1,
            mode: filemode.then(|| file_mode(&meta)),
            stat: stat_bytes(&meta),
        });
        changes.insert(repo_rel, new);
    }
    let Ok(mut spliced) = splice::splice(&bytes, &mut changes, racy_from) else {
        return Ok(None);
    };
    let hasher = hasher(repo, &spliced.attrs)?;
    for (p, new) in &mut changes {
        if let Some(n) = new {
            n.oid = hasher.blob_path(&workdir.join(p))?;
        }
    }
    spliced.set_oids(&changes);
    let edits: BTreeMap<String, Edit> = changes
        .into_iter()
        .map(|(p, n)| {
            let e = n.map(|n| {
                let mode = n.mode.unwrap_or(0o100_644);
                (n.oid, i32::try_from(mode).unwrap_or(0o100_644))
            });
            (p, e)
        })
        .collect();
    // The checksum (SHA-1 over ~10 MB at 100k entries, the largest cost
    // here) is computed on a second thread while this one writes the same
    // bytes out and edits the tree: neither needs the other's result.
    let (file, next) = lock.create_next()?;
    let mut out = std::io::BufWriter::with_capacity(1 << 16, file);
    let io = |e| StoreError::io(&next, e);
    let tree = std::thread::scope(|s| {
        // Where no thread can be started, the checksum is computed here
        // after the write instead: a commit is never refused for it.
        let sum = std::thread::Builder::new()
            .spawn_scoped(s, || spliced.checksum())
            .ok();
        for piece in spliced.pieces() {
            out.write_all(piece).map_err(io)?;
        }
        let tree = match git::edit_tree(repo, head_tree, &edits)? {
            Some(id) => id,
            None => repo.treebuilder(None)?.write()?,
        };
        let sum = match sum {
            Some(h) => h
                .join()
                .map_err(|_| StoreError::io(&next, std::io::Error::other("hashing failed")))?,
            None => spliced.checksum(),
        };
        out.write_all(&sum).map_err(io)?;
        Ok::<_, StoreError>(tree)
    })?;
    out.flush().map_err(io)?;
    Ok(Some(tree))
}

/// A second handle on the repository, to hash files with their filters
/// (`.gitattributes`, core.autocrlf) as `git add` would. libgit2 looks for
/// attribute files in the index too, and would read all of it to find
/// them; this handle's index holds only those entries (`attrs`, found by
/// the splice's walk of the raw index).
fn hasher(repo: &Repository, attrs: &[git2::IndexEntry]) -> Result<Repository, StoreError> {
    let mut index = git2::Index::new()?;
    for e in attrs {
        index.add(e)?;
    }
    let hasher = Repository::open(repo.path())?;
    hasher.set_index(&mut index)?;
    Ok(hasher)
}

#[cfg(unix)]
fn file_mode(meta: &std::fs::Metadata) -> u32 {
    use std::os::unix::fs::PermissionsExt;
    if meta.permissions().mode() & 0o100 == 0 {
        0o100_644
    } else {
        0o100_755
    }
}

#[cfg(not(unix))]
fn file_mode(_: &std::fs::Metadata) -> u32 {
    0o100_644
}

/// The 40 bytes of stat data git records, each field cut to 32 bits.
#[cfg(unix)]
#[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)] // git's own truncation
fn stat_bytes(meta: &std::fs::Metadata) -> [u8; STAT_LEN] {
    use std::os::unix::fs::MetadataExt;
    let words = [
        meta.ctime() as u32,
        meta.ctime_nsec() as u32,
        meta.mtime() as u32,
        meta.mtime_nsec() as u32,
        meta.dev() as u32,
        meta.ino() as u32,
        0, // the mode word is the entry's mode, filled in by `encode`
        meta.uid(),
        meta.gid(),
        meta.size() as u32,
    ];
    let mut out = [0; STAT_LEN];
    for (chunk, w) in out.chunks_exact_mut(4).zip(words) {
        chunk.copy_from_slice(&w.to_be_bytes());
    }
    out
}

#[cfg(not(unix))]
#[allow(clippy::cast_possible_truncation)] // git's own truncation
fn stat_bytes(meta: &std::fs::Metadata) -> [u8; STAT_LEN] {
    let mut out = [0; STAT_LEN];
    if let Some(d) = meta
        .modified()
        .ok()
        .and_then(|t| t.duration_since(std::time::UNIX_EPOCH).ok())
    {
        out[8..12].copy_from_slice(&(d.as_secs() as u32).to_be_bytes());
        out[12..16].copy_from_slice(&d.subsec_nanos().to_be_bytes());
    }
    out[36..40].copy_from_slice(&(meta.len() as u32).to_be_bytes());
    out
}

#[cfg(test)]
mod tests;
