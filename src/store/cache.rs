//! The load cache, `.git/docket/cache`: for each failure-case file docket has
//! parsed, keyed by the file's git blob id, the row lists and checks need
//! and the file's diagnostics. Never committed, never trusted blindly.
//!
//! Keyed by blob id because git already knows the blob ids of committed
//! files: the index holds each file's id with its stat data, so a file whose
//! stat data still match (git's own test) is known without reading it, and
//! after a branch switch or a rebase git has refreshed the index, so records
//! from either side are found again. A record also names the path it was
//! parsed at, since a case's diagnostics depend on its folder.
//!
//! The file is written whole, atomically (a temp file renamed over it), and
//! carries a magic, a format version and a checksum: a missing, torn,
//! corrupt or foreign cache reads as empty and is rebuilt. Nothing in it is
//! used without its blob id matching the file's.

use crate::model::case::{Severity, Source, Status};
use crate::model::table::{NewCase, Review};
use crate::model::{Diagnostic, FailureCase, Rule};
use std::path::{Path, PathBuf};

/// Bumped whenever the record layout or what the parser derives changes, so
/// an older docket's cache is rebuilt rather than misread.
const VERSION: u32 = 5;
const MAGIC: &[u8; 8] = b"DKTCACHE";
const HEADER: usize = 8 + 4 + 8 + 8;
/// Slots of the fan-out table: one per 16-bit id prefix.
const FAN: usize = 1 << 16;

/// A git blob id.
pub type BlobId = [u8; 20];

/// One cached file: what parsing it gave.
#[derive(Debug, Clone)]
pub struct Record<'a> {
    pub case: Option<NewCase<'a>>,
    pub diags: Vec<Diagnostic>,
}

/// The cache as read. Records are stored in path order — the order the
/// loader walks the files in — so a load reads the file front to back
/// ([`Cursor`]); a record wanted elsewhere (a file moved, another branch's
/// copy) is found by blob id through a fan-out table built on open.
#[derive(Debug, Default)]
pub struct Cache {
    buf: Vec<u8>,
    /// Where each record starts (at its blob id), in path order.
    at: Vec<u32>,
    /// The first eight bytes of each id with its record's position in `at`,
    /// sorted by id.
    by_id: Vec<(u64, u32)>,
    /// Where the ids starting with each 16-bit prefix begin in `by_id` (as
    /// git's pack index fans out): one slot and a key or two per lookup,
    /// where a binary search over 100k ids waits on a cache miss per step.
    fan: Vec<u32>,
}

fn key(id: &[u8]) -> u64 {
    id.get(..8)
        .and_then(|b| b.try_into().ok())
        .map_or(0, u64::from_be_bytes)
}

impl Cache {
    /// Reads the cache at `file`; anything unreadable is an empty cache.
    pub fn open(file: &Path) -> Self {
        std::fs::read(file)
            .ok()
            .and_then(Self::parse)
            .unwrap_or_default()
    }

    fn parse(buf: Vec<u8>) -> Option<Self> {
        let head = buf.get(..HEADER)?;
        if &head[..8] != MAGIC || u32::from_le_bytes(head[8..12].try_into().ok()?) != VERSION {
            return None;
        }
        let count = usize::try_from(u64::from_le_bytes(head[12..20].try_into().ok()?)).ok()?;
        let sum = u64::from_le_bytes(head[20..28].try_into().ok()?);
        if u32::try_from(buf.len()).is_err() || checksum(&buf[HEADER..]) != sum {
            return None;
        }
        let mut at = Vec::with_capacity(count.min(buf.len() / 24));
        let mut by_id = Vec::with_capacity(at.capacity());
        let mut r = Reader {
            buf: &buf,
            pos: HEADER,
        };
        for n in 0..count {
            let start = u32::try_from(r.pos).ok()?;
            by_id.push((key(r.take(20)?), u32::try_from(n).ok()?));
            let len = r.u32()? as usize;
            r.take(len)?;
            at.push(start);
        }
        if r.pos != buf.len() {
            return None;
        }
        by_id.sort_unstable();
        let mut fan = Vec::with_capacity(FAN + 1);
        let mut i = 0usize;
        for prefix in 0..=FAN {
            while i < by_id.len() && ((by_id[i].0 >> 48) as usize) < prefix {
                i += 1;
            }
            fan.push(u32::try_from(i).ok()?);
        }
        Some(Self {
            buf,
            at,
            by_id,
            fan,
        })
    }

