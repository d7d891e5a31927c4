use super::*;
use crate::model::case::tests::{PATH, SAMPLE};
use crate::ops::replay::{Context, replay};

fn at(s: &str) -> toml::value::Datetime {
    crate::model::time::parse(s).unwrap()
}

fn file(text: &str) -> SourceFile {
    SourceFile {
        path: PATH.into(),
        text: text.into(),
    }
}

fn review(sevs: &[&str]) -> Config {
    let list: Vec<String> = sevs.iter().map(|s| format!("{s:?}")).collect();
    let text = format!(
        "[workspace]\nname = \"w\"\n[review]\ndouble_review = [{}]\n",
        list.join(", ")
    );
    Config::parse(&text).unwrap().0
}

/// Whether `v` waits, with the file as committed.
fn waits_on(r: &Config, text: &str, v: &Verdict) -> bool {
    waits(r, &case(text), Some(&case(text)), v)
}

fn case(text: &str) -> FailureCase {
    FailureCase::parse(PATH, text).unwrap().0
}

#[test]
fn only_listed_severities_wait_and_only_for_another_reviewer() {
    let v = Verdict::dismiss("ana@example.com", "dup", &at("2026-11-10T10:00:00Z"));
    // The sample is sev2.
    assert!(!waits_on(&review(&[]), SAMPLE, &v));
    assert!(!waits_on(&review(&["sev1"]), SAMPLE, &v));
    assert!(waits_on(&review(&["sev2"]), SAMPLE, &v));
    let once = record(&file(SAMPLE), &v).unwrap();
    let text = &once.writes[0].contents;
    // The same reviewer again still waits; a second reviewer agreeing
    // decides; one disagreeing does not.
    assert!(waits_on(&review(&["sev2"]), text, &v));
    let bo = Verdict::dismiss("bo@example.com", "other words", &at("2026-11-11T10:00:00Z"));
    assert!(!waits_on(&review(&["sev2"]), text, &bo));
    let bo_promotes = Verdict::promote("bo@example.com", "billing", &at("2026-11-11T10:00:00Z"));
    assert!(waits_on(&review(&["sev2"]), text, &bo_promotes));
    // Only a committed verdict counts: one typed into the work tree's file
    // is no second reviewer.
    assert!(waits(
        &review(&["sev2"]),
        &case(text),
        Some(&case(SAMPLE)),
        &bo
    ));
    assert!(waits(&review(&["sev2"]), &case(text), None, &bo));
    // One reviewer under another spelling is the same reviewer.
    let shouting = Verdict::dismiss("ANA@Example.com", "dup", &at("2026-11-11T10:00:00Z"));
    assert!(waits_on(&review(&["sev2"]), text, &shouting));
    // With reviewers listed, only theirs count.
    let listed = Config::parse(
        "[workspace]\nname = \"w\"\n[review]\ndouble_review = [\"sev2\"]\n[[reviewers]]\nname = \"Bo\"\nemail = \"bo@example.com\"\n",
    )
    .unwrap()
    .0;
    assert!(waits_on(&listed, text, &bo), "ana is not a listed reviewer");
}

#[test]
fn a_recorded_verdict_keeps_the_file_and_replaces_the_reviewers_own() {
    let first = Verdict::promote("ana@example.com", "billing", &at("2026-11-10T10:00:00Z"));
    let cs = record(&file(SAMPLE), &first).unwrap();
    assert_eq!(
        cs.actions,
        vec![Action::Verdict {
            case: "billing-tier1-0042".into(),
            decision: "promote billing".into()
        }]
    );
    assert_eq!(
        cs.actions[0].trailer(),
        "Docket-Verdict: billing-tier1-0042 promote billing"
    );
    let text = cs.writes[0].contents.clone();
    assert!(
        text.starts_with(SAMPLE),
        "only a [[verdicts]] table is added:\n{text}"
    );
    let c = case(&text);
    assert_eq!(c.status, Status::New);
    assert_eq!(c.verdicts, vec![first.clone()]);

    // The same verdict again changes nothing; a changed mind replaces it.
    assert!(record(&file(&text), &first).unwrap().is_empty());
    let second = Verdict::dismiss("ana@example.com", "not a bug", &at("2026-11-10T11:00:00Z"));
    let text = record(&file(&text), &second).unwrap().writes[0]
        .contents
        .clone();
    assert_eq!(case(&text).verdicts, vec![second]);

    // Another reviewer's disagreeing verdict leaves the case split.
    let bo = Verdict::promote("bo@example.com", "billing", &at("2026-11-11T10:00:00Z"));
    let text = record(&file(&text), &bo).unwrap().writes[0]
        .contents
        .clone();
    let c = case(&text);
    assert_eq!(c.verdicts.len(), 2);
    assert!(c.split());
}

