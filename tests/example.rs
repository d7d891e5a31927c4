#![allow(clippy::unwrap_used, clippy::expect_used)]
//! The bundled example on any day: `init --example` anchors its dates to
//! the day of copying, and `--commit` builds the history it tells, one
//! commit per eval-set version. Checked with the real binary and the git
//! command line: a copy made two months after the example's story day tells
//! the same story, with every date moved by the same number of days.

mod common;

use common::{NOW, Run, Sandbox, Workspace, trailers, tree_files};
use docket::model::time;
use std::collections::BTreeMap;

/// Two months after the example's story day (`NOW`, 2026-11-23).
const LATER: &str = "2027-01-23T10:00:00Z";
const DAYS: i64 = 61;

/// Runs docket with "today" (`DOCKET_NOW`) and git's dates pinned to `now`.
fn docket_at(sb: &Sandbox, now: &str, args: &[&str]) -> Run {
    let mut cmd = sb.command(env!("CARGO_BIN_EXE_docket"), &sb.path());
    cmd.env("DOCKET_NOW", now)
        .env("GIT_AUTHOR_DATE", now)
        .env("GIT_COMMITTER_DATE", now)
        .args(args);
    Sandbox::run(&mut cmd)
}

fn init_at(now: &str, commit: bool) -> Workspace {
    let sb = Sandbox::new();
    let root = sb.path().join("ws");
    let dir = root.to_str().unwrap().to_owned();
    let mut args = vec!["init", &dir, "--example"];
    if commit {
        args.push("--commit");
    }
    docket_at(&sb, now, &args).ok();
    Workspace { sb, root }
}

fn day_number(s: &str) -> Option<i64> {
    let d = time::parse(s.get(..10)?)?.date?;
    Some(time::days_from_civil(
        i64::from(d.year),
        u32::from(d.month),
        u32::from(d.day),
    ))
}

fn format_day(n: i64) -> String {
    let (y, m, d) = time::civil_from_days(n);
    format!("{y:04}-{m:02}-{d:02}")
}

/// Every `YYYY-MM-DD` in `s` moved by `days`.
fn shift_all(s: &str, days: i64) -> String {
    let mut out = String::new();
    let mut i = 0;
    while i < s.len() {
        if let Some(n) = s
            .get(i..i + 10)
            .filter(|w| w.as_bytes()[4] == b'-')
            .and_then(day_number)
        {
            out.push_str(&format_day(n + days));
            i += 10;
        } else {
            let c = s[i..].chars().next().unwrap();
            out.push(c);
            i += c.len_utf8();
        }
    }
    out
}

fn walk(v: &toml::Value, out: &mut Vec<i64>) {
    match v {
        toml::Value::Datetime(dt) => {
            if let Some(d) = dt.date {
                out.push(time::days_from_civil(
                    i64::from(d.year),
                    u32::from(d.month),
                    u32::from(d.day),
                ));
            }
        }
        toml::Value::Array(a) => a.iter().for_each(|x| walk(x, out)),
        toml::Value::Table(t) => t.values().for_each(|x| walk(x, out)),
        _ => {}
    }
}

/// The days of every TOML date value of a file (front matter for `.md`).
fn toml_days(path: &str, text: &str) -> Vec<i64> {
    let toml = if path.ends_with(".md") {
        text.split("+++\n").nth(1).unwrap_or("")
    } else if path.ends_with(".toml") {
        text
    } else {
        return Vec::new();
    };
    let mut out = Vec::new();
    walk(&toml::Value::Table(toml.parse().unwrap()), &mut out);
    out
}

/// Where a file of the unshifted example is in the shifted copy: the same
/// path, or a failure's id in another month folder, or a run's moved day.
fn moved_path(later: &BTreeMap<String, Vec<u8>>, path: &str) -> String {
    if later.contains_key(path) {
        return path.to_owned();
    }
    if let Some(rest) = path.strip_prefix("evals/failures/") {
        let name = rest.split_once('/').unwrap().1;
        return later
            .keys()
            .find(|p| p.starts_with("evals/failures/") && p.ends_with(&format!("/{name}")))
            .unwrap_or_else(|| panic!("{path} is not in the copy"))
            .clone();
    }
    let (dir, name) = path.rsplit_once('/').unwrap();
    format!("{dir}/{}", shift_all(name, DAYS))
}

fn check_lines(ws: &Workspace, now: &str) -> Vec<String> {
    let root = ws.root.to_str().unwrap();
    let r = docket_at(&ws.sb, now, &["-C", root, "check"]).ok();
    r.stdout.lines().map(str::to_owned).collect()
}

#[test]
fn the_example_on_its_story_day_is_the_repository_s_own() {
    let ws = init_at(NOW, true);
    let copy = tree_files(&ws.root);
    let here = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    for (path, bytes) in &copy {
        assert_eq!(
            &std::fs::read(here.join(path)).unwrap(),
            bytes,
            "{path} differs from the bundled example"
        );
    }
    assert_eq!(ws.status(), "");
}

