//! Concurrent writers on one clone: two loops of `docket tag --commit` and a
//! loop of `git add` + `git commit -- notes.txt`, as the reliability issue
//! measured them (with a plain `git commit`, see below why not).
//! Every docket command that exits 0 must have its tag in HEAD afterwards;
//! `git fsck --strict` must be clean. The counts are printed (run with
//! `--nocapture` to see them) and recorded in RELIABILITY.md.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::Workspace;
use std::sync::Arc;

#[test]
fn two_docket_loops_and_a_git_loop_lose_nothing() {
    let ws = Arc::new(Workspace::example());
    let cases = Arc::new(ws.add_cases(80));
    let tag = ws.taxonomy()[0].clone();
    let tag_loop = |half: usize| {
        let (ws, cases, tag) = (Arc::clone(&ws), Arc::clone(&cases), tag.clone());
        std::thread::spawn(move || {
            let mut acked = Vec::new();
            let mut refused = Vec::new();
            for (id, path) in cases.iter().skip(half * 40).take(40) {
                let run = ws.docket(&["tag", id, &tag, "--commit"]);
                if run.code == Some(0) {
                    acked.push(path.clone());
                } else {
                    refused.push(run.stderr);
                }
            }
            (acked, refused)
        })
    };
    let a = tag_loop(0);
    let b = tag_loop(1);
    let git = {
        let ws = Arc::clone(&ws);
        std::thread::spawn(move || {
            let mut ok = 0;
            for i in 0..15 {
                ws.write("notes.txt", format!("line {i}\n"));
                let add = ws.git(&["add", "notes.txt"]);
                // `-- notes.txt`, not a plain `git commit`: git 2.47's plain
                // commit (builtin/commit.c, prepare_index) reads the index
                // before it takes index.lock, then writes that copy back at
                // once (COMMIT_LOCK) and builds its tree from it, keeping
                // the write even when its ref update then fails (nothing to
                // roll back for COMMIT_AS_IS). Any index writer that
                // finishes in between - another `git add`, or a docket
                // commit - is undone: its entry staged back to the old blob
                // (`MM` in `git status`), and reverted in HEAD by the next
                // plain `git commit`. Two gits do it to each other; it is
                // not docket's to prevent, and it would make this test
                // report docket losing what git lost. A commit of named
                // paths reads the index as late, but builds its tree from
                // HEAD plus those paths and writes the index only after its
                // ref update succeeded: a docket commit in between makes it
                // fail and leaves the index alone. (What remains is git's
                // own window between moving the branch and renaming the
                // index, which docket keeps as git does: a rename wide.)
                let commit = ws.git(&[
                    "commit",
                    "-q",
                    "-m",
                    &format!("notes {i}"),
                    "--",
                    "notes.txt",
                ]);
                if add.code == Some(0) && commit.code == Some(0) {
                    ok += 1;
                }
                std::thread::sleep(std::time::Duration::from_millis(20));
            }
            ok
        })
    };
    let (acked_a, refused_a) = a.join().unwrap();
    let (acked_b, refused_b) = b.join().unwrap();
    let git_ok = git.join().unwrap();

    let acked: Vec<String> = acked_a.into_iter().chain(acked_b).collect();
    let lost: Vec<&String> = acked
        .iter()
        .filter(|p| {
            let t: toml::Table = ws.git_out(&["show", &format!("HEAD:{p}")]).parse().unwrap();
            !t["tags"]
                .as_array()
                .unwrap()
                .iter()
                .any(|v| v.as_str() == Some(tag.as_str()))
        })
        .collect();
    println!(
        "docket tag --commit: {} of 80 acknowledged, {} lost; git add+commit: {git_ok} of 15",
        acked.len(),
        lost.len()
    );
    // Who took a lost tag out, for the failure message: each commit that
    // changed the file, newest first.
    let history: Vec<String> = lost
        .iter()
        .map(|p| ws.git_out(&["log", "--format=%h %s", "--", p.as_str()]))
        .collect();
    assert!(
        lost.is_empty(),
        "acknowledged but not in HEAD: {lost:?}; their history: {history:?}"
    );
    let refused: Vec<String> = refused_a.into_iter().chain(refused_b).collect();
    assert!(
        acked.len() >= 76,
        "at least 95% of the 80 succeed; refusals: {refused:?}"
    );
    ws.assert_fsck_clean();
    let status = ws.status();
    assert!(
        status.lines().all(|l| l.ends_with("notes.txt")),
        "only git's own file may be left: {status}\n{}",
        ws.git_out(&["log", "--format=%h %s", "-8"])
    );
}
