#![allow(clippy::unwrap_used, clippy::expect_used)]
//! The team keys through `update`: `L` asks for the selected item's
//! history and shows the store's timeline (read here from a real
//! repository) in a panel that scrolls; `S` syncs and says what it did, or
//! shows a conflict's two sides to choose from and syncs again with the
//! choice.

mod common;

use docket::ops::sync::{Side, SyncConflict};
use docket::store::{CommitInfo, Conflicted, StoreError, SyncOutcome};
use docket::ui::msg::{Effect, Msg};
use docket::ui::state::AppState;
use docket::ui::state::dialog::Dialog;
use docket::ui::state::error::UiError;
use docket::ui::update::update;
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

fn key(s: &mut AppState, c: char) -> Vec<Effect> {
    let m = if c.is_ascii_uppercase() {
        KeyModifiers::SHIFT
    } else {
        KeyModifiers::NONE
    };
    update(s, Msg::Key(KeyEvent::new(KeyCode::Char(c), m)))
}

#[test]
fn l_shows_the_selected_cases_history_in_a_panel() {
    let ws = common::Workspace::example();
    let case = ws.promotable(1).remove(0);
    ws.docket(&["note", &case.id, "seen before", "--commit"])
        .ok();
    let store = docket::store::Store::open(&ws.root).unwrap();
    let mut s = common::loaded_app(100, 30);
    key(&mut s, '1');
    // Put the cursor on the case.
    let i = s.ws.as_ref().unwrap().cases.position(&case.id).unwrap();
    let row = s
        .list()
        .visible
        .iter()
        .position(|&v| v as usize == i)
        .unwrap();
    for _ in 0..row {
        key(&mut s, 'j');
    }
    assert_eq!(
        key(&mut s, 'L'),
        vec![Effect::LoadHistory {
            id: case.id.clone()
        }]
    );
    let timeline = store.timeline(&case.id).unwrap();
    update(
        &mut s,
        Msg::History {
            id: case.id.clone(),
            result: Ok(timeline),
        },
    );
    let Some(Dialog::Text { title, lines, .. }) = &s.dialog else {
        panic!("{:?}", s.dialog);
    };
    assert_eq!(title, &format!("History of {}", case.id));
    assert!(
        lines
            .iter()
            .any(|l| l.contains(&format!("Docket-Action: note {}", case.id))),
        "{lines:?}"
    );
    let screen = common::screen_of(&s);
    assert!(
        screen.contains(&format!("History of {}", case.id)),
        "{screen}"
    );
    // It scrolls, and Esc closes it.
    key(&mut s, 'j');
    let Some(Dialog::Text { scroll, .. }) = &s.dialog else {
        panic!()
    };
    assert_eq!(*scroll, 1);
    update(
        &mut s,
        Msg::Key(KeyEvent::new(KeyCode::Esc, KeyModifiers::NONE)),
    );
    assert!(s.dialog.is_none());
}

#[test]
fn s_syncs_and_says_what_it_did_or_shows_both_sides_of_a_conflict() {
    let mut s = common::loaded_app(100, 30);
    assert_eq!(
        key(&mut s, 'S'),
        vec![Effect::Sync {
            choices: Vec::new()
        }]
    );
    let fx = update(
        &mut s,
        Msg::Synced(Ok(SyncOutcome {
            branch: "main".into(),
            url: "file:///srv/team.git".into(),
            fetched: 2,
            pushed: vec![CommitInfo {
                id: "abc1234".into(),
                author: "Bo".into(),
                at: "2026-11-23T10:00:00Z".into(),
                summary: "docket: review".into(),
            }],
            tags: vec!["review/2026-11-23".into()],
            ..SyncOutcome::default()
        })),
    );
    assert!(fx.contains(&Effect::Load) && fx.contains(&Effect::RefreshChanges));
    let screen = common::screen_of(&s);
    assert!(
        screen.contains("synced with file:///srv/team.git: fetched 2, pushed 1"),
        "{screen}"
    );

    key(&mut s, 'S');
    let conflict = Conflicted {
        conflict: SyncConflict {
            path: "evals/failures/2026-11/x.toml".into(),
            case: Some("x".into()),
            ours: "promoted into billing by bo@example.com".into(),
            theirs: "dismissed (not a bug)".into(),
            can_take_ours: true,
        },
        ours: CommitInfo {
            id: "437fd1c".into(),
            author: "Bo <bo@example.com>".into(),
            at: "2026-11-24T09:12:40Z".into(),
            summary: "docket: review 2026-11-24 — 1 promoted".into(),
        },
        theirs: None,
    };
    update(
        &mut s,
        Msg::Synced(Err(UiError::from(StoreError::SyncConflict(vec![conflict])))),
    );
    // Both sides to choose from, what each did and who; nothing changed.
    let screen = common::screen_of(&s);
    for want in [
        "Sync stopped: keep which side?",
        "keep yours on x",
        "promoted into billing by bo@example.com",
        "keep upstream on x",
        "dismissed (not a bug)",
    ] {
        assert!(screen.contains(want), "{want:?} in\n{screen}");
    }
    // Keep the upstream's side: sync again with that choice.
    update(
        &mut s,
        Msg::Key(KeyEvent::new(KeyCode::Down, KeyModifiers::NONE)),
    );
    key(&mut s, ' ');
    let fx = update(
        &mut s,
        Msg::Key(KeyEvent::new(KeyCode::Enter, KeyModifiers::NONE)),
    );
    assert_eq!(
        fx,
        vec![Effect::Sync {
            choices: vec![("x".to_owned(), Side::Theirs)]
        }]
    );
}
