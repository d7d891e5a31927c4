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
        "{0} exists: another git process is running, or one crashed (remove the file if no git process is running)"
    )]
    IndexLocked(PathBuf),
    #[error("a {0} is in progress; finish or abort it before committing")]
    RepoBusy(String),
    #[error(
        "HEAD moved since the change was made and {0} changed in between; review the new commit, then `docket discard` and redo the change"
    )]
    HeadMoved(String),
    #[error(
        "another docket process is writing to this workspace (lock {0}); try again when it finishes"
    )]
    Locked(PathBuf),
    #[error("refusing to write {0}: the path leaves the workspace or goes through a symlink")]
    UnsafePath(String),
    #[error("no {kind} with id {id:?}")]
    NotFound { kind: &'static str, id: String },
    #[error("{0} already exists; docket init does not overwrite files")]
    Exists(String),
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
    #[error("journal {path}: {message}")]
    Journal { path: PathBuf, message: String },
}

impl StoreError {
    pub(crate) fn io(path: impl Into<PathBuf>, source: std::io::Error) -> Self {
        Self::Io {
            path: path.into(),
            source,
        }
    }
}
