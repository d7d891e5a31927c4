//! A read-only parser of git's index file (versions 2, 3 and 4), for the
//! load cache: which files differ from the index can be told from stat data
//! alone, as git does, without reading them.
//!
//! libgit2's `Repository::index()` takes ~68 ms at 100k entries (it builds
//! its own entry structs, a path map, and checks the trailing SHA-1); this
//! walks the bytes once and copies only what the cache needs. The trailing
//! checksum is not verified (hashing 10 MB is the cost we avoid); every read
//! is bounds-checked instead, so a truncated or garbled file is an error,
//! never a panic. Split (`link`) and sparse (`sdir`) indexes are refused as
//! [`IndexError::Unsupported`]: their entries live elsewhere or stand for whole
//! directories, and the caller falls back to reading the files.
//!
//! Nothing here writes: git owns the index and its lock.

use std::path::{Path, PathBuf};
use std::time::SystemTime;
use thiserror::Error;

#[derive(Debug, Error)]
pub enum IndexError {
    #[error("{path}: {source}")]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("git index is corrupt: {0}")]
    Corrupt(String),
    /// A valid index this reader does not handle; read the files instead.
    #[error("git index: {0} is not supported")]
    Unsupported(String),
}

/// One stage-0 entry (unmerged entries are reported via
/// [`IndexSnapshot::unmerged`] and skipped).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IndexEntry {
    /// Repository-relative, `/`-separated (non-UTF-8 paths are skipped).
    pub path: String,
    /// The blob id.
    pub oid: git2::Oid,
    pub stat: Stat,
    pub assume_valid: bool,
    pub skip_worktree: bool,
    pub intent_to_add: bool,
}

/// The stat data git recorded when it last hashed the file, each field
/// truncated to 32 bits as git stores it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Stat {
    pub ctime: (u32, u32),
    pub mtime: (u32, u32),
    pub dev: u32,
    pub ino: u32,
    pub mode: u32,
    pub uid: u32,
    pub gid: u32,
    pub size: u32,
}

#[derive(Debug, Clone, Default)]
pub struct IndexSnapshot {
    /// In index order (sorted by path).
    pub entries: Vec<IndexEntry>,
    /// When the index file was last written, for git's "racy" rule.
    pub mtime: Option<SystemTime>,
    /// Whether the index has entries in a merge stage (a conflict).
    pub unmerged: bool,
}

/// Reads `<git_dir>/index`. A missing index is an empty one.
pub fn read(git_dir: &Path) -> Result<IndexSnapshot, IndexError> {
    read_filtered(git_dir, "")
}

/// Like [`read`], keeping only entries whose path starts with `prefix`
/// (`sub/dir/`, or empty for all): the others are walked over without
/// being copied, which is most of the cost when the workspace is a small
/// subdirectory of a large repository. Paths stay repository-relative.
pub fn read_filtered(git_dir: &Path, prefix: &str) -> Result<IndexSnapshot, IndexError> {
    let path = git_dir.join("index");
    let (bytes, mtime) = match read_file(&path) {
        Ok(r) => r,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            return Ok(IndexSnapshot::default());
        }
        Err(source) => return Err(IndexError::Io { path, source }),
    };
    let mut snap = IndexSnapshot {
        mtime,
        ..IndexSnapshot::default()
    };
    let prefix = prefix.as_bytes();
    walk(&bytes, |raw| {
        if raw.stage() != 0 {
            snap.unmerged = true;
            return;
        }
        if !prefix.is_empty() && !raw.path.starts_with(prefix) {
            return;
        }
        if let Some(e) = raw.to_entry() {
            snap.entries.push(e);
        }
    })?;
    Ok(snap)
}

/// The file's bytes and its mtime, both from one open file, so the mtime
/// is that of the index that was read even if git replaces it meanwhile.
fn read_file(path: &Path) -> std::io::Result<(Vec<u8>, Option<SystemTime>)> {
    use std::io::Read;
    let mut f = std::fs::File::open(path)?;
    let meta = f.metadata()?;
    let mut bytes = Vec::with_capacity(usize::try_from(meta.len()).unwrap_or(0));
    f.read_to_end(&mut bytes)?;
    Ok((bytes, meta.modified().ok()))
}

