//! The mutating commands: `tag`, `note`, `promote`, `dismiss`, `commit` and
//! `discard`. Each reads, computes its change set through `ops` and writes
//! it inside one store transaction; `--commit` commits at once.

use super::output::safe;
use crate::ops::{self, ChangeSet};
use crate::store::{CommitOptions, Journal, Store};
use std::path::Path;
use std::process::ExitCode;

/// Opens the store, tells the user what reconciling with git found (once:
/// the journal is updated), and with `--commit` checks up front that a
/// commit would be accepted, so a refused command writes nothing.
pub(super) fn open(cwd: &Path, commit: bool) -> anyhow::Result<Store> {
    let store = Store::open(cwd)?;
    // A commit refuses with the conflicts in its error: no need to say
    // them twice.
    notices(&store, !commit)?;
    if commit {
        store.ready_to_commit()?;
    }
    Ok(store)
}

/// Reconciles the journal with git and prints what that did on stderr.
pub(super) fn notices(store: &Store, conflicts: bool) -> anyhow::Result<()> {
    if !store.has_repository() {
        return Ok(());
    }
    let rec = store.reconcile()?;
    for n in &rec.notices {
        eprintln!("docket: {}", safe(n));
    }
    // Said at every command until settled: a commit is refused meanwhile.
    for c in rec.conflicts.iter().filter(|_| conflicts) {
        eprintln!("docket: conflict: {}", safe(&c.to_string()));
    }
    Ok(())
}

/// Runs one edit under the store's lock, then reports it and, with
/// `--commit`, commits under the same hold of the lock (a refused commit
/// takes the edit back).
fn run(
    store: &Store,
    commit: bool,
    f: impl FnOnce(&Journal) -> anyhow::Result<ChangeSet>,
) -> anyhow::Result<ExitCode> {
    let (changes, out) = if commit {
        store.transact_commit(&CommitOptions::default(), f)?
    } else {
        (store.transact(f)?, None)
    };
    if changes.is_empty() {
        println!("nothing to change");
        return Ok(ExitCode::SUCCESS);
    }
    for a in &changes.actions {
        println!("{}", safe(&a.to_string()));
        if matches!(a, ops::Action::Verdict { .. }) {
            println!("  waits for a second reviewer's verdict ([review] double_review)");
        }
    }
    if let Some(out) = out {
        println!("[{}] {}", short(&out.id), safe(&out.summary));
        warn(out.warning.as_deref());
    } else if commit {
        println!("already committed: HEAD has this change");
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
    let (config, _) = store.config()?;
    run(&store, commit, |_| {
        Ok(store.decide_dismiss(&config, case, &who.email, reason)?)
    })
}

pub fn promote(cwd: &Path, case: &str, set: &str, commit: bool) -> anyhow::Result<ExitCode> {
    let store = open(cwd, commit)?;
    let who = store.identity()?;
    let (config, _) = store.config()?;
    run(&store, commit, |journal| {
        Ok(store.decide_promote(&config, journal, case, set, &who.email)?)
    })
}

pub fn commit(cwd: &Path, message: Option<String>, all: bool) -> anyhow::Result<ExitCode> {
    let store = Store::open(cwd)?;
    notices(&store, false)?;
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
    notices(&store, true)?;
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

/// Drops the pending changes, after naming every action that would be
/// lost and asking (`--yes` for scripts; without a terminal to ask on and
/// without `--yes`, it refuses).
pub fn discard(cwd: &Path, yes: bool) -> anyhow::Result<ExitCode> {
    use std::io::{BufRead, IsTerminal, Write};
    let store = Store::open(cwd)?;
    // discard is the way out of a conflict; it lists what it drops.
    notices(&store, false)?;
    let actions = store.discard_preview()?;
    if actions.is_empty() {
        println!("nothing to discard: no pending docket changes");
        return Ok(ExitCode::SUCCESS);
    }
    let names: Vec<String> = actions.iter().map(|a| safe(&a.to_string())).collect();
    if !yes && !std::io::stdin().is_terminal() {
        anyhow::bail!(
            "not discarding {} pending action(s) without confirmation ({}): run `docket discard --yes`",
            names.len(),
            names.join("; ")
        );
    }
    eprintln!(
        "docket: discard drops {} pending action(s) not in HEAD:",
        names.len()
    );
    for a in &names {
        eprintln!("  {a}");
    }
    if !yes {
        eprint!("Discard them? [y/N] ");
        let _ = std::io::stderr().flush();
        let mut answer = String::new();
        std::io::stdin().lock().read_line(&mut answer)?;
        if !matches!(answer.trim(), "y" | "Y" | "yes" | "Yes") {
            println!("kept the pending changes");
            return Ok(ExitCode::SUCCESS);
        }
    }
    let (paths, kept) = store.discard()?;
    for p in &paths {
        println!("restored {}", safe(p));
    }
    for p in &kept {
        println!(
            "left {} as it is: edited by hand since docket changed it (`git checkout -- FILE` drops everything)",
            safe(p)
        );
    }
    println!("discarded {} pending file(s)", paths.len());
    Ok(ExitCode::SUCCESS)
}
