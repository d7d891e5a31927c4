//! Meeting mode (`R`): the Inbox becomes the review meeting's agenda, in
//! its order, with a progress line and the elapsed time. A tag's own key
//! tags the case under review at once; `p`, `x`, `D` and `t` work as
//! anywhere in the Inbox, and a promote or dismiss (or a verdict under
//! double review) of the case under review moves the meeting on; `s` skips
//! the case to the next meeting; `F` finishes (minutes, commit, tag); `R`
//! leaves meeting mode with the meeting still open. Every step is saved by
//! the store, so a dropped connection resumes where it stopped.

use super::filter::refilter;
use super::navigation::switch;
use crate::model::case::Status;
use crate::ops::Action as Done;
use crate::ops::meeting::Step;
use crate::ui::action::{Action, Scope};
use crate::ui::items::View;
use crate::ui::keymap::Key;
use crate::ui::msg::{Effect, OpRequest};
use crate::ui::state::dialog::{Dialog, PickItem, PickerKind};
use crate::ui::state::error::UiError;
use crate::ui::state::meeting::MeetingState;
use crate::ui::state::{AppState, Focus, StatusKind};
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

/// `R`: resume the meeting in progress, or pick the attendees of a new one
/// (started at once when docket.toml lists no reviewers).
pub(super) fn open(s: &mut AppState, fx: &mut Vec<Effect>) {
    if let Some(m) = &mut s.meeting {
        m.active = true;
        return show(s, fx);
    }
    let Some(ws) = &s.ws else { return };
    let items: Vec<PickItem> = ws
        .config
        .reviewers
        .iter()
        .map(|r| PickItem {
            id: r.email.clone(),
            detail: r.name.clone(),
            key: None,
            checked: false,
        })
        .collect();
    if items.is_empty() {
        start(s, Vec::new(), fx);
    } else {
        s.dialog = Some(Dialog::picker(PickerKind::Attendees, items));
    }
}

/// Starts a meeting with `attendees` (emails); the store builds its
/// agenda, or keeps the one already in progress.
pub(super) fn start(_s: &mut AppState, attendees: Vec<String>, fx: &mut Vec<Effect>) {
    fx.push(Effect::StartMeeting(attendees));
}

/// Shows the meeting: the Inbox as its agenda, the cursor on the case
/// under review.
fn show(s: &mut AppState, fx: &mut Vec<Effect>) {
    switch(s, View::Inbox);
    s.list_mut().query.clear();
    refilter(s, View::Inbox, fx);
    select_current(s);
}

/// Puts the cursor on the case under review.
fn select_current(s: &mut AppState) {
    let (Some(m), Some(ws)) = (&s.meeting, &s.ws) else {
        return;
    };
    let Some(i) = m.current().and_then(|id| ws.cases.position(id)) else {
        return;
    };
    let l = &mut s.lists[View::Inbox.index()];
    if let Some(row) = l.visible.iter().position(|&v| v as usize == i) {
        l.selected = row;
        let rows = crate::ui::layout::list_rows(s.width, s.height);
        l.offset = row.saturating_sub(rows / 2);
    }
    super::detail::refresh_detail(s, false);
}

/// A key in meeting mode: the meeting's own commands, then a tag's key.
/// `false` leaves the key to the keymap.
pub(super) fn key(s: &mut AppState, k: &KeyEvent, fx: &mut Vec<Effect>) -> bool {
    if !s.in_meeting() {
        return false;
    }
    let action = s.keymap.dialog_action(Scope::Meeting, k);
    // `F` asks once more: it commits everything pending and tags.
    let armed = s.meeting.as_mut().is_some_and(|m| {
        std::mem::take(&mut m.finish_armed) && action == Some(Action::MeetingFinish)
    });
    match action {
        // The agenda keeps its order (severity, then age) and every case.
        _ if matches!(
            Key::from_event(k).and_then(|key| s.keymap.action(&key)),
            Some(Action::Sort | Action::Filter)
        ) =>
        {
            s.status = Some((
                StatusKind::Info,
                "the agenda keeps its order and its cases: R leaves meeting mode to sort or filter"
                    .into(),
            ));
        }
        Some(Action::MeetingSkip) => skip(s, fx),
        Some(Action::MeetingFinish) if armed => {
            s.busy += 1;
            s.status = Some((StatusKind::Info, "finishing the meeting…".into()));
            fx.push(Effect::FinishMeeting);
        }
        Some(Action::MeetingFinish) => {
            if let Some(m) = &mut s.meeting {
                m.finish_armed = true;
            }
            s.status = Some((
                StatusKind::Info,
                "F again finishes: the minutes, one commit of everything pending, the review tag"
                    .into(),
            ));
        }
        Some(Action::MeetingLeave) => leave(s, fx),
        _ => return tag_key(s, k, fx),
    }
    true
}

