//! The one documented list of things a user can do in the terminal UI.
//!
//! The keymap, the help overlay (`?`) and the bottom key bar are all
//! generated from [`Action`], so they cannot drift from the real keys. Names
//! are `snake_case`, as in a user's `config.toml` (`tag = "t"`).

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Deserialize, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Action {
    Down,
    Up,
    PageDown,
    PageUp,
    Top,
    Bottom,
    Open,
    Back,
    ScrollDown,
    ScrollUp,
    ViewOverview,
    ViewInbox,
    ViewSets,
    ViewRunbooks,
    ViewMemos,
    ViewChanges,
    NextView,
    PrevView,
    Filter,
    Palette,
    Sort,
    Tag,
    Promote,
    Dismiss,
    Note,
    Edit,
    Undo,
    Commit,
    MemoStatus,
    NewMemo,
    Reload,
    Help,
    Quit,
}

/// Where an action applies: everywhere, or only where failure cases are
/// selected.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scope {
    Global,
    /// Only where failure cases are listed (the Inbox).
    Case,
    /// Only in the Memos view.
    Memo,
}

impl Action {
    pub const ALL: &'static [Self] = &[
        Self::Down,
        Self::Up,
        Self::PageDown,
        Self::PageUp,
        Self::Top,
        Self::Bottom,
        Self::Open,
        Self::Back,
        Self::ScrollDown,
        Self::ScrollUp,
        Self::ViewOverview,
        Self::ViewInbox,
        Self::ViewSets,
        Self::ViewRunbooks,
        Self::ViewMemos,
        Self::ViewChanges,
        Self::NextView,
        Self::PrevView,
        Self::Filter,
        Self::Palette,
        Self::Sort,
        Self::Tag,
        Self::Promote,
        Self::Dismiss,
        Self::Note,
        Self::Edit,
        Self::Undo,
        Self::Commit,
        Self::MemoStatus,
        Self::NewMemo,
        Self::Reload,
        Self::Help,
        Self::Quit,
    ];

    /// What the action does, as the help overlay shows it.
    #[must_use]
    pub fn describe(self) -> &'static str {
        match self {
            Self::Down => "move down",
            Self::Up => "move up",
            Self::PageDown => "page down",
            Self::PageUp => "page up",
            Self::Top => "go to the first item",
            Self::Bottom => "go to the last item",
            Self::Open => "open: focus the selected item's text",
            Self::Back => "back to the list; clear the filter",
            Self::ScrollDown => "scroll the text down",
            Self::ScrollUp => "scroll the text up",
            Self::ViewOverview => "Overview: failures, incidents, readiness, trends",
            Self::ViewInbox => "Inbox: failure cases",
            Self::ViewSets => "Sets: eval sets",
            Self::ViewRunbooks => "Runbooks",
            Self::ViewMemos => "Memos",
            Self::ViewChanges => "Changes: pending and history",
            Self::NextView => "next view",
            Self::PrevView => "previous view",
            Self::Filter => "filter the list (fuzzy; status: tag: agent: source: sev:)",
            Self::Palette => "find anything and jump to it",
            Self::Sort => "change the sort order",
            Self::Tag => "tag the case (a tag's own key toggles it)",
            Self::Promote => "promote the case into an eval set",
            Self::Dismiss => "dismiss the case (asks a reason)",
            Self::Note => "add a note to the case",
            Self::Edit => "edit the file in $VISUAL/$EDITOR",
            Self::Undo => "undo the last uncommitted change",
            Self::Commit => "commit the pending changes",
            Self::MemoStatus => "move the memo along its lifecycle",
            Self::NewMemo => "draft a new memo and open it in the editor",
            Self::Reload => "reload the workspace from disk",
            Self::Help => "this help",
            Self::Quit => "quit",
        }
    }

    /// The short label of the bottom key bar; `None` keeps it off the bar.
    #[must_use]
    pub fn label(self) -> Option<&'static str> {
        Some(match self {
            Self::Filter => "filter",
            Self::Palette => "find",
            Self::Tag => "tag",
            Self::Promote => "promote",
            Self::Dismiss => "dismiss",
            Self::Note => "note",
            Self::MemoStatus => "status",
            Self::NewMemo => "new memo",
            Self::Undo => "undo",
            Self::Commit => "commit",
            Self::Help => "help",
            Self::Quit => "quit",
            _ => return None,
        })
    }

    #[must_use]
    pub fn scope(self) -> Scope {
        match self {
            Self::Tag | Self::Promote | Self::Dismiss | Self::Note => Scope::Case,
            Self::MemoStatus | Self::NewMemo => Scope::Memo,
            _ => Scope::Global,
        }
    }

    /// The `snake_case` name used in config files.
    #[must_use]
    pub fn name(self) -> String {
        serde_json::to_value(self)
            .ok()
            .and_then(|v| v.as_str().map(str::to_owned))
            .unwrap_or_default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn all_is_complete_and_named() {
        let mut sorted = Action::ALL.to_vec();
        sorted.sort();
        sorted.dedup();
        assert_eq!(sorted.len(), Action::ALL.len());
        assert_eq!(Action::PageDown.name(), "page_down");
        for a in Action::ALL {
            assert!(!a.describe().is_empty());
            let back: Action = serde_json::from_value(serde_json::Value::String(a.name())).unwrap();
            assert_eq!(back, *a);
        }
    }
}
