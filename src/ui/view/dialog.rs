//! Dialogs drawn over the screen: pickers, prompts, commit, quit, palette,
//! diagnostics. The footers of the pickers, prompts and the quit
//! confirmation name the registry's keys. Help has its own file; the frame both draw in is
//! `popup.rs`'s, so neither imports the other's drawing back.

use super::popup::{footer, frame, put};
use crate::sanitize;
use crate::ui::action::Action;
use crate::ui::state::AppState;
use crate::ui::state::dialog::{Dialog, PaletteHit, PickItem, PickerKind, PromptKind};
use crate::ui::wrap::{truncate, wrap};
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};

pub fn render(s: &AppState, d: &Dialog, area: Rect, buf: &mut Buffer) {
    let t = &s.theme;
    match d {
        Dialog::Picker {
            kind,
            query,
            items,
            visible,
            selected,
            searching,
            ..
        } => picker(
            s, kind, query, items, visible, *selected, *searching, area, buf,
        ),
        Dialog::Prompt { kind, text } => {
            let title = match kind {
                PromptKind::Note { case } => format!("Note on {case}"),
                PromptKind::Dismiss { case } => format!("Dismiss {case}: why?"),
                PromptKind::NewMemo => "New memo: title".to_owned(),
            };
            let inner = frame(s, area, 70, 8, &title, buf);
            let lines = wrap(
                &[Span::raw(text.clone()), Span::styled("▏", t.key)],
                usize::from(inner.width),
                &[Span::raw("> ")],
                &[Span::raw("  ")],
            );
            for (n, l) in lines
                .iter()
                .take(usize::from(inner.height.saturating_sub(1)))
                .enumerate()
            {
                put(buf, inner, u16::try_from(n).unwrap_or(0), l);
            }
            footer(
                s,
                inner,
                &hints(s, &[Action::PromptSubmit, Action::PromptCancel]),
                buf,
            );
        }
        Dialog::Commit {
            message,
            include_hand_edits,
            scroll,
        } => commit(s, message, *include_hand_edits, *scroll, area, buf),
        Dialog::ConfirmQuit => {
            let inner = frame(s, area, 56, 6, "Quit?", buf);
            put(
                buf,
                inner,
                0,
                &Line::raw(format!(
                    "{} change(s) are not committed.",
                    s.pending.len() + s.hand_edits.len()
                )),
            );
            put(
                buf,
                inner,
                1,
                &Line::raw("They stay on disk, pending, for next time."),
            );
            let keys = [
                Action::ConfirmCommit,
                Action::ConfirmQuit,
                Action::ConfirmStay,
            ];
            footer(s, inner, &hints(s, &keys), buf);
        }
        Dialog::Help { scroll } => super::help::render(s, *scroll, area, buf),
        Dialog::Palette {
            query,
            hits,
            selected,
        } => palette(s, query, hits, *selected, area, buf),
        Dialog::Diagnostics { title, lines } => {
            let inner = frame(s, area, 90, 16, title, buf);
            let mut row = 0;
            for l in lines {
                for w in wrap(
                    &[Span::styled(l.clone(), t.error)],
                    usize::from(inner.width),
                    &[],
                    &[Span::raw("  ")],
                ) {
                    put(buf, inner, row, &w);
                    row += 1;
                }
            }
            footer(s, inner, "esc close", buf);
        }
    }
}

#[allow(clippy::too_many_arguments)] // the picker's fields, destructured
fn picker(
    s: &AppState,
    kind: &PickerKind,
    query: &str,
    items: &[PickItem],
    visible: &[usize],
    selected: usize,
    searching: bool,
    area: Rect,
    buf: &mut Buffer,
) {
    let t = &s.theme;
    let title = match kind {
        PickerKind::Tag { case } => format!("Tags of {case}"),
        PickerKind::Set { case } => format!("Promote {case} into…"),
        PickerKind::MemoStatus { memo } => format!("Move memo {memo} to…"),
        PickerKind::Links { .. } => "Follow a link".to_owned(),
    };
    let inner = frame(s, area, 70, 20, &title, buf);
    let prompt = if searching || !query.is_empty() {
        format!("/{}▏", sanitize::line(query))
    } else {
        match kind {
            PickerKind::Tag { .. } => "type to search · a tag's key toggles it".to_owned(),
            PickerKind::Set { .. } | PickerKind::MemoStatus { .. } | PickerKind::Links { .. } => {
                "type to search".to_owned()
            }
        }
    };
    put(buf, inner, 0, &Line::styled(prompt, t.key));
    let rows = usize::from(inner.height.saturating_sub(3));
    let start = selected.saturating_sub(rows.saturating_sub(1));
    for (n, &i) in visible.iter().skip(start).take(rows).enumerate() {
        let it = &items[i];
        let sel = start + n == selected;
        let check = match kind {
            PickerKind::Tag { .. } => {
                if it.checked {
                    "[x] "
                } else {
                    "[ ] "
                }
            }
            PickerKind::Set { .. } | PickerKind::MemoStatus { .. } | PickerKind::Links { .. } => "",
        };
        let key = match (kind, it.key) {
            (
                PickerKind::Set { .. } | PickerKind::MemoStatus { .. } | PickerKind::Links { .. },
                _,
            ) => String::new(),
            (_, Some(k)) => format!("({k}) "),
            (_, None) => "    ".to_owned(),
        };
        let label = if matches!(kind, PickerKind::Links { .. }) {
            it.detail.clone()
        } else {
            format!("{check}{key}{}  {}", it.id, it.detail)
        };
        let text = truncate(
            &sanitize::line(&label),
            usize::from(inner.width).saturating_sub(2),
        );
        let line = Line::from(vec![
            Span::raw(if sel { "▶ " } else { "  " }),
            Span::raw(text),
        ]);
        let line = if sel { line.style(t.selected) } else { line };
        put(buf, inner, 1 + u16::try_from(n).unwrap_or(0), &line);
    }
    // Enter's word names what it does in this picker.
    let apply = match kind {
        PickerKind::Tag { .. } => None,
        PickerKind::Set { .. } => Some("promote"),
        PickerKind::MemoStatus { .. } => Some("move"),
        PickerKind::Links { .. } => Some("go"),
    };
    let mut hint = Vec::new();
    if matches!(kind, PickerKind::Tag { .. }) {
        hint.push(s.keymap.hint(Action::PickerToggle, None));
    }
    hint.push(s.keymap.hint(Action::PickerApply, apply));
    hint.push(s.keymap.hint(Action::PickerCancel, None));
    footer(s, inner, &hint.join(" · "), buf);
}

