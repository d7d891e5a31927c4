//! A true conflict: dismissed on one side, promoted on the other. Sync
//! stops before changing anything; either choice it suggests works.

use crate::common::{self, Case};
use crate::team::{ANA, BO, Team, who};

/// A dismisses the case and syncs; B promotes it. Returns the team, the
/// case and the set.
fn dismissed_here_promoted_there() -> (Team, Case, String) {
    let t = Team::new();
    let case = t.ws.promotable(1).remove(0);
    let (set, _) = t.ws.a_set();
    t.docket(
        &t.a,
        &["dismiss", &case.id, "--reason", "not a bug", "--commit"],
    )
    .ok();
    t.docket(&t.a, &["sync"]).ok();
    t.docket(&t.b, &["promote", &case.id, &set, "--commit"])
        .ok();
    (t, case, set)
}

#[test]
fn a_true_conflict_stops_sync_before_anything_changes() {
    let (t, case, _) = dismissed_here_promoted_there();
    let remote = t.remote_tip();
    let head = t.out(&t.b, &["rev-parse", "HEAD"]);
    let files = common::tree_files(&t.b);
    let r = t.docket(&t.b, &["sync"]);
    let msg = r
        .clone()
        .refused(&["conflict", &case.id, "--ours", "--theirs"]);
    assert!(msg.contains("before changing anything"), "{msg}");
    for needle in [
        "yours:",
        "promoted into",
        BO.0,
        "upstream:",
        "dismissed (not a bug)",
        ANA.0,
        &format!("docket sync --ours {}", case.id),
        &format!("docket sync --theirs {}", case.id),
    ] {
        assert!(r.stdout.contains(needle), "{needle:?} in\n{}", r.stdout);
    }
    assert_eq!(t.out(&t.b, &["rev-parse", "HEAD"]), head, "HEAD moved");
    assert_eq!(common::tree_files(&t.b), files, "the work tree changed");
    assert_eq!(t.remote_tip(), remote, "the remote changed");
    let st = t.out(&t.b, &["status", "--porcelain", "--untracked-files=all"]);
    assert_eq!(st, "");
}

#[test]
fn theirs_keeps_the_upstreams_dismissal() {
    let (t, case, set) = dismissed_here_promoted_there();
    let remote = t.remote_tip();
    let r = t.docket(&t.b, &["sync", "--theirs", &case.id]).ok();
    assert!(r.stdout.contains("dropped "), "{}", r.stdout);
    assert_eq!(t.remote_tip(), remote, "nothing left to push");
    assert_eq!(t.out(&t.b, &["rev-parse", "HEAD"]), remote);
    let f = t.remote_file(&case.path);
    assert_eq!(f["status"].as_str(), Some("dismissed"));
    let copy = format!("{}:evals/sets/{set}/cases/{}.toml", t.branch, case.id);
    t.git(&t.bare, &["cat-file", "-e", &copy]).code(128);
    t.assert_settled();
}

#[test]
fn ours_takes_back_the_dismissal_and_promotes() {
    let (t, case, set) = dismissed_here_promoted_there();
    let r = t.docket(&t.b, &["sync", "--ours", &case.id]).ok();
    assert!(
        r.stdout
            .contains(&format!("resolved {}: yours stands", case.id)),
        "{}",
        r.stdout
    );
    let f = t.remote_file(&case.path);
    assert_eq!(f["status"].as_str(), Some("promoted"), "{f:?}");
    assert!(!f.contains_key("dismissal"), "{f:?}");
    assert_eq!(f["promotion"]["set"].as_str(), Some(set.as_str()));
    let log = t.remote_log(2);
    assert_eq!(log[0].0, who(BO));
    let body = t.out(&t.bare, &["log", "-1", "--format=%b", &t.branch]);
    assert!(
        body.contains(&format!(
            "Kept over the upstream's decision (docket sync --ours): {}",
            case.id
        )),
        "{body}"
    );
    assert_eq!(log[1].0, who(ANA));
    let r = t.docket(&t.b, &["check"]);
    assert_eq!(r.code, Some(0), "{}{}", r.stdout, r.stderr);
    t.docket(&t.a, &["sync"]).ok();
    t.assert_settled();
}

#[test]
fn theirs_drops_only_the_decision_and_the_summary_follows() {
    let t = Team::new();
    let case = t.ws.promotable(1).remove(0);
    let tag = t.ws.new_tag_for(&case);
    let (set, _) = t.ws.a_set();
    t.docket(
        &t.a,
        &["dismiss", &case.id, "--reason", "not a bug", "--commit"],
    )
    .ok();
    t.docket(&t.a, &["sync"]).ok();
    t.docket(&t.b, &["tag", &case.id, &tag]).ok();
    t.docket(&t.b, &["promote", &case.id, &set]).ok();
    t.docket(&t.b, &["commit"]).ok();
    t.docket(&t.b, &["sync"]).refused(&["conflict", &case.id]);
    t.docket(&t.b, &["sync", "--theirs", &case.id]).ok();
    let log = t.remote_log(1);
    assert_eq!(log[0], (who(BO), vec![format!("tag {} +{tag}", case.id)]));
    let summary = t.out(&t.bare, &["log", "-1", "--format=%s", &t.branch]);
    assert_eq!(
        summary,
        format!("docket: review {} — 1 tagged", common::DAY)
    );
    let f = t.remote_file(&case.path);
    assert_eq!(f["status"].as_str(), Some("dismissed"));
    assert!(
        f["tags"]
            .as_array()
            .unwrap()
            .iter()
            .any(|x| x.as_str() == Some(tag.as_str())),
        "{f:?}"
    );
    let r = t.docket(&t.b, &["check"]);
    assert_eq!(r.code, Some(0), "{}{}", r.stdout, r.stderr);
    t.docket(&t.a, &["sync"]).ok();
    t.assert_settled();
}