/// The length of the trailing checksum (SHA-1 repositories only: libgit2
/// does not open SHA-256 ones either).
pub(crate) const HASH_LEN: usize = 20;
pub(crate) const HEADER_LEN: usize = 12;
/// ctime, mtime (2 × 2 words), dev, ino, mode, uid, gid, size.
pub(crate) const STAT_LEN: usize = 40;
/// Stat data, object id and the 16-bit flags: the fixed start of an entry.
const FIXED_LEN: usize = STAT_LEN + HASH_LEN + 2;

const ASSUME_VALID: u16 = 0x8000;
const EXTENDED: u16 = 0x4000;
const SKIP_WORKTREE: u16 = 0x4000;
const INTENT_TO_ADD: u16 = 0x2000;

/// One entry as it lies in the file, with its full path (rebuilt from the
/// previous one in version 4).
#[derive(Debug)]
pub(crate) struct Raw<'a> {
    /// Byte range of the entry in the file.
    pub start: usize,
    pub end: usize,
    pub flags: u16,
    /// The second flags word (version 3 and later, when `EXTENDED` is set).
    pub extended: u16,
    pub path: &'a [u8],
    /// The 40 bytes of stat data.
    pub stat: &'a [u8],
    pub oid: &'a [u8],
}

impl Raw<'_> {
    pub fn stage(&self) -> u16 {
        (self.flags >> 12) & 3
    }

    fn to_entry(&self) -> Option<IndexEntry> {
        let path = std::str::from_utf8(self.path).ok()?.to_owned();
        let oid = git2::Oid::from_bytes(self.oid).ok()?;
        let w = |i: usize| be32(self.stat, i * 4).unwrap_or(0);
        Some(IndexEntry {
            path,
            oid,
            stat: Stat {
                ctime: (w(0), w(1)),
                mtime: (w(2), w(3)),
                dev: w(4),
                ino: w(5),
                mode: w(6),
                uid: w(7),
                gid: w(8),
                size: w(9),
            },
            assume_valid: self.flags & ASSUME_VALID != 0,
            skip_worktree: self.extended & SKIP_WORKTREE != 0,
            intent_to_add: self.extended & INTENT_TO_ADD != 0,
        })
    }
}

/// Where the parts of an index file lie, for callers that edit it in place.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Layout {
    pub version: u32,
    /// The offset just past the last entry: extensions start here.
    pub entries_end: usize,
    /// Each extension's signature and byte range (header included).
    pub extensions: Vec<([u8; 4], std::ops::Range<usize>)>,
}

pub(crate) fn be32(b: &[u8], at: usize) -> Option<u32> {
    let w = b.get(at..at.checked_add(4)?)?;
    Some(u32::from_be_bytes([w[0], w[1], w[2], w[3]]))
}

fn be16(b: &[u8], at: usize) -> Option<u16> {
    let w = b.get(at..at.checked_add(2)?)?;
    Some(u16::from_be_bytes([w[0], w[1]]))
}

fn corrupt(what: impl Into<String>) -> IndexError {
    IndexError::Corrupt(what.into())
}