/// A tag's own key (from docket.toml) toggles that tag on the case under
/// review: one keystroke per verdict. A key the keymap binds keeps its
/// command (`x` dismisses even if a tag's key is `x`; that tag is one `t`
/// away), so meeting mode never takes away undo, quit or a verdict.
fn tag_key(s: &mut AppState, k: &KeyEvent, fx: &mut Vec<Effect>) -> bool {
    let KeyCode::Char(c) = k.code else {
        return false;
    };
    if !(k.modifiers - KeyModifiers::SHIFT).is_empty()
        || Key::from_event(k).is_some_and(|key| s.keymap.action(&key).is_some())
    {
        return false;
    }
    let (Some(ws), Some(case)) = (&s.ws, s.selected_case()) else {
        return false;
    };
    let Some(tag) = ws
        .config
        .tags
        .iter()
        .find(|t| t.key.as_ref().and_then(|k| k.chars().next()) == Some(c))
    else {
        return false;
    };
    let has = case.tags.contains(&tag.name);
    let (add, remove) = if has {
        (Vec::new(), vec![tag.name.clone()])
    } else {
        (vec![tag.name.clone()], Vec::new())
    };
    let op = OpRequest::Tag {
        case: case.id.to_owned(),
        add,
        remove,
    };
    s.busy += 1;
    fx.push(Effect::Apply(op));
    true
}

/// `s`: the case under review waits for the next meeting.
fn skip(s: &mut AppState, fx: &mut Vec<Effect>) {
    let Some(case) = s.selected_case() else {
        return;
    };
    let id = case.id.to_owned();
    if !matches!(case.status, Status::New | Status::Triaged) {
        s.status = Some((
            StatusKind::Info,
            format!("{id} is already {}: nothing to skip", case.status),
        ));
        return;
    }
    let Some(i) = s
        .meeting
        .as_ref()
        .and_then(|m| m.meeting.agenda.iter().position(|c| *c == id))
    else {
        return;
    };
    let next = next_open(s, i);
    step(
        s,
        Step::Skip {
            case: id.clone(),
            next,
        },
        fx,
    );
    s.status = Some((
        StatusKind::Info,
        format!("{id} skipped to the next meeting"),
    ));
}

/// The first agenda case after index `i` that is still there and still
/// undecided (another terminal may have decided some); the last index when
/// none is.
fn next_open(s: &AppState, i: usize) -> usize {
    let (Some(m), Some(ws)) = (&s.meeting, &s.ws) else {
        return i;
    };
    let agenda = &m.meeting.agenda;
    agenda
        .iter()
        .enumerate()
        .skip(i + 1)
        .find(|(_, id)| {
            ws.case(id)
                .is_some_and(|c| matches!(c.status, Status::New | Status::Triaged))
        })
        .map_or(agenda.len().saturating_sub(1), |(j, _)| j)
}

/// Applies `step` here and asks the store to apply it to the meeting on
/// disk (its answer brings back the meeting as the store has it).
fn step(s: &mut AppState, step: Step, fx: &mut Vec<Effect>) {
    let Some(m) = &mut s.meeting else { return };
    m.meeting.apply(&step);
    fx.push(Effect::MeetingStep(m.meeting.clone(), step));
    select_current(s);
}

/// `R` in meeting mode: back to the plain Inbox; the meeting stays open.
fn leave(s: &mut AppState, fx: &mut Vec<Effect>) {
    if let Some(m) = &mut s.meeting {
        m.active = false;
    }
    refilter(s, View::Inbox, fx);
    s.status = Some((
        StatusKind::Info,
        "left meeting mode; the meeting stays open (R resumes it)".into(),
    ));
}

/// Moves the meeting past `id` to the next open case, saved.
fn advance_from(s: &mut AppState, id: &str, fx: &mut Vec<Effect>) {
    let Some(i) = s
        .meeting
        .as_ref()
        .and_then(|m| m.meeting.agenda.iter().position(|c| c == id))
    else {
        return;
    };
    let next = next_open(s, i);
    step(s, Step::At(next), fx);
}

