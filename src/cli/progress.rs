//! A progress bar on stderr for long imports: shown only on a terminal and
//! only once the work has taken a second, so short imports and scripts
//! print nothing extra.

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use std::io::{IsTerminal, Read, Seek, SeekFrom};
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

pub struct Progress {
    bar: ProgressBar,
    read: Arc<AtomicU64>,
    start: Instant,
    shown: std::cell::Cell<bool>,
}

impl Progress {
    /// A bar over `len` bytes of input.
    pub fn new(len: u64, what: &str) -> Self {
        let bar = ProgressBar::with_draw_target(Some(len), ProgressDrawTarget::hidden());
        if let Ok(style) = ProgressStyle::with_template(
            "{msg} [{bar:30}] {bytes}/{total_bytes} {bytes_per_sec} eta {eta}",
        ) {
            bar.set_style(style.progress_chars("=> "));
        }
        bar.set_message(crate::sanitize::line(what).into_owned());
        Self {
            bar,
            read: Arc::new(AtomicU64::new(0)),
            start: Instant::now(),
            shown: std::cell::Cell::new(false),
        }
    }

    /// Wraps the input so the bar follows the bytes read.
    pub fn reader<R>(&self, inner: R) -> Counting<R> {
        Counting {
            inner,
            read: Arc::clone(&self.read),
        }
    }

    /// Called once per record.
    pub fn tick(&self) {
        if !self.shown.get() {
            if self.start.elapsed() < Duration::from_secs(1) || !std::io::stderr().is_terminal() {
                return;
            }
            self.bar.set_draw_target(ProgressDrawTarget::stderr());
            self.shown.set(true);
        }
        self.bar.set_position(self.read.load(Ordering::Relaxed));
    }

    pub fn finish(&self) {
        if self.shown.get() {
            self.bar.finish_and_clear();
        }
    }
}

/// A reader that counts the bytes read through it.
pub struct Counting<R> {
    inner: R,
    read: Arc<AtomicU64>,
}

impl<R: Read> Read for Counting<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.read.fetch_add(n as u64, Ordering::Relaxed);
        Ok(n)
    }
}

impl<R: Seek> Seek for Counting<R> {
    fn seek(&mut self, pos: SeekFrom) -> std::io::Result<u64> {
        let at = self.inner.seek(pos)?;
        self.read.store(at, Ordering::Relaxed);
        Ok(at)
    }
}
