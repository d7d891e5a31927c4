//! A lock file so two docket processes never interleave writes to the
//! journal or a commit. It holds the owner's pid; a lock left by a process
//! that no longer exists (kill -9) is taken over.

use super::StoreError;
use std::fs::{self, OpenOptions};
use std::io::Write;
use std::path::{Path, PathBuf};

#[derive(Debug)]
pub struct Lock {
    path: PathBuf,
}

impl Lock {
    pub fn acquire(dir: &Path) -> Result<Self, StoreError> {
        fs::create_dir_all(dir).map_err(|e| StoreError::io(dir, e))?;
        let path = dir.join("lock");
        for _ in 0..2 {
            match OpenOptions::new().write(true).create_new(true).open(&path) {
                Ok(mut f) => {
                    let _ = writeln!(f, "{}", std::process::id());
                    return Ok(Self { path });
                }
                Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {
                    if !stale(&path) {
                        return Err(StoreError::Locked(path));
                    }
                    let _ = fs::remove_file(&path);
                }
                Err(e) => return Err(StoreError::io(&path, e)),
            }
        }
        Err(StoreError::Locked(path))
    }
}

/// A lock is stale when the pid it names is not running (checked through
/// /proc where there is one; elsewhere a lock is never presumed stale).
fn stale(path: &Path) -> bool {
    let Ok(text) = fs::read_to_string(path) else {
        return false;
    };
    let Ok(pid) = text.trim().parse::<u32>() else {
        return false;
    };
    Path::new("/proc/self").exists() && !Path::new(&format!("/proc/{pid}")).exists()
}

impl Drop for Lock {
    fn drop(&mut self) {
        let _ = fs::remove_file(&self.path);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn excludes_and_takes_over_stale() {
        let dir = tempfile::tempdir().unwrap();
        let a = Lock::acquire(dir.path()).unwrap();
        assert!(matches!(
            Lock::acquire(dir.path()),
            Err(StoreError::Locked(_))
        ));
        drop(a);
        let b = Lock::acquire(dir.path()).unwrap();
        std::mem::forget(b);
        fs::write(dir.path().join("lock"), "999999999\n").unwrap();
        assert!(Lock::acquire(dir.path()).is_ok());
    }
}
