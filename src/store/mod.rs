//! The store: the only module that touches the file system and git2.
//!
//! It finds the workspace and its repository, loads and parses files (spread
//! over threads), writes change sets atomically, keeps the journal of pending
//! actions under `.git/docket/`, and commits them by editing HEAD's tree
//! directly, so a commit's cost does not grow with the workspace. Every
//! function reopens what it needs, so any of them can run on a worker thread.

mod audit;
mod cache;
mod cachetree;
mod changes;
mod clock;
mod commit;
mod decide;
mod discover;
mod error;
pub mod example;
mod fsio;
mod git;
pub mod gitindex;
mod gitlock;
mod history;
mod indexsplice;
mod journal;
mod load;
mod lock;
mod meeting;
mod rawtree;
mod reconcile;
mod remote;
mod setdiff;
mod sign;
mod signtag;
mod sync;
mod timeline;
mod timeline_text;
mod transact;
mod tree;
mod unchanged;
mod verify;
pub use reconcile::Reconciled;
pub use transact::Undone;

pub use audit::{Audit, AuditRule, Finding};
pub use changes::Kind as FileChange;
pub use clock::now;
pub use commit::{CommitOptions, CommitOutcome};
pub use error::StoreError;
pub use git::Identity;
pub use history::HistoryEntry;
pub use journal::{Journal, JournalEntry};
pub use meeting::Finished;
pub use setdiff::{CaseDiff, Change, Chosen, Point, SetDiff, Touch, short};
pub use sign::SigFormat;
pub use sync::{CommitInfo, Conflicted, SyncOptions, SyncOutcome};
pub use timeline::{ItemKind, Timeline, TimelineEntry};
pub use verify::{SigCheck, Signature};

use crate::model::{Config, Diagnostic, ids};
use crate::ops::SourceFile;
use std::path::{Path, PathBuf};

/// A test hook for crash-safety tests: when `DOCKET_CRASH_AT` names this
/// point (`name` or `name:N` for its N-th passage), the process aborts there
/// at once, as a kill -9 would, running no destructors and flushing nothing.
pub(crate) fn crashpoint(name: &str) {
    use std::sync::OnceLock;
    use std::sync::atomic::{AtomicU64, Ordering};
    static AT: OnceLock<Option<(String, u64)>> = OnceLock::new();
    static SEEN: AtomicU64 = AtomicU64::new(0);
    let at = AT.get_or_init(|| {
        let v = std::env::var("DOCKET_CRASH_AT").ok()?;
        let (n, k) = v.split_once(':').unwrap_or((&v, "1"));
        Some((n.to_owned(), k.parse().unwrap_or(1)))
    });
    if let Some((n, k)) = at
        && n == name
        && SEEN.fetch_add(1, Ordering::SeqCst) + 1 == *k
    {
        std::process::abort();
    }
}

/// What kind of repository holds the workspace.
#[derive(Debug, Clone)]
enum RepoKind {
    None,
    Bare,
    /// A repository with a work tree. `prefix` is the workspace root relative
    /// to the work tree: empty, or `sub/dir/`.
    Work {
        workdir: PathBuf,
        git_dir: PathBuf,
        prefix: String,
    },
}

/// A handle on one workspace. Cheap to clone and to send to a worker.
#[derive(Debug, Clone)]
pub struct Store {
    root: PathBuf,
    repo: RepoKind,
}

impl Store {
    /// Opens the workspace containing `start` (found like git finds a
    /// repository: the nearest ancestor holding `docket.toml`).
    pub fn open(start: &Path) -> Result<Self, StoreError> {
        discover::open(start)
    }

    /// The workspace root directory.
    #[must_use]
    pub fn root(&self) -> &Path {
        &self.root
    }

    /// Reads and parses `docket.toml`.
    pub fn config(&self) -> Result<(Config, Vec<Diagnostic>), StoreError> {
        let bytes = fsio::read(&self.root, crate::model::config::FILE)?;
        let text = crate::model::parse::utf8(crate::model::config::FILE, &bytes)
            .map_err(StoreError::Config)?;
        Config::parse(text).map_err(StoreError::Config)
    }

    /// Reads one workspace file as text.
    pub fn read(&self, rel: &str) -> Result<SourceFile, StoreError> {
        let bytes = fsio::read(&self.root, rel)?;
        let text = crate::model::parse::utf8(rel, &bytes).map_err(StoreError::Invalid)?;
        Ok(SourceFile {
            path: rel.to_owned(),
            text: text.to_owned(),
        })
    }

    /// Whether a workspace-relative file exists (symlinks count as present, so
    /// nothing is ever written through one).
    #[must_use]
    pub fn exists(&self, rel: &str) -> bool {
        fsio::safe_path(&self.root, rel).is_ok_and(|p| p.symlink_metadata().is_ok())
    }

