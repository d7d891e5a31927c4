//! git2 plumbing: identity, blob ids, repository state, and editing a tree
//! path by path without reading the rest of it.

use super::{Store, StoreError};
use crate::model::time;
use git2::{ObjectType, Oid, Repository, RepositoryState, Signature, Tree};
use std::collections::BTreeMap;

/// The reviewer, from git config `user.name` / `user.email`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Identity {
    pub name: String,
    pub email: String,
}

impl Store {
    /// The reviewer's identity; [`StoreError::IdentityUnset`] when git config
    /// lacks either part.
    pub fn identity(&self) -> Result<Identity, StoreError> {
        let repo = self.repository()?;
        identity(&repo)
    }

    /// The text of workspace file `rel` as HEAD has it (`None`: not in
    /// HEAD, or no commit yet): what was committed, as opposed to what the
    /// work tree says now.
    pub fn committed(&self, rel: &str) -> Result<Option<String>, StoreError> {
        let repo = self.repository()?;
        let Some(head) = head_commit(&repo)? else {
            return Ok(None);
        };
        let (_, _, prefix) = self.work()?;
        let Ok(entry) = head
            .tree()?
            .get_path(std::path::Path::new(&format!("{prefix}{rel}")))
        else {
            return Ok(None);
        };
        let Ok(blob) = repo.find_blob(entry.id()) else {
            return Ok(None);
        };
        Ok(Some(String::from_utf8_lossy(blob.content()).into_owned()))
    }

    /// The git blob id of some bytes, as `git hash-object` prints it.
    pub fn blob_id(bytes: &[u8]) -> Result<String, StoreError> {
        Ok(Oid::hash_object(ObjectType::Blob, bytes)?.to_string())
    }

    /// The commit HEAD points at, `None` on an unborn branch.
    pub fn head(&self) -> Result<Option<String>, StoreError> {
        let repo = self.repository()?;
        Ok(head_commit(&repo)?.map(|c| c.id().to_string()))
    }
}

pub fn identity(repo: &Repository) -> Result<Identity, StoreError> {
    identity_in(&repo.config()?)
}

/// The identity from the user's and system's git config, for when no
/// repository exists yet.
pub fn default_identity() -> Result<Identity, StoreError> {
    identity_in(&git2::Config::open_default()?)
}

fn identity_in(cfg: &git2::Config) -> Result<Identity, StoreError> {
    let get = |k: &str| {
        cfg.get_string(k)
            .ok()
            .map(|s| s.trim().to_owned())
            .filter(|s| !s.is_empty())
    };
    match (get("user.name"), get("user.email")) {
        (Some(name), Some(email)) => Ok(Identity { name, email }),
        _ => Err(StoreError::IdentityUnset),
    }
}

pub fn head_commit(repo: &Repository) -> Result<Option<git2::Commit<'_>>, StoreError> {
    match repo.head() {
        Ok(r) => Ok(Some(r.peel_to_commit()?)),
        Err(e)
            if matches!(
                e.code(),
                git2::ErrorCode::UnbornBranch | git2::ErrorCode::NotFound
            ) =>
        {
            Ok(None)
        }
        Err(e) => Err(e.into()),
    }
}

/// Refuses when git is mid-operation (a merge, rebase, cherry-pick… in
/// progress) or HEAD is detached. A locked index is waited for at commit
/// time, not refused here.
pub fn ensure_idle(repo: &Repository) -> Result<(), StoreError> {
    let busy = match repo.state() {
        RepositoryState::Clean => None,
        RepositoryState::Merge => Some("merge"),
        RepositoryState::Revert | RepositoryState::RevertSequence => Some("revert"),
        RepositoryState::CherryPick | RepositoryState::CherryPickSequence => Some("cherry-pick"),
        RepositoryState::Bisect => Some("bisect"),
        RepositoryState::Rebase
        | RepositoryState::RebaseInteractive
        | RepositoryState::RebaseMerge => Some("rebase"),
        RepositoryState::ApplyMailbox | RepositoryState::ApplyMailboxOrRebase => Some("git am"),
    };
    if let Some(what) = busy {
        return Err(StoreError::RepoBusy(what.to_owned()));
    }
    if repo.head_detached()? {
        return Err(StoreError::DetachedHead);
    }
    Ok(())
}

/// A signature for `who`, dated from `GIT_AUTHOR_DATE` / `GIT_COMMITTER_DATE`
/// when set (as git does), else now.
pub fn signature(
    name: &str,
    email: &str,
    date_var: &str,
) -> Result<Signature<'static>, StoreError> {
    if let Ok(v) = std::env::var(date_var)
        && let Some((secs, offset)) = parse_git_date(&v)
    {
        return Ok(Signature::new(name, email, &git2::Time::new(secs, offset))?);
    }
    Ok(Signature::now(name, email)?)
}

