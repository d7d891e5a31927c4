//! `docket promote`: copy a failure case into an eval set with provenance,
//! bump the set's version (once per commit) and mark the failure promoted.

use super::{Action, ChangeSet, FileWrite, Intent, OpError, SourceFile, edit};
use crate::model::case::Status;
use crate::model::{EvalSet, FailureCase};
use toml::value::Datetime;
use toml_edit::{Array, DocumentMut, Item, Value};

/// Everything a promotion needs; the store gathers it (the blob id comes from
/// git, the pending-bump flag from the journal).
pub struct PromoteInput<'a> {
    pub case: &'a SourceFile,
    pub set: &'a SourceFile,
    /// Whether `evals/sets/<set>/cases/<case>.toml` exists already.
    pub set_case_exists: bool,
    /// Computes the git blob id of a file's contents. The set case records
    /// the blob of the failure file as promoted (the version committed with
    /// the promotion), so `git cat-file blob` can always show where a case
    /// came from. Passed in so ops stay free of git2.
    pub blob_id: &'a dyn Fn(&str) -> String,
    pub by: &'a str,
    pub at: &'a Datetime,
    /// Whether an uncommitted promotion has already bumped this set's version:
    /// the version goes up once per commit however many cases go in.
    pub already_bumped: bool,
}

pub fn promote(p: &PromoteInput<'_>) -> Result<ChangeSet, OpError> {
    let (case, _) = FailureCase::parse(&p.case.path, &p.case.text)?;
    let (set, _) = EvalSet::parse(&p.set.path, &p.set.text)?;
    match case.status {
        Status::Promoted => {
            let set = case.promotion.map(|x| x.set).unwrap_or_default();
            return Err(OpError::AlreadyPromoted { case: case.id, set });
        }
        Status::Dismissed => return Err(OpError::Dismissed(case.id)),
        Status::New | Status::Triaged => {}
    }
    if case.expected.is_none() {
        return Err(OpError::NoExpected {
            case: case.id,
            path: case.path,
        });
    }
    if p.set_case_exists {
        return Err(OpError::CaseExists {
            case: case.id,
            set: set.id,
        });
    }
    // A version past i64::MAX cannot be written back (TOML integers are
    // i64): refuse rather than record a version the set never had.
    let version = if p.already_bumped {
        Some(set.version)
    } else {
        set.version.checked_add(1)
    }
    .filter(|v| i64::try_from(*v).is_ok())
    .ok_or_else(|| OpError::Invalid {
        path: p.set.path.clone(),
        line: crate::model::diag::key_line(&p.set.text, "version"),
        message: format!("version {} cannot be bumped any further", set.version),
    })?;

    let failure_doc = edit::parse(&p.case.path, &p.case.text)?;
    let mut failure = failure_doc.clone();
    mark_promoted(&mut failure, &set.id, version, p.by, p.at);
    let failure = failure.to_string();
    let set_case = set_case_doc(&case, &failure_doc, p, &(p.blob_id)(&failure), version);

    let mut writes = vec![
        FileWrite {
            path: format!("evals/sets/{}/cases/{}.toml", set.id, case.id),
            contents: set_case.to_string(),
        },
        FileWrite {
            path: p.case.path.clone(),
            contents: failure,
        },
    ];
    if !p.already_bumped {
        let mut set_doc = edit::parse(&p.set.path, &p.set.text)?;
        edit::set_value(
            &mut set_doc,
            "version",
            Value::from(i64::try_from(version).unwrap_or(i64::MAX)),
        );
        writes.push(FileWrite {
            path: p.set.path.clone(),
            contents: set_doc.to_string(),
        });
    }
    Ok(ChangeSet {
        writes,
        intents: vec![Intent::Promote {
            case: case.id.clone(),
            path: p.case.path.clone(),
            set: set.id.clone(),
            set_path: p.set.path.clone(),
            by: p.by.to_owned(),
            at: p.at.to_string(),
        }],
        actions: vec![Action::Promote {
            case: case.id,
            set: set.id,
            version,
        }],
    })
}

/// Marks a failure document promoted into `set` at `version`.
pub(crate) fn mark_promoted(
    doc: &mut DocumentMut,
    set: &str,
    version: u64,
    by: &str,
    at: &Datetime,
) {
    edit::set_str(doc, "status", Status::Promoted.as_str());
    doc["promotion"] = edit::table(&[
        ("set", Value::from(set)),
        ("version", version_value(version)),
        ("by", Value::from(by)),
        ("at", edit::datetime(at)),
    ]);
}

pub(crate) fn version_value(version: u64) -> Value {
    Value::from(i64::try_from(version).unwrap_or(i64::MAX))
}

/// Sets `[provenance] failure_blob` of a set case, format-preservingly.
/// `None` when it already holds `blob`.
pub fn set_failure_blob(file: &SourceFile, blob: &str) -> Result<Option<FileWrite>, OpError> {
    let mut doc = edit::parse(&file.path, &file.text)?;
    let Some(prov) = doc.get_mut("provenance").and_then(Item::as_table_like_mut) else {
        return Ok(None);
    };
    if prov.get("failure_blob").and_then(Item::as_str) == Some(blob) {
        return Ok(None);
    }
    match prov.get_mut("failure_blob") {
        Some(Item::Value(v)) => {
            let decor = v.decor().clone();
            *v = Value::from(blob);
            *v.decor_mut() = decor;
        }
        _ => {
            prov.insert("failure_blob", Item::Value(Value::from(blob)));
        }
    }
    Ok(Some(FileWrite {
        path: file.path.clone(),
        contents: doc.to_string(),
    }))
}