    /// Finds a failure case file by id without loading the workspace: one
    /// `stat` per month folder.
    pub fn find_case(&self, id: &str) -> Result<SourceFile, StoreError> {
        ids::check("case", id)?;
        let dir = self.root.join("evals/failures");
        let mut months: Vec<String> = std::fs::read_dir(&dir)
            .map(|rd| {
                rd.filter_map(Result::ok)
                    .filter_map(|e| e.file_name().into_string().ok())
                    .filter(|m| ids::is_valid(m))
                    .collect()
            })
            .unwrap_or_default();
        months.sort_unstable_by(|a, b| b.cmp(a));
        for m in months {
            let rel = format!("evals/failures/{m}/{id}.toml");
            if self.exists(&rel) {
                return self.read(&rel);
            }
        }
        Err(StoreError::NotFound {
            kind: "failure case",
            id: id.to_owned(),
        })
    }

    /// The ids of every memo file (`memos/NNNN-*.md`), by file name.
    #[must_use]
    pub fn memo_ids(&self) -> Vec<String> {
        let mut links = Vec::new();
        fsio::list_dir(&self.root.join("memos"), &mut links)
            .into_iter()
            .filter(|(name, dir)| !dir && name.ends_with(".md"))
            .filter_map(|(name, _)| {
                name.get(..4)
                    .filter(|n| ids::check_memo(n).is_ok())
                    .map(str::to_owned)
            })
            .collect()
    }

    /// Reads the memo with id `id` (`7` and `0007` both work).
    pub fn find_memo(&self, id: &str) -> Result<SourceFile, StoreError> {
        let id = ids::memo_from_user(id);
        ids::check_memo(&id)?;
        let mut links = Vec::new();
        let name = fsio::list_dir(&self.root.join("memos"), &mut links)
            .into_iter()
            .find(|(name, dir)| {
                !dir && name.ends_with(".md") && name.starts_with(&format!("{id}-"))
            })
            .map(|(name, _)| name)
            .ok_or_else(|| StoreError::NotFound {
                kind: "memo",
                id: id.clone(),
            })?;
        self.read(&format!("memos/{name}"))
    }

    /// Reads `evals/sets/<id>/set.toml`.
    pub fn find_set(&self, id: &str) -> Result<SourceFile, StoreError> {
        ids::check("set", id)?;
        let rel = format!("evals/sets/{id}/set.toml");
        if !self.exists(&rel) {
            return Err(StoreError::NotFound {
                kind: "eval set",
                id: id.to_owned(),
            });
        }
        self.read(&rel)
    }

    /// A cheap fingerprint of the workspace as other writers would change
    /// it: HEAD, git's index, docket's journal, and the folders holding
    /// docket's files (an atomic write — docket's, git's, most editors' —
    /// renames into the folder and so changes its time). A few dozen
    /// `stat`s however many cases there are; equal stamps mean nothing
    /// changed that the UI shows.
    #[must_use]
    pub fn stamp(&self) -> String {
        use std::fmt::Write as _;
        let mut out = String::new();
        let mut add = |p: &Path| {
            if let Ok(m) = p.metadata() {
                let t = m
                    .modified()
                    .ok()
                    .and_then(|t| t.duration_since(std::time::UNIX_EPOCH).ok())
                    .unwrap_or_default();
                let _ = write!(out, "{}.{}:{};", t.as_secs(), t.subsec_nanos(), m.len());
            } else {
                out.push_str("-;");
            }
        };
        if let (Ok((_, git_dir, _)), Ok(dir)) = (self.work(), self.docket_dir()) {
            add(&git_dir.join("index"));
            add(&dir.join("journal.json"));
        }
        add(&self.root.join(crate::model::config::FILE));
        for dir in [
            "runbooks",
            "memos",
            "evals/failures",
            "evals/sets",
            "evals/runs",
        ] {
            let dir = self.root.join(dir);
            add(&dir);
            let mut links = Vec::new();
            for (name, is_dir) in fsio::list_dir(&dir, &mut links) {
                if is_dir {
                    add(&dir.join(&name));
                    add(&dir.join(&name).join("cases"));
                }
            }
        }
        let head = self
            .repository()
            .ok()
            .and_then(|r| git::head_commit(&r).ok().flatten().map(|c| c.id()));
        let _ = write!(out, "{head:?}");
        out
    }

    /// The 1-based line of a top-level key in a workspace file (front matter
    /// included), for diagnostics; 1 when unknown.
    #[must_use]
    pub fn line_of(&self, rel: &str, key: &str) -> usize {
        fsio::read(&self.root, rel)
            .ok()
            .and_then(|b| String::from_utf8(b).ok())
            .map_or(1, |t| crate::model::diag::key_line(&t, key))
    }
}
