//! What changed, as data: the rows of the Changes view (the journal and
//! recent history) and the files re-read after an edit. The runtime reads
//! them from the store; `update` applies them.

use crate::model::Diagnostic;
use crate::model::workspace::Parsed;

/// One row of the Changes view.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChangeRow {
    /// Pending changes have no commit id.
    pub commit: Option<String>,
    pub title: String,
    pub when: String,
    pub author: String,
    pub actions: Vec<String>,
    pub paths: Vec<String>,
}

/// A re-read file: what it parsed to (nothing when deleted or malformed)
/// and its problems.
#[derive(Debug, Clone)]
pub struct Reparsed {
    pub path: String,
    pub parsed: Option<Parsed>,
    pub diagnostics: Vec<Diagnostic>,
}
