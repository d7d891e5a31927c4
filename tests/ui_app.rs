#![allow(clippy::unwrap_used, clippy::expect_used)]
//! The whole app on a `TestBackend`: the real event loop
//! (`ui::runtime::app::run_app`), the real store worker and matcher
//! threads, and the load production takes (`Effect::Load` → the first look
//! from the cache → `Msg::Indexes` → the verified `LoadedIndexed`), on a
//! real repository. Keys go in through a channel, as crossterm's reader
//! sends them; every frame drawn comes out through another, and the test
//! waits (with a deadline, never a fixed sleep) for the frame it expects.
//!
//! The clock is the test's: ages count from a fixed `now` (the `DOCKET_NOW`
//! of the other end-to-end tests), so the 100×30 snapshots hold still.

mod common;

use docket::store::Store;
use docket::ui::keymap::Keymap;
use docket::ui::msg::Msg;
use docket::ui::runtime::app::{Clock, Host, Setup, run_app};
use docket::ui::runtime::terminal::forward;
use docket::ui::state::AppState;
use docket::ui::theme::Theme;
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::buffer::Buffer;
use ratatui::crossterm::event::{Event, KeyCode, KeyEvent, KeyModifiers};
use std::sync::Arc;
use std::sync::atomic::{AtomicI64, Ordering};
use std::sync::mpsc::{Receiver, Sender, channel};
use std::time::{Duration, Instant};

/// 2026-11-23T10:00:00Z, the `DOCKET_NOW` of the end-to-end tests.
const NOW: i64 = 1_795_428_000;
const WIDTH: u16 = 100;
const HEIGHT: u16 = 30;
/// How long a worker reply may take on a loaded machine before the test
/// gives up (a wait ends as soon as the frame shows up).
const DEADLINE: Duration = Duration::from_secs(60);

/// The test's side of the loop: events from a channel, each frame sent
/// back as a copy of the screen, and no editor.
struct TestHost {
    events: Option<Receiver<Event>>,
    frames: Sender<Buffer>,
}

impl Host<TestBackend> for TestHost {
    fn listen(&mut self, tx: Sender<Msg>) {
        if let Some(events) = self.events.take() {
            forward(events, tx);
        }
    }

    fn end_frame(&mut self, term: &mut Terminal<TestBackend>) -> std::io::Result<()> {
        let _ = self.frames.send(term.backend().buffer().clone());
        Ok(())
    }

    fn edit(&mut self, _: &mut Terminal<TestBackend>, _: &Store, _: &str) -> Msg {
        Msg::Edited(Err(anyhow::anyhow!("no editor in this test").into()))
    }
}

/// The app running on its own thread, as the test sees it.
struct App {
    events: Sender<Event>,
    frames: Receiver<Buffer>,
    done: Receiver<anyhow::Result<AppState>>,
    /// The last frame received, as text.
    screen: String,
    /// Frames received so far.
    drawn: usize,
}

impl App {
    /// Starts the app on `ws`, its ages counted from `clock`, its setup
    /// adjusted by `tune`.
    fn start(ws: &common::Workspace, clock: Clock, tune: fn(&mut Setup)) -> Self {
        let store = Store::open(&ws.root).unwrap();
        // Any earlier docket command leaves the cache the first look reads.
        store.load().unwrap();
        assert!(store.load_quick().is_some(), "a cache for the first look");
        let (events, events_rx) = channel();
        let (frames_tx, frames) = channel();
        let (done_tx, done) = channel();
        std::thread::spawn(move || {
            let mut term = Terminal::new(TestBackend::new(WIDTH, HEIGHT)).unwrap();
            let mut host = TestHost {
                events: Some(events_rx),
                frames: frames_tx,
            };
            let mut setup = Setup::new(Keymap::default(), Theme::new(false), clock);
            tune(&mut setup);
            let _ = done_tx.send(run_app(&mut term, &store, setup, &mut host));
        });
        Self {
            events,
            frames,
            done,
            screen: String::new(),
            drawn: 0,
        }
    }

    fn fixed(ws: &common::Workspace) -> Self {
        Self::start(ws, Arc::new(|| NOW), |_| {})
    }

    fn key(&self, code: KeyCode) {
        let key = KeyEvent::new(code, KeyModifiers::NONE);
        self.events.send(Event::Key(key)).unwrap();
    }

    fn type_text(&self, text: &str) {
        for c in text.chars() {
            self.key(KeyCode::Char(c));
        }
    }

