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
    /// Who attends the review meeting about to start (`[[reviewers]]`).
    Attendees,
    /// How to settle what a sync stopped on: each row keeps one side of
    /// one case (`choices[i]` for row `i`); Enter syncs again with those
    /// marked.
    SyncChoices {
        choices: Vec<(String, crate::ops::sync::Side)>,
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
    /// A case command's own one-line prompt (`update/triage.rs` says
    /// what the text means for `command`, checks it and makes the
    /// operation): so a new case command that asks for text adds no
    /// variant here. `problem` is what is wrong with the text as typed,
    /// shown under it; Enter waits while there is one.
    Case {
        case: String,
        command: Action,
        problem: Option<String>,
    },
    NewMemo,
}

/// What Enter on a palette hit or a link does. Typed, so that no caller
/// has to parse a prefix out of the hit's `id` to find out.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Target {
    /// Go to the item with this id in the hit's view.
    Item(String),
    /// Filter the Inbox by this tag.
    Tag(String),
    /// Filter the hit's view by this query (an incident's failures).
    Filter(String),
    /// Run a command of the registry as its key would.
    Command(Action),
}

/// A palette hit or a link: where Enter goes (`target`) and how it reads.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PaletteHit {
    /// The view a jump opens (for a command, the view it runs in).
    pub view: View,
    /// The hit's key as the links picker shows it: the item's id, `tag:`
    /// or `filter:` and its text, or the command's name. Only shown and
    /// compared, never parsed: `target` says what the hit does.
    pub id: String,
    pub label: String,
    pub target: Target,
}

impl PaletteHit {
    /// A hit that goes to item `id` of `view`.
    #[must_use]
    pub fn item(view: View, id: &str, label: String) -> Self {
        Self {
            view,
            id: id.to_owned(),
            label,
            target: Target::Item(id.to_owned()),
        }
    }

    /// A hit that filters the Inbox by `tag`.
    #[must_use]
    pub fn tag(tag: &str, label: String) -> Self {
        Self {
            view: View::Inbox,
            id: format!("tag:{tag}"),
            label,
            target: Target::Tag(tag.to_owned()),
        }
    }

    /// A hit that filters `view` by `query`.
    #[must_use]
    pub fn filter(view: View, query: &str, label: String) -> Self {
        Self {
            view,
            id: format!("filter:{query}"),
            label,
            target: Target::Filter(query.to_owned()),
        }
    }

    /// A hit that runs `action` (named `name`) in `view`.
    #[must_use]
    pub fn command(view: View, action: Action, name: &str, label: String) -> Self {
        Self {
            view,
            id: name.to_owned(),
            label,
            target: Target::Command(action),
        }
    }

    /// The command Enter runs, if the hit is one (else it jumps).
    #[must_use]
    pub fn action(&self) -> Option<Action> {
        match self.target {
            Target::Command(a) => Some(a),
            Target::Item(_) | Target::Tag(_) | Target::Filter(_) => None,
        }
    }
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
    /// Text to read, scrollable: an item's history, what a sync stopped
    /// on. The lines are sanitized where they are made.
    Text {
        title: String,
        lines: Vec<String>,
        scroll: u16,
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
