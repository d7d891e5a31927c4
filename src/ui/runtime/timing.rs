//! The timing log for benchmarks (`DOCKET_TIMING=FILE`): frames measured
//! from the event that caused them. Nothing is measured when it is unset.

use std::io::Write;

/// `DOCKET_TIMING=FILE` appends how long frames take: the first frame, the
/// loaded workspace, each key to its frame, each worker match to its frame.
/// For benchmarks; nothing is measured when unset.
pub(super) struct Timing {
    start: std::time::Instant,
    out: Option<std::fs::File>,
}

impl Timing {
    /// Measures nothing (a test, or `DOCKET_TIMING` unset).
    pub(super) fn off() -> Self {
        Self {
            start: std::time::Instant::now(),
            out: None,
        }
    }

    pub(super) fn from_env() -> Self {
        let out = std::env::var_os("DOCKET_TIMING").and_then(|p| {
            std::fs::OpenOptions::new()
                .create(true)
                .append(true)
                .open(p)
                .ok()
        });
        Self {
            start: std::time::Instant::now(),
            out,
        }
    }

    pub(super) fn log(&mut self, what: &str) {
        if let Some(f) = &mut self.out {
            let _ = writeln!(
                f,
                "{what} {:.1} ms since start",
                self.start.elapsed().as_secs_f64() * 1e3
            );
        }
    }

    pub(super) fn frame(&mut self, kinds: &[&str], received: std::time::Instant) {
        if let Some(f) = &mut self.out {
            let since = self.start.elapsed().as_secs_f64() * 1e3;
            let took = received.elapsed().as_secs_f64() * 1e3;
            let _ = writeln!(
                f,
                "{} -> frame {took:.2} ms (at {since:.1} ms)",
                kinds.join("+")
            );
        }
    }
}
