//! What the triage and memo keys open for the item under the cursor: the
//! tag and set pickers, the note and dismissal prompts, the memo lifecycle
//! picker, the links picker, and the file `e` edits.

use crate::ui::action::Action;
use crate::ui::detail::links;
use crate::ui::state::dialog::{Dialog, PickItem, PickerKind, PromptKind};
use crate::ui::state::{AppState, StatusKind};

/// The tag or set picker, or the note or dismissal prompt, for the
/// selected case.
pub(super) fn triage(s: &mut AppState, a: Action) {
    let Some(case) = s
        .selected_case()
        .map(|c| (c.id.to_owned(), c.tags.to_vec()))
    else {
        s.status = Some((
            StatusKind::Info,
            format!(
                "{} works on a failure case: open the Inbox (1)",
                a.describe()
            ),
        ));
        return;
    };
    let (id, tags) = case;
    let Some(ws) = &s.ws else { return };
    s.dialog = Some(match a {
        Action::Tag => {
            let items: Vec<PickItem> = ws
                .config
                .tags
                .iter()
                .map(|t| PickItem {
                    id: t.name.clone(),
                    detail: t.description.clone(),
                    key: t.key.as_ref().and_then(|k| k.chars().next()),
                    checked: tags.contains(&t.name),
                })
                .collect();
            Dialog::picker(PickerKind::Tag { case: id }, items)
        }
        Action::Promote => {
            let items = ws
                .sets
                .iter()
                .map(|x| PickItem {
                    id: x.id.clone(),
                    detail: format!("v{} · {} · {}", x.version, x.runbook, x.title),
                    key: None,
                    checked: false,
                })
                .collect();
            Dialog::picker(PickerKind::Set { case: id }, items)
        }
        Action::Dismiss => Dialog::Prompt {
            kind: PromptKind::Dismiss { case: id },
            text: String::new(),
        },
        Action::Duplicate => Dialog::Prompt {
            kind: PromptKind::Duplicate { case: id },
            text: String::new(),
        },
        _ => Dialog::Prompt {
            kind: PromptKind::Note { case: id },
            text: String::new(),
        },
    });
}

/// Offers the references and backlinks of the selected item to follow.
pub(super) fn open_links(s: &mut AppState) {
    let (Some(ws), Some(i)) = (&s.ws, s.list().current()) else {
        return;
    };
    let targets = links::of(ws, s.view, i);
    if targets.is_empty() {
        s.status = Some((StatusKind::Info, "no links from here".into()));
        return;
    }
    let items = targets
        .iter()
        .map(|t| PickItem {
            id: t.id.clone(),
            detail: t.label.clone(),
            key: None,
            checked: false,
        })
        .collect();
    s.dialog = Some(Dialog::picker(PickerKind::Links { targets }, items));
}

/// Offers the lifecycle moves of the selected memo.
pub(super) fn memo_status(s: &mut AppState) {
    let Some(m) = s.list().current().and_then(|i| s.ws.as_ref()?.memos.get(i)) else {
        return;
    };
    let moves = crate::ops::memo::allowed(m.status);
    if moves.is_empty() {
        s.status = Some((
            StatusKind::Info,
            format!("memo {} is {}: final", m.id, m.status),
        ));
        return;
    }
    let items = moves
        .iter()
        .map(|to| PickItem {
            id: to.as_str().to_owned(),
            detail: format!("{} → {to}", m.status),
            key: None,
            checked: false,
        })
        .collect();
    s.dialog = Some(Dialog::picker(
        PickerKind::MemoStatus { memo: m.id.clone() },
        items,
    ));
}

/// The file `e` opens for the item under the cursor.
pub(super) fn selected_path(s: &AppState) -> Option<String> {
    s.current_item()?.path()
}
