//! The repository states a real user's repository can be in. Each gets a
//! clear message or just works, and none corrupts anything: detached HEAD,
//! rebase and cherry-pick in progress, unmerged index entries, a shallow
//! clone, a sparse checkout, a missing object, an unborn branch, read-only
//! files, a linked worktree. (Merge in progress, bare repositories and an
//! unset identity are in `bad_input.rs`.)

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::{Sandbox, Workspace, trailers};
use std::fs;

#[test]
fn detached_head_reads_and_writes_but_does_not_commit() {
    let ws = Workspace::example();
    let c = ws.promotable(1).remove(0);
    let tag = ws.new_tag_for(&c);
    ws.git(&["checkout", "-q", "--detach"]).ok();
    ws.docket(&["list", "failures"]).ok();
    let before = ws.snapshot();
    ws.docket(&["tag", &c.id, &tag, "--commit"])
        .refused(&["detached", "git switch"]);
    ws.assert_unchanged(&before, "--commit on a detached HEAD");
    ws.docket(&["tag", &c.id, &tag]).ok();
    let before = ws.snapshot();
    ws.docket(&["commit"]).refused(&["detached"]);
    ws.assert_unchanged(&before, "commit on a detached HEAD");
    // Following the advice: a branch, then the commit goes through.
    ws.git(&["switch", "-q", "-c", "review"]).ok();
    ws.docket(&["commit"]).ok();
    assert_eq!(ws.status(), "");
    ws.assert_fsck_clean();
}

#[test]
fn rebase_and_cherry_pick_in_progress_are_refused() {
    for (what, file, is_dir) in [
        ("rebase", "rebase-merge", true),
        ("cherry-pick", "CHERRY_PICK_HEAD", false),
    ] {
        let ws = Workspace::example();
        let c = ws.promotable(1).remove(0);
        let tag = ws.new_tag_for(&c);
        ws.docket(&["tag", &c.id, &tag]).ok();
        let p = ws.root.join(".git").join(file);
        if is_dir {
            fs::create_dir_all(&p).unwrap();
            fs::write(p.join("head-name"), "refs/heads/main\n").unwrap();
            fs::write(p.join("onto"), format!("{}\n", ws.head())).unwrap();
            fs::write(p.join("interactive"), "").unwrap();
        } else {
            fs::write(&p, format!("{}\n", ws.head())).unwrap();
        }
        let before = ws.snapshot();
        ws.docket(&["commit"]).refused(&[what]);
        ws.assert_unchanged(&before, what);
    }
}

#[test]
fn unmerged_index_entries_are_refused() {
    let ws = Workspace::example();
    let c = ws.promotable(1).remove(0);
    ws.write("notes.txt", "base\n");
    ws.git_commit_all("base");
    let main = ws.git_out(&["branch", "--show-current"]);
    ws.git(&["switch", "-q", "-c", "other"]).ok();
    ws.write("notes.txt", "theirs\n");
    ws.git_commit_all("theirs");
    ws.git(&["switch", "-q", &main]).ok();
    ws.write("notes.txt", "ours\n");
    ws.git_commit_all("ours");
    assert_ne!(ws.git(&["merge", "-q", "other"]).code, Some(0));
    // The merge given up by hand, its conflict left in the index.
    fs::remove_file(ws.root.join(".git/MERGE_HEAD")).unwrap();
    let _ = fs::remove_file(ws.root.join(".git/MERGE_MSG"));
    ws.docket(&["note", &c.id, "pending"]).ok();
    let before = ws.snapshot();
    ws.docket(&["commit"]).refused(&["unmerged", "notes.txt"]);
    ws.assert_unchanged(&before, "unmerged entries");
    assert!(!ws.root.join(".git/index.lock").exists());
}

#[test]
fn shallow_clone_commits_normally() {
    let ws = Workspace::example();
    let clone = ws.sb.path().join("shallow");
    ws.sb
        .git(
            &ws.sb.path(),
            &[
                "clone",
                "-q",
                "--depth",
                "1",
                &format!("file://{}", ws.root.display()),
                clone.to_str().unwrap(),
            ],
        )
        .ok();
    let shallow = Workspace {
        sb: Sandbox::new(),
        root: clone,
    };
    let c = shallow.promotable(1).remove(0);
    let tag = shallow.new_tag_for(&c);
    shallow.docket(&["tag", &c.id, &tag, "--commit"]).ok();
    assert_eq!(
        trailers(&shallow.last_message()),
        vec![format!("tag {} +{tag}", c.id)]
    );
    assert_eq!(shallow.status(), "");
    shallow.assert_fsck_clean();
}

#[test]
fn sparse_checkout_commits_without_touching_what_is_not_checked_out() {
    let ws = Workspace::example();
    let c = ws.promotable(1).remove(0);
    let tag = ws.new_tag_for(&c);
    let folder = c.path.rsplit_once('/').unwrap().0.to_owned();
    ws.git(&["sparse-checkout", "set", &folder, "evals/sets"])
        .ok();
    assert!(!ws.root.join("runbooks").exists());
    ws.docket(&["tag", &c.id, &tag, "--commit"]).ok();
    assert_eq!(ws.status(), "");
    // What is not checked out is still in HEAD, untouched.
    let files = ws.git_out(&["ls-tree", "-r", "--name-only", "HEAD", "runbooks"]);
    assert!(!files.is_empty());
    assert_eq!(
        ws.git_out(&[
            "diff", "--stat", "HEAD~1", "HEAD", "--", "runbooks", "memos"
        ]),
        ""
    );
    ws.assert_fsck_clean();
}

