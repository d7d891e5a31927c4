//! What the triage and memo keys open for the item under the cursor: the
//! tag and set pickers, the note and dismissal prompts, the memo lifecycle
//! picker, the links picker, and the file `e` edits.

use crate::model::Workspace;
use crate::ui::action::Action;
use crate::ui::detail::links;
use crate::ui::msg::OpRequest;
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
        Action::Note => Dialog::Prompt {
            kind: PromptKind::Note { case: id },
            text: String::new(),
        },
        a if case_prompt(a, None, &id, "").is_some() => Dialog::Prompt {
            kind: PromptKind::Case {
                case: id,
                command: a,
                problem: None,
            },
            text: String::new(),
        },
        _ => return,
    });
}

/// The case commands that ask for one line of text checked against the
/// workspace as it is typed: what submitting `text` for `case` does, or
/// what is wrong with it (the prompt shows it; Enter waits). `None` when
/// `a` asks for nothing this way. A new such command is one arm here, its
/// registry line, and (if it wants more than the generic title) its
/// prompt title in `view/dialog/prompt.rs`.
pub(super) fn case_prompt(
    a: Action,
    ws: Option<&Workspace>,
    case: &str,
    text: &str,
) -> Option<Result<OpRequest, String>> {
    match a {
        // The product's own example reason: "duplicate of ID", naming
        // another case that exists.
        Action::Duplicate => Some(duplicate_of(ws, case, text.trim())),
        _ => None,
    }
}

/// Dismisses `case` as a duplicate of `other`, which must be another case.
fn duplicate_of(ws: Option<&Workspace>, case: &str, other: &str) -> Result<OpRequest, String> {
    if other == case {
        return Err("a case cannot duplicate itself".into());
    }
    match ws {
        Some(ws) if ws.cases.position(other).is_some() => Ok(OpRequest::Dismiss {
            case: case.to_owned(),
            reason: format!("duplicate of {other}"),
        }),
        _ => Err(format!("no case {other}")),
    }
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
