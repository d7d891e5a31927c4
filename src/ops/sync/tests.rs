//! A local commit rebuilt on the upstream's files, as actions.

use super::*;
use crate::model::FailureCase;
use crate::model::case::Status;
use crate::model::case::tests::{PATH, SAMPLE};

const CASE: &str = "billing-tier1-0042";

/// SAMPLE with `intents` done on it, as docket's ops would.
fn with(text: &str, intents: &[Intent]) -> String {
    let ctx = Context::default();
    let r = replay::replay(PATH, None, None, Some(text), &[intents], &ctx).unwrap();
    r.steps.last().cloned().flatten().unwrap()
}

fn tag(t: &str) -> Intent {
    Intent::Tag {
        case: CASE.into(),
        path: PATH.into(),
        add: vec![t.into()],
        remove: vec![],
    }
}

fn note(at: &str, text: &str) -> Intent {
    Intent::Note {
        case: CASE.into(),
        path: PATH.into(),
        author: "bo@example.com".into(),
        at: at.into(),
        text: text.into(),
    }
}

fn dismiss() -> Intent {
    Intent::Dismiss {
        case: CASE.into(),
        path: PATH.into(),
        reason: "duplicate".into(),
        by: "ana@example.com".into(),
        at: "2026-11-10T10:06:00Z".into(),
    }
}

fn changed(ours: &str) -> Vec<Changed> {
    vec![Changed {
        path: PATH.into(),
        base: Some(SAMPLE.into()),
        ours: Some(ours.into()),
    }]
}

fn run(
    trailers: &[&str],
    changed: &[Changed],
    theirs: &str,
    choices: &BTreeMap<String, Side>,
) -> Result<Rebuilt, Vec<SyncConflict>> {
    let trailers: Vec<String> = trailers.iter().map(|s| (*s).to_owned()).collect();
    let theirs = theirs.to_owned();
    let read = move |p: &str| (p == PATH).then(|| theirs.clone());
    let commit = Commit {
        trailers: &trailers,
        changed,
    };
    rebuild(&commit, &read, choices, &|t: &str| {
        format!("blob-{}", t.len())
    })
}

fn case(text: &str) -> FailureCase {
    FailureCase::parse(PATH, text).unwrap().0
}

#[test]
fn trailers_are_read() {
    assert_eq!(
        Trailer::parse("promote a -> billing-refunds@v6"),
        Trailer::Promote {
            case: "a".into(),
            set: "billing-refunds".into()
        }
    );
    assert_eq!(
        Trailer::parse("tag a +x -y"),
        Trailer::Tag {
            case: "a".into(),
            add: vec!["x".into()],
            remove: vec!["y".into()]
        }
    );
    assert_eq!(
        Trailer::parse("memo 0001 draft -> proposed"),
        Trailer::Other
    );
    assert_eq!(Trailer::parse("init"), Trailer::Other);
}

#[test]
fn a_tag_on_each_side_gives_both() {
    let ours = with(SAMPLE, &[tag("tone")]);
    let theirs = with(SAMPLE, &[tag("refusal")]);
    let r = run(
        &[&format!("tag {CASE} +tone")],
        &changed(&ours),
        &theirs,
        &BTreeMap::new(),
    )
    .unwrap();
    let text = r.files[PATH].as_deref().unwrap();
    assert_eq!(case(text).tags, ["hallucinated-promise", "refusal", "tone"]);
    assert_eq!(r.trailers, [format!("tag {CASE} +tone")]);
}

#[test]
fn notes_from_both_sides_in_time_order() {
    let ours = with(SAMPLE, &[note("2026-11-19T09:00:00Z", "ours, earlier")]);
    let theirs = with(SAMPLE, &[note("2026-11-20T09:00:00Z", "theirs")]);
    let r = run(
        &[&format!("note {CASE}")],
        &changed(&ours),
        &theirs,
        &BTreeMap::new(),
    )
    .unwrap();
    let texts: Vec<String> = case(r.files[PATH].as_deref().unwrap())
        .notes
        .into_iter()
        .map(|n| n.text)
        .collect();
    assert_eq!(texts, ["ours, earlier", "theirs"]);
}

