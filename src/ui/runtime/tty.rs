//! Where the UI draws: the terminal, not stdout. When stdout is redirected
//! (`docket demo > where.txt`), the UI draws on `/dev/tty` as fzf does, so
//! the redirected output gets only what the command prints; keys are read
//! from the terminal too (crossterm opens `/dev/tty` when stdin is not one).

use std::fs::{File, OpenOptions};
use std::io::{IsTerminal, Stdout, Write};

/// The terminal's output: stdout when it is the terminal, else `/dev/tty`.
pub enum Out {
    Stdout(Stdout),
    Tty(File),
}

impl Out {
    /// Opens the terminal's output; `None` when there is no terminal.
    #[must_use]
    pub fn open() -> Option<Self> {
        if std::io::stdout().is_terminal() {
            return Some(Self::Stdout(std::io::stdout()));
        }
        open_tty().map(Self::Tty)
    }
}

fn open_tty() -> Option<File> {
    OpenOptions::new()
        .read(true)
        .write(true)
        .open("/dev/tty")
        .ok()
}

/// Whether the process still has a controlling terminal: after a hangup
/// (an SSH connection dropped, a tmux session killed) `/dev/tty` can no
/// longer be opened. Cheap enough to ask several times a second, unlike
/// asking for the size, which falls back to running `tput`.
#[must_use]
pub fn alive() -> bool {
    open_tty().is_some()
}

/// Whether the UI can run: keys and frames both need a terminal.
#[must_use]
pub fn available() -> bool {
    let tty = alive();
    tty || (std::io::stdin().is_terminal() && std::io::stdout().is_terminal())
}

impl Write for Out {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        match self {
            Self::Stdout(s) => s.write(buf),
            Self::Tty(f) => f.write(buf),
        }
    }

    fn flush(&mut self) -> std::io::Result<()> {
        match self {
            Self::Stdout(s) => s.flush(),
            Self::Tty(f) => f.flush(),
        }
    }
}
