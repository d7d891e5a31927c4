//! The replay engine, case by case and as properties: whatever the other
//! side did, re-applied actions keep both sides' work.

use super::*;
use crate::model::case::tests::{PATH, SAMPLE};
use proptest::prelude::*;

fn tag(add: &[&str], remove: &[&str]) -> Intent {
    Intent::Tag {
        case: "billing-tier1-0042".into(),
        path: PATH.into(),
        add: add.iter().map(|s| (*s).to_owned()).collect(),
        remove: remove.iter().map(|s| (*s).to_owned()).collect(),
    }
}

fn note(at: &str, text: &str) -> Intent {
    Intent::Note {
        case: "billing-tier1-0042".into(),
        path: PATH.into(),
        author: "ana@example.com".into(),
        at: at.into(),
        text: text.into(),
    }
}

fn dismiss() -> Intent {
    Intent::Dismiss {
        case: "billing-tier1-0042".into(),
        path: PATH.into(),
        reason: "duplicate".into(),
        by: "ana@example.com".into(),
        at: "2026-11-10T10:06:00Z".into(),
    }
}

fn promote() -> Intent {
    Intent::Promote {
        case: "billing-tier1-0042".into(),
        path: PATH.into(),
        set: "billing-refunds".into(),
        set_path: "evals/sets/billing-refunds/set.toml".into(),
        by: "ana@example.com".into(),
        at: "2026-11-10T10:05:00Z".into(),
    }
}

/// Applies intents to SAMPLE the way the ops would, for "theirs".
fn after(intents: &[Intent]) -> String {
    if intents.is_empty() {
        return SAMPLE.to_owned();
    }
    let r = replay(PATH, None, None, Some(SAMPLE), &[intents], &ctx()).unwrap();
    r.steps.last().cloned().flatten().unwrap()
}

fn ctx() -> Context {
    let mut c = Context::default();
    c.versions.insert("billing-refunds".into(), 6);
    c
}

fn case_of(text: &str) -> FailureCase {
    FailureCase::parse(PATH, text).unwrap().0
}

#[test]
fn a_tag_on_each_side_gives_both() {
    let theirs = after(&[tag(&["tone"], &[])]);
    let ours = after(&[tag(&["refusal"], &[])]);
    let r = replay(
        PATH,
        Some(SAMPLE),
        Some(&ours),
        Some(&theirs),
        &[&[tag(&["refusal"], &[])]],
        &ctx(),
    )
    .unwrap();
    let c = case_of(r.steps[0].as_deref().unwrap());
    assert_eq!(c.tags, ["hallucinated-promise", "tone", "refusal"]);
    assert_eq!(r.applied, [true]);
}

#[test]
fn the_same_tag_on_both_sides_is_already_there() {
    let theirs = after(&[tag(&["tone"], &[])]);
    let r = replay(
        PATH,
        None,
        None,
        Some(&theirs),
        &[&[tag(&["tone"], &[])]],
        &ctx(),
    )
    .unwrap();
    assert_eq!(r.steps[0].as_deref(), Some(theirs.as_str()));
    assert_eq!(r.applied, [false]);
}

#[test]
fn notes_from_both_sides_in_time_order() {
    let theirs = after(&[note("2026-11-20T09:00:00Z", "theirs")]);
    // Ours was written before theirs: it goes first.
    let r = replay(
        PATH,
        None,
        None,
        Some(&theirs),
        &[
            &[note("2026-11-19T09:00:00Z", "ours, earlier")],
            &[note("2026-11-21T09:00:00Z", "ours, later")],
        ],
        &ctx(),
    )
    .unwrap();
    let text = r.steps[1].as_deref().unwrap();
    let texts: Vec<String> = case_of(text).notes.into_iter().map(|n| n.text).collect();
    assert_eq!(texts, ["ours, earlier", "theirs", "ours, later"], "{text}");
    // The same note replayed twice is kept once.
    let again = replay(
        PATH,
        None,
        None,
        Some(text),
        &[&[note("2026-11-21T09:00:00Z", "ours, later")]],
        &ctx(),
    )
    .unwrap();
    assert_eq!(again.applied, [false]);
}

#[test]
fn dismissed_here_promoted_there_is_a_conflict_naming_both() {
    let theirs = after(&[promote()]);
    let e = replay(PATH, None, None, Some(&theirs), &[&[dismiss()]], &ctx()).unwrap_err();
    let msg = e.to_string();
    assert!(
        msg.contains("dismissed by ana@example.com (duplicate)"),
        "{msg}"
    );
    assert!(msg.contains("promoted into billing-refunds"), "{msg}");
    let theirs = after(&[dismiss()]);
    let e = replay(PATH, None, None, Some(&theirs), &[&[promote()]], &ctx()).unwrap_err();
    assert!(e.to_string().contains("dismissed (duplicate)"), "{e}");
    // Dismissed on both sides: the same verdict, nothing to do.
    let r = replay(PATH, None, None, Some(&theirs), &[&[dismiss()]], &ctx()).unwrap();
    assert_eq!(r.applied, [false]);
}

