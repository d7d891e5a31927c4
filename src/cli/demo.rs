//! `docket demo`: the example workspace in a fresh git repository in a
//! temporary directory.
//!
//! The terminal UI is not built yet, so for now the demo prepares the
//! workspace, commits it, and prints a short tour of commands to try there.

use super::output::safe;
use std::process::ExitCode;

pub fn run() -> anyhow::Result<ExitCode> {
    let base = std::env::temp_dir().join(format!(
        "docket-demo-{}-{}",
        std::process::id(),
        crate::store::now().to_string().replace([':', '-'], "")
    ));
    let store = super::init::example_committed(&base)?;
    let path = safe(&store.root().display().to_string());
    println!("The example workspace is in {path} (a git repository with one commit).\n");
    println!("Try:");
    for cmd in [
        "list failures --status new",
        "show billing-tier1-0042",
        "search refund",
        "tag <case-id> <tag>",
        "promote <case-id> <set-id>",
        "commit",
        "check",
    ] {
        println!("  docket -C {path} {cmd}");
    }
    println!("\nthen `git -C {path} log` shows what docket committed.");
    Ok(ExitCode::SUCCESS)
}
