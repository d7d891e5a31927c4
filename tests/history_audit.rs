//! `docket log ID` and `docket audit`, end to end with the real binary on
//! the example workspace: commits by two listed reviewers, a hand edit made
//! with git, an author nobody listed, a case removed from a set, the
//! double-review rule and a merge. Signatures: `history_signatures.rs`.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;
#[path = "common/history.rs"]
mod history;

use common::Workspace;
use history::{ANA, Clock, LEE, promotable_of, review_settings, short};

#[test]
fn log_shows_each_reviewers_commits_with_their_actions() {
    let ws = Workspace::example();
    let mut clock = Clock::new(&ws);
    let case = ws.promotable(1).remove(0);
    let tag = ws.new_tag_for(&case);
    let (set, version) = ws.a_set();
    clock.docket(ANA, &["tag", &case.id, &tag, "--commit"]).ok();
    let tagged = ws.head();
    clock
        .docket(LEE, &["note", &case.id, "seen before", "--commit"])
        .ok();
    let noted = ws.head();
    clock
        .docket(ANA, &["promote", &case.id, &set, "--commit"])
        .ok();
    let promoted = ws.head();

    let out = ws.docket(&["log", &case.id]).ok().stdout;
    let promote = format!("promote {} -> {set}@v{}", case.id, version + 1);
    for needle in [
        format!("{} ", short(&tagged)),
        format!("{} ", short(&noted)),
        format!("<{ANA}>"),
        format!("<{LEE}>"),
        format!("Docket-Action: tag {} +{tag}", case.id),
        format!("Docket-Action: note {}", case.id),
        format!("Docket-Action: {promote}"),
        "unsigned".to_owned(),
    ] {
        assert!(out.contains(&needle), "{needle:?} missing in:\n{out}");
    }
    assert!(!out.contains("hand edit"), "{out}");

    let json = ws.docket(&["log", &case.id, "--json"]).ok().json();
    let entries = json.as_array().unwrap();
    // Newest first, like git log; the init commit that created the case last.
    let ids: Vec<&str> = entries
        .iter()
        .map(|e| e["commit"].as_str().unwrap())
        .collect();
    assert_eq!(
        &ids[..3],
        &[promoted.as_str(), noted.as_str(), tagged.as_str()]
    );
    assert_eq!(entries[1]["author"]["email"], LEE);
    assert_eq!(entries[2]["author"]["email"], ANA);
    assert_eq!(entries[0]["actions"][0]["trailer"], promote.as_str());
    assert_eq!(entries[0]["actions"][0]["action"]["kind"], "promote");
    assert_eq!(entries[0]["hand_edit"], false);
    assert_eq!(entries[0]["signature"]["signed"], false);

    // The set's log has the promotion too.
    let set_log = ws.docket(&["log", &set, "--json"]).ok().json();
    assert_eq!(set_log[0]["commit"], promoted.as_str());

    let bad = ws.docket(&["log", "no-such-thing"]).code(2);
    assert!(
        bad.stderr.contains("no case, set, runbook or memo"),
        "{}",
        bad.stderr
    );
}

#[test]
fn audit_is_clean_for_listed_reviewers_and_flags_a_hand_edit() {
    let ws = Workspace::example();
    let mut clock = Clock::new(&ws);
    let case = ws.promotable(1).remove(0);
    let tag = ws.new_tag_for(&case);
    clock.docket(ANA, &["tag", &case.id, &tag, "--commit"]).ok();
    clock
        .docket(LEE, &["note", &case.id, "looks real", "--commit"])
        .ok();
    let clean = ws.docket(&["audit"]).ok();
    assert!(clean.stdout.contains(", 0 findings"), "{}", clean.stdout);
    let before = ws.head();

    // An edit by hand, committed with git: no trailer.
    let text = ws.read(&case.path);
    ws.write(&case.path, format!("{text}# checked by hand\n"));
    clock.git(ANA, &["commit", "-q", "-am", "quick fix"]).ok();
    let hand = ws.head();
    let found = ws.docket(&["audit"]).code(1);
    let line = found
        .stdout
        .lines()
        .find(|l| l.contains("[hand-edit]"))
        .unwrap_or_else(|| panic!("no hand-edit finding:\n{}", found.stdout));
    assert!(
        line.starts_with(&format!("{} quick fix: ", short(&hand))),
        "{line}"
    );
    assert!(line.contains(&case.path), "{line}");
    assert!(found.stdout.ends_with("1 finding\n"), "{}", found.stdout);

    // The log marks it too.
    let log = ws.docket(&["log", &case.id]).ok().stdout;
    assert!(log.contains(&format!("hand edit: {}", case.path)), "{log}");

    // --json: an array of {commit, rule, message}; the summary on stderr.
    let json = ws.docket(&["audit", "--json"]).code(1);
    let v = json.json();
    let all = v.as_array().unwrap();
    assert_eq!(all.len(), 1, "{v}");
    assert_eq!(all[0]["commit"], hand.as_str());
    assert_eq!(all[0]["rule"], "hand-edit");
    assert!(all[0]["message"].as_str().unwrap().contains(&case.path));
    assert!(json.stderr.contains("audit: "), "{}", json.stderr);

    // --since limits the walk: only the hand edit's commit is after `before`.
    let since = ws.docket(&["audit", "--since", &before]).code(1);
    assert!(
        since.stdout.contains("audit: 1 commit checked, 1 finding"),
        "{}",
        since.stdout
    );
    let head_only = ws.docket(&["audit", "--since", "HEAD"]).ok();
    assert!(
        head_only.stdout.contains("0 commits checked"),
        "{}",
        head_only.stdout
    );
    ws.docket(&["audit", "--since", "no-such-rev"]).code(2);
}