    #[cfg(test)]
    pub fn len(&self) -> usize {
        self.at.len()
    }

    fn id_at(&self, n: usize) -> &[u8] {
        let s = self.at.get(n).map_or(usize::MAX - 20, |&s| s as usize);
        self.buf.get(s..s + 20).unwrap_or(&[])
    }

    fn raw_at(&self, n: usize) -> Option<&[u8]> {
        let mut r = Reader {
            buf: &self.buf,
            pos: *self.at.get(n)? as usize + 20,
        };
        let len = r.u32()? as usize;
        r.take(len)
    }

    /// The position of `id`'s record.
    fn find(&self, id: &BlobId) -> Option<usize> {
        let k = key(id);
        let prefix = (k >> 48) as usize;
        let (lo, hi) = (
            *self.fan.get(prefix)? as usize,
            *self.fan.get(prefix + 1)? as usize,
        );
        let first = lo + self.by_id.get(lo..hi)?.partition_point(|x| x.0 < k);
        self.by_id
            .get(first..hi)?
            .iter()
            .take_while(|x| x.0 == k)
            .map(|x| x.1 as usize)
            .find(|&n| self.id_at(n) == id.as_slice())
    }

    /// The raw record of `id`, wherever it was parsed.
    #[must_use]
    pub fn get(&self, id: &BlobId) -> Option<&[u8]> {
        self.raw_at(self.find(id)?)
    }

    /// The raw record of `id` parsed at `path`, if cached.
    #[must_use]
    pub fn raw(&self, id: &BlobId, path: &str) -> Option<&[u8]> {
        let raw = self.get(id)?;
        (path_of_raw(raw)? == split(path)?).then_some(raw)
    }

    /// Every record, raw, with its blob id (for rewriting the cache).
    pub fn records(&self) -> impl Iterator<Item = (&BlobId, &[u8])> {
        (0..self.at.len()).filter_map(|n| {
            let id: &BlobId = self.id_at(n).try_into().ok()?;
            Some((id, self.raw_at(n)?))
        })
    }
}

/// Reads a cache in path order alongside a walk of the files in the same
/// order: each lookup looks at the next record or two, so a load streams
/// through the cache instead of jumping around it.
#[derive(Debug, Default)]
pub struct Cursor {
    next: usize,
}

impl Cursor {
    /// The raw record of `id` parsed at `path`: found at the cursor when the
    /// walk and the cache agree, else by id.
    pub fn raw<'c>(&mut self, cache: &'c Cache, id: &BlobId, path: &str) -> Option<&'c [u8]> {
        let want = split(path)?;
        let here = |n: usize| cache.raw_at(n).and_then(path_of_raw);
        // Skip records of files no longer there; a few at most, else jump.
        for _ in 0..4 {
            match here(self.next) {
                Some(p) if p < want => self.next += 1,
                _ => break,
            }
        }
        if here(self.next) != Some(want)
            && let Some(n) = cache.find(id)
        {
            self.next = n;
        }
        // Records of one path (this branch's, another's) sit together.
        let mut n = self.next;
        while here(n) == Some(want) {
            if cache.id_at(n) == id.as_slice() {
                self.next = n + 1;
                return cache.raw_at(n);
            }
            n += 1;
        }
        cache.raw(id, path)
    }
}

