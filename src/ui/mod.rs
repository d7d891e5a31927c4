//! The terminal UI, in one-way layers (`tests/ui_layers.rs` checks them;
//! an arrow points to a lower layer only, and no file imports one that
//! imports it back):
//!
//! - `runtime`: the event loop, the workers, the terminal and every file the
//!   UI reads or writes. Turns events and worker replies into `Msg`s and
//!   runs the `Effect`s that `update` returns.
//! - `update`: `update(&mut AppState, Msg) -> Vec<Effect>`, pure, one file
//!   per concern.
//! - `msg` (messages and effects), `detail` (the detail pane's lines) and
//!   `view` (pure render functions): each reads `state`, none imports
//!   another of the three.
//! - `state`: plain data.
//! - Helpers and leaves: `keymap`, `text` over `action`, `items` (views and
//!   their search indexes), `stats`, `ages`, `layout`, `theme`, `wrap`.

// The loop, threads, terminal and files.
pub mod runtime;

// Every state change, pure.
pub mod update;

// Over the state.
pub mod detail;
pub mod msg;
pub mod view;

// Plain data.
pub mod state;

// Helpers and leaves.
pub mod action;
pub mod ages;
pub mod items;
pub mod keymap;
pub mod layout;
pub mod stats;
pub mod text;
pub mod theme;
pub mod wrap;
