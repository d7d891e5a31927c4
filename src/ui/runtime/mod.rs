//! The runtime: the terminal, threads, channels and files of the UI. The
//! loop itself is `app.rs`, generic over ratatui's `Backend`; this file
//! runs it on the real terminal.
//!
//! The terminal is restored on every way out: quit, error, panic (a hook),
//! SIGTERM/SIGHUP/SIGINT (flags checked by the loop), and a terminal that
//! went away (its read fails and the loop ends).
//!
//! This is the only part of the UI with threads, channels, the terminal and
//! file I/O, and the only one that reads the environment: `app.rs` (the
//! loop), `terminal.rs` (raw mode, events, the editor), `worker.rs` (the
//! store), `matcher.rs` (filtering at scale), `loads.rs` (a window's loads
//! and their indexes), `config.rs` (the keymap file), `timing.rs` (the
//! benchmark log), `tty.rs` (where to draw). It imports `update`, `view`
//! and the data they share; nothing imports it but `cli`.

pub mod app;
mod config;
pub mod loads;
mod matcher;
mod meeting;
pub mod terminal;
mod timing;
mod tty;
pub mod worker;

use crate::store::Store;
use crate::ui::msg::Msg;
use crate::ui::theme::Theme;
use app::{Host, Setup};
use ratatui::Terminal;
use ratatui::backend::CrosstermBackend;
use ratatui::crossterm::execute;
use ratatui::crossterm::terminal::{BeginSynchronizedUpdate, EndSynchronizedUpdate};
use std::io::Write;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::Sender;
use std::sync::{Arc, Mutex};
use terminal::{Guard, edit, ensure_terminal, enter, restore, spawn_input};
use timing::Timing;
use tty::Out;

/// Runs the UI on `store` until the user quits; `meeting` opens it in
/// meeting mode (`docket review`).
pub fn run(store: &Store, meeting: bool) -> anyhow::Result<()> {
    ensure_terminal()?;
    let keymap = config::load_keymap()?;
    // <https://no-color.org>: set to anything non-empty, no colour at all.
    let color = std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty());
    let stop = Arc::new(AtomicBool::new(false));
    for sig in [
        signal_hook::consts::SIGTERM,
        signal_hook::consts::SIGHUP,
        signal_hook::consts::SIGINT,
    ] {
        signal_hook::flag::register(sig, Arc::clone(&stop))?;
    }
    let prev = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        restore();
        prev(info);
    }));
    enter()?;
    let _guard = Guard;
    let out = Out::open().ok_or_else(|| anyhow::anyhow!("no terminal"))?;
    let mut term = Terminal::new(CrosstermBackend::new(out))?;
    let clock: app::Clock =
        Arc::new(|| crate::model::time::unix_from_datetime(&crate::store::now()).unwrap_or(0));
    let mut setup = Setup::new(keymap, Theme::new(color), clock);
    setup.timing = Timing::from_env();
    setup.meeting = meeting;
    let mut host = Tty {
        gate: Arc::new(Mutex::new(())),
        stop,
    };
    let result = app::run_app(&mut term, store, setup, &mut host);
    // The terminal may be gone: restoring is the guard's job, and ratatui's
    // own drop would report (and panic on) a write error.
    std::mem::forget(term);
    result.map(drop)
}

/// The real terminal: events from crossterm's reader, frames in
/// synchronized output, the editor in the foreground.
struct Tty {
    /// Held while the editor owns the terminal, so nothing is read meanwhile.
    gate: Arc<Mutex<()>>,
    /// Set by a signal or by the reader when the terminal went away.
    stop: Arc<AtomicBool>,
}

impl Host<CrosstermBackend<Out>> for Tty {
    fn listen(&mut self, tx: Sender<Msg>) {
        spawn_input(tx, Arc::clone(&self.gate), Arc::clone(&self.stop));
    }

    fn begin_frame(&mut self, term: &mut Terminal<CrosstermBackend<Out>>) -> std::io::Result<()> {
        // Synchronized output: terminals that support it show the frame at once.
        execute!(term.backend_mut(), BeginSynchronizedUpdate)
    }

    fn end_frame(&mut self, term: &mut Terminal<CrosstermBackend<Out>>) -> std::io::Result<()> {
        execute!(term.backend_mut(), EndSynchronizedUpdate)?;
        term.backend_mut().flush()
    }

    fn edit(
        &mut self,
        term: &mut Terminal<CrosstermBackend<Out>>,
        store: &Store,
        path: &str,
    ) -> Msg {
        edit(store, path, &self.gate, term)
    }

    fn stopped(&self) -> bool {
        self.stop.load(Ordering::Relaxed)
    }
}
