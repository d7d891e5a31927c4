//! The governance parts of the UI, by keys, without a terminal: the memo
//! lifecycle (`s`), drafting a memo (`N`), following links (Enter on the
//! text) and the overview (`0`).

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use docket::model::memo::MemoStatus;
use docket::ui::items::View;
use docket::ui::keymap::Keymap;
use docket::ui::msg::{Effect, Msg, OpRequest};
use docket::ui::state::dialog::{Dialog, PickerKind, PromptKind};
use docket::ui::state::{AppState, Focus};
use docket::ui::theme::Theme;
use docket::ui::update::update;
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

fn loaded() -> AppState {
    common::loaded_app(100, 30)
}

fn press(s: &mut AppState, code: KeyCode) -> Vec<Effect> {
    update(s, Msg::Key(KeyEvent::new(code, KeyModifiers::NONE)))
}

fn ch(s: &mut AppState, c: char) -> Vec<Effect> {
    press(s, KeyCode::Char(c))
}

/// Puts the Memos cursor on memo `id`.
fn select_memo(s: &mut AppState, id: &str) {
    ch(s, '4');
    let pos =
        s.ws.as_ref()
            .unwrap()
            .memos
            .iter()
            .position(|m| m.id == id)
            .unwrap();
    ch(s, 'g');
    for _ in 0..pos {
        ch(s, 'j');
    }
    assert_eq!(s.detail.key, format!("memo:{id}"));
}

#[test]
fn s_offers_the_lifecycle_moves_and_applies_the_chosen_one() {
    let mut s = loaded();
    let proposed =
        s.ws.as_ref()
            .unwrap()
            .memos
            .iter()
            .find(|m| m.status == MemoStatus::Proposed)
            .unwrap()
            .id
            .clone();
    select_memo(&mut s, &proposed);
    assert!(ch(&mut s, 's').is_empty());
    let Some(Dialog::Picker {
        kind: PickerKind::MemoStatus { memo },
        items,
        ..
    }) = &s.dialog
    else {
        panic!("{:?}", s.dialog)
    };
    assert_eq!(memo, &proposed);
    let moves: Vec<&str> = items.iter().map(|i| i.id.as_str()).collect();
    assert_eq!(moves, vec!["accepted", "rejected"]);
    ch(&mut s, 'j');
    let fx = press(&mut s, KeyCode::Enter);
    assert_eq!(
        fx,
        vec![Effect::Apply(OpRequest::MemoStatus {
            memo: proposed,
            to: "rejected".into()
        })]
    );
    assert!(s.dialog.is_none());

    // A final status has no moves: a message, no dialog.
    let rejected =
        s.ws.as_ref()
            .unwrap()
            .memos
            .iter()
            .find(|m| m.status == MemoStatus::Rejected)
            .unwrap()
            .id
            .clone();
    select_memo(&mut s, &rejected);
    assert!(ch(&mut s, 's').is_empty());
    assert!(s.dialog.is_none());
    assert!(
        s.status.as_ref().unwrap().1.contains("final"),
        "{:?}",
        s.status
    );
}

#[test]
fn n_drafts_a_memo_from_a_title() {
    let mut s = loaded();
    ch(&mut s, '4');
    assert!(ch(&mut s, 'N').is_empty());
    assert!(matches!(
        &s.dialog,
        Some(Dialog::Prompt {
            kind: PromptKind::NewMemo,
            ..
        })
    ));
    for c in "Retire outbound".chars() {
        ch(&mut s, c);
    }
    let fx = press(&mut s, KeyCode::Enter);
    assert_eq!(
        fx,
        vec![Effect::Apply(OpRequest::NewMemo {
            title: "Retire outbound".into()
        })]
    );
    // Elsewhere, N only explains itself.
    ch(&mut s, '1');
    assert!(ch(&mut s, 'N').is_empty());
    assert!(s.dialog.is_none());
}

