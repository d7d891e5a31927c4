//! File system access: workspace-relative paths resolved safely, atomic
//! writes, directory walks.

use super::StoreError;
use std::fs::{self, File, OpenOptions};
use std::io::Write;
use std::path::{Path, PathBuf};

/// Resolves a workspace-relative path, refusing absolute paths, `..`, empty
/// components and anything that is not plain `/`-separated text.
pub fn safe_path(root: &Path, rel: &str) -> Result<PathBuf, StoreError> {
    let bad = rel.is_empty()
        || rel.starts_with('/')
        || rel.contains('\\')
        || rel.contains('\0')
        || rel
            .split('/')
            .any(|c| c.is_empty() || c == "." || c == ".." || c.eq_ignore_ascii_case(".git"));
    if bad {
        return Err(StoreError::UnsafePath(rel.to_owned()));
    }
    Ok(root.join(rel))
}

/// Reads a workspace file; a path through a symlink is refused, as the
/// loader skips symlinks too.
pub fn read(root: &Path, rel: &str) -> Result<Vec<u8>, StoreError> {
    let path = safe_path(root, rel)?;
    check_no_symlinks(root, rel)?;
    let size = fs::metadata(&path)
        .map_err(|e| StoreError::io(&path, e))?
        .len();
    if size > MAX_FILE {
        return Err(StoreError::TooLarge {
            path: rel.to_owned(),
            size,
        });
    }
    fs::read(&path).map_err(|e| StoreError::io(path, e))
}

/// The largest workspace file docket reads: 64 MiB. A case 50 MB long
/// (a runaway model output) still loads; a file past this is reported and
/// skipped, so one bad file cannot take the memory of a whole review.
pub const MAX_FILE: u64 = 64 << 20;

/// Creates the parent directories of `rel` and checks that none of them, nor
/// the file itself, is a symlink, so a write cannot leave the workspace.
fn prepare_parents(root: &Path, rel: &str) -> Result<PathBuf, StoreError> {
    let full = safe_path(root, rel)?;
    let mut dir = root.to_path_buf();
    let parts: Vec<&str> = rel.split('/').collect();
    for part in &parts[..parts.len() - 1] {
        dir.push(part);
        match fs::symlink_metadata(&dir) {
            Ok(m) if m.file_type().is_symlink() || !m.is_dir() => {
                return Err(StoreError::UnsafePath(rel.to_owned()));
            }
            Ok(_) => {}
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                fs::create_dir(&dir).map_err(|e| StoreError::io(&dir, e))?;
            }
            Err(e) => return Err(StoreError::io(&dir, e)),
        }
    }
    if let Ok(m) = fs::symlink_metadata(&full)
        && !m.is_file()
    {
        return Err(StoreError::UnsafePath(rel.to_owned()));
    }
    Ok(full)
}

/// Checks a write would be allowed, without writing.
pub fn check_no_symlinks(root: &Path, rel: &str) -> Result<(), StoreError> {
    let full = safe_path(root, rel)?;
    let mut dir = root.to_path_buf();
    for part in rel.split('/') {
        dir.push(part);
        match fs::symlink_metadata(&dir) {
            Ok(m) if m.file_type().is_symlink() => {
                return Err(StoreError::UnsafePath(rel.to_owned()));
            }
            Ok(m) if dir != full && !m.is_dir() => {
                return Err(StoreError::UnsafePath(rel.to_owned()));
            }
            Ok(_) => {}
            Err(_) => break,
        }
    }
    Ok(())
}

/// The temporary file a write of `full` goes through: one name per target,
/// so that what a killed write left is found by that name alone, without
/// listing a folder of thousands of cases. One name is enough because every
/// write holds the workspace lock: no two docket processes write one file
/// at once.
fn temp_of(full: &Path) -> Option<PathBuf> {
    let name = full.file_name()?.to_string_lossy();
    Some(full.with_file_name(format!(".{name}.docket-tmp")))
}

