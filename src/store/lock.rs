//! An OS file lock so two docket processes never interleave writes to the
//! journal or a commit. The lock file is never deleted; the kernel releases
//! the lock when its holder exits, however it exits (kill -9 included), so
//! there is no stale lock to take over and no race in taking one over.

use super::StoreError;
use std::fs::{self, File, OpenOptions, TryLockError};
use std::path::Path;
use std::time::{Duration, Instant};

/// How long a docket process waits for another one to finish its write or
/// commit: long enough for a commit at 100k cases, short enough that a
/// stuck holder is reported rather than waited on forever.
const WAIT: Duration = Duration::from_secs(10);

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
        let start = Instant::now();
        let mut delay = Duration::from_millis(1);
        loop {
            match file.try_lock() {
                Ok(()) => return Ok(Self { _file: file }),
                Err(TryLockError::WouldBlock) if start.elapsed() < WAIT => {
                    std::thread::sleep(delay);
                    delay = (delay * 2).min(Duration::from_millis(20));
                }
                Err(TryLockError::WouldBlock) => return Err(StoreError::Locked(path)),
                Err(TryLockError::Error(e)) => return Err(StoreError::io(&path, e)),
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn second_holder_waits_for_the_first() {
        let dir = tempfile::tempdir().unwrap();
        let a = Lock::acquire(dir.path()).unwrap();
        let start = Instant::now();
        let t = std::thread::spawn(move || {
            std::thread::sleep(Duration::from_millis(150));
            drop(a);
        });
        let b = Lock::acquire(dir.path());
        assert!(b.is_ok());
        assert!(start.elapsed() >= Duration::from_millis(150));
        t.join().unwrap();
    }
}
