//! The team workflow end to end, as the issue puts it: two reviewers on two
//! clones triage overlapping cases and sync; a sev1 case needs both of
//! them; the meeting's minutes and its review tag reach the remote; every
//! commit is signed; `docket audit` passes on that history and fails on a
//! hand edit.

use crate::common::signing::{have, ssh_signing};
use crate::common::{EMAIL, Sandbox};
use crate::team::{ANA, BO, Team};
use std::path::Path;

/// The example, with Ana and Bo listed as reviewers, sev1 under double
/// review and signed commits required; signing keys for everyone.
fn signed_team() -> Team {
    let sb = Sandbox::new();
    ssh_signing(&sb, &[EMAIL, ANA.1, BO.1]);
    let ws = sb.example_workspace("ws");
    let cfg = ws.read("docket.toml").replacen(
        "[review]\n",
        "[review]\ndouble_review = [\"sev1\"]\nrequire_signed = true\n",
        1,
    );
    let cfg = format!(
        "{cfg}\n[[reviewers]]\nname = \"{}\"\nemail = \"{}\"\n\n[[reviewers]]\nname = \"{}\"\nemail = \"{}\"\n\n[[reviewers]]\nname = \"Test Reviewer\"\nemail = \"{EMAIL}\"\n",
        ANA.0, ANA.1, BO.0, BO.1
    );
    ws.write("docket.toml", cfg);
    ws.git_commit_all("team settings: double review for sev1, signed commits");
    Team::from(ws)
}

fn sev_of(t: &Team, id: &str) -> String {
    let c = t.ws.cases().into_iter().find(|c| c.id == id).unwrap();
    let table: toml::Table = t.ws.read(&c.path).parse().unwrap();
    table["severity"].as_str().unwrap_or("").to_owned()
}

fn status_in(t: &Team, dir: &Path, id: &str) -> String {
    let v = t.docket(dir, &["show", id, "--json"]).ok().json();
    v["status"].as_str().unwrap().to_owned()
}

