//! Opening a runner's file for reading, more than once if need be: a
//! regular file as it is; a pipe, FIFO or `/dev/stdin` (`<(zcat log.gz)`)
//! copied first to an unlinked temporary file, so it can be read twice and
//! seeked like any other; a directory refused.

use std::fs::{File, OpenOptions};
use std::io::{Seek, SeekFrom};
use std::path::Path;

/// An input file, rewound before each read.
pub struct Input {
    /// As the user named it, for messages.
    pub shown: String,
    /// The file name alone (`[origin] file`).
    pub label: String,
    file: File,
}

impl Input {
    pub fn open(path: &Path) -> anyhow::Result<Self> {
        let shown = path.display().to_string();
        let label = path
            .file_name()
            .map_or_else(|| shown.clone(), |n| n.to_string_lossy().into_owned());
        let mut file =
            File::open(path).map_err(|e| anyhow::anyhow!("{shown}: cannot open: {e}"))?;
        let meta = file
            .metadata()
            .map_err(|e| anyhow::anyhow!("{shown}: cannot read: {e}"))?;
        if meta.is_dir() {
            anyhow::bail!("{shown}: is a directory, not a results file");
        }
        if !meta.is_file() {
            file = spool(&mut file).map_err(|e| anyhow::anyhow!("{shown}: cannot read: {e}"))?;
        }
        Ok(Self { shown, label, file })
    }

    /// The file from its start, and its length.
    pub fn reader(&self) -> anyhow::Result<(File, u64)> {
        let mut f = self.file.try_clone()?;
        f.seek(SeekFrom::Start(0))?;
        let len = f.metadata().map_or(0, |m| m.len());
        Ok((f, len))
    }
}

/// Copies a stream into a temporary file that is already unlinked: nothing
/// is left behind, whatever happens to the process.
fn spool(from: &mut File) -> std::io::Result<File> {
    let dir = std::env::temp_dir();
    for n in 0u32..1000 {
        let path = dir.join(format!(".docket-input-{}-{n}", std::process::id()));
        let mut tmp = match OpenOptions::new()
            .read(true)
            .write(true)
            .create_new(true)
            .open(&path)
        {
            Ok(f) => f,
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => continue,
            Err(e) => return Err(e),
        };
        let _ = std::fs::remove_file(&path);
        std::io::copy(from, &mut tmp)?;
        tmp.seek(SeekFrom::Start(0))?;
        return Ok(tmp);
    }
    Err(std::io::Error::other("no free temporary file name"))
}
