#![allow(clippy::unwrap_used, clippy::expect_used)]
//! Meeting mode's keys, through `update` on the example workspace (the
//! store's worker is the pty test's, `tests/ui_meeting.rs`): the attendee
//! picker, the agenda as the Inbox, a tag's key, a decision moving the
//! meeting on, a skip, leaving and finishing — each as the effects the
//! runtime would run.

mod common;

use docket::ops::Action as Done;
use docket::ops::meeting::Meeting;
use docket::ui::items::View;
use docket::ui::msg::{Effect, Msg, OpRequest};
use docket::ui::state::AppState;
use docket::ui::state::dialog::{Dialog, PickerKind};
use docket::ui::update::update;
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

fn key(s: &mut AppState, code: KeyCode) -> Vec<Effect> {
    let m = match code {
        KeyCode::Char(c) if c.is_ascii_uppercase() => KeyModifiers::SHIFT,
        _ => KeyModifiers::NONE,
    };
    update(s, Msg::Key(KeyEvent::new(code, m)))
}

fn ch(s: &mut AppState, c: char) -> Vec<Effect> {
    key(s, KeyCode::Char(c))
}

/// `R`, the first reviewer marked, Enter: the meeting the UI asks the
/// store to start, then the store's answer.
fn started(s: &mut AppState) -> Meeting {
    assert!(ch(s, 'R').is_empty());
    assert!(matches!(
        &s.dialog,
        Some(Dialog::Picker {
            kind: PickerKind::Attendees,
            ..
        })
    ));
    ch(s, ' ');
    let fx = key(s, KeyCode::Enter);
    let ws = s.ws.as_ref().unwrap();
    let first = ws.config.reviewers[0].email.clone();
    assert_eq!(fx, vec![Effect::StartMeeting(vec![first.clone()])]);
    // What the store would answer (its agenda is the ops' own).
    let m = docket::ops::meeting::new_meeting(
        ws,
        vec![first],
        &docket::model::time::datetime_from_unix(s.now),
        docket::ops::meeting::Start::default(),
    );
    assert!(!m.agenda.is_empty());
    update(
        s,
        Msg::Meeting {
            result: Ok(Some(m.clone())),
            show: true,
        },
    );
    m
}

fn current(s: &AppState) -> String {
    s.selected_case().unwrap().id.to_owned()
}

fn saved(fx: &[Effect]) -> Meeting {
    fx.iter()
        .find_map(|e| match e {
            Effect::MeetingStep(m, _) => Some(m.clone()),
            _ => None,
        })
        .unwrap_or_else(|| panic!("no save in {fx:?}"))
}

