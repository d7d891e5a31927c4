use super::*;

fn meeting() -> Meeting {
    Meeting {
        day: "2026-11-23".into(),
        started: 1_795_428_000,
        head: None,
        since: Some("review/2026-11-09".into()),
        attendees: vec!["ana@example.com".into(), "bo@example.com".into()],
        agenda: vec!["a".into(), "b".into(), "c".into(), "d".into()],
        position: 2,
        skipped: vec!["b".into()],
        minutes: None,
    }
}

#[test]
fn progress_counts_from_one_and_shows_elapsed_time() {
    let m = meeting();
    assert_eq!(m.progress(m.started + 3723), "3 of 4 · 01:02:03");
}

#[test]
fn minutes_are_an_accepted_memo_with_every_decision_and_follow_up() {
    let m = meeting();
    let decisions = vec![
        Decision {
            by: "ana@example.com".into(),
            action: Action::Promote {
                case: "a".into(),
                set: "billing".into(),
                version: 5,
            },
            reason: None,
        },
        Decision {
            by: "bo@example.com".into(),
            action: Action::Dismiss { case: "c".into() },
            reason: Some("duplicate of a".into()),
        },
        Decision {
            by: "bo@example.com".into(),
            action: Action::Verdict {
                case: "x".into(),
                decision: "dismiss".into(),
            },
            reason: None,
        },
    ];
    let names = BTreeMap::from([("ana@example.com".to_owned(), "Ana Ruiz".to_owned())]);
    let cs = minutes(
        &m,
        &decisions,
        &["0001".into(), "0003".into()],
        &names,
        m.started + 1800,
    )
    .unwrap();
    assert_eq!(cs.actions, vec![Action::MemoNew { id: "0004".into() }]);
    let w = &cs.writes[0];
    assert_eq!(w.path, "memos/0004-eval-review-2026-11-23.md");
    let memo = crate::model::Memo::parse(&w.path, &w.contents).unwrap().0;
    assert_eq!(memo.status, crate::model::memo::MemoStatus::Accepted);
    for want in [
        "Attendees: Ana Ruiz <ana@example.com>, bo@example.com",
        "the first since review/2026-11-09, 30 minutes",
        "- `a` promoted into billing@v5 (Ana Ruiz <ana@example.com>)",
        "- `c` dismissed: duplicate of a (bo@example.com)",
        "- `x` verdict recorded (double review)",
        "1 promoted, 1 dismissed, 1 verdict(s) awaiting a second reviewer, 1 skipped",
        "billing@v5",
        "- `b` skipped to the next meeting",
        "- `x` awaits a second reviewer's verdict",
        "- `d` not reached",
    ] {
        assert!(w.contents.contains(want), "{want:?} in\n{}", w.contents);
    }
    // Every section is written, so `docket check` accepts it as accepted.
    for s in crate::model::memo::SECTIONS {
        assert!(w.contents.contains(&format!("## {s}\n\n")), "{s}");
    }
}
