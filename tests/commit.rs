//! The mutating commands and `docket commit`, checked with the git command
//! line: one commit per review, trailers, provenance, clean status and fsck.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::{DAY, EMAIL, NAME, NOW, Workspace, trailers};

fn toml_of(ws: &Workspace, rel: &str) -> toml::Table {
    ws.read(rel)
        .parse()
        .unwrap_or_else(|e| panic!("{rel} is not valid TOML: {e}"))
}

#[test]
fn tag_note_promote_then_commit() {
    let ws = Workspace::example();
    let case = ws.promotable(1).remove(0);
    let tag = ws.new_tag_for(&case);
    let (set, version) = ws.a_set();
    assert_eq!(ws.set_version(&set), version);
    let commits = ws.commit_count();
    let base = ws.head();

    ws.docket(&["tag", &case.id, &tag]).ok();
    ws.docket(&["note", &case.id, "Same pattern as last quarter."])
        .ok();
    ws.docket(&["promote", &case.id, &set]).ok();
    assert_eq!(
        commits,
        ws.commit_count(),
        "nothing committed before `commit`"
    );
    ws.docket(&["commit"]).ok();

    // Exactly one new commit, on top of the old HEAD.
    assert_eq!(ws.commit_count(), commits + 1);
    assert_eq!(ws.git_out(&["rev-parse", "HEAD~1"]), base);
    let msg = ws.last_message();
    let mut lines = msg.lines();
    assert_eq!(
        lines.next(),
        Some(format!("docket: review {DAY} — 1 tagged, 1 noted, 1 promoted").as_str()),
        "{msg}"
    );
    assert_eq!(lines.next(), Some(""), "a blank line after the summary");
    let new_version = version + 1;
    assert_eq!(
        trailers(&msg),
        vec![
            format!("tag {} +{tag}", case.id),
            format!("note {}", case.id),
            format!("promote {} -> {set}@v{new_version}", case.id),
        ],
        "{msg}"
    );
    assert_eq!(
        ws.git_out(&["log", "-1", "--format=%an <%ae>"]),
        format!("{NAME} <{EMAIL}>")
    );
    assert_eq!(
        ws.git_out(&["log", "-1", "--format=%cn <%ce>"]),
        format!("{NAME} <{EMAIL}>")
    );
    assert_eq!(ws.status(), "", "git status is clean after docket commit");
    ws.assert_fsck_clean();
    assert!(
        !ws.root.join(".git/docket/journal.json").exists(),
        "the journal is cleared by the commit"
    );

    // The set's copy with provenance, in HEAD.
    let set_case_path = format!("evals/sets/{set}/cases/{}.toml", case.id);
    ws.git(&["cat-file", "-e", &format!("HEAD:{set_case_path}")])
        .ok();
    let sc = toml_of(&ws, &set_case_path);
    assert_eq!(sc["id"].as_str(), Some(case.id.as_str()));
    assert!(sc.contains_key("expected"), "{sc:?}");
    assert!(sc.contains_key("input"), "{sc:?}");
    let prov = sc["provenance"].as_table().expect("[provenance]");
    assert_eq!(prov["failure"].as_str(), Some(case.path.as_str()));
    assert_eq!(prov["promoted_by"].as_str(), Some(EMAIL));
    assert_eq!(prov["promoted_at"].to_string(), NOW);
    assert_eq!(prov["added_in_version"].as_integer(), Some(new_version));
    // failure_blob names the failure file as committed with the promotion,
    // so `git cat-file` can always show where the case came from.
    let blob = prov["failure_blob"].as_str().expect("failure_blob");
    assert_eq!(ws.git_out(&["cat-file", "-t", blob]), "blob");
    assert_eq!(blob, ws.blob_at("HEAD", &case.path));

    // The set went up by exactly one.
    assert_eq!(ws.set_version(&set), new_version);
    let old_set: toml::Table = ws
        .git_out(&["show", &format!("HEAD~1:evals/sets/{set}/set.toml")])
        .parse()
        .unwrap();
    assert_eq!(old_set["version"].as_integer(), Some(version));

    // The failure is marked promoted, with the tag and the note.
    let failure = toml_of(&ws, &case.path);
    assert_eq!(failure["status"].as_str(), Some("promoted"));
    let promotion = failure["promotion"].as_table().expect("[promotion]");
    assert_eq!(promotion["set"].as_str(), Some(set.as_str()));
    assert_eq!(promotion["version"].as_integer(), Some(new_version));
    assert_eq!(promotion["by"].as_str(), Some(EMAIL));
    assert_eq!(promotion["at"].to_string(), NOW);
    let tags = failure["tags"].as_array().unwrap();
    assert!(tags.iter().any(|t| t.as_str() == Some(tag.as_str())));
    let notes = failure["notes"].as_array().unwrap();
    let last = notes.last().unwrap();
    assert_eq!(last["text"].as_str(), Some("Same pattern as last quarter."));
    assert_eq!(last["author"].as_str(), Some(EMAIL));
    assert_eq!(last["at"].to_string(), NOW);

    // docket agrees with itself afterwards.
    ws.docket(&["check"]).ok();
    let listed = ws
        .docket(&["list", "failures", "--status", "promoted", "--json"])
        .ok()
        .json();
    assert!(
        listed
            .as_array()
            .unwrap()
            .iter()
            .any(|c| c["id"] == case.id.as_str() && c["promoted_to"] == set.as_str())
    );
}

