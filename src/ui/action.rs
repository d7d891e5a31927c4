//! The registry: every command of the terminal UI, registered once.
//!
//! One entry per command gives its config name, its description, its
//! default keys, where it applies and whether the `Ctrl-p` palette offers
//! it. The keymap's defaults, the help overlay (`?`), the bottom key bar,
//! the dialogs' footers, the palette and the README's key table (checked by
//! `tests/readme_keys.rs`) all read [`COMMANDS`], so none can drift from the
//! real keys. Adding a command is one entry here and its handler in
//! `update/`. Names are `snake_case`, as in a user's `config.toml`
//! (`tag = "t"`).

use serde::{Deserialize, Serialize};

/// Where a command applies. The browsing scopes share one key space; each
/// dialog scope has its own, so `esc` can mean "back" in a list and
/// "cancel" in a prompt.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Scope {
    Global,
    /// Only where failure cases are listed (the Inbox).
    Case,
    /// Only in the Memos view.
    Memo,
    /// The quit confirmation.
    Confirm,
    /// The list dialogs: the pickers and the palette.
    Picker,
    /// The one-line prompts: note, dismissal reason, memo title.
    Prompt,
    /// Meeting mode (the Inbox as the review meeting's agenda): its keys
    /// come before the browsing ones, then a tag's own key tags the case.
    Meeting,
}

impl Scope {
    /// True for the scopes the browsing keymap serves (not a dialog's).
    #[must_use]
    pub fn is_browsing(self) -> bool {
        matches!(self, Self::Global | Self::Case | Self::Memo)
    }

    /// The key space the scope's bindings live in: the browsing scopes
    /// share one, each dialog has its own.
    #[must_use]
    pub fn keyspace(self) -> Self {
        if self.is_browsing() {
            Self::Global
        } else {
            self
        }
    }
}

/// One registered command.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Command {
    pub action: Action,
    /// The `snake_case` name of config files and the palette.
    pub name: &'static str,
    /// One line: what the user gets (the help overlay and the palette).
    pub description: &'static str,
    /// The default keys, as config files write them (`ctrl-p`, `G`).
    pub keys: &'static [&'static str],
    pub scope: Scope,
    /// The short label of the key bar or a dialog's footer; `None` keeps
    /// the command off them.
    pub label: Option<&'static str>,
    /// Offered by the `Ctrl-p` palette (moving the cursor is not worth a
    /// search).
    pub palette: bool,
}

