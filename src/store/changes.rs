//! What one commit changed under some paths, for `docket log` and `docket
//! audit`: a git2 tree diff limited by pathspec, after a look at the
//! folders' tree ids — a commit that left them alone costs two lookups, not
//! a diff, so walking a long history stays cheap.

use super::StoreError;
use git2::{Commit, Delta, DiffOptions, Repository, Tree};
use std::collections::BTreeMap;
use std::path::Path;

/// How a file changed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Added,
    Removed,
    Modified,
}

impl Kind {
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Added => "added",
            Self::Removed => "removed",
            Self::Modified => "modified",
        }
    }
}

/// The paths to look at: `dirs` are repository-relative folders whose
/// unchanged tree id means nothing under them changed; `specs` are the
/// pathspecs of the diff (git's: a folder matches what is under it, `*`
/// matches across `/`).
pub struct Scope {
    pub dirs: Vec<String>,
    pub specs: Vec<String>,
}

/// The tree id at `dir` in `tree` (`None`: absent).
fn dir_id(tree: &Tree<'_>, dir: &str) -> Option<git2::Oid> {
    tree.get_path(Path::new(dir)).ok().map(|e| e.id())
}

/// The files `commit` changed in `scope`, repository-relative, sorted.
///
/// A commit with one parent is compared with it, a root commit with the
/// empty tree. A merge counts only what differs from *every* parent — what
/// the merge itself brought (a conflict resolution or an edit slipped in):
/// the changes it merges were made, and are judged, in the merged commits.
/// A merge whose tree equals one parent's in scope changes nothing.
pub fn changed(
    repo: &Repository,
    commit: &Commit<'_>,
    scope: &Scope,
) -> Result<Vec<(String, Kind)>, StoreError> {
    let tree = commit.tree()?;
    let mut parents: Vec<Option<Tree<'_>>> = Vec::new();
    for p in commit.parents() {
        parents.push(Some(p.tree()?));
    }
    if parents.is_empty() {
        parents.push(None);
    }
    // Unchanged folders against any parent: nothing new in scope.
    let same = |p: &Option<Tree<'_>>| {
        scope
            .dirs
            .iter()
            .all(|d| dir_id(&tree, d) == p.as_ref().and_then(|p| dir_id(p, d)))
    };
    if parents.iter().any(same) {
        return Ok(Vec::new());
    }
    let mut result: Option<BTreeMap<String, Kind>> = None;
    for parent in &parents {
        let mut opts = DiffOptions::new();
        opts.skip_binary_check(true);
        for s in &scope.specs {
            opts.pathspec(s);
        }
        let diff = repo.diff_tree_to_tree(parent.as_ref(), Some(&tree), Some(&mut opts))?;
        let mut these = BTreeMap::new();
        for d in diff.deltas() {
            let (file, kind) = match d.status() {
                Delta::Added | Delta::Copied => (d.new_file(), Kind::Added),
                Delta::Deleted => (d.old_file(), Kind::Removed),
                _ => (d.new_file(), Kind::Modified),
            };
            if let Some(p) = file.path().and_then(Path::to_str) {
                these.insert(p.to_owned(), kind);
            }
        }
        result = Some(match result {
            // Keep what the first parent saw, for the paths all parents saw.
            Some(mut so_far) => {
                so_far.retain(|p, _| these.contains_key(p));
                so_far
            }
            None => these,
        });
    }
    Ok(result.unwrap_or_default().into_iter().collect())
}