/// `failure_blob` is the blob of the failure file committed with the
/// promotion (status `promoted`, `[promotion]` table), an object `git
/// cat-file` can show.
#[test]
fn failure_blob_names_the_failure_as_committed_with_the_promotion() {
    let ws = Workspace::example();
    let case = ws.promotable(1).remove(0);
    let (set, _) = ws.a_set();
    let before = ws.blob_at("HEAD", &case.path);
    ws.docket(&["promote", &case.id, &set]).ok();
    ws.docket(&["commit"]).ok();
    assert_eq!(ws.blob_at("HEAD~1", &case.path), before);
    let sc = toml_of(&ws, &format!("evals/sets/{set}/cases/{}.toml", case.id));
    let blob = sc["provenance"]["failure_blob"].as_str().unwrap();
    assert_eq!(blob, ws.blob_at("HEAD", &case.path));
    assert_ne!(blob, before);
    let shown = ws.git_out(&["cat-file", "blob", blob]);
    assert!(shown.contains("status = \"promoted\""), "{shown}");
    assert!(shown.contains(&format!("id = \"{}\"", case.id)), "{shown}");
    ws.assert_fsck_clean();
}

/// A note (or tag) on the promoted case before the commit must not leave
/// `failure_blob` naming a version of the file that is never committed.
#[test]
fn failure_blob_resolves_after_a_later_edit_in_the_same_commit() {
    let ws = Workspace::example();
    let case = ws.promotable(1).remove(0);
    let tag = ws.new_tag_for(&case);
    let (set, _) = ws.a_set();
    ws.docket(&["promote", &case.id, &set]).ok();
    ws.docket(&["note", &case.id, "promoted after the review"])
        .ok();
    ws.docket(&["tag", &case.id, &tag]).ok();
    ws.docket(&["commit"]).ok();
    let sc = toml_of(&ws, &format!("evals/sets/{set}/cases/{}.toml", case.id));
    let blob = sc["provenance"]["failure_blob"]
        .as_str()
        .unwrap()
        .to_owned();
    let exists = ws.git(&["cat-file", "-e", &blob]);
    assert_eq!(
        exists.code,
        Some(0),
        "failure_blob {blob} is not an object of the repository"
    );
    assert_eq!(blob, ws.blob_at("HEAD", &case.path));
}

