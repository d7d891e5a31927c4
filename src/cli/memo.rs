//! `docket memo new TITLE` and `docket memo status ID STATUS`.

use super::output::safe;
use crate::model::memo::MemoStatus;
use crate::ops;
use crate::store::{CommitOptions, Store};
use std::path::Path;
use std::process::ExitCode;

/// Writes the change and, with `--commit`, commits it under the same hold
/// of the lock (a refused commit takes exactly this change back).
fn write(
    store: &Store,
    commit: bool,
    f: impl FnOnce(&crate::store::Journal) -> anyhow::Result<ops::ChangeSet>,
) -> anyhow::Result<ExitCode> {
    let (changes, out) = if commit {
        store.transact_commit(&CommitOptions::default(), f)?
    } else {
        (store.transact(f)?, None)
    };
    for a in &changes.actions {
        println!("{}", safe(&a.to_string()));
    }
    for w in &changes.writes {
        println!("  {}", safe(&w.path));
    }
    if let Some(out) = out {
        println!(
            "[{}] {}",
            out.id.get(..10).unwrap_or(&out.id),
            safe(&out.summary)
        );
    }
    Ok(ExitCode::SUCCESS)
}

pub fn new(cwd: &Path, title: &str, commit: bool) -> anyhow::Result<ExitCode> {
    let store = Store::open(cwd)?;
    if commit {
        store.ready_to_commit()?;
    }
    let who = store.identity()?;
    write(&store, commit, |_| {
        Ok(ops::memo::new_memo(
            &store.memo_ids(),
            title,
            &who.email,
            &crate::store::now(),
        )?)
    })
}

pub fn status(cwd: &Path, id: &str, to: &str, commit: bool) -> anyhow::Result<ExitCode> {
    let Some(to) = MemoStatus::from_name(to) else {
        let all: Vec<&str> = MemoStatus::ALL.iter().map(|s| s.as_str()).collect();
        anyhow::bail!(
            "unknown memo status {:?}: expected one of {}",
            safe(to),
            all.join(", ")
        );
    };
    let store = Store::open(cwd)?;
    if commit {
        store.ready_to_commit()?;
    }
    write(&store, commit, |_| {
        let file = store.find_memo(id)?;
        Ok(ops::memo::change_status(&file, to, &|old| {
            store.find_memo(old).ok()
        })?)
    })
}
