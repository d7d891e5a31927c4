//! The terminal UI: plain-data state, a pure `update`, pure views, and a
//! thin runtime that runs effects and feeds results back as messages.

pub mod action;
pub mod detail;
pub mod items;
pub mod keymap;
pub mod layout;
pub mod msg;
pub mod runtime;
pub mod state;
pub mod stats;
pub mod text;
pub mod theme;
pub mod update;
pub mod view;
pub mod wrap;
