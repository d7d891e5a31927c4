//! `docket sync`: fetch, replay the local docket commits on the upstream as
//! actions, push ([`crate::store::Store::sync`]). On a conflict it prints
//! both sides of each case and the two commands that decide it, and exits 2
//! having changed nothing.

use super::output::safe;
use crate::ops::sync::Side;
use crate::store::{Conflicted, Store, StoreError, SyncOptions};
use std::collections::BTreeMap;
use std::path::Path;
use std::process::ExitCode;

pub fn run(cwd: &Path, ours: &[String], theirs: &[String]) -> anyhow::Result<ExitCode> {
    let store = Store::open(cwd)?;
    let mut choices = BTreeMap::new();
    for c in ours {
        choices.insert(c.clone(), Side::Ours);
    }
    for c in theirs {
        if choices.insert(c.clone(), Side::Theirs).is_some() {
            anyhow::bail!("case {} is given both --ours and --theirs", safe(c));
        }
    }
    let out = match store.sync(&SyncOptions { choices }) {
        Ok(out) => out,
        Err(StoreError::SyncConflict(list)) => {
            for c in &list {
                print_conflict(c);
            }
            return Err(StoreError::SyncConflict(list).into());
        }
        Err(e) => return Err(e.into()),
    };
    let url = safe(&out.url);
    if out.up_to_date {
        println!("up to date with {url} ({})", safe(&out.branch));
        return Ok(ExitCode::SUCCESS);
    }
    if out.fetched > 0 {
        println!("fetched {} commit(s) from {url}", out.fetched);
    }
    for (case, side) in &out.resolved {
        let how = match side {
            Side::Ours => "yours stands",
            Side::Theirs => "the upstream's stands",
        };
        println!("resolved {}: {how}", safe(case));
    }
    for c in &out.dropped {
        println!(
            "dropped {} {} (the upstream already has it)",
            c.id, c.summary
        );
    }
    for t in &out.tags {
        println!("pushed tag {}", safe(t));
    }
    for w in &out.warnings {
        eprintln!("docket: warning: {}", safe(w));
    }
    for c in &out.pushed {
        println!("pushed {} {}", c.id, c.summary);
    }
    let short: String = out.head.chars().take(7).collect();
    println!("{} is at {short}", safe(&out.branch));
    Ok(ExitCode::SUCCESS)
}

/// Both sides of one conflict and the commands that decide it.
fn print_conflict(c: &Conflicted) {
    let k = &c.conflict;
    match &k.case {
        Some(case) => println!("conflict on case {} ({})", safe(case), safe(&k.path)),
        None => println!("conflict on {}", safe(&k.path)),
    }
    let o = &c.ours;
    println!(
        "  yours:    {} (commit {} by {} at {}: {})",
        safe(&k.ours),
        o.id,
        o.author,
        o.at,
        o.summary
    );
    match &c.theirs {
        Some(t) => println!(
            "  upstream: {} (commit {} by {} at {}: {})",
            safe(&k.theirs),
            t.id,
            t.author,
            t.at,
            t.summary
        ),
        None => println!("  upstream: {}", safe(&k.theirs)),
    }
    let Some(case) = &k.case else {
        println!(
            "  docket cannot decide this file per case; make both sides agree, then sync again"
        );
        return;
    };
    let case = safe(case);
    if k.can_take_ours {
        println!("  keep yours:    docket sync --ours {case}");
    }
    println!("  keep upstream: docket sync --theirs {case}");
}