#[test]
fn a_hand_edit_riding_along_makes_the_commit_opaque() {
    // The trailer says "tag", but the file also changed otherwise.
    let ours = with(SAMPLE, &[tag("tone")]).replace("Promised", "Promized");
    let theirs = with(SAMPLE, &[tag("refusal")]);
    let e = run(
        &[&format!("tag {CASE} +tone")],
        &changed(&ours),
        &theirs,
        &BTreeMap::new(),
    )
    .unwrap_err();
    assert_eq!(e.len(), 1);
    assert!(!e[0].can_take_ours);
    // Untouched upstream: the commit's file is taken whole.
    let r = run(
        &[&format!("tag {CASE} +tone")],
        &changed(&ours),
        SAMPLE,
        &BTreeMap::new(),
    )
    .unwrap();
    assert_eq!(r.files[PATH].as_deref(), Some(ours.as_str()));
}

#[test]
fn dismissed_there_tagged_and_dismissed_here_is_resolved_by_choice() {
    // Upstream promoted the case; ours dismissed it (and tagged it).
    let promote = Intent::Promote {
        case: CASE.into(),
        path: PATH.into(),
        set: "s".into(),
        set_path: "evals/sets/s/set.toml".into(),
        by: "x@example.com".into(),
        at: "2026-11-10T10:05:00Z".into(),
    };
    let theirs = with(SAMPLE, &[tag("refusal"), promote]);
    assert_eq!(case(&theirs).status, Status::Promoted, "{theirs}");
    let ours = with(SAMPLE, &[tag("tone"), dismiss()]);
    let trailers = [format!("tag {CASE} +tone"), format!("dismiss {CASE}")];
    let trailers: Vec<&str> = trailers.iter().map(String::as_str).collect();
    let e = run(&trailers, &changed(&ours), &theirs, &BTreeMap::new()).unwrap_err();
    assert_eq!(e[0].case.as_deref(), Some(CASE));
    assert!(!e[0].can_take_ours, "a case is never taken out of a set");
    // --ours is not applied where it cannot be.
    let ours_choice = BTreeMap::from([(CASE.to_owned(), Side::Ours)]);
    assert!(run(&trailers, &changed(&ours), &theirs, &ours_choice).is_err());
    // --theirs: the dismissal is dropped, the tag kept.
    let choice = BTreeMap::from([(CASE.to_owned(), Side::Theirs)]);
    let r = run(&trailers, &changed(&ours), &theirs, &choice).unwrap();
    let c = case(r.files[PATH].as_deref().unwrap());
    assert_eq!(c.status, Status::Promoted);
    assert!(c.tags.contains(&"tone".to_owned()));
    assert_eq!(r.trailers, [format!("tag {CASE} +tone")]);
    assert_eq!(r.resolved, [(CASE.to_owned(), Side::Theirs)]);
}

#[test]
fn ours_takes_back_the_upstreams_dismissal() {
    let theirs = with(SAMPLE, &[note("2026-11-20T09:00:00Z", "theirs"), dismiss()]);
    // A tag alone is no conflict with a dismissal: both are kept.
    let r = run(
        &[&format!("tag {CASE} +tone")],
        &changed(&with(SAMPLE, &[tag("tone")])),
        &theirs,
        &BTreeMap::new(),
    )
    .unwrap();
    assert_eq!(
        case(r.files[PATH].as_deref().unwrap()).status,
        Status::Dismissed
    );
    // The undecided version keeps the upstream's note and tags.
    let back = resolve::undecided(PATH, Some(&theirs), Some(SAMPLE)).unwrap();
    let c = case(&back);
    assert_eq!(c.status, Status::New);
    assert!(c.dismissal.is_none());
    assert_eq!(c.notes.len(), 1);
    assert!(resolve::can_take_ours(PATH, Some(&theirs)));
}