/// Writes a file atomically: a temporary file in the same directory, fsync,
/// rename over the target, fsync the directory. A crash leaves either the old
/// or the new contents, never a torn file. Permissions of an existing file are
/// kept. The caller holds the workspace lock (see [`temp_of`]).
pub fn write_atomic(root: &Path, rel: &str, contents: &[u8]) -> Result<(), StoreError> {
    let full = prepare_parents(root, rel)?;
    // A rename would replace a read-only file without asking: the user
    // marked it so, docket respects it.
    if fs::metadata(&full).is_ok_and(|m| m.permissions().readonly()) {
        return Err(StoreError::ReadOnly(rel.to_owned()));
    }
    let dir = full.parent().unwrap_or(root);
    let tmp = temp_of(&full).ok_or_else(|| StoreError::UnsafePath(rel.to_owned()))?;
    let result = (|| {
        let create = || OpenOptions::new().write(true).create_new(true).open(&tmp);
        let mut f = match create() {
            // Left by a killed write (the lock is ours): replaced. Created
            // anew, never opened as it is: it could be a symlink.
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {
                fs::remove_file(&tmp)?;
                create()?
            }
            r => r?,
        };
        if let Ok(old) = fs::metadata(&full) {
            f.set_permissions(old.permissions())?;
        }
        f.write_all(contents)?;
        f.sync_all()?;
        crate::store::crashpoint("write-rename");
        fs::rename(&tmp, &full)?;
        File::open(dir)?.sync_all()
    })();
    if let Err(e) = result {
        let _ = fs::remove_file(&tmp);
        return Err(StoreError::io(&full, e));
    }
    Ok(())
}

/// Removes the temporary files killed writes left beside any of `rels`:
/// one unlink each, by name (see [`temp_of`]).
pub fn remove_temps_of<S: AsRef<str>>(root: &Path, rels: &[S]) {
    for rel in rels {
        if let Some(tmp) = safe_path(root, rel.as_ref())
            .ok()
            .as_deref()
            .and_then(temp_of)
        {
            let _ = fs::remove_file(tmp);
        }
    }
}

/// Like [`remove_temps_of`], also finding the temporary files of older
/// docket versions (`.NAME.docket-tmp.PID.N`) by reading each folder once
/// (one `readdir` per path would make a large batch quadratic). For the
/// rare paths that follow a crash: rolling back, undoing, discarding.
pub fn remove_all_temps_of<S: AsRef<str>>(root: &Path, rels: &[S]) {
    remove_temps_of(root, rels);
    let mut by_dir: std::collections::BTreeMap<PathBuf, std::collections::HashSet<String>> =
        std::collections::BTreeMap::new();
    for rel in rels {
        let Ok(full) = safe_path(root, rel.as_ref()) else {
            continue;
        };
        if let (Some(dir), Some(name)) = (full.parent(), full.file_name()) {
            by_dir
                .entry(dir.to_path_buf())
                .or_default()
                .insert(name.to_string_lossy().into_owned());
        }
    }
    for (dir, names) in by_dir {
        let Ok(rd) = fs::read_dir(&dir) else { continue };
        for e in rd.filter_map(Result::ok) {
            let file = e.file_name();
            let file = file.to_string_lossy();
            let Some(rest) = file.strip_prefix('.') else {
                continue;
            };
            if let Some((name, _)) = rest.split_once(".docket-tmp.")
                && names.contains(name)
            {
                let _ = fs::remove_file(e.path());
            }
        }
    }
}

/// Removes temporary files a killed write left beside `rel`, of this
/// docket version or an older one.
pub fn remove_temps(root: &Path, rel: &str) {
    remove_all_temps_of(root, &[rel]);
}

