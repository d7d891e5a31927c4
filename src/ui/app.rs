//! `update(&mut AppState, Msg) -> Vec<Effect>`: every state change of the
//! UI, with no I/O. Keys in browsing mode go through the keymap to an
//! [`Action`]; dialogs and the filter field take keys themselves
//! (`dialogs.rs`).

use crate::ui::action::Action;
use crate::ui::items::{SearchIndex, View};
use crate::ui::keymap::Key;
use crate::ui::lists::{apply_files, move_by, place, reindex, scroll};
pub use crate::ui::lists::{refilter, refresh_detail, switch};
use crate::ui::msg::{Effect, Msg};
use crate::ui::selection::{memo_status, open_links, selected_path, triage};
use crate::ui::state::changes::Reparsed;
use crate::ui::state::dialog::{Dialog, PromptKind};
use crate::ui::state::{AppState, Focus, StatusKind};
use crate::ui::{dialogs, layout, setdiffs};
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyEventKind, KeyModifiers};
use std::sync::Arc;

/// Lists up to this size are filtered inline; longer ones on a worker, so a
/// keystroke never waits for matching.
pub const SYNC_LIMIT: usize = 5_000;

pub fn update(s: &mut AppState, msg: Msg) -> Vec<Effect> {
    let mut fx = Vec::new();
    match msg {
        Msg::Key(k) if k.kind != KeyEventKind::Release => key(s, k, &mut fx),
        Msg::Key(_) => {}
        Msg::Paste(text) => paste(s, &text, &mut fx),
        Msg::Resize(w, h) => resize(s, w, h),
        Msg::Loaded(Ok(ws)) => loaded(s, *ws, None, false, &mut fx),
        Msg::LoadedIndexed(l) => {
            let l = *l;
            let built = Some((l.indexes, l.palette, l.stats));
            loaded(s, l.ws, built, l.provisional, &mut fx);
        }
        Msg::Indexes(indexes) => {
            for (v, idx) in indexes {
                s.lists[v.index()].index = idx;
                refilter(s, v, &mut fx);
            }
            refresh_detail(s, false);
        }
        Msg::Loaded(Err(e)) => {
            s.loading = false;
            s.status = Some((StatusKind::Error, e));
        }
        Msg::Changes {
            pending,
            history,
            hand_edits,
            message,
        } => {
            s.commit_message = message;
            crate::ui::lists::anchor(s, &[View::Changes]);
            s.pending = pending;
            s.history = history;
            s.hand_edits = hand_edits;
            reindex(s, View::Changes, &mut fx);
            refresh_detail(s, true);
        }
        Msg::Matched {
            view,
            generation,
            visible,
            partial,
        } => matched(s, view, generation, visible, partial),
        Msg::PaletteMatched {
            generation,
            visible,
        } => {
            if generation == s.palette_generation {
                dialogs::palette_results(s, &visible);
            }
        }
        Msg::Applied(r) | Msg::Undone(r) => {
            s.busy = s.busy.saturating_sub(1);
            match r {
                Ok((actions, files)) => {
                    // A memo just drafted opens in the editor.
                    if let Some(f) = files.iter().find(|f| f.path.starts_with("memos/"))
                        && actions.iter().any(|a| a.starts_with("memo new "))
                    {
                        fx.push(Effect::Edit {
                            path: f.path.clone(),
                        });
                    }
                    apply_files(s, files, &mut fx);
                    s.status = Some((
                        StatusKind::Info,
                        if actions.is_empty() {
                            "nothing changed".into()
                        } else {
                            actions.join("; ")
                        },
                    ));
                }
                Err(e) => s.status = Some((StatusKind::Error, e)),
            }
            fx.push(Effect::RefreshChanges);
        }
        Msg::Committed(r) => committed(s, r, &mut fx),
        Msg::Edited(r) => edited(s, r, &mut fx),
        Msg::Diff(lines) => s.diff = lines,
        Msg::SetDiff {
            set,
            generation,
            result,
        } => setdiffs::received(s, &set, generation, result),
        Msg::Body(path, r) => body(s, path, r),
        Msg::Focus => fx.push(Effect::CheckOutside),
        Msg::Notice(text) => s.status = Some((StatusKind::Info, text)),
    }
    setdiffs::request(s, &mut fx);
    fx
}

fn committed(s: &mut AppState, r: Result<String, String>, fx: &mut Vec<Effect>) {
    s.busy = s.busy.saturating_sub(1);
    if r.is_ok() {
        // HEAD moved: what changed in a set since the last review did too.
        setdiffs::invalidate(s);
    }
    s.status = Some(match r {
        Ok(summary) => (StatusKind::Info, format!("committed: {summary}")),
        Err(e) => (StatusKind::Error, e),
    });
    fx.push(Effect::RefreshChanges);
}

