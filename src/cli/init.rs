//! `docket init [DIR] [--example]`.

use super::output::safe;
use crate::store::{CommitOptions, Store, example};
use std::path::Path;
use std::process::ExitCode;

pub fn run(dir: &Path, with_example: bool, commit: bool) -> anyhow::Result<ExitCode> {
    let (store, files) = example::init(dir, with_example, commit)?;
    println!(
        "created a docket workspace in {} ({} files)",
        safe(&store.root().display().to_string()),
        files.len()
    );
    if commit && with_example {
        let (out, count) = store.commit_example()?;
        println!("[{}] {}", &out.id[..10.min(out.id.len())], out.summary);
        if count > 1 {
            println!("{count} commits: the example's history, as `git log` tells it");
        }
        if let Some(w) = &out.warning {
            eprintln!("docket: {}", safe(w));
        }
    } else if commit {
        let out = store.commit(&CommitOptions::default())?;
        println!("[{}] {}", &out.id[..10.min(out.id.len())], out.summary);
    } else {
        println!("`docket commit` records them, or `git add` them yourself");
    }
    Ok(ExitCode::SUCCESS)
}

/// Used by `demo`: the example workspace in `dir`, committed as its history.
pub fn example_committed(dir: &Path) -> anyhow::Result<Store> {
    let (store, _) = example::init(dir, true, true)?;
    store.commit_example()?;
    Ok(store)
}