#[test]
fn two_promotes_into_one_set_bump_its_version_once() {
    let ws = Workspace::example();
    let cases = ws.promotable(2);
    let (set, version) = ws.a_set();
    for c in &cases {
        ws.docket(&["promote", &c.id, &set]).ok();
    }
    assert_eq!(
        ws.set_version(&set),
        version + 1,
        "bumped once before commit"
    );
    ws.docket(&["commit"]).ok();
    let v = version + 1;
    let msg = ws.last_message();
    assert_eq!(
        msg.lines().next(),
        Some(format!("docket: review {DAY} — 2 promoted").as_str())
    );
    assert_eq!(
        trailers(&msg),
        cases
            .iter()
            .map(|c| format!("promote {} -> {set}@v{v}", c.id))
            .collect::<Vec<_>>()
    );
    assert_eq!(ws.set_version(&set), v);
    for c in &cases {
        let sc = toml_of(&ws, &format!("evals/sets/{set}/cases/{}.toml", c.id));
        assert_eq!(sc["provenance"]["added_in_version"].as_integer(), Some(v));
        let f = toml_of(&ws, &c.path);
        assert_eq!(f["promotion"]["version"].as_integer(), Some(v));
    }
    assert_eq!(ws.status(), "");
    ws.assert_fsck_clean();
    ws.docket(&["check"]).ok();

    // The next commit that changes the set bumps it again.
    let third = ws.promotable(1).remove(0);
    ws.docket(&["promote", &third.id, &set, "--commit"]).ok();
    assert_eq!(ws.set_version(&set), v + 1);
    assert_eq!(
        trailers(&ws.last_message()),
        vec![format!("promote {} -> {set}@v{}", third.id, v + 1)]
    );
}

#[test]
fn commit_flag_commits_at_once() {
    let ws = Workspace::example();
    let case = ws.promotable(1).remove(0);
    let tag = ws.new_tag_for(&case);
    let commits = ws.commit_count();
    let out = ws.docket(&["tag", &case.id, &tag, "--commit"]).ok();
    assert!(out.stdout.contains(&format!("tag {} +{tag}", case.id)));
    assert_eq!(ws.commit_count(), commits + 1);
    assert_eq!(ws.status(), "");
    let msg = ws.last_message();
    assert_eq!(
        msg.lines().next(),
        Some(format!("docket: review {DAY} — 1 tagged").as_str())
    );
    assert_eq!(trailers(&msg), vec![format!("tag {} +{tag}", case.id)]);
    let f = toml_of(&ws, &case.path);
    assert_eq!(
        f["status"].as_str(),
        Some("triaged"),
        "tagging a new case triages it"
    );

    ws.docket(&["note", &case.id, "noted", "--commit"]).ok();
    assert_eq!(
        trailers(&ws.last_message()),
        vec![format!("note {}", case.id)]
    );
    ws.docket(&["dismiss", &case.id, "--reason", "duplicate", "--commit"])
        .ok();
    assert_eq!(
        trailers(&ws.last_message()),
        vec![format!("dismiss {}", case.id)]
    );
    assert_eq!(ws.commit_count(), commits + 3);
    assert_eq!(ws.status(), "");
    ws.assert_fsck_clean();
}

#[test]
fn dismiss_records_reason_and_reviewer() {
    let ws = Workspace::example();
    let case = ws.promotable(1).remove(0);
    ws.docket(&["dismiss", &case.id, "--reason", "duplicate of another case"])
        .ok();
    ws.docket(&["commit", "-m", "weekly review"]).ok();
    let msg = ws.last_message();
    assert_eq!(
        msg.lines().next(),
        Some("weekly review"),
        "-m replaces the summary"
    );
    assert_eq!(trailers(&msg), vec![format!("dismiss {}", case.id)]);
    let f = toml_of(&ws, &case.path);
    assert_eq!(f["status"].as_str(), Some("dismissed"));
    let d = f["dismissal"].as_table().unwrap();
    assert_eq!(d["reason"].as_str(), Some("duplicate of another case"));
    assert_eq!(d["by"].as_str(), Some(EMAIL));
    assert_eq!(d["at"].to_string(), NOW);
    // A dismissed case cannot be promoted, nor dismissed again.
    let (set, _) = ws.a_set();
    let before = ws.snapshot();
    ws.docket(&["promote", &case.id, &set])
        .refused(&[&case.id, "dismissed"]);
    ws.docket(&["dismiss", &case.id, "--reason", "again"])
        .refused(&[&case.id]);
    ws.assert_unchanged(&before, "promote/dismiss of a dismissed case");
}