fn decide(text: &str, by: &'static str) -> impl FnOnce() -> Result<ChangeSet, OpError> {
    let f = file(text);
    move || crate::ops::dismiss(&f, by, &at("2026-11-10T10:00:00Z"), "dup")
}

#[test]
fn gated_decides_or_records_and_refuses_what_the_decision_would() {
    let r = review(&["sev2"]);
    let ana = Verdict::dismiss("ana@example.com", "dup", &at("2026-11-10T10:00:00Z"));
    let cs = gated(
        &r,
        &file(SAMPLE),
        Some(SAMPLE),
        &ana,
        decide(SAMPLE, "ana@example.com"),
    )
    .unwrap();
    assert!(matches!(cs.actions[..], [Action::Verdict { .. }]));
    let text = cs.writes[0].contents.clone();
    let bo = Verdict::dismiss("bo@example.com", "dup", &at("2026-11-11T10:00:00Z"));
    let cs = gated(
        &r,
        &file(&text),
        Some(&text),
        &bo,
        decide(&text, "bo@example.com"),
    )
    .unwrap();
    assert!(matches!(cs.actions[..], [Action::Dismiss { .. }]));
    let done = case(&cs.writes[0].contents);
    assert_eq!(done.status, Status::Dismissed);
    assert_eq!(done.verdicts.len(), 1, "the first reviewer's verdict stays");
    assert!(!done.split());
    // A dismissed case takes no verdict.
    let err = gated(
        &r,
        &file(&cs.writes[0].contents),
        Some(&cs.writes[0].contents),
        &ana,
        decide(&cs.writes[0].contents, "ana@example.com"),
    )
    .unwrap_err();
    assert!(matches!(err, OpError::AlreadyDismissed(_)), "{err}");
}

#[test]
fn a_verdict_replays_on_the_other_sides_version_as_an_action() {
    let v = Verdict::promote("ana@example.com", "billing", &at("2026-11-10T10:00:00Z"));
    let cs = record(&file(SAMPLE), &v).unwrap();
    let ours = cs.writes[0].contents.clone();
    // The other side tagged the case meanwhile: both are kept.
    let theirs = SAMPLE.replace(
        "tags = [\"hallucinated-promise\"]",
        "tags = [\"hallucinated-promise\", \"tone\"]",
    );
    let out = replay(
        PATH,
        Some(SAMPLE),
        Some(&ours),
        Some(&theirs),
        &[&cs.intents],
        &Context::default(),
    )
    .unwrap();
    let merged = case(out.steps[0].as_deref().unwrap());
    assert_eq!(merged.tags, vec!["hallucinated-promise", "tone"]);
    assert_eq!(merged.verdicts, vec![v]);

    // The other side dismissed it: a promote verdict is a true conflict.
    let dismissed = crate::ops::dismiss(
        &file(SAMPLE),
        "bo@example.com",
        &at("2026-11-11T10:00:00Z"),
        "noise",
    )
    .unwrap()
    .writes[0]
        .contents
        .clone();
    let err = replay(
        PATH,
        Some(SAMPLE),
        Some(&ours),
        Some(&dismissed),
        &[&cs.intents],
        &Context::default(),
    )
    .unwrap_err();
    assert!(err.theirs.contains("dismissed (noise)"), "{err}");
}

#[test]
fn a_decision_done_again_needs_its_second_reviewer_on_the_other_side() {
    let rules = review(&["sev2"]);
    // Ana's verdict, then Bo's agreeing dismissal (decided here).
    let ana = Verdict::dismiss("ana@example.com", "dup", &at("2026-11-10T10:00:00Z"));
    let with_ana = record(&file(SAMPLE), &ana).unwrap().writes[0]
        .contents
        .clone();
    let bo = crate::ops::dismiss(
        &file(&with_ana),
        "bo@example.com",
        &at("2026-11-11T10:00:00Z"),
        "dup",
    )
    .unwrap();
    let ours = bo.writes[0].contents.clone();
    let ctx = Context {
        rules: Some(rules),
        ..Context::default()
    };
    // The other side still has Ana's verdict: done again.
    let out = replay(
        PATH,
        Some(&with_ana),
        Some(&ours),
        Some(&with_ana),
        &[&bo.intents],
        &ctx,
    )
    .unwrap();
    assert_eq!(
        case(out.steps[0].as_deref().unwrap()).status,
        Status::Dismissed
    );
    // Ana changed her mind there (promote): Bo's dismissal would be one
    // reviewer's now, so it is a conflict, not a silent decision.
    let changed = record(
        &file(SAMPLE),
        &Verdict::promote("ana@example.com", "billing", &at("2026-11-12T10:00:00Z")),
    )
    .unwrap()
    .writes[0]
        .contents
        .clone();
    let err = replay(
        PATH,
        Some(&with_ana),
        Some(&ours),
        Some(&changed),
        &[&bo.intents],
        &ctx,
    )
    .unwrap_err();
    assert!(err.theirs.contains("no second reviewer"), "{err}");
}
