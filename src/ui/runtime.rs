//! The event loop: terminal events and worker replies become `Msg`s, `update`
//! turns them into effects, effects go to the workers (or, for the editor,
//! run here), and a frame is drawn only when something changed.
//!
//! The terminal is restored on every way out: quit, error, panic (a hook),
//! SIGTERM/SIGHUP/SIGINT (flags checked by the loop), and a terminal that
//! went away (its read fails and the loop ends).

use crate::store::Store;
use crate::ui::keymap::Keymap;
use crate::ui::msg::{Effect, Msg};
use crate::ui::state::AppState;
use crate::ui::theme::Theme;
use crate::ui::tty::Out;
use crate::ui::update::update;
use crate::ui::{view, worker};
use ratatui::Terminal;
use ratatui::backend::CrosstermBackend;
use ratatui::crossterm::event::{
    self, DisableBracketedPaste, DisableFocusChange, EnableBracketedPaste, EnableFocusChange, Event,
};
use ratatui::crossterm::terminal::{
    self, BeginSynchronizedUpdate, EndSynchronizedUpdate, EnterAlternateScreen,
    LeaveAlternateScreen,
};
use ratatui::crossterm::{cursor, execute};
use std::io::Write;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{Sender, channel};
use std::sync::{Arc, Mutex};
use std::time::Duration;

/// Reads the user's keymap: `$XDG_CONFIG_HOME/docket/config.toml`, else
/// `~/.config/docket/config.toml`; the defaults when there is none.
pub fn load_keymap() -> anyhow::Result<Keymap> {
    let dir = std::env::var_os("XDG_CONFIG_HOME")
        .filter(|v| !v.is_empty())
        .map(std::path::PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|h| std::path::Path::new(&h).join(".config")));
    let Some(path) = dir.map(|d| d.join("docket/config.toml")) else {
        return Ok(Keymap::default());
    };
    match std::fs::read_to_string(&path) {
        Ok(text) => {
            Keymap::with_config(&path.display().to_string(), &text).map_err(anyhow::Error::msg)
        }
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(Keymap::default()),
        Err(e) => Err(anyhow::anyhow!("{}: {e}", path.display())),
    }
}

fn restore() {
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
fn enter() -> std::io::Result<()> {
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
    if !crate::ui::tty::available() {
        anyhow::bail!(
            "the terminal UI needs a terminal; in scripts use the commands (`docket --help`)"
        );
    }
    Ok(())
}

/// Restores the terminal when dropped, however the loop ends.
struct Guard;

impl Drop for Guard {
    fn drop(&mut self) {
        restore();
    }
}

/// Runs the UI on `store` until the user quits.
pub fn run(store: &Store) -> anyhow::Result<()> {
    ensure_terminal()?;
    let keymap = load_keymap()?;
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
    let size = term.size()?;
    let mut state = AppState::new(keymap, Theme::from_env(), size.width, size.height);
    state.now = crate::model::time::unix_from_datetime(&crate::store::now()).unwrap_or(0);
    // The overview is the home screen; `/` from there filters the Inbox.
    state.view = crate::ui::items::View::Overview;

    let (tx, rx) = channel::<Msg>();
    let gate = Arc::new(Mutex::new(()));
    spawn_input(tx.clone(), Arc::clone(&gate), Arc::clone(&stop));
    let (store_jobs, store_done) = worker::store_worker(store.clone(), tx.clone(), state.now);
    let match_jobs = worker::match_worker(tx);
    let _ = store_jobs.send(Effect::Load);
    let _ = store_jobs.send(Effect::RefreshChanges);

    let mut timing = Timing::from_env();
    let mut last_check = std::time::Instant::now();
    draw(&mut term, &state)?;
    timing.log("first frame");
    while !state.quit && !stop.load(Ordering::Relaxed) {
        // Woken at least every 100 ms, so a hangup (the flag) ends the
        // loop well within a second.
        let Ok(first) = rx.recv_timeout(Duration::from_millis(100)) else {
            // Idle: every two seconds, a cheap look for other writers.
            if last_check.elapsed() >= Duration::from_secs(2) {
                last_check = std::time::Instant::now();
                let _ = store_jobs.send(Effect::CheckOutside);
            }
            continue;
        };
        let received = std::time::Instant::now();
        let mut kinds = vec![msg_kind(&first)];
        let mut effects = update(&mut state, first);
        // Handle everything already waiting before drawing once.
        for msg in rx.try_iter() {
            kinds.push(msg_kind(&msg));
            effects.extend(update(&mut state, msg));
        }
        let mut queue: std::collections::VecDeque<Effect> = effects.into();
        loop {
            while let Some(e) = queue.pop_front() {
                match e {
                    Effect::Match { .. } | Effect::PaletteMatch { .. } => {
                        let _ = match_jobs.send(e);
                    }
                    Effect::Edit { path } => {
                        let msg = edit(store, &path, &gate, &mut term);
                        let _ = store_jobs.send(Effect::Acknowledge);
                        queue.extend(update(&mut state, msg));
                    }
                    other => {
                        let _ = store_jobs.send(other);
                    }
                }
            }
            // The selected case's body, read here (one small file) so the
            // preview follows the cursor within the frame.
            let Some(path) = state.wants_body() else {
                break;
            };
            let body = store.case_at(&path).map(Arc::new);
            queue.extend(update(
                &mut state,
                Msg::Body(path, body.map_err(|e| e.to_string())),
            ));
        }
        if draw(&mut term, &state).is_err() {
            break;
        }
        timing.frame(&kinds, received);
    }
    // A write or commit in flight finishes: after `q`, however long it
    // takes (each of its waits is bounded); after a hangup, within a second
    // (an interrupted commit is finished by the next docket command).
    // Queued work that was never shown is dropped.
    drop(store_jobs);
    drop(rx);
    let grace = if state.quit {
        Duration::from_secs(60)
    } else {
        Duration::from_millis(700)
    };
    let _ = store_done.recv_timeout(grace);
    // The terminal may be gone: restoring is the guard's job, and ratatui's
    // own drop would report (and panic on) a write error.
    std::mem::forget(term);
    Ok(())
}

fn msg_kind(m: &Msg) -> &'static str {
    match m {
        Msg::Key(_) | Msg::Paste(_) => "key",
        Msg::Loaded(_) | Msg::LoadedIndexed(_) => "loaded",
        Msg::Indexes(_) => "indexed",
        Msg::Matched { .. } | Msg::PaletteMatched { .. } => "matched",
        _ => "other",
    }
}

