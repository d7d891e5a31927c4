//! Updating git's index for a commit by splicing the changed entries into
//! its bytes, so the cost follows the change, not the repository: libgit2
//! parses all entries (~68 ms at 100k) and re-encodes them with a
//! collision-detecting SHA-1 (~43 ms); here the unchanged entries are copied
//! as they lie and only the checksum covers the whole file.
//!
//! Extensions are kept only where splicing cannot make them lie: the cache
//! tree (`TREE`) with the changed paths' ancestors invalidated, as git does
//! when it adds a path, and resolve-undo (`REUC`, keyed by path). The others
//! (`UNTR`, `FSMN`, `EOIE`, `IEOT`, unknown ones) index entries by position
//! or byte offset, or cache what an add invalidates; they are dropped and git
//! rebuilds them when configured to. Split and sparse indexes, unmerged
//! entries and anything unexpected send the caller back to libgit2.

use super::StoreError;
use super::git::{self, Edit};
use super::gitindex::{self, HASH_LEN, HEADER_LEN, IndexError, Raw, STAT_LEN};
use git2::{Oid, Repository, Tree};
use std::collections::BTreeMap;
use std::path::Path;

/// A path's new index entry, as `git add` would record it.
pub(crate) struct New {
    pub oid: Oid,
    /// `None`: the mode the entry had (core.filemode off), else 0o100644.
    pub mode: Option<u32>,
    pub stat: [u8; STAT_LEN],
}

/// Writes the blobs of `paths` (repository-relative after `prefix`), edits
/// HEAD's tree along them and splices them into git's index. Returns the
/// tree and the new index's bytes, or `None` when the index must be edited
/// by libgit2 instead (see the module comment).
pub(super) fn stage(
    repo: &Repository,
    git_dir: &Path,
    workdir: &Path,
    prefix: &str,
    paths: &[String],
    head_tree: Option<&Tree<'_>>,
) -> Result<Option<(Oid, Vec<u8>)>, StoreError> {
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
    let Some(hasher) = hasher(repo, &bytes)? else {
        return Ok(None);
    };
    let mut changes: BTreeMap<String, Option<New>> = BTreeMap::new();
    for p in paths {
        let repo_rel = format!("{prefix}{p}");
        let full = workdir.join(&repo_rel);
        // Stat before hashing, as git does: a write in between leaves the
        // entry older than the file, or racy, never wrongly clean.
        let new = match full.symlink_metadata() {
            Ok(meta) => {
                let oid = hasher.blob_path(&full)?;
                Some(New {
                    oid,
                    mode: filemode.then(|| file_mode(&meta)),
                    stat: stat_bytes(&meta),
                })
            }
            Err(_) => None,
        };
        changes.insert(repo_rel, new);
    }
    let Ok(spliced) = splice(&bytes, &mut changes, racy_from) else {
        return Ok(None);
    };
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
    let tree = match git::edit_tree(repo, head_tree, &edits)? {
        Some(id) => id,
        None => repo.treebuilder(None)?.write()?,
    };
    Ok(Some((tree, spliced)))
}