/// Takes a loaded workspace, with its indexes when a worker built them.
/// The matcher's answer for a view (dropped when a newer query is out).
fn matched(s: &mut AppState, view: View, generation: u64, visible: Vec<u32>, partial: bool) {
    let l = &mut s.lists[view.index()];
    if l.generation != generation {
        return;
    }
    let keep = l.current();
    // A new query's cursor goes to the best match of the whole ranking, not
    // of its first chunk.
    let fresh = l.reset;
    l.visible = visible;
    l.matching = partial;
    place(s, view, keep);
    s.lists[view.index()].reset = fresh && partial;
    refresh_detail(s, false);
}

fn resize(s: &mut AppState, w: u16, h: u16) {
    s.width = w;
    s.height = h;
    for v in View::ALL {
        let keep = s.lists[v.index()].current();
        place(s, v, keep);
    }
    refresh_detail(s, false);
}

/// After a load: a provisional workspace keeps the files edited while it is
/// shown; the full load that replaces it may have read them before the
/// edit, so they are applied again on top of it.
fn settle_provisional(s: &mut AppState, provisional: bool, fx: &mut Vec<Effect>) {
    let kept = std::mem::replace(&mut s.provisional, provisional.then(Vec::new));
    if let Some(files) = kept.filter(|f| !f.is_empty()) {
        apply_files(s, files, fx);
    }
}

/// The selected case's body arrived (or could not be read).
fn body(
    s: &mut AppState,
    path: String,
    r: Result<std::sync::Arc<crate::model::FailureCase>, String>,
) {
    s.body = Some((path, r));
    refresh_detail(s, true);
}

fn loaded(
    s: &mut AppState,
    ws: crate::model::Workspace,
    mut built: Option<Prebuilt>,
    provisional: bool,
    fx: &mut Vec<Effect>,
) {
    crate::ui::lists::anchor(s, &[View::Inbox, View::Sets, View::Runbooks, View::Memos]);
    // A reload may follow another writer: the body is read again.
    s.body = None;
    s.workspace_name = ws.config.workspace.name.clone();
    let errors = ws
        .diagnostics
        .iter()
        .filter(|d| d.level == crate::model::Level::Error)
        .count();
    s.stats = match &mut built {
        Some((_, _, stats)) => std::mem::take(stats),
        None => crate::ui::stats::compute(&ws, s.now),
    };
    s.ws = Some(ws);
    s.loading = false;
    // A reload follows a change somewhere: HEAD may have moved.
    setdiffs::invalidate(s);
    if let Some((indexes, palette, _)) = built {
        for (v, idx) in indexes {
            let l = &mut s.lists[v.index()];
            if Arc::ptr_eq(&l.index, &idx) {
                // The verified load kept the first look's index: the
                // matches shown stand, and a ranking on its way still
                // answers the current generation.
                l.anchor = None;
                continue;
            }
            l.index = idx;
            refilter(s, v, fx);
        }
        if let Some((pidx, ptargets)) = palette {
            s.palette_index = pidx;
            s.palette_targets = ptargets;
        }
    } else {
        for v in [View::Inbox, View::Sets, View::Runbooks, View::Memos] {
            reindex(s, v, fx);
        }
        dialogs::build_palette(s);
    }
    if errors > 0 {
        s.status = Some((
            StatusKind::Error,
            format!("{errors} problem(s) in the workspace; some files were skipped (docket check)"),
        ));
    }
    refresh_detail(s, true);
    settle_provisional(s, provisional, fx);
}

/// Indexes built off the UI thread: per view, and the palette's.
type Prebuilt = (
    Vec<(View, Arc<SearchIndex>)>,
    Option<(
        Arc<SearchIndex>,
        Arc<Vec<crate::ui::state::dialog::PaletteHit>>,
    )>,
    crate::ui::stats::CaseStats,
);

fn edited(s: &mut AppState, r: Result<Reparsed, String>, fx: &mut Vec<Effect>) {
    match r {
        Ok(file) => {
            let problems: Vec<String> = file.diagnostics.iter().map(ToString::to_string).collect();
            let path = file.path.clone();
            apply_files(s, vec![file], fx);
            if problems.is_empty() {
                s.status = Some((StatusKind::Info, format!("{path}: valid")));
            } else {
                s.dialog = Some(Dialog::Diagnostics {
                    title: format!("{path} has problems"),
                    lines: problems,
                });
            }
        }
        Err(e) => s.status = Some((StatusKind::Error, e)),
    }
    fx.push(Effect::RefreshChanges);
}

