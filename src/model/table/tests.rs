use super::*;
use crate::model::FailureCase;
use crate::model::case::tests::{PATH, SAMPLE};

#[test]
fn rows_read_back_what_was_parsed() {
    let (c, _) = FailureCase::parse(PATH, SAMPLE).unwrap();
    let mut t = CaseTable::default();
    t.push(&NewCase::of(&c));
    let r = t.get(0).unwrap();
    assert_eq!(r.id, c.id);
    assert_eq!(r.path(), PATH);
    assert_eq!(r.agent, "support-triage");
    assert_eq!(r.incident, Some("INC-2041"));
    assert_eq!(r.summary, c.summary);
    assert_eq!(r.tags.to_vec(), c.tags);
    assert!(r.tags.contains("hallucinated-promise"));
    assert_eq!(r.haystack(), c.haystack());
    assert_eq!(r.occurred_at, c.occurred_at);
    assert!(r.promotion.is_none());
}

#[test]
fn sorts_dedups_upserts_and_removes() {
    let mut t = CaseTable::default();
    let (c, _) = FailureCase::parse(PATH, SAMPLE).unwrap();
    for (id, folder) in [("b", "2026-11"), ("a", "2026-11"), ("b", "2026-10")] {
        let mut n = NewCase::of(&c);
        n.id = id;
        n.folder = folder;
        t.push(&n);
    }
    let dropped = t.sort();
    assert_eq!(t.iter().map(|r| r.id).collect::<Vec<_>>(), ["a", "b"]);
    assert_eq!(t.get(1).unwrap().folder, "2026-10");
    assert_eq!(dropped.len(), 1);
    assert_eq!(dropped[0].1, "evals/failures/2026-11/b.toml");
    let mut n = NewCase::of(&c);
    n.id = "ab";
    n.summary = "new";
    assert_eq!(t.upsert(&n), None);
    // The same id in a later folder: the first folder's row stays.
    n.folder = "2027-01";
    let dup = t.upsert(&n).unwrap();
    assert_eq!(dup.1, "evals/failures/2027-01/ab.toml");
    assert_eq!(t.get(t.position("ab").unwrap()).unwrap().folder, "2026-11");
    assert_eq!(t.position("ab"), Some(1));
    t.remove_path(PATH.replace(&c.id, "ab").as_str());
    assert_eq!(t.position("ab"), None);
    assert_eq!(t.len(), 2);
}

#[test]
fn tables_built_alike_are_equal_and_any_change_shows() {
    let (c, _) = FailureCase::parse(PATH, SAMPLE).unwrap();
    let build = |summary: &str, tag: &str| {
        let mut t = CaseTable::default();
        let mut n = NewCase::of(&c);
        n.summary = summary;
        n.tags = vec![tag];
        t.push(&n);
        t
    };
    assert_eq!(build("s", "x"), build("s", "x"));
    assert_ne!(build("s", "x"), build("t", "x"), "a summary");
    assert_ne!(build("s", "x"), build("s", "y"), "a tag's name");
}