#[test]
#[allow(clippy::too_many_lines)] // the whole story, in order
fn two_reviewers_sync_a_double_reviewed_meeting_into_one_signed_history() {
    if !have("ssh-keygen") {
        return;
    }
    let t = signed_team();
    let (set, version) = t.ws.a_set();
    let sev1 =
        t.ws.promotable(12)
            .into_iter()
            .find(|c| sev_of(&t, &c.id) == "sev1")
            .expect("a promotable sev1 case");
    let other =
        t.ws.promotable(12)
            .into_iter()
            .find(|c| sev_of(&t, &c.id) != "sev1" && c.id != sev1.id)
            .expect("a case of another severity");
    let tags: Vec<String> =
        t.ws.taxonomy()
            .into_iter()
            .filter(|x| !other.tags.contains(x))
            .take(2)
            .collect();

    // Ana opens the meeting, tags a case and gives her verdict on the
    // sev1 case; it waits for a second reviewer.
    t.docket(
        &t.a,
        &["review", "start", "--attendee", ANA.1, "--attendee", BO.1],
    )
    .ok();
    t.docket(&t.a, &["tag", &other.id, &tags[0]]).ok();
    let v = t.docket(&t.a, &["promote", &sev1.id, &set]).ok();
    assert!(
        v.stdout.contains("waits for a second reviewer"),
        "{}",
        v.stdout
    );
    t.docket(&t.a, &["commit"]).ok();
    t.docket(&t.a, &["sync"]).ok();

    // Bo, without fetching, tags the same case and gives the same verdict;
    // sync replays his actions on Ana's: both tags, both verdicts.
    t.docket(&t.b, &["tag", &other.id, &tags[1]]).ok();
    t.docket(&t.b, &["promote", &sev1.id, &set]).ok();
    t.docket(&t.b, &["commit"]).ok();
    t.docket(&t.b, &["sync"]).ok();
    let both = t.tags_on_remote(&other.path);
    assert!(
        both.contains(&tags[0]) && both.contains(&tags[1]),
        "{both:?}"
    );
    let verdicts = t.remote_file(&sev1.path)["verdicts"]
        .as_array()
        .unwrap()
        .len();
    assert_eq!(verdicts, 2, "Ana's and Bo's verdicts");
    assert_eq!(
        status_in(&t, &t.b, &sev1.id),
        "new",
        "two verdicts, not yet decided"
    );

    // Bo decides: Ana's committed verdict agrees. The set is bumped once.
    let d = t
        .docket(&t.b, &["promote", &sev1.id, &set, "--commit"])
        .ok();
    assert!(!d.stdout.contains("waits"), "{}", d.stdout);
    t.docket(&t.b, &["sync"]).ok();
    let promoted = t.remote_file(&sev1.path);
    assert_eq!(promoted["status"].as_str(), Some("promoted"));
    assert_eq!(promoted["promotion"]["by"].as_str(), Some(BO.1));
    let set_toml = t.remote_file(&format!("evals/sets/{set}/set.toml"));
    assert_eq!(set_toml["version"].as_integer(), Some(version + 1));

    // Ana brings in Bo's work and finishes the meeting: minutes, one
    // commit, the review tag, pushed with the next sync.
    t.docket(&t.a, &["sync"]).ok();
    let done = t.docket(&t.a, &["review", "finish"]).ok().stdout;
    assert!(done.contains("tagged review/2026-11-23"), "{done}");
    let pushed = t.docket(&t.a, &["sync"]).ok().stdout;
    assert!(pushed.contains("pushed tag review/2026-11-23"), "{pushed}");
    t.docket(&t.b, &["sync"]).ok();

    // One history on the remote: both reviewers' decisions, every commit
    // signed and verified by git, the annotated tag on the minutes.
    let log = t.out(&t.bare, &["log", "--format=%ae %G?", &t.branch]);
    for line in log.lines().take(6) {
        assert!(
            line.ends_with(" G"),
            "unsigned or unverified: {line}\n{log}"
        );
    }
    assert!(log.contains(ANA.1) && log.contains(BO.1), "{log}");
    assert_eq!(
        t.out(&t.bare, &["cat-file", "-t", "review/2026-11-23"]),
        "tag"
    );
    assert_eq!(
        t.out(&t.bare, &["rev-parse", "review/2026-11-23^{commit}"]),
        t.remote_tip()
    );
    t.git(&t.b, &["verify-tag", "review/2026-11-23"]).ok();
    let files = t.out(&t.bare, &["show", "--name-only", "--format=", &t.branch]);
    let memo = files
        .lines()
        .find(|f| f.starts_with("memos/"))
        .unwrap()
        .to_owned();
    let minutes = t.out(&t.bare, &["show", &format!("{}:{memo}", t.branch)]);
    for want in [
        format!("`{}` promoted into {set}@v{}", sev1.id, version + 1),
        format!("`{}` tagged +{}", other.id, tags[0]),
        format!("`{}` tagged +{}", other.id, tags[1]),
        format!("{} <{}>", ANA.0, ANA.1),
        format!("{} <{}>", BO.0, BO.1),
    ] {
        assert!(minutes.contains(&want), "{want:?} in\n{minutes}");
    }
    t.assert_settled();

    // The audit passes on that history, and fails on a hand edit.
    let audit = t.docket(&t.b, &["audit"]);
    assert_eq!(audit.code, Some(0), "{audit:?}");
    let text = std::fs::read_to_string(t.b.join(&other.path)).unwrap();
    std::fs::write(
        t.b.join(&other.path),
        text.replace("summary = ", "summary = \"edited\" # "),
    )
    .unwrap();
    t.git(&t.b, &["commit", "-q", "-am", "fix the summary"])
        .ok();
    let audit = t.docket(&t.b, &["audit"]);
    assert_eq!(audit.code, Some(1), "{audit:?}");
    assert!(audit.stdout.contains("[hand-edit]"), "{}", audit.stdout);
}
