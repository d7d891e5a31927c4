//! The shape every dialog's `on_key` shares: what it may read ([`Ctx`]) and
//! what a key comes to ([`Outcome`]). A leaf of `dialog/`, so each dialog's
//! file and the dispatcher in `mod.rs` import it without importing each
//! other.

use crate::model::Workspace;
use crate::ui::action::Action;
use crate::ui::keymap::Keymap;
use crate::ui::msg::OpRequest;
use crate::ui::state::dialog::PaletteHit;

/// What a dialog may read while it takes a key: the keymap for its
/// commands, the workspace (a tag picker applies only what changed), and
/// whether there are hand edits (the commit dialog's toggle).
pub(super) struct Ctx<'a> {
    pub keymap: &'a Keymap,
    pub ws: Option<&'a Workspace>,
    pub hand_edits: bool,
}

/// What a key in a dialog comes to. Everything but `Stay` and `Search`
/// closes the dialog first, so whatever the outcome opens stays open.
#[derive(Debug)]
pub(super) enum Outcome {
    /// The dialog stays open (it may have changed itself).
    Stay,
    /// The palette's query changed: it stays open and searches again.
    Search,
    Close,
    /// Closes and hands the worker an operation; a spinner shows until it
    /// answers.
    Apply(OpRequest),
    /// Closes and commits the pending changes (`all`: hand edits too).
    Commit {
        message: String,
        all: bool,
    },
    /// The quit confirmation said quit.
    Quit,
    /// The quit confirmation said commit first.
    OpenCommit,
    /// Runs a registry command as its key would (the palette).
    Run(Action),
    /// Goes to a palette hit or a link.
    Jump(PaletteHit),
    /// Starts the review meeting with these attendees (emails).
    StartMeeting(Vec<String>),
    /// Syncs again with these choices for conflicting cases.
    Sync(Vec<(String, crate::ops::sync::Side)>),
}
