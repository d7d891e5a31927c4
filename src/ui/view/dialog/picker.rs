//! The fuzzy pickers (tags, sets, memo status, links): the search line,
//! the rows (a tag's box and key), and a footer whose Enter word names what
//! the picker does.

use crate::sanitize;
use crate::ui::action::Action;
use crate::ui::state::AppState;
use crate::ui::state::dialog::{PickItem, PickerKind};
use crate::ui::view::popup::{footer, frame, put};
use crate::ui::wrap::truncate;
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};

/// What a picker draws of its fields, borrowed from the state.
pub(super) struct PickerView<'a> {
    pub kind: &'a PickerKind,
    pub query: &'a str,
    pub items: &'a [PickItem],
    pub visible: &'a [usize],
    pub selected: usize,
    pub searching: bool,
}

impl PickerView<'_> {
    /// Draws the picker: its title and Enter's word say what it is for.
    pub(super) fn render(&self, s: &AppState, area: Rect, buf: &mut Buffer) {
        let Self {
            kind,
            query,
            items,
            visible,
            selected,
            searching,
        } = *self;
        let t = &s.theme;
        let title = match kind {
            PickerKind::Tag { case } => format!("Tags of {case}"),
            PickerKind::Set { case } => format!("Promote {case} into…"),
            PickerKind::MemoStatus { memo } => format!("Move memo {memo} to…"),
            PickerKind::Links { .. } => "Follow a link".to_owned(),
            PickerKind::Attendees => "Review meeting: who attends?".to_owned(),
            PickerKind::SyncChoices { .. } => "Sync stopped: keep which side?".to_owned(),
        };
        let inner = frame(s, area, 70, 20, &title, buf);
        let prompt = if searching || !query.is_empty() {
            format!("/{}▏", sanitize::line(query))
        } else {
            match kind {
                PickerKind::Tag { .. } => "type to search · a tag's key toggles it".to_owned(),
                PickerKind::Attendees => "space marks who attends · Enter starts".to_owned(),
                PickerKind::SyncChoices { .. } => {
                    "space marks one side per case · Enter syncs again · nothing changed yet"
                        .to_owned()
                }
                PickerKind::Set { .. }
                | PickerKind::MemoStatus { .. }
                | PickerKind::Links { .. } => "type to search".to_owned(),
            }
        };
        put(buf, inner, 0, &Line::styled(prompt, t.key));
        let rows = usize::from(inner.height.saturating_sub(3));
        let start = selected.saturating_sub(rows.saturating_sub(1));
        for (n, &i) in visible.iter().skip(start).take(rows).enumerate() {
            let it = &items[i];
            let sel = start + n == selected;
            let check = match kind {
                PickerKind::Tag { .. } | PickerKind::Attendees | PickerKind::SyncChoices { .. } => {
                    if it.checked {
                        "[x] "
                    } else {
                        "[ ] "
                    }
                }
                PickerKind::Set { .. }
                | PickerKind::MemoStatus { .. }
                | PickerKind::Links { .. } => "",
            };
            let key = match (kind, it.key) {
                (
                    PickerKind::Set { .. }
                    | PickerKind::MemoStatus { .. }
                    | PickerKind::Links { .. }
                    | PickerKind::Attendees
                    | PickerKind::SyncChoices { .. },
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
            PickerKind::Attendees => Some("start"),
            PickerKind::SyncChoices { .. } => Some("sync"),
        };
        let mut hint = Vec::new();
        if matches!(
            kind,
            PickerKind::Tag { .. } | PickerKind::Attendees | PickerKind::SyncChoices { .. }
        ) {
            hint.push(s.keymap.hint(Action::PickerToggle, None));
        }
        hint.push(s.keymap.hint(Action::PickerApply, apply));
        hint.push(s.keymap.hint(Action::PickerCancel, None));
        footer(s, inner, &hint.join(" · "), buf);
    }
}
