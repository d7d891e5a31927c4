use super::*;
use crate::model::EvalSet;

fn example() -> Vec<FileWrite> {
    super::super::files()
}

fn version_of(f: &FileWrite) -> u64 {
    EvalSet::parse(&f.path, &f.contents).unwrap().0.version
}

#[test]
fn the_example_grows_one_set_version_at_a_time() {
    let files = example();
    let steps = story(&files).unwrap();
    let first = &steps[0];
    assert_eq!(first.actions, vec![Action::Init]);
    assert_eq!(
        first.who.email, "ana@northwind.example",
        "the first reviewer"
    );
    assert!(
        steps.windows(2).all(|w| w[0].at <= w[1].at),
        "commits in date order"
    );
    for f in &first.files {
        match classify(&f.path) {
            Some(Kind::Run) => panic!("{} is left to the last commit", f.path),
            Some(Kind::Set) => assert_eq!(version_of(f), 0, "{}", f.path),
            Some(Kind::SetCase) => {
                let (c, _) = SetCase::parse(&f.path, &f.contents).unwrap();
                assert!(c.provenance.is_none(), "{} is promoted later", f.path);
            }
            Some(Kind::Failure) => {
                let (c, _) = FailureCase::parse(&f.path, &f.contents).unwrap();
                assert!(c.promotion.is_none(), "{} is promoted later", f.path);
            }
            _ => {}
        }
    }
    let mut per_set: BTreeMap<String, Vec<u64>> = BTreeMap::new();
    for step in &steps[1..] {
        let Some(Action::Promote { set, version, .. }) = step.actions.first() else {
            panic!("{:?}", step.actions);
        };
        per_set.entry(set.clone()).or_default().push(*version);
        let set_file = step
            .files
            .iter()
            .find(|f| classify(&f.path) == Some(Kind::Set))
            .unwrap();
        assert_eq!(version_of(set_file), *version);
        for a in &step.actions {
            let Action::Promote { case, .. } = a else {
                panic!("{a:?}")
            };
            let path = format!("evals/sets/{set}/cases/{case}.toml");
            let f = step.files.iter().find(|f| f.path == path).unwrap();
            let prov = SetCase::parse(&f.path, &f.contents)
                .unwrap()
                .0
                .provenance
                .unwrap();
            assert_eq!(prov.added_in_version, *version);
            assert_eq!(prov.promoted_by, step.who.email);
            assert_eq!(time::unix_from_datetime(&prov.promoted_at), Some(step.at));
            // The failure as promoted is in the same commit: the blob the
            // provenance names exists in history.
            assert!(step.files.iter().any(|f| f.path == prov.failure));
        }
    }
    for (set, versions) in &per_set {
        let expected: Vec<u64> = (1..=versions.len() as u64).collect();
        assert_eq!(versions, &expected, "{set}");
    }
    assert!(
        per_set.values().any(|v| v.len() >= 3),
        "a set with several versions to diff"
    );
}

#[test]
fn the_story_ends_at_the_example_but_for_its_runs() {
    let files = example();
    let mut tree: BTreeMap<String, String> = BTreeMap::new();
    for step in story(&files).unwrap() {
        for f in step.files {
            tree.insert(f.path, f.contents);
        }
    }
    let want: BTreeMap<String, String> = files
        .into_iter()
        .filter(|f| classify(&f.path) != Some(Kind::Run))
        .map(|f| (f.path, f.contents))
        .collect();
    assert_eq!(tree, want);
}

#[test]
fn a_failure_before_its_promotion_differs_only_there() {
    let files = example();
    let steps = story(&files).unwrap();
    let path = "evals/failures/2026-11/billing-tier1-0042.toml";
    let before = &steps[0]
        .files
        .iter()
        .find(|f| f.path == path)
        .unwrap()
        .contents;
    let after = &files.iter().find(|f| f.path == path).unwrap().contents;
    let removed: Vec<&str> = after
        .lines()
        .filter(|l| !before.lines().any(|b| b == *l))
        .collect();
    assert_eq!(
        removed,
        [
            "status = \"promoted\"",
            "[promotion]",
            "set = \"billing-refunds\"",
            "version = 6",
            "by = \"ana@northwind.example\"",
            "at = 2026-11-10T10:05:00Z",
        ]
    );
    assert!(before.contains("\nstatus = \"triaged\"\n"), "{before}");
    assert!(before.starts_with("id = \"billing-tier1-0042\"\n"));
}

#[test]
fn no_promotions_no_story() {
    let files = vec![FileWrite {
        path: "docket.toml".into(),
        contents: super::super::template("w"),
    }];
    assert!(story(&files).unwrap().is_empty());
}

#[test]
fn versions_out_of_date_order_are_refused() {
    let case = |id: &str, v: u64, at: &str| FileWrite {
        path: format!("evals/sets/s/cases/{id}.toml"),
        contents: format!(
            "id = \"{id}\"\n\n[provenance]\nfailure = \"evals/failures/2026-01/{id}.toml\"\nfailure_blob = \"0\"\npromoted_by = \"a@x\"\npromoted_at = {at}\nadded_in_version = {v}\n"
        ),
    };
    let files = vec![
        case("a", 1, "2026-02-01T00:00:00Z"),
        case("b", 2, "2026-01-01T00:00:00Z"),
    ];
    let err = story(&files).unwrap_err();
    assert!(
        err.message
            .contains("version 1 of set s was promoted after version 2"),
        "{err:?}"
    );
}
