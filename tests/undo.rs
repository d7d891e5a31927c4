//! Undo, discard, and the refusals that must leave the work tree alone:
//! checked with the git command line.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::{Sandbox, Workspace};

#[test]
fn undo_takes_back_the_last_change_only() {
    let ws = Workspace::example();
    let case = ws.promotable(1).remove(0);
    let tag = ws.new_tag_for(&case);
    let original = ws.read(&case.path);
    ws.docket(&["tag", &case.id, &tag]).ok();
    let tagged = ws.read(&case.path);
    ws.docket(&["note", &case.id, "second thoughts"]).ok();
    let out = ws.docket(&["undo"]).ok().out();
    assert!(out.contains(&format!("undid note {}", case.id)), "{out}");
    assert_eq!(ws.read(&case.path), tagged);
    ws.docket(&["undo"]).ok();
    assert_eq!(ws.read(&case.path), original);
    assert_eq!(ws.status(), "");
    assert!(ws.docket(&["undo"]).ok().out().contains("nothing to undo"));
    ws.docket(&["commit"]).refused(&["nothing to commit"]);
}

#[test]
fn undo_of_a_promotion_removes_the_new_set_case_and_restores_the_version() {
    let ws = Workspace::example();
    let case = ws.promotable(1).remove(0);
    let (set, version) = ws.a_set();
    ws.docket(&["promote", &case.id, &set]).ok();
    assert_eq!(ws.set_version(&set), version + 1);
    ws.docket(&["undo"]).ok();
    assert_eq!(ws.set_version(&set), version);
    assert_eq!(
        ws.status(),
        "",
        "the set case file is gone, the rest restored"
    );
}

#[test]
fn discard_keeps_hand_edits_made_before_docket() {
    let ws = Workspace::example();
    let case = ws.promotable(1).remove(0);
    let tag = ws.new_tag_for(&case);
    let edited = format!("{}# my own note\n", ws.read(&case.path));
    ws.write(&case.path, &edited);
    ws.docket(&["tag", &case.id, &tag]).ok();
    ws.docket(&["discard", "--yes"]).ok();
    assert_eq!(ws.read(&case.path), edited);
}

#[test]
fn a_commit_between_two_docket_changes_to_other_files_is_fine() {
    // docket tags case A; the user commits an edit to case B by hand; then
    // docket notes case B (on top of the new HEAD). Nothing conflicts.
    let ws = Workspace::example();
    let cases = ws.promotable(2);
    let (a, b) = (&cases[0], &cases[1]);
    let tag = ws.new_tag_for(a);
    ws.docket(&["tag", &a.id, &tag]).ok();
    ws.write(&b.path, format!("{}# edited by hand\n", ws.read(&b.path)));
    ws.git(&["commit", "-q", "-m", "hand edit", "--", &b.path])
        .ok();
    let hand = ws.head();
    ws.docket(&["note", &b.id, "after the hand edit"]).ok();
    ws.docket(&["commit"]).ok();
    assert_eq!(ws.git_out(&["rev-parse", "HEAD~1"]), hand);
    assert_eq!(ws.status(), "");
    ws.assert_fsck_clean();
}

#[test]
fn commit_flag_after_the_user_committed_a_pending_path_by_hand() {
    // Once refused ("HEAD moved"), and the advice then lost work: now the
    // hand commit is recognised and the new change commits on top of it.
    let ws = Workspace::example();
    let cases = ws.promotable(2);
    let tag = ws.new_tag_for(&cases[0]);
    ws.docket(&["tag", &cases[0].id, &tag]).ok();
    ws.git(&["commit", "-q", "-m", "by hand", "--", &cases[0].path])
        .ok();
    let hand = ws.head();
    let run = ws.docket(&["note", &cases[1].id, "x", "--commit"]).ok();
    assert!(
        run.stderr.contains("committed outside docket"),
        "{}",
        run.stderr
    );
    assert_eq!(ws.git_out(&["rev-parse", "HEAD~1"]), hand);
    assert_eq!(
        common::trailers(&ws.last_message()),
        vec![format!("note {}", cases[1].id)]
    );
    assert_eq!(ws.status(), "");
}

#[test]
fn init_never_overwrites_and_checks_commit_first() {
    let sb = Sandbox::new();
    let dir = sb.path().join("repo");
    std::fs::create_dir_all(dir.join("runbooks")).unwrap();
    std::fs::write(dir.join("runbooks/support-triage.md"), "mine\n").unwrap();
    sb.git(&sb.path(), &["init", "-q", "repo"]).ok();
    sb.docket(&dir, &["init", ".", "--example"])
        .refused(&["runbooks/support-triage.md", "already exists"]);
    assert_eq!(
        std::fs::read_to_string(dir.join("runbooks/support-triage.md")).unwrap(),
        "mine\n"
    );
    assert!(!dir.join("docket.toml").exists());

    let empty = sb.path().join("other");
    sb.unset_identity();
    sb.docket(&sb.path(), &["init", "other", "--example", "--commit"])
        .refused(&["identity"]);
    assert!(
        !empty.exists(),
        "nothing created when the commit would be refused"
    );
}

/// A commit refused after docket refreshed a promotion's provenance (the
/// index was locked) leaves docket's own rewrite, which undo must not take
/// for a hand edit.
#[test]
fn undo_after_a_refused_commit_with_a_promotion() {
    let ws = Workspace::example();
    let c = ws.promotable(1).remove(0);
    let (set, _) = ws.a_set();
    ws.docket(&["promote", &c.id, &set]).ok();
    ws.docket(&["note", &c.id, "x"]).ok();
    let lock = ws.root.join(".git/index.lock");
    std::fs::write(&lock, "").unwrap();
    ws.docket(&["commit"]).refused(&["index.lock"]);
    std::fs::remove_file(&lock).unwrap();
    ws.docket(&["undo"]).ok();
    ws.docket(&["undo"]).ok();
    assert_eq!(ws.status(), "", "both changes taken back");
}
