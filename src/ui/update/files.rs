//! Files changed by an operation, an undo or the editor, applied to the
//! state: the workspace's items, the lists and palette rows they show in,
//! the overview's counts, and the status line.

use super::derived;
use super::detail::refresh_detail;
use super::filter::{refilter, reindex};
use super::navigation::anchor;
use super::palette::{build_palette, case_label};
use crate::ops::Action;
use crate::ui::items::{self, View, view_of};
use crate::ui::msg::{Done, Effect};
use crate::ui::state::changes::Reparsed;
use crate::ui::state::dialog::Dialog;
use crate::ui::state::error::UiError;
use crate::ui::state::{AppState, StatusKind};
use crate::ui::stats;
use std::sync::Arc;

/// Applies re-read files to the workspace, its lists, palette and counts.
pub(super) fn apply_files(s: &mut AppState, files: Vec<Reparsed>, fx: &mut Vec<Effect>) {
    if let Some(kept) = &mut s.provisional {
        kept.extend(files.iter().cloned());
    }
    let touched: Vec<View> = files.iter().filter_map(|f| view_of(&f.path)).collect();
    anchor(s, &touched);
    let Some(ws) = &mut s.ws else { return };
    let mut views = Vec::new();
    let mut cases = Vec::new();
    let before = ws.cases.len();
    for f in files {
        let Some(view) = view_of(&f.path) else {
            continue;
        };
        if let Some(crate::model::workspace::Parsed::Failure(c)) = &f.parsed {
            cases.push(c.id.clone());
        }
        // The selected case's body follows its file (re-read when unknown).
        if s.body.as_ref().is_some_and(|b| b.0 == f.path) {
            s.body = match &f.parsed {
                Some(crate::model::workspace::Parsed::Failure(c)) => {
                    Some((f.path.clone(), Ok(Arc::new(c.clone()))))
                }
                _ => None,
            };
        }
        ws.upsert(&f.path, f.parsed, f.diagnostics);
        if !views.contains(&view) {
            views.push(view);
        }
    }
    let same_cases = before == ws.cases.len();
    s.stats = stats::compute(ws, s.now);
    derived::judge(s);
    for v in views {
        if v == View::Inbox && same_cases {
            update_case_rows(s, &cases, fx);
        } else {
            reindex(s, v, fx);
            if v == View::Inbox {
                build_palette(s);
            }
        }
    }
    refresh_detail(s, true);
}

/// Updates the Inbox and palette rows of edited cases in place: an edit to
/// one case costs one row, not 100k.
fn update_case_rows(s: &mut AppState, ids: &[String], fx: &mut Vec<Effect>) {
    let Some(ws) = &s.ws else { return };
    let inbox = &mut s.lists[View::Inbox.index()];
    let base = s.palette_targets.len().saturating_sub(ws.cases.len());
    for id in ids {
        let Some(i) = ws.cases.position(id) else {
            continue;
        };
        let Some(c) = ws.cases.get(i) else { continue };
        let idx = Arc::make_mut(&mut inbox.index);
        if i < idx.hay.len() {
            idx.hay[i] = c.haystack().into();
            idx.facets[i] = items::case_facets(c, &mut items::Names::default());
        }
        let p = Arc::make_mut(&mut s.palette_index);
        if base + i < p.hay.len() {
            p.hay[base + i] = c.haystack().into();
            if let Some(t) = Arc::make_mut(&mut s.palette_targets).get_mut(base + i) {
                t.label = case_label(c);
            }
        }
    }
    refilter(s, View::Inbox, fx);
}

/// An operation was written: what it did and the files it changed. A memo
/// it drafted opens in the editor.
pub(super) fn applied(s: &mut AppState, r: Result<Done, UiError>, fx: &mut Vec<Effect>) {
    if let Ok((actions, files)) = &r
        && let Some(f) = files.iter().find(|f| f.path.starts_with("memos/"))
        && actions.iter().any(|a| matches!(a, Action::MemoNew { .. }))
    {
        fx.push(Effect::Edit {
            path: f.path.clone(),
        });
    }
    let decided = r.as_ref().map(|(a, _)| a.clone()).unwrap_or_default();
    finished(s, r.map(|(actions, files)| (said(&actions, ""), files)), fx);
    super::meeting::decided(s, &decided, fx);
}

/// The last operation was undone (or there was none to undo).
pub(super) fn undone(s: &mut AppState, r: Result<Option<Done>, UiError>, fx: &mut Vec<Effect>) {
    let r = r.map(|done| match done {
        Some((actions, files)) => (said(&actions, "undid "), files),
        None => ("nothing to undo".into(), Vec::new()),
    });
    finished(s, r, fx);
}

/// The status line's account of `actions`, each after `prefix`.
fn said(actions: &[Action], prefix: &str) -> String {
    if actions.is_empty() {
        return "nothing changed".into();
    }
    let each: Vec<String> = actions
        .iter()
        .map(|a| match a {
            Action::Verdict { .. } if prefix.is_empty() => {
                format!("{a}: waits for a second reviewer's verdict")
            }
            _ => format!("{prefix}{a}"),
        })
        .collect();
    each.join("; ")
}

/// Applies a finished operation's files and shows what it did (or why it
/// failed).
fn finished(s: &mut AppState, r: Result<(String, Vec<Reparsed>), UiError>, fx: &mut Vec<Effect>) {
    s.busy = s.busy.saturating_sub(1);
    match r {
        Ok((status, files)) => {
            apply_files(s, files, fx);
            s.status = Some((StatusKind::Info, status));
        }
        Err(e) => s.status = Some((StatusKind::Error, e.to_string())),
    }
    fx.push(Effect::RefreshChanges);
}

/// The editor closed; the file was re-read.
pub(super) fn edited(s: &mut AppState, r: Result<Reparsed, UiError>, fx: &mut Vec<Effect>) {
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
        Err(e) => s.status = Some((StatusKind::Error, e.to_string())),
    }
    fx.push(Effect::RefreshChanges);
}
