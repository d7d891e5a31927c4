//! The splice itself: the old index's bytes with some entries replaced,
//! inserted or removed, as a list of pieces rather than a new buffer.
//!
//! At 100k entries the index is ~10 MB and a commit changes a few entries:
//! copying the rest into a second buffer cost a 10 MB allocation (its page
//! faults, then its unmapping) and a memcpy, for bytes that are written out
//! unchanged. Here the kept runs stay borrowed from the old file's bytes and
//! only the encoded entries, the header and the rewritten cache tree are
//! owned; the checksum and the file are produced from the pieces in order.

use super::New;
use crate::store::gitindex::{self, HASH_LEN, HEADER_LEN, IndexError, Raw, STAT_LEN};
use std::collections::BTreeMap;

/// The new index, in file order, without its trailing checksum.
pub(crate) struct Spliced<'a> {
    old: &'a [u8],
    /// Bytes encoded here: the header first, then entries and extensions.
    fresh: Vec<u8>,
    pieces: Vec<Piece>,
    /// Where each new entry's object id lies in `fresh`, by path: the
    /// blobs are hashed after the walk (see `attrs`) and filled in then.
    oid_at: Vec<(String, usize)>,
    /// The index's `.gitattributes` entries, found on the same walk, for
    /// hashing the new blobs with git's filters.
    pub attrs: Vec<git2::IndexEntry>,
}

/// A byte range of the old file, or of `fresh`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Piece {
    Old(usize, usize),
    Fresh(usize, usize),
}

impl Spliced<'_> {
    /// The pieces' bytes, in file order.
    pub fn pieces(&self) -> impl Iterator<Item = &[u8]> {
        self.pieces.iter().map(|p| match *p {
            Piece::Old(a, b) => self.old.get(a..b).unwrap_or_default(),
            Piece::Fresh(a, b) => self.fresh.get(a..b).unwrap_or_default(),
        })
    }

    /// The trailing checksum: SHA-1 over every byte before it.
    pub fn checksum(&self) -> [u8; HASH_LEN] {
        use sha1::Digest as _;
        let mut h = sha1::Sha1::new();
        for p in self.pieces() {
            h.update(p);
        }
        h.finalize().into()
    }

    /// Fills in the new entries' object ids from `changes`.
    pub fn set_oids(&mut self, changes: &BTreeMap<String, Option<New>>) {
        for (path, at) in &self.oid_at {
            if let (Some(Some(n)), Some(dst)) =
                (changes.get(path), self.fresh.get_mut(*at..*at + HASH_LEN))
            {
                dst.copy_from_slice(n.oid.as_bytes());
            }
        }
    }

    /// The whole file, checksum included (tests compare it as bytes).
    #[cfg(test)]
    pub fn to_vec(&self) -> Vec<u8> {
        let mut out: Vec<u8> = self.pieces().flatten().copied().collect();
        out.extend_from_slice(&self.checksum());
        out
    }

    /// Keeps `a..b` of the old file, joined to the piece before when that
    /// ends where this starts.
    fn keep(&mut self, a: usize, b: usize) {
        match self.pieces.last_mut() {
            Some(Piece::Old(_, end)) if *end == a => *end = b,
            _ => self.pieces.push(Piece::Old(a, b)),
        }
    }

    /// Records the bytes appended to `fresh` since `from` as the next piece.
    fn fresh_from(&mut self, from: usize) {
        let to = self.fresh.len();
        if to == from {
            return;
        }
        match self.pieces.last_mut() {
            Some(Piece::Fresh(_, end)) if *end == from => *end = to,
            _ => self.pieces.push(Piece::Fresh(from, to)),
        }
    }
}