/// Decodes a raw record; `None` if it is malformed (the caller then parses
/// the file instead).
#[must_use]
pub fn decode(raw: &[u8]) -> Option<Record<'_>> {
    let mut r = Reader { buf: raw, pos: 0 };
    let (folder, id) = (r.str()?, r.str()?);
    let path = crate::model::table::path_of(folder, id);
    let case = if r.u8()? == 1 {
        let agent = r.str()?;
        let source = *Source::ALL.get(usize::from(r.u8()?))?;
        let occurred_at = r.str()?.parse().ok()?;
        let incident = r.opt_str()?;
        let severity = match r.u8()? {
            0 => None,
            n => Some(*Severity::ALL.get(usize::from(n) - 1)?),
        };
        let status = *Status::ALL.get(usize::from(r.u8()?))?;
        let summary = r.str()?;
        let n = r.u32()?;
        let mut tags = Vec::with_capacity(n.min(64) as usize);
        for _ in 0..n {
            tags.push(r.str()?);
        }
        let promotion = match r.opt_str()? {
            Some(set) => Some((set, r.u64()?)),
            None => None,
        };
        let notes = r.u32()?;
        let review = Review::from_byte(r.u8()?);
        Some(NewCase {
            id,
            folder,
            agent,
            source,
            occurred_at,
            incident,
            severity,
            status,
            summary,
            tags,
            promotion,
            notes,
            review,
        })
    } else {
        None
    };
    let n = r.u32()?;
    let mut diags = Vec::with_capacity(n.min(16) as usize);
    for _ in 0..n {
        let rule = Rule::by_name(r.str()?)?;
        let line = r.u32()? as usize;
        diags.push(Diagnostic::new(rule, &path, line, r.str()?));
    }
    (r.pos == raw.len()).then_some(Record { case, diags })
}

/// Encodes what parsing the file at `path` gave.
#[must_use]
pub fn encode(path: &str, case: Option<&FailureCase>, diags: &[Diagnostic]) -> Vec<u8> {
    let mut w = Vec::with_capacity(256);
    let (folder, id) = split(path).unwrap_or_default();
    put_str(&mut w, folder);
    put_str(&mut w, id);
    match case {
        Some(c) => {
            let n = NewCase::of(c);
            w.push(1);
            put_str(&mut w, n.agent);
            w.push(index_of(Source::ALL, &n.source));
            put_str(&mut w, &n.occurred_at.to_string());
            put_opt(&mut w, n.incident);
            w.push(n.severity.map_or(0, |s| index_of(Severity::ALL, &s) + 1));
            w.push(index_of(Status::ALL, &n.status));
            put_str(&mut w, n.summary);
            put_u32(&mut w, n.tags.len());
            for t in &n.tags {
                put_str(&mut w, t);
            }
            put_opt(&mut w, n.promotion.map(|p| p.0));
            if let Some((_, v)) = n.promotion {
                w.extend_from_slice(&v.to_le_bytes());
            }
            w.extend_from_slice(&n.notes.to_le_bytes());
            w.push(n.review.to_byte());
        }
        None => w.push(0),
    }
    put_u32(&mut w, diags.len());
    for d in diags {
        put_str(&mut w, d.rule.name());
        put_u32(&mut w, d.line);
        put_str(&mut w, &d.message);
    }
    w
}

/// Writes a cache of `records` to `file` atomically. Failing to write it
/// only costs the next load its speed, so errors are returned for the caller
/// to ignore.
pub fn save<'a>(
    file: &Path,
    records: impl Iterator<Item = (&'a BlobId, &'a [u8])>,
) -> std::io::Result<()> {
    // In path order (the loader's), one record per blob.
    let mut records: Vec<(&BlobId, &[u8])> = records.collect();
    records.sort_unstable_by_key(|r| r.0);
    records.dedup_by_key(|r| r.0);
    records.sort_by_cached_key(|r| (path_of_raw(r.1).unwrap_or_default(), *r.0));
    let mut body = Vec::new();
    let mut count: u64 = 0;
    for (id, raw) in records {
        body.extend_from_slice(id);
        put_u32(&mut body, raw.len());
        body.extend_from_slice(raw);
        count += 1;
    }
    let mut out = Vec::with_capacity(HEADER + body.len());
    out.extend_from_slice(MAGIC);
    out.extend_from_slice(&VERSION.to_le_bytes());
    out.extend_from_slice(&count.to_le_bytes());
    out.extend_from_slice(&checksum(&body).to_le_bytes());
    out.extend_from_slice(&body);
    if let Some(dir) = file.parent() {
        std::fs::create_dir_all(dir)?;
    }
    let tmp = temp_name(file);
    std::fs::write(&tmp, &out)?;
    std::fs::rename(&tmp, file).inspect_err(|_| {
        let _ = std::fs::remove_file(&tmp);
    })
}

