//! Huge and malformed input: a 50 MB case, a file past the 64 MiB limit,
//! 20,000-deep nesting, invalid UTF-8, a 10,000-line memo and a 1 MB
//! single-line output. Each loads or is reported with `path:line` and
//! skipped; nothing panics or overflows the stack, and the rest of the
//! workspace keeps working. (Time and memory are measured in
//! RELIABILITY.md, not asserted.)

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::Workspace;
use std::fmt::Write as _;

/// A copy of a `new` case of the example with `id` and `output`.
fn case_with_output(ws: &Workspace, id: &str, output: &str) -> (String, String) {
    let model = ws.promotable(1).remove(0);
    let text = ws.read(&model.path);
    let mut out = String::with_capacity(text.len() + output.len() + 64);
    let mut in_output = false;
    for l in text.lines() {
        if l.starts_with("id = ") {
            let _ = writeln!(out, "id = \"{id}\"");
        } else if l == "[output]" {
            in_output = true;
            out.push_str("[output]\ncontent = '''\n");
            out.push_str(output);
            out.push_str("'''\n");
        } else if in_output && l.starts_with('[') {
            in_output = false;
            out.push_str(l);
            out.push('\n');
        } else if !in_output {
            out.push_str(l);
            out.push('\n');
        }
    }
    let path = format!("{}/{id}.toml", model.path.rsplit_once('/').unwrap().0);
    (path, out)
}

#[test]
fn a_50_mb_case_loads_shows_and_is_triaged() {
    let ws = Workspace::example();
    let big = format!("{}\n", "x".repeat(99)).repeat(500_000) + "the very last line";
    let (path, text) = case_with_output(&ws, "huge-output", &big);
    ws.write(&path, text);
    ws.git_commit_all("a runaway output");
    let shown = ws.docket(&["show", "huge-output"]).ok();
    assert!(shown.stdout.contains("the very last line"));
    assert!(shown.stdout.len() > 50_000_000);
    let tag = ws.taxonomy()[0].clone();
    ws.docket(&["tag", "huge-output", &tag, "--commit"]).ok();
    assert_eq!(ws.status(), "");
}

#[test]
fn a_file_past_the_limit_is_reported_and_skipped() {
    let ws = Workspace::example();
    let big = "y".repeat(65 << 20);
    let (path, text) = case_with_output(&ws, "too-big", &big);
    ws.write(&path, text);
    let check = ws.docket(&["check"]).code(1);
    assert!(
        check.stdout.contains(&format!("{path}:1:")) && check.stdout.contains("64 MiB"),
        "{}",
        check.stdout
    );
    // The rest of the workspace is untouched by it.
    let n = ws.list("failures").len();
    assert!(n > 10);
}

#[test]
fn deep_nesting_bad_utf8_and_long_lines_are_reported_or_shown() {
    let ws = Workspace::example();
    let (deep_path, deep) = case_with_output(&ws, "deep", "z");
    ws.write(
        &deep_path,
        format!(
            "{deep}nest = {}{}\n",
            "[".repeat(20_000),
            "]".repeat(20_000)
        ),
    );
    let memo_deep = format!(
        "+++\nid = \"0098\"\ntitle = \"t\"\nstatus = \"draft\"\ndate = 2026-11-01\nx = {}{}\n+++\nbody\n",
        "{a=".repeat(20_000),
        "}".repeat(20_000)
    );
    ws.write("memos/0098-deep.md", memo_deep);
    let (bad_path, bad) = case_with_output(&ws, "bad-utf8", "ok");
    let mut bytes = bad.into_bytes();
    bytes.extend_from_slice(b"extra = \"\xff\xfe\"\n");
    ws.write(&bad_path, bytes);
    let line = "w".repeat(1_000_000);
    let (line_path, one_line) = case_with_output(&ws, "one-line", &line);
    ws.write(&line_path, one_line);
    let mut body = String::new();
    for i in 0..10_000 {
        let _ = writeln!(body, "line {i} of a long memo");
    }
    let memo = ws.read("memos/0001-agent-launch-baseline.md").replacen(
        "id = \"0001\"",
        "id = \"0097\"",
        1,
    ) + &body;
    ws.write("memos/0097-long.md", memo);

    let check = ws.docket(&["check"]);
    assert!(check.code == Some(1), "{check:?}");
    for (p, what) in [
        (deep_path.as_str(), "recursion"),
        ("memos/0098-deep.md", "recursion"),
        (bad_path.as_str(), "UTF-8"),
    ] {
        assert!(
            check
                .stdout
                .lines()
                .any(|l| l.starts_with(&format!("{p}:")) && l.contains(what)),
            "{p}: {}",
            check.stdout
        );
    }
    let shown = ws.docket(&["show", "one-line"]).ok();
    assert!(shown.stdout.contains(&line));
    let memo = ws.docket(&["show", "0097"]).ok();
    assert!(memo.stdout.contains("line 9999 of a long memo"));
    ws.docket(&["list", "failures"]).ok();
    ws.docket(&["search", "refund", "--limit", "3"]).ok();
}