/// A dialog's footer: each command's keys and label, from the registry
/// and the keymap.
fn hints(s: &AppState, actions: &[Action]) -> String {
    actions
        .iter()
        .map(|a| s.keymap.hint(*a, None))
        .collect::<Vec<_>>()
        .join(" · ")
}

fn palette(
    s: &AppState,
    query: &str,
    hits: &[PaletteHit],
    selected: usize,
    area: Rect,
    buf: &mut Buffer,
) {
    let t = &s.theme;
    let inner = frame(s, area, 90, 22, "Find anything, run a command", buf);
    put(
        buf,
        inner,
        0,
        &Line::styled(format!("> {}▏", sanitize::line(query)), t.key),
    );
    let rows = usize::from(inner.height.saturating_sub(2));
    let start = selected.saturating_sub(rows.saturating_sub(1));
    for (n, h) in hits.iter().skip(start).take(rows).enumerate() {
        let sel = start + n == selected;
        let text = truncate(
            &sanitize::line(&h.label),
            usize::from(inner.width).saturating_sub(2),
        );
        let mut spans = vec![Span::raw(if sel { "▶ " } else { "  " })];
        spans.extend(super::list::highlight(&text, query, t.matched));
        let line = Line::from(spans);
        put(
            buf,
            inner,
            1 + u16::try_from(n).unwrap_or(0),
            &if sel { line.style(t.selected) } else { line },
        );
    }
    let hint = format!(
        "{} · ↑/↓ move · {}",
        s.keymap.hint(Action::PickerApply, Some("jump or run")),
        s.keymap.hint(Action::PickerCancel, Some("close"))
    );
    footer(s, inner, &hint, buf);
}

fn commit(s: &AppState, message: &str, include: bool, scroll: u16, area: Rect, buf: &mut Buffer) {
    let t = &s.theme;
    let inner = frame(
        s,
        area,
        area.width.saturating_sub(4),
        area.height.saturating_sub(2),
        "Commit",
        buf,
    );
    put(
        buf,
        inner,
        0,
        &Line::from(vec![
            Span::styled("message: ", t.label),
            Span::raw(sanitize::line(message).into_owned()),
            Span::styled("▏", t.key),
        ]),
    );
    let mut body: Vec<Line<'static>> = Vec::new();
    for p in s.pending.iter().rev() {
        for a in &p.actions {
            body.push(Line::raw(format!("  Docket-Action: {}", sanitize::line(a))));
        }
    }
    if !s.hand_edits.is_empty() {
        let mark = if include { "[x]" } else { "[ ]" };
        body.push(Line::styled(
            format!(
                "{mark} include {} file(s) edited by hand (tab):",
                s.hand_edits.len()
            ),
            t.warning,
        ));
        for h in &s.hand_edits {
            body.push(Line::raw(format!("    {}", sanitize::line(h))));
        }
    }
    body.push(Line::default());
    for d in &s.diff {
        let st = if d.starts_with('+') && !d.starts_with("+++") {
            t.added
        } else if d.starts_with('-') && !d.starts_with("---") {
            t.removed
        } else if d.starts_with("@@") || d.starts_with("diff ") {
            t.dim
        } else {
            ratatui::style::Style::default()
        };
        body.push(Line::styled(sanitize::line(d).into_owned(), st));
    }
    let rows = usize::from(inner.height.saturating_sub(3));
    for (n, l) in body.iter().skip(usize::from(scroll)).take(rows).enumerate() {
        put(buf, inner, 2 + u16::try_from(n).unwrap_or(0), l);
    }
    footer(
        s,
        inner,
        "enter commit · ↑/↓ pgup/pgdn scroll · esc cancel",
        buf,
    );
}
