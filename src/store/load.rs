//! Loading the whole workspace: walk the layout, parse what changed on all
//! cores, take the failure cases' rows from the cache (`cache.rs`) where the
//! file is unchanged (`unchanged.rs`), gather items and diagnostics.

use super::cache::{self, BlobId, Cache};
use super::unchanged::{Folder, Known};
use super::{Store, StoreError, fsio};
use crate::model::workspace::{Kind, Parsed, classify, parse_file};
use crate::model::{Diagnostic, Rule, Workspace};
use std::path::PathBuf;

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
                "not part of the workspace layout (docs/format.md); ignored",
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
        // The walk, the cache and git's index read side by side; git's
        // index is read before any file is stat'ed, as its racy rule needs.
        let file = self.docket_dir().ok().map(|d| d.join("cache"));
        let ((files, walk_diags), cache, known) = std::thread::scope(|s| {
            let cache = s.spawn(|| file.as_deref().map(Cache::open).unwrap_or_default());
            let known = s.spawn(|| file.as_ref().map(|_| self.index_ids()).unwrap_or_default());
            let files = self.files();
            let cache = cache
                .join()
                .unwrap_or_else(|e| std::panic::resume_unwind(e));
            let known = known
                .join()
                .unwrap_or_else(|e| std::panic::resume_unwind(e));
            (files, cache, known)
        });
        ws.diagnostics.extend(walk_diags);
        let (cases, others): (Vec<_>, Vec<_>) =
            files.into_iter().partition(|(k, _)| *k == Kind::Failure);
        self.parse_into(&mut ws, &others);
        let cases: Vec<String> = cases.into_iter().map(|(_, rel)| rel).collect();
        self.load_cases(&cases, &mut ws, (file, cache, known));
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
        let file = self.docket_dir().ok()?.join("cache");
        // The two big reads side by side, on two cores.
        let (cache, known) = std::thread::scope(|s| {
            let known = s.spawn(|| self.index_ids());
            let cache = Cache::open(&file);
            (cache, known.join().unwrap_or_default())
        });
        let (config, diags) = self.config().ok()?;
        let mut ws = Workspace::new(config, diags);
        let (files, walk_diags) = self.walk(false);
        ws.diagnostics.extend(walk_diags);
        self.parse_into(&mut ws, &files);
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

    /// Parses `files` on every core into `ws` (the files other than failure
    /// cases, which come through the cache).
    fn parse_into(&self, ws: &mut Workspace, files: &[(Kind, String)]) {
        for (parsed, diags) in on_threads(files, |(kind, rel)| self.parse_one(*kind, rel)) {
            ws.add(parsed, diags);
        }
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
        // A loader thread only panics on a bug: the panic goes on, rather
        // than a result with some files silently missing.
        handles
            .into_iter()
            .map(|h| h.join().unwrap_or_else(|e| std::panic::resume_unwind(e)))
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
    fn load_cases(
        &self,
        rels: &[String],
        ws: &mut crate::model::Workspace,
        (file, cache, known): (Option<PathBuf>, Cache, Known),
    ) {
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
