#![allow(clippy::unwrap_used, clippy::expect_used)]
//! Double review end to end (`[review] double_review` in docket.toml): two
//! reviewers in one repository, switching `user.email` as two people at one
//! machine would; the decision takes effect only on the second, agreeing
//! verdict, the review is blind, and history records every verdict.

mod common;

use common::{EMAIL, Workspace};

const BO: &str = "bo@example.com";

/// The example with the severity of `case` under double review, committed
/// by hand as a reviewer editing docket.toml would.
fn double_reviewed(ws: &Workspace, case_path: &str) -> String {
    let table: toml::Table = ws.read(case_path).parse().unwrap();
    let sev = table["severity"].as_str().unwrap().to_owned();
    let cfg = ws.read("docket.toml");
    let cfg = if cfg.contains("[review]\n") {
        cfg.replacen(
            "[review]\n",
            &format!("[review]\ndouble_review = [\"{sev}\"]\n"),
            1,
        )
    } else {
        format!("{cfg}\n[review]\ndouble_review = [\"{sev}\"]\n")
    };
    // Both reviewers are listed: only a listed reviewer's verdict counts.
    let cfg = format!(
        "{cfg}\n[[reviewers]]\nname = \"Test Reviewer\"\nemail = \"{EMAIL}\"\n\n[[reviewers]]\nname = \"Bo\"\nemail = \"{BO}\"\n"
    );
    ws.write("docket.toml", cfg);
    ws.git_commit_all("review: double review for the worst failures");
    sev
}

fn status_of(ws: &Workspace, id: &str) -> String {
    let c = ws.cases().into_iter().find(|c| c.id == id).unwrap();
    c.status
}

#[test]
fn a_double_reviewed_case_needs_two_agreeing_reviewers() {
    let ws = Workspace::example();
    let case = ws.promotable(1).remove(0);
    double_reviewed(&ws, &case.path);
    let (set, version) = ws.a_set();

    // The first reviewer's promote is only a verdict: nothing decided.
    let first = ws.docket(&["promote", &case.id, &set, "--commit"]).ok();
    assert!(
        first.stdout.contains("waits for a second reviewer"),
        "{}",
        first.stdout
    );
    assert_eq!(status_of(&ws, &case.id), "new");
    assert_eq!(ws.set_version(&set), version);
    let msg = ws.last_message();
    assert!(
        msg.contains(&format!("Docket-Verdict: {} promote {set}", case.id)),
        "{msg}"
    );
    assert!(!msg.contains("Docket-Action:"), "{msg}");
    assert!(ws.read(&case.path).contains("[[verdicts]]"));

    // The same reviewer again does not count twice.
    ws.docket(&["promote", &case.id, &set, "--commit"]).ok();
    assert_eq!(status_of(&ws, &case.id), "new");

    // The second reviewer does not see the first's verdict before giving
    // their own: a count, not the decision.
    ws.sb.git_config(&["user.email", BO]);
    let shown = ws.docket(&["show", &case.id]).ok().stdout;
    assert!(
        shown.contains("1 verdict(s) given, hidden until you give yours"),
        "{shown}"
    );
    assert!(!shown.contains(EMAIL), "{shown}");
    let json = ws.docket(&["show", &case.id, "--json"]).ok().json();
    assert_eq!(json["verdicts_hidden"], 1);
    assert!(
        json.get("verdicts")
            .is_none_or(|v| v.as_array().unwrap().is_empty()),
        "{json}"
    );

    // A disagreeing verdict splits the case; nothing is decided.
    ws.docket(&["dismiss", &case.id, "--reason", "noise", "--commit"])
        .ok();
    assert_eq!(status_of(&ws, &case.id), "new");
    let shown = ws.docket(&["show", &case.id]).ok().stdout;
    assert!(shown.contains(&format!("verdict by {EMAIL}")), "{shown}");
    assert!(shown.contains(&format!("verdict by {BO}")), "{shown}");

    // The second reviewer changes their mind and agrees: promoted, by them,
    // the set bumped once.
    let out = ws.docket(&["promote", &case.id, &set, "--commit"]).ok();
    assert!(!out.stdout.contains("waits"), "{}", out.stdout);
    assert_eq!(status_of(&ws, &case.id), "promoted");
    assert_eq!(ws.set_version(&set), version + 1);
    let msg = ws.last_message();
    assert!(
        msg.contains(&format!(
            "Docket-Action: promote {} -> {set}@v{}",
            case.id,
            version + 1
        )),
        "{msg}"
    );
    // History holds both reviewers' verdicts, each in its author's commit.
    let log = ws.git_out(&["log", "--format=%ae %(trailers:key=Docket-Verdict,valueonly,separator=;)%(trailers:key=Docket-Action,valueonly,separator=;)"]);
    assert!(
        log.lines()
            .any(|l| l.starts_with(EMAIL) && l.contains("promote")),
        "{log}"
    );
    assert!(
        log.lines()
            .any(|l| l.starts_with(BO) && l.contains(&format!("promote {}", case.id))),
        "{log}"
    );
    ws.docket(&["check"]).ok();
    assert_eq!(ws.status(), "");
    ws.assert_fsck_clean();
}