/// `DOCKET_TIMING=FILE` appends how long frames take: the first frame, the
/// loaded workspace, each key to its frame, each worker match to its frame.
/// For benchmarks; nothing is measured when unset.
struct Timing {
    start: std::time::Instant,
    out: Option<std::fs::File>,
}

impl Timing {
    fn from_env() -> Self {
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

    fn log(&mut self, what: &str) {
        if let Some(f) = &mut self.out {
            let _ = writeln!(
                f,
                "{what} {:.1} ms since start",
                self.start.elapsed().as_secs_f64() * 1e3
            );
        }
    }

    fn frame(&mut self, kinds: &[&str], received: std::time::Instant) {
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

fn draw(term: &mut Terminal<CrosstermBackend<Out>>, state: &AppState) -> std::io::Result<()> {
    // Synchronized output: terminals that support it show the frame at once.
    execute!(term.backend_mut(), BeginSynchronizedUpdate)?;
    term.draw(|f| view::render(state, f.area(), f.buffer_mut()))?;
    execute!(term.backend_mut(), EndSynchronizedUpdate)?;
    term.backend_mut().flush()
}

/// Reads terminal events on their own thread. The gate lets the editor take
/// the terminal: while the main thread holds it, nothing is read here.
fn spawn_input(tx: Sender<Msg>, gate: Arc<Mutex<()>>, stop: Arc<AtomicBool>) {
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
                    Ok(false) if !crate::ui::tty::alive() => {
                        return stop.store(true, Ordering::Relaxed);
                    }
                    Ok(false) => None,
                    // The terminal is gone (hangup, closed pty).
                    Err(_) => return stop.store(true, Ordering::Relaxed),
                }
            };
            let msg = match event {
                Some(Event::Key(k)) => Msg::Key(k),
                Some(Event::Paste(text)) => Msg::Paste(text),
                Some(Event::Resize(w, h)) => Msg::Resize(w, h),
                Some(Event::FocusGained) => Msg::Focus,
                _ => {
                    std::thread::sleep(Duration::from_millis(2));
                    continue;
                }
            };
            if tx.send(msg).is_err() {
                return;
            }
            std::thread::sleep(Duration::from_millis(1));
        }
    });
}

/// Suspends the UI, runs `$VISUAL`/`$EDITOR` on the file (as an argument
/// list, never through a shell), and re-reads the file.
fn edit(
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
        return Msg::Edited(Err("no editor set".into()));
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
        Err(e) => Msg::Edited(Err(format!("cannot run {program}: {e}"))),
        Ok(_) => worker::reread(store, &[path.to_owned()]).pop().map_or_else(
            || Msg::Edited(Err(format!("{path} is not a docket file"))),
            |r| Msg::Edited(Ok(r)),
        ),
    }
}
