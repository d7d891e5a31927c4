//! The terminal UI: plain-data state, a pure `update`, pure views, and a
//! thin runtime that runs effects and feeds results back as messages.

pub mod action;
pub mod items;
pub mod keymap;
pub mod text;
pub mod theme;