/// The index in `bytes` with the entries of `changes` replaced, inserted
/// (`Some`) or removed (`None`). Fills in each `New`'s mode left to the
/// old entry; their object ids are filled in later by `set_oids`.
pub(crate) fn splice<'a>(
    bytes: &'a [u8],
    changes: &mut BTreeMap<String, Option<New>>,
    racy_from: (u32, u32),
) -> Result<Spliced<'a>, IndexError> {
    let version = gitindex::be32(bytes, 4).unwrap_or(0);
    let count = gitindex::be32(bytes, 8).unwrap_or(0);
    let mut fresh = Vec::with_capacity(HEADER_LEN + changes.len() * 128);
    fresh.extend_from_slice(bytes.get(..HEADER_LEN).unwrap_or_default());
    let mut w = Writer {
        out: Spliced {
            old: bytes,
            fresh,
            pieces: vec![Piece::Fresh(0, HEADER_LEN)],
            oid_at: Vec::new(),
            attrs: Vec::new(),
        },
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
        if is_attributes(raw.path) && raw.stage() == 0 {
            w.out.attrs.extend(attributes_entry(raw));
        }
        while let Some((path, new)) = todo.next_if(|(p, _)| p.as_bytes() < raw.path) {
            if let Some(n) = new {
                let mode = *n.mode.get_or_insert(0o100_644);
                w.entry(path, &n.stat, mode);
                added += 1;
            }
            diverged = true;
        }
        if let Some((path, new)) = todo.next_if(|(p, _)| p.as_bytes() == raw.path) {
            removed += 1;
            if let Some(n) = new {
                let old = gitindex::be32(raw.stat, 24).unwrap_or(0o100_644);
                let mode = *n.mode.get_or_insert(old);
                w.entry(path, &n.stat, mode);
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
            let mut stat = [0; STAT_LEN];
            stat.copy_from_slice(raw.stat);
            stat[36..40].fill(0);
            w.encode(raw.path, &stat, raw.oid, raw.flags & 0xf000, raw.extended);
        } else if w.version == 4 && diverged {
            w.raw(raw);
        } else {
            w.out.keep(raw.start, raw.end);
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
            w.entry(path, &n.stat, mode);
            added += 1;
        }
    }
    let mut out = w.out;
    let paths: Vec<&str> = changes.keys().map(String::as_str).collect();
    for (sig, range) in &layout.extensions {
        let ext = bytes.get(range.clone()).unwrap_or_default();
        match sig {
            b"TREE" => {
                let from = out.fresh.len();
                crate::store::cachetree::invalidate(ext, &paths, &mut out.fresh)?;
                out.fresh_from(from);
            }
            b"REUC" => out.keep(range.start, range.end),
            _ => {}
        }
    }
    let count = count
        .checked_sub(removed)
        .and_then(|c| c.checked_add(added))
        .ok_or_else(|| IndexError::Corrupt("too many entries".to_owned()))?;
    out.fresh[8..12].copy_from_slice(&count.to_be_bytes());
    Ok(out)
}

/// Appends entries in the file's version.
struct Writer<'a> {
    out: Spliced<'a>,
    version: u32,
    /// The last path written (version 4 only).
    prev: Vec<u8>,
}

impl Writer<'_> {
    /// A new stage-0 entry with no flags set, its object id left to
    /// `Spliced::set_oids`.
    fn entry(&mut self, path: &str, stat: &[u8; STAT_LEN], mode: u32) {
        let mut stat = *stat;
        stat[24..28].copy_from_slice(&mode.to_be_bytes());
        let at = self.out.fresh.len() + STAT_LEN;
        self.out.oid_at.push((path.to_owned(), at));
        self.encode(path.as_bytes(), &stat, &[0; HASH_LEN], 0, 0);
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
        let out = &mut self.out.fresh;
        let begin = out.len();
        out.extend_from_slice(stat);
        out.extend_from_slice(oid);
        let len = u16::try_from(path.len().min(0xfff)).unwrap_or(0xfff);
        out.extend_from_slice(&(flags | len).to_be_bytes());
        if flags & 0x4000 != 0 {
            out.extend_from_slice(&extended.to_be_bytes());
        }
        if self.version == 4 {
            let common = self
                .prev
                .iter()
                .zip(path)
                .take_while(|(a, b)| a == b)
                .count();
            varint(out, (self.prev.len() - common) as u64);
            out.extend_from_slice(&path[common..]);
            out.push(0);
            self.prev.clear();
            self.prev.extend_from_slice(path);
        } else {
            out.extend_from_slice(path);
            // 1 to 8 NULs, to a multiple of 8 bytes.
            let padded = (out.len() - begin + 8) & !7;
            out.resize(begin + padded, 0);
        }
        self.out.fresh_from(begin);
    }
}

/// Whether an index path names a `.gitattributes` file.
fn is_attributes(path: &[u8]) -> bool {
    path == b".gitattributes" || path.ends_with(b"/.gitattributes")
}

/// The parts of a `.gitattributes` entry libgit2 reads it by (its blob).
fn attributes_entry(raw: &Raw<'_>) -> Option<git2::IndexEntry> {
    let id = git2::Oid::from_bytes(raw.oid).ok()?;
    let w = |i: usize| gitindex::be32(raw.stat, i * 4).unwrap_or(0);
    Some(git2::IndexEntry {
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
    })
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
