//! Reading HEAD's tree path by path without re-reading it.

/// A tree read path by path, each folder's tree object loaded once:
/// `Tree::get_path` inflates every folder on the way for every path
/// (libgit2 does not cache large trees), which made writing or committing
/// thousands of files into one month folder quadratic.
pub struct TreeReader<'r> {
    repo: &'r git2::Repository,
    root: Option<git2::Tree<'r>>,
    folders: std::collections::HashMap<String, Option<git2::Tree<'r>>>,
}

impl<'r> TreeReader<'r> {
    #[must_use]
    pub fn new(repo: &'r git2::Repository, root: Option<git2::Tree<'r>>) -> Self {
        Self {
            repo,
            root,
            folders: std::collections::HashMap::new(),
        }
    }

    /// The entry at the repository-relative `path`: its id and kind.
    pub fn entry(&mut self, path: &str) -> Option<(git2::Oid, Option<git2::ObjectType>)> {
        let (dir, name) = path.rsplit_once('/').unwrap_or(("", path));
        let tree = self.folder(dir)?;
        let e = tree.get_name(name)?;
        Some((e.id(), e.kind()))
    }

    /// The blob id at `path`, `None` for a missing path or a folder.
    pub fn blob(&mut self, path: &str) -> Option<git2::Oid> {
        self.entry(path)
            .filter(|(_, k)| *k == Some(git2::ObjectType::Blob))
            .map(|(id, _)| id)
    }

    fn folder(&mut self, dir: &str) -> Option<&git2::Tree<'r>> {
        if dir.is_empty() {
            return self.root.as_ref();
        }
        if !self.folders.contains_key(dir) {
            let (parent, name) = dir.rsplit_once('/').unwrap_or(("", dir));
            let id = self
                .folder(parent)
                .and_then(|t| t.get_name(name))
                .filter(|e| e.kind() == Some(git2::ObjectType::Tree))
                .map(|e| e.id());
            let tree = id.and_then(|id| self.repo.find_tree(id).ok());
            self.folders.insert(dir.to_owned(), tree);
        }
        self.folders.get(dir).and_then(Option::as_ref)
    }
}