#[test]
fn tag_changes_only_the_tag_and_status_lines_and_keeps_unknown_keys() {
    let ws = Workspace::example();
    let case = ws.promotable(1).remove(0);
    let tag = ws.new_tag_for(&case);

    // A hand-added unknown key and comments, committed with git.
    let text = ws.read(&case.path);
    let (first, rest) = text.split_once('\n').unwrap();
    let edited = format!(
        "# reviewer comment: keep this line\n{first}\ntrace_url = \"https://traces.example/abc\"   # unknown key, kept\n{rest}"
    );
    ws.write(&case.path, &edited);
    ws.git_commit_all("hand edit");

    ws.docket(&["tag", &case.id, &tag]).ok();
    let after = ws.read(&case.path);
    assert!(
        after.contains("# reviewer comment: keep this line\n"),
        "{after}"
    );
    assert!(
        after.contains("trace_url = \"https://traces.example/abc\"   # unknown key, kept\n"),
        "{after}"
    );

    let numstat = ws.git_out(&["diff", "--numstat", "--", &case.path]);
    let cols: Vec<&str> = numstat.split('\t').collect();
    let (added, removed): (usize, usize) = (cols[0].parse().unwrap(), cols[1].parse().unwrap());
    assert!(
        (1..=2).contains(&added) && removed <= 2,
        "only the tags (and status) lines change: {numstat}"
    );
    let diff = ws.git_out(&["diff", "-U0", "--", &case.path]);
    let changed: Vec<&str> = diff
        .lines()
        .filter(|l| {
            (l.starts_with('+') || l.starts_with('-'))
                && !l.starts_with("+++")
                && !l.starts_with("---")
        })
        .collect();
    for l in &changed {
        let body = l[1..].trim_start();
        assert!(
            body.starts_with("tags") || body.starts_with("status") || body.contains(&tag),
            "unexpected changed line {l:?} in\n{diff}"
        );
    }
    assert!(
        changed
            .iter()
            .any(|l| l.starts_with('+') && l.contains(&tag)),
        "{diff}"
    );
    assert!(
        changed.contains(&"+status = \"triaged\""),
        "a new case becomes triaged:\n{diff}"
    );
    // The rest of the file is byte for byte the same.
    let strip = |s: &str| {
        s.lines()
            .filter(|l| {
                let t = l.trim_start();
                !t.starts_with("tags") && !t.starts_with("status") && !t.contains(&tag)
            })
            .map(str::to_owned)
            .collect::<Vec<_>>()
    };
    assert_eq!(strip(&edited), strip(&after));

    ws.docket(&["commit"]).ok();
    assert_eq!(ws.status(), "");
    // Removing the tag again changes only the tags line.
    ws.docket(&["tag", &case.id, &tag, "--remove"]).ok();
    let numstat = ws.git_out(&["diff", "--numstat", "--", &case.path]);
    assert!(numstat.starts_with("1\t1\t"), "{numstat}");
}

#[test]
fn head_moved_by_an_unrelated_commit_still_commits_on_top() {
    let ws = Workspace::example();
    let case = ws.promotable(1).remove(0);
    let tag = ws.new_tag_for(&case);
    ws.docket(&["tag", &case.id, &tag]).ok();

    ws.write("CONTRIBUTING.txt", "be nice\n");
    ws.git(&["add", "CONTRIBUTING.txt"]).ok();
    ws.git(&["commit", "-q", "-m", "unrelated"]).ok();
    let other = ws.head();

    ws.docket(&["commit"]).ok();
    assert_eq!(
        ws.git_out(&["rev-parse", "HEAD~1"]),
        other,
        "parent = the other commit"
    );
    assert_eq!(
        trailers(&ws.last_message()),
        vec![format!("tag {} +{tag}", case.id)]
    );
    let files = ws.git_out(&["ls-tree", "-r", "--name-only", "HEAD"]);
    assert!(files.lines().any(|l| l == "CONTRIBUTING.txt"), "{files}");
    assert_eq!(
        ws.git_out(&["show", &format!("HEAD:{}", case.path)]),
        ws.read(&case.path).trim_end()
    );
    assert_eq!(ws.status(), "");
    ws.assert_fsck_clean();
}

