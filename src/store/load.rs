//! Loading the whole workspace: walk the layout, read and parse every file on
//! all cores, gather items and diagnostics.

use super::cache::{self, BlobId, Cache};
use super::gitindex::{FileKind, Probe};
use super::{Store, StoreError, fsio};
use crate::model::workspace::{Kind, Parsed, classify, parse_file};
use crate::model::{Diagnostic, Rule, Workspace};
use std::path::{Path, PathBuf};

impl Store {
    /// Every docket file of the workspace, workspace-relative, plus warnings
    /// for files that sit in docket's folders but are not part of the layout.
    #[must_use]
    pub fn files(&self) -> (Vec<(Kind, String)>, Vec<Diagnostic>) {
        self.walk(true)
    }

    /// [`Store::files`], with or without the failure cases' folders.
    fn walk(&self, failures: bool) -> (Vec<(Kind, String)>, Vec<Diagnostic>) {
        let mut files = Vec::new();
        let mut diags = Vec::new();
        let mut links: Vec<PathBuf> = Vec::new();
        let mut add = |rel: String, files: &mut Vec<(Kind, String)>| match classify(&rel) {
            Some(k) => files.push((k, rel)),
            None => diags.push(Diagnostic::new(
                Rule::Layout,
                &rel,
                1,
                "not part of the workspace layout (PRODUCT.md §1); ignored",
            )),
        };
        let root = &self.root;
        for dir in ["runbooks", "memos"] {
            for (name, is_dir) in fsio::list_dir(&root.join(dir), &mut links) {
                if !is_dir {
                    add(format!("{dir}/{name}"), &mut files);
                }
            }
        }
        let months = if failures {
            fsio::list_dir(&root.join("evals/failures"), &mut links)
        } else {
            Vec::new()
        };
        for (month, is_dir) in months {
            if !is_dir {
                add(format!("evals/failures/{month}"), &mut files);
                continue;
            }
            for (name, is_dir) in
                fsio::list_dir(&root.join("evals/failures").join(&month), &mut links)
            {
                if !is_dir {
                    add(format!("evals/failures/{month}/{name}"), &mut files);
                }
            }
        }
        for (set, is_dir) in fsio::list_dir(&root.join("evals/sets"), &mut links) {
            if !is_dir {
                continue;
            }
            let base = root.join("evals/sets").join(&set);
            for (name, is_dir) in fsio::list_dir(&base, &mut links) {
                if name == "cases" && is_dir {
                    for (c, is_dir) in fsio::list_dir(&base.join("cases"), &mut links) {
                        if !is_dir {
                            add(format!("evals/sets/{set}/cases/{c}"), &mut files);
                        }
                    }
                } else if !is_dir {
                    add(format!("evals/sets/{set}/{name}"), &mut files);
                }
            }
        }
        for (set, is_dir) in fsio::list_dir(&root.join("evals/runs"), &mut links) {
            if is_dir {
                for (name, is_dir) in
                    fsio::list_dir(&root.join("evals/runs").join(&set), &mut links)
                {
                    if !is_dir {
                        add(format!("evals/runs/{set}/{name}"), &mut files);
                    }
                }
            }
        }
        for l in links {
            let rel = l
                .strip_prefix(root)
                .map_or_else(|_| l.display().to_string(), |p| p.display().to_string());
            diags.push(Diagnostic::new(
                Rule::Layout,
                rel,
                1,
                "is a symlink; docket does not follow symlinks, ignored",
            ));
        }
        (files, diags)
    }

    /// Loads and parses the whole workspace. Malformed files are reported in
    /// `Workspace::diagnostics` and skipped; a malformed `docket.toml` is
    /// reported too and replaced by an empty stand-in. Only a missing or
    /// unreadable `docket.toml` is an error.
    pub fn load(&self) -> Result<Workspace, StoreError> {
        let (mut ws, broken) = match self.config() {
            Ok((config, diags)) => (Workspace::new(config, diags), false),
            Err(StoreError::Config(d)) => (
                Workspace::new(crate::model::Config::fallback(), vec![d]),
                true,
            ),
            Err(e) => return Err(e),
        };
        ws.config_broken = broken;
        let (files, walk_diags) = self.files();
        ws.diagnostics.extend(walk_diags);
        let (cases, others): (Vec<_>, Vec<_>) =
            files.into_iter().partition(|(k, _)| *k == Kind::Failure);
        for (parsed, diags) in on_threads(&others, |(kind, rel)| self.parse_one(*kind, rel)) {
            ws.add(parsed, diags);
        }
        let cases: Vec<String> = cases.into_iter().map(|(_, rel)| rel).collect();
        self.load_cases(&cases, &mut ws);
        ws.finish();
        Ok(ws)
    }

