//! Operations: tag, note, dismiss, promote and checks, as pure functions over
//! the model and the files' text. Each returns a [`ChangeSet`] — the files to
//! write and the actions for the commit trailers — and writes nothing itself,
//! so the CLI and the UI produce identical files and commits through the store.

pub mod action;
pub mod check;
mod dismiss;
mod edit;
pub mod governance;
pub mod import;
pub mod meeting;
pub mod memo;
mod note;
mod promote;
pub mod replay;
pub mod run;
pub mod sync;
mod tag;
pub mod trailer;
pub mod verdict;

pub use action::{Action, summary_line};
pub use dismiss::dismiss;
pub use note::note;
pub use promote::{PromoteInput, promote, set_failure_blob};
pub use replay::{Conflict, Intent};
pub use tag::tag;

use thiserror::Error;

/// A file as read from the workspace, ready to be edited.
#[derive(Debug, Clone)]
pub struct SourceFile {
    /// Workspace-relative, `/`-separated.
    pub path: String,
    pub text: String,
}

/// One file to write, whole.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FileWrite {
    pub path: String,
    pub contents: String,
}

/// What an operation wants done: files to write atomically and the actions
/// that explain them in the commit.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ChangeSet {
    pub writes: Vec<FileWrite>,
    pub actions: Vec<Action>,
    /// What the actions do, with everything needed to do it again on a newer
    /// version of the files (see [`replay`]).
    pub intents: Vec<Intent>,
}

impl ChangeSet {
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.writes.is_empty()
    }
}

/// Why an operation refused. Nothing has been written when one is returned.
#[derive(Debug, Error)]
pub enum OpError {
    #[error("{path}:{line}: {message}")]
    Invalid {
        path: String,
        line: usize,
        message: String,
    },
    #[error("unknown tag {tag:?}: the taxonomy in docket.toml has {known}")]
    UnknownTag { tag: String, known: String },
    #[error("case {case} is already promoted into {set}")]
    AlreadyPromoted { case: String, set: String },
    #[error("case {0} is dismissed; it cannot be promoted")]
    Dismissed(String),
    #[error("case {0} is already dismissed")]
    AlreadyDismissed(String),
    #[error(
        "case {case} has no [expected] content: write what should have happened in {path} before promoting"
    )]
    NoExpected { case: String, path: String },
    #[error("set {set} already has a case {case}")]
    CaseExists { case: String, set: String },
    #[error("{0} must not be empty")]
    Empty(&'static str),
    #[error("{0}")]
    Lifecycle(String),
    #[error("no tags given")]
    NoTags,
}

impl From<crate::model::Diagnostic> for OpError {
    fn from(d: crate::model::Diagnostic) -> Self {
        Self::Invalid {
            path: d.path,
            line: d.line,
            message: d.message,
        }
    }
}