/// The set's copy of the case: id, tags, the failure's `input` and `expected`
/// tables as they were written (formatting kept), and provenance.
fn set_case_doc(
    case: &FailureCase,
    failure: &DocumentMut,
    p: &PromoteInput<'_>,
    blob: &str,
    version: u64,
) -> DocumentMut {
    let mut doc = DocumentMut::new();
    doc["id"] = Item::Value(Value::from(case.id.as_str()));
    let tags: Array = case.tags.iter().map(String::as_str).collect();
    doc["tags"] = Item::Value(Value::Array(tags));
    for key in ["input", "expected"] {
        if let Some(item) = failure.get(key) {
            doc[key] = item.clone();
        }
    }
    let mut prov = vec![
        ("failure", Value::from(case.path.as_str())),
        ("failure_blob", Value::from(blob)),
    ];
    if let Some(inc) = &case.incident {
        prov.push(("incident", Value::from(inc.as_str())));
    }
    prov.push(("promoted_by", Value::from(p.by)));
    prov.push(("promoted_at", edit::datetime(p.at)));
    prov.push((
        "added_in_version",
        Value::from(i64::try_from(version).unwrap_or(i64::MAX)),
    ));
    doc["provenance"] = edit::table(&prov);
    doc
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::SetCase;
    use crate::model::case::tests::{PATH, SAMPLE};

    const SET_PATH: &str = "evals/sets/billing-refunds/set.toml";
    const SET: &str = "id = \"billing-refunds\"\ntitle = \"Refunds\"   # keep me\nowner = \"ana@example.com\"\nrunbook = \"support-triage\"\nversion = 5\nmin_pass_rate = 0.995\n";

    fn run(bumped: bool, exists: bool, case_text: &str) -> Result<ChangeSet, OpError> {
        let at = crate::model::time::parse("2026-11-10T10:05:00Z").unwrap();
        let case = SourceFile {
            path: PATH.into(),
            text: case_text.into(),
        };
        let set = SourceFile {
            path: SET_PATH.into(),
            text: SET.into(),
        };
        promote(&PromoteInput {
            case: &case,
            set: &set,
            set_case_exists: exists,
            blob_id: &|t| format!("len{}", t.len()),
            by: "ana@example.com",
            at: &at,
            already_bumped: bumped,
        })
    }

    #[test]
    fn promotes_with_provenance() {
        let cs = run(false, false, SAMPLE).unwrap();
        assert_eq!(cs.writes.len(), 3);
        assert_eq!(
            cs.actions[0].to_string(),
            "promote billing-tier1-0042 -> billing-refunds@v6"
        );
        let (sc, d) = SetCase::parse(&cs.writes[0].path, &cs.writes[0].contents).unwrap();
        assert!(d.is_empty(), "{d:?}");
        assert_eq!(
            cs.writes[0].path,
            "evals/sets/billing-refunds/cases/billing-tier1-0042.toml"
        );
        let prov = sc.provenance.unwrap();
        assert_eq!(
            (
                prov.failure.as_str(),
                prov.failure_blob.as_str(),
                prov.added_in_version
            ),
            (
                PATH,
                format!("len{}", cs.writes[1].contents.len()).as_str(),
                6
            )
        );
        assert_eq!(prov.incident.as_deref(), Some("INC-2041"));
        assert_eq!(sc.input.messages.len(), 2);
        assert!(sc.expected.is_some());
        let (f, d) = FailureCase::parse(PATH, &cs.writes[1].contents).unwrap();
        assert!(d.is_empty(), "{d:?}");
        assert_eq!(f.status, Status::Promoted);
        assert_eq!(f.promotion.unwrap().version, 6);
        assert!(cs.writes[2].contents.contains("version = 6\n"));
        assert!(cs.writes[2].contents.contains("# keep me"));
    }

    #[test]
    fn refreshes_failure_blob() {
        let cs = run(false, false, SAMPLE).unwrap();
        let file = SourceFile {
            path: cs.writes[0].path.clone(),
            text: cs.writes[0].contents.clone(),
        };
        let w = set_failure_blob(&file, "abc123").unwrap().unwrap();
        let changed: Vec<_> = file
            .text
            .lines()
            .zip(w.contents.lines())
            .filter(|(a, b)| a != b)
            .collect();
        assert_eq!(changed.len(), 1);
        assert!(w.contents.contains("failure_blob = \"abc123\"\n"));
        let again = SourceFile {
            path: w.path.clone(),
            text: w.contents,
        };
        assert!(set_failure_blob(&again, "abc123").unwrap().is_none());
    }

    #[test]
    fn bumps_once_per_commit() {
        let cs = run(true, false, SAMPLE).unwrap();
        assert_eq!(cs.writes.len(), 2);
        assert_eq!(
            cs.actions[0].to_string(),
            "promote billing-tier1-0042 -> billing-refunds@v5"
        );
    }

    #[test]
    fn refuses() {
        assert!(matches!(
            run(false, true, SAMPLE),
            Err(OpError::CaseExists { .. })
        ));
        let no_expected = SAMPLE.split("[expected]").next().unwrap().to_owned();
        assert!(matches!(
            run(false, false, &no_expected),
            Err(OpError::NoExpected { .. })
        ));
        let promoted = run(false, false, SAMPLE).unwrap().writes[1]
            .contents
            .clone();
        assert!(matches!(
            run(false, false, &promoted),
            Err(OpError::AlreadyPromoted { .. })
        ));
    }
}
