use super::*;
use crate::model::workspace::parse_file;
use crate::model::{Config, Workspace};

fn day(y: i64, m: u32, d: u32) -> i64 {
    time::days_from_civil(y, m, d)
}

fn file(path: &str, contents: &str) -> FileWrite {
    FileWrite {
        path: path.to_owned(),
        contents: contents.to_owned(),
    }
}

fn get<'a>(files: &'a [FileWrite], path: &str) -> &'a str {
    &files
        .iter()
        .find(|f| f.path == path)
        .unwrap_or_else(|| panic!("{path} missing: {:?}", paths(files)))
        .contents
}

fn paths(files: &[FileWrite]) -> Vec<&str> {
    files.iter().map(|f| f.path.as_str()).collect()
}

fn all_days(files: &[FileWrite]) -> Vec<i64> {
    let mut v: Vec<i64> = files
        .iter()
        .flat_map(|f| dates(&f.path, &f.contents).unwrap())
        .map(|d| d.day)
        .collect();
    v.sort_unstable();
    v
}

#[test]
fn zero_days_is_the_identity_byte_for_byte() {
    let example = super::super::files();
    assert_eq!(shift(&example, 0).unwrap(), example);
    let newest = newest_day(&example).unwrap().unwrap();
    assert_eq!(anchored(&example, newest).unwrap(), example);
}

#[test]
fn the_example_is_set_on_the_review_monday() {
    // The day the end-to-end tests pin (`DOCKET_NOW`), so they see the
    // example exactly as written.
    let example = super::super::files();
    assert_eq!(newest_day(&example).unwrap(), Some(day(2026, 11, 23)));
    // Memo review dates look further ahead and do not count.
    assert!(all_days(&example).iter().any(|d| *d > day(2026, 11, 23)));
}

#[test]
fn every_date_moves_by_the_same_days_and_back() {
    let example = super::super::files();
    let before = all_days(&example);
    for days in [61, 8, -40, 400] {
        let moved = shift(&example, days).unwrap();
        assert_eq!(moved.len(), example.len());
        let after = all_days(&moved);
        let expected: Vec<i64> = before.iter().map(|d| d + days).collect();
        assert_eq!(after, expected, "shift by {days}");
        assert_eq!(shift(&moved, -days).unwrap(), example, "{days} and back");
        // Prose is left alone.
        let notes = moved
            .iter()
            .filter(|f| f.contents.contains("Postmortem due 2026-11-26."))
            .count();
        assert_eq!(notes, 1, "shift by {days}");
    }
}

#[test]
fn failures_runs_and_provenance_follow_across_month_and_year_ends() {
    let failure = "id = \"x-1\"\noccurred_at = 2026-10-31T23:59:00Z # late\nsummary = \"Broke on 2026-10-31\"\n\n[[notes]]\nat = 2026-11-01T00:10:00Z\ntext = \"t\"\n";
    let old_blob = blob("f", failure).unwrap();
    let case = format!(
        "id = \"x-1\"\n\n[provenance]\nfailure = \"evals/failures/2026-10/x-1.toml\"  # the source\nfailure_blob = \"{old_blob}\"\npromoted_at = 2026-11-02T09:00:00Z\nadded_in_version = 1\n"
    );
    let stale = "id = \"x-2\"\n\n[provenance]\nfailure = \"evals/failures/2026-10/x-1.toml\"\nfailure_blob = \"0123\"\n";
    let memo = "+++\nid = \"0001\"\ndate = 2028-02-28\nreview_by = 2028-03-31\n+++\n## Context\nDecided on 2028-02-28.\n";
    let files = vec![
        file("docket.toml", "[workspace]\nname = \"w\"\n"),
        file("evals/failures/2026-10/x-1.toml", failure),
        file("evals/sets/s/cases/x-1.toml", &case),
        file("evals/sets/s/cases/x-2.toml", stale),
        file(
            "evals/runs/s/2026-12-31-nightly.toml",
            "at = 2026-12-31T03:00:00Z\n",
        ),
        file("memos/0001-a.md", memo),
    ];
    let moved = shift(&files, 1).unwrap();
    assert_eq!(
        paths(&moved),
        [
            "docket.toml",
            "evals/failures/2026-11/x-1.toml",
            "evals/runs/s/2027-01-01-nightly.toml",
            "evals/sets/s/cases/x-1.toml",
            "evals/sets/s/cases/x-2.toml",
            "memos/0001-a.md",
        ]
    );
    let f = get(&moved, "evals/failures/2026-11/x-1.toml");
    assert_eq!(
        f,
        failure
            .replace("2026-10-31T", "2026-11-01T")
            .replace("2026-11-01T00", "2026-11-02T00")
    );
    assert!(f.contains("\"Broke on 2026-10-31\""), "strings stay: {f}");
    let c = get(&moved, "evals/sets/s/cases/x-1.toml");
    let new_blob = blob("f", f).unwrap();
    assert_eq!(
        c,
        case.replace("2026-10/x-1", "2026-11/x-1")
            .replace(&old_blob, &new_blob)
            .replace("2026-11-02T09", "2026-11-03T09")
    );
    // A blob of some other version of the failure is left as it was.
    assert!(get(&moved, "evals/sets/s/cases/x-2.toml").contains("failure_blob = \"0123\""));
    assert_eq!(
        get(&moved, "evals/runs/s/2027-01-01-nightly.toml"),
        "at = 2027-01-01T03:00:00Z\n"
    );
    // A leap day, and the body untouched.
    assert_eq!(
        get(&moved, "memos/0001-a.md"),
        "+++\nid = \"0001\"\ndate = 2028-02-29\nreview_by = 2028-04-01\n+++\n## Context\nDecided on 2028-02-28.\n"
    );
    // Backwards over the same ends, and back to the bytes we started from.
    let back = shift(&moved, -1).unwrap();
    assert_eq!(back, {
        let mut f = files.clone();
        f.sort_by(|a, b| a.path.cmp(&b.path));
        f
    });
    // The story's day ignores review_by.
    assert_eq!(newest_day(&files).unwrap(), Some(day(2028, 2, 28)));
}