/// Declares [`Action`], [`Action::ALL`] and [`COMMANDS`] from one list, so
/// a command cannot exist in one and miss in another.
macro_rules! commands {
    ($(
        $(#[$doc:meta])*
        $variant:ident = $name:literal, $scope:ident, [$($key:literal),*], $label:expr, $palette:literal,
            $description:literal;
    )*) => {
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Deserialize, Serialize)]
        #[serde(rename_all = "snake_case")]
        pub enum Action {
            $($(#[$doc])* $variant,)*
        }

        impl Action {
            /// Every action, in the registry's order.
            pub const ALL: &'static [Self] = &[$(Self::$variant,)*];
        }

        /// The registry, in the order of [`Action`] (help, key bar and
        /// palette list commands in this order).
        pub static COMMANDS: &[Command] = &[$(Command {
            action: Action::$variant,
            name: $name,
            description: $description,
            keys: &[$($key),*],
            scope: Scope::$scope,
            label: $label,
            palette: $palette,
        },)*];
    };
}

commands! {
    // name, scope, default keys, bar label, in the palette, description.
    Down = "down", Global, ["j", "down"], None, false, "move down";
    Up = "up", Global, ["k", "up"], None, false, "move up";
    PageDown = "page_down", Global, ["pagedown", "ctrl-d"], None, false, "page down";
    PageUp = "page_up", Global, ["pageup", "ctrl-u"], None, false, "page up";
    Top = "top", Global, ["g", "home"], None, false, "go to the first item";
    Bottom = "bottom", Global, ["G", "end"], None, false, "go to the last item";
    Open = "open", Global, ["enter", "right"], None, false,
        "open: focus the selected item's text";
    Back = "back", Global, ["esc", "left"], None, false, "back to the list; clear the filter";
    ScrollDown = "scroll_down", Global, ["J", "ctrl-e"], None, false, "scroll the text down";
    ScrollUp = "scroll_up", Global, ["K", "ctrl-y"], None, false, "scroll the text up";
    ViewOverview = "view_overview", Global, ["0"], None, true,
        "Overview: failures, incidents, readiness, trends";
    ViewInbox = "view_inbox", Global, ["1"], None, true, "Inbox: failure cases";
    ViewSets = "view_sets", Global, ["2"], None, true, "Sets: eval sets";
    ViewRunbooks = "view_runbooks", Global, ["3"], None, true, "Runbooks";
    ViewMemos = "view_memos", Global, ["4"], None, true, "Memos";
    ViewChanges = "view_changes", Global, ["5"], None, true, "Changes: pending and history";
    NextView = "next_view", Global, ["tab"], None, true, "next view";
    PrevView = "prev_view", Global, ["shift-tab"], None, true, "previous view";
    Filter = "filter", Global, ["/"], Some("filter"), true,
        "filter the list (fuzzy; status: tag: agent: source: sev:)";
    Palette = "palette", Global, ["ctrl-p"], Some("find"), false,
        "find anything and jump to it";
    Sort = "sort", Global, ["o"], None, true, "change the sort order";
    Tag = "tag", Case, ["t"], Some("tag"), true, "tag the case (a tag's own key toggles it)";
    Promote = "promote", Case, ["p"], Some("promote"), true, "promote the case into an eval set";
    Dismiss = "dismiss", Case, ["x"], Some("dismiss"), true, "dismiss the case (asks a reason)";
    Note = "note", Case, ["n"], Some("note"), true, "add a note to the case";
    Duplicate = "duplicate", Case, ["D"], None, true,
        "dismiss the case as a duplicate of another (asks its id)";
    Edit = "edit", Global, ["e"], None, true, "edit the file in $VISUAL/$EDITOR";
    Undo = "undo", Global, ["u"], Some("undo"), true, "undo the last uncommitted change";
    Commit = "commit", Global, ["c"], Some("commit"), true, "commit the pending changes";
    MemoStatus = "memo_status", Memo, ["s"], Some("status"), true,
        "move the memo along its lifecycle";
    NewMemo = "new_memo", Memo, ["N"], Some("new memo"), true,
        "draft a new memo and open it in the editor";
    History = "history", Global, ["L"], None, true,
        "the item's history: commits, who, when, signed by whom";
    Sync = "sync", Global, ["S"], None, true,
        "sync with the team's remote (as docket sync)";
    Meeting = "meeting", Global, ["R"], None, true,
        "start (pick attendees) or resume the review meeting";
    Reload = "reload", Global, ["ctrl-r"], None, true, "reload the workspace from disk";
    Help = "help", Global, ["?"], Some("help"), true, "this help";
    Quit = "quit", Global, ["q"], Some("quit"), true, "quit";
    // The quit confirmation; its footer lists these in this order.
    ConfirmCommit = "confirm_commit", Confirm, ["c"], Some("commit"), false,
        "commit the changes before quitting";
    ConfirmQuit = "confirm_quit", Confirm, ["y", "Y"], Some("quit anyway"), false,
        "quit, leaving the changes pending";
    ConfirmStay = "confirm_stay", Confirm, ["n", "N", "esc"], Some("stay"), false,
        "stay in docket";
    // The pickers and the palette; typing searches.
    PickerCancel = "picker_cancel", Picker, ["esc"], Some("cancel"), false,
        "close the list without acting";
    PickerApply = "picker_apply", Picker, ["enter"], Some("apply"), false,
        "act on the selected row (apply the tags, promote, move, go)";
    PickerToggle = "picker_toggle", Picker, ["space"], Some("toggle"), false,
        "toggle the selected tag";
    PickerDown = "picker_down", Picker, ["down", "ctrl-n", "tab"], None, false,
        "select the next row";
    PickerUp = "picker_up", Picker, ["up", "ctrl-p", "shift-tab"], None, false,
        "select the previous row";
    // The prompts; typing writes.
    PromptSubmit = "prompt_submit", Prompt, ["enter"], Some("save"), false,
        "save the text (not when it is empty)";
    PromptCancel = "prompt_cancel", Prompt, ["esc"], Some("cancel"), false,
        "close the prompt, dropping the text";
    // Meeting mode; p, x, t, n and a tag's own key work on the case as usual.
    MeetingSkip = "meeting_skip", Meeting, ["s"], Some("skip"), false,
        "skip the case to the next meeting";
    MeetingFinish = "meeting_finish", Meeting, ["F"], Some("finish"), false,
        "finish: the minutes memo, one commit, the review/DATE tag";
    MeetingLeave = "meeting_leave", Meeting, ["R"], Some("leave"), false,
        "leave meeting mode (the meeting stays open; R resumes it)";
}

impl Action {
    /// The action's registry entry.
    #[must_use]
    pub fn command(self) -> &'static Command {
        // `COMMANDS` is generated in the order of the enum.
        &COMMANDS[self as usize]
    }

    /// The action a config file or the palette names, if any.
    #[must_use]
    pub fn from_name(name: &str) -> Option<Self> {
        COMMANDS.iter().find(|c| c.name == name).map(|c| c.action)
    }

    /// What the action does, as the help overlay shows it.
    #[must_use]
    pub fn describe(self) -> &'static str {
        self.command().description
    }

    /// The short label of the bottom key bar; `None` keeps it off the bar.
    #[must_use]
    pub fn label(self) -> Option<&'static str> {
        self.command().label
    }

    #[must_use]
    pub fn scope(self) -> Scope {
        self.command().scope
    }

    /// The `snake_case` name used in config files.
    #[must_use]
    pub fn name(self) -> String {
        self.command().name.to_owned()
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

    #[test]
    fn the_registry_is_in_the_order_of_the_enum() {
        assert_eq!(COMMANDS.len(), Action::ALL.len());
        for (c, a) in COMMANDS.iter().zip(Action::ALL) {
            assert_eq!(c.action, *a);
            assert_eq!(Action::from_name(c.name), Some(*a));
            assert!(!c.keys.is_empty(), "{} has no default key", c.name);
            assert!(
                !c.palette || c.scope.is_browsing(),
                "{}: the palette runs browsing commands only",
                c.name
            );
        }
    }
}
