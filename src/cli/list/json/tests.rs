use super::*;
use crate::model::case::{Severity, Source, Status};
use crate::model::table::{CaseTable, NewCase};

/// A case as `serde_json` printed it before [`write_cases`]: the reference
/// the hand-written output must equal.
#[derive(serde::Serialize)]
struct CaseJson<'a> {
    agent: &'a str,
    id: &'a str,
    incident: Option<&'a str>,
    #[serde(serialize_with = "as_text")]
    occurred_at: toml::value::Datetime,
    path: String,
    promoted_to: Option<&'a str>,
    severity: Option<&'static str>,
    source: &'static str,
    status: &'static str,
    summary: &'a str,
    tags: crate::model::table::Tags<'a>,
}

fn as_text<S: serde::Serializer>(v: &toml::value::Datetime, s: S) -> Result<S::Ok, S::Error> {
    s.collect_str(v)
}

fn by_serde(t: &CaseTable) -> String {
    let rows: Vec<CaseJson<'_>> = t
        .iter()
        .map(|c| CaseJson {
            agent: c.agent,
            id: c.id,
            incident: c.incident,
            occurred_at: c.occurred_at,
            path: c.path(),
            promoted_to: c.promotion.map(|p| p.set),
            severity: c.severity.map(Severity::as_str),
            source: c.source.as_str(),
            status: c.status.as_str(),
            summary: c.summary,
            tags: c.tags,
        })
        .collect();
    serde_json::to_string_pretty(&rows).unwrap()
}

fn by_hand(t: &CaseTable) -> String {
    let mut out = Vec::new();
    write_cases(&mut out, t.iter()).unwrap();
    String::from_utf8(out).unwrap()
}

/// Case `i` of a table whose strings come from `text`, varied by `i`.
fn case<'a>(i: usize, id: &'a str, text: &'a str, tags: Vec<&'a str>) -> NewCase<'a> {
    let times = [
        "2026-11-02T14:03:00Z",
        "2026-11-02T14:03:00.5+02:00",
        "2026-11-02T14:03:00.000000120-09:30",
        "2026-11-02",
        "2026-11-02T14:03:00",
    ];
    NewCase {
        id,
        folder: ["2026-11", text][i % 2],
        agent: text,
        source: Source::ALL[i % Source::ALL.len()],
        occurred_at: time::parse(times[i % times.len()]).unwrap(),
        incident: (!i.is_multiple_of(3)).then_some(text),
        severity: (!i.is_multiple_of(4)).then(|| Severity::ALL[i % Severity::ALL.len()]),
        status: Status::ALL[i % Status::ALL.len()],
        summary: text,
        tags,
        promotion: (i % 5 == 1).then_some((text, 3)),
        notes: 0,
        review: docket_review(i),
    }
}

#[test]
fn no_cases_print_an_empty_array() {
    assert_eq!(by_hand(&CaseTable::default()), "[]");
    assert_eq!(by_serde(&CaseTable::default()), "[]");
}

#[test]
fn prints_what_serde_json_printed() {
    let texts = [
        "plain",
        "",
        "quote \" and back\\slash",
        "c0 \u{1} \u{8} \u{c} \n \r \t \u{1f}",
        "c1 \u{9b}2J bidi \u{202e} del \u{7f} caf\u{e9} \u{6f22} \u{1f600}",
        "slash / and </script>",
    ];
    let ids: Vec<String> = (0..texts.len() * 4)
        .map(|i| format!("case-{i:03}"))
        .collect();
    let mut t = CaseTable::default();
    for (i, id) in ids.iter().enumerate() {
        let text = texts[i % texts.len()];
        let tags = match i % 3 {
            0 => vec![],
            1 => vec![text],
            _ => vec!["tone", text, "x\"y"],
        };
        t.push(&case(i, id, text, tags));
    }
    t.sort();
    assert_eq!(by_hand(&t), by_serde(&t));
}

proptest::proptest! {
    #![proptest_config(proptest::prelude::ProptestConfig::with_cases(300))]

    /// Whatever the strings hold, the bytes are `serde_json`'s.
    #[test]
    fn any_text_prints_what_serde_json_printed(
        texts in proptest::collection::vec("(?s).{0,24}", 1..6),
    ) {
        let ids: Vec<String> = (0..texts.len()).map(|i| format!("{}{i}", texts[i])).collect();
        let mut t = CaseTable::default();
        for (i, id) in ids.iter().enumerate() {
            let tags = texts.iter().take(i).map(String::as_str).collect();
            t.push(&case(i, id, &texts[i], tags));
        }
        t.sort();
        proptest::prop_assert_eq!(by_hand(&t), by_serde(&t));
    }
}

fn docket_review(i: usize) -> crate::model::table::Review {
    crate::model::table::Review {
        verdicts: u8::try_from(i % 3).unwrap(),
        split: i % 7 == 2,
    }
}
