#![allow(clippy::unwrap_used, clippy::expect_used)]
//! Pasted text goes into the open dialog's text field (a prompt, the
//! commit message, the palette's query), newlines as spaces; a dialog
//! without one ignores it, so a paste never runs a command.

mod common;

use docket::ui::msg::{Effect, Msg};
use docket::ui::state::AppState;
use docket::ui::state::dialog::Dialog;
use docket::ui::update::update;
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

fn loaded() -> AppState {
    common::loaded_app(80, 24)
}

fn key(s: &mut AppState, code: KeyCode, m: KeyModifiers) -> Vec<Effect> {
    update(s, Msg::Key(KeyEvent::new(code, m)))
}

#[test]
fn a_paste_goes_into_the_prompt_as_one_line() {
    let mut s = loaded();
    key(&mut s, KeyCode::Char('n'), KeyModifiers::NONE);
    let fx = update(&mut s, Msg::Paste("seen\r\nin run\t7".into()));
    assert!(fx.is_empty(), "{fx:?}");
    let Some(Dialog::Prompt { text, .. }) = &s.dialog else {
        panic!("n opens the note prompt: {:?}", s.dialog);
    };
    assert_eq!(text, "seen  in run 7");
}

#[test]
fn a_paste_searches_the_palette() {
    let mut s = loaded();
    let set = s.ws.as_ref().unwrap().sets[0].id.clone();
    key(&mut s, KeyCode::Char('p'), KeyModifiers::CONTROL);
    let fx = update(&mut s, Msg::Paste(set.clone()));
    assert!(fx.is_empty(), "a small palette matches inline: {fx:?}");
    let Some(Dialog::Palette { query, hits, .. }) = &s.dialog else {
        panic!("ctrl-p opens the palette: {:?}", s.dialog);
    };
    assert_eq!(query, &set);
    assert!(hits.iter().any(|h| h.id == set), "{hits:?}");
}

#[test]
fn a_dialog_without_a_text_field_ignores_a_paste() {
    let mut s = loaded();
    key(&mut s, KeyCode::Char('?'), KeyModifiers::NONE);
    let before = s.dialog.clone();
    assert!(matches!(before, Some(Dialog::Help { .. })));
    let fx = update(&mut s, Msg::Paste("q".into()));
    assert!(fx.is_empty(), "{fx:?}");
    assert_eq!(s.dialog, before, "a pasted q does not close help");
}

#[test]
fn a_pasted_case_id_is_checked_like_a_typed_one() {
    use docket::ui::state::dialog::PromptKind;
    let mut s = loaded();
    let other = s.ws.as_ref().unwrap().cases.get(1).unwrap().id.to_owned();
    key(&mut s, KeyCode::Char('D'), KeyModifiers::SHIFT);
    update(&mut s, Msg::Paste("no-such-case".into()));
    let Some(Dialog::Prompt {
        kind: PromptKind::Case { problem, .. },
        ..
    }) = &s.dialog
    else {
        panic!("D opens the duplicate prompt: {:?}", s.dialog);
    };
    assert_eq!(problem.as_deref(), Some("no case no-such-case"));
    for _ in 0.."no-such-case".len() {
        key(&mut s, KeyCode::Backspace, KeyModifiers::NONE);
    }
    update(&mut s, Msg::Paste(other));
    let Some(Dialog::Prompt {
        kind: PromptKind::Case { problem, .. },
        ..
    }) = &s.dialog
    else {
        panic!("the prompt stays open: {:?}", s.dialog);
    };
    assert_eq!(problem, &None);
    let fx = key(&mut s, KeyCode::Enter, KeyModifiers::NONE);
    assert!(
        matches!(&fx[..], [Effect::Apply(docket::ui::msg::OpRequest::Dismiss { reason, .. })] if reason.starts_with("duplicate of ")),
        "{fx:?}"
    );
}
