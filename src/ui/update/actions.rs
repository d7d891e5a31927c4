//! Browsing-mode actions (what the keymap maps a key to): movement, views,
//! the filter, sorting, and the actions that open dialogs or change data.

use super::commit::open_commit;
use super::filter::refilter;
use super::meeting::{follow_cursor, open as open_meeting};
use super::navigation::{movement, scroll, switch};
use super::palette::palette_search;
use super::team::{open_history, sync};
use super::triage::{memo_status, open_links, selected_path, triage};
use crate::ui::action::{Action, Scope};
use crate::ui::items::View;
use crate::ui::msg::Effect;
use crate::ui::state::dialog::{Dialog, PromptKind};
use crate::ui::state::{AppState, Focus, StatusKind};

/// Runs one browsing-mode action.
pub(super) fn act(s: &mut AppState, a: Action, fx: &mut Vec<Effect>) {
    match a {
        Action::Down
        | Action::Up
        | Action::PageDown
        | Action::PageUp
        | Action::Top
        | Action::Bottom => {
            movement(s, a);
            follow_cursor(s, fx);
        }
        Action::ScrollDown => scroll(s, 3),
        Action::ScrollUp => scroll(s, -3),
        Action::Open => {
            if s.focus == Focus::Detail {
                open_links(s);
            } else if s.list().current().is_some() {
                s.focus = Focus::Detail;
            }
        }
        Action::Back => {
            if s.focus == Focus::Detail {
                s.focus = Focus::List;
            } else if !s.list().query.is_empty() {
                s.list_mut().query.clear();
                refilter(s, s.view, fx);
            }
        }
        Action::ViewInbox => switch(s, View::Inbox),
        Action::ViewSets => switch(s, View::Sets),
        Action::ViewRunbooks => switch(s, View::Runbooks),
        Action::ViewMemos => switch(s, View::Memos),
        Action::ViewChanges => switch(s, View::Changes),
        Action::NextView => switch(s, s.view.next(false)),
        Action::PrevView => switch(s, s.view.next(true)),
        Action::ViewOverview => switch(s, View::Overview),
        Action::Filter if s.view == View::Overview => {
            switch(s, View::Inbox);
            s.filter_editing = true;
        }
        Action::Filter => {
            s.focus = Focus::List;
            s.filter_editing = true;
        }
        Action::Palette => {
            s.dialog = Some(Dialog::Palette {
                query: String::new(),
                hits: Vec::new(),
                selected: 0,
            });
            palette_search(s, fx);
        }
        Action::Sort => {
            if s.view == View::Inbox {
                s.sort = s.sort.next();
                s.status = Some((StatusKind::Info, format!("sorted by {}", s.sort.label())));
                refilter(s, View::Inbox, fx);
            }
        }
        _ => act_more(s, a, fx),
    }
}

/// The actions that change data or open dialogs.
fn act_more(s: &mut AppState, a: Action, fx: &mut Vec<Effect>) {
    match a {
        // Every command on the selected case is triage's: a new one is
        // routed there by its registry scope.
        a if a.scope() == Scope::Case => triage(s, a),
        Action::NewMemo if s.view == View::Memos => {
            s.dialog = Some(Dialog::Prompt {
                kind: PromptKind::NewMemo,
                text: String::new(),
            });
        }
        Action::MemoStatus if s.view == View::Memos => memo_status(s),
        Action::NewMemo | Action::MemoStatus => {
            s.status = Some((
                StatusKind::Info,
                format!("{} works in the Memos view (4)", a.describe()),
            ));
        }
        Action::Edit => {
            if let Some(path) = selected_path(s) {
                fx.push(Effect::Edit { path });
            }
        }
        Action::Undo => {
            if s.pending.is_empty() {
                s.status = Some((StatusKind::Info, "nothing to undo".into()));
            } else {
                s.busy += 1;
                fx.push(Effect::Undo);
            }
        }
        Action::Commit => open_commit(s, fx),
        Action::Reload => {
            s.loading = true;
            fx.push(Effect::Load);
            fx.push(Effect::RefreshChanges);
        }
        Action::Help => s.dialog = Some(Dialog::Help { scroll: 0 }),
        Action::Meeting => open_meeting(s, fx),
        Action::History => open_history(s, fx),
        Action::Sync => sync(s, fx),
        Action::Quit => {
            if s.pending.is_empty() && s.hand_edits.is_empty() {
                s.quit = true;
            } else {
                s.dialog = Some(Dialog::ConfirmQuit);
            }
        }
        _ => {}
    }
}