/// Pasted text goes into the field being typed, newlines as spaces; with
/// no field open it is ignored, so a paste can never run commands.
fn paste(s: &mut AppState, text: &str, fx: &mut Vec<Effect>) {
    let clean: String = text
        .chars()
        .map(|c| {
            if c == '\n' || c == '\r' || c == '\t' {
                ' '
            } else {
                c
            }
        })
        .filter(|c| !c.is_control())
        .collect();
    match &mut s.dialog {
        Some(Dialog::Prompt { text, .. }) => text.push_str(&clean),
        Some(Dialog::Commit { message, .. }) => message.push_str(&clean),
        Some(Dialog::Palette { query, .. }) => {
            query.push_str(&clean);
            dialogs::palette_search(s, fx);
        }
        None if s.filter_editing => {
            s.list_mut().query.push_str(&clean);
            s.list_mut().reset = true;
            refilter(s, s.view, fx);
        }
        Some(_) | None => {}
    }
}

fn key(s: &mut AppState, k: KeyEvent, fx: &mut Vec<Effect>) {
    if k.code == KeyCode::Char('c') && k.modifiers.contains(KeyModifiers::CONTROL) {
        return act(s, Action::Quit, fx);
    }
    if layout::too_small(s.width, s.height) {
        // Only quitting works on the "too small" screen, the confirmation
        // included (it is shown there too).
        if matches!(s.dialog, Some(Dialog::ConfirmQuit)) {
            dialogs::key(s, k, fx);
        } else if matches!(
            Key::from_event(&k).and_then(|key| s.keymap.action(&key)),
            Some(Action::Quit)
        ) {
            s.dialog = None;
            act(s, Action::Quit, fx);
        }
        return;
    }
    if s.dialog.is_some() {
        return dialogs::key(s, k, fx);
    }
    if s.filter_editing {
        return filter_key(s, k, fx);
    }
    if let Some(a) = Key::from_event(&k).and_then(|key| s.keymap.action(&key)) {
        act(s, a, fx);
    }
}

fn filter_key(s: &mut AppState, k: KeyEvent, fx: &mut Vec<Effect>) {
    match k.code {
        KeyCode::Esc => {
            s.filter_editing = false;
            s.list_mut().query.clear();
            refilter(s, s.view, fx);
        }
        KeyCode::Enter => s.filter_editing = false,
        KeyCode::Backspace => {
            s.list_mut().query.pop();
            s.list_mut().reset = true;
            refilter(s, s.view, fx);
        }
        KeyCode::Down => move_by(s, 1),
        KeyCode::Up => move_by(s, -1),
        KeyCode::Char(c) if !k.modifiers.contains(KeyModifiers::CONTROL) && !c.is_control() => {
            s.list_mut().query.push(c);
            s.list_mut().reset = true;
            refilter(s, s.view, fx);
        }
        _ => {}
    }
}

/// Runs one browsing-mode action.
pub fn act(s: &mut AppState, a: Action, fx: &mut Vec<Effect>) {
    match a {
        Action::Down
        | Action::Up
        | Action::PageDown
        | Action::PageUp
        | Action::Top
        | Action::Bottom => movement(s, a),
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
        Action::NextView => switch(s, View::TABS[(s.view.number() + 1) % 6]),
        Action::PrevView => switch(s, View::TABS[(s.view.number() + 5) % 6]),
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
            dialogs::palette_search(s, fx);
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
        Action::Tag | Action::Promote | Action::Dismiss | Action::Note => triage(s, a),
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

/// Cursor movement in the list, or scrolling when the text has the focus.
fn movement(s: &mut AppState, a: Action) {
    let page = if s.focus == Focus::Detail {
        usize::from(
            layout::panes(s.width, s.height)
                .detail
                .height
                .saturating_sub(1),
        )
    } else {
        layout::list_rows(s.width, s.height)
    };
    let page = isize::try_from(page).unwrap_or(1);
    let step: isize = match a {
        Action::Down => 1,
        Action::Up => -1,
        Action::PageDown => page,
        Action::PageUp => -page,
        Action::Top => isize::MIN / 2,
        _ => isize::MAX / 2,
    };
    if s.focus == Focus::Detail {
        scroll(s, step);
    } else {
        move_by(s, step);
    }
}

pub fn open_commit(s: &mut AppState, fx: &mut Vec<Effect>) {
    if s.pending.is_empty() && s.hand_edits.is_empty() {
        s.status = Some((StatusKind::Info, "nothing to commit".into()));
        return;
    }
    let message = s.commit_message.clone();
    s.dialog = Some(Dialog::Commit {
        message,
        include_hand_edits: s.pending.is_empty(),
        scroll: 0,
    });
    s.diff.clear();
    fx.push(Effect::LoadDiff);
}
