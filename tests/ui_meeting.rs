#![allow(clippy::unwrap_used, clippy::expect_used)]
//! Meeting mode end to end: the real `docket` binary in a pseudo-terminal
//! (80×24, the harness of `tests/common/pty.rs`) on the example workspace.
//! `docket review` picks the attendees, then a short agenda is driven by
//! keys — a tag's own key, a dismissal, a skip — the terminal is dropped
//! mid-meeting, `docket review` resumes at the same case, a promotion and
//! `F` finish it, and the git command line checks the one commit, the
//! minutes and the annotated `review/<day>` tag. And plain `docket` with a
//! meeting open says so, and `R` enters it at the saved case.
//!
//! `DOCKET_NOW` is pinned by the harness ([`common::NOW`]), so the day is
//! [`common::DAY`] and the elapsed time reads 00:00:00. Every wait polls the
//! screen with a deadline.

mod common;

use common::pty::{ReadUntil, TIMEOUT, Term, id_field};
use common::{DAY, Workspace};
use serde_json::Value;
use std::time::{Duration, Instant};

/// Keys the default keymap binds outside pickers and prompts
/// (`src/ui/action.rs`): a tag whose key is one of these cannot be tagged
/// by its key in meeting mode.
const BOUND: &str = "jkgGJKotpxnDeucsNRq?/0123456789";

/// The agenda's case ids, in order (`docket review agenda --json`).
fn agenda(ws: &Workspace) -> Vec<String> {
    ws.docket(&["review", "agenda", "--json"])
        .ok()
        .json()
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v["id"].as_str().unwrap().to_owned())
        .collect()
}

/// docket.toml's `[[reviewers]]`: `(name, email)`.
fn reviewers(ws: &Workspace) -> Vec<(String, String)> {
    let cfg: toml::Table = ws.read("docket.toml").parse().unwrap();
    cfg["reviewers"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            (
                r["name"].as_str().unwrap().to_owned(),
                r["email"].as_str().unwrap().to_owned(),
            )
        })
        .collect()
}

/// A taxonomy tag whose own key no command has, which `tags` lacks:
/// `(name, key)`.
fn unbound_tag_not_in(ws: &Workspace, tags: &[String]) -> (String, char) {
    let cfg: toml::Table = ws.read("docket.toml").parse().unwrap();
    cfg["tags"]
        .as_array()
        .unwrap()
        .iter()
        .find_map(|t| {
            let name = t.get("name")?.as_str()?;
            let key = t.get("key")?.as_str()?.chars().next()?;
            (!BOUND.contains(key) && !tags.iter().any(|x| x == name))
                .then(|| (name.to_owned(), key))
        })
        .expect("a tag with an unbound key that the case lacks")
}

/// Makes the agenda four cases long, the third promotable (`[expected]`):
/// every other `new` case is dismissed from the command line, then
/// committed, before any meeting starts. Returns the four ids in order.
fn short_agenda(ws: &Workspace) -> Vec<String> {
    let all = agenda(ws);
    let cases = ws.cases();
    let promotable = |id: &str| cases.iter().any(|c| c.id == id && c.has_expected);
    let third = (2..all.len().saturating_sub(1))
        .find(|&i| promotable(&all[i]))
        .expect("a promotable case with one after it on the agenda");
    let keep = vec![
        all[0].clone(),
        all[1].clone(),
        all[third].clone(),
        all[third + 1].clone(),
    ];
    for id in all.iter().filter(|id| !keep.contains(id)) {
        ws.docket(&["dismiss", id, "--reason", "not for this meeting"])
            .ok();
    }
    ws.docket(&["commit"]).ok();
    assert_eq!(agenda(ws), keep, "the agenda is the four cases kept");
    assert_eq!(ws.status(), "");
    keep
}

/// `docket -C ROOT review` in a pseudo-terminal.
fn review(ws: &Workspace, until: ReadUntil) -> Term {
    let root = ws.root.to_str().unwrap().to_owned();
    Term::spawn_argv(
        ws,
        &[],
        until,
        &[env!("CARGO_BIN_EXE_docket"), "-C", &root, "review"],
    )
}

/// Meeting mode's top line at case `n` of `of` (the time is pinned).
fn bar(n: usize, of: usize, names: &str) -> String {
    format!(" Review {DAY}  {n} of {of} · 00:00:00  {names}")
}

/// The screen's first row.
fn top(screen: &str) -> &str {
    screen.lines().next().unwrap_or("")
}