/// Entries of a directory that are plain files or directories, by name; dot
/// files (our temporary files among them) and symlinks are left out and
/// symlinks reported.
pub fn list_dir(dir: &Path, symlinks: &mut Vec<PathBuf>) -> Vec<(String, bool)> {
    let Ok(rd) = fs::read_dir(dir) else {
        return Vec::new();
    };
    let mut out = Vec::new();
    for e in rd.filter_map(Result::ok) {
        let Ok(name) = e.file_name().into_string() else {
            continue;
        };
        if name.starts_with('.') {
            continue;
        }
        match e.file_type() {
            Ok(t) if t.is_symlink() => symlinks.push(e.path()),
            Ok(t) => out.push((name, t.is_dir())),
            Err(_) => {}
        }
    }
    out.sort();
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn refuses_escapes() {
        let root = Path::new("/w");
        for rel in [
            "../x",
            "/etc/passwd",
            "a/../../b",
            "",
            "a//b",
            ".git/config",
            "a/./b",
            "a\\b",
        ] {
            assert!(safe_path(root, rel).is_err(), "{rel}");
        }
        assert_eq!(
            safe_path(root, "evals/x.toml").unwrap(),
            Path::new("/w/evals/x.toml")
        );
    }

    #[test]
    fn writes_atomically_and_refuses_symlinks() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        write_atomic(root, "a/b/c.toml", b"one").unwrap();
        write_atomic(root, "a/b/c.toml", b"two").unwrap();
        assert_eq!(fs::read(root.join("a/b/c.toml")).unwrap(), b"two");
        assert_eq!(
            fs::read_dir(root.join("a/b")).unwrap().count(),
            1,
            "no temp files left"
        );
        let outside = tempfile::tempdir().unwrap();
        std::os::unix::fs::symlink(outside.path(), root.join("link")).unwrap();
        assert!(matches!(
            write_atomic(root, "link/x.toml", b"x"),
            Err(StoreError::UnsafePath(_))
        ));
        std::os::unix::fs::symlink(outside.path().join("f"), root.join("a/f.toml")).unwrap();
        assert!(matches!(
            write_atomic(root, "a/f.toml", b"x"),
            Err(StoreError::UnsafePath(_))
        ));
        assert!(check_no_symlinks(root, "link/x.toml").is_err());
        assert!(check_no_symlinks(root, "a/new/x.toml").is_ok());
        assert_eq!(fs::read_dir(outside.path()).unwrap().count(), 0);
    }

    #[test]
    fn temps_killed_writes_left_are_replaced_or_removed_by_name() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        write_atomic(root, "a/c.toml", b"one").unwrap();
        // As a write killed before its rename leaves it.
        let tmp = root.join("a/.c.toml.docket-tmp");
        fs::write(&tmp, b"half").unwrap();
        write_atomic(root, "a/c.toml", b"two").unwrap();
        assert_eq!(fs::read(root.join("a/c.toml")).unwrap(), b"two");
        assert!(!tmp.exists());
        // A symlink in its place is replaced, never written through.
        let outside = tempfile::tempdir().unwrap();
        let target = outside.path().join("victim");
        fs::write(&target, b"keep").unwrap();
        std::os::unix::fs::symlink(&target, &tmp).unwrap();
        write_atomic(root, "a/c.toml", b"three").unwrap();
        assert_eq!(fs::read(&target).unwrap(), b"keep");
        assert_eq!(fs::read(root.join("a/c.toml")).unwrap(), b"three");
        // Left behind, then removed by name; older versions' names too.
        fs::write(&tmp, b"half").unwrap();
        remove_temps_of(root, &["a/c.toml"]);
        assert!(!tmp.exists());
        let old = root.join("a/.c.toml.docket-tmp.123.0");
        fs::write(&old, b"half").unwrap();
        remove_temps_of(root, &["a/c.toml"]);
        assert!(old.exists(), "only the rare paths list the folder");
        remove_all_temps_of(root, &["a/c.toml"]);
        assert_eq!(fs::read_dir(root.join("a")).unwrap().count(), 1);
    }
}
