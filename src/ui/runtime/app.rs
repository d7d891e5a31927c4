//! The event loop itself, generic over ratatui's `Backend`: events and
//! worker replies become `Msg`s, `update` turns them into effects, effects
//! go to the workers (or, for the editor, to the host), and a frame is
//! drawn only when something changed.
//!
//! Where the loop runs is a [`Host`]: the real terminal in production
//! (`mod.rs`), a `TestBackend` and a channel of events in a test
//! (`tests/ui_app.rs`). Everything else — the store worker, the matcher,
//! the first look from the cache, bodies read on demand — is the same in
//! both, so a test that drives the app drives what users run.

use super::timing::Timing;
use super::{matcher, worker};
use crate::store::Store;
use crate::ui::items::View;
use crate::ui::keymap::Keymap;
use crate::ui::msg::{Effect, Msg};
use crate::ui::state::AppState;
use crate::ui::theme::Theme;
use crate::ui::update::clock::tick;
use crate::ui::update::update;
use crate::ui::view;
use ratatui::Terminal;
use ratatui::backend::Backend;
use std::collections::VecDeque;
use std::sync::Arc;
use std::sync::mpsc::{Sender, channel};
use std::time::{Duration, Instant};

/// Unix time now, as the UI counts ages from it. Production reads the
/// system clock (or `DOCKET_NOW`); a test passes a fixed or stepped one.
pub type Clock = Arc<dyn Fn() -> i64 + Send + Sync>;

/// What the loop is given from the edge: the keymap read from the user's
/// file, the theme `NO_COLOR` chose, and the clock. Nothing below the
/// runtime reads the environment or a file.
pub struct Setup {
    pub keymap: Keymap,
    pub theme: Theme,
    pub clock: Clock,
    /// How often the loop looks for other writers when idle.
    pub check_every: Duration,
    /// How often `now` is read again, so ages move on in a long session
    /// (a frame is drawn only when an age on screen changes).
    pub tick: Duration,
    /// Open in meeting mode (`docket review`): the meeting in progress is
    /// shown as soon as it is read.
    pub meeting: bool,
    pub(super) timing: Timing,
}

impl Setup {
    #[must_use]
    pub fn new(keymap: Keymap, theme: Theme, clock: Clock) -> Self {
        Self {
            keymap,
            theme,
            clock,
            check_every: Duration::from_secs(2),
            tick: Duration::from_secs(1),
            meeting: false,
            timing: Timing::off(),
        }
    }
}

/// Where the loop runs: how events arrive, how a frame is framed, and how
/// the screen is handed to the user's editor.
pub trait Host<B: Backend> {
    /// Starts delivering the user's events as `Msg`s on `tx` (on a thread
    /// of its own; the loop waits on the other end with the workers).
    fn listen(&mut self, tx: Sender<Msg>);

    /// Runs before each frame is drawn (a terminal starts synchronized
    /// output here).
    fn begin_frame(&mut self, _term: &mut Terminal<B>) -> std::io::Result<()> {
        Ok(())
    }

    /// Runs after each frame is drawn (a terminal ends synchronized output
    /// and flushes; a test takes a copy of the screen).
    fn end_frame(&mut self, _term: &mut Terminal<B>) -> std::io::Result<()> {
        Ok(())
    }

    /// Hands the screen to the user's editor on `path` (relative to the
    /// store's root) and answers with the file re-read.
    fn edit(&mut self, term: &mut Terminal<B>, store: &Store, path: &str) -> Msg;

    /// Whether the loop must end now (a signal, a terminal gone).
    fn stopped(&self) -> bool {
        false
    }
}