/// Waits until the meeting bar shows `n of of` and the detail pane shows
/// case `id`.
#[track_caller]
fn wait_at(t: &mut Term, n: usize, of: usize, names: &str, id: &str) -> String {
    let want = bar(n, of, names);
    let field = id_field(id);
    t.wait(&format!("{n} of {of} on {id}"), |s| {
        top(s).starts_with(&want) && s.contains(&field)
    })
}

fn meeting_json(ws: &Workspace) -> Option<Value> {
    let path = ws.root.join(".git/docket/meeting.json");
    std::fs::read(path)
        .ok()
        .map(|b| serde_json::from_slice(&b).unwrap())
}

#[test]
#[allow(clippy::too_many_lines)] // one meeting, start to tag, told in order
fn a_meeting_by_keys_survives_a_dropped_terminal() {
    let ws = Workspace::example();
    let ids = short_agenda(&ws);
    let (c1, c2, c3, c4) = (&ids[0], &ids[1], &ids[2], &ids[3]);
    let n = ids.len();
    let cases = ws.cases();
    let case = |id: &str| cases.iter().find(|c| c.id == id).unwrap().clone();
    let (tag, tag_key) = unbound_tag_not_in(&ws, &case(c1).tags);
    let (set, version) = ws.a_set();
    let people = reviewers(&ws);
    let names = format!("{}, {}", people[0].0, people[1].0);
    let reason = "same root cause as an older case";
    let commits = ws.commit_count();
    let started_at = ws.head();

    // The first session: stopped (its output no longer read) once the
    // skip of case 2 is on the screen, then the terminal is closed.
    let skipped = format!("{c2} skipped");
    let mut t = review(&ws, ReadUntil::Screen(skipped.clone()));

    // No meeting open: the attendee picker comes first.
    t.wait_for("Review meeting: who attends?");
    t.wait_for(&format!("▶ [ ] {}", people[0].1));
    t.send(" ");
    t.wait_for(&format!("▶ [x] {}", people[0].1));
    t.send("\x1b[B");
    t.wait_for(&format!("▶ [ ] {}", people[1].1));
    t.send(" ");
    t.wait_for(&format!("▶ [x] {}", people[1].1));
    t.send("\r");
    let screen = wait_at(&mut t, 1, n, &names, c1);
    assert!(!screen.contains("who attends"), "{screen}");
    let m = meeting_json(&ws).expect("the meeting is saved when it starts");
    assert_eq!(m["agenda"], serde_json::json!(ids), "{m}");
    assert_eq!(m["position"], 0);
    assert_eq!(
        m["attendees"],
        serde_json::json!([people[0].1, people[1].1]),
        "{m}"
    );
    assert_eq!(m["head"].as_str(), Some(started_at.as_str()), "{m}");

    // Case 1: its tag's own key tags it; the meeting stays on it.
    t.send(tag_key.to_string());
    t.wait_for(" 1 pending");
    let screen = wait_at(&mut t, 1, n, &names, c1);
    assert!(
        screen.contains(&tag),
        "the tag shows on the case:\n{screen}"
    );

    // Case 1: dismissed with a reason; the meeting moves to case 2.
    t.send("x");
    t.wait_for(&format!("Dismiss {c1}: why?"));
    t.send(reason);
    t.wait_for(&format!("> {reason}"));
    t.send("\r");
    wait_at(&mut t, 2, n, &names, c2);
    t.wait_for(" 2 pending");

    // Case 2: skipped to the next meeting; the meeting moves to case 3.
    t.send("s");
    // The reader stops at the status line of this frame (drawn below the
    // bar and the detail pane), so the last screen read is this one.
    t.drain();
    let screen = t.screen();
    assert!(screen.contains(&skipped), "{screen}");
    assert!(top(&screen).starts_with(&bar(3, n, &names)), "{screen}");
    assert!(screen.contains(&id_field(c3)), "{screen}");

    // The connection drops: the terminal goes, and so does docket.
    t.writer.take();
    t.master.take();
    t.wait_exit(Duration::from_secs(2));
    drop(t);

    // What was done is on disk: the pending changes and the meeting's place.
    assert_eq!(ws.commit_count(), commits, "nothing committed yet");
    let status = ws.status();
    assert!(
        status.contains(&case(c1).path),
        "case 1's tag and dismissal are pending: {status:?}"
    );
    let m = meeting_json(&ws).expect("meeting.json survives the dropped terminal");
    assert_eq!(m["position"], 2, "{m}");
    assert_eq!(m["skipped"], serde_json::json!([c2]), "{m}");

    // `docket review` again: straight back into the meeting, at case 3.
    let mut t = review(&ws, ReadUntil::Eof);
    let screen = wait_at(&mut t, 3, n, &names, c3);
    assert!(!screen.contains("who attends"), "{screen}");
    t.wait_for(" 2 pending");

    // Case 3: promoted into the first set; the meeting moves to case 4.
    t.send("p");
    t.wait_for(&format!("Promote {c3} into"));
    t.wait_for(&format!("▶ {set}"));
    t.send("\r");
    wait_at(&mut t, 4, n, &names, c4);
    t.wait_for(" 3 pending");

    // F: the minutes, one commit, the review tag.
    t.send("F");
    t.wait_for("F again finishes");
    t.send("F");
    let screen = t.wait("the meeting finished", |s| {
        s.contains(&format!("tagged review/{DAY}")) && s.contains(" 0 pending")
    });
    assert!(
        top(&screen).starts_with(" docket"),
        "meeting mode is over: the tab bar is back:\n{screen}"
    );
    t.send("q");
    assert_eq!(t.wait_exit(TIMEOUT), 0, "docket exits with status 0");
    t.drain();

    // The git command line: one annotated tag on the one new commit.
    let tag_name = format!("review/{DAY}");
    assert_eq!(ws.git_out(&["tag", "-l", "review/*"]), tag_name);
    assert_eq!(ws.git_out(&["cat-file", "-t", &tag_name]), "tag");
    assert_eq!(
        ws.git_out(&["rev-parse", &format!("{tag_name}^{{commit}}")]),
        ws.head()
    );
    assert_eq!(ws.commit_count(), commits + 1, "one commit for the meeting");
    assert_eq!(ws.git_out(&["rev-parse", "HEAD~1"]), started_at);
    let files = ws.git_out(&["show", "--name-only", "--format=", "HEAD"]);
    for path in [&case(c1).path, &case(c3).path] {
        assert!(files.lines().any(|f| f == path), "{path} in\n{files}");
    }
    let memo = files
        .lines()
        .find(|f| f.starts_with("memos/") && f.ends_with(&format!("-eval-review-{DAY}.md")))
        .unwrap_or_else(|| panic!("the minutes memo in HEAD:\n{files}"))
        .to_owned();
    let minutes = ws.git_out(&["show", &format!("HEAD:{memo}")]);
    for want in [
        format!("`{c1}` tagged +{tag}"),
        format!("`{c1}` dismissed: {reason}"),
        format!("`{c2}` skipped to the next meeting"),
        format!("`{c3}` promoted into {set}@v{}", version + 1),
        format!("{} <{}>", people[0].0, people[0].1),
        format!("{} <{}>", people[1].0, people[1].1),
        "1 tagged, 1 promoted, 1 dismissed".to_owned(),
    ] {
        assert!(
            minutes.contains(&want),
            "{want:?} in the minutes:\n{minutes}"
        );
    }
    let tag_msg = ws.git_out(&["tag", "-l", "--format=%(contents)", &tag_name]);
    assert!(tag_msg.contains(&format!("Minutes: {memo}")), "{tag_msg}");
    assert_eq!(ws.status(), "", "git status is clean after the meeting");
    assert!(
        meeting_json(&ws).is_none(),
        "meeting.json is gone once the meeting is finished"
    );
    ws.docket(&["check"]).ok();
    ws.assert_fsck_clean();
}

