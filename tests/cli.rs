//! The read side of the command line on the bundled example, and `init`.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::{Sandbox, Workspace, trailers};

#[test]
fn example_passes_check() {
    let ws = Workspace::example();
    let r = ws.docket(&["check"]);
    assert_eq!(
        r.code,
        Some(0),
        "the bundled example should pass `docket check`\nstdout:\n{}\nstderr:\n{}",
        r.stdout,
        r.stderr
    );
    let json = ws.docket(&["check", "--json"]).ok().json();
    let errors: Vec<_> = json
        .as_array()
        .expect("check --json is an array")
        .iter()
        .filter(|d| d["level"] == "error")
        .collect();
    assert!(errors.is_empty(), "{errors:?}");
}

#[test]
fn every_listing_is_a_json_array_of_objects_with_id_and_status() {
    let ws = Workspace::example();
    for kind in ["failures", "sets", "runbooks", "memos"] {
        let items = ws.list(kind);
        assert!(!items.is_empty(), "the example should have some {kind}");
        for item in &items {
            let obj = item
                .as_object()
                .unwrap_or_else(|| panic!("{kind}: not an object: {item}"));
            for key in ["id", "status"] {
                assert!(
                    obj.get(key).is_some_and(serde_json::Value::is_string),
                    "{kind}: item without a string {key:?}: {item}"
                );
            }
        }
    }
}

#[test]
fn listings_filter_by_status_tag_and_agent() {
    let ws = Workspace::example();
    let all = ws.list("failures");
    for status in ["new", "triaged", "promoted", "dismissed"] {
        let some = ws
            .docket(&["list", "failures", "--status", status, "--json"])
            .ok()
            .json();
        let some = some.as_array().unwrap();
        assert!(some.iter().all(|c| c["status"] == status), "{some:?}");
        let expected = all.iter().filter(|c| c["status"] == status).count();
        assert_eq!(some.len(), expected, "--status {status}");
    }
    let agent = all[0]["agent"].as_str().unwrap();
    let mine = ws
        .docket(&["list", "failures", "--agent", agent, "--json"])
        .ok()
        .json();
    assert!(!mine.as_array().unwrap().is_empty());
    assert!(mine.as_array().unwrap().iter().all(|c| c["agent"] == agent));
    let tag = ws.taxonomy()[0].clone();
    let tagged = ws
        .docket(&["list", "failures", "--tag", &tag, "--json"])
        .ok()
        .json();
    assert!(
        tagged.as_array().unwrap().iter().all(|c| c["tags"]
            .as_array()
            .unwrap()
            .iter()
            .any(|t| t == &tag[..]))
    );
    ws.docket(&["list", "failures", "--status", "bogus"])
        .refused(&["bogus"]);
    ws.docket(&["list", "failures", "--tag", "not-a-tag"])
        .refused(&["not-a-tag"]);
}

#[test]
fn show_and_search_find_a_case() {
    let ws = Workspace::example();
    let case = &ws.cases()[0];
    let shown = ws.docket(&["show", &case.id, "--json"]).ok().json();
    assert_eq!(shown["id"], case.id.as_str());
    let text = ws.docket(&["show", &case.id]).ok().stdout;
    assert!(text.contains(&case.id), "{text}");
    assert!(text.contains(&case.path), "{text}");
    let found = ws
        .docket(&["search", &case.id, "--limit", "5", "--json"])
        .ok()
        .json();
    assert!(
        found.to_string().contains(&case.id),
        "search for {} should find it: {found}",
        case.id
    );
    ws.docket(&["show", "no-such-thing"])
        .refused(&["no-such-thing"]);
}

#[test]
fn init_example_without_commit_leaves_pending_files_for_docket_commit() {
    let sb = Sandbox::new();
    let root = sb.path().join("ws");
    sb.docket(&sb.path(), &["init", root.to_str().unwrap(), "--example"])
        .ok();
    let ws = Workspace { sb, root };
    assert!(
        ws.git(&["rev-parse", "--verify", "-q", "HEAD"]).code != Some(0),
        "no commit yet"
    );
    assert!(!ws.status().is_empty(), "the example files are pending");
    ws.docket(&["check"]).ok();
    ws.docket(&["commit"]).ok();
    assert_eq!(ws.commit_count(), 1);
    assert_eq!(ws.status(), "", "work tree clean after `docket commit`");
    let msg = ws.last_message();
    assert_eq!(msg.lines().next(), Some("docket: init workspace"), "{msg}");
    assert_eq!(trailers(&msg), vec!["init"]);
    assert_eq!(
        ws.git_out(&["log", "-1", "--format=%an <%ae>"]),
        format!("{} <{}>", common::NAME, common::EMAIL)
    );
    ws.assert_fsck_clean();
    // Nothing left to commit.
    ws.docket(&["commit"]).refused(&["nothing to commit"]);
}

