//! An OS file lock so two docket processes never interleave writes to the
//! journal or a commit. The lock file is never deleted; the kernel releases
//! the lock when its holder exits, however it exits (kill -9 included), so
//! there is no stale lock to take over and no race in taking one over.

use super::StoreError;
use std::fs::{self, File, OpenOptions, TryLockError};
use std::path::Path;

#[derive(Debug)]
pub struct Lock {
    _file: File,
}

impl Lock {
    pub fn acquire(dir: &Path) -> Result<Self, StoreError> {
        fs::create_dir_all(dir).map_err(|e| StoreError::io(dir, e))?;
        let path = dir.join("lock");
        let file = OpenOptions::new()
            .create(true)
            .truncate(false)
            .write(true)
            .open(&path)
            .map_err(|e| StoreError::io(&path, e))?;
        match file.try_lock() {
            Ok(()) => Ok(Self { _file: file }),
            Err(TryLockError::WouldBlock) => Err(StoreError::Locked(path)),
            Err(TryLockError::Error(e)) => Err(StoreError::io(&path, e)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn excludes_until_dropped() {
        let dir = tempfile::tempdir().unwrap();
        let a = Lock::acquire(dir.path()).unwrap();
        assert!(matches!(
            Lock::acquire(dir.path()),
            Err(StoreError::Locked(_))
        ));
        drop(a);
        assert!(Lock::acquire(dir.path()).is_ok());
    }
}