#[test]
fn plain_docket_says_a_meeting_is_open_and_r_enters_it() {
    let ws = Workspace::example();
    let people = reviewers(&ws);
    ws.docket(&["review", "start", "--attendee", &people[0].1])
        .ok();
    let ids = agenda(&ws);
    let n = ids.len();
    // The first case skipped from the command line: the meeting is at 2.
    ws.docket(&["review", "skip", &ids[0]]).ok();

    let mut t = Term::spawn(&ws, &[]);
    t.wait_for("Incidents without an eval");
    t.wait_for(&format!(
        "a review meeting is open (2 of {n} · 00:00:00): R resumes it"
    ));
    t.send("R");
    wait_at(&mut t, 2, n, &people[0].0, &ids[1]);

    // R again leaves meeting mode; the meeting stays open where it was.
    t.send("R");
    let screen = t.wait("meeting mode left", |s| {
        top(s).starts_with(" docket") && s.contains("the meeting stays open")
    });
    assert!(screen.contains(" 1 Inbox"), "{screen}");
    t.send("q");
    assert_eq!(t.wait_exit(TIMEOUT), 0);
    t.drain();
    let m = meeting_json(&ws).expect("the meeting is still open");
    assert_eq!(m["position"], 1, "{m}");
    assert_eq!(ws.status(), "");
}

