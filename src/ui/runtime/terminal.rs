//! The terminal: raw mode and the alternate screen on the way in, restored
//! on every way out; the thread that reads its events; handing it to the
//! user's editor and taking it back.

use super::tty::Out;
use crate::store::Store;
use crate::ui::msg::Msg;
use crate::ui::state::error::UiError;
use ratatui::Terminal;
use ratatui::backend::CrosstermBackend;
use ratatui::crossterm::event::{
    self, DisableBracketedPaste, DisableFocusChange, EnableBracketedPaste, EnableFocusChange, Event,
};
use ratatui::crossterm::terminal::{self, EnterAlternateScreen, LeaveAlternateScreen};
use ratatui::crossterm::{cursor, execute};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{Receiver, Sender};
use std::sync::{Arc, Mutex};
use std::time::Duration;

/// Leaves raw mode and the alternate screen, shows the cursor.
pub(super) fn restore() {
    let _ = terminal::disable_raw_mode();
    if let Some(mut out) = Out::open() {
        let _ = execute!(
            out,
            DisableFocusChange,
            DisableBracketedPaste,
            LeaveAlternateScreen,
            cursor::Show
        );
    }
}

/// Raw mode, the alternate screen, and bracketed paste: a pasted text
/// arrives as one event, never as keys that would run commands.
pub(super) fn enter() -> std::io::Result<()> {
    terminal::enable_raw_mode()?;
    let mut out = Out::open().ok_or_else(|| std::io::Error::other("no terminal"))?;
    execute!(
        out,
        EnterAlternateScreen,
        EnableBracketedPaste,
        EnableFocusChange,
        cursor::Hide
    )
}

/// Refuses, with a clear message, when there is no terminal at all. A
/// redirected stdin or stdout is fine: the UI uses `/dev/tty`.
pub fn ensure_terminal() -> anyhow::Result<()> {
    if !super::tty::available() {
        anyhow::bail!(
            "the terminal UI needs a terminal; in scripts use the commands (`docket --help`)"
        );
    }
    Ok(())
}

/// Restores the terminal when dropped, however the loop ends.
pub(super) struct Guard;

impl Drop for Guard {
    fn drop(&mut self) {
        restore();
    }
}

/// Reads terminal events on their own thread. The gate lets the editor take
/// the terminal: while the main thread holds it, nothing is read here.
pub(super) fn spawn_input(tx: Sender<Msg>, gate: Arc<Mutex<()>>, stop: Arc<AtomicBool>) {
    std::thread::spawn(move || {
        loop {
            if stop.load(Ordering::Relaxed) {
                return;
            }
            let event = {
                let Ok(_g) = gate.lock() else { return };
                match event::poll(Duration::from_millis(100)) {
                    Ok(true) => match event::read() {
                        Ok(e) => Some(e),
                        Err(_) => return stop.store(true, Ordering::Relaxed),
                    },
                    // Nothing to read: a terminal that went away without
                    // a hangup signal (EOF on a closed pty) is noticed here.
                    Ok(false) if !super::tty::alive() => {
                        return stop.store(true, Ordering::Relaxed);
                    }
                    Ok(false) => None,
                    // The terminal is gone (hangup, closed pty).
                    Err(_) => return stop.store(true, Ordering::Relaxed),
                }
            };
            let Some(msg) = event.and_then(to_msg) else {
                std::thread::sleep(Duration::from_millis(2));
                continue;
            };
            if tx.send(msg).is_err() {
                return;
            }
            std::thread::sleep(Duration::from_millis(1));
        }
    });
}

/// The message a terminal event becomes; `None` for the events the UI
/// ignores (mouse, focus lost). Shared by the terminal's reader and the
/// channel a test sends its events on, so both reach `update` alike.
#[must_use]
pub fn to_msg(event: Event) -> Option<Msg> {
    Some(match event {
        Event::Key(k) => Msg::Key(k),
        Event::Paste(text) => Msg::Paste(text),
        Event::Resize(w, h) => Msg::Resize(w, h),
        Event::FocusGained => Msg::Focus,
        _ => return None,
    })
}

/// Forwards events sent on `events` to the loop, as the terminal's reader
/// does: the event source of a test (or any driver without a terminal).
/// The thread ends when `events` disconnects or the loop has gone.
pub fn forward(events: Receiver<Event>, tx: Sender<Msg>) {
    std::thread::spawn(move || {
        for msg in events.into_iter().filter_map(to_msg) {
            if tx.send(msg).is_err() {
                return;
            }
        }
    });
}

/// Suspends the UI, runs `$VISUAL`/`$EDITOR` on the file (as an argument
/// list, never through a shell), and re-reads the file.
pub(super) fn edit(
    store: &Store,
    path: &str,
    gate: &Mutex<()>,
    term: &mut Terminal<CrosstermBackend<Out>>,
) -> Msg {
    let editor = std::env::var("VISUAL")
        .ok()
        .filter(|v| !v.trim().is_empty())
        .or_else(|| {
            std::env::var("EDITOR")
                .ok()
                .filter(|v| !v.trim().is_empty())
        })
        .unwrap_or_else(|| "vi".to_owned());
    let mut argv = editor.split_whitespace();
    let Some(program) = argv.next() else {
        return Msg::Edited(Err(UiError::NoEditor));
    };
    let full = store.root().join(path);
    let _g = gate.lock();
    restore();
    let status = std::process::Command::new(program)
        .args(argv)
        .arg(&full)
        .status();
    let _ = enter();
    let _ = term.clear();
    match status {
        Err(e) => Msg::Edited(Err(UiError::Editor {
            program: program.to_owned(),
            source: Arc::new(e),
        })),
        Ok(_) => super::worker::reread(store, &[path.to_owned()])
            .pop()
            .map_or_else(
                || {
                    Msg::Edited(Err(UiError::NotDocket {
                        path: path.to_owned(),
                    }))
                },
                |r| Msg::Edited(Ok(r)),
            ),
    }
}