/// Calls `f` for every entry of the index in `bytes`, in file order, and
/// returns where the entries end and the extensions lie.
pub(crate) fn walk(bytes: &[u8], mut f: impl FnMut(&Raw<'_>)) -> Result<Layout, IndexError> {
    if bytes.len() < HEADER_LEN + HASH_LEN || bytes.get(..4) != Some(b"DIRC".as_slice()) {
        return Err(corrupt("no index header"));
    }
    let version = be32(bytes, 4).ok_or_else(|| corrupt("short header"))?;
    if !(2..=4).contains(&version) {
        return Err(IndexError::Unsupported(format!("index version {version}")));
    }
    let count = be32(bytes, 8).ok_or_else(|| corrupt("short header"))?;
    let body_end = bytes.len() - HASH_LEN;
    let body = &bytes[..body_end];
    let mut pos = HEADER_LEN;
    let mut prev: Vec<u8> = Vec::new();
    for _ in 0..count {
        let short = || corrupt(format!("entry at byte {pos} runs past the end"));
        let flags = be16(body, pos + STAT_LEN + HASH_LEN).ok_or_else(short)?;
        let mut at = pos + FIXED_LEN;
        let mut extended = 0;
        if flags & EXTENDED != 0 {
            if version < 3 {
                return Err(corrupt("extended flags in a version 2 index"));
            }
            extended = be16(body, at).ok_or_else(short)?;
            at += 2;
        }
        let end;
        let path: &[u8] = if version == 4 {
            let (strip, n) = varint(body.get(at..).unwrap_or_default()).ok_or_else(short)?;
            at += n;
            let nul = find_nul(body, at).ok_or_else(short)?;
            let keep = usize::try_from(strip)
                .ok()
                .and_then(|s| prev.len().checked_sub(s))
                .ok_or_else(|| corrupt(format!("bad path prefix at byte {pos}")))?;
            prev.truncate(keep);
            prev.extend_from_slice(&body[at..nul]);
            end = nul + 1;
            &prev
        } else {
            // The flags hold the path's length unless it is 0xfff or more.
            let len = usize::from(flags & 0xfff);
            let nul = if len < 0xfff && body.get(at + len) == Some(&0) {
                at + len
            } else {
                find_nul(body, at).ok_or_else(short)?
            };
            // Padded with 1 to 8 NULs to a multiple of 8 bytes.
            end = pos + ((nul - pos + 8) & !7);
            if end > body_end {
                return Err(short());
            }
            &body[at..nul]
        };
        f(&Raw {
            start: pos,
            end,
            flags,
            extended,
            path,
            stat: &body[pos..pos + STAT_LEN],
            oid: &body[pos + STAT_LEN..pos + STAT_LEN + HASH_LEN],
        });
        pos = end;
    }
    let entries_end = pos;
    let mut extensions = Vec::new();
    while pos < body_end {
        let short = || corrupt(format!("extension at byte {pos} runs past the end"));
        let sig = body.get(pos..pos + 4).ok_or_else(short)?;
        let size = be32(body, pos + 4).ok_or_else(short)?;
        let end = usize::try_from(size)
            .ok()
            .and_then(|s| (pos + 8).checked_add(s))
            .filter(|&e| e <= body_end)
            .ok_or_else(short)?;
        let sig = [sig[0], sig[1], sig[2], sig[3]];
        match &sig {
            b"link" => return Err(IndexError::Unsupported("a split index".to_owned())),
            b"sdir" => return Err(IndexError::Unsupported("a sparse index".to_owned())),
            // An upper-case first letter marks an extension readers may
            // ignore; any other unknown one git itself refuses.
            [b'A'..=b'Z', ..] => {}
            _ => {
                let name = String::from_utf8_lossy(&sig).into_owned();
                return Err(IndexError::Unsupported(format!("extension {name:?}")));
            }
        }
        extensions.push((sig, pos..end));
        pos = end;
    }
    Ok(Layout {
        version,
        entries_end,
        extensions,
    })
}

fn find_nul(b: &[u8], from: usize) -> Option<usize> {
    b.get(from..)?
        .iter()
        .position(|&c| c == 0)
        .map(|i| from + i)
}

/// git's offset varint (as in packs' `ofs-delta`): each continuation adds
/// one before shifting, so no number has two encodings. Returns the value
/// and the bytes it took.
pub(crate) fn varint(b: &[u8]) -> Option<(u64, usize)> {
    let mut i = 0;
    let mut c = *b.first()?;
    let mut val = u64::from(c & 0x7f);
    while c & 0x80 != 0 {
        i += 1;
        c = *b.get(i)?;
        val = val.checked_add(1)?.checked_mul(128)? | u64::from(c & 0x7f);
    }
    Some((val, i + 1))
}

/// Whether the file's metadata matches the entry as git would judge it:
/// size, mtime and ctime (seconds and nanoseconds), inode, owner and mode
/// (file type and exec bit), and not "racy" — an entry whose mtime is not
/// older than the index's may have changed again within the same tick
/// after git hashed it, so only its content can tell.
///
/// Stricter than git where git trusts a flag: assume-valid and
/// skip-worktree entries are still compared (the caller takes the blob id
/// for the file's content, so a stale entry must not pass), and an
/// intent-to-add entry (no blob yet) is never clean. `meta` should come
/// from `symlink_metadata`, as git's `lstat`.
#[must_use]
pub fn is_clean(
    entry: &IndexEntry,
    meta: &std::fs::Metadata,
    index_mtime: Option<SystemTime>,
) -> bool {
    is_clean_as(entry, &Probe::of(meta), index_mtime)
}

/// What `is_clean` compares of a file, however it was stat'ed (the loader
/// uses `fstatat` in each folder, cheaper than a path walk per file).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Probe {
    pub kind: FileKind,
    /// The owner's execute bit.
    pub exec: bool,
    pub size: u64,
    pub mtime: (i64, u32),
    pub ctime: (i64, u32),
    pub ino: u64,
    pub uid: u32,
    pub gid: u32,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FileKind {
    File,
    Symlink,
    Other,
}

impl Probe {
    /// From `symlink_metadata`.
    #[cfg(unix)]
    #[must_use]
    pub fn of(meta: &std::fs::Metadata) -> Self {
        use std::os::unix::fs::MetadataExt;
        let ft = meta.file_type();
        #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)] // nanoseconds < 1e9
        Self {
            kind: if ft.is_file() {
                FileKind::File
            } else if ft.is_symlink() {
                FileKind::Symlink
            } else {
                FileKind::Other
            },
            exec: meta.mode() & 0o100 != 0,
            size: meta.size(),
            mtime: (meta.mtime(), meta.mtime_nsec() as u32),
            ctime: (meta.ctime(), meta.ctime_nsec() as u32),
            ino: meta.ino(),
            uid: meta.uid(),
            gid: meta.gid(),
        }
    }

    /// From `symlink_metadata` (size and mtime only off unix).
    #[cfg(not(unix))]
    #[must_use]
    pub fn of(meta: &std::fs::Metadata) -> Self {
        let mtime = meta
            .modified()
            .ok()
            .and_then(|t| t.duration_since(SystemTime::UNIX_EPOCH).ok())
            .map_or((0, 0), |d| {
                (i64::try_from(d.as_secs()).unwrap_or(0), d.subsec_nanos())
            });
        Self {
            kind: if meta.is_file() {
                FileKind::File
            } else {
                FileKind::Other
            },
            exec: false,
            size: meta.len(),
            mtime,
            ctime: (0, 0),
            ino: 0,
            uid: 0,
            gid: 0,
        }
    }
}

/// [`is_clean`] over a [`Probe`].
#[must_use]
pub fn is_clean_as(entry: &IndexEntry, probe: &Probe, index_mtime: Option<SystemTime>) -> bool {
    let st = &entry.stat;
    if entry.intent_to_add {
        return false;
    }
    // git writes size 0 for entries it found racily clean ("smudged"), so
    // that only the empty blob can match them.
    if st.size == 0 && entry.oid.as_bytes() != EMPTY_BLOB {
        return false;
    }
    let Some(index_mtime) =
        index_mtime.and_then(|t| Some(split(t.duration_since(SystemTime::UNIX_EPOCH).ok()?)))
    else {
        return false;
    };
    if st.mtime >= index_mtime {
        return false;
    }
    same_stat(st, probe)
}

/// `e69de29…`, the id of the empty blob.
const EMPTY_BLOB: &[u8] = &[
    0xe6, 0x9d, 0xe2, 0x9b, 0xb2, 0xd1, 0xd6, 0x43, 0x4b, 0x8b, 0x29, 0xae, 0x77, 0x5a, 0xd8, 0xc2,
    0xe4, 0x8c, 0x53, 0x91,
];

/// Seconds and nanoseconds, the seconds truncated to 32 bits as git stores
/// them.
#[allow(clippy::cast_possible_truncation)] // git's own truncation
fn split(d: std::time::Duration) -> (u32, u32) {
    (d.as_secs() as u32, d.subsec_nanos())
}

#[cfg(unix)]
#[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)] // git stores each field as 32 bits
fn same_stat(st: &Stat, p: &Probe) -> bool {
    let type_ok = match st.mode & 0o170_000 {
        0o100_000 => p.kind == FileKind::File && (st.mode & 0o100 != 0) == p.exec,
        0o120_000 => p.kind == FileKind::Symlink,
        _ => false,
    };
    type_ok
        && st.size == p.size as u32
        && st.mtime == (p.mtime.0 as u32, p.mtime.1)
        && st.ctime == (p.ctime.0 as u32, p.ctime.1)
        && st.ino == p.ino as u32
        && st.uid == p.uid
        && st.gid == p.gid
}

#[cfg(not(unix))]
#[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)] // git stores each field as 32 bits
fn same_stat(st: &Stat, p: &Probe) -> bool {
    p.kind == FileKind::File
        && st.size == p.size as u32
        && st.mtime == (p.mtime.0 as u32, p.mtime.1)
}

#[cfg(test)]
pub(crate) mod tests;
