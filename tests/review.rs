#![allow(clippy::unwrap_used, clippy::expect_used)]
//! The review meeting from the command line, end to end: start with
//! attendees from `[[reviewers]]`, the agenda's order, decisions made with
//! the ordinary commands (in this terminal or another), a skip, a resumed
//! meeting, finish (minutes memo, one commit, an annotated review tag), the
//! next meeting's agenda, and the reviewers' agreement.

mod common;

use common::{EMAIL, Workspace};
use serde_json::Value;

fn reviewers(ws: &Workspace) -> Vec<String> {
    let cfg: toml::Table = ws.read("docket.toml").parse().unwrap();
    cfg["reviewers"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["email"].as_str().unwrap().to_owned())
        .collect()
}

fn agenda(ws: &Workspace) -> Vec<Value> {
    ws.docket(&["review", "agenda", "--json"])
        .ok()
        .json()
        .as_array()
        .unwrap()
        .clone()
}

#[test]
#[allow(clippy::too_many_lines)] // one meeting, start to tag, told in order
fn a_meeting_from_start_to_tag() {
    let ws = Workspace::example();
    let people = reviewers(&ws);
    let before = ws.snapshot();
    let refused = ws
        .docket(&["review", "start", "--attendee", "nobody@example.com"])
        .refused(&["nobody@example.com is not a reviewer", &people[0]]);
    assert!(!refused.is_empty());
    ws.assert_unchanged(&before, "an unknown attendee");
    // Finishing with no meeting says how to start one; that path works.
    ws.docket(&["review", "finish"])
        .refused(&["no review meeting in progress", "docket review start"]);

    let out = ws
        .docket(&[
            "review",
            "start",
            "--attendee",
            &people[0],
            "--attendee",
            &people[1],
        ])
        .ok()
        .stdout;
    assert!(out.contains("case(s) on the agenda"), "{out}");

    // The agenda: new cases by severity, then oldest first.
    let items = agenda(&ws);
    assert!(items.len() >= 4, "{items:?}");
    let key = |v: &Value| {
        (
            v["severity"].as_str().unwrap_or("sev9").to_owned(),
            v["occurred_at"].as_str().unwrap().to_owned(),
        )
    };
    for w in items.windows(2) {
        assert!(key(&w[0]).0 <= key(&w[1]).0, "{w:?}");
        if key(&w[0]).0 == key(&w[1]).0 {
            assert!(key(&w[0]).1 <= key(&w[1]).1, "{w:?}");
        }
    }
    assert!(items.iter().all(|v| v["status"] == "new"));
    let id = |i: usize| items[i]["id"].as_str().unwrap().to_owned();
    let tag = ws.taxonomy()[0].clone();

    // Decisions with the ordinary commands, some committed at once.
    ws.docket(&[
        "dismiss",
        &id(1),
        "--reason",
        "duplicate of an older case",
        "--commit",
    ])
    .ok();
    // Left pending: finishing commits it with the minutes.
    ws.docket(&["tag", &id(0), &tag]).ok();
    ws.docket(&["review", "skip", &id(2)]).ok();

    // A dropped connection: the meeting is still there when started again.
    let again = ws.docket(&["review", "start"]).ok().stdout;
    assert!(again.contains("resuming the review meeting"), "{again}");
    let ids = |v: &[Value]| -> Vec<String> {
        v.iter()
            .map(|x| x["id"].as_str().unwrap().to_owned())
            .collect()
    };
    assert_eq!(
        ids(&agenda(&ws)),
        ids(&items),
        "the agenda is fixed for the meeting"
    );

    let done = ws.docket(&["review", "finish"]).ok().stdout;
    assert!(done.contains("tagged review/2026-11-23"), "{done}");
    // One annotated tag on HEAD, its message naming the minutes.
    assert_eq!(ws.git_out(&["cat-file", "-t", "review/2026-11-23"]), "tag");
    assert_eq!(
        ws.git_out(&["rev-parse", "review/2026-11-23^{commit}"]),
        ws.head()
    );
    let tag_msg = ws.git_out(&["tag", "-l", "--format=%(contents)", "review/2026-11-23"]);
    assert!(tag_msg.contains("Minutes: memos/"), "{tag_msg}");
    assert!(tag_msg.contains("1 tagged"), "{tag_msg}");
    // The minutes: committed with the pending tag, an accepted memo.
    let files = ws.git_out(&["show", "--name-only", "--format=", "HEAD"]);
    let memo = files
        .lines()
        .find(|f| f.starts_with("memos/"))
        .unwrap()
        .to_owned();
    assert!(
        files.contains(&format!("{}.toml", id(0))),
        "{files}\n{}",
        ws.git_out(&["log", "--stat", "-4"])
    );
    let text = ws.read(&memo);
    for want in [
        "status = \"accepted\"".to_owned(),
        format!("`{}` tagged +{tag}", id(0)),
        format!(
            "`{}` dismissed: duplicate of an older case ({EMAIL})",
            id(1)
        ),
        format!("`{}` skipped to the next meeting", id(2)),
    ] {
        assert!(text.contains(&want), "{want:?} in\n{text}");
    }
    assert!(
        ws.last_message()
            .starts_with("docket: review 2026-11-23 — 1 tagged, 1 dismissed")
    );
    ws.docket(&["check"]).ok();
    assert_eq!(ws.status(), "");
    ws.assert_fsck_clean();
    ws.docket(&["review", "finish"])
        .refused(&["no review meeting in progress"]);

    // The next meeting: decided cases are off the agenda, the skipped one
    // is back, and a second meeting that day gets its own tag.
    ws.docket(&["review", "start"]).ok();
    let next: Vec<String> = agenda(&ws)
        .iter()
        .map(|v| v["id"].as_str().unwrap().to_owned())
        .collect();
    assert!(!next.contains(&id(0)) && !next.contains(&id(1)));
    assert!(next.contains(&id(2)));
    let out = ws.docket(&["review", "finish"]).ok().stdout;
    assert!(out.contains("tagged review/2026-11-23.2"), "{out}");
    assert!(ws.last_message().contains("nothing decided"));
}