#[test]
fn head_moved_by_a_commit_to_the_pending_file_is_replayed() {
    let ws = Workspace::example();
    let case = ws.promotable(1).remove(0);
    let tag = ws.new_tag_for(&case);
    ws.docket(&["tag", &case.id, &tag]).ok();

    // Someone else's commit changes the same failure file (built with
    // plumbing, so the work tree keeps docket's pending edit).
    let theirs = format!(
        "{}\n# edited elsewhere\n",
        ws.git_out(&["show", &format!("HEAD:{}", case.path)])
    );
    let scratch = ws.sb.path().join("theirs.toml");
    std::fs::write(&scratch, theirs).unwrap();
    let blob = ws.git_out(&["hash-object", "-w", scratch.to_str().unwrap()]);
    let index = ws.sb.path().join("other-index");
    let with_index = |args: &[&str]| {
        let mut cmd = ws.sb.command("git", &ws.root);
        cmd.env("GIT_INDEX_FILE", &index).args(args);
        common::Sandbox::run(&mut cmd).ok().out()
    };
    with_index(&["read-tree", "HEAD"]);
    with_index(&[
        "update-index",
        "--cacheinfo",
        &format!("100644,{blob},{}", case.path),
    ]);
    let tree = with_index(&["write-tree"]);
    let commit = ws.git_out(&["commit-tree", &tree, "-p", "HEAD", "-m", "edited elsewhere"]);
    ws.git(&["update-ref", "HEAD", &commit]).ok();

    let before_commit = ws.read(&case.path);
    assert!(!before_commit.contains("# edited elsewhere"));
    let run = ws.docket(&["commit"]).ok();
    assert!(run.stderr.contains("re-applied"), "{}", run.stderr);
    // Their edit and the pending tag are both in the new commit, on top of
    // theirs.
    assert_eq!(ws.git_out(&["rev-parse", "HEAD~1"]), commit);
    let committed = ws.git_out(&["show", &format!("HEAD:{}", case.path)]);
    assert!(committed.contains("# edited elsewhere"), "{committed}");
    assert!(committed.contains(&format!("\"{tag}\"")), "{committed}");
    assert_eq!(
        trailers(&ws.last_message()),
        vec![format!("tag {} +{tag}", case.id)]
    );
    assert_eq!(ws.git_out(&["status", "--porcelain"]), "");
    ws.assert_fsck_clean();

    // docket's own edit committed by hand: the change is dropped from the
    // journal (it is in HEAD), and docket says so once.
    let ws = Workspace::example();
    let case = ws.promotable(1).remove(0);
    let tag = ws.new_tag_for(&case);
    ws.docket(&["tag", &case.id, &tag]).ok();
    ws.git(&["commit", "-q", "-m", "by hand", "--", &case.path])
        .ok();
    let by_hand = ws.head();
    let run = ws.docket(&["commit"]);
    assert!(
        run.stderr.contains(&format!(
            "1 pending change(s) were committed outside docket in {}",
            &by_hand[..7]
        )),
        "{}",
        run.stderr
    );
    assert!(run.stderr.contains("nothing to commit"), "{}", run.stderr);
    assert_eq!(ws.head(), by_hand);
    let again = ws.docket(&["commit"]);
    assert!(
        !again.stderr.contains("outside docket"),
        "said once: {}",
        again.stderr
    );
    assert_eq!(ws.git_out(&["status", "--porcelain"]), "");
}

#[test]
fn commit_with_nothing_pending_is_refused() {
    let ws = Workspace::example();
    let before = ws.snapshot();
    ws.docket(&["commit"]).refused(&["nothing to commit"]);
    ws.assert_unchanged(&before, "empty commit");
}

#[test]
fn commit_all_records_hand_edits() {
    let ws = Workspace::example();
    let case = &ws.cases()[0];
    let text = ws.read(&case.path);
    ws.write(&case.path, format!("{text}\n# a hand edit\n"));
    // Without --all a hand edit is not docket's to commit.
    ws.docket(&["commit"]).refused(&["nothing to commit"]);
    ws.docket(&["commit", "--all"]).ok();
    assert_eq!(ws.status(), "");
    assert_eq!(
        trailers(&ws.last_message()),
        vec![format!("edit {}", case.path)]
    );
    ws.assert_fsck_clean();
}