/// The minutes name every agenda case that was neither decided nor
/// skipped: one the meeting moved past (`j` moves the meeting with the
/// cursor), the one on screen when `F` was pressed, and those never
/// reached. (Found as a bug while writing these tests: only the cases
/// after the one under review were named.)
#[test]
fn the_minutes_name_every_undecided_case_of_the_agenda() {
    let ws = Workspace::example();
    let ids = short_agenda(&ws);
    let (c1, c2, c3, c4) = (&ids[0], &ids[1], &ids[2], &ids[3]);
    let n = ids.len();
    let people = reviewers(&ws);
    let names = people[0].0.clone();

    let mut t = review(&ws, ReadUntil::Eof);
    t.wait_for(&format!("▶ [ ] {}", people[0].1));
    t.send(" ");
    t.wait_for(&format!("▶ [x] {}", people[0].1));
    t.send("\r");
    wait_at(&mut t, 1, n, &names, c1);
    // Case 1 is looked at and passed over: the meeting follows the cursor.
    t.send("j");
    wait_at(&mut t, 2, n, &names, c2);
    t.send("x");
    t.wait_for(&format!("Dismiss {c2}: why?"));
    t.send("noise");
    t.wait_for("> noise");
    t.send("\r");
    wait_at(&mut t, 3, n, &names, c3);
    // Finished on case 3, undecided; case 4 never reached.
    t.send("F");
    t.wait_for("F again finishes");
    t.send("F");
    t.wait(&format!("tagged review/{DAY}"), |s| {
        s.contains(&format!("tagged review/{DAY}")) && s.contains(" 0 pending")
    });
    t.send("q");
    assert_eq!(t.wait_exit(TIMEOUT), 0);

    let files = ws.git_out(&["show", "--name-only", "--format=", "HEAD"]);
    let memo = files
        .lines()
        .find(|f| f.starts_with("memos/"))
        .unwrap()
        .to_owned();
    let minutes = ws.git_out(&["show", &format!("HEAD:{memo}")]);
    assert!(
        minutes.contains(&format!("`{c2}` dismissed: noise")),
        "{minutes}"
    );
    let follow_ups = minutes
        .split("Follow-ups:")
        .nth(1)
        .unwrap_or_else(|| panic!("a Follow-ups section:\n{minutes}"));
    assert!(
        follow_ups.contains(&format!("`{c4}` not reached")),
        "{minutes}"
    );
    for undecided in [c1, c3] {
        assert!(
            follow_ups.contains(&format!("`{undecided}`")),
            "{undecided} was on the agenda, neither decided nor skipped, \
             and the minutes do not name it:\n{minutes}"
        );
    }
}

/// A finished meeting has committed every pending change, so `q` right
/// after "tagged review/…" quits without asking. (Found as a bug while
/// writing these tests: the old pending count stayed until the reload and
/// the refresh came back, and `q` opened the quit confirmation.)
#[test]
fn q_right_after_finishing_quits_without_asking() {
    let ws = Workspace::example();
    let ids = short_agenda(&ws);
    let people = reviewers(&ws);

    let mut t = review(&ws, ReadUntil::Eof);
    t.wait_for(&format!("▶ [ ] {}", people[0].1));
    t.send("\r");
    wait_at(&mut t, 1, ids.len(), &people[0].0, &ids[0]);
    t.send("x");
    t.wait_for(&format!("Dismiss {}: why?", ids[0]));
    t.send("noise\r");
    t.wait_for(" 1 pending");
    t.send("F");
    t.wait_for("F again finishes");
    t.send("F");
    t.wait_for(&format!("tagged review/{DAY}"));
    t.send("q");
    // Either docket quits (right) or it asks (the bug).
    let start = Instant::now();
    loop {
        if let Some(status) = t.child.try_wait().unwrap() {
            assert_eq!(status.exit_code(), 0);
            break;
        }
        let screen = t.screen();
        assert!(
            !screen.contains("Quit?"),
            "q after the finish asked to confirm quitting:\n{screen}"
        );
        assert!(
            start.elapsed() < TIMEOUT,
            "docket neither quit nor asked:\n{screen}"
        );
        std::thread::sleep(Duration::from_millis(20));
    }
    assert_eq!(ws.status(), "");
}
