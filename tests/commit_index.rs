//! docket's commit edits git's index by splicing entries into its bytes
//! (store/indexsplice.rs). Whatever index git left — version 4, a cache
//! tree, an untracked cache, a split index — git and libgit2 must both read
//! the result, and find nothing changed and nothing staged.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::Workspace;

/// `git status` and libgit2's view of the index and work tree agree that
/// everything is committed; `git write-tree` (which trusts the cache tree)
/// gives HEAD's tree, so no kept cache-tree entry lies.
fn assert_index_matches_head(ws: &Workspace) {
    assert_eq!(ws.status(), "");
    assert_eq!(ws.git_out(&["diff-index", "--cached", "HEAD"]), "");
    assert_eq!(
        ws.git_out(&["write-tree"]),
        ws.git_out(&["rev-parse", "HEAD^{tree}"])
    );
    ws.assert_fsck_clean();
    let repo = git2::Repository::open(&ws.root).unwrap();
    let index = repo.index().unwrap();
    assert!(!index.is_empty());
    let mut opts = git2::StatusOptions::new();
    opts.include_untracked(true);
    let st = repo.statuses(Some(&mut opts)).unwrap();
    let dirty: Vec<_> = st
        .iter()
        .filter_map(|s| s.path().ok().map(str::to_owned))
        .collect();
    assert!(dirty.is_empty(), "libgit2 sees changes: {dirty:?}");
}

fn index_bytes(ws: &Workspace) -> Vec<u8> {
    std::fs::read(ws.root.join(".git/index")).unwrap()
}

fn has_extension(bytes: &[u8], sig: [u8; 4]) -> bool {
    bytes.windows(4).any(|w| w == sig.as_slice())
}

#[test]
fn commits_keep_a_version_4_index_with_extensions_readable() {
    let ws = Workspace::example();
    ws.git(&["config", "core.untrackedCache", "true"]).ok();
    ws.git(&["update-index", "--index-version", "4"]).ok();
    ws.git(&["update-index", "--untracked-cache"]).ok();
    // A cache tree for every folder, and an untracked cache filled in.
    ws.git(&["read-tree", "HEAD"]).ok();
    // (The sandbox's GIT_OPTIONAL_LOCKS=0 would stop status writing it.)
    let mut status = ws.sb.command("git", &ws.root);
    status
        .args(["status", "--porcelain"])
        .env("GIT_OPTIONAL_LOCKS", "1");
    assert!(status.status().unwrap().success());
    let before = index_bytes(&ws);
    assert!(has_extension(&before, *b"TREE") && has_extension(&before, *b"UNTR"));

    let mut cases = ws.promotable(2);
    let (a, b) = (cases.remove(0), cases.remove(0));
    let (set, _) = ws.a_set();
    // A changed entry, then new entries (a promotion writes a set case).
    ws.docket(&["tag", &a.id, &ws.new_tag_for(&a), "--commit"])
        .ok();
    assert_index_matches_head(&ws);
    ws.docket(&["promote", &b.id, &set, "--commit"]).ok();
    assert_index_matches_head(&ws);
    let after = index_bytes(&ws);
    assert_eq!(after[..8], before[..8], "still DIRC version 4");
    assert!(has_extension(&after, *b"TREE"));
    // git carries on from docket's index as from its own.
    ws.write(&a.path, ws.read(&a.path) + "\n# by hand\n");
    ws.git_commit_all("by hand");
    assert_index_matches_head(&ws);
    ws.docket(&["note", &a.id, "after git", "--commit"]).ok();
    assert_index_matches_head(&ws);
}

#[test]
fn version_2_and_3_indexes_with_flags_stay_readable() {
    let ws = Workspace::example();
    let mut cases = ws.promotable(1);
    let a = cases.remove(0);
    // Another file flagged skip-worktree makes the index version 3.
    let other = ws.git_out(&["ls-files", "runbooks"]);
    let other = other.lines().next().unwrap().to_owned();
    ws.git(&["update-index", "--skip-worktree", &other]).ok();
    assert_eq!(index_bytes(&ws)[7], 3);
    ws.docket(&["tag", &a.id, &ws.new_tag_for(&a), "--commit"])
        .ok();
    assert_index_matches_head(&ws);
    assert!(ws.git_out(&["ls-files", "-v", &other]).starts_with("S "));
}

#[test]
fn a_split_index_is_left_to_libgit2() {
    let ws = Workspace::example();
    let a = ws.promotable(1).remove(0);
    ws.git(&["update-index", "--split-index"]).ok();
    let r = ws.docket(&["tag", &a.id, &ws.new_tag_for(&a), "--commit"]);
    // libgit2 cannot read a split index either: docket refuses, as before,
    // and leaves git's index alone.
    if r.code == Some(0) {
        assert_eq!(ws.status(), "");
    } else {
        assert!(!ws.root.join(".git/index.lock").exists(), "{}", r.stderr);
    }
    assert!(ws.git(&["status", "--porcelain"]).code == Some(0));
}