#[test]
fn the_inbox_becomes_the_agenda_and_decisions_move_the_meeting_on() {
    let mut s = common::loaded_app(100, 30);
    let m = started(&mut s);
    assert!(s.in_meeting());
    assert_eq!(s.view, View::Inbox);
    // The list is the agenda, in its order, the cursor on its first case.
    let ws = s.ws.as_ref().unwrap();
    let shown: Vec<String> = s.lists[View::Inbox.index()]
        .visible
        .iter()
        .map(|&i| ws.cases.get(i as usize).unwrap().id.to_owned())
        .collect();
    assert_eq!(shown, m.agenda);
    assert_eq!(current(&s), m.agenda[0]);
    let screen = common::screen_of(&s);
    assert!(
        screen.contains(&format!("Review {}", m.day))
            && screen.contains(&format!("1 of {}", m.agenda.len())),
        "{screen}"
    );

    // A tag's key that no command has tags the case under review.
    let ws = s.ws.as_ref().unwrap();
    let case = ws.case(&m.agenda[0]).unwrap();
    let tag = ws
        .config
        .tags
        .iter()
        .find(|t| {
            let k = t.key.as_deref().and_then(|k| k.chars().next());
            k.is_some_and(|k| !"jkgGJKotpxnDeucsNqR?/0123456789".contains(k))
        })
        .expect("an unbound tag key in the example")
        .clone();
    let has = case.tags.contains(&tag.name);
    let fx = ch(&mut s, tag.key.as_deref().unwrap().chars().next().unwrap());
    let want = if has {
        (Vec::new(), vec![tag.name.clone()])
    } else {
        (vec![tag.name.clone()], Vec::new())
    };
    assert_eq!(
        fx,
        vec![Effect::Apply(OpRequest::Tag {
            case: m.agenda[0].clone(),
            add: want.0,
            remove: want.1,
        })]
    );
    // A bound key keeps its command: x opens the dismissal prompt.
    ch(&mut s, 'x');
    assert!(matches!(s.dialog, Some(Dialog::Prompt { .. })));
    key(&mut s, KeyCode::Esc);

    // The dismissal written: the meeting moves to the next case, saved.
    let fx = update(
        &mut s,
        Msg::Applied(Ok((
            vec![Done::Dismiss {
                case: m.agenda[0].clone(),
            }],
            Vec::new(),
        ))),
    );
    assert_eq!(saved(&fx).position, 1);
    assert_eq!(current(&s), m.agenda[1]);

    // s skips the case to the next meeting.
    let fx = ch(&mut s, 's');
    let after = saved(&fx);
    assert_eq!(after.skipped, vec![m.agenda[1].clone()]);
    assert_eq!(after.position, 2);
    assert_eq!(current(&s), m.agenda[2]);

    // Moving the cursor moves the case under review (kept here; a
    // decision or a skip saves it).
    assert!(ch(&mut s, 'k').is_empty());
    assert_eq!(s.meeting.as_ref().unwrap().meeting.position, 1);

    // F asks once more, then finishes through the store; any other key
    // in between takes the first back.
    assert!(ch(&mut s, 'F').is_empty());
    assert!(common::screen_of(&s).contains("F again finishes"));
    ch(&mut s, 'j');
    assert!(ch(&mut s, 'F').is_empty());
    assert_eq!(ch(&mut s, 'F'), vec![Effect::FinishMeeting]);
    let fx = update(
        &mut s,
        Msg::MeetingFinished(Ok(docket::store::Finished {
            commit: "0123456789abcdef".into(),
            summary: "docket: review".into(),
            minutes: "memos/0013-eval-review.md".into(),
            tag: format!("review/{}", m.day),
            warning: None,
        })),
    );
    assert!(fx.contains(&Effect::Load));
    assert!(s.meeting.is_none() && !s.in_meeting());
    assert!(common::screen_of(&s).contains(&format!("tagged review/{}", m.day)));
}

#[test]
fn leaving_keeps_the_meeting_open_and_r_resumes_it_where_it_was() {
    let mut s = common::loaded_app(100, 30);
    let m = started(&mut s);
    ch(&mut s, 'j');
    ch(&mut s, 'j');
    assert_eq!(current(&s), m.agenda[2]);
    assert!(ch(&mut s, 'R').is_empty());
    assert!(!s.in_meeting() && s.meeting.is_some());
    // The plain Inbox again: every case, its own order.
    let all = s.ws.as_ref().unwrap().cases.len();
    assert_eq!(s.lists[View::Inbox.index()].visible.len(), all);
    ch(&mut s, '2');
    assert!(ch(&mut s, 'R').is_empty());
    assert!(s.in_meeting());
    assert_eq!(s.view, View::Inbox);
    assert_eq!(current(&s), m.agenda[2]);
}

#[test]
fn a_window_opened_on_an_open_meeting_says_so_and_resumes_it_on_r() {
    let mut s = common::loaded_app(100, 30);
    let ws = s.ws.as_ref().unwrap();
    let mut m = docket::ops::meeting::new_meeting(
        ws,
        Vec::new(),
        &docket::model::time::datetime_from_unix(s.now),
        docket::ops::meeting::Start::default(),
    );
    m.position = 1;
    update(
        &mut s,
        Msg::Meeting {
            result: Ok(Some(m.clone())),
            show: false,
        },
    );
    assert!(!s.in_meeting());
    assert!(common::screen_of(&s).contains("R resumes it"));
    assert!(ch(&mut s, 'R').is_empty(), "no picker: the meeting is open");
    assert!(s.in_meeting());
    assert_eq!(current(&s), m.agenda[1]);
}
