//! The event loop: terminal events and worker replies become `Msg`s, `update`
//! turns them into effects, effects go to the workers (or, for the editor,
//! run here), and a frame is drawn only when something changed.
//!
//! The terminal is restored on every way out: quit, error, panic (a hook),
//! SIGTERM/SIGHUP/SIGINT (flags checked by the loop), and a terminal that
//! went away (its read fails and the loop ends).
//!
//! This is the only part of the UI with threads, channels, the terminal and
//! file I/O: `terminal.rs` (raw mode, events, the editor), `worker.rs` (the
//! store), `matcher.rs` (filtering at scale), `loads.rs` (a window's loads
//! and their indexes), `config.rs` (the keymap file), `timing.rs` (the
//! benchmark log), `tty.rs` (where to draw). It imports `update`, `view`
//! and the data they share; nothing imports it but `cli`.

mod config;
mod loads;
mod matcher;
pub mod terminal;
mod timing;
mod tty;
pub mod worker;

use crate::store::Store;
use crate::ui::msg::{Effect, Msg};
use crate::ui::state::AppState;
use crate::ui::theme::Theme;
use crate::ui::update::update;
use crate::ui::view;
use ratatui::Terminal;
use ratatui::backend::CrosstermBackend;
use ratatui::crossterm::execute;
use ratatui::crossterm::terminal::{BeginSynchronizedUpdate, EndSynchronizedUpdate};
use std::io::Write;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::channel;
use std::sync::{Arc, Mutex};
use std::time::Duration;
use terminal::{Guard, edit, ensure_terminal, enter, restore, spawn_input};
use timing::Timing;
use tty::Out;

/// Runs the UI on `store` until the user quits.
pub fn run(store: &Store) -> anyhow::Result<()> {
    ensure_terminal()?;
    let keymap = config::load_keymap()?;
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
    let match_jobs = matcher::match_worker(tx);
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

fn draw(term: &mut Terminal<CrosstermBackend<Out>>, state: &AppState) -> std::io::Result<()> {
    // Synchronized output: terminals that support it show the frame at once.
    execute!(term.backend_mut(), BeginSynchronizedUpdate)?;
    term.draw(|f| view::render(state, f.area(), f.buffer_mut()))?;
    execute!(term.backend_mut(), EndSynchronizedUpdate)?;
    term.backend_mut().flush()
}