#[test]
fn review_stats_reports_agreement_per_pair() {
    let ws = Workspace::example();
    // Three cases under double review, two reviewers.
    let cases = ws.promotable(3);
    let cfg = ws.read("docket.toml");
    ws.write(
        "docket.toml",
        cfg.replacen(
            "[review]\n",
            "[review]\ndouble_review = [\"sev1\", \"sev2\", \"sev3\", \"sev4\"]\n",
            1,
        ) + &format!(
            "\n[[reviewers]]\nname = \"T\"\nemail = \"{EMAIL}\"\n\n[[reviewers]]\nname = \"Bo\"\nemail = \"bo@example.com\"\n"
        ),
    );
    ws.git_commit_all("double review for all");
    let (set, _) = ws.a_set();
    for c in &cases {
        ws.docket(&["promote", &c.id, &set]).ok();
    }
    ws.sb.git_config(&["user.email", "bo@example.com"]);
    ws.docket(&["promote", &cases[0].id, &set]).ok();
    ws.docket(&["promote", &cases[1].id, &set]).ok();
    ws.docket(&["dismiss", &cases[2].id, "--reason", "noise"])
        .ok();
    ws.docket(&["commit"]).ok();
    let stats = ws.docket(&["review", "stats", "--json"]).ok().json();
    let pair = &stats[0];
    assert_eq!(pair["a"], "bo@example.com");
    assert_eq!(pair["b"], EMAIL);
    assert_eq!(pair["cases"], 3);
    assert_eq!(pair["agreed"], 2);
    // Bo: promote, promote, dismiss; the other: promote ×3. p_o = 2/3,
    // p_e = (2/3)(1) + (1/3)(0) = 2/3: no agreement beyond chance.
    assert!(pair["kappa"].as_f64().unwrap().abs() < 1e-9, "{pair}");
    let text = ws.docket(&["review", "stats"]).ok().stdout;
    assert!(
        text.contains("3 case(s), 2 agreed (67%), kappa 0.00"),
        "{text}"
    );
    assert!(
        text.contains("1 split case(s) wait for the next meeting"),
        "{text}"
    );
    // The split case is on the next agenda.
    let items = agenda(&ws);
    assert!(
        items
            .iter()
            .any(|v| v["id"] == cases[2].id.as_str() && v["split"] == true),
        "{items:?}"
    );
}

