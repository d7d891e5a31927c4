//! `docket memo new TITLE` and `docket memo status ID STATUS`.

use super::output::safe;
use crate::model::memo::MemoStatus;
use crate::ops;
use crate::store::{CommitOptions, Store};
use std::path::Path;
use std::process::ExitCode;

fn finish(store: &Store, changes: &ops::ChangeSet, commit: bool) -> anyhow::Result<ExitCode> {
    for a in &changes.actions {
        println!("{}", safe(&a.to_string()));
    }
    for w in &changes.writes {
        println!("  {}", safe(&w.path));
    }
    if commit {
        let out = match store.commit(&CommitOptions::default()) {
            Err(e) => {
                // A refused command changes nothing.
                let _ = store.undo();
                return Err(e.into());
            }
            Ok(out) => out,
        };
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
    let changes = store.transact(|_| -> anyhow::Result<ops::ChangeSet> {
        Ok(ops::memo::new_memo(
            &store.memo_ids(),
            title,
            &who.email,
            &crate::store::now(),
        )?)
    })?;
    finish(&store, &changes, commit)
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
    let changes = store.transact(|_| -> anyhow::Result<ops::ChangeSet> {
        let file = store.find_memo(id)?;
        Ok(ops::memo::change_status(&file, to, &|old| {
            store.find_memo(old).ok()
        })?)
    })?;
    finish(&store, &changes, commit)
}
