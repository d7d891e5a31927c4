//! `docket sync` end to end: a bare remote, two reviewers' clones (and a
//! third for a concurrent push), the real binary, every result checked with
//! git on the remote.

#![allow(clippy::unwrap_used, clippy::expect_used)]

#[path = "../common/mod.rs"]
mod common;
mod conflicts;
mod hand;
mod meeting;
mod ssh;
mod team;

use common::{Sandbox, Workspace};
use team::{ANA, BO, Team, who};

#[test]
fn a_tag_on_each_side_gives_both_tags_and_both_commits() {
    let t = Team::new();
    let case = t.ws.promotable(1).remove(0);
    let tags: Vec<String> =
        t.ws.taxonomy()
            .into_iter()
            .filter(|x| !case.tags.contains(x))
            .take(2)
            .collect();
    let base = t.remote_tip();
    t.docket(&t.a, &["tag", &case.id, &tags[0], "--commit"])
        .ok();
    let r = t.docket(&t.a, &["sync"]).ok();
    assert!(r.stdout.contains("pushed "), "{}", r.stdout);
    // B has not fetched: its tag is on the old tip.
    t.docket(&t.b, &["tag", &case.id, &tags[1], "--commit"])
        .ok();
    let r = t.docket(&t.b, &["sync"]).ok();
    assert!(r.stdout.contains("fetched 1 commit(s)"), "{}", r.stdout);
    let log = t.remote_log(2);
    assert_eq!(
        log,
        vec![
            (who(BO), vec![format!("tag {} +{}", case.id, tags[1])]),
            (who(ANA), vec![format!("tag {} +{}", case.id, tags[0])]),
        ]
    );
    assert_eq!(
        t.out(&t.bare, &["rev-parse", &format!("{}~2", t.branch)]),
        base
    );
    // B's commit keeps its author; B (the one syncing) is its committer.
    assert_eq!(
        t.out(&t.bare, &["log", "-1", "--format=%cn", &t.branch]),
        BO.0
    );
    let got = t.tags_on_remote(&case.path);
    assert!(got.contains(&tags[0]) && got.contains(&tags[1]), "{got:?}");
    // A syncs: B's commit arrives; then nothing is left to do.
    let r = t.docket(&t.a, &["sync"]).ok();
    assert!(r.stdout.contains("fetched 1 commit(s)"), "{}", r.stdout);
    let r = t.docket(&t.a, &["sync"]).ok();
    assert!(r.stdout.starts_with("up to date"), "{}", r.stdout);
    assert_eq!(t.out(&t.a, &["rev-parse", "HEAD"]), t.remote_tip());
    assert_eq!(t.out(&t.b, &["rev-parse", "HEAD"]), t.remote_tip());
    t.assert_settled();
}

