//! Which case files are unchanged since git last looked, without reading
//! them: git's index gives each file's blob id with the stat data it had
//! then (`gitindex::is_clean` decides as git does), stat'ed here with
//! `fstatat` folder by folder. Trusted only when git converts nothing
//! between the index and the work tree (`may_convert`).

use super::cache::BlobId;
use super::gitindex::{FileKind, Probe};
use super::{Store, fsio};
use std::path::{Path, PathBuf};

impl Store {
    /// Whether git may store a case file's content differently from the
    /// bytes in the work tree — line-ending conversion (`core.autocrlf`) or
    /// any attributes (`eol`, `ident`, a clean/smudge filter such as
    /// git-crypt's) — so that the blob id in the index names other bytes
    /// than the file's. The cache then keys every file by its own bytes.
    /// Cheap: the config and a few `stat`s of the places attributes live.
    fn may_convert(&self, workdir: &Path, git_dir: &Path) -> bool {
        let config = self.repository().ok().and_then(|r| r.config().ok());
        if let Some(c) = &config {
            let autocrlf = c.get_string("core.autocrlf").unwrap_or_default();
            if !matches!(
                autocrlf.to_ascii_lowercase().as_str(),
                "" | "false" | "no" | "off" | "0"
            ) {
                return true;
            }
            if c.get_path("core.attributesFile").is_ok_and(|p| p.exists()) {
                return true;
            }
        }
        let xdg = std::env::var_os("XDG_CONFIG_HOME")
            .filter(|v| !v.is_empty())
            .map(PathBuf::from)
            .or_else(|| std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".config")));
        let common = std::fs::read_to_string(git_dir.join("commondir"))
            .map_or_else(|_| git_dir.to_path_buf(), |c| git_dir.join(c.trim()));
        let mut places = vec![
            common.join("info/attributes"),
            PathBuf::from("/etc/gitattributes"),
        ];
        places.extend(xdg.map(|x| x.join("git/attributes")));
        // Every folder from the work tree's root down to the month folders.
        let mut dir = workdir.to_path_buf();
        places.push(dir.join(".gitattributes"));
        if let Ok(rel) = self.root.strip_prefix(workdir) {
            for part in rel.components() {
                dir.push(part);
                places.push(dir.join(".gitattributes"));
            }
        }
        for sub in ["evals", "evals/failures"] {
            places.push(self.root.join(sub).join(".gitattributes"));
        }
        let mut links = Vec::new();
        for (month, is_dir) in fsio::list_dir(&self.root.join("evals/failures"), &mut links) {
            if is_dir {
                places.push(
                    self.root
                        .join("evals/failures")
                        .join(month)
                        .join(".gitattributes"),
                );
            }
        }
        places.iter().any(|p| p.symlink_metadata().is_ok())
    }
}

/// What git's index says of the workspace's files: its entries under the
/// workspace, sorted by path, looked up by binary search (no map: 100k
/// entries are read per load).
#[derive(Default)]
pub(super) struct Known {
    pub(super) index: super::gitindex::IndexSnapshot,
    pub(super) prefix: usize,
}

impl Known {
    /// The blob id of the file at `path` when git would call it unchanged
    /// (`gitindex::is_clean`: same stat data, not racy).
    pub(super) fn clean_id(
        &self,
        rel: &str,
        probe: impl FnOnce() -> Option<Probe>,
    ) -> Option<BlobId> {
        let entries = &self.index.entries;
        let i = entries
            .binary_search_by(|e| e.path.get(self.prefix..).unwrap_or("").cmp(rel))
            .ok()?;
        let e = &entries[i];
        super::gitindex::is_clean_as(e, &probe()?, self.index.mtime)
            .then(|| BlobId::try_from(e.oid.as_bytes()).ok())
            .flatten()
    }
}

impl Store {
    /// Reads git's index for the workspace's entries; empty when there is
    /// none or it cannot be read, or when git may convert files between the
    /// index and the work tree (every file is then read and hashed).
    pub(super) fn index_ids(&self) -> Known {
        let Ok((workdir, git_dir, prefix)) = self.work() else {
            return Known::default();
        };
        if self.may_convert(workdir, git_dir) {
            return Known::default();
        }
        super::gitindex::read_filtered(git_dir, prefix)
            .map(|index| Known {
                index,
                prefix: prefix.len(),
            })
            .unwrap_or_default()
    }
}

/// The folder a loader thread is stat'ing files in, kept open: `fstatat` by
/// name costs a fraction of a `stat` that walks the whole path again for
/// each of 100k files.
#[derive(Default)]
pub(super) struct Folder {
    #[cfg(unix)]
    open: Option<(String, rustix::fd::OwnedFd)>,
    /// Where this thread is in the cache, which is in the walk's order.
    pub(super) cursor: super::cache::Cursor,
}

impl Folder {
    /// What `lstat` says of the file at workspace-relative `rel`.
    #[cfg(unix)]
    #[allow(
        clippy::cast_possible_truncation,
        clippy::cast_sign_loss,
        clippy::cast_possible_wrap
    )] // stat's field widths vary by platform
    pub(super) fn probe(&mut self, root: &Path, rel: &str) -> Option<Probe> {
        use rustix::fs::{AtFlags, FileType, Mode, OFlags};
        let (folder, name) = rel.rsplit_once('/')?;
        if self.open.as_ref().is_none_or(|(f, _)| f != folder) {
            let flags = OFlags::RDONLY | OFlags::DIRECTORY | OFlags::CLOEXEC | OFlags::NOFOLLOW;
            let fd = rustix::fs::open(root.join(folder), flags, Mode::empty()).ok()?;
            self.open = Some((folder.to_owned(), fd));
        }
        let (_, fd) = self.open.as_ref()?;
        let st = rustix::fs::statat(fd, name, AtFlags::SYMLINK_NOFOLLOW).ok()?;
        Some(Probe {
            kind: match FileType::from_raw_mode(st.st_mode as _) {
                FileType::RegularFile => FileKind::File,
                FileType::Symlink => FileKind::Symlink,
                _ => FileKind::Other,
            },
            exec: st.st_mode & 0o100 != 0,
            size: st.st_size as u64,
            mtime: (st.st_mtime as i64, st.st_mtime_nsec as u32),
            ctime: (st.st_ctime as i64, st.st_ctime_nsec as u32),
            ino: st.st_ino as u64,
            uid: st.st_uid,
            gid: st.st_gid,
        })
    }

    #[cfg(not(unix))]
    pub(super) fn probe(&mut self, root: &Path, rel: &str) -> Option<Probe> {
        let meta = std::fs::symlink_metadata(root.join(rel)).ok()?;
        Some(Probe::of(&meta))
    }
}