    /// Waits for a frame for which `ok` holds and returns it; fails with
    /// the last frame after the deadline.
    #[track_caller]
    fn wait(&mut self, what: &str, ok: impl Fn(&str) -> bool) -> String {
        let end = Instant::now() + DEADLINE;
        loop {
            if ok(&self.screen) {
                return self.screen.clone();
            }
            let left = end.saturating_duration_since(Instant::now());
            match self.frames.recv_timeout(left) {
                Ok(buf) => {
                    self.screen = text(&buf);
                    self.drawn += 1;
                }
                Err(e) => panic!("no frame showed {what} ({e}); the last:\n{}", self.screen),
            }
        }
    }

    /// Waits for `needle` on a settled screen: no work in flight.
    #[track_caller]
    fn wait_for(&mut self, needle: &str) -> String {
        self.wait(needle, |s| s.contains(needle) && settled(s))
    }

    /// Sends `q` and waits for the loop to end; returns its final state.
    #[track_caller]
    fn quit(self) -> AppState {
        self.key(KeyCode::Char('q'));
        match self.done.recv_timeout(DEADLINE) {
            Ok(r) => r.unwrap(),
            Err(e) => panic!(
                "q did not end the loop ({e}); the last frame:\n{}",
                self.screen
            ),
        }
    }
}

/// Nothing in flight: no spinner, no load or ranking under way.
fn settled(screen: &str) -> bool {
    !["working…", "loading the workspace…", "matching…"]
        .iter()
        .any(|w| screen.contains(w))
}

/// The screen as text (see `common::screen_text`).
fn text(buf: &Buffer) -> String {
    common::screen_text(buf)
}

/// The Inbox's count in the tab bar (" 1 Inbox N ").
fn inbox_count(screen: &str) -> usize {
    let first = screen.lines().next().unwrap_or_default();
    let after = first.split(" 1 Inbox ").nth(1).unwrap_or_default();
    after
        .split_whitespace()
        .next()
        .and_then(|n| n.parse().ok())
        .unwrap_or(0)
}

/// The row of the list cursor (`▶`), counted from the top of the screen.
fn cursor_row(screen: &str) -> Option<usize> {
    screen.lines().position(|l| l.starts_with('▶'))
}

#[test]
fn start_filter_open_a_case_and_quit() {
    let ws = common::Workspace::example();
    let mut app = App::fixed(&ws);
    let overview = app.wait("the loaded overview", |s| {
        inbox_count(s) > 0 && s.contains("Failures") && settled(s)
    });
    insta::assert_snapshot!("overview", overview);

    // `/` from the overview filters the Inbox; the first match's body is
    // read at once.
    app.key(KeyCode::Char('/'));
    app.type_text("refund");
    let filtered = app.wait("the filtered Inbox", |s| {
        s.contains("/refund▏") && cursor_row(s) == Some(2) && body_shown(s) && settled(s)
    });
    assert!(
        !filtered.contains(" 79/79"),
        "the filter narrows:\n{filtered}"
    );
    insta::assert_snapshot!("filtered", filtered);

    // Enter keeps the filter; `j` moves to the second match, whose body is
    // read on demand; Enter focuses it.
    app.key(KeyCode::Enter);
    app.key(KeyCode::Char('j'));
    app.key(KeyCode::Enter);
    let second = app.wait("the second match's body", |s| {
        cursor_row(s) == Some(3) && body_shown(s) && settled(s)
    });
    assert_ne!(detail_title(&filtered), detail_title(&second));
    insta::assert_snapshot!("second_case", second);

    let state = app.quit();
    assert!(state.quit, "q ended the loop, not a stop");
}

/// Whether the detail pane shows a case's body (its sections), not the
/// "reading…" of a body on its way.
fn body_shown(screen: &str) -> bool {
    screen.contains("── ") && !screen.contains("reading…")
}

/// The detail pane's first line (the case's summary).
fn detail_title(screen: &str) -> String {
    let line = screen.lines().nth(1).unwrap_or_default();
    line.split('│').nth(1).unwrap_or_default().trim().to_owned()
}

/// A taxonomy tag with a key that `tags` lacks: `(name, key)`.
fn keyed_tag_not_in(ws: &common::Workspace, tags: &[String]) -> (String, char) {
    let cfg: toml::Table = ws.read("docket.toml").parse().unwrap();
    cfg["tags"]
        .as_array()
        .unwrap()
        .iter()
        .find_map(|t| {
            let name = t.get("name")?.as_str()?;
            let key = t.get("key")?.as_str()?.chars().next()?;
            (!tags.iter().any(|x| x == name)).then(|| (name.to_owned(), key))
        })
        .expect("a keyed tag the case lacks")
}