#[test]
fn a_copy_two_months_later_tells_the_same_story() {
    let base = init_at(NOW, true);
    let ws = init_at(LATER, true);
    let before = tree_files(&base.root);
    let after = tree_files(&ws.root);
    assert_eq!(before.len(), after.len());

    // Every date value moved by the same number of days, times kept; no
    // other byte changed, but for the provenance that follows a moved
    // failure. Prose keeps its dates.
    let mut moved_failures = 0;
    for (path, bytes) in &before {
        let to = moved_path(&after, path);
        moved_failures += usize::from(to != *path && path.starts_with("evals/failures/"));
        let old = String::from_utf8(bytes.clone()).unwrap();
        let new = String::from_utf8(after[&to].clone()).unwrap();
        let want: Vec<i64> = toml_days(path, &old).iter().map(|d| d + DAYS).collect();
        assert_eq!(toml_days(&to, &new), want, "{path} -> {to}");
        assert_eq!(old.lines().count(), new.lines().count(), "{path}");
        for (a, b) in old.lines().zip(new.lines()) {
            let same = a == b || shift_all(a, DAYS) == b;
            let provenance = a.starts_with("failure = ") || a.starts_with("failure_blob = ");
            assert!(same || provenance, "{path} -> {to}:\n  {a}\n  {b}");
        }
    }
    assert!(moved_failures > 0, "some failures changed month folders");

    // `docket check` finds the same problems, at the moved paths, naming
    // the moved dates.
    let want: Vec<String> = check_lines(&base, NOW)
        .iter()
        .map(|l| {
            let (path, rest) = l.split_once(':').unwrap();
            format!("{}:{}", moved_path(&after, path), shift_all(rest, DAYS))
        })
        .collect();
    assert!(!want.is_empty(), "the example has warnings to compare");
    assert_eq!(check_lines(&ws, LATER), want);

    // The history in date order, ending with the copy.
    let dates: Vec<i64> = ws
        .git_out(&["log", "--reverse", "--format=%at"])
        .lines()
        .map(|l| l.parse().unwrap())
        .collect();
    assert!(dates.len() > 20, "{dates:?}");
    assert!(dates.windows(2).all(|w| w[0] <= w[1]), "{dates:?}");
    let later = time::unix_from_datetime(&time::parse(LATER).unwrap()).unwrap();
    assert_eq!(dates.last(), Some(&later));
    let first = ws.git_out(&["log", "--reverse", "--format=%s%n%b"]);
    assert!(first.starts_with("docket: init workspace\n"), "{first}");
    assert_eq!(ws.status(), "", "the tree is exactly the copy");
    ws.assert_fsck_clean();

    // Every set grew version by version, by the reviewer who promoted.
    let mut most = 0;
    for set in ws.list("sets") {
        let id = set["id"].as_str().unwrap();
        let file = format!("evals/sets/{id}/set.toml");
        let log = ws.git_out(&["log", "--reverse", "--format=%H %ae", "--", &file]);
        let commits: Vec<&str> = log.lines().collect();
        // The first commit created the set at version 0.
        for (v, line) in commits.iter().enumerate().skip(1) {
            let (commit, email) = line.split_once(' ').unwrap();
            let msg = ws.git_out(&["log", "-1", "--format=%B", commit]);
            let t = trailers(&msg);
            assert_eq!(t.len(), 1, "{msg}");
            let (case, at) = t[0]
                .strip_prefix("promote ")
                .and_then(|r| r.split_once(" -> "))
                .unwrap_or_else(|| panic!("{msg}"));
            assert_eq!(at, format!("{id}@v{v}"));
            let shown: toml::Table = ws
                .git_out(&["show", &format!("{commit}:{file}")])
                .parse()
                .unwrap();
            assert_eq!(
                shown["version"].as_integer(),
                Some(i64::try_from(v).unwrap())
            );
            let sc: toml::Table = ws
                .read(&format!("evals/sets/{id}/cases/{case}.toml"))
                .parse()
                .unwrap();
            let prov = sc["provenance"].as_table().unwrap();
            assert_eq!(
                prov["added_in_version"].as_integer(),
                Some(i64::try_from(v).unwrap())
            );
            assert_eq!(prov["promoted_by"].as_str(), Some(email));
            // The failure as promoted is in that commit.
            let failure = prov["failure"].as_str().unwrap();
            assert_eq!(
                ws.blob_at(commit, failure),
                prov["failure_blob"].as_str().unwrap(),
                "{case}"
            );
        }
        most = most.max(commits.len() - 1);
    }
    assert!(most >= 3, "a set with several versions to diff");
}

#[test]
fn without_commit_the_anchored_copy_stays_pending() {
    let ws = init_at(LATER, false);
    assert!(
        ws.git(&["rev-parse", "--verify", "-q", "HEAD"]).code != Some(0),
        "no commit yet"
    );
    assert!(!ws.status().is_empty());
    // Anchored: the newest failure is from the day of copying.
    let newest = ws
        .cases()
        .iter()
        .map(|c| {
            let t: toml::Table = ws.read(&c.path).parse().unwrap();
            t["occurred_at"].as_datetime().unwrap().to_string()
        })
        .max()
        .unwrap();
    assert!(newest.starts_with("2027-01-21"), "{newest}");
    let check = docket_at(&ws.sb, LATER, &["-C", ws.root.to_str().unwrap(), "check"]);
    assert_eq!(check.code, Some(0), "{}", check.stdout);
    docket_at(&ws.sb, LATER, &["-C", ws.root.to_str().unwrap(), "commit"]).ok();
    assert_eq!(ws.commit_count(), 1);
    assert_eq!(trailers(&ws.last_message()), vec!["init"]);
    assert_eq!(ws.status(), "");
}