/// Runs the UI on `store` in `term` until the user quits or the host says
/// stop; returns the final state. A write or commit in flight finishes
/// before it returns: after `q`, however long it takes (each of its waits
/// is bounded); after a stop, within a second (an interrupted commit is
/// finished by the next docket command).
pub fn run_app<B, H>(
    term: &mut Terminal<B>,
    store: &Store,
    setup: Setup,
    host: &mut H,
) -> anyhow::Result<AppState>
where
    B: Backend,
    B::Error: Send + Sync + 'static,
    H: Host<B>,
{
    let Setup {
        keymap,
        theme,
        clock,
        check_every,
        tick: tick_every,
        meeting,
        mut timing,
    } = setup;
    let size = term.size()?;
    let mut state = AppState::new(keymap, theme, size.width, size.height);
    state.now = clock();
    // The overview is the home screen; `/` from there filters the Inbox.
    state.view = View::Overview;

    let (tx, rx) = channel::<Msg>();
    host.listen(tx.clone());
    let worker_clock = Arc::clone(&clock);
    let (store_jobs, store_done) =
        worker::store_worker(store.clone(), tx.clone(), move || worker_clock());
    let match_jobs = matcher::match_worker(tx);
    // The meeting first: a small file, read before the load replies, so
    // it never arrives late to an idle window.
    let _ = store_jobs.send(Effect::LoadMeeting { show: meeting });
    let _ = store_jobs.send(Effect::Load);
    let _ = store_jobs.send(Effect::RefreshChanges);
    // Who is looking, for blind double review (the detail pane hides other
    // reviewers' verdicts until this one gives theirs).
    let me = store.identity().ok().map(|i| i.email);

    let mut last_check = Instant::now();
    let mut last_tick = Instant::now();
    draw(term, host, &state)?;
    timing.log("first frame");
    while !state.quit && !host.stopped() {
        // Woken at least every 100 ms, so a stop (a hangup's flag) ends
        // the loop well within a second.
        let received = rx.recv_timeout(Duration::from_millis(100));
        // Time moves on: redrawn only if something shown changed with it.
        let aged = last_tick.elapsed() >= tick_every && {
            last_tick = Instant::now();
            tick(&mut state, clock())
        };
        let Ok(first) = received else {
            // Idle: now and then, a cheap look for other writers.
            if last_check.elapsed() >= check_every {
                last_check = Instant::now();
                let _ = store_jobs.send(Effect::CheckOutside);
            }
            if aged && draw(term, host, &state).is_err() {
                break;
            }
            continue;
        };
        let received = Instant::now();
        let mut kinds = vec![msg_kind(&first)];
        let mut effects = update(&mut state, first);
        // Handle everything already waiting before drawing once.
        for msg in rx.try_iter() {
            kinds.push(msg_kind(&msg));
            effects.extend(update(&mut state, msg));
        }
        let mut queue: VecDeque<Effect> = effects.into();
        loop {
            while let Some(e) = queue.pop_front() {
                match e {
                    Effect::Match { .. } | Effect::PaletteMatch { .. } => {
                        let _ = match_jobs.send(e);
                    }
                    Effect::Edit { path } => {
                        let msg = host.edit(term, store, &path);
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
            let body = store.case_at(&path).map(|mut c| {
                c.blind_for(me.as_deref());
                Arc::new(c)
            });
            queue.extend(update(
                &mut state,
                Msg::Body(path, body.map_err(Into::into)),
            ));
        }
        if draw(term, host, &state).is_err() {
            break;
        }
        timing.frame(&kinds, received);
    }
    // Queued work that was never shown is dropped.
    drop(store_jobs);
    drop(rx);
    let grace = if state.quit {
        Duration::from_secs(60)
    } else {
        Duration::from_millis(700)
    };
    let _ = store_done.recv_timeout(grace);
    Ok(state)
}

fn msg_kind(m: &Msg) -> &'static str {
    match m {
        Msg::Key(_) | Msg::Paste(_) => "key",
        Msg::LoadFailed(_) | Msg::LoadedIndexed(_) => "loaded",
        Msg::Indexes(_) => "indexed",
        Msg::Matched { .. } | Msg::PaletteMatched { .. } => "matched",
        _ => "other",
    }
}

/// Draws one frame from the state, framed by the host.
fn draw<B, H>(term: &mut Terminal<B>, host: &mut H, state: &AppState) -> anyhow::Result<()>
where
    B: Backend,
    B::Error: Send + Sync + 'static,
    H: Host<B>,
{
    host.begin_frame(term)?;
    term.draw(|f| view::render(state, f.area(), f.buffer_mut()))?;
    host.end_frame(term)?;
    Ok(())
}