#[test]
fn tag_a_case_through_the_store_worker_then_quit_past_the_pending_change() {
    let ws = common::Workspace::example();
    let case = ws.promotable(1).remove(0);
    let (tag, key) = keyed_tag_not_in(&ws, &case.tags);
    let mut app = App::fixed(&ws);
    app.wait("the loaded overview", |s| inbox_count(s) > 0 && settled(s));
    app.key(KeyCode::Char('/'));
    app.type_text(&case.id);
    app.key(KeyCode::Enter);
    app.wait("the case under the cursor", |s| {
        s.contains(&format!("/{} ", case.id)) && body_shown(s) && settled(s)
    });

    app.key(KeyCode::Char('t'));
    app.wait_for(&format!("Tags of {}", case.id));
    app.key(KeyCode::Char(key));
    app.key(KeyCode::Enter);
    // The worker writes the file and answers; the journal follows.
    let said = format!("tag {} +{tag}", case.id);
    let tagged = app.wait("the tag written and pending", |s| {
        s.contains(&said) && s.contains(" 1 pending") && settled(s)
    });
    insta::assert_snapshot!("tagged", tagged);
    assert!(
        ws.read(&case.path).contains(&format!("\"{tag}\"")),
        "the case file carries the tag"
    );

    // `q` with a change pending asks first; `y` quits, the change stays
    // pending on disk.
    app.key(KeyCode::Char('q'));
    app.wait_for("1 change(s) are not committed.");
    app.key(KeyCode::Char('y'));
    match app.done.recv_timeout(DEADLINE) {
        Ok(r) => assert!(r.unwrap().quit),
        Err(e) => panic!("y did not end the loop ({e}):\n{}", app.screen),
    }
    let journal = std::fs::read_to_string(ws.root.join(".git/docket/journal.json")).unwrap();
    assert!(
        journal.contains(&case.path),
        "the tag is pending: {journal}"
    );
}

#[test]
fn ages_move_on_with_the_clock_and_an_idle_window_draws_nothing() {
    let ws = common::Workspace::example();
    let now = Arc::new(AtomicI64::new(NOW));
    // Each read of the clock is reported, so the test can wait for the
    // loop's ticks instead of sleeping.
    let (read, reads) = channel::<()>();
    let clock: Clock = {
        let now = Arc::clone(&now);
        Arc::new(move || {
            let _ = read.send(());
            now.load(Ordering::SeqCst)
        })
    };
    let mut app = App::start(&ws, clock, |s| {
        s.tick = Duration::from_millis(1);
        // No look for other writers while idle: the worker stays quiet.
        s.check_every = Duration::from_secs(3600);
    });
    app.wait("the loaded overview", |s| inbox_count(s) > 0 && settled(s));
    app.key(KeyCode::Char('1'));
    let before = app.wait("the Inbox", |s| {
        cursor_row(s) == Some(2) && body_shown(s) && settled(s)
    });
    // Waits for `n` reads of the clock from now on.
    let ticks = |n: usize| {
        reads.try_iter().for_each(drop);
        for _ in 0..n {
            reads
                .recv_timeout(DEADLINE)
                .expect("the loop reads the clock");
        }
    };
    // Let what is in flight land, then take the last frame as the screen.
    ticks(5);
    app.screen = app.frames.try_iter().last().map_or(before, |b| text(&b));
    let before = app.screen.clone();

    // A minute later no age on screen reads differently: no frame at all,
    // so an idle terminal gets no bytes. A frame a tick would draw is sent
    // before the next tick reads the clock.
    now.fetch_add(60, Ordering::SeqCst);
    ticks(5);
    let drawn: Vec<String> = app.frames.try_iter().map(|b| text(&b)).collect();
    assert!(drawn.is_empty(), "idle ticks drew:\n{}", drawn.join("\n"));

    // Two days later the ages on screen move on, and nothing else does.
    now.fetch_add(2 * 86_400, Ordering::SeqCst);
    let after = app.wait("the ages two days older", |s| s != before);
    let row = |s: &str| s.lines().nth(2).unwrap_or_default().to_owned();
    assert!(row(&before).contains("  2d "), "{}", row(&before));
    assert_eq!(row(&after), row(&before).replacen("  2d ", "  4d ", 1));
    app.quit();
}