#[test]
fn notes_from_both_sides_in_time_order() {
    let t = Team::new();
    let case = t.ws.promotable(1).remove(0);
    // B writes first (earlier time) but syncs last.
    t.docket_at(
        &t.b,
        "2026-11-23T09:00:00Z",
        &["note", &case.id, "from Bo, earlier", "--commit"],
    )
    .ok();
    t.docket_at(
        &t.a,
        "2026-11-23T11:00:00Z",
        &["note", &case.id, "from Ana, later", "--commit"],
    )
    .ok();
    t.docket(&t.a, &["sync"]).ok();
    t.docket(&t.b, &["sync"]).ok();
    t.docket(&t.a, &["sync"]).ok();
    let f = t.remote_file(&case.path);
    let notes: Vec<(&str, &str)> = f["notes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|n| (n["author"].as_str().unwrap(), n["text"].as_str().unwrap()))
        .collect();
    let ours: Vec<_> = notes.iter().filter(|n| n.1.starts_with("from ")).collect();
    assert_eq!(
        ours,
        [&(BO.1, "from Bo, earlier"), &(ANA.1, "from Ana, later")],
        "{notes:?}"
    );
    t.assert_settled();
}

#[test]
fn promotions_into_one_set_from_both_sides_bump_it_twice() {
    let t = Team::new();
    let cases = t.ws.promotable(2);
    let (set, v) = t.ws.a_set();
    t.docket(&t.a, &["promote", &cases[0].id, &set, "--commit"])
        .ok();
    t.docket(&t.b, &["promote", &cases[1].id, &set, "--commit"])
        .ok();
    t.docket(&t.a, &["sync"]).ok();
    t.docket(&t.b, &["sync"]).ok();
    t.docket(&t.a, &["sync"]).ok();
    let set_toml = t.remote_file(&format!("evals/sets/{set}/set.toml"));
    assert_eq!(set_toml["version"].as_integer(), Some(v + 2));
    let log = t.remote_log(2);
    assert_eq!(
        log[0].1,
        [format!("promote {} -> {set}@v{}", cases[1].id, v + 2)]
    );
    assert_eq!(
        log[1].1,
        [format!("promote {} -> {set}@v{}", cases[0].id, v + 1)]
    );
    for (c, want) in [(&cases[0], v + 1), (&cases[1], v + 2)] {
        let copy = t.remote_file(&format!("evals/sets/{set}/cases/{}.toml", c.id));
        let prov = copy["provenance"].as_table().unwrap();
        assert_eq!(
            prov["added_in_version"].as_integer(),
            Some(want),
            "{prov:?}"
        );
        // failure_blob names the failure file as pushed.
        let blob = t.out(&t.bare, &["rev-parse", &format!("{}:{}", t.branch, c.path)]);
        assert_eq!(prov["failure_blob"].as_str(), Some(blob.as_str()));
        let failure = t.remote_file(&c.path);
        assert_eq!(
            failure["promotion"]["version"].as_integer(),
            Some(want),
            "{failure:?}"
        );
    }
    for dir in [&t.a, &t.b] {
        let r = t.docket(dir, &["check"]);
        assert_eq!(r.code, Some(0), "{}{}", r.stdout, r.stderr);
    }
    t.assert_settled();
}

#[test]
fn a_push_rejected_in_between_is_fetched_rebuilt_and_pushed_again() {
    let t = Team::new();
    let case = t.ws.promotable(1).remove(0);
    let tags: Vec<String> =
        t.ws.taxonomy()
            .into_iter()
            .filter(|x| !case.tags.contains(x))
            .take(2)
            .collect();
    // A third reviewer's commit waits on a side branch of the remote...
    let c = Team::clone_as(&t.ws.sb, &t.bare, "c", ("Cy Reviewer", "cy@example.com"));
    t.docket(&c, &["tag", &case.id, &tags[1], "--commit"]).ok();
    t.git(&c, &["push", "-q", "origin", "HEAD:refs/heads/concurrent"])
        .ok();
    // ...and lands on the branch between A's fetch and A's push, once
    // (a debug-build seam: libgit2 runs no hooks on a local remote).
    let marker = t.ws.sb.path().join("raced");
    let race = format!(
        "[ -e '{m}' ] || {{ git -C '{}' update-ref refs/heads/{} refs/heads/concurrent && touch '{m}'; }}",
        t.bare.display(),
        t.branch,
        m = marker.display()
    );
    t.docket(&t.a, &["tag", &case.id, &tags[0], "--commit"])
        .ok();
    let mut cmd = t.ws.sb.command(env!("CARGO_BIN_EXE_docket"), &t.a);
    cmd.env("DOCKET_TEST_BEFORE_PUSH", race).arg("sync");
    let r = Sandbox::run(&mut cmd).ok();
    assert!(marker.exists(), "the race ran");
    assert!(r.stdout.contains("pushed "), "{}", r.stdout);
    let log = t.remote_log(2);
    assert_eq!(log[0].0, who(ANA));
    assert_eq!(log[1].0, "Cy Reviewer <cy@example.com>");
    let got = t.tags_on_remote(&case.path);
    assert!(got.contains(&tags[0]) && got.contains(&tags[1]), "{got:?}");
    assert_eq!(t.out(&t.a, &["rev-parse", "HEAD"]), t.remote_tip());
    t.assert_settled();
}

#[test]
fn no_upstream_says_how_to_set_one_and_that_works() {
    let ws = Workspace::example();
    let branch = ws.git_out(&["symbolic-ref", "--short", "HEAD"]);
    let before = ws.snapshot();
    ws.docket(&["sync"])
        .refused(&["no upstream", &format!("git push -u origin {branch}")]);
    ws.assert_unchanged(&before, "sync without an upstream");
    let sb = &ws.sb;
    sb.git(
        &sb.path(),
        &["init", "-q", "--bare", "-b", &branch, "origin.git"],
    )
    .ok();
    let origin = sb.path().join("origin.git");
    ws.git(&["remote", "add", "origin", origin.to_str().unwrap()])
        .ok();
    ws.git(&["push", "-q", "-u", "origin", &branch]).ok();
    let r = ws.docket(&["sync"]).ok();
    assert!(r.stdout.starts_with("up to date"), "{}", r.stdout);
}

#[test]
fn an_unreachable_remote_is_named_and_nothing_changes() {
    let t = Team::new();
    let case = t.ws.promotable(1).remove(0);
    let tag = t.ws.new_tag_for(&case);
    t.docket(&t.a, &["tag", &case.id, &tag, "--commit"]).ok();
    for url in [
        "/nonexistent/remote.git",
        "ssh://git@127.0.0.1:1/remote.git",
    ] {
        t.git(&t.a, &["remote", "set-url", "origin", url]).ok();
        let head = t.out(&t.a, &["rev-parse", "HEAD"]);
        let files = common::tree_files(&t.a);
        t.docket(&t.a, &["sync"]).refused(&["cannot reach", url]);
        assert_eq!(t.out(&t.a, &["rev-parse", "HEAD"]), head);
        assert_eq!(common::tree_files(&t.a), files);
    }
}

#[test]
fn pending_changes_are_committed_first_then_synced() {
    let t = Team::new();
    let case = t.ws.promotable(1).remove(0);
    let tag = t.ws.new_tag_for(&case);
    t.docket(&t.a, &["tag", &case.id, &tag]).ok();
    t.docket(&t.a, &["sync"])
        .refused(&["not committed", "docket commit"]);
    t.docket(&t.a, &["commit"]).ok();
    t.docket(&t.a, &["sync"]).ok();
    assert!(t.tags_on_remote(&case.path).contains(&tag));
    t.docket(&t.b, &["sync"]).ok();
    t.assert_settled();
}

#[test]
fn a_hand_edit_in_the_way_is_refused_and_stash_gets_it_through() {
    let t = Team::new();
    let case = t.ws.promotable(1).remove(0);
    let tag = t.ws.new_tag_for(&case);
    t.docket(&t.a, &["tag", &case.id, &tag, "--commit"]).ok();
    t.docket(&t.a, &["sync"]).ok();
    // B edits the same file by hand, uncommitted; sync would overwrite it.
    let p = t.b.join(&case.path);
    let text = std::fs::read_to_string(&p).unwrap();
    std::fs::write(&p, format!("{text}# a thought\n")).unwrap();
    let head = t.out(&t.b, &["rev-parse", "HEAD"]);
    t.docket(&t.b, &["sync"])
        .refused(&[&case.path, "git stash"]);
    assert_eq!(t.out(&t.b, &["rev-parse", "HEAD"]), head);
    t.git(&t.b, &["stash", "-q"]).ok();
    t.docket(&t.b, &["sync"]).ok();
    t.git(&t.b, &["stash", "pop", "-q"]).ok();
    assert!(
        std::fs::read_to_string(&p)
            .unwrap()
            .ends_with("# a thought\n")
    );
}

/// A server that answers every request "401, Basic auth" and keeps the
/// `Authorization` headers it was sent.
fn refusing_server() -> (String, std::sync::Arc<std::sync::Mutex<Vec<String>>>) {
    use std::io::{BufRead, BufReader, Write};
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    let seen = std::sync::Arc::new(std::sync::Mutex::new(Vec::new()));
    let log = std::sync::Arc::clone(&seen);
    std::thread::spawn(move || {
        for conn in listener.incoming() {
            let Ok(mut conn) = conn else { return };
            let mut reader = BufReader::new(conn.try_clone().unwrap());
            let mut line = String::new();
            while reader.read_line(&mut line).unwrap_or(0) > 0 && line != "\r\n" {
                if line.to_ascii_lowercase().starts_with("authorization:") {
                    log.lock().unwrap().push(line.trim().to_owned());
                }
                line.clear();
            }
            let _ = conn.write_all(
                b"HTTP/1.1 401 Unauthorized\r\nWWW-Authenticate: Basic realm=\"docket\"\r\nContent-Length: 0\r\nConnection: close\r\n\r\n",
            );
        }
    });
    (format!("http://127.0.0.1:{port}/remote.git"), seen)
}

#[test]
fn authentication_failure_names_the_url_and_what_was_tried() {
    let t = Team::new();
    let (url, seen) = refusing_server();
    t.git(&t.a, &["remote", "set-url", "origin", &url]).ok();
    let head = t.out(&t.a, &["rev-parse", "HEAD"]);
    t.docket(&t.a, &["sync"]).refused(&[
        "authentication failed for",
        &url,
        "git credential helpers",
        "nothing was changed",
    ]);
    assert!(seen.lock().unwrap().is_empty(), "no credentials to send");
    // The suggested way: a credential helper. Its credentials are sent.
    t.ws.sb.git_config(&[
        "credential.helper",
        "!f() { echo username=ana; echo password=s3cret; }; f",
    ]);
    t.docket(&t.a, &["sync"])
        .refused(&["authentication failed for", &url]);
    let sent = seen.lock().unwrap().clone();
    // base64("ana:s3cret")
    assert!(
        sent.iter().any(|h| h.ends_with("Basic YW5hOnMzY3JldA==")),
        "{sent:?}"
    );
    assert_eq!(t.out(&t.a, &["rev-parse", "HEAD"]), head);
}

#[test]
fn a_workspace_in_a_subdirectory_syncs() {
    let sb = Sandbox::new();
    let repo = sb.path().join("monorepo");
    std::fs::create_dir_all(&repo).unwrap();
    sb.git(&repo, &["init", "-q"]).ok();
    std::fs::write(repo.join("README"), "hello\n").unwrap();
    sb.git(&repo, &["add", "README"]).ok();
    sb.git(&repo, &["commit", "-q", "-m", "first"]).ok();
    sb.docket(&repo, &["init", "gov", "--example", "--commit"])
        .ok();
    let ws = Workspace {
        sb,
        root: repo.join("gov"),
    };
    let branch = ws.git_out(&["symbolic-ref", "--short", "HEAD"]);
    let sb = &ws.sb;
    sb.git(
        &sb.path(),
        &["init", "-q", "--bare", "-b", &branch, "remote.git"],
    )
    .ok();
    let bare = sb.path().join("remote.git");
    sb.git(&repo, &["push", "-q", bare.to_str().unwrap(), "HEAD"])
        .ok();
    let a = Team::clone_as(sb, &bare, "a", ANA);
    let b = Team::clone_as(sb, &bare, "b", BO);
    let case = ws.promotable(1).remove(0);
    let tags: Vec<String> = ws
        .taxonomy()
        .into_iter()
        .filter(|x| !case.tags.contains(x))
        .take(2)
        .collect();
    sb.docket(&a.join("gov"), &["tag", &case.id, &tags[0], "--commit"])
        .ok();
    // A commit outside the workspace, made with git, rides along.
    std::fs::write(a.join("README"), "hello again\n").unwrap();
    sb.git(&a, &["commit", "-q", "-am", "readme"]).ok();
    sb.docket(&a.join("gov"), &["sync"]).ok();
    sb.docket(&b.join("gov"), &["tag", &case.id, &tags[1], "--commit"])
        .ok();
    sb.docket(&b.join("gov"), &["sync"]).ok();
    let text = sb
        .git(&bare, &["show", &format!("{branch}:gov/{}", case.path)])
        .ok()
        .stdout;
    let f: toml::Table = text.parse().unwrap();
    let got: Vec<&str> = f["tags"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(toml::Value::as_str)
        .collect();
    assert!(
        got.contains(&tags[0].as_str()) && got.contains(&tags[1].as_str()),
        "{got:?}"
    );
    let readme = sb.git(&bare, &["show", &format!("{branch}:README")]).ok();
    assert_eq!(readme.out(), "hello again");
    let st = sb.git(&b, &["status", "--porcelain"]).ok();
    assert_eq!(st.out(), "");
}
