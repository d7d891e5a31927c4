//! Pure views: `render(&AppState, area, buf)` draws a whole frame from the
//! state and changes nothing. One file per screen part (`list`, `detail`,
//! `overview`) or popup (`dialog/`, one file per dialog, help included, over the frame in
//! `popup`). Views
//! read `state` and the leaf helpers (layout, wrap, items, action) only:
//! never `update`, `msg`, `detail` or `runtime`.

mod detail;
mod dialog;
mod list;
mod overview;
mod popup;

use crate::sanitize;
use crate::ui::action::{Action, Scope};
use crate::ui::items::View;
use crate::ui::layout;
use crate::ui::state::{AppState, StatusKind};
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Widget, Wrap};

pub fn render(s: &AppState, area: Rect, buf: &mut Buffer) {
    if layout::too_small(area.width, area.height) {
        let msg = if matches!(
            s.dialog,
            Some(crate::ui::state::dialog::Dialog::ConfirmQuit)
        ) {
            format!(
                "{} change(s) are not committed (they stay pending on disk). Quit? y / n",
                s.pending.len() + s.hand_edits.len()
            )
        } else {
            format!(
                "terminal too small: {}×{} (docket needs at least {}×{}); enlarge it, or press q to quit",
                area.width,
                area.height,
                layout::MIN_WIDTH,
                layout::MIN_HEIGHT
            )
        };
        Paragraph::new(msg)
            .wrap(Wrap { trim: true })
            .render(area, buf);
        return;
    }
    let p = layout::panes(area.width, area.height);
    if s.in_meeting() {
        meeting_bar(s, p.tabs, buf);
    } else {
        tabs(s, p.tabs, buf);
    }
    if s.view == View::Overview {
        let main = Rect::new(p.list.x, p.list.y, area.width, p.list.height);
        overview::render(s, main, buf);
    } else {
        list::render(s, p.list, buf);
        detail::render(s, p.detail, buf);
    }
    status(s, p.status, buf);
    keybar(s, p.keys, buf);
    if let Some(d) = &s.dialog {
        dialog::render(s, d, area, buf);
    }
}

/// Meeting mode's top line: the meeting, how far it got, the time it has
/// taken and who attends.
fn meeting_bar(s: &AppState, area: Rect, buf: &mut Buffer) {
    let Some(m) = &s.meeting else { return };
    let t = &s.theme;
    let names: Vec<String> = m
        .meeting
        .attendees
        .iter()
        .map(|a| {
            s.ws.as_ref()
                .and_then(|ws| ws.config.reviewers.iter().find(|r| r.email == *a))
                .map_or_else(|| a.clone(), |r| r.name.clone())
        })
        .collect();
    let spans = vec![
        Span::styled(format!(" Review {} ", m.meeting.day), t.tab_active),
        Span::styled(format!(" {} ", m.meeting.progress(s.now)), t.title),
        Span::styled(format!(" {}", sanitize::line(&names.join(", "))), t.dim),
    ];
    buf.set_line(area.x, area.y, &Line::from(spans), area.width);
}

fn tabs(s: &AppState, area: Rect, buf: &mut Buffer) {
    let t = &s.theme;
    let mut spans = vec![Span::styled(" docket ", t.title)];
    if !s.workspace_name.is_empty() && area.width >= 100 {
        spans.push(Span::styled(
            format!("{} ", sanitize::line(&s.workspace_name)),
            t.dim,
        ));
    }
    for v in View::TABS {
        let label = match v {
            // At 80 columns the overview tab is just its number.
            View::Overview if area.width < 100 => " 0 ".to_owned(),
            View::Overview => " 0 Overview ".to_owned(),
            View::Changes => format!(" {} {} {} ", v.number(), v.title(), s.pending.len()),
            _ => format!(
                " {} {} {} ",
                v.number(),
                v.title(),
                s.lists[v.index()].index.len()
            ),
        };
        if v == s.view {
            spans.push(Span::styled(label, t.tab_active));
        } else {
            spans.push(Span::raw(label));
        }
    }
    buf.set_line(area.x, area.y, &Line::from(spans), area.width);
}

fn status(s: &AppState, area: Rect, buf: &mut Buffer) {
    let t = &s.theme;
    let mut spans = Vec::new();
    let pending = s.pending.len();
    let style = if pending > 0 {
        t.warning.add_modifier(Modifier::BOLD)
    } else {
        t.dim
    };
    spans.push(Span::styled(format!(" {pending} pending "), style));
    if !s.hand_edits.is_empty() {
        spans.push(Span::styled(
            format!("· {} edited by hand ", s.hand_edits.len()),
            t.warning,
        ));
    }
    if s.busy > 0 || s.loading || s.list().matching {
        spans.push(Span::styled(" working… ", t.dim));
    }
    if s.view == View::Inbox && !s.in_meeting() {
        spans.push(Span::styled(format!(" sort: {} ", s.sort.label()), t.dim));
    }
    if let Some((kind, msg)) = &s.status {
        let st = if *kind == StatusKind::Error {
            t.error
        } else {
            Style::default()
        };
        spans.push(Span::styled(format!(" {}", sanitize::line(msg)), st));
    }
    buf.set_line(area.x, area.y, &Line::from(spans), area.width);
}

/// The bottom bar: generated from the registry and the keymap, so it shows
/// the real keys.
fn keybar(s: &AppState, area: Rect, buf: &mut Buffer) {
    let t = &s.theme;
    let mut spans = vec![Span::raw(" ")];
    // In meeting mode its own keys come first, then the case's.
    let meeting = s.in_meeting();
    let order = Action::ALL
        .iter()
        .filter(|a| meeting && a.scope() == Scope::Meeting)
        .chain(Action::ALL.iter().filter(|a| a.scope() != Scope::Meeting));
    for a in order {
        let Some(label) = a.label() else { continue };
        match a.scope() {
            Scope::Case if s.view != View::Inbox => continue,
            Scope::Memo if s.view != View::Memos => continue,
            Scope::Meeting if !meeting => continue,
            Scope::Global if meeting => continue,
            Scope::Global | Scope::Case | Scope::Memo | Scope::Meeting => {}
            Scope::Confirm | Scope::Picker | Scope::Prompt => continue,
        }
        let Some(k) = s.keymap.keys(*a).first().copied() else {
            continue;
        };
        if *a == Action::Palette && area.width < 100 {
            continue;
        }
        spans.push(Span::styled(k.to_string(), t.key));
        spans.push(Span::raw(format!(" {label}  ")));
    }
    buf.set_line(area.x, area.y, &Line::from(spans), area.width);
}