/// A second handle on the repository, to hash files with their filters
/// (`.gitattributes`, core.autocrlf) as `git add` would. libgit2 looks for
/// attribute files in the index too, and would read all of it to find
/// them; this handle's index holds only those entries, taken from the raw
/// index. `None` when the raw index cannot be read.
fn hasher(repo: &Repository, bytes: &[u8]) -> Result<Option<Repository>, StoreError> {
    let mut attrs = git2::Index::new()?;
    let mut failed = None;
    let walked = gitindex::walk(bytes, |raw| {
        let name = raw.path.rsplit(|&c| c == b'/').next().unwrap_or_default();
        if raw.stage() != 0 || name != b".gitattributes" || failed.is_some() {
            return;
        }
        let Ok(id) = Oid::from_bytes(raw.oid) else {
            return;
        };
        let w = |i: usize| gitindex::be32(raw.stat, i * 4).unwrap_or(0);
        let entry = git2::IndexEntry {
            ctime: git2::IndexTime::new(0, 0),
            mtime: git2::IndexTime::new(0, 0),
            dev: 0,
            ino: 0,
            mode: w(6),
            uid: 0,
            gid: 0,
            file_size: w(9),
            id,
            flags: 0,
            flags_extended: 0,
            path: raw.path.to_vec(),
        };
        if let Err(e) = attrs.add(&entry) {
            failed = Some(e);
        }
    });
    if walked.is_err() {
        return Ok(None);
    }
    if let Some(e) = failed {
        return Err(e.into());
    }
    let hasher = Repository::open(repo.path())?;
    hasher.set_index(&mut attrs)?;
    Ok(Some(hasher))
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

/// The index in `bytes` with the entries of `changes` replaced, inserted
/// (`Some`) or removed (`None`), and a new checksum. Fills in each `New`'s
/// mode left to the old entry.
pub(crate) fn splice(
    bytes: &[u8],
    changes: &mut BTreeMap<String, Option<New>>,
    racy_from: (u32, u32),
) -> Result<Vec<u8>, IndexError> {
    let version = gitindex::be32(bytes, 4).unwrap_or(0);
    let count = gitindex::be32(bytes, 8).unwrap_or(0);
    let mut out = Vec::with_capacity(bytes.len() + changes.len() * 128);
    out.extend_from_slice(bytes.get(..HEADER_LEN).unwrap_or_default());
    let mut w = Writer {
        out,
        version,
        prev: Vec::new(),
    };
    let mut todo = changes.iter_mut().peekable();
    let (mut added, mut removed) = (0u32, 0u32);
    let mut unmerged = false;
    // In version 4 an entry's path is stored against the one before it:
    // after a change, the next kept entry is encoded again.
    let mut diverged = false;
    let layout = gitindex::walk(bytes, |raw| {
        unmerged |= raw.stage() != 0;
        while let Some((path, new)) = todo.next_if(|(p, _)| p.as_bytes() < raw.path) {
            if let Some(n) = new {
                let mode = *n.mode.get_or_insert(0o100_644);
                w.entry(path.as_bytes(), &n.stat, mode, n.oid.as_bytes());
                added += 1;
            }
            diverged = true;
        }
        if let Some((path, new)) = todo.next_if(|(p, _)| p.as_bytes() == raw.path) {
            removed += 1;
            if let Some(n) = new {
                let old = gitindex::be32(raw.stat, 24).unwrap_or(0o100_644);
                let mode = *n.mode.get_or_insert(old);
                w.entry(path.as_bytes(), &n.stat, mode, n.oid.as_bytes());
                added += 1;
            }
            diverged = true;
            return;
        }
        let mtime = (
            gitindex::be32(raw.stat, 8).unwrap_or(u32::MAX),
            gitindex::be32(raw.stat, 12).unwrap_or(u32::MAX),
        );
        let mode = gitindex::be32(raw.stat, 24).unwrap_or(0);
        let size = gitindex::be32(raw.stat, 36).unwrap_or(0);
        if mtime >= racy_from && mode & 0o170_000 != 0o160_000 && size != 0 {
            let mut stat = raw.stat.to_vec();
            stat[36..40].fill(0);
            w.encode(raw.path, &stat, raw.oid, raw.flags & 0xf000, raw.extended);
        } else if w.version == 4 && diverged {
            w.raw(raw);
        } else {
            w.out
                .extend_from_slice(bytes.get(raw.start..raw.end).unwrap_or_default());
            if w.version == 4 {
                w.prev.clear();
                w.prev.extend_from_slice(raw.path);
            }
        }
        diverged = false;
    })?;
    if unmerged {
        return Err(IndexError::Unsupported(
            "an index with unmerged entries".to_owned(),
        ));
    }
    for (path, new) in todo {
        if let Some(n) = new {
            let mode = *n.mode.get_or_insert(0o100_644);
            w.entry(path.as_bytes(), &n.stat, mode, n.oid.as_bytes());
            added += 1;
        }
    }
    let mut out = w.out;
    let paths: Vec<&str> = changes.keys().map(String::as_str).collect();
    for (sig, range) in &layout.extensions {
        let ext = bytes.get(range.clone()).unwrap_or_default();
        match sig {
            b"TREE" => super::cachetree::invalidate(ext, &paths, &mut out)?,
            b"REUC" => out.extend_from_slice(ext),
            _ => {}
        }
    }
    let count = count
        .checked_sub(removed)
        .and_then(|c| c.checked_add(added))
        .ok_or_else(|| IndexError::Corrupt("too many entries".to_owned()))?;
    out[8..12].copy_from_slice(&count.to_be_bytes());
    let checksum = {
        use sha1::Digest as _;
        sha1::Sha1::digest(&out)
    };
    out.extend_from_slice(&checksum);
    debug_assert_eq!(checksum.len(), HASH_LEN);
    Ok(out)
}

/// Appends entries in the file's version.
struct Writer {
    out: Vec<u8>,
    version: u32,
    /// The last path written (version 4 only).
    prev: Vec<u8>,
}

impl Writer {
    /// A new stage-0 entry with no flags set.
    fn entry(&mut self, path: &[u8], stat: &[u8; STAT_LEN], mode: u32, oid: &[u8]) {
        let mut stat = *stat;
        stat[24..28].copy_from_slice(&mode.to_be_bytes());
        self.encode(path, &stat, oid, 0, 0);
    }

    /// A kept entry, encoded again against a new predecessor.
    fn raw(&mut self, raw: &Raw<'_>) {
        self.encode(
            raw.path,
            raw.stat,
            raw.oid,
            raw.flags & 0xf000,
            raw.extended,
        );
    }

    fn encode(&mut self, path: &[u8], stat: &[u8], oid: &[u8], flags: u16, extended: u16) {
        let begin = self.out.len();
        self.out.extend_from_slice(stat);
        self.out.extend_from_slice(oid);
        let len = u16::try_from(path.len().min(0xfff)).unwrap_or(0xfff);
        self.out.extend_from_slice(&(flags | len).to_be_bytes());
        if flags & 0x4000 != 0 {
            self.out.extend_from_slice(&extended.to_be_bytes());
        }
        if self.version == 4 {
            let common = self
                .prev
                .iter()
                .zip(path)
                .take_while(|(a, b)| a == b)
                .count();
            varint(&mut self.out, (self.prev.len() - common) as u64);
            self.out.extend_from_slice(&path[common..]);
            self.out.push(0);
            self.prev.clear();
            self.prev.extend_from_slice(path);
        } else {
            self.out.extend_from_slice(path);
            // 1 to 8 NULs, to a multiple of 8 bytes.
            let padded = (self.out.len() - begin + 8) & !7;
            self.out.resize(begin + padded, 0);
        }
    }
}

/// git's offset varint, the inverse of `gitindex::varint`.
fn varint(out: &mut Vec<u8>, mut value: u64) {
    let mut buf = [0u8; 10];
    let mut pos = buf.len() - 1;
    buf[pos] = (value & 0x7f) as u8;
    value >>= 7;
    while value != 0 {
        value -= 1;
        pos -= 1;
        buf[pos] = 0x80 | (value & 0x7f) as u8;
        value >>= 7;
    }
    out.extend_from_slice(&buf[pos..]);
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::gitindex::tests::Repo;

    /// Sizes of the entries of an index, by path.
    fn sizes(bytes: &[u8]) -> Vec<(String, u32)> {
        let mut out = Vec::new();
        gitindex::walk(bytes, |raw| {
            let size = gitindex::be32(raw.stat, 36).unwrap_or(u32::MAX);
            out.push((String::from_utf8_lossy(raw.path).into_owned(), size));
        })
        .unwrap();
        out
    }

    #[test]
    fn kept_entries_not_older_than_the_index_are_smudged() {
        let r = Repo::new();
        r.populate();
        r.git(&["add", "-A"]);
        let bytes = std::fs::read(r.git_dir().join("index")).unwrap();
        let before = sizes(&bytes);
        assert!(before.iter().any(|(_, s)| *s > 0));
        // An index read long after its entries: nothing racy, bytes kept.
        let same = splice(&bytes, &mut BTreeMap::new(), (u32::MAX, 0)).unwrap();
        assert_eq!(sizes(&same), before);
        // Every entry as new as the index: each is written with size 0, so
        // git and libgit2 compare the content, not the stat data.
        let smudged = splice(&bytes, &mut BTreeMap::new(), (0, 0)).unwrap();
        let after = sizes(&smudged);
        assert_eq!(after.len(), before.len());
        assert!(after.iter().all(|(_, s)| *s == 0), "{after:?}");
        std::fs::write(r.git_dir().join("index"), &smudged).unwrap();
        // git compares the smudged entries' content: all unchanged.
        r.git(&["update-index", "-q", "--refresh"]);
        assert_eq!(
            r.git(&["diff-files", "--name-only"]),
            "",
            "git reads it: unchanged"
        );
    }
}