#[test]
fn a_missing_object_is_reported_not_spread() {
    let ws = Workspace::example();
    let cases = ws.promotable(2);
    // The repository loses the blob of one case (a broken disk, a bad copy).
    ws.git(&["repack", "-q", "-a", "-d"]).ok();
    ws.write(
        &cases[0].path,
        format!("{}# edited\n", ws.read(&cases[0].path)),
    );
    let blob = ws.git_out(&["hash-object", "-w", &cases[0].path]);
    ws.git(&["add", &cases[0].path]).ok();
    ws.git(&["commit", "-q", "-m", "edit"]).ok();
    let loose = ws
        .root
        .join(".git/objects")
        .join(&blob[..2])
        .join(&blob[2..]);
    fs::remove_file(&loose).unwrap();
    // Reading from the work tree still works; a commit that does not need
    // the object goes through; fsck names the one object that is missing.
    ws.docket(&["show", &cases[0].id]).ok();
    let tag = ws.new_tag_for(&cases[1]);
    ws.docket(&["tag", &cases[1].id, &tag, "--commit"]).ok();
    let fsck = ws.git(&["fsck", "--strict"]);
    let text = format!("{}{}", fsck.stdout, fsck.stderr);
    assert!(text.contains(&blob), "{text}");
    // A change on the case whose object is missing is refused clearly, or
    // commits: either way nothing else breaks.
    let tag0 = ws.new_tag_for(&cases[0]);
    let run = ws.docket(&["tag", &cases[0].id, &tag0, "--commit"]);
    if run.code != Some(0) {
        assert!(run.stderr.starts_with("docket: "), "{}", run.stderr);
        assert_eq!(run.stderr.lines().count(), 1, "{}", run.stderr);
    }
}

#[test]
fn unborn_branch_gets_its_first_commit() {
    let sb = Sandbox::new();
    let root = sb.path().join("fresh");
    sb.git(&sb.path(), &["init", "-q", "fresh"]).ok();
    sb.docket(&root, &["init", ".", "--example"]).ok();
    let ws = Workspace { sb, root };
    ws.docket(&["commit"]).ok();
    assert_eq!(ws.commit_count(), 1);
    assert_eq!(trailers(&ws.last_message()), vec!["init".to_owned()]);
    assert_eq!(ws.status(), "");
    ws.assert_fsck_clean();
}

#[test]
fn read_only_files_are_not_changed() {
    let ws = Workspace::example();
    let c = ws.promotable(1).remove(0);
    let (set, _) = ws.a_set();
    let file = ws.root.join(&c.path);
    let mut perm = fs::metadata(&file).unwrap().permissions();
    perm.set_readonly(true);
    fs::set_permissions(&file, perm).unwrap();
    let before = ws.snapshot();
    ws.docket(&["note", &c.id, "x"])
        .refused(&["read-only", &c.path]);
    // A promotion writes three files; the read-only one is refused and the
    // others are put back.
    ws.docket(&["promote", &c.id, &set])
        .refused(&["read-only", &c.path]);
    ws.assert_unchanged(&before, "a read-only case");
    // The way the message names: make it writable, then it works.
    let mut perm = fs::metadata(&file).unwrap().permissions();
    #[allow(clippy::permissions_set_readonly_false)]
    perm.set_readonly(false);
    fs::set_permissions(&file, perm).unwrap();
    ws.docket(&["note", &c.id, "x", "--commit"]).ok();
    assert_eq!(ws.status(), "");
}

#[test]
fn linked_worktree_commits_on_its_own_branch() {
    let ws = Workspace::example();
    let main_head = ws.head();
    let wt = ws.sb.path().join("wt");
    ws.git(&[
        "worktree",
        "add",
        "-q",
        "-b",
        "triage",
        wt.to_str().unwrap(),
    ])
    .ok();
    let linked = Workspace {
        sb: Sandbox::new(),
        root: wt,
    };
    let c = linked.promotable(1).remove(0);
    let tag = linked.new_tag_for(&c);
    linked.docket(&["tag", &c.id, &tag]).ok();
    linked.docket(&["note", &c.id, "from the worktree"]).ok();
    linked.docket(&["commit"]).ok();
    assert_eq!(linked.status(), "");
    assert_eq!(
        ws.head(),
        main_head,
        "the main worktree's branch did not move"
    );
    assert_eq!(ws.status(), "", "nor its files");
    assert_eq!(
        linked.git_out(&["rev-parse", "HEAD~1"]),
        main_head,
        "the commit is on the worktree's branch"
    );
    assert!(ws.root.join(".git/worktrees/wt/docket").exists());
    ws.assert_fsck_clean();
}