#[test]
fn a_deleted_case_is_a_conflict() {
    let e = replay(
        PATH,
        Some(SAMPLE),
        Some(SAMPLE),
        None,
        &[&[tag(&["tone"], &[])]],
        &ctx(),
    )
    .unwrap_err();
    assert!(e.to_string().contains("deleted"), "{e}");
}

#[test]
fn promotions_take_the_recomputed_version() {
    let r = replay(PATH, None, None, Some(SAMPLE), &[&[promote()]], &ctx()).unwrap();
    let c = case_of(r.steps[0].as_deref().unwrap());
    assert_eq!(c.promotion.map(|p| p.version), Some(6));
    let set = "id = \"billing-refunds\"\ntitle = \"t\"   # kept\nowner = \"a@b.c\"\nrunbook = \"support-triage\"\nversion = 5\nmin_pass_rate = 0.9\n";
    let r = replay(
        "evals/sets/billing-refunds/set.toml",
        None,
        None,
        Some(set),
        &[&[promote()]],
        &ctx(),
    )
    .unwrap();
    let out = r.steps[0].as_deref().unwrap();
    assert!(
        out.contains("version = 6") && out.contains("# kept"),
        "{out}"
    );
}

#[test]
fn other_changes_are_accepted_only_when_identical() {
    assert!(
        replay(
            "memos/0001-x.md",
            None,
            Some("a"),
            Some("b"),
            &[&[]],
            &ctx()
        )
        .is_err()
    );
    let r = replay(
        "memos/0001-x.md",
        None,
        Some("a"),
        Some("a"),
        &[&[]],
        &ctx(),
    )
    .unwrap();
    assert_eq!(r.applied, [false]);
}

const TAGS: &[&str] = &["tone", "refusal", "pii", "loop", "hallucinated-promise"];

fn an_intent() -> impl Strategy<Value = Intent> {
    prop_oneof![
        (0..TAGS.len(), any::<bool>()).prop_map(|(i, add)| if add {
            tag(&[TAGS[i]], &[])
        } else {
            tag(&[], &[TAGS[i]])
        }),
        (0u32..28, "[a-z][a-z ]{0,11}")
            .prop_map(|(d, t)| note(&format!("2026-11-{:02}T10:00:00Z", d + 1), &t)),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(200))]

    /// Whatever tags and notes each side added, the replay keeps every
    /// note of both sides and ends with exactly the tags the two sides'
    /// actions imply; the result always parses and replaying it again
    /// changes nothing.
    #[test]
    fn both_sides_are_kept(theirs_ops in proptest::collection::vec(an_intent(), 0..6),
                           ours_ops in proptest::collection::vec(an_intent(), 1..6)) {
        let theirs = after(&theirs_ops);
        let entries: Vec<&[Intent]> = ours_ops.iter().map(std::slice::from_ref).collect();
        let r = replay(PATH, Some(SAMPLE), None, Some(&theirs), &entries, &ctx()).unwrap();
        let out = r.steps.last().cloned().flatten().unwrap();
        let c = case_of(&out);
        let mut want: Vec<String> = case_of(&theirs).tags;
        for i in &ours_ops {
            if let Intent::Tag { add, remove, .. } = i {
                want.retain(|t| !remove.contains(t));
                for t in add {
                    if !want.contains(t) { want.push(t.clone()); }
                }
            }
        }
        prop_assert_eq!(&c.tags, &want);
        let notes: Vec<(String, String)> = c.notes.iter().map(|n| (n.at.to_string(), n.text.clone())).collect();
        for n in case_of(&theirs).notes {
            prop_assert!(notes.contains(&(n.at.to_string(), n.text.clone())));
        }
        for i in &ours_ops {
            if let Intent::Note { at, text, .. } = i {
                prop_assert!(notes.iter().any(|(a, t)| a == at && t == text));
            }
        }
        let mut sorted = notes.clone();
        sorted.sort_by(|a, b| a.0.cmp(&b.0));
        prop_assert_eq!(
            notes.iter().map(|n| &n.0).collect::<Vec<_>>(),
            sorted.iter().map(|n| &n.0).collect::<Vec<_>>(),
            "notes in time order"
        );
        // Replaying again keeps the same tags and notes (a removal then a
        // re-addition of one tag may move it to the end: order only).
        let again = replay(PATH, None, None, Some(&out), &entries, &ctx()).unwrap();
        let again = case_of(&again.steps.last().cloned().flatten().unwrap());
        let mut a = again.tags.clone();
        let mut b = c.tags.clone();
        a.sort();
        b.sort();
        prop_assert_eq!(a, b);
        prop_assert_eq!(again.notes.len(), c.notes.len());
    }
}