/// Parses git's internal date (`@1700000000 +0100`, `1700000000 +0100`) or an
/// RFC 3339 datetime. Returns seconds and the offset in minutes.
fn parse_git_date(s: &str) -> Option<(i64, i32)> {
    let s = s.trim();
    let mut parts = s.trim_start_matches('@').split_whitespace();
    if let Some(Ok(secs)) = parts.next().map(str::parse::<i64>) {
        let offset = parts.next().and_then(|tz| {
            let sign = if tz.starts_with('-') { -1 } else { 1 };
            let digits = tz.trim_start_matches(['+', '-']);
            let h: i32 = digits.get(..2)?.parse().ok()?;
            let m: i32 = digits.get(2..4)?.parse().ok()?;
            Some(sign * (h * 60 + m))
        });
        return Some((secs, offset.unwrap_or(0)));
    }
    let dt = time::parse(s)?;
    Some((time::unix_from_datetime(&dt)?, 0))
}

/// A change to one path of a tree: the new blob and mode, or removal.
pub type Edit = Option<(Oid, i32)>;

/// Builds a new tree from `base` with `edits` applied (paths are
/// repository-relative and `/`-separated). Only the trees along the edited
/// paths are read and rewritten, so the cost follows the size of the change,
/// not of the repository. Returns `None` when the result is empty below the
/// root.
pub fn edit_tree(
    repo: &Repository,
    base: Option<&Tree<'_>>,
    edits: &BTreeMap<String, Edit>,
) -> Result<Option<Oid>, StoreError> {
    let mut here: BTreeMap<&str, Edit> = BTreeMap::new();
    let mut below: BTreeMap<&str, BTreeMap<String, Edit>> = BTreeMap::new();
    for (path, edit) in edits {
        match path.split_once('/') {
            None => {
                here.insert(path.as_str(), *edit);
            }
            Some((dir, rest)) => {
                below.entry(dir).or_default().insert(rest.to_owned(), *edit);
            }
        }
    }
    let mut builder = repo.treebuilder(base)?;
    for (name, edit) in here {
        match edit {
            Some((oid, mode)) => {
                builder.insert(name, oid, mode)?;
            }
            None => {
                if builder.get(name)?.is_some() {
                    builder.remove(name)?;
                }
            }
        }
    }
    for (dir, sub) in below {
        let sub_base = match builder.get(dir)? {
            Some(e) if e.kind() == Some(ObjectType::Tree) => Some(repo.find_tree(e.id())?),
            _ => None,
        };
        match edit_tree(repo, sub_base.as_ref(), &sub)? {
            Some(oid) => {
                builder.insert(dir, oid, 0o040_000)?;
            }
            None => {
                if builder.get(dir)?.is_some() {
                    builder.remove(dir)?;
                }
            }
        }
    }
    if builder.is_empty() {
        return Ok(None);
    }
    Ok(Some(builder.write()?))
}

/// Collects a patch as text lines, as `git diff` prints them: headers and
/// hunk headers as they are, content lines led by their origin (`+`, `-`,
/// ` `). Pass the returned closure to `Diff::print` or `Patch::print`.
pub fn patch_lines(
    out: &mut Vec<String>,
) -> impl FnMut(git2::DiffDelta<'_>, Option<git2::DiffHunk<'_>>, git2::DiffLine<'_>) -> bool + '_ {
    move |_, _, line| {
        let text = String::from_utf8_lossy(line.content());
        let text = text.trim_end_matches('\n');
        match line.origin() {
            '+' | '-' | ' ' => out.push(format!("{}{text}", line.origin())),
            _ => out.extend(text.lines().map(str::to_owned)),
        }
        true
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn git_dates() {
        assert_eq!(
            parse_git_date("@1700000000 +0130"),
            Some((1_700_000_000, 90))
        );
        assert_eq!(
            parse_git_date("1700000000 -0500"),
            Some((1_700_000_000, -300))
        );
        assert_eq!(parse_git_date("2026-11-10T10:05:00Z").map(|d| d.1), Some(0));
        assert_eq!(parse_git_date("garbage"), None);
    }

    #[test]
    fn edits_nested_paths() {
        let dir = tempfile::tempdir().unwrap();
        let repo = Repository::init(dir.path()).unwrap();
        let a = repo.blob(b"a").unwrap();
        let b = repo.blob(b"b").unwrap();
        let mut edits = BTreeMap::new();
        edits.insert("x/y/a.toml".to_owned(), Some((a, 0o100_644)));
        edits.insert("top.toml".to_owned(), Some((b, 0o100_644)));
        let t1 = repo
            .find_tree(edit_tree(&repo, None, &edits).unwrap().unwrap())
            .unwrap();
        assert_eq!(
            t1.get_path(std::path::Path::new("x/y/a.toml"))
                .unwrap()
                .id(),
            a
        );
        let mut rm = BTreeMap::new();
        rm.insert("x/y/a.toml".to_owned(), None);
        let t2 = repo
            .find_tree(edit_tree(&repo, Some(&t1), &rm).unwrap().unwrap())
            .unwrap();
        assert!(t2.get_name("x").is_none(), "empty dirs are pruned");
        assert!(t2.get_name("top.toml").is_some());
    }
}