#[test]
fn a_case_deleted_upstream_is_a_conflict_either_side_resolves() {
    let ours = with(SAMPLE, &[tag("tone")]);
    let trailers: Vec<String> = vec![format!("tag {CASE} +tone")];
    let changed = changed(&ours);
    let commit = Commit {
        trailers: &trailers,
        changed: &changed,
    };
    let gone = |_: &str| None;
    let blob = |t: &str| t.len().to_string();
    let e = rebuild(&commit, &gone, &BTreeMap::new(), &blob).unwrap_err();
    assert_eq!(e[0].theirs, "the case was deleted");
    assert!(e[0].can_take_ours);
    // --theirs: the case stays deleted, the tag goes with it.
    let theirs = BTreeMap::from([(CASE.to_owned(), Side::Theirs)]);
    let r = rebuild(&commit, &gone, &theirs, &blob).unwrap();
    assert!(r.files.is_empty());
    assert!(r.trailers.is_empty());
    // --ours: the case comes back as the parent had it, with our tag.
    let mine = BTreeMap::from([(CASE.to_owned(), Side::Ours)]);
    let r = rebuild(&commit, &gone, &mine, &blob).unwrap();
    assert_eq!(r.files[PATH].as_deref(), Some(ours.as_str()));
}

mod props {
    use super::*;
    use proptest::prelude::*;

    const TAGS: [&str; 3] = ["tone", "refusal", "hallucinated-promise"];

    /// One action of a generated commit, with its trailer.
    fn action() -> impl Strategy<Value = (Intent, String)> {
        prop_oneof![
            (0..3usize, any::<bool>()).prop_map(|(t, add)| {
                let tag = TAGS[t];
                let (a, r) = if add {
                    (vec![tag.to_owned()], vec![])
                } else {
                    (vec![], vec![tag.to_owned()])
                };
                let sign = if add { '+' } else { '-' };
                (
                    Intent::Tag {
                        case: CASE.into(),
                        path: PATH.into(),
                        add: a,
                        remove: r,
                    },
                    format!("tag {CASE} {sign}{tag}"),
                )
            }),
            // The time is set by the test, one minute per action.
            "[a-z]{1,8}".prop_map(|text| (note("", &text), format!("note {CASE}"))),
        ]
    }

    proptest! {
        /// A commit rebuilt on an upstream that did not move is the commit
        /// itself; on an upstream that added a tag of its own, it is the
        /// commit plus that tag.
        #[test]
        fn rebuilding_keeps_the_commit_and_the_upstreams_work(
            actions in proptest::collection::vec(action(), 1..6)
        ) {
            // Each note at its own minute: two notes alike in author, time
            // and text are one note, which no commit of docket's holds twice.
            let intents: Vec<Intent> = actions
                .iter()
                .enumerate()
                .map(|(k, (i, _))| match i {
                    Intent::Note { text, .. } => note(&format!("2026-11-20T09:{k:02}:00Z"), text),
                    other => other.clone(),
                })
                .collect();
            let trailers: Vec<String> = actions.iter().map(|(_, t)| t.clone()).collect();
            let ours = with(SAMPLE, &intents);
            let changed = changed(&ours);
            let commit = Commit { trailers: &trailers, changed: &changed };
            let blob = |t: &str| t.len().to_string();
            let same = |p: &str| (p == PATH).then(|| SAMPLE.to_owned());
            let r = rebuild(&commit, &same, &BTreeMap::new(), &blob).unwrap();
            let got = r.files.get(PATH).cloned().flatten().unwrap_or_else(|| SAMPLE.to_owned());
            prop_assert_eq!(got, ours.clone());

            let upstream = with(SAMPLE, &[note("2026-11-21T08:00:00Z", "upstream")]);
            let moved = |p: &str| (p == PATH).then(|| upstream.clone());
            let r = rebuild(&commit, &moved, &BTreeMap::new(), &blob).unwrap();
            let got = r.files.get(PATH).cloned().flatten().unwrap_or_else(|| upstream.clone());
            let (mine, both) = (case(&ours), case(&got));
            prop_assert_eq!(&mine.tags, &both.tags);
            prop_assert_eq!(both.notes.len(), mine.notes.len() + 1);
            prop_assert!(both.notes.iter().any(|n| n.text == "upstream"));
        }
    }
}