/// The cursor moved in meeting mode: the case under it is the one under
/// review. Kept here only: a decision or a skip saves where the meeting
/// is (saving the whole agenda per keystroke would cost a 100k-case
/// agenda megabytes a key).
pub(super) fn follow_cursor(s: &mut AppState, _fx: &mut [Effect]) {
    if !s.in_meeting() {
        return;
    }
    let Some(id) = s.selected_case().map(|c| c.id.to_owned()) else {
        return;
    };
    let Some(m) = &mut s.meeting else { return };
    if let Some(i) = m.meeting.agenda.iter().position(|c| *c == id) {
        m.meeting.position = i;
    }
}

/// An operation was written: a decision on the case under review (a
/// promote, a dismiss, a verdict) moves the meeting to the next case.
pub(super) fn decided(s: &mut AppState, actions: &[Done], fx: &mut Vec<Effect>) {
    let Some(current) = s
        .meeting
        .as_ref()
        .filter(|m| m.active)
        .and_then(MeetingState::current)
        .map(str::to_owned)
    else {
        return;
    };
    let decides = actions.iter().any(|a| match a {
        Done::Promote { case, .. } | Done::Dismiss { case } | Done::Verdict { case, .. } => {
            *case == current
        }
        _ => false,
    });
    if decides {
        advance_from(s, &current, fx);
    }
}

/// The store's answer: the meeting in progress (or none), at launch,
/// after a start or a step, or after another writer changed things.
pub(super) fn received(
    s: &mut AppState,
    result: Result<Option<crate::ops::meeting::Meeting>, UiError>,
    show_it: bool,
    fx: &mut Vec<Effect>,
) {
    if show_it && s.ws.is_none() {
        s.meeting_wanted = true;
    }
    match result {
        // This window's meeting, as the store has it: another terminal's
        // skips and steps come in; the cursor stays where it is.
        Ok(Some(meeting)) if s.meeting.as_ref().is_some_and(|m| m.meeting.same(&meeting)) => {
            if let Some(m) = &mut s.meeting {
                let here = m.meeting.position;
                m.meeting = meeting;
                m.meeting.position = here;
                m.active |= show_it;
            }
            if show_it && !s.meeting_wanted {
                show(s, fx);
            }
        }
        Ok(Some(meeting)) => {
            let progress = meeting.progress(s.now);
            s.meeting = Some(MeetingState {
                meeting,
                active: show_it,
                finish_armed: false,
            });
            if show_it && !s.meeting_wanted {
                show(s, fx);
                s.focus = Focus::List;
            } else if !show_it {
                s.status = Some((
                    StatusKind::Info,
                    format!("a review meeting is open ({progress}): R resumes it"),
                ));
            }
        }
        Ok(None) => {
            if s.meeting.take().is_some_and(|m| m.active) {
                refilter(s, View::Inbox, fx);
                s.status = Some((
                    StatusKind::Info,
                    "the meeting was finished or closed in another window".into(),
                ));
            }
            // `docket review` with no meeting open: start one.
            if show_it && !s.meeting_wanted {
                open(s, fx);
            }
        }
        Err(e) => s.status = Some((StatusKind::Error, e.to_string())),
    }
}

/// The workspace is shown: meeting mode, if `docket review` asked for it
/// before the workspace was there.
pub(super) fn loaded(s: &mut AppState, fx: &mut Vec<Effect>) {
    if std::mem::take(&mut s.meeting_wanted) {
        open(s, fx);
    }
}

/// The meeting was finished (or could not be).
pub(super) fn finished(
    s: &mut AppState,
    r: Result<crate::store::Finished, UiError>,
    fx: &mut Vec<Effect>,
) {
    s.busy = s.busy.saturating_sub(1);
    match r {
        Ok(f) => {
            s.meeting = None;
            // The finish committed everything pending: nothing is, from
            // now (the refresh below confirms it), so `q` just quits.
            s.pending.clear();
            refilter(s, View::Inbox, fx);
            s.status = Some((
                StatusKind::Info,
                format!("tagged {} · minutes in {}", f.tag, f.minutes),
            ));
            fx.push(Effect::RefreshChanges);
            fx.push(Effect::Load);
        }
        Err(e) => s.status = Some((StatusKind::Error, e.to_string())),
    }
}
