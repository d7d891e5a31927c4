//! What went wrong on a worker, typed until the status line, a dialog or
//! the detail pane shows it: a caller can match on the store's error (say,
//! `StoreError::HeadMoved`) instead of reading its text. Cheap to clone, as
//! the messages and the state that carry it are.

use crate::store::StoreError;
use std::sync::Arc;

#[derive(Debug, Clone, thiserror::Error)]
pub enum UiError {
    /// The store refused or failed (load, commit, undo, a read).
    #[error("{0}")]
    Store(Arc<StoreError>),
    /// An operation failed; shown with its whole chain of causes.
    #[error("{0:#}")]
    Op(Arc<anyhow::Error>),
    /// Neither `VISUAL` nor `EDITOR` names a program.
    #[error("no editor set")]
    NoEditor,
    /// The editor could not be started.
    #[error("cannot run {program}: {source}")]
    Editor {
        program: String,
        source: Arc<std::io::Error>,
    },
    /// The file just edited is not one docket reads.
    #[error("{path} is not a docket file")]
    NotDocket { path: String },
}

impl From<StoreError> for UiError {
    fn from(e: StoreError) -> Self {
        Self::Store(Arc::new(e))
    }
}

impl From<anyhow::Error> for UiError {
    fn from(e: anyhow::Error) -> Self {
        Self::Op(Arc::new(e))
    }
}

#[cfg(test)]
mod tests {
    use super::UiError;
    use crate::store::StoreError;

    /// The texts are the ones the worker used to format: an operation's
    /// error with its causes (`{:#}`), the store's and the editor's as is.
    #[test]
    fn shows_what_the_strings_said() {
        let op = anyhow::anyhow!("the case moved").context("cannot tag");
        assert_eq!(UiError::from(op).to_string(), "cannot tag: the case moved");
        let store = StoreError::NothingToCommit;
        let said = store.to_string();
        assert_eq!(UiError::from(store).to_string(), said);
        let io = std::io::Error::new(std::io::ErrorKind::NotFound, "gone");
        let editor = UiError::Editor {
            program: "vim".into(),
            source: std::sync::Arc::new(io),
        };
        assert_eq!(editor.to_string(), "cannot run vim: gone");
        assert_eq!(UiError::NoEditor.to_string(), "no editor set");
        let path = "memos/m.md".to_owned();
        let not = UiError::NotDocket { path };
        assert_eq!(not.to_string(), "memos/m.md is not a docket file");
    }
}
