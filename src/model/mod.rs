//! The workspace model: plain data parsed from the workspace's text files, with
//! line-accurate diagnostics.
//!
//! This module knows nothing of git, of the file system or of terminals: the
//! store hands it bytes and paths, and it hands back typed values or
//! [`Diagnostic`]s. That keeps parsing testable and lets the UI, the CLI and a
//! future cache share one definition of "valid".

pub mod case;
pub mod config;
pub mod diag;
pub mod frontmatter;
pub mod ids;
pub mod memo;
pub mod parse;
pub mod rule;
pub mod run;
pub mod runbook;
pub mod set;
pub mod table;
pub mod time;
pub mod workspace;

pub use case::FailureCase;
pub use config::Config;
pub use diag::Diagnostic;
pub use memo::Memo;
pub use rule::{Level, Levels, Rule};
pub use run::EvalRun;
pub use runbook::Runbook;
pub use set::{EvalSet, SetCase};
pub use table::{CaseRef, CaseTable};
pub use workspace::Workspace;
