//! The mutating commands: `tag`, `note`, `promote`, `dismiss`, `commit` and
//! `discard`. Each reads, computes its change set through `ops` and writes
//! it inside one store transaction; `--commit` commits at once.

use super::output::safe;
use crate::ops::{self, ChangeSet, PromoteInput};
use crate::store::{CommitOptions, Journal, Store};
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

/// Runs one edit under the store's lock, then reports it and, with
/// `--commit`, commits.
fn run(
    store: &Store,
    commit: bool,
    f: impl FnOnce(&Journal) -> anyhow::Result<ChangeSet>,
) -> anyhow::Result<ExitCode> {
    let changes = store.transact(f)?;
    if changes.is_empty() {
        println!("nothing to change");
        return Ok(ExitCode::SUCCESS);
    }
    for a in &changes.actions {
        println!("{}", safe(&a.to_string()));
    }
    if commit {
        let out = store.commit(&CommitOptions::default())?;
        println!("[{}] {}", short(&out.id), safe(&out.summary));
        warn(out.warning.as_deref());
    } else {
        let n = store.pending()?.entries.len();
        println!("{n} pending change(s); `docket commit` records them");
    }
    Ok(ExitCode::SUCCESS)
}

fn warn(w: Option<&str>) {
    if let Some(w) = w {
        eprintln!("docket: warning: {}", safe(w));
    }
}

fn short(id: &str) -> &str {
    id.get(..10).unwrap_or(id)
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
    run(&store, commit, |_| {
        let file = store.find_case(case)?;
        let (add, rm): (&[String], &[String]) = if remove { (&[], tags) } else { (tags, &[]) };
        Ok(ops::tag(&config, &file, add, rm)?)
    })
}

pub fn note(cwd: &Path, case: &str, text: &str, commit: bool) -> anyhow::Result<ExitCode> {
    let store = open(cwd, commit)?;
    let who = store.identity()?;
    run(&store, commit, |_| {
        let file = store.find_case(case)?;
        Ok(ops::note(&file, &who.email, &crate::store::now(), text)?)
    })
}

pub fn dismiss(cwd: &Path, case: &str, reason: &str, commit: bool) -> anyhow::Result<ExitCode> {
    let store = open(cwd, commit)?;
    let who = store.identity()?;
    run(&store, commit, |_| {
        let file = store.find_case(case)?;
        Ok(ops::dismiss(
            &file,
            &who.email,
            &crate::store::now(),
            reason,
        )?)
    })
}

pub fn promote(cwd: &Path, case: &str, set: &str, commit: bool) -> anyhow::Result<ExitCode> {
    let store = open(cwd, commit)?;
    let who = store.identity()?;
    run(&store, commit, |journal| {
        let file = store.find_case(case)?;
        let set_file = store.find_set(set)?;
        Ok(ops::promote(&PromoteInput {
            case: &file,
            set: &set_file,
            set_case_exists: store.exists(&format!("evals/sets/{set}/cases/{case}.toml")),
            blob_id: &|text| Store::blob_id(text.as_bytes()).unwrap_or_default(),
            by: &who.email,
            at: &crate::store::now(),
            already_bumped: journal.bumped(set),
        })?)
    })
}

pub fn commit(cwd: &Path, message: Option<String>, all: bool) -> anyhow::Result<ExitCode> {
    let store = Store::open(cwd)?;
    let out = store.commit(&CommitOptions { message, all })?;
    println!("[{}] {}", short(&out.id), safe(&out.summary));
    for p in &out.paths {
        println!("  {}", safe(p));
    }
    warn(out.warning.as_deref());
    Ok(ExitCode::SUCCESS)
}

pub fn undo(cwd: &Path) -> anyhow::Result<ExitCode> {
    let store = Store::open(cwd)?;
    match store.undo()? {
        Some((actions, _)) => {
            for a in actions {
                println!("undid {}", safe(&a.to_string()));
            }
            let n = store.pending()?.entries.len();
            println!("{n} pending change(s)");
        }
        None => println!("nothing to undo"),
    }
    Ok(ExitCode::SUCCESS)
}

pub fn discard(cwd: &Path) -> anyhow::Result<ExitCode> {
    let store = Store::open(cwd)?;
    let paths = store.discard()?;
    for p in &paths {
        println!("restored {}", safe(p));
    }
    println!("discarded {} pending file(s)", paths.len());
    Ok(ExitCode::SUCCESS)
}