/// A temp name unique to this process and call, beside the cache.
fn temp_name(file: &Path) -> PathBuf {
    use std::sync::atomic::{AtomicU64, Ordering};
    static N: AtomicU64 = AtomicU64::new(0);
    let n = N.fetch_add(1, Ordering::Relaxed);
    file.with_extension(format!("tmp-{}-{n}", std::process::id()))
}

/// A case path's folder and id (the file stem): what a record stores of
/// its path.
fn split(path: &str) -> Option<(&str, &str)> {
    crate::model::table::folder_and_id(path)
}

/// The folder and id a raw record was parsed at.
fn path_of_raw(raw: &[u8]) -> Option<(&str, &str)> {
    let mut r = Reader { buf: raw, pos: 0 };
    Some((r.str()?, r.str()?))
}

fn index_of<T: PartialEq>(all: &[T], v: &T) -> u8 {
    u8::try_from(all.iter().position(|x| x == v).unwrap_or(0)).unwrap_or(0)
}

fn put_u32(w: &mut Vec<u8>, n: usize) {
    w.extend_from_slice(&u32::try_from(n).unwrap_or(u32::MAX).to_le_bytes());
}

fn put_str(w: &mut Vec<u8>, s: &str) {
    put_u32(w, s.len());
    w.extend_from_slice(s.as_bytes());
}

fn put_opt(w: &mut Vec<u8>, s: Option<&str>) {
    match s {
        Some(s) => {
            w.push(1);
            put_str(w, s);
        }
        None => w.push(0),
    }
}

/// A 64-bit checksum, eight bytes at a time: it only has to catch a torn or
/// damaged file, fast (a 20 MB cache in a few milliseconds).
fn checksum(b: &[u8]) -> u64 {
    let mut h: u64 = 0x9e37_79b9_7f4a_7c15 ^ b.len() as u64;
    let mut chunks = b.chunks_exact(8);
    for c in &mut chunks {
        let mut w = [0u8; 8];
        w.copy_from_slice(c);
        h = (h ^ u64::from_le_bytes(w))
            .wrapping_mul(0x0000_0100_0000_01b3)
            .rotate_left(29);
    }
    for &x in chunks.remainder() {
        h = (h ^ u64::from(x)).wrapping_mul(0x0000_0100_0000_01b3);
    }
    h
}

/// Bounds-checked reading of a record.
struct Reader<'a> {
    buf: &'a [u8],
    pos: usize,
}

impl<'a> Reader<'a> {
    fn take(&mut self, n: usize) -> Option<&'a [u8]> {
        let s = self.buf.get(self.pos..self.pos.checked_add(n)?)?;
        self.pos += n;
        Some(s)
    }

    fn u8(&mut self) -> Option<u8> {
        Some(self.take(1)?[0])
    }

    fn u32(&mut self) -> Option<u32> {
        Some(u32::from_le_bytes(self.take(4)?.try_into().ok()?))
    }

    fn u64(&mut self) -> Option<u64> {
        Some(u64::from_le_bytes(self.take(8)?.try_into().ok()?))
    }

    fn str(&mut self) -> Option<&'a str> {
        let n = self.u32()? as usize;
        std::str::from_utf8(self.take(n)?).ok()
    }

    /// `None`: malformed; `Some(None)`: absent.
    #[allow(clippy::option_option)]
    fn opt_str(&mut self) -> Option<Option<&'a str>> {
        match self.u8()? {
            0 => Some(None),
            _ => Some(Some(self.str()?)),
        }
    }
}

#[cfg(test)]
mod tests;
