//! The mutating commands: `tag`, `note`, `promote`, `dismiss` and `commit`.
//! Each writes through `ops` and the store; `--commit` commits at once.

use super::output::safe;
use crate::ops::{self, ChangeSet, PromoteInput};
use crate::store::{CommitOptions, Store};
use std::path::Path;
use std::process::ExitCode;

/// Opens the store and, with `--commit`, checks up front that a commit would
/// be accepted, so a refused command writes nothing.
fn open(cwd: &Path, commit: bool) -> anyhow::Result<Store> {
    let store = Store::open(cwd)?;
    if commit {
        store.ready_to_commit()?;
    } else {
        store.pending()?;
    }
    Ok(store)
}

fn finish(store: &Store, changes: &ChangeSet, commit: bool) -> anyhow::Result<ExitCode> {
    if changes.is_empty() {
        println!("nothing to change");
        return Ok(ExitCode::SUCCESS);
    }
    store.apply(changes)?;
    for a in &changes.actions {
        println!("{}", safe(&a.to_string()));
    }
    if commit {
        let out = store.commit(&CommitOptions::default())?;
        println!(
            "[{}] {}",
            &out.id[..out.id.len().min(10)],
            safe(&out.summary)
        );
    } else {
        let n = store.pending()?.entries.len();
        println!("{n} pending change(s); `docket commit` records them");
    }
    Ok(ExitCode::SUCCESS)
}

pub fn tag(
    cwd: &Path,
    case: &str,
    tags: &[String],
    remove: bool,
    commit: bool,
) -> anyhow::Result<ExitCode> {
    let store = open(cwd, commit)?;
    let (config, _) = store.config()?;
    let file = store.find_case(case)?;
    let changes = ops::tag(&config, &file, tags, remove)?;
    finish(&store, &changes, commit)
}

pub fn note(cwd: &Path, case: &str, text: &str, commit: bool) -> anyhow::Result<ExitCode> {
    let store = open(cwd, commit)?;
    let who = store.identity()?;
    let file = store.find_case(case)?;
    let changes = ops::note(&file, &who.email, &crate::store::now(), text)?;
    finish(&store, &changes, commit)
}

pub fn dismiss(cwd: &Path, case: &str, reason: &str, commit: bool) -> anyhow::Result<ExitCode> {
    let store = open(cwd, commit)?;
    let who = store.identity()?;
    let file = store.find_case(case)?;
    let changes = ops::dismiss(&file, &who.email, &crate::store::now(), reason)?;
    finish(&store, &changes, commit)
}

pub fn promote(cwd: &Path, case: &str, set: &str, commit: bool) -> anyhow::Result<ExitCode> {
    let store = open(cwd, commit)?;
    let who = store.identity()?;
    let file = store.find_case(case)?;
    let set_file = store.find_set(set)?;
    let already_bumped = store.pending()?.bumped(set);
    let changes = ops::promote(&PromoteInput {
        case: &file,
        set: &set_file,
        set_case_exists: store.exists(&format!("evals/sets/{set}/cases/{case}.toml")),
        blob_id: &|text| Store::blob_id(text.as_bytes()).unwrap_or_default(),
        by: &who.email,
        at: &crate::store::now(),
        already_bumped,
    })?;
    finish(&store, &changes, commit)
}

pub fn commit(cwd: &Path, message: Option<String>, all: bool) -> anyhow::Result<ExitCode> {
    let store = Store::open(cwd)?;
    let out = store.commit(&CommitOptions { message, all })?;
    println!(
        "[{}] {}",
        &out.id[..out.id.len().min(10)],
        safe(&out.summary)
    );
    for p in &out.paths {
        println!("  {}", safe(p));
    }
    Ok(ExitCode::SUCCESS)
}
