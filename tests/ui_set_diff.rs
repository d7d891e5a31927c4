#![allow(clippy::unwrap_used, clippy::expect_used)]
//! The Sets view's "since the last review" section, through the paths
//! production uses: the workspace loaded by the store, keys into `update`,
//! the effect run by the real store worker on a real repository (a docket
//! promotion and a case removed by hand with git), its answer back into
//! `update`.

mod common;

use docket::store::Store;
use docket::ui::keymap::Keymap;
use docket::ui::msg::{Effect, Msg};
use docket::ui::state::AppState;
use docket::ui::theme::Theme;
use docket::ui::update::update;
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use std::time::Duration;

fn key(s: &mut AppState, code: KeyCode) -> Vec<Effect> {
    update(s, Msg::Key(KeyEvent::new(code, KeyModifiers::NONE)))
}

fn detail(s: &AppState) -> String {
    s.detail
        .lines
        .iter()
        .map(|l| {
            l.spans
                .iter()
                .map(|x| x.content.as_ref())
                .collect::<String>()
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// The text with wrapped lines joined, to find phrases however they wrap.
fn flat(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Runs one effect on the real store worker and returns its answer.
fn run(store: &Store, effect: Effect) -> Msg {
    let (tx, rx) = std::sync::mpsc::channel();
    let (jobs, _done) = docket::ui::runtime::worker::store_worker(store.clone(), tx, || 0);
    jobs.send(effect).unwrap();
    // Other messages (a notice from reconciling on start) pass by.
    loop {
        if let m @ Msg::SetDiff { .. } = rx.recv_timeout(Duration::from_secs(60)).unwrap() {
            return m;
        }
    }
}

#[test]
fn a_set_shows_what_changed_since_the_last_review() {
    let ws = common::Workspace::example();
    let sets = ws.list("sets");
    let set = sets[1]["id"].as_str().unwrap().to_owned();
    let case = ws.promotable(1).remove(0);
    let v = ws.set_version(&set) + 1;
    // The example's history starts every set at v0: the review marks where
    // this meeting's changes begin.
    ws.git(&["tag", "review/2026-11-20"]).ok();
    ws.docket(&["promote", &case.id, &set, "--commit"]).ok();
    let dir = format!("evals/sets/{set}/cases");
    let gone = std::fs::read_dir(ws.root.join(&dir))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .find(|n| n != &format!("{}.toml", case.id))
        .unwrap();
    ws.git(&["rm", "-q", &format!("{dir}/{gone}")]).ok();
    ws.git(&["commit", "-q", "-m", "drop a stale case"]).ok();
    let gone = gone.trim_end_matches(".toml").to_owned();

    let store = Store::open(&ws.root).unwrap();
    let mut s = AppState::new(Keymap::default(), Theme::new(false), 80, 24);
    // The message the runtime's loader sends.
    let now = s.now;
    update(
        &mut s,
        docket::ui::runtime::loads::indexed(store.load().unwrap(), false, now, None),
    );
    assert!(key(&mut s, KeyCode::Char('2')).len() == 1);
    let fx = key(&mut s, KeyCode::Char('j'));
    let generation = s.set_diffs.generation;
    assert_eq!(
        fx,
        vec![Effect::LoadSetDiff {
            set: set.clone(),
            generation
        }]
    );
    let text = detail(&s);
    assert!(
        text.contains("── since the last review") && text.contains("  loading…"),
        "{text}"
    );
    // Back and forth asks nothing twice.
    assert!(key(&mut s, KeyCode::Char('k')).is_empty());
    assert!(key(&mut s, KeyCode::Char('j')).is_empty());

    let answer = run(&store, fx[0].clone());
    update(&mut s, answer);
    let text = detail(&s);
    assert!(text.contains("review/2026-11-20"), "{text}");
    assert!(text.contains(&format!("v{} → HEAD v{v}", v - 1)), "{text}");
    assert!(text.contains("1 added · 1 removed · 0 changed"), "{text}");
    assert!(text.contains(&format!("+ {}", case.id)), "{text}");
    assert!(
        flat(&text).contains(&format!("promote {} -> {set}@v{v}", case.id)),
        "{text}"
    );
    assert!(text.contains(&format!("- {gone}")), "{text}");
    assert!(
        flat(&text).contains(": drop a stale case") && text.contains("removed by hand in "),
        "the hand removal is flagged: {text}"
    );

    // A commit may move HEAD: the set is asked for again, and the old
    // answer stays shown until the new one comes; a late answer to the old
    // request is dropped.
    let fx = update(&mut s, Msg::Committed(Ok("docket: review".into())));
    assert_eq!(
        fx,
        vec![
            Effect::RefreshChanges,
            Effect::LoadSetDiff {
                set: set.clone(),
                generation: generation + 1
            }
        ]
    );
    assert!(detail(&s).contains(&format!("- {gone}")));
    update(
        &mut s,
        Msg::SetDiff {
            set: set.clone(),
            generation,
            result: Err(anyhow::anyhow!("an old answer").into()),
        },
    );
    assert!(!detail(&s).contains("an old answer"));
    update(
        &mut s,
        Msg::SetDiff {
            set,
            generation: generation + 1,
            result: Err(anyhow::anyhow!("no history").into()),
        },
    );
    assert!(
        detail(&s).contains("cannot read the history: no history"),
        "{}",
        detail(&s)
    );
}