    /// A first look at the workspace for the UI's first frame: the failure
    /// cases as git's index lists them, from the cache alone — no case file
    /// is read, stat'ed or listed. `None` without a repository, an index or
    /// a warm cache (a tenth of the cases missing from it). What the work
    /// tree changed since is only in [`Store::load`], which the UI runs
    /// right after and which replaces this.
    #[must_use]
    pub fn load_quick(&self) -> Option<Workspace> {
        let cache = Cache::open(&self.docket_dir().ok()?.join("cache"));
        let known = self.index_ids();
        let (config, diags) = self.config().ok()?;
        let mut ws = Workspace::new(config, diags);
        let (files, walk_diags) = self.walk(false);
        ws.diagnostics.extend(walk_diags);
        for (parsed, diags) in on_threads(&files, |(kind, rel)| self.parse_one(*kind, rel)) {
            ws.add(parsed, diags);
        }
        let entries = &known.index.entries;
        let (mut missing, mut total) = (0usize, 0usize);
        ws.cases.reserve(entries.len(), 64);
        let mut cursor = cache::Cursor::default();
        for e in entries {
            let rel = e.path.get(known.prefix..).unwrap_or("");
            if classify(rel) != Some(Kind::Failure) {
                continue;
            }
            total += 1;
            let record = BlobId::try_from(e.oid.as_bytes())
                .ok()
                .and_then(|id| cursor.raw(&cache, &id, rel))
                .and_then(cache::decode);
            match record {
                Some(r) => ws.add_row(r.case.as_ref(), r.diags),
                None => missing += 1,
            }
        }
        if total == 0 || missing * 10 > total {
            return None;
        }
        ws.finish();
        Some(ws)
    }

    fn parse_one(&self, kind: Kind, rel: &str) -> (Option<Parsed>, Vec<Diagnostic>) {
        match fsio::read(&self.root, rel) {
            Ok(bytes) => parse_file(kind, rel, &bytes),
            Err(e) => (
                None,
                vec![Diagnostic::parse(rel, 1, format!("cannot read: {e}"))],
            ),
        }
    }
}

impl Store {
    /// Reads and parses the failure case filed at `rel`: its body, which the
    /// loaded workspace's table does not hold.
    pub fn case_at(&self, rel: &str) -> Result<crate::model::FailureCase, StoreError> {
        let bytes = fsio::read(&self.root, rel)?;
        let text = crate::model::parse::utf8(rel, &bytes).map_err(StoreError::Invalid)?;
        crate::model::FailureCase::parse(rel, text)
            .map(|(c, _)| c)
            .map_err(StoreError::Invalid)
    }
}

impl Store {
    /// Whether git may store a case file's content differently from the
    /// bytes in the work tree — line-ending conversion (`core.autocrlf`) or
    /// any attributes (`eol`, `ident`, a clean/smudge filter such as
    /// git-crypt's) — so that the blob id in the index names other bytes
    /// than the file's. The cache then keys every file by its own bytes.
    /// Cheap: the config and a few `stat`s of the places attributes live.
    fn may_convert(&self, workdir: &Path, git_dir: &Path) -> bool {
        let config = self.repository().ok().and_then(|r| r.config().ok());
        if let Some(c) = &config {
            let autocrlf = c.get_string("core.autocrlf").unwrap_or_default();
            if !matches!(
                autocrlf.to_ascii_lowercase().as_str(),
                "" | "false" | "no" | "off" | "0"
            ) {
                return true;
            }
            if c.get_path("core.attributesFile").is_ok_and(|p| p.exists()) {
                return true;
            }
        }
        let xdg = std::env::var_os("XDG_CONFIG_HOME")
            .filter(|v| !v.is_empty())
            .map(PathBuf::from)
            .or_else(|| std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".config")));
        let common = std::fs::read_to_string(git_dir.join("commondir"))
            .map_or_else(|_| git_dir.to_path_buf(), |c| git_dir.join(c.trim()));
        let mut places = vec![
            common.join("info/attributes"),
            PathBuf::from("/etc/gitattributes"),
        ];
        places.extend(xdg.map(|x| x.join("git/attributes")));
        // Every folder from the work tree's root down to the month folders.
        let mut dir = workdir.to_path_buf();
        places.push(dir.join(".gitattributes"));
        if let Ok(rel) = self.root.strip_prefix(workdir) {
            for part in rel.components() {
                dir.push(part);
                places.push(dir.join(".gitattributes"));
            }
        }
        for sub in ["evals", "evals/failures"] {
            places.push(self.root.join(sub).join(".gitattributes"));
        }
        let mut links = Vec::new();
        for (month, is_dir) in fsio::list_dir(&self.root.join("evals/failures"), &mut links) {
            if is_dir {
                places.push(
                    self.root
                        .join("evals/failures")
                        .join(month)
                        .join(".gitattributes"),
                );
            }
        }
        places.iter().any(|p| p.symlink_metadata().is_ok())
    }
}

