//! Finding the workspace root and the repository around it.

use super::{RepoKind, Store, StoreError};
use std::path::{Path, PathBuf};

pub fn open(start: &Path) -> Result<Store, StoreError> {
    let start = start.canonicalize().map_err(|e| StoreError::io(start, e))?;
    let root = start
        .ancestors()
        .find(|d| d.join(crate::model::config::FILE).is_file())
        .ok_or_else(|| StoreError::NotAWorkspace(start.clone()))?
        .to_path_buf();
    let repo = repo_kind(&root)?;
    Ok(Store { root, repo })
}

/// Classifies the repository (if any) that contains `root`.
pub(super) fn repo_kind(root: &Path) -> Result<RepoKind, StoreError> {
    let repo = match git2::Repository::discover(root) {
        Ok(r) => r,
        Err(e) if e.code() == git2::ErrorCode::NotFound => return Ok(RepoKind::None),
        Err(e) => return Err(e.into()),
    };
    let Some(workdir) = repo.workdir() else {
        return Ok(RepoKind::Bare);
    };
    let workdir: PathBuf = workdir
        .canonicalize()
        .map_err(|e| StoreError::io(workdir, e))?;
    let prefix = match root.strip_prefix(&workdir) {
        Ok(p) if p.as_os_str().is_empty() => String::new(),
        Ok(p) => format!("{}/", p.to_string_lossy().replace('\\', "/")),
        Err(_) => return Ok(RepoKind::None),
    };
    Ok(RepoKind::Work {
        workdir,
        git_dir: repo.path().to_path_buf(),
        prefix,
    })
}

impl Store {
    /// The work tree, git dir and prefix, or why there is none.
    pub(super) fn work(&self) -> Result<(&Path, &Path, &str), StoreError> {
        match &self.repo {
            RepoKind::Work {
                workdir,
                git_dir,
                prefix,
            } => Ok((workdir, git_dir, prefix)),
            RepoKind::Bare => Err(StoreError::BareRepository),
            RepoKind::None => Err(StoreError::NotARepository(self.root.clone())),
        }
    }

    pub(super) fn repository(&self) -> Result<git2::Repository, StoreError> {
        let (workdir, _, _) = self.work()?;
        Ok(git2::Repository::open(workdir)?)
    }

    /// Whether the workspace is in a repository with a work tree.
    #[must_use]
    pub fn has_repository(&self) -> bool {
        matches!(self.repo, RepoKind::Work { .. })
    }
}
