//! `docket set diff SET [A..B]`: the cases a set gained, lost and changed
//! between two versions, each with the commits behind it — docket's
//! trailers when docket made the change, "by hand" when git or an editor
//! did. The history walking is the store's; this file only prints.

use super::output::{self, safe};
use crate::model::time;
use crate::store::{CaseDiff, Change, Chosen, Point, SetDiff, Store, Touch, short};
use serde_json::{Value, json};
use std::fmt::Write as _;
use std::path::Path;
use std::process::ExitCode;

pub fn run(cwd: &Path, set: &str, range: Option<&str>, json: bool) -> anyhow::Result<ExitCode> {
    let store = Store::open(cwd)?;
    let diff = store.set_diff(set, range)?;
    if json {
        output::print_json(&to_json(&diff))?;
    } else {
        std::io::Write::write_all(&mut std::io::stdout().lock(), text(&diff).as_bytes())?;
    }
    Ok(ExitCode::SUCCESS)
}

/// `v5 (1a2b3c4d5e)`, `HEAD (v8, 9f8e7d6c5b)`.
#[must_use]
pub fn point(p: &Point) -> String {
    let sha = short(&p.commit);
    match p.version {
        Some(v) if p.label == format!("v{v}") => format!("v{v} ({sha})"),
        Some(v) => format!("{} (v{v}, {sha})", safe(&p.label)),
        None => format!("{} ({sha})", safe(&p.label)),
    }
}

/// What the default start was, when the user gave none.
#[must_use]
pub fn since(p: &Point) -> Option<String> {
    match p.chosen {
        Chosen::LastReview => Some(format!("since the last review ({})", safe(&p.label))),
        Chosen::FirstVersion => {
            Some("since the set's first version (no review/* tag in HEAD's history)".to_owned())
        }
        Chosen::Given | Chosen::Head => None,
    }
}

fn counts(d: &SetDiff) -> String {
    let n = |c| d.of(c).count();
    format!(
        "{} added, {} removed, {} changed",
        n(Change::Added),
        n(Change::Removed),
        n(Change::Changed)
    )
}

fn day(secs: i64) -> String {
    time::day(&time::datetime_from_unix(secs)).unwrap_or_default()
}

/// The readable report; every piece of text from git or a file is
/// sanitized.
fn text(d: &SetDiff) -> String {
    let mut o = String::new();
    let _ = writeln!(
        o,
        "set {}: {} .. {}",
        safe(&d.set),
        point(&d.from),
        point(&d.to)
    );
    if let Some(s) = since(&d.from) {
        let _ = writeln!(o, "{s}");
    }
    if d.cases.is_empty() {
        let _ = writeln!(o, "no case added, removed or changed");
        return o;
    }
    let _ = writeln!(o, "{}", counts(d));
    for c in &d.cases {
        let mark = match c.change {
            Change::Added => '+',
            Change::Removed => '-',
            Change::Changed => '~',
        };
        let _ = writeln!(o, "\n{mark} {}  {}", safe(&c.id), safe(&c.path));
        if c.commits.is_empty() {
            let _ = writeln!(
                o,
                "    no commit in {}..{} made this change (the range's start is not an ancestor of its end)",
                safe(&d.from.label),
                safe(&d.to.label)
            );
        }
        for t in &c.commits {
            touch(&mut o, c, t);
        }
        for l in &c.patch {
            let _ = writeln!(o, "    {}", safe(l));
        }
    }
    o
}

fn touch(o: &mut String, c: &CaseDiff, t: &Touch) {
    if t.actions.is_empty() {
        let _ = writeln!(
            o,
            "    {} by hand in {}: {} ({}, {})",
            c.change.as_str(),
            short(&t.commit),
            safe(&t.summary),
            day(t.time),
            safe(&t.author)
        );
        return;
    }
    let _ = writeln!(
        o,
        "    {} {} {}: {}",
        short(&t.commit),
        day(t.time),
        safe(&t.author),
        safe(&t.summary)
    );
    for a in &t.actions {
        let _ = writeln!(o, "      Docket-Action: {}", safe(a));
    }
}

fn point_json(p: &Point) -> Value {
    json!({
        "label": p.label,
        "commit": p.commit,
        "version": p.version,
        "chosen": match p.chosen {
            Chosen::Given => "given",
            Chosen::LastReview => "last-review",
            Chosen::FirstVersion => "first-version",
            Chosen::Head => "head",
        },
    })
}

fn case_json(c: &CaseDiff) -> Value {
    let commits: Vec<Value> = c
        .commits
        .iter()
        .map(|t| {
            json!({
                "commit": t.commit,
                "summary": t.summary,
                "author": t.author,
                "at": time::datetime_from_unix(t.time).to_string(),
                "actions": t.actions,
            })
        })
        .collect();
    let mut v = json!({
        "id": c.id,
        "path": c.path,
        "by_hand": c.by_hand(),
        "commits": commits,
    });
    if c.change == Change::Changed {
        v["patch"] = json!(c.patch.join("\n"));
    }
    v
}

fn to_json(d: &SetDiff) -> Value {
    let list = |ch| d.of(ch).map(case_json).collect::<Vec<_>>();
    json!({
        "set": d.set,
        "from": point_json(&d.from),
        "to": point_json(&d.to),
        "added": list(Change::Added),
        "removed": list(Change::Removed),
        "changed": list(Change::Changed),
    })
}