#[test]
fn enter_on_the_text_follows_a_link() {
    let mut s = loaded();
    ch(&mut s, '3');
    let rb =
        s.ws.as_ref()
            .unwrap()
            .runbooks
            .iter()
            .position(|r| r.id == "support-triage")
            .unwrap();
    for _ in 0..rb {
        ch(&mut s, 'j');
    }
    press(&mut s, KeyCode::Enter);
    assert_eq!(s.focus, Focus::Detail);
    assert!(press(&mut s, KeyCode::Enter).is_empty());
    let Some(Dialog::Picker {
        kind: PickerKind::Links { targets },
        ..
    }) = &s.dialog
    else {
        panic!("{:?}", s.dialog)
    };
    let memo =
        s.ws.as_ref()
            .unwrap()
            .runbook("support-triage")
            .unwrap()
            .memo
            .clone()
            .unwrap();
    assert_eq!(targets[0].view, View::Memos);
    assert_eq!(targets[0].id, memo);
    press(&mut s, KeyCode::Enter);
    assert_eq!(s.view, View::Memos);
    assert_eq!(s.detail.key, format!("memo:{memo}"));
}

#[test]
fn zero_shows_the_overview_and_slash_goes_to_the_inbox() {
    let mut s = loaded();
    ch(&mut s, '0');
    assert_eq!(s.view, View::Overview);
    ch(&mut s, '/');
    assert_eq!(s.view, View::Inbox);
    assert!(s.filter_editing);
}

/// The overview under a `[check]` table: the row of INC-2017 (uncovered in
/// the example), with its foreground colour, or `None` when not drawn.
fn incident_row(check: &str) -> (String, Option<ratatui::style::Color>) {
    let ws = common::Workspace::example();
    let config = ws.read("docket.toml");
    ws.write("docket.toml", format!("{config}\n[check]\n{check}\n"));
    let model = docket::store::Store::open(&ws.root)
        .unwrap()
        .load()
        .unwrap();
    let mut s = AppState::new(Keymap::default(), Theme::new(true), 120, 40);
    s.now = 1_795_428_000;
    // The message the runtime's loader sends.
    let now = s.now;
    update(
        &mut s,
        docket::ui::runtime::loads::indexed(model, false, now, None),
    );
    ch(&mut s, '0');
    let area = ratatui::layout::Rect::new(0, 0, 120, 40);
    let mut buf = ratatui::buffer::Buffer::empty(area);
    docket::ui::view::render(&s, area, &mut buf);
    let rows: Vec<(String, Option<ratatui::style::Color>)> = (0..area.height)
        .map(|y| {
            let text: String = (0..area.width).map(|x| buf[(x, y)].symbol()).collect();
            let fg = text
                .find('✗')
                .map(|i| text[..i].chars().count())
                .and_then(|x| u16::try_from(x).ok())
                .map(|x| buf[(x, y)].fg);
            (text, fg)
        })
        .collect();
    let screen = rows
        .iter()
        .map(|r| r.0.as_str())
        .collect::<Vec<_>>()
        .join("\n");
    let heading = screen.contains("Incidents without an eval");
    if let Some(row) = rows.into_iter().find(|r| r.0.contains("INC-2017")) {
        assert!(heading, "{screen}");
        row
    } else {
        assert!(!heading, "{screen}");
        (screen, None)
    }
}

#[test]
fn the_overview_follows_the_check_levels() {
    use ratatui::style::Color;
    let (_, fg) = incident_row("");
    assert_eq!(fg, Some(Color::Yellow), "a warning by default");
    let (_, fg) = incident_row("incident_coverage = \"error\"");
    assert_eq!(fg, Some(Color::Red));
    let (screen, fg) = incident_row("incident_coverage = \"off\"");
    assert_eq!(fg, None, "{screen}");
    assert!(screen.contains("Active runbooks not ready"), "{screen}");
    let (screen, _) = incident_row("launch_readiness = \"off\"");
    assert!(!screen.contains("Active runbooks not ready"), "{screen}");
}
