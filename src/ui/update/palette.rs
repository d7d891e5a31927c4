//! The `Ctrl-p` palette: its index of everything (sets, runbooks, memos,
//! tags, cases; built here or, at load, by the runtime's loader), searching
//! it inline or on the matcher, the registry's commands it offers beside
//! them, its keys, and jumping to a hit (running a command is the caller's,
//! `dialog/mod.rs`, which hands it to the keymap's path). Also the jump that
//! links use.

use super::detail::refresh_detail;
use super::filter::{SYNC_LIMIT, refilter};
use super::navigation::switch;
use crate::ui::action::COMMANDS;
use crate::ui::items::query;
use crate::ui::items::{self, SearchIndex, Sort, View};
use crate::ui::msg::Effect;
use crate::ui::state::AppState;
use crate::ui::state::dialog::{Dialog, PaletteHit, Target};
use std::sync::Arc;

/// Builds the `Ctrl-p` targets: every set, runbook, memo, tag and case
/// (cases last, so a case's row is `len - cases + i`).
#[must_use]
pub fn palette_index(ws: &crate::model::Workspace) -> (Arc<SearchIndex>, Arc<Vec<PaletteHit>>) {
    let mut idx = SearchIndex::default();
    let mut targets = Vec::new();
    let mut push = |hit: PaletteHit, hay: String| {
        idx.hay.push(hay.into());
        idx.facets.push(items::Facets::default());
        targets.push(hit);
    };
    for x in &ws.sets {
        let label = format!("set      {}  {}", x.id, x.title);
        push(PaletteHit::item(View::Sets, &x.id, label), x.haystack());
    }
    for x in &ws.runbooks {
        let label = format!("runbook  {}  {}", x.id, x.title);
        push(PaletteHit::item(View::Runbooks, &x.id, label), x.haystack());
    }
    for x in &ws.memos {
        let label = format!("memo     {}  {}", x.id, x.title);
        push(PaletteHit::item(View::Memos, &x.id, label), x.haystack());
    }
    for t in &ws.config.tags {
        let label = format!("tag      {}  {}", t.name, t.description);
        push(
            PaletteHit::tag(&t.name, label),
            format!("tag {} {}", t.name, t.description),
        );
    }
    for c in &ws.cases {
        push(
            PaletteHit::item(View::Inbox, c.id, case_label(c)),
            c.haystack(),
        );
    }
    (Arc::new(idx), Arc::new(targets))
}

/// A case's line in the palette.
#[must_use]
pub fn case_label(c: crate::model::CaseRef<'_>) -> String {
    format!("case     {}  {}", c.id, c.summary)
}

/// Rebuilds the palette from the loaded workspace.
pub(super) fn build_palette(s: &mut AppState) {
    let Some(ws) = &s.ws else { return };
    let (idx, targets) = palette_index(ws);
    s.palette_index = idx;
    s.palette_targets = targets;
}

/// Searches the palette for its query: inline when small, else on a worker.
pub(super) fn palette_search(s: &mut AppState, fx: &mut Vec<Effect>) {
    let Some(Dialog::Palette { query, .. }) = &s.dialog else {
        return;
    };
    let query = query.clone();
    s.palette_generation += 1;
    if query.is_empty() {
        let visible: Vec<u32> = (0..s.palette_targets.len().min(50))
            .filter_map(|i| u32::try_from(i).ok())
            .collect();
        palette_results(s, &visible);
    } else if s.palette_index.len() <= SYNC_LIMIT {
        let visible = query::select(&s.palette_index, &query, Sort::Id);
        palette_results(s, &visible);
    } else {
        fx.push(Effect::PaletteMatch {
            generation: s.palette_generation,
            query,
            index: Arc::clone(&s.palette_index),
        });
    }
}

/// Shows the matched items and the commands the query names. An empty
/// query opens on the workspace as before, its commands listed after the
/// items; a typed query lists the commands it names first, so typing
/// `undo` and Enter runs undo.
pub(super) fn palette_results(s: &mut AppState, visible: &[u32]) {
    let targets = Arc::clone(&s.palette_targets);
    let Some(Dialog::Palette { query, .. }) = &s.dialog else {
        return;
    };
    let commands = command_hits(s, query);
    let first = !query.is_empty();
    if let Some(Dialog::Palette { hits, selected, .. }) = &mut s.dialog {
        let items = visible
            .iter()
            .take(50)
            .filter_map(|&i| targets.get(i as usize).cloned());
        *hits = if first {
            commands.into_iter().chain(items).collect()
        } else {
            items.chain(commands).collect()
        };
        *selected = (*selected).min(hits.len().saturating_sub(1));
    }
}

/// The palette's commands that `query` names, best first: the name itself,
/// then names that start with it, then names holding every word, then
/// descriptions holding every word (`new memo` finds `new_memo`).
fn command_hits(s: &AppState, query: &str) -> Vec<PaletteHit> {
    let query = query.trim().to_lowercase();
    let words: Vec<&str> = query.split_whitespace().collect();
    let joined = words.join("_");
    let mut ranked: Vec<(u8, PaletteHit)> = COMMANDS
        .iter()
        .filter(|c| c.palette)
        .filter_map(|c| {
            let description = c.description.to_lowercase();
            let rank = if joined == c.name {
                0
            } else if c.name.starts_with(&joined) {
                1
            } else if words.iter().all(|w| c.name.contains(w)) {
                2
            } else if words.iter().all(|w| description.contains(w)) {
                3
            } else {
                return None;
            };
            let keys = s.keymap.keys_label(c.action);
            let keys = if keys.is_empty() {
                String::new()
            } else {
                format!("  [{keys}]")
            };
            let hit = PaletteHit::command(
                s.view,
                c.action,
                c.name,
                format!("command  {}  {}{keys}", c.name, c.description),
            );
            Some((rank, hit))
        })
        .collect();
    ranked.sort_by_key(|(rank, _)| *rank);
    ranked.into_iter().map(|(_, hit)| hit).collect()
}

/// Goes to a palette hit or a link: its view, the filter cleared, the
/// cursor on it. A tag hit filters the Inbox by that tag; a filter link
/// filters its view. A command is not jumped to (its caller runs it).
pub(super) fn jump(s: &mut AppState, hit: &PaletteHit, fx: &mut Vec<Effect>) {
    let id = match &hit.target {
        Target::Command(_) => return,
        Target::Tag(tag) => {
            switch(s, hit.view);
            s.list_mut().query = format!("tag:{tag}");
            refilter(s, hit.view, fx);
            return;
        }
        Target::Filter(query) => {
            switch(s, hit.view);
            s.list_mut().query.clone_from(query);
            s.list_mut().reset = true;
            refilter(s, hit.view, fx);
            return;
        }
        Target::Item(id) => id,
    };
    switch(s, hit.view);
    // The cursor goes to the item by id once the list is filtered, here or
    // on the worker.
    s.list_mut().anchor = Some(id.clone());
    s.list_mut().query.clear();
    refilter(s, hit.view, fx);
    refresh_detail(s, false);
}