/// Runs `f` over `items` on every core (at most 8), in order.
fn on_threads<T: Sync, R: Send>(items: &[T], f: impl Fn(&T) -> R + Sync) -> Vec<R> {
    on_threads_parts(items, |(): &mut (), x| f(x))
        .into_iter()
        .flatten()
        .collect()
}

/// [`on_threads`], its results left in one part per thread (no copy into
/// one vector: at 100k cases that copy is the load's peak).
/// Each thread keeps a state `S` of its own across its items.
fn on_threads_parts<T: Sync, R: Send, S: Default>(
    items: &[T],
    f: impl Fn(&mut S, &T) -> R + Sync,
) -> Vec<Vec<R>> {
    let threads = std::thread::available_parallelism()
        .map_or(1, std::num::NonZero::get)
        .clamp(1, 8);
    let chunk = items.len().div_ceil(threads).max(1);
    let f = &f;
    std::thread::scope(|s| {
        let handles: Vec<_> = items
            .chunks(chunk)
            .map(|part| {
                s.spawn(move || {
                    let mut state = S::default();
                    part.iter().map(|x| f(&mut state, x)).collect::<Vec<R>>()
                })
            })
            .collect();
        // A loader thread only panics on a bug; its files are then missing
        // from the result, which the caller's counts reveal.
        handles
            .into_iter()
            .map(|h| h.join().unwrap_or_default())
            .collect()
    })
}

/// What loading one case file came to.
enum Got<'c> {
    /// Its blob id, and its record found in the cache.
    Hit(BlobId, &'c [u8]),
    /// Parsed now: its blob id (when known) and encoded record.
    Parsed(Option<BlobId>, Vec<u8>),
    /// Could not be read.
    Unreadable(Box<Diagnostic>),
}

impl Store {
    /// Loads the failure cases at `rels` into the workspace's table, through
    /// the cache: a file git's index vouches for (stat data unchanged) is
    /// known by its blob id without being read; any other file is read and
    /// hashed; only files whose blob the cache lacks are parsed. The cache is
    /// rewritten when something was parsed.
    fn load_cases(&self, rels: &[String], ws: &mut crate::model::Workspace) {
        let file = self.docket_dir().ok().map(|d| d.join("cache"));
        let cache = file.as_deref().map(Cache::open).unwrap_or_default();
        let known = file.as_ref().map(|_| self.index_ids()).unwrap_or_default();
        let parts = on_threads_parts(rels, |dir: &mut Folder, rel| {
            self.load_case(rel, &cache, &known, dir)
        });
        let got = || parts.iter().flatten();
        // Git's index is done with: its memory goes before the table grows.
        drop(known);
        ws.cases.reserve(rels.len(), 64);
        let mut parsed = 0usize;
        for (rel, g) in rels.iter().zip(got()) {
            let raw = match g {
                Got::Hit(_, raw) => Some(*raw),
                Got::Parsed(_, raw) => {
                    parsed += 1;
                    Some(raw.as_slice())
                }
                Got::Unreadable(d) => {
                    ws.diagnostics.push(Diagnostic::clone(d));
                    continue;
                }
            };
            if let Some(r) = raw.and_then(cache::decode) {
                ws.add_row(r.case.as_ref(), r.diags);
            } else {
                let (p, d) = self.parse_one(Kind::Failure, rel);
                ws.add(p, d);
            }
        }
        if parsed == 0 {
            return;
        }
        if let Some(file) = file {
            let mut live: std::collections::HashSet<&BlobId> = std::collections::HashSet::new();
            let mut records: Vec<(&BlobId, &[u8])> = Vec::with_capacity(rels.len());
            for g in got() {
                match g {
                    Got::Hit(id, raw) => {
                        if live.insert(id) {
                            records.push((id, raw));
                        }
                    }
                    Got::Parsed(Some(id), raw) => {
                        if live.insert(id) {
                            records.push((id, raw));
                        }
                    }
                    Got::Parsed(None, _) | Got::Unreadable(_) => {}
                }
            }
            // Records of other branches are kept, up to as many again as
            // are live: a switch back finds them.
            let room = records.len() + 1000;
            records.extend(
                cache
                    .records()
                    .filter(|(id, _)| !live.contains(id))
                    .take(room),
            );
            let _ = cache::save(&file, records.into_iter());
        }
    }