#[test]
fn audit_flags_an_author_nobody_listed() {
    let ws = Workspace::example();
    let mut clock = Clock::new(&ws);
    let case = ws.promotable(1).remove(0);
    clock
        .docket("mallory@example.com", &["note", &case.id, "hi", "--commit"])
        .ok();
    let head = ws.head();
    let out = ws.docket(&["audit"]).code(1).stdout;
    assert!(
        out.contains(&format!("{} docket: review", short(&head)))
            && out.contains("[unknown-author] author mallory@example.com"),
        "{out}"
    );
}

#[test]
fn removal_from_a_set_and_single_review_are_flagged() {
    let ws = Workspace::example();
    let mut clock = Clock::new(&ws);
    let (set, _) = ws.a_set();
    let base = ws.head();

    // A case taken out of a set with git.
    let dir = ws.root.join(format!("evals/sets/{set}/cases"));
    let victim = std::fs::read_dir(&dir)
        .unwrap()
        .filter_map(Result::ok)
        .map(|e| e.file_name().into_string().unwrap())
        .find(|n| n.ends_with(".toml"))
        .expect("the example set has cases");
    let rel = format!("evals/sets/{set}/cases/{victim}");
    clock.git(ANA, &["rm", "-q", &rel]).ok();
    clock.git(ANA, &["commit", "-q", "-m", "drop a case"]).ok();
    let out = ws.docket(&["audit", "--since", &base]).code(1).stdout;
    assert!(
        out.contains("[removed-without-reason]") && out.contains(&rel),
        "{out}"
    );
    let after_removal = ws.head();

    // Promoted before the team asked for double review: no finding.
    let early = promotable_of(&ws, "sev1");
    clock
        .docket(ANA, &["promote", &early.id, &set, "--commit"])
        .ok();
    review_settings(&ws, &mut clock, "double_review = [\"sev1\"]");
    let out = ws.docket(&["audit", "--since", &after_removal]).ok().stdout;
    assert!(out.contains("0 findings"), "{out}");

    // A sev1 case promoted on one reviewer's word around the rule in
    // force: docket.toml edited locally (docket reads the work tree's),
    // the promotion committed, the edit put back.
    let one = promotable_of(&ws, "sev1");
    let rules = ws.read("docket.toml");
    ws.write(
        "docket.toml",
        rules.replace("double_review = [\"sev1\"]\n", ""),
    );
    clock
        .docket(ANA, &["promote", &one.id, &set, "--commit"])
        .ok();
    ws.write("docket.toml", rules);
    let promoted = ws.head();
    let out = ws
        .docket(&["audit", "--since", &after_removal])
        .code(1)
        .stdout;
    assert!(
        out.contains(&format!("{} ", short(&promoted)))
            && out.contains(&format!("[single-review] promoted sev1 case {}", one.id)),
        "{out}"
    );

    // Another reviewer's verdict first, then the promotion: clean. (With
    // double review on, docket itself records Lee's promote as a verdict
    // and lets Ana's decide.)
    let two = promotable_of(&ws, "sev1");
    assert_ne!(one.id, two.id);
    let start = ws.head();
    clock
        .docket(LEE, &["promote", &two.id, &set, "--commit"])
        .ok();
    let verdict = ws.head();
    assert!(
        ws.last_message()
            .contains(&format!("Docket-Verdict: {} promote", two.id)),
        "{}",
        ws.last_message()
    );
    clock
        .docket(ANA, &["promote", &two.id, &set, "--commit"])
        .ok();
    assert!(
        ws.last_message()
            .contains(&format!("Docket-Action: promote {}", two.id))
    );
    let out = ws.docket(&["audit", "--since", &start]).ok().stdout;
    assert!(out.contains("2 commits checked, 0 findings"), "{out}");
    // A verdict older than --since still counts.
    let out = ws.docket(&["audit", "--since", &verdict]).ok().stdout;
    assert!(out.contains("1 commit checked, 0 findings"), "{out}");
    // The verdict shows in the case's log.
    let log = ws.docket(&["log", &two.id]).ok().stdout;
    assert!(
        log.contains(&format!("Docket-Verdict: {} promote", two.id)),
        "{log}"
    );
}

#[test]
fn a_clean_merge_adds_nothing_to_judge() {
    let ws = Workspace::example();
    let mut clock = Clock::new(&ws);
    let base = ws.head();
    let branch = ws.git_out(&["branch", "--show-current"]);
    let case = ws.promotable(1).remove(0);
    clock.git(ANA, &["switch", "-q", "-c", "side"]).ok();
    clock
        .docket(LEE, &["note", &case.id, "on a branch", "--commit"])
        .ok();
    clock.git(ANA, &["switch", "-q", &branch]).ok();
    clock
        .git(ANA, &["merge", "-q", "--no-ff", "-m", "merge side", "side"])
        .ok();
    let out = ws.docket(&["audit", "--since", &base]).ok().stdout;
    // The branch's commit is judged; the merge brought nothing of its own.
    assert!(out.contains("audit: 1 commit checked, 0 findings"), "{out}");
    // log walks every branch merged in, not only the first parents.
    let log = ws.docket(&["log", &case.id]).ok().stdout;
    assert!(log.contains(&format!("<{LEE}>")), "{log}");
}
