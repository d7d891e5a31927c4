//! The open dialog, as data: pickers, prompts, commit, quit, help, the
//! palette, diagnostics. Keys in dialogs are `update/dialog/`'s (one file
//! per dialog); drawing is `view/dialog/`'s; nothing here imports either.

use crate::ui::action::Action;
use crate::ui::items::View;

/// Which item a picker works for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PickerKind {
    Tag {
        case: String,
    },
    Set {
        case: String,
    },
    MemoStatus {
        memo: String,
    },
    /// References and backlinks of the selected item.
    Links {
        targets: Vec<PaletteHit>,
    },
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PickItem {
    pub id: String,
    pub detail: String,
    pub key: Option<char>,
    pub checked: bool,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PromptKind {
    Note {
        case: String,
    },
    Dismiss {
        case: String,
    },
    /// Dismissal as a duplicate: the text is the other case's id.
    Duplicate {
        case: String,
    },
    NewMemo,
}

impl PromptKind {
    /// Why `text` cannot be the case that `case` duplicates: no such case,
    /// or the case itself. Submitting waits on it, and the prompt shows it
    /// as the reviewer types.
    #[must_use]
    pub fn duplicate_problem(
        ws: Option<&crate::model::Workspace>,
        case: &str,
        text: &str,
    ) -> Option<String> {
        let other = text.trim();
        if other == case {
            return Some("a case cannot duplicate itself".into());
        }
        match ws {
            Some(ws) if ws.cases.position(other).is_some() => None,
            _ => Some(format!("no case {other}")),
        }
    }
}

/// A palette hit: which view and item to jump to, or the command to run.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PaletteHit {
    pub view: View,
    pub id: String,
    pub label: String,
    /// A command of the registry: Enter runs it as its key would, instead
    /// of jumping (then `id` is its name).
    pub command: Option<Action>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Dialog {
    Picker {
        kind: PickerKind,
        query: String,
        items: Vec<PickItem>,
        visible: Vec<usize>,
        selected: usize,
        /// Typing filters; before `/` or a non-key character, a tag's key
        /// toggles it.
        searching: bool,
        /// Some item was toggled: Enter then applies the toggles instead of
        /// toggling the row under the cursor.
        touched: bool,
    },
    Prompt {
        kind: PromptKind,
        text: String,
    },
    Commit {
        message: String,
        include_hand_edits: bool,
        scroll: u16,
    },
    ConfirmQuit,
    Help {
        scroll: u16,
    },
    Palette {
        query: String,
        hits: Vec<PaletteHit>,
        selected: usize,
    },
    Diagnostics {
        title: String,
        lines: Vec<String>,
    },
}

impl Dialog {
    /// A picker over `items`, all visible, nothing searched or toggled yet.
    #[must_use]
    pub fn picker(kind: PickerKind, items: Vec<PickItem>) -> Self {
        let visible = (0..items.len()).collect();
        Self::Picker {
            kind,
            query: String::new(),
            items,
            visible,
            selected: 0,
            searching: false,
            touched: false,
        }
    }
}