#[test]
fn only_the_date_bytes_change() {
    let text = "# when things happened\nat = 2026-11-10 10:05:00.5+02:00 # local\nday = 2026-01-31\nt = 10:00:00\nlist = [ 2026-01-01 , 2026-02-01T00:00:00Z ]\ninline = { when = 2026-03-01, n = 1 }\ns = \"2026-01-01\"\n\n[[x]]\nat = 2026-12-31T23:00:00z\n";
    let out = shift_text("a.toml", text, 30).unwrap();
    assert_eq!(
        out,
        "# when things happened\nat = 2026-12-10 10:05:00.5+02:00 # local\nday = 2026-03-02\nt = 10:00:00\nlist = [ 2026-01-31 , 2026-03-03T00:00:00Z ]\ninline = { when = 2026-03-31, n = 1 }\ns = \"2026-01-01\"\n\n[[x]]\nat = 2027-01-30T23:00:00z\n"
    );
    assert!(shift_text("a.toml", "d = 9999-12-31\n", 1).is_err());
    assert!(shift_text("a.toml", "d = [\n", 1).is_err());
    // Not TOML, not front matter: left alone.
    assert_eq!(
        shift_text("a.txt", "d = 2026-01-01\n", 1).unwrap(),
        "d = 2026-01-01\n"
    );
}

/// `docket check` over files in memory, as of `today`.
fn check(files: &[FileWrite], today: &str) -> Vec<Diagnostic> {
    let (config, diags) = Config::parse(get(files, "docket.toml")).unwrap();
    let mut ws = Workspace::new(config, diags);
    for f in files {
        if let Some(kind) = classify(&f.path) {
            let (parsed, diags) = parse_file(kind, &f.path, f.contents.as_bytes());
            ws.add(parsed, diags);
        }
    }
    ws.finish();
    let line = |p: &str, k: &str| crate::model::diag::key_line(get(files, p), k);
    crate::ops::check::check(&ws, &line, &time::parse(today).unwrap())
}

/// Moves every `YYYY-MM-DD` in a message by `days`.
fn shift_prose(msg: &str, days: i64) -> String {
    let mut out = String::new();
    let mut rest = msg;
    while let Some(i) = rest.find("20") {
        out.push_str(&rest[..i]);
        rest = &rest[i..];
        if let Some(d) = rest.get(..10).and_then(time::parse).and_then(|d| d.date) {
            let n = day(i64::from(d.year), u32::from(d.month), u32::from(d.day));
            out.push_str(&format_day(n + days).unwrap());
            rest = &rest[10..];
        } else {
            out.push_str("20");
            rest = &rest[2..];
        }
    }
    out + rest
}

#[test]
fn a_shifted_example_checks_the_same() {
    let example = super::super::files();
    let today = "2026-11-23T10:00:00Z";
    let base = check(&example, today);
    assert!(!base.is_empty(), "the example has warnings to compare");
    for days in [61, 8, -40] {
        let moved = shift(&example, days).unwrap();
        let t = time::datetime_from_unix(
            time::unix_from_datetime(&time::parse(today).unwrap()).unwrap() + days * 86_400,
        );
        let got = check(&moved, &t.to_string());
        // The same problems, at the moved paths, naming the moved dates.
        let by_id = |files: &[FileWrite], p: &str| -> String {
            let stem = crate::model::parse::stem(p);
            files
                .iter()
                .find(|f| {
                    classify(&f.path) == classify(p) && crate::model::parse::stem(&f.path) == stem
                })
                .map_or_else(|| p.to_owned(), |f| f.path.clone())
        };
        let want: Vec<Diagnostic> = base
            .iter()
            .map(|d| Diagnostic {
                path: by_id(&moved, &d.path),
                message: shift_prose(&d.message, days),
                ..d.clone()
            })
            .collect();
        assert_eq!(got, want, "shift by {days}");
    }
}
