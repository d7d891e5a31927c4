//! Paths: no write outside the workspace through ids, set names, memo titles
//! or symlinks, whatever the user or a file says. Each refusal names what
//! is at fault, exits 2 and changes nothing.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::Workspace;
use std::fs;

#[test]
fn ids_that_are_paths_are_refused_everywhere() {
    let ws = Workspace::example();
    let case = ws.promotable(1).remove(0);
    let (set, _) = ws.a_set();
    let tag = ws.taxonomy()[0].clone();
    let long = "a".repeat(300);
    let before = ws.snapshot();
    for bad in [
        "../x",
        "/etc/passwd",
        ".git",
        ".git/config",
        "evals/../../x",
        "a\\b",
        long.as_str(),
        "",
        " x",
        "x\u{1b}[2J",
    ] {
        ws.docket(&["tag", bad, &tag]).code(2);
        ws.docket(&["note", bad, "n"]).code(2);
        ws.docket(&["dismiss", bad, "--reason", "r"]).code(2);
        ws.docket(&["promote", bad, &set]).code(2);
        ws.docket(&["promote", &case.id, bad]).code(2);
        ws.docket(&["show", bad]).code(2);
        ws.docket(&["memo", "status", bad, "accepted"]).code(2);
    }
    ws.assert_unchanged(&before, "path-like ids");
    assert!(!ws.sb.path().join("x.toml").exists());
    assert!(!ws.sb.path().join("x").exists());
}

#[test]
fn a_memo_title_never_becomes_a_path() {
    let ws = Workspace::example();
    // (A NUL cannot reach docket through argv: the OS refuses it first;
    // NUL in files is covered below.)
    for title in ["../../etc/passwd", "/abs/path", ".git/hooks/pre-commit"] {
        ws.docket(&["memo", "new", title]).ok();
    }
    let outside: Vec<String> = common::tree_files(&ws.root)
        .into_keys()
        .filter(|k| k.starts_with("memos/") && k.contains("etc"))
        .collect();
    assert_eq!(outside, ["memos/0013-etc-passwd.md"]);
    assert!(!ws.root.join(".git/hooks/pre-commit").exists());
    for f in fs::read_dir(ws.root.join("memos")).unwrap() {
        let name = f.unwrap().file_name().into_string().unwrap();
        assert!(
            name.chars()
                .all(|c| c.is_ascii_alphanumeric() || "-.".contains(c)),
            "{name}"
        );
    }
}

#[test]
fn ids_inside_files_are_checked_too() {
    let ws = Workspace::example();
    let case = ws.promotable(1).remove(0);
    let folder = ws.a_month_folder();
    for (name, id) in [
        ("nul", "a\\u0000b"),
        ("dots", "../../outside"),
        ("long", &"b".repeat(200)),
    ] {
        let text = ws
            .read(&case.path)
            .replace(&format!("id = \"{}\"", case.id), &format!("id = \"{id}\""));
        ws.write(&format!("{folder}/{name}.toml"), text);
    }
    let run = ws.docket(&["check"]);
    for name in ["nul", "dots", "long"] {
        assert!(
            run.stdout.contains(&format!("{folder}/{name}.toml:1:")),
            "{name}: {}",
            run.stdout
        );
    }
}

#[test]
fn a_symlinked_folder_is_read_only_and_docket_says_so() {
    let ws = Workspace::example();
    let case = ws.promotable(1).remove(0);
    let tag = ws.new_tag_for(&case);
    let folder = ws.root.join(case.path.rsplit_once('/').unwrap().0);
    let elsewhere = ws.sb.path().join("elsewhere");
    fs::rename(&folder, &elsewhere).unwrap();
    std::os::unix::fs::symlink(&elsewhere, &folder).unwrap();
    let outside_before = common::tree_files(&elsewhere);
    let before = ws.snapshot();
    ws.docket(&["tag", &case.id, &tag])
        .refused(&["symlink", "read-only"]);
    ws.docket(&["note", &case.id, "x", "--commit"])
        .refused(&["symlink", "read-only"]);
    ws.assert_unchanged(&before, "a symlinked folder");
    assert_eq!(outside_before, common::tree_files(&elsewhere));
}
