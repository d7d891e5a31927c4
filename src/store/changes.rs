//! What one commit changed under some folders, for `docket log` and `docket
//! audit`. The trees are compared directly, descending only into subtrees
//! whose ids differ: a commit that left the folders alone costs two
//! lookups, and one that changed a file costs the folders along its path.
//! (git2's pathspec-limited tree diff was measured at 0.8 ms a commit on a
//! 50,000-commit history with 2,000 files a folder — 40 s for one `docket
//! log` — as it matches the pathspec against every entry of every changed
//! folder; this walk does the same history in about a second.)

use super::StoreError;
use super::rawtree;
use git2::{Commit, ObjectType, Oid, Repository, Tree};
use std::cmp::Ordering;
use std::collections::{BTreeMap, HashMap};
use std::path::Path;
use std::rc::Rc;

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

/// One folder to look in: its repository-relative path and, when only one
/// file in each of its subfolders matters (a case's `<month>/<id>.toml`,
/// a set's `cases/<id>.toml`), that file's path inside the subfolder, so
/// the subfolder is looked up, not read through.
pub struct Dir {
    pub path: String,
    pub leaf: Option<String>,
}

/// Where to look, and which files count (given the repository-relative
/// path).
pub struct Scope<'a> {
    pub dirs: Vec<Dir>,
    pub keep: &'a dyn Fn(&str) -> bool,
}

/// The id of the entry at `path` under `tree`, if it is of `kind`.
fn id_at(tree: &Tree<'_>, path: &str, kind: ObjectType) -> Option<Oid> {
    tree.get_path(Path::new(path))
        .ok()
        .filter(|e| e.kind() == Some(kind))
        .map(|e| e.id())
}

/// Compares commits with their parents, keeping the trees it read lately:
/// walking history, a commit's folders are its child's parent's, read one
/// step before.
pub struct Differ<'r> {
    odb: git2::Odb<'r>,
    trees: HashMap<Oid, Rc<[u8]>>,
}

impl<'r> Differ<'r> {
    /// Reads objects as git does, without hashing each again (`git fsck`
    /// is what checks them): libgit2's re-hash on read was half the time of
    /// a long walk.
    pub fn new(repo: &'r Repository) -> Result<Self, StoreError> {
        git2::opts::strict_hash_verification(false);
        Ok(Self {
            odb: repo.odb()?,
            trees: HashMap::new(),
        })
    }

    /// A tree object's bytes.
    fn tree(&mut self, id: Oid) -> Result<Rc<[u8]>, StoreError> {
        if let Some(t) = self.trees.get(&id) {
            return Ok(Rc::clone(t));
        }
        if self.trees.len() >= 64 {
            self.trees.clear();
        }
        let obj = self.odb.read(id)?;
        if obj.kind() != ObjectType::Tree {
            return Err(StoreError::Git(git2::Error::from_str(&format!(
                "{id} is not a tree"
            ))));
        }
        let t: Rc<[u8]> = Rc::from(obj.data());
        self.trees.insert(id, Rc::clone(&t));
        Ok(t)
    }

    /// The files `commit` changed in `scope`, repository-relative, sorted.
    ///
    /// A commit with one parent is compared with it, a root commit with the
    /// empty tree. A merge counts only what differs from *every* parent —
    /// what the merge itself brought (a conflict resolution or an edit
    /// slipped in): the changes it merges were made, and are judged, in the
    /// merged commits. A merge whose folders equal one parent's changes
    /// nothing.
    pub fn changed(
        &mut self,
        commit: &Commit<'_>,
        scope: &Scope<'_>,
    ) -> Result<Vec<(String, Kind)>, StoreError> {
        let ids = |t: &Tree<'_>| -> Vec<Option<Oid>> {
            scope
                .dirs
                .iter()
                .map(|d| id_at(t, &d.path, ObjectType::Tree))
                .collect()
        };
        let mine = ids(&commit.tree()?);
        let mut parents: Vec<Vec<Option<Oid>>> = Vec::new();
        for p in commit.parents() {
            parents.push(ids(&p.tree()?));
        }
        if parents.is_empty() {
            parents.push(vec![None; scope.dirs.len()]);
        }
        if parents.contains(&mine) {
            return Ok(Vec::new());
        }
        let mut result: Option<BTreeMap<String, Kind>> = None;
        for theirs in &parents {
            let mut these = BTreeMap::new();
            for ((dir, a), b) in scope.dirs.iter().zip(theirs).zip(&mine) {
                if a != b {
                    let at = Place {
                        base: &dir.path,
                        leaf: dir.leaf.as_deref(),
                        depth: 0,
                    };
                    self.diff(*a, *b, &at, scope.keep, &mut these)?;
                }
            }
            result = Some(match result {
                // What the first parent saw, for the paths every parent saw.
                Some(mut so_far) => {
                    so_far.retain(|p, _| these.contains_key(p));
                    so_far
                }
                None => these,
            });
        }
        Ok(result.unwrap_or_default().into_iter().collect())
    }
}