    fn load_case<'c>(
        &self,
        rel: &str,
        cache: &'c Cache,
        known: &Known,
        dir: &mut Folder,
    ) -> Got<'c> {
        if let Some(id) = known.clean_id(rel, || dir.probe(&self.root, rel))
            && let Some(raw) = dir.cursor.raw(cache, &id, rel)
        {
            return Got::Hit(id, raw);
        }
        let bytes = match fsio::read(&self.root, rel) {
            Ok(b) => b,
            Err(e) => {
                let d = Diagnostic::parse(rel, 1, format!("cannot read: {e}"));
                return Got::Unreadable(Box::new(d));
            }
        };
        let id = git2::Oid::hash_object(git2::ObjectType::Blob, &bytes)
            .ok()
            .and_then(|o| BlobId::try_from(o.as_bytes()).ok());
        if let Some(id) = id
            && let Some(raw) = cache.raw(&id, rel)
        {
            return Got::Hit(id, raw);
        }
        let (parsed, diags) = parse_file(Kind::Failure, rel, &bytes);
        let case = match &parsed {
            Some(Parsed::Failure(c)) => Some(c),
            _ => None,
        };
        Got::Parsed(id, cache::encode(rel, case, &diags))
    }
}

/// What git's index says of the workspace's files: its entries under the
/// workspace, sorted by path, looked up by binary search (no map: 100k
/// entries are read per load).
#[derive(Default)]
struct Known {
    index: super::gitindex::IndexSnapshot,
    prefix: usize,
}

impl Known {
    /// The blob id of the file at `path` when git would call it unchanged
    /// (`gitindex::is_clean`: same stat data, not racy).
    fn clean_id(&self, rel: &str, probe: impl FnOnce() -> Option<Probe>) -> Option<BlobId> {
        let entries = &self.index.entries;
        let i = entries
            .binary_search_by(|e| e.path.get(self.prefix..).unwrap_or("").cmp(rel))
            .ok()?;
        let e = &entries[i];
        super::gitindex::is_clean_as(e, &probe()?, self.index.mtime)
            .then(|| BlobId::try_from(e.oid.as_bytes()).ok())
            .flatten()
    }
}

impl Store {
    /// Reads git's index for the workspace's entries; empty when there is
    /// none or it cannot be read, or when git may convert files between the
    /// index and the work tree (every file is then read and hashed).
    fn index_ids(&self) -> Known {
        let Ok((workdir, git_dir, prefix)) = self.work() else {
            return Known::default();
        };
        if self.may_convert(workdir, git_dir) {
            return Known::default();
        }
        super::gitindex::read_filtered(git_dir, prefix)
            .map(|index| Known {
                index,
                prefix: prefix.len(),
            })
            .unwrap_or_default()
    }
}

/// The folder a loader thread is stat'ing files in, kept open: `fstatat` by
/// name costs a fraction of a `stat` that walks the whole path again for
/// each of 100k files.
#[derive(Default)]
struct Folder {
    #[cfg(unix)]
    open: Option<(String, rustix::fd::OwnedFd)>,
    /// Where this thread is in the cache, which is in the walk's order.
    cursor: cache::Cursor,
}

impl Folder {
    /// What `lstat` says of the file at workspace-relative `rel`.
    #[cfg(unix)]
    #[allow(
        clippy::cast_possible_truncation,
        clippy::cast_sign_loss,
        clippy::cast_possible_wrap
    )] // stat's field widths vary by platform
    fn probe(&mut self, root: &Path, rel: &str) -> Option<Probe> {
        use rustix::fs::{AtFlags, FileType, Mode, OFlags};
        let (folder, name) = rel.rsplit_once('/')?;
        if self.open.as_ref().is_none_or(|(f, _)| f != folder) {
            let flags = OFlags::RDONLY | OFlags::DIRECTORY | OFlags::CLOEXEC | OFlags::NOFOLLOW;
            let fd = rustix::fs::open(root.join(folder), flags, Mode::empty()).ok()?;
            self.open = Some((folder.to_owned(), fd));
        }
        let (_, fd) = self.open.as_ref()?;
        let st = rustix::fs::statat(fd, name, AtFlags::SYMLINK_NOFOLLOW).ok()?;
        Some(Probe {
            kind: match FileType::from_raw_mode(st.st_mode as _) {
                FileType::RegularFile => FileKind::File,
                FileType::Symlink => FileKind::Symlink,
                _ => FileKind::Other,
            },
            exec: st.st_mode & 0o100 != 0,
            size: st.st_size as u64,
            mtime: (st.st_mtime as i64, st.st_mtime_nsec as u32),
            ctime: (st.st_ctime as i64, st.st_ctime_nsec as u32),
            ino: st.st_ino as u64,
            uid: st.st_uid,
            gid: st.st_gid,
        })
    }

    #[cfg(not(unix))]
    fn probe(&mut self, root: &Path, rel: &str) -> Option<Probe> {
        let meta = std::fs::symlink_metadata(root.join(rel)).ok()?;
        Some(Probe::of(&meta))
    }
}
