//! Commits made without docket, merges, and a sync interrupted around its
//! push: each refusal's suggested way out, followed.

use crate::common::Sandbox;
use crate::team::{ANA, Team, who};

/// A tags a case and syncs; returns the case's path.
fn ana_tags_and_syncs(t: &Team) -> String {
    let case = t.ws.promotable(1).remove(0);
    let tag = t.ws.new_tag_for(&case);
    t.docket(&t.a, &["tag", &case.id, &tag, "--commit"]).ok();
    t.docket(&t.a, &["sync"]).ok();
    case.path
}

#[test]
fn a_commit_made_without_docket_is_cherry_picked() {
    let t = Team::new();
    std::fs::write(t.b.join("NOTES.txt"), "agenda\n").unwrap();
    t.git(&t.b, &["add", "NOTES.txt"]).ok();
    t.git(&t.b, &["commit", "-q", "-m", "agenda"]).ok();
    ana_tags_and_syncs(&t);
    t.docket(&t.b, &["sync"]).ok();
    let f = t.out(&t.bare, &["show", &format!("{}:NOTES.txt", t.branch)]);
    assert_eq!(f, "agenda");
    assert_eq!(t.remote_log(2)[1].0, who(ANA));
    t.docket(&t.a, &["sync"]).ok();
    t.assert_settled();
}

#[test]
fn a_hand_edit_of_a_file_the_upstream_changed_is_refused_then_rebased() {
    let t = Team::new();
    let path = ana_tags_and_syncs(&t);
    let p = t.b.join(&path);
    let text = std::fs::read_to_string(&p).unwrap();
    std::fs::write(&p, format!("{text}# seen in the weekly review\n")).unwrap();
    t.git(&t.b, &["commit", "-q", "-am", "a comment"]).ok();
    let head = t.out(&t.b, &["rev-parse", "HEAD"]);
    let remote = t.remote_tip();
    t.docket(&t.b, &["sync"]).refused(&[
        "a comment",
        &path,
        "git pull --rebase",
        "nothing was changed",
    ]);
    assert_eq!(t.out(&t.b, &["rev-parse", "HEAD"]), head);
    assert_eq!(t.remote_tip(), remote);
    t.git(&t.b, &["pull", "-q", "--rebase"]).ok();
    t.docket(&t.b, &["sync"]).ok();
    let text = t.out(&t.bare, &["show", &format!("{}:{path}", t.branch)]);
    assert!(text.ends_with("# seen in the weekly review"), "{text}");
    t.docket(&t.a, &["sync"]).ok();
    t.assert_settled();
}

#[test]
fn a_merge_commit_is_refused_then_rebased() {
    let t = Team::new();
    t.git(&t.b, &["checkout", "-q", "-b", "side"]).ok();
    std::fs::write(t.b.join("NOTES.txt"), "agenda\n").unwrap();
    t.git(&t.b, &["add", "NOTES.txt"]).ok();
    t.git(&t.b, &["commit", "-q", "-m", "agenda"]).ok();
    t.git(&t.b, &["checkout", "-q", &t.branch]).ok();
    t.git(
        &t.b,
        &["merge", "-q", "--no-ff", "side", "-m", "merge side"],
    )
    .ok();
    ana_tags_and_syncs(&t);
    t.docket(&t.b, &["sync"])
        .refused(&["merge side", "merge commit", "git pull --rebase"]);
    t.git(&t.b, &["pull", "-q", "--rebase"]).ok();
    t.docket(&t.b, &["sync"]).ok();
    t.out(&t.bare, &["show", &format!("{}:NOTES.txt", t.branch)]);
    t.assert_settled();
}

#[test]
fn a_push_rejected_every_time_gives_up_and_the_next_sync_gets_through() {
    let t = Team::new();
    let case = t.ws.promotable(1).remove(0);
    let tag = t.ws.new_tag_for(&case);
    t.docket(&t.a, &["tag", &case.id, &tag, "--commit"]).ok();
    // Before each push, someone else's commit lands on the remote.
    let race = format!(
        "cd '{}' && c=$(git commit-tree {b}^{{tree}} -p {b} -m elsewhere) && git update-ref refs/heads/{b} $c",
        t.bare.display(),
        b = t.branch
    );
    let head = t.out(&t.a, &["rev-parse", "HEAD"]);
    let mut cmd = t.ws.sb.command(env!("CARGO_BIN_EXE_docket"), &t.a);
    cmd.env("DOCKET_TEST_BEFORE_PUSH", race).arg("sync");
    Sandbox::run(&mut cmd).refused(&["rejected the push", "4 time(s)", "docket sync"]);
    assert_eq!(
        t.out(&t.a, &["rev-parse", "HEAD"]),
        head,
        "the branch moved"
    );
    let r = t.docket(&t.a, &["sync"]).ok();
    assert!(r.stdout.contains("pushed "), "{}", r.stdout);
    assert!(t.tags_on_remote(&case.path).contains(&tag));
    t.docket(&t.b, &["sync"]).ok();
    t.assert_settled();
}

#[test]
fn pushed_but_not_moved_says_so_and_the_next_sync_catches_up() {
    let t = Team::new();
    let path = ana_tags_and_syncs(&t);
    let case = path.rsplit('/').next().unwrap().trim_end_matches(".toml");
    t.docket(&t.b, &["note", case, "from Bo", "--commit"]).ok();
    // Someone's git takes the index right after the push.
    let lock = t.b.join(".git/index.lock");
    let mut cmd = t.ws.sb.command(env!("CARGO_BIN_EXE_docket"), &t.b);
    cmd.env(
        "DOCKET_TEST_AFTER_PUSH",
        format!("touch '{}'", lock.display()),
    )
    .arg("sync");
    Sandbox::run(&mut cmd).refused(&["pushed, but", "docket sync"]);
    std::fs::remove_file(&lock).unwrap();
    let r = t.docket(&t.b, &["sync"]).ok();
    assert!(r.stdout.contains("dropped "), "{}", r.stdout);
    assert_eq!(t.out(&t.b, &["rev-parse", "HEAD"]), t.remote_tip());
    t.docket(&t.a, &["sync"]).ok();
    t.assert_settled();
}
