//! Concurrent writers on one clone: two loops of `docket tag --commit` and a
//! loop of `git add` + `git commit`, as the reliability issue measured them.
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
                let commit = ws.git(&["commit", "-q", "-m", &format!("notes {i}")]);
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
    assert!(lost.is_empty(), "acknowledged but not in HEAD: {lost:?}");
    let refused: Vec<String> = refused_a.into_iter().chain(refused_b).collect();
    assert!(
        acked.len() >= 76,
        "at least 95% of the 80 succeed; refusals: {refused:?}"
    );
    ws.assert_fsck_clean();
    let status = ws.status();
    assert!(
        status.lines().all(|l| l.ends_with("notes.txt")),
        "only git's own file may be left: {status}"
    );
}
