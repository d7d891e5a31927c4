//! Errors of the store, matchable by callers (`StoreError::HeadMoved`).

use crate::model::{Diagnostic, ids::IdError};
use std::path::PathBuf;
use thiserror::Error;

#[derive(Debug, Error)]
pub enum StoreError {
    #[error(
        "not a docket workspace: no docket.toml in {0} or any parent directory (run `docket init`)"
    )]
    NotAWorkspace(PathBuf),
    #[error(
        "{0} is not inside a git repository (run `git init` there, or `docket init` to create both)"
    )]
    NotARepository(PathBuf),
    #[error("the workspace is in a bare repository; docket needs a work tree")]
    BareRepository,
    #[error(
        "git identity is not set: run `git config --global user.name \"Your Name\"` and `git config --global user.email you@example.com`"
    )]
    IdentityUnset,
    #[error(
        "unable to create {0}: file exists. Another git process seems to be running in this repository, e.g. an editor opened by 'git commit'. Make sure all processes are terminated, then try again. If it still fails, a git process may have crashed in this repository earlier: remove the file manually to continue"
    )]
    IndexLocked(PathBuf),
    #[error(
        "HEAD is detached (not on a branch); docket commits only to a branch: `git switch BRANCH`, or `git switch -c NEW-BRANCH` to keep this commit"
    )]
    DetachedHead,
    #[error(
        "{0} was edited since docket changed it; undo would lose that edit (edit the file back by hand, or `docket discard`)"
    )]
    EditedSince(String),
    #[error("{}", conflict_message(.0))]
    Conflict(Vec<crate::ops::Conflict>),
    #[error(
        "the index has unmerged entries ({0}); resolve the conflict with git, `git add` the files, then try again"
    )]
    Unmerged(String),
    #[error("a {0} is in progress; finish or abort it before committing")]
    RepoBusy(String),
    #[error("{0} moved while docket was committing, too often to retry; try again")]
    HeadMoved(String),
    #[error(
        "another docket process is writing to this workspace (lock {0}); try again when it finishes"
    )]
    Locked(PathBuf),
    #[error(
        "refusing to write {0}: the path leaves the workspace or goes through a symlink (docket treats symlinked files and folders as read-only)"
    )]
    UnsafePath(String),
    #[error(
        "{0} is read-only; docket does not change it (make it writable with `chmod u+w` to let docket edit it)"
    )]
    ReadOnly(String),
    #[error("{path} is {} MiB; docket reads files up to 64 MiB (split or trim it)", size >> 20)]
    TooLarge { path: String, size: u64 },
    #[error("bad range {range:?}: {why}")]
    BadRange { range: String, why: String },
    #[error("bad revision {rev:?}: {why}")]
    BadRevision { rev: String, why: String },
    #[error("no {kind} with id {id:?}")]
    NotFound { kind: &'static str, id: String },
    #[error("{0} already exists; docket init does not overwrite files")]
    Exists(String),
    #[error("cannot sign: {0}")]
    Sign(String),
    #[error(
        "docket.toml has [review] require_signed = true, but commit.gpgsign is not set: set `git config commit.gpgsign true` and `git config user.signingKey KEY` (and `git config gpg.format ssh` for an SSH key), then commit again"
    )]
    UnsignedRefused,
    #[error("nothing to commit: no pending docket changes")]
    NothingToCommit,
    #[error("{0} is already a docket workspace (it has a docket.toml)")]
    AlreadyInitialised(PathBuf),
    #[error("{0}")]
    Config(Diagnostic),
    #[error("{0}")]
    Invalid(Diagnostic),
    #[error(transparent)]
    Id(#[from] IdError),
    #[error("{path}: {source}")]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("git: {0}")]
    Git(#[from] git2::Error),
    #[error("no review meeting in progress: start one with `docket review start` (or R in the UI)")]
    NoMeeting,
    /// An attendee who is not in `[[reviewers]]` (the message says who is).
    #[error("{0}")]
    NotReviewer(String),
    #[error("{0}")]
    Tag(String),
    #[error(transparent)]
    Op(#[from] crate::ops::OpError),
    #[error(
        "branch {0} has no upstream to sync with: `git push -u origin {0}` publishes it and sets one (or `git branch --set-upstream-to=origin/{0}`)"
    )]
    NoUpstream(String),
    #[error(
        "cannot reach {url}: {detail}; nothing was changed (check the address with `git remote -v` and the network, then `docket sync` again)"
    )]
    Unreachable { url: String, detail: String },
    #[error(
        "authentication failed for {url} (tried: {tried}); nothing was changed (add your key to ssh-agent, or set up a git credential helper, then `docket sync` again)"
    )]
    AuthFailed { url: String, tried: String },
    #[error(
        "{url} rejected the push to {branch} ({reason}), {attempts} time(s) in a row: others keep pushing; your commits are kept, nothing was changed locally (`docket sync` again)"
    )]
    PushRejected {
        url: String,
        branch: String,
        reason: String,
        attempts: usize,
    },
    #[error(
        "{0} pending docket change(s) not committed: sync publishes commits only (`docket commit` them first, or `docket discard`), then `docket sync`"
    )]
    Uncommitted(usize),
    #[error("cannot sync commit {commit} ({summary}): {why}; nothing was changed")]
    CannotReplay {
        commit: String,
        summary: String,
        why: String,
    },
    #[error(
        "{0} has local changes that sync would overwrite; nothing was changed (`git stash`, `docket sync`, then `git stash pop`)"
    )]
    DirtyPath(String),
    #[error("branch {0} has no commits yet: nothing to sync")]
    Unborn(String),
    #[error(
        "pushed, but {branch} could not be moved to what was pushed ({detail}); `docket sync` again brings it up to date"
    )]
    PushedNotMoved { branch: String, detail: String },
    #[error("{}", super::sync::conflicts_line(.0))]
    SyncConflict(Vec<super::sync::Conflicted>),
    #[error("journal {path}: {message}")]
    Journal { path: PathBuf, message: String },
}

/// One line, as every docket error is: the conflicts, then the two ways out.
fn conflict_message(c: &[crate::ops::Conflict]) -> String {
    let each: Vec<String> = c.iter().map(ToString::to_string).collect();
    format!(
        "{} pending change(s) conflict with what another commit did: {}. To keep HEAD's side, `docket discard` (it lists what it would drop and asks); to keep yours, edit the file to say what you decided, then `docket commit --all`",
        c.len(),
        each.join(" | ")
    )
}

impl StoreError {
    pub(crate) fn io(path: impl Into<PathBuf>, source: std::io::Error) -> Self {
        Self::Io {
            path: path.into(),
            source,
        }
    }
}