#[test]
fn a_signed_workspace_gets_a_signed_review_tag() {
    if !common::signing::have("ssh-keygen") {
        return;
    }
    let ws = Workspace::example();
    common::signing::ssh_signing(&ws.sb, &[]);
    ws.docket(&["review", "start"]).ok();
    let first = agenda(&ws)[0]["id"].as_str().unwrap().to_owned();
    ws.docket(&["dismiss", &first, "--reason", "noise"]).ok();
    let out = ws.docket(&["review", "finish"]).ok().stdout;
    assert!(out.contains("tagged review/2026-11-23"), "{out}");
    // git's own verifiers accept both the minutes' commit and the tag.
    ws.git(&["verify-commit", "HEAD"]).ok();
    let v = ws.git(&["verify-tag", "review/2026-11-23"]).ok();
    assert!(v.stderr.contains("Good"), "{}", v.stderr);
    assert_eq!(ws.git_out(&["cat-file", "-t", "review/2026-11-23"]), "tag");
    assert_eq!(
        ws.git_out(&["rev-parse", "review/2026-11-23^{commit}"]),
        ws.head()
    );
    ws.assert_fsck_clean();
}

#[test]
fn a_finish_stopped_before_its_tag_only_tags_when_run_again() {
    let ws = Workspace::example();
    ws.docket(&["review", "start"]).ok();
    let first = agenda(&ws)[0]["id"].as_str().unwrap().to_owned();
    ws.docket(&["dismiss", &first, "--reason", "noise"]).ok();
    // The tag's ref is locked (another git holds it): the minutes are
    // committed, the tag is not.
    let tags = ws.root.join(".git/refs/tags/review");
    std::fs::create_dir_all(&tags).unwrap();
    std::fs::write(tags.join("2026-11-23.lock"), "").unwrap();
    let before = ws.commit_count();
    ws.docket(&["review", "finish"]).refused(&[
        "the minutes are committed as",
        "review/2026-11-23 could not be made",
        "`docket review finish` again makes it",
    ]);
    assert_eq!(ws.commit_count(), before + 1);
    std::fs::remove_file(tags.join("2026-11-23.lock")).unwrap();
    // Again: the tag, on the minutes' commit; no second minutes.
    let out = ws.docket(&["review", "finish"]).ok().stdout;
    assert!(out.contains("tagged review/2026-11-23"), "{out}");
    assert_eq!(ws.commit_count(), before + 1);
    assert_eq!(
        ws.git_out(&["rev-parse", "review/2026-11-23^{commit}"]),
        ws.head()
    );
    let memos = ws.git_out(&["ls-files", "memos"]);
    assert_eq!(memos.matches("eval-review-").count(), 1, "{memos}");
}

#[test]
fn a_stale_copy_of_a_finished_meeting_is_never_saved_back() {
    use docket::ops::meeting::Step;
    let ws = Workspace::example();
    ws.docket(&["review", "start"]).ok();
    let store = docket::store::Store::open(&ws.root).unwrap();
    let stale = store.meeting().unwrap().unwrap();
    // Another terminal skips a case: this window's next step keeps it.
    let second = stale.agenda[1].clone();
    ws.docket(&["review", "skip", &stale.agenda[0]]).ok();
    let now = store.meeting_step(&stale, &Step::At(1)).unwrap();
    assert_eq!(now.skipped, vec![stale.agenda[0].clone()]);
    assert_eq!(now.position, 1);
    ws.docket(&["review", "finish"]).ok();
    // Finished elsewhere: a step from the stale copy brings nothing back.
    let gone = store.meeting_step(&stale, &Step::At(2));
    assert!(
        matches!(gone, Err(docket::store::StoreError::NoMeeting)),
        "{gone:?}"
    );
    assert!(store.meeting().unwrap().is_none());
    assert!(!second.is_empty());
}

#[test]
fn a_case_tagged_then_skipped_is_on_the_next_agenda() {
    let ws = Workspace::example();
    ws.docket(&["review", "start"]).ok();
    let first = agenda(&ws)[0]["id"].as_str().unwrap().to_owned();
    let tag = ws.taxonomy()[0].clone();
    ws.docket(&["tag", &first, &tag]).ok();
    ws.docket(&["review", "skip", &first]).ok();
    ws.docket(&["review", "finish"]).ok();
    let msg = ws.git_out(&["tag", "-l", "--format=%(contents)", "review/2026-11-23"]);
    assert!(msg.contains(&format!("Docket-Skipped: {first}")), "{msg}");
    // Triaged now, and still on the next meeting's agenda.
    ws.docket(&["review", "start"]).ok();
    let next: Vec<Value> = agenda(&ws);
    let row = next
        .iter()
        .find(|v| v["id"] == first.as_str())
        .expect("carried over");
    assert_eq!(row["status"], "triaged");
}
