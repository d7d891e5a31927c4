//! docket: a terminal UI and command line over a git repository of agent
//! runbooks, decision memos and eval sets.
//!
//! Layers, arrows pointing down only: `cli` and `ui` → `ops` → `model`,
//! with `store` the only module that touches the disk and git2.

pub mod cli;
pub mod interop;
pub mod model;
pub mod ops;
pub mod sanitize;
pub mod search;
pub mod store;
pub mod ui;