/// Where [`Differ::diff`] is: the folder's path, the scope's leaf, and how
/// deep below the scope's folder.
struct Place<'a> {
    base: &'a str,
    leaf: Option<&'a str>,
    depth: usize,
}

impl Differ<'_> {
    /// The files that differ between two trees (either may be absent) at
    /// `at`, into `out`.
    fn diff(
        &mut self,
        old: Option<Oid>,
        new: Option<Oid>,
        at: &Place<'_>,
        keep: &dyn Fn(&str) -> bool,
        out: &mut BTreeMap<String, Kind>,
    ) -> Result<(), StoreError> {
        let old = old.map(|i| self.tree(i)).transpose()?;
        let new = new.map(|i| self.tree(i)).transpose()?;
        let (old, new) = (old.as_deref().unwrap_or(&[]), new.as_deref().unwrap_or(&[]));
        if let (1, Some(leaf)) = (at.depth, at.leaf) {
            let (x, y) = (self.blob_at(old, leaf)?, self.blob_at(new, leaf)?);
            let path = format!("{}/{leaf}", at.base);
            if x != y && keep(&path) {
                out.insert(path, kind_of(x.is_some(), y.is_some()));
            }
            return Ok(());
        }
        let mut a = rawtree::entries(old).peekable();
        let mut b = rawtree::entries(new).peekable();
        loop {
            let step = match (a.peek(), b.peek()) {
                (None, None) => return Ok(()),
                (Some(_), None) => Ordering::Less,
                (None, Some(_)) => Ordering::Greater,
                (Some(x), Some(y)) => x.order(y),
            };
            let (x, y) = match step {
                Ordering::Less => (a.next(), None),
                Ordering::Greater => (None, b.next()),
                Ordering::Equal => (a.next(), b.next()),
            };
            if x.map(|e| e.id) == y.map(|e| e.id) {
                continue;
            }
            let Some(name) = x.or(y).and_then(|e| std::str::from_utf8(e.name).ok()) else {
                continue;
            };
            let path = format!("{}/{name}", at.base);
            let folder =
                |e: Option<rawtree::Entry<'_>>| e.filter(|e| e.folder).and_then(|e| e.oid());
            let (tx, ty) = (folder(x), folder(y));
            if tx.is_some() || ty.is_some() {
                let below = Place {
                    base: &path,
                    leaf: at.leaf,
                    depth: at.depth + 1,
                };
                self.diff(tx, ty, &below, keep, out)?;
            } else if keep(&path) {
                out.insert(path, kind_of(x.is_some(), y.is_some()));
            }
        }
    }

    /// The id of the file at `path` (`/`-separated) in a tree's bytes.
    fn blob_at(&mut self, tree: &[u8], path: &str) -> Result<Option<Oid>, StoreError> {
        let (first, rest) = path
            .split_once('/')
            .map_or((path, None), |(f, r)| (f, Some(r)));
        let Some(e) = rawtree::find(tree, first.as_bytes()) else {
            return Ok(None);
        };
        match (rest, e.folder, e.oid()) {
            (None, false, id) => Ok(id),
            (Some(rest), true, Some(id)) => {
                let sub = self.tree(id)?;
                self.blob_at(&sub, rest)
            }
            _ => Ok(None),
        }
    }
}

fn kind_of(before: bool, after: bool) -> Kind {
    match (before, after) {
        (false, _) => Kind::Added,
        (_, false) => Kind::Removed,
        _ => Kind::Modified,
    }
}