#[test]
fn workspace_in_a_subdirectory_of_a_repository() {
    let sb = common::Sandbox::new();
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
    let case = ws.promotable(1).remove(0);
    let tag = ws.new_tag_for(&case);
    let (set, version) = ws.a_set();

    // Commands run from deep inside the workspace find it, like git does.
    let deep = ws.root.join("evals/failures");
    ws.sb.docket(&deep, &["tag", &case.id, &tag]).ok();
    ws.sb.docket(&deep, &["promote", &case.id, &set]).ok();

    // An unrelated commit outside the workspace in between.
    std::fs::write(repo.join("README"), "hello again\n").unwrap();
    ws.sb
        .git(&repo, &["commit", "-q", "-m", "readme", "--", "README"])
        .ok();
    let other = ws.head();

    ws.sb.docket(&deep, &["commit"]).ok();
    assert_eq!(ws.git_out(&["rev-parse", "HEAD~1"]), other);
    assert_eq!(ws.status(), "");
    ws.assert_fsck_clean();
    let changed = ws.git_out(&["diff", "--name-only", "HEAD~1", "HEAD"]);
    let mut changed: Vec<&str> = changed.lines().collect();
    changed.sort_unstable();
    let mut expected = vec![
        format!("gov/{}", case.path),
        format!("gov/evals/sets/{set}/cases/{}.toml", case.id),
        format!("gov/evals/sets/{set}/set.toml"),
    ];
    expected.sort();
    assert_eq!(changed, expected);
    assert_eq!(
        trailers(&ws.last_message()),
        vec![
            format!("tag {} +{tag}", case.id),
            format!("promote {} -> {set}@v{}", case.id, version + 1),
        ]
    );
    let sc = toml_of(&ws, &format!("evals/sets/{set}/cases/{}.toml", case.id));
    assert_eq!(
        sc["provenance"]["failure"].as_str(),
        Some(case.path.as_str()),
        "provenance paths are workspace-relative"
    );
    ws.docket(&["check"]).ok();
}

/// Two docket processes that change the same case at once: every change a
/// process reports as done (exit 0) is in the file and in the commit.
#[test]
fn concurrent_notes_are_never_lost() {
    let ws = Workspace::example();
    let case = ws.promotable(1).remove(0);
    let notes_before = toml_of(&ws, &case.path)
        .get("notes")
        .and_then(toml::Value::as_array)
        .map_or(0, Vec::len);
    let mut done: Vec<String> = Vec::new();
    for round in 0..40 {
        let children: Vec<(String, std::process::Child)> = (0..4)
            .map(|k| {
                let text = format!("round {round} writer {k}");
                let mut cmd = ws.sb.command(env!("CARGO_BIN_EXE_docket"), &ws.root);
                cmd.args(["note", &case.id, &text])
                    .stdout(std::process::Stdio::null())
                    .stderr(std::process::Stdio::piped());
                (text, cmd.spawn().unwrap())
            })
            .collect();
        for (text, child) in children {
            let out = child.wait_with_output().unwrap();
            match out.status.code() {
                Some(0) => done.push(text),
                Some(2) => {
                    let err = String::from_utf8_lossy(&out.stderr);
                    assert!(err.contains("another docket process"), "{err}");
                }
                other => panic!("unexpected exit {other:?}"),
            }
        }
    }
    let f = toml_of(&ws, &case.path);
    let in_file: Vec<String> = f["notes"]
        .as_array()
        .unwrap()
        .iter()
        .skip(notes_before)
        .map(|n| n["text"].as_str().unwrap().to_owned())
        .collect();
    let lost: Vec<&String> = done.iter().filter(|t| !in_file.contains(t)).collect();
    assert!(
        lost.is_empty(),
        "{} of {} notes reported as written are missing from {}: {lost:?}",
        lost.len(),
        done.len(),
        case.path
    );
    ws.docket(&["commit"]).ok();
    assert_eq!(trailers(&ws.last_message()).len(), in_file.len());
}