#[test]
fn init_empty_dir_gives_a_workspace_that_passes_check() {
    let sb = Sandbox::new();
    let root = sb.path().join("fresh");
    std::fs::create_dir_all(&root).unwrap();
    sb.docket(&sb.path(), &["init", root.to_str().unwrap()])
        .ok();
    assert!(root.join("docket.toml").is_file());
    assert!(root.join(".git").is_dir(), "init creates a git repository");
    let ws = Workspace { sb, root };
    ws.docket(&["check"]).ok();
    for kind in ["failures", "sets", "runbooks", "memos"] {
        assert!(ws.list(kind).is_empty(), "a fresh workspace has no {kind}");
    }
    ws.docket(&["commit"]).ok();
    assert_eq!(ws.status(), "");
    ws.assert_fsck_clean();
}

#[test]
fn init_in_the_current_directory() {
    let sb = Sandbox::new();
    let root = sb.path().join("here");
    std::fs::create_dir_all(&root).unwrap();
    sb.docket(&root, &["init", "--example", "--commit"]).ok();
    let ws = Workspace { sb, root };
    ws.docket(&["check"]).ok();
    assert_eq!(ws.status(), "");
}

#[test]
fn init_twice_is_refused() {
    let sb = Sandbox::new();
    let root = sb.path().join("twice");
    let dir = root.to_str().unwrap().to_owned();
    sb.docket(&sb.path(), &["init", &dir]).ok();
    let ws = Workspace { sb, root };
    ws.docket(&["commit"]).ok();
    let before = ws.snapshot();
    ws.sb
        .docket(&ws.sb.path(), &["init", &dir])
        .refused(&["already", "docket.toml"]);
    ws.assert_unchanged(&before, "second init");
    ws.sb
        .docket(&ws.sb.path(), &["init", &dir, "--example", "--commit"])
        .refused(&["already"]);
    ws.assert_unchanged(&before, "second init --example --commit");
}

#[test]
fn init_inside_an_existing_repository_uses_it() {
    let sb = Sandbox::new();
    let repo = sb.path().join("repo");
    std::fs::create_dir_all(&repo).unwrap();
    sb.git(&repo, &["init", "-q"]).ok();
    std::fs::write(repo.join("README"), "hello\n").unwrap();
    sb.git(&repo, &["add", "README"]).ok();
    sb.git(&repo, &["commit", "-q", "-m", "first"]).ok();
    sb.docket(&repo, &["init", "governance", "--example", "--commit"])
        .ok();
    assert!(
        !repo.join("governance/.git").exists(),
        "no nested repository"
    );
    let ws = Workspace {
        sb,
        root: repo.join("governance"),
    };
    assert_eq!(ws.commit_count(), 2);
    assert_eq!(ws.status(), "");
    ws.docket(&["check"]).ok();
    let files = ws.git_out(&["ls-tree", "-r", "--full-tree", "--name-only", "HEAD"]);
    assert!(files.lines().any(|l| l == "README"), "{files}");
    assert!(
        files.lines().any(|l| l == "governance/docket.toml"),
        "{files}"
    );
    ws.assert_fsck_clean();
}

#[test]
fn bad_usage_exits_2() {
    let ws = Workspace::example();
    let before = ws.snapshot();
    for args in [
        vec!["frobnicate"],
        vec!["list", "everything"],
        vec!["tag", "only-a-case"],
        vec!["dismiss", "a-case"],
        vec!["search", "x", "--limit", "many"],
    ] {
        let r = ws.docket(&args);
        assert_eq!(r.code, Some(2), "{args:?}: {r:?}");
        assert!(!r.stderr.is_empty(), "{args:?}: usage error on stderr");
    }
    ws.assert_unchanged(&before, "bad usage");
}

/// With no terminal at all (a new session without a controlling terminal,
/// as under cron or CI), the UI and demo refuse clearly and create nothing.
#[test]
fn the_ui_refuses_clearly_without_any_terminal() {
    let ws = Workspace::example();
    let mut cmd = ws.sb.command("setsid", &ws.root);
    cmd.args(["-w", env!("CARGO_BIN_EXE_docket")]);
    let run = Sandbox::run(&mut cmd);
    run.refused(&["needs a terminal"]);
    let tmp = ws.sb.path().join("tmp");
    std::fs::create_dir_all(&tmp).unwrap();
    let mut cmd = ws.sb.command("setsid", &ws.root);
    cmd.args(["-w", env!("CARGO_BIN_EXE_docket"), "demo"])
        .env("TMPDIR", &tmp);
    Sandbox::run(&mut cmd).refused(&["needs a terminal"]);
    assert_eq!(
        std::fs::read_dir(&tmp).unwrap().count(),
        0,
        "demo created nothing"
    );
}