#[test]
fn other_severities_and_dismissals_without_a_second_reviewer_are_unchanged() {
    let ws = Workspace::example();
    let cases = ws.promotable(1);
    let sev = double_reviewed(&ws, &cases[0].path);
    // A case of another severity is decided at once.
    let other = ws.cases().into_iter().find(|c| {
        c.status == "new"
            && toml::from_str::<toml::Table>(&ws.read(&c.path)).unwrap()["severity"].as_str()
                != Some(sev.as_str())
    });
    if let Some(other) = other {
        ws.docket(&["dismiss", &other.id, "--reason", "noise", "--commit"])
            .ok();
        assert_eq!(status_of(&ws, &other.id), "dismissed");
    }
    // A double-reviewed dismissal waits, then two agree: dismissed, with
    // the second reviewer's reason.
    let id = &cases[0].id;
    ws.docket(&["dismiss", id, "--reason", "duplicate", "--commit"])
        .ok();
    assert_eq!(status_of(&ws, id), "new");
    ws.sb.git_config(&["user.email", BO]);
    ws.docket(&["dismiss", id, "--reason", "a duplicate indeed", "--commit"])
        .ok();
    assert_eq!(status_of(&ws, id), "dismissed");
    let shown = ws.docket(&["show", id]).ok().stdout;
    assert!(shown.contains(&format!("dismissed by {BO}")), "{shown}");
    assert!(
        shown.contains(&format!("verdict by {EMAIL}")),
        "decided: verdicts shown\n{shown}"
    );
    // Undo of a pending verdict takes it back like any change.
    let sev_of = |path: &str| {
        toml::from_str::<toml::Table>(&ws.read(path)).unwrap()["severity"]
            .as_str()
            .map(str::to_owned)
    };
    let third = ws
        .cases()
        .into_iter()
        .find(|c| c.status == "new" && c.id != *id && sev_of(&c.path).as_deref() == Some(&sev))
        .expect("another new case of the same severity");
    let before = ws.read(&third.path);
    ws.docket(&["dismiss", &third.id, "--reason", "noise"]).ok();
    assert!(ws.read(&third.path).contains("[[verdicts]]"));
    ws.docket(&["undo"]).ok();
    assert_eq!(ws.read(&third.path), before);
    assert_eq!(ws.status(), "");
}

#[test]
fn a_verdict_typed_into_the_file_is_no_second_reviewer() {
    let ws = Workspace::example();
    let case = ws.promotable(1).remove(0);
    double_reviewed(&ws, &case.path);
    let (set, _) = ws.a_set();
    // Bo's "verdict", written by hand and never committed by Bo.
    let forged = format!(
        "{}\n[[verdicts]]\nby = \"{BO}\"\nverdict = \"promote\"\nset = \"{set}\"\nat = 2026-11-20T10:00:00Z\n",
        ws.read(&case.path)
    );
    ws.write(&case.path, forged);
    let out = ws.docket(&["promote", &case.id, &set]).ok();
    assert!(
        out.stdout.contains("waits for a second reviewer"),
        "{}",
        out.stdout
    );
    assert_eq!(status_of(&ws, &case.id), "new");
}
